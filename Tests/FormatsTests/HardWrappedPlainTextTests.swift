import Foundation
import XCTest
import TestSupport
import TranslationModel
@testable import Formats

/// Hard-wrapped prose in a text file: the translator gets whole sentences (wrapped line breaks
/// are spaces in the unit), and merge still gives back the file byte for byte.
final class HardWrappedPlainTextTests: XCTestCase {
    /// Project Gutenberg's Pride and Prejudice (#1342), two paragraphs as the e-text wraps them.
    private let gutenberg = try! String(contentsOf: TestPaths.fixture("text/pride-and-prejudice-wrapped.txt"), encoding: .utf8)

    private func units(_ text: String, _ options: SourceReaderOptions = SourceReaderOptions()) throws -> [String] {
        try RoundTrip.read(Array(text.utf8), format: .plainText, options: options).allUnits.map(\.source.plainText)
    }

    func testWrappedLineBreaksAreSpacesForTheTranslator() throws {
        let texts = try units(gutenberg)
        XCTAssertEqual(texts.count, 2)
        XCTAssertFalse(texts.contains { $0.contains("\n") }, "\(texts)")
        XCTAssertTrue(texts[0].hasPrefix("Mr. Bennet was so odd a mixture of quick parts, sarcastic humour, reserve, and caprice"))
    }

    func testListsKeepTheirLineBreaks() throws {
        XCTAssertEqual(try units("apples\ngreen pears\nplums, cherries\n"), ["apples", "green pears", "plums, cherries"])
        XCTAssertEqual(try units("Shopping:\napples\ngreen pears\n\nDone.\n"), ["Shopping:\napples\ngreen pears", "Done."])
    }

    func testAutoReadsAHardWrappedFileWithoutBlankLinesByParagraphs() throws {
        // Before: two lines and no blank line meant one unit per line, cutting the sentence.
        XCTAssertEqual(try units("Ceci est une phrase\nqui continue ici.\n"), ["Ceci est une phrase qui continue ici."])
        let oneParagraph = gutenberg.components(separatedBy: "\n\n")[0] + "\n"
        XCTAssertEqual(try units(oneParagraph).count, 1)
        // One paragraph per line stays one unit per line.
        XCTAssertEqual(try units("Premier paragraphe.\nDeuxième paragraphe.\nTroisième.\n"), ["Premier paragraphe.", "Deuxième paragraphe.", "Troisième."])
    }

    func testWrappedTextRoundTripsByteForByte() throws {
        RoundTrip.assertIdentity(Array(gutenberg.utf8), format: .plainText, "LF")
        RoundTrip.assertIdentity(Array(gutenberg.replacingOccurrences(of: "\n", with: "\r\n").utf8), format: .plainText, "CRLF")
        // Mixed line endings, trailing spaces, indented lines, control characters, no final newline.
        var mixed = gutenberg.replacingOccurrences(of: "humour,\n", with: "humour,\r\n")
        mixed = mixed.replacingOccurrences(of: "develop.", with: "develop.  ")
        mixed = mixed.replacingOccurrences(of: "\nwas less", with: "\n  was\u{0C} less")
        RoundTrip.assertIdentity(Array(mixed.dropLast().utf8), format: .plainText, "mixed")
    }

    func testTranslatedWrappedParagraphIsWrittenAsOneLine() throws {
        let doc = try RoundTrip.read(Array("Ceci est une phrase\r\nqui continue ici.\r\n\r\nFin.\r\n".utf8), format: .plainText)
        let translated = RoundTrip.translated(doc) { source in
            source.plainText == "Fin." ? Content("End.") : Content("This is a sentence that goes on here.")
        }
        XCTAssertEqual(String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self), "This is a sentence that goes on here.\r\n\r\nEnd.\r\n")
    }

    func testRandomlyWrappedCorpusTextRoundTrips() throws {
        let gzip = try XCTUnwrap(VersoCommand.which("gzip"))
        let corpus = try VersoCommand.runProcess(gzip, ["-dc", TestPaths.sharedFile("data/corpus/en.txt.gz").path])
        let paragraphs = String(decoding: Array(corpus.stdout.utf8.prefix(60_000)), as: UTF8.self).components(separatedBy: "\n\n").dropLast()
        var rng = SeededGenerator(seed: 7)
        let endings = ["\n", "\r\n", "\r", " \n", "\t\r\n"]
        for trial in 0..<30 {
            var text = ""
            for paragraph in paragraphs.shuffled(using: &rng).prefix(6) {
                let width = Int.random(in: 40...90, using: &rng)
                var line = ""
                for word in paragraph.split(separator: " ") {
                    if !line.isEmpty && line.count + 1 + word.count > width {
                        text += line + endings.randomElement(using: &rng)!
                        line = Bool.random(using: &rng) && Int.random(in: 0..<8, using: &rng) == 0 ? "  " : ""
                    }
                    line += (line.isEmpty || line == "  " ? "" : " ") + word
                }
                text += line + ["\n\n", "\r\n\r\n", "\n \n"].randomElement(using: &rng)!
            }
            for mode in PlainTextUnits.allCases {
                RoundTrip.assertIdentity(Array(text.utf8), format: .plainText, options: SourceReaderOptions(textUnits: mode), "trial \(trial) \(mode)")
            }
        }
    }
}
