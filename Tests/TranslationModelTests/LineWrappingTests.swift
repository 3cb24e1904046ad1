import TestSupport
@testable import TranslationModel
import XCTest

/// Which line breaks of a paragraph are soft (wrapped prose) and which are the writer's own.
final class LineWrappingTests: XCTestCase {
    private func soft(_ text: String) -> [String] {
        let units = Array(text.utf16)
        return LineWrapping.softLineBreaks(in: text).map { String(decoding: units[$0], as: UTF16.self) }
    }

    /// A paragraph of Project Gutenberg's Pride and Prejudice (#1342), wrapped as the e-text is;
    /// one line ends in CR LF.
    private let gutenberg = try! String(contentsOf: TestPaths.fixture("text/pride-and-prejudice-wrapped.txt"), encoding: .utf8)
        .components(separatedBy: "\n\n")[0]
        .replacingOccurrences(of: "Her mind\n", with: "Her mind\r\n")

    func testProseWrappedAtAWidthHasSoftBreaks() {
        XCTAssertEqual(soft(gutenberg), ["\n", "\n", "\r\n", "\n", "\n", "\n"])
    }

    func testBulletedAndNumberedListsKeepTheirBreaks() {
        XCTAssertEqual(soft("""
            The committee decided the following points at its meeting of last week:
            - the budget for the coming year is approved as presented by the treasurer;
            - the annual meeting will take place in the town hall on the first of June;
            - the secretary will write to every member before the end of this month.
            """), [])
        XCTAssertEqual(soft("1. Preheat the oven to two hundred degrees and grease the tin well.\n2. Mix the flour, the sugar and the butter until the dough is smooth.\n3. Bake for forty minutes, then leave the cake to cool on a rack."), [])
    }

    func testShortLinesOfAListKeepTheirBreaks() {
        XCTAssertEqual(soft("apples\ngreen pears\nplums, cherries\n"), [])
        XCTAssertEqual(soft("Name: Jane Smith\nAddress: 12 High Street\nTown: Bristol"), [])
    }

    func testASentenceGoingOnInLowerCaseOnTheNextLineIsOneSentence() {
        XCTAssertEqual(soft("Ceci est une phrase\nqui continue ici."), ["\n"])
        XCTAssertEqual(soft("Der Vertrag wurde gestern\nvon beiden Seiten unterschrieben."), ["\n"])
        // Not when the paragraph does not end like a sentence, nor after punctuation.
        XCTAssertEqual(soft("Ceci est une phrase\nqui continue ici"), [])
        XCTAssertEqual(soft("Ceci est une phrase :\nelle continue ici."), [])
    }

    func testAShortLineInsideWrappedProseIsAHardBreak() {
        let text = """
            The first paragraph is wrapped at a width of sixty-eight columns, as
            editors do, and it ends here with a short line.
              The second one starts indented on the next line, without a blank
            line between them, as in many old printed books and their e-texts.
            """
        XCTAssertEqual(soft(text).count, 2)
        let units = Array(text.utf16)
        let breaks = LineWrapping.softLineBreaks(in: text).map { $0.lowerBound }
        let lineEnds = units.indices.filter { units[$0] == 0x0A }
        XCTAssertEqual(breaks, [lineEnds[0], lineEnds[2]])
    }

    func testCJKLinesAreNeverJoinedWithASpace() {
        let line = String(repeating: "これは山です、", count: 7)
        XCTAssertEqual(soft("\(line)\n\(line)\n\(line)。"), [])
    }

    func testOneLineHasNoBreakToSoften() {
        XCTAssertEqual(soft("Just one line of text that is long enough to look like prose."), [])
    }

    /// The ASCII shortcut for White_Space answers as Unicode's property does, for every code
    /// point below U+0100 (ASCII takes the shortcut, the rest the property).
    func testTheWhitespaceShortcutAgreesWithUnicode() {
        for v in 0..<0x100 {
            let s = Unicode.Scalar(UInt8(v))
            XCTAssertEqual(LineWrapping.LineInfo.isWhitespace(s), s.properties.isWhitespace, "U+\(String(v, radix: 16))")
        }
    }
}
