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
}
