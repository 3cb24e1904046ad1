import XCTest
import TestSupport
import TranslationModel
@testable import Formats

/// Inputs the HTML fuzzer (Fuzz/Harnesses/FuzzHTML, docs/fuzzing.md) found breaking the
/// prepare → merge round trip; each fixture is the fuzzer's input as found.
final class FuzzRegressionTests: XCTestCase {
    func testAPageDeclaringUTF7IsReadAsUTF8AndComesBackByteForByte() throws {
        // Fuzzing found it: decoded as UTF-7, the page was merged back as `+ADw-HTML…`.
        let bytes = [UInt8](try Data(contentsOf: TestPaths.fixture("html/utf7-declared.html")))
        RoundTrip.assertIdentity(bytes, format: .html, "utf-7 declared")
        let (document, findings) = try SourceDocuments.read(bytes: bytes, displayPath: "utf7.html", format: .html, description: SourceDescription(sourceLanguage: "fr", targetLanguage: "en", original: "utf7.html"))
        XCTAssertTrue(findings.contains { $0.code == "html.charset" && $0.message.contains("utf-7") }, "\(findings)")
        XCTAssertTrue(document.allUnits.contains { $0.segments.first?.source.plainText.contains("Première") ?? false })
    }

    func testOnlyEncodingsThatKeepASCIICanBeDeclared() {
        XCTAssertTrue(TextEncoding("utf-8").isASCIICompatible)
        XCTAssertTrue(TextEncoding("windows-1252").isASCIICompatible)
        XCTAssertTrue(TextEncoding("iso-8859-15").isASCIICompatible)
        XCTAssertFalse(TextEncoding("utf-7").isASCIICompatible)
        XCTAssertFalse(TextEncoding("utf-16le").isASCIICompatible)
        XCTAssertFalse(TextEncoding("EBCDIC-US").isASCIICompatible)
    }

    func testAZeroWidthNoBreakSpaceAfterANulByteComesBack() throws {
        // The original text "\0\u{FEFF}b" went into the skeleton's JSON with a literal U+FEFF,
        // which Foundation's JSON parser dropped after the \u0000 escape.
        let bytes = [UInt8](try Data(contentsOf: TestPaths.fixture("html/nul-then-zwnbsp.html")))
        RoundTrip.assertIdentity(bytes, format: .html, "NUL then U+FEFF")
        RoundTrip.assertIdentity(Array("<p>a\u{0}\u{FEFF}b</p>".utf8), format: .html, "minimal")
        XCTAssertEqual(SkeletonFormat.quote("\u{FEFF}x"), "\"\\ufeffx\"")
    }

    func testAnAttributeUnitGoesIntoItsStartTagNotIntoTheEndTagSharingItsCodeID() throws {
        // Fuzzing found it: the translation of a start tag's attribute (a nested unit placed by
        // code id and offsets) was also written into the end tag, whose closing code has the
        // same id, over the end tag's own text once that was long enough (`</B<ht<!DOCTYPE…`).
        let bytes = [UInt8](try Data(contentsOf: TestPaths.fixture("html/closing-tag-after-attribute-unit.html")))
        RoundTrip.assertIdentity(bytes, format: .html, "fuzzer's page")
        // The same with valid HTML: spaces before an end tag's `>`.
        let page = "<p>Un texte <b title=\"Un titre\">en gras</b                    > et la suite.</p>"
        RoundTrip.assertIdentity(Array(page.utf8), format: .html, "spaces in an end tag")
        let document = try RoundTrip.read(Array(page.utf8), format: .html)
        let translated = RoundTrip.translated(document) { source in
            source.plainText == "Un titre" ? Content("A title") : source
        }
        let merged = String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self)
        XCTAssertEqual(merged, "<p>Un texte <b title=\"A title\">en gras</b                    > et la suite.</p>")
    }

    func testAnHTMLFileCutInsideACharacterIsAnErrorNotASilentLoss() throws {
        // The last byte (0xEF, the first of three) was dropped: prepare succeeded, merge gave
        // back one byte less. It now fails like a text file does, naming the offset.
        let bytes = [UInt8](try Data(contentsOf: TestPaths.fixture("html/truncated-character.html")))
        XCTAssertThrowsError(try RoundTrip.read(bytes, format: .html)) { error in
            XCTAssertTrue(String(describing: error).contains("at byte offset \(bytes.count - 1)"), "\(error)")
        }
        XCTAssertThrowsError(try RoundTrip.read(Array("<p>caf".utf8) + [0xC3], format: .html))
        RoundTrip.assertIdentity(Array("<p>café</p>".utf8), format: .html, "complete")
    }
}
