import Foundation
import TestSupport
import XCTest

/// Every language option of every command (`--source`/`--target`/`--from`/`--to`/`--lang`) is
/// checked for BCP 47 well-formedness before anything is read or written: a malformed value is a
/// usage error (exit 64) naming the option and the value.
final class LanguageOptionTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("language-options")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private var french: String { TestPaths.sample("seed-article.fr.txt").path }
    private var english: String { TestPaths.sample("seed-article.en.txt").path }
    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Exit 64, the option and the value named, and nothing written in the test folder.
    private func assertUsageError(_ arguments: [String], option: String, value: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try VersoCommand.run(arguments)
        XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("'\(value)'"), "value not named: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(option), "option \(option) not named: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("BCP 47"), result.stderr, file: file, line: line)
        let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        XCTAssertEqual(written, [], "nothing may be written: \(written)", file: file, line: line)
    }

    func testPrepareRejectsAMalformedSourceOrTarget() throws {
        try assertUsageError(["prepare", french, "--source", "xx-!!", "--target", "en", "-o", path("o")], option: "--source", value: "xx-!!")
        try assertUsageError(["prepare", french, "--source", "fr", "--target", "en_", "-o", path("o")], option: "--target", value: "en_")
        try assertUsageError(["prepare", french, "--from", "fr", "--to", "fr_FR", "-o", path("o")], option: "--to", value: "fr_FR")
    }

    func testConvertRejectsAMalformedLanguage() throws {
        try assertUsageError(["convert", french, "--source", "xx-!!", "--target", "en", "-o", path("t.xlf")], option: "--source", value: "xx-!!")
        try assertUsageError(["convert", french, "--from", "fr", "--target", "en GB", "-o", path("t.xlf")], option: "--target", value: "en GB")
    }

    func testConvertToThatIsNeitherAVersionNorATagListsTheVersions() throws {
        for value in ["xlf2.1", "xliff3", "2.5", "xliff", "!!"] {
            let result = try VersoCommand.run(["convert", french, "--source", "fr", "--to", value, "-o", path("t.xlf")])
            XCTAssertEqual(result.status, 64, "\(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("'\(value)'") && result.stderr.contains("--to"), result.stderr)
            XCTAssertTrue(result.stderr.contains("xliff1.2, xliff2.0, xliff2.1 or xliff2.2"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("t.xlf")), value)
        }
    }

    func testConvertToAcceptsAVersionOrAWellFormedTargetLanguage() throws {
        let asVersion = try VersoCommand.run(["convert", french, "--source", "fr", "--target", "en", "--to", "XLIFF-2.1", "--no-terms", "-o", path("v.xlf")])
        XCTAssertEqual(asVersion.status, 0, asVersion.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("v.xlf"), encoding: .utf8).contains("version=\"2.1\""))
        let asLanguage = try VersoCommand.run(["convert", french, "--source", "fr", "--to", "en-GB", "--no-terms", "-o", path("l.xlf")])
        XCTAssertEqual(asLanguage.status, 0, asLanguage.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("l.xlf"), encoding: .utf8).contains("target-language=\"en-GB\""))
    }

    func testAlignRejectsAMalformedLanguageBeforeWritingTMX() throws {
        try assertUsageError(["align", french, english, "--source", "fr", "--target", "xx-!!", "-o", path("a.tmx")], option: "--target", value: "xx-!!")
    }

    func testSegmentTermsAndLookupCheckTheirLanguageOptions() throws {
        try assertUsageError(["segment", french, "--lang", "fr-"], option: "--lang", value: "fr-")
        try assertUsageError(["segment", french, "--from", "123"], option: "--lang", value: "123")
        try assertUsageError(["terms", french, "--source", "f", "--target", "en"], option: "--source", value: "f")
        try assertUsageError(["lookup", "OTAN", "--from", "fr", "--to", "english!"], option: "--to", value: "english!")
    }

    func testSegmentWithItsOwnSRXTakesTheCodesThatFileMaps() throws {
        // LanguageTool's SRX selects rules with codes such as en_two, matched by regular expressions.
        let srx = TestPaths.sharedFile("data/segmentation/srx/languagetool-segment.srx").path
        let result = try VersoCommand.run(["segment", "--lang", "en_two", "--srx", srx], stdin: "Mr. Smith came. He sat.")
        XCTAssertEqual(result.status, 0, result.stderr)
        let builtIn = try VersoCommand.run(["segment", "--lang", "en_two"], stdin: "Mr. Smith came. He sat.")
        XCTAssertEqual(builtIn.status, 64, builtIn.stderr)
        XCTAssertTrue(builtIn.stderr.contains("'en_two'") && builtIn.stderr.contains("--lang") && builtIn.stderr.contains("en-two"), builtIn.stderr)
    }

    func testWellFormedTagsInAnyCaseAreAccepted() throws {
        let result = try VersoCommand.run(["segment", french, "--lang", "FR-ca"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let prepared = try VersoCommand.run(["prepare", french, "--source", "fr-Latn-FR", "--target", "sgn-BE-FR", "--no-terms", "-o", path("ok")])
        XCTAssertEqual(prepared.status, 0, prepared.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("ok/seed-article.fr.txt.xlf"), encoding: .utf8).contains("target-language=\"sgn-BE-FR\""))
    }

    func testAlignChecksALanguageTheDocumentDeclares() throws {
        let html = try String(contentsOf: TestPaths.fixture("align/seed-article.fr.html"), encoding: .utf8)
        let bad = path("article.fr.html")
        try html.replacingOccurrences(of: "<html lang=\"fr\">", with: "<html lang=\"fr_FR\">").write(toFile: bad, atomically: true, encoding: .utf8)
        let english = TestPaths.fixture("align/seed-article.en.html").path
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let result = try VersoCommand.run(["align", bad, english, "-o", out.appendingPathComponent("a.tmx").path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(bad): error: the document declares its language as 'fr_FR', which is not a well-formed BCP 47 tag"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--source"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [])
        let named = try VersoCommand.run(["align", bad, english, "--source", "fr", "--no-terms", "-o", out.appendingPathComponent("a.tmx").path])
        XCTAssertEqual(named.status, 0, named.stderr)
    }
}
