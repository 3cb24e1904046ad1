import FileAccess
import XCTest

final class PathNamesTests: XCTestCase {
    func testLastComponentIgnoresTrailingSlashes() {
        XCTAssertEqual(PathNames.lastComponent("out/sub/a.txt.xlf"), "a.txt.xlf")
        XCTAssertEqual(PathNames.lastComponent("a.xlf"), "a.xlf")
        XCTAssertEqual(PathNames.lastComponent("out/sub/"), "sub")
        XCTAssertEqual(PathNames.lastComponent("/"), "")
        XCTAssertEqual(PathNames.lastComponent("../../etc/x"), "x")
    }

    func testFolderKeepsTheUsersSpelling() {
        XCTAssertEqual(PathNames.folder(of: "out/sub/a.xlf"), "out/sub")
        XCTAssertEqual(PathNames.folder(of: "a.xlf"), ".")
        XCTAssertEqual(PathNames.folder(of: "/a.xlf"), "/")
        XCTAssertEqual(PathNames.folder(of: "out//a.xlf"), "out")
        XCTAssertEqual(PathNames.folder(of: "out/../a.xlf"), "out/..")
        XCTAssertEqual(PathNames.folder(of: "out/sub/"), "out")
    }

    func testAtomicFileWritesItsTemporaryBesideTheDestinationAsSpelled() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pathnames-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try AtomicFile(destination: folder + "/sub/../out.xlf")
        XCTAssertTrue(file.temporaryPath.hasPrefix(folder + "/sub/../.verso-tmp-"), file.temporaryPath)
        try file.write("x")
        try file.commit()
        XCTAssertEqual(try String(contentsOfFile: folder + "/out.xlf", encoding: .utf8), "x")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["out.xlf", "sub"])
    }

    /// The same result as Foundation's `URL.standardizedFileURL.path`, which it replaces.
    func testNormalizedIsFoundationsStandardizedPath() {
        let cwd = FileManager.default.currentDirectoryPath
        for path in ["out/a.xlf", "./out/./a.xlf", "out//sub///a.xlf", "out/sub/../a.xlf", "/abs/x/../../y.xlf",
                     "/../../a.xlf", "a/b/c/../../../../d.xlf", "/", "out/", "..", "/tmp/a b/é.xlf", "x/..", "/a/./b/.",
                     // Absolute paths that are already normal (checked, not rebuilt) and near misses.
                     "/w/out/a.xlf", "/w/.hidden/...", "/w/out/", "/w//a", "/w/a/..", "/w/a/.", "/..a/b..", "/a/../b"] {
            XCTAssertEqual(PathNames.normalized(path, currentFolder: cwd), URL(fileURLWithPath: path, isDirectory: false).standardizedFileURL.path, path)
        }
        XCTAssertEqual(PathNames.normalized("out/./a/../b.xlf", currentFolder: "/w"), "/w/out/b.xlf")
    }

    func testAClaimedOutputIsRefusedToASecondInputWhateverItsSpelling() {
        var claims = OutputClaims()
        XCTAssertNil(claims.claim("out/x.txt.xlf", for: "a/x.txt"))
        let conflict = claims.claim("out/sub/../x.txt.xlf", for: "b/x.txt", advice: "use --exclude")
        XCTAssertEqual(conflict?.message, "its output out/sub/../x.txt.xlf is also the output of a/x.txt; use --exclude")
        XCTAssertEqual(claims.claim("./out/x.txt.xlf", for: "a/x.txt")?.message, "named more than once; its output ./out/x.txt.xlf is written once")
        XCTAssertNil(claims.claim("out/y.txt.xlf", for: "b/y.txt"))
    }
}
