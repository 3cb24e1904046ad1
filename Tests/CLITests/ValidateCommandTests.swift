import Foundation
import TestSupport
import XCTest

/// `verso validate FILE...` on the OASIS suites and on hostile files, as a user runs it.
final class ValidateCommandTests: XCTestCase {
    private let conformance = TestPaths.sharedFile("standards/conformance")
    private let schemas = TestPaths.sharedFile("standards/schemas")

    private func path(_ relative: String) -> String { conformance.appendingPathComponent(relative).path }

    func testValidFileExitsZeroAndSaysItsVersion() throws {
        let file = path("xliff21/core/valid/everything-core.xlf")
        let result = try VersoCommand.run(["validate", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "\(file): valid XLIFF 2.0\n")
        XCTAssertEqual(result.stderr, "")
    }

    func testInvalidFileGivesPathLineColumnAndExitsOne() throws {
        let file = path("xliff21/core/invalid/bad_EcBeforeSc.xlf")
        let result = try VersoCommand.run(["validate", file])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("\(file):6:17: error: <ec startRef=\"1\"> has no <sc id=\"1\"> before it"), result.stderr)
        XCTAssertTrue(result.stdout.contains("invalid XLIFF 2.0 (2 errors)"), result.stdout)
    }

    func testWholeSuiteFoldersAreJudgedFileByFile() throws {
        let invalid = try VersoCommand.run(["validate", path("xliff21/core/invalid"), path("xliff21/modules/invalid")])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stdout.hasSuffix("162 files: 0 valid, 162 invalid\n"), String(invalid.stdout.suffix(200)))
        let valid = try VersoCommand.run(["validate", path("xliff22/core/valid"), path("xliff21/core/in-out")])
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertTrue(valid.stdout.hasSuffix("43 files: 43 valid, 0 invalid\n"), String(valid.stdout.suffix(200)))
    }

    func testOneBadFileDoesNotHideTheOthers() throws {
        let good = path("xliff21/core/valid/sample1.xlf"), bad = path("xliff21/core/invalid/bad_NoTrgLang.xlf")
        let result = try VersoCommand.run(["validate", bad, good])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init), ["\(bad): invalid XLIFF 2.0 (1 error)", "\(good): valid XLIFF 2.0", "2 files: 1 valid, 1 invalid"])
    }

    func testSchemasAddTheXMLSchemaViolations() throws {
        let file = path("xliff21/core/invalid/bad_InvalidStateValue.xlf")
        let without = try VersoCommand.run(["validate", file])
        XCTAssertFalse(without.stderr.contains("schema:"), without.stderr)
        let with = try VersoCommand.run(["validate", file, "--schemas", schemas.path])
        XCTAssertEqual(with.status, 1)
        XCTAssertTrue(with.stderr.contains("\(file):5:13: error: schema: Element 'segment', attribute 'state'"), with.stderr)
        let valid = try VersoCommand.run(["validate", path("xliff21/modules/valid/Good-mtc_match-with-inlines.xlf"), "--schemas", schemas.path])
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertTrue(valid.stdout.contains("schema checked"), valid.stdout)
    }

    func testJSONReportsTheSameFindings() throws {
        let file = path("xliff21/core/invalid/bad_DuplicateNoteIdsInUnit.xlf")
        let result = try VersoCommand.run(["validate", "--json", file])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["invalid"] as? Int, 1)
        let files = try XCTUnwrap(object["files"] as? [[String: Any]])
        let finding = try XCTUnwrap((files.first?["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["line"] as? Int, 14)
        XCTAssertEqual(finding["column"] as? Int, 12)
        XCTAssertEqual(finding["code"] as? String, "xliff2.duplicate-id")
        XCTAssertEqual(files.first?["version"] as? String, "2.0")
    }

    func testHostileAndBrokenFilesAreRejectedWithTheirLocation() throws {
        let folder = TestPaths.fixture("xml")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let file = folder.appendingPathComponent(name).path
            let result = try VersoCommand.run(["validate", file])
            XCTAssertEqual(result.status, 1, name)
            XCTAssertTrue(result.stderr.hasPrefix("\(file):") && result.stderr.contains(": error: "), "\(name): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(name): \(result.stderr)")
        }
    }

    func testMissingFileAndEmptyFolderAreErrors() throws {
        let missing = try VersoCommand.run(["validate", "/nonexistent/file.xlf"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "/nonexistent/file.xlf: error: no such file or directory\n")
        let folder = TestPaths.temporaryFolder("validate-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try VersoCommand.run(["validate", folder.path])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("no XLIFF file"), empty.stderr)
    }

    func testXLIFF12FilesAreRecognisedAndSchemaChecked() throws {
        let file = path("okapi/xliff12/segsource.xlf")
        let result = try VersoCommand.run(["validate", file, "--schemas", schemas.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("valid XLIFF 1.2, schema checked"), result.stdout)
    }

    func testNoArgumentIsAUsageError() throws {
        XCTAssertEqual(try VersoCommand.run(["validate"]).status, 64)
        XCTAssertEqual(try VersoCommand.run(["validate", "x.xlf", "--schemas", "/nonexistent"]).status, 64)
    }

    func testReportOptionWritesTheJSONResult() throws {
        let folder = TestPaths.temporaryFolder("validate-report")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json")
        let result = try VersoCommand.run(["validate", path("xliff21/core/valid/sample1.xlf"), "--report", report.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        XCTAssertEqual(object["valid"] as? Int, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["report.json"])
    }
}
