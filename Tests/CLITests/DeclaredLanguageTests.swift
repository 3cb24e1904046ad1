import Foundation
import TestSupport
import XCTest

/// A language the document declares itself (HTML `lang`, XLIFF `source-language`/`srcLang`) goes
/// into the XLIFF written by `prepare` and `convert`: a malformed one is an error for that input
/// (exit 1, nothing written for it, the other inputs processed) unless `--source` names the
/// language, which then wins.
final class DeclaredLanguageTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("declared-language")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes an HTML page declaring `lang` on line 2 of its `<html>` tag.
    private func page(_ name: String, lang: String) throws -> String {
        let file = path(name)
        try "<!DOCTYPE html>\n<html lang=\"\(lang)\">\n<head><title>Essai</title></head>\n<body><p>Bonjour le monde. Il fait beau.</p></body>\n</html>\n".write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Writes an XLIFF 1.2 document whose `<file>` declares `sourceLanguage` on line 3.
    private func xliff(_ name: String, sourceLanguage: String) throws -> String {
        let file = path(name)
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
          <file original="a.txt" source-language="\(sourceLanguage)" target-language="en" datatype="plaintext">
            <body><trans-unit id="1"><source>Bonjour le monde.</source></trans-unit></body>
          </file>
        </xliff>

        """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    private func files(in name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(name))) ?? []).sorted()
    }

    private func assertValid(_ xliff: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let validated = try VersoCommand.run(["validate", xliff])
        XCTAssertEqual(validated.status, 0, validated.stdout + validated.stderr, file: file, line: line)
    }

    func testPrepareRefusesAMalformedHTMLLangNamingFileLineAndSource() throws {
        let bad = try page("bad.html", lang: "fr_FR")
        let result = try VersoCommand.run(["prepare", bad, "--target", "en", "-o", path("out")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(bad):2: error: the document declares its language as 'fr_FR'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("not a well-formed BCP 47 tag"), result.stderr)
        XCTAssertTrue(result.stderr.contains("fr-FR"), "the hint is missing: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("--source"), result.stderr)
        XCTAssertEqual(files(in: "out").filter { !$0.hasPrefix(".") }, [])
    }

    func testPrepareRefusesAnHTMLLangWithInvalidCharacters() throws {
        let bad = try page("bad.html", lang: "xx-!!")
        let result = try VersoCommand.run(["prepare", bad, "--target", "en", "-o", path("out")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("'xx-!!'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/bad.html.xlf")))
    }

    func testPrepareWithSourceUsesTheOptionAndTheOutputValidates() throws {
        let bad = try page("bad.html", lang: "fr_FR")
        let result = try VersoCommand.run(["prepare", bad, "--source", "fr", "--target", "en", "-o", path("out")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = path("out/bad.html.xlf")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(text.contains("source-language=\"fr\""), text)
        XCTAssertFalse(text.contains("fr_FR\""), text)
        try assertValid(output)
    }

    func testPrepareStillPreparesTheGoodInputBesideABadOne() throws {
        let bad = try page("bad.html", lang: "fr_FR")
        let good = try page("good.html", lang: "fr-FR")
        let result = try VersoCommand.run(["prepare", bad, good, "--target", "en", "-o", path("out")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(bad):2: error:"), result.stderr)
        XCTAssertEqual(files(in: "out"), ["good.html.xlf"])
        let text = try String(contentsOfFile: path("out/good.html.xlf"), encoding: .utf8)
        XCTAssertTrue(text.contains("source-language=\"fr-FR\""), text)
        try assertValid(path("out/good.html.xlf"))
    }

    func testPrepareRefusesAMalformedXLIFFSourceLanguageUnlessSourceIsGiven() throws {
        let bad = try xliff("bad.xlf", sourceLanguage: "xx-!!")
        let refused = try VersoCommand.run(["prepare", bad, "--target", "en", "-o", path("out")])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(bad):3: error: the document declares its language as 'xx-!!' (source-language)"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/bad.xlf")))

        let named = try VersoCommand.run(["prepare", bad, "--source", "fr", "--target", "en", "-o", path("named")])
        XCTAssertEqual(named.status, 0, named.stderr)
        let text = try String(contentsOfFile: path("named/bad.xlf"), encoding: .utf8)
        XCTAssertTrue(text.contains("source-language=\"fr\""), text)
        try assertValid(path("named/bad.xlf"))
    }

    func testConvertRefusesAMalformedHTMLLangAndConvertsTheOtherInputs() throws {
        let bad = try page("bad.html", lang: "fr_FR")
        let good = try page("good.html", lang: "fr")
        let result = try VersoCommand.run(["convert", bad, good, "--to", "en", "-o", path("out")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(bad):2: error: the document declares its language as 'fr_FR'"), result.stderr)
        XCTAssertEqual(files(in: "out"), ["good.html.xlf"])
        try assertValid(path("out/good.html.xlf"))

        let named = try VersoCommand.run(["convert", bad, "--source", "fr", "--to", "en", "-o", path("named")])
        XCTAssertEqual(named.status, 0, named.stderr)
        try assertValid(path("named"))
    }

    func testConvertToAnotherXLIFFVersionRefusesAMalformedSourceLanguageUnlessSourceIsGiven() throws {
        let bad = try xliff("bad.xlf", sourceLanguage: "xx-!!")
        let refused = try VersoCommand.run(["convert", bad, "--to", "xliff2.0", "-o", path("out.xlf")])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(bad):3: error: the document declares its language as 'xx-!!'"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.xlf")))

        let named = try VersoCommand.run(["convert", bad, "--to", "xliff2.0", "--source", "fr", "-o", path("named.xlf")])
        XCTAssertEqual(named.status, 0, named.stderr)
        let text = try String(contentsOfFile: path("named.xlf"), encoding: .utf8)
        XCTAssertTrue(text.contains("srcLang=\"fr\""), text)
        try assertValid(path("named.xlf"))
    }
}
