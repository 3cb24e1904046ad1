import Foundation
import TestSupport
import XCTest

/// `verso convert FILE --to VERSION -o OUT` on real files, as a user runs it.
final class ConvertCommandTests: XCTestCase {
    private let okapi = TestPaths.sharedFile("standards/conformance/okapi/xliff12")

    private func xmllint(_ file: URL, schema: String) throws -> CommandResult? {
        guard let xmllint = VersoCommand.which("xmllint") else { return nil }
        let standards = TestPaths.sharedFile("standards")
        return try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path, file.path],
                                           environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    func testConvertsXLIFF12ToXLIFF21ValidAgainstTheSchemas() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("segmented.xlf")
        let result = try VersoCommand.run(["convert", okapi.appendingPathComponent("segmented.xlf").path, "--to", "xliff2.1", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(text.contains("version=\"2.1\""), text)
        XCTAssertTrue(text.contains("<segment id=\"1\""), text)
        if let lint = try xmllint(out, schema: "xliff21-all-modules.xsd") {
            XCTAssertEqual(lint.status, 0, lint.stderr)
        }
    }

    func testWarnsWithTheInputLocationForWhatXLIFF2CannotHold() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = okapi.appendingPathComponent("Test_Context_and_PH.xlf")
        let out = folder.appendingPathComponent("out.xlf")
        let result = try VersoCommand.run(["convert", input.path, "--to", "xliff2.0", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The <bin-unit> starts on line 48 of the input.
        XCTAssertTrue(result.stderr.contains("\(input.path):48: warning: XLIFF 1.2 <bin-unit> has no XLIFF 2 equivalent"), result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: notes on XLIFF 1.2 <alt-trans>"), result.stderr)
        let strict = try VersoCommand.run(["convert", input.path, "--to", "xliff2.0", "-o", out.path, "--strict"])
        XCTAssertEqual(strict.status, 1, "--strict turns warnings into a failure")
    }

    func testXLIFF12OutputLeavesOutOtherToolsMarkupUnlessKeepExtensions() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = okapi.appendingPathComponent("MQ-12-Test01.xlf")
        let strictOut = folder.appendingPathComponent("strict.xlf")
        let keptOut = folder.appendingPathComponent("kept.xlf")
        let strict = try VersoCommand.run(["convert", input.path, "--to", "xliff1.2", "-o", strictOut.path])
        XCTAssertEqual(strict.status, 0, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("namespace 'MQXliff' (mq:) left out"), strict.stderr)
        XCTAssertFalse(try String(contentsOf: strictOut, encoding: .utf8).contains("MQXliff"))
        let kept = try VersoCommand.run(["convert", input.path, "--to", "xliff1.2", "-o", keptOut.path, "--keep-extensions"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertFalse(kept.stderr.contains("left out"), kept.stderr)
        XCTAssertTrue(try String(contentsOf: keptOut, encoding: .utf8).contains("mq:segmentguid=\"f9ac52c6-f7cf-458b-b5ff-25e4e5771053\""))
        if let lint = try xmllint(strictOut, schema: "xliff12/xliff-core-1.2-strict.xsd") { XCTAssertEqual(lint.status, 0, lint.stderr) }
        if let lint = try xmllint(keptOut, schema: "xliff12/xliff-core-1.2-transitional.xsd") { XCTAssertEqual(lint.status, 0, lint.stderr) }
    }

    func testMalformedInputFailsWithPathLineColumnAndWritesNothing() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = okapi.appendingPathComponent("invalid_xml_entity.xlf")
        let out = folder.appendingPathComponent("out.xlf")
        let result = try VersoCommand.run(["convert", input.path, "--to", "xliff2.1", "-o", out.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("\(input.path):8:29: error: "), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    func testRefusesToOverwriteItsInput() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.xlf")
        try FileManager.default.copyItem(at: okapi.appendingPathComponent("segsource.xlf"), to: input)
        let before = try Data(contentsOf: input)
        let result = try VersoCommand.run(["convert", input.path, "--to", "xliff1.2", "-o", input.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("refusing to overwrite the input file"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: input), before)
    }

    func testMissingFileAndUnknownFormat() throws {
        let missing = try VersoCommand.run(["convert", "/no/such/file.xlf", "--to", "xliff2.1", "-o", "/tmp/x.xlf"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("/no/such/file.xlf: error: "), missing.stderr)
        let usage = try VersoCommand.run(["convert", okapi.appendingPathComponent("segsource.xlf").path, "--to", "xliff3", "-o", "/tmp/x.xlf"])
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("xliff1.2, xliff2.0, xliff2.1 or xliff2.2"), usage.stderr)
    }

    func testConvertsXLIFF2BackToXLIFF12() throws {
        let folder = TestPaths.temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = TestPaths.sharedFile("standards/conformance/xliff21/core/valid/withMatches.xlf")
        guard FileManager.default.fileExists(atPath: input.path) else { throw XCTSkip("no mtc sample") }
        let out = folder.appendingPathComponent("back.xlf")
        let result = try VersoCommand.run(["convert", input.path, "--to", "xliff1.2", "-o", out.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["from"] as? String, "2.0")
        XCTAssertEqual(json?["to"] as? String, "1.2")
        let text = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(text.contains("<alt-trans"), text)
        if let lint = try xmllint(out, schema: "xliff12/xliff-core-1.2-strict.xsd") { XCTAssertEqual(lint.status, 0, lint.stderr) }
    }
}
