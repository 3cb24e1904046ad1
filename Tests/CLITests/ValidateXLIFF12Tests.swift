import Foundation
import TestSupport
import XCTest

/// `verso validate` on XLIFF 1.2 without --schemas (the specification's rules), on folders of the
/// CAT tools' XLIFF, and on what Verso itself writes.
final class ValidateXLIFF12Tests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("validate-12")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func testTheReviewersFileIsInvalidWithEachProblemLocated() throws {
        let file = TestPaths.fixture("xliff12/review-case.xlf").path
        let result = try VersoCommand.run(["validate", file])
        XCTAssertEqual(result.status, 1, result.stdout)
        XCTAssertEqual(result.stdout, "\(file): invalid XLIFF 1.2 (3 errors)\n")
        XCTAssertTrue(result.stderr.contains("\(file):3:28: error: <file> source-language 'xx-!!' is not a well-formed BCP 47 language tag"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):7:17: error: <target> state 'bogus'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):9:19: error: <trans-unit> id '1' is already used on line 5"), result.stderr)
    }

    func testWhatVersoPreparesIsValid() throws {
        let out = folder.appendingPathComponent("out").path
        let prepared = try VersoCommand.run(["prepare", TestPaths.sample("seed-article.fr.txt").path, TestPaths.sample("actualite.fr.html").path, "--source", "fr", "--target", "en", "--copy-source", "-o", out])
        XCTAssertEqual(prepared.status, 0, prepared.stderr)
        let result = try VersoCommand.run(["validate", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.hasSuffix("2 files: 2 valid, 0 invalid\n"), result.stdout)
    }

    func testFoldersIncludeTheToolsXLIFFExtensions() throws {
        let sdl = TestPaths.sharedFile("standards/conformance/okapi/sdlxliff")
        let names = try FileManager.default.contentsOfDirectory(atPath: sdl.path).filter { $0.hasSuffix(".sdlxliff") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        let mq = folder.appendingPathComponent("memoq")
        try FileManager.default.createDirectory(at: mq, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPaths.sharedFile("standards/conformance/okapi/xliff12/MQ-12-Test01.xlf"), to: mq.appendingPathComponent("job.mqxliff"))
        let result = try VersoCommand.run(["validate", sdl.path, mq.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in names { XCTAssertTrue(result.stdout.contains("\(sdl.path)/\(name): valid XLIFF 1.2"), result.stdout) }
        XCTAssertTrue(result.stdout.contains("\(mq.path)/job.mqxliff: valid XLIFF 1.2"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("\(names.count + 1) files: \(names.count + 1) valid, 0 invalid\n"), result.stdout)
    }

    func testAFolderWithoutXLIFFIsAWarningNotAFile() throws {
        let empty = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try "not xliff".write(to: empty.appendingPathComponent("readme.txt"), atomically: true, encoding: .utf8)
        let good = TestPaths.sharedFile("standards/conformance/okapi/xliff12/segsource.xlf").path
        let result = try VersoCommand.run(["validate", good, empty.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(empty.path): warning: no XLIFF file (.xlf, .xliff, .xlif, .xlf2, .sdlxliff, .mqxliff, .mxliff) in this folder"), result.stderr)
        XCTAssertEqual(result.stdout, "\(good): valid XLIFF 1.2\n1 file: 1 valid, 0 invalid; 1 folder without XLIFF\n")
        let strict = try VersoCommand.run(["validate", "--strict", good, empty.path])
        XCTAssertEqual(strict.status, 1)
        // Nothing to check at all is still an error.
        let alone = try VersoCommand.run(["validate", empty.path])
        XCTAssertEqual(alone.status, 1)
        XCTAssertTrue(alone.stderr.contains("\(empty.path): error: no XLIFF file"), alone.stderr)
        let json = try VersoCommand.run(["validate", "--json", good, empty.path])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["files"] as? [Any])?.count, 1)
        XCTAssertEqual(((object["findings"] as? [[String: Any]])?.first?["severity"]) as? String, "warning")
    }
}
