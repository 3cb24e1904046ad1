import Foundation
import Segmentation
import TestSupport
import XCTest

/// Hard-wrapped text (Project Gutenberg e-texts, mail, RFCs) gives the sentences the same text
/// unwrapped gives: a wrapped line break is not a sentence boundary. Lists and lines a person
/// broke keep their breaks.
final class HardWrappedTextTests: XCTestCase {
    /// Greedy wrapping at `width` columns, as Project Gutenberg's e-texts and `fmt -w` do.
    static func wrap(_ paragraph: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in paragraph.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// Paragraphs of a corpus (one paragraph per line, blank lines between), the first `limit` bytes.
    static func corpusParagraphs(_ name: String, limit: Int) throws -> [String] {
        let gzip = try XCTUnwrap(VersoCommand.which("gzip"))
        let result = try VersoCommand.runProcess(gzip, ["-dc", TestPaths.sharedFile("data/corpus/\(name)").path])
        let text = String(decoding: Array(result.stdout.utf8.prefix(limit)), as: UTF8.self)
        var paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        paragraphs.removeLast() // cut in the middle
        return paragraphs
    }

    private func normalized(_ text: String, _ ranges: [Range<Int>]) -> [String] {
        let units = Array(text.utf16)
        return ranges.map { String(decoding: units[$0], as: UTF16.self).split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    private func assertWrappingChangesNothing(corpus: String, language: String, width: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let segmenter = try Segmenter(language: language)
        let paragraphs = try Self.corpusParagraphs(corpus, limit: 400_000)
        var wrappedParagraphs = 0, same = 0
        var differences: [String] = []
        for paragraph in paragraphs {
            let wrapped = Self.wrap(paragraph, width: width)
            guard wrapped.contains("\n") else { continue }
            wrappedParagraphs += 1
            let expected = normalized(paragraph, segmenter.sentencesByParagraph(in: paragraph).flatMap { $0 })
            let got = normalized(wrapped, segmenter.sentencesByParagraph(in: wrapped).flatMap { $0 })
            if got == expected { same += 1 } else if differences.count < 5 { differences.append("\(wrapped.debugDescription)\n  got \(got)\n  expected \(expected)") }
        }
        print("\(corpus) wrapped at \(width): \(same)/\(wrappedParagraphs) paragraphs give the same sentences")
        XCTAssertGreaterThan(wrappedParagraphs, 300, file: file, line: line)
        XCTAssertGreaterThanOrEqual(Double(same) / Double(wrappedParagraphs), 0.99, differences.joined(separator: "\n"), file: file, line: line)
    }

    func testEnglishBooksWrappedLikeGutenbergTextsGiveTheSameSentences() throws {
        try assertWrappingChangesNothing(corpus: "en.txt.gz", language: "en", width: 70)
    }

    func testFrenchBooksWrappedAt72ColumnsGiveTheSameSentences() throws {
        try assertWrappingChangesNothing(corpus: "fr.txt.gz", language: "fr", width: 72)
    }

    func testASentenceGoingOnOnTheNextLineIsOneSentence() throws {
        let fr = try Segmenter(language: "fr")
        XCTAssertEqual(fr.sentencesByParagraph(in: "Ceci est une phrase\nqui continue ici.").flatMap { $0 }.count, 1)
    }

    func testListsAndHeadingsKeepTheirLineBreaks() throws {
        let en = try Segmenter(language: "en")
        let text = "apples\ngreen pears\nplums, cherries\n\nShopping list\nBread and butter\nMilk"
        XCTAssertEqual(en.sentencesByParagraph(in: text).flatMap { $0 }.count, 6)
        let bullets = "The meeting agreed on the following three points after a long debate:\n- the budget for the coming year is approved as the treasurer presented it;\n- the annual meeting will take place in the town hall on the first of June."
        XCTAssertEqual(en.sentencesByParagraph(in: bullets).flatMap { $0 }.count, 3)
    }
}
