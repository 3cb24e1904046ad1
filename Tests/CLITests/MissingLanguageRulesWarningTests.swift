import Foundation
import TestSupport
import XCTest

/// A well-formed language tag the segmentation rules know nothing about (`german`, `xx`) is
/// segmented with the default rules, and every command that segments says so, once per run.
final class MissingLanguageRulesWarningTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("language-rules")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testSegmentWarnsForAnUnknownLanguage() throws {
        let text = try file("de.txt", "Er kam am 3. Oktober an.\n")
        for language in ["german", "xx"] {
            let result = try VersoCommand.run(["segment", "--lang", language, text, text])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(count("warning: no rules for '\(language)' in verso.srx; using the default rules", in: result.stderr), 1, result.stderr)
        }
    }

    func testSegmentDoesNotWarnWhenThePrimarySubtagHasRules() throws {
        let text = try file("de.txt", "Er kam am 3. Oktober an.\n")
        let result = try VersoCommand.run(["segment", "--lang", "de-CH", text])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Er kam am 3. Oktober an.\n")
        XCTAssertFalse(result.stderr.contains("warning"), result.stderr)
    }

    func testSegmentNamesTheUsersSRXFile() throws {
        let okapi = TestPaths.sharedFile("standards/conformance/okapi/srx/defaultSegmentation.srx").path
        let text = try file("t.txt", "One. Two.\n")
        let result = try VersoCommand.run(["segment", "--lang", "xx", "--srx", okapi, text])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: no rules for 'xx' in defaultSegmentation.srx; using the default rules"), result.stderr)
    }

    func testPrepareWarnsOncePerRun() throws {
        let a = try file("a.txt", "Er kam am 3. Oktober an.\n")
        let b = try file("b.txt", "Sie ging.\n")
        let out = folder.appendingPathComponent("out").path
        let result = try VersoCommand.run(["prepare", a, b, "--source", "xx", "--target", "en", "-o", out, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(count("warning: no rules for 'xx' in verso.srx; using the default rules", in: result.stderr), 1, result.stderr)
        let quietDE = try VersoCommand.run(["prepare", a, "--source", "de-AT", "--target", "en", "-o", out, "--quiet"])
        XCTAssertFalse(quietDE.stderr.contains("no rules"), quietDE.stderr)
    }

    func testAlignWarnsOncePerRun() throws {
        let a = try file("a.txt", "Er kam. Sie ging.\n")
        let b = try file("b.txt", "He came. She went.\n")
        let result = try VersoCommand.run(["align", a, b, "--source", "xx", "--target", "xx", "-o", folder.appendingPathComponent("o.tsv").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(count("warning: no rules for 'xx' in verso.srx; using the default rules", in: result.stderr), 1, result.stderr)
        let known = try VersoCommand.run(["align", a, b, "--source", "de", "--target", "en", "-o", folder.appendingPathComponent("o2.tsv").path])
        XCTAssertFalse(known.stderr.contains("no rules"), known.stderr)
    }
}
