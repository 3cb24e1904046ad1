import Foundation
import XCTest
import TestSupport
import TranslationModel
import Diagnostics
@testable import Formats

final class PlainTextReaderTests: XCTestCase {
    private func units(_ text: String, _ options: SourceReaderOptions = SourceReaderOptions()) throws -> [String] {
        try RoundTrip.read(Array(text.utf8), format: .plainText, options: options).allUnits.map(\.source.plainText)
    }

    func testSeedArticleParagraphsAreUnits() throws {
        let bytes = try InputFile.readBytesForTest(TestPaths.sample("seed-article.fr.txt"))
        let doc = try RoundTrip.read(bytes, format: .plainText)
        let texts = doc.allUnits.map(\.source.plainText)
        XCTAssertEqual(texts.count, 4)
        XCTAssertTrue(texts[0].hasPrefix("date 2022-09 Plusieurs jours"), "the leading space is skeleton")
        XCTAssertEqual(texts[1], "« Ils reviendront »")
        XCTAssertTrue(texts.allSatisfy { !$0.contains("\n\n") })
    }

    func testBlankLinesSeparateParagraphsAndLineBreaksStayInside() throws {
        XCTAssertEqual(try units("Un\ndeux\n\n  \nTrois.\n"), ["Un\ndeux", "Trois."])
    }

    func testFileWithOneParagraphPerLineGivesOneUnitPerLine() throws {
        XCTAssertEqual(try units("Premier paragraphe.\nDeuxième paragraphe.\nTroisième.\n"), ["Premier paragraphe.", "Deuxième paragraphe.", "Troisième."])
        XCTAssertEqual(try units("Un\ndeux\n", SourceReaderOptions(textUnits: .paragraphs)), ["Un\ndeux"])
        XCTAssertEqual(try units("Un\n\ndeux\ntrois\n", SourceReaderOptions(textUnits: .lines)), ["Un", "deux", "trois"])
    }

    func testSpacesAroundParagraphsAreSkeleton() throws {
        XCTAssertEqual(try units("   Texte indenté.   \n"), ["Texte indenté."])
    }

    func testCRLFBecomesLineFeedInsideUnits() throws {
        XCTAssertEqual(try units("Un\r\ndeux\r\n\r\nTrois"), ["Un\ndeux", "Trois"])
    }

    func testABadByteInAnotherEncodingIsLocatedOnItsLine() {
        // 0x81 has no character in windows-1252; "naïve " before it is six characters.
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9, 0x0A, 0x0A, 0x6E, 0x61, 0xEF] + Array("ve ".utf8) + [0x81, 0x0A]
        XCTAssertThrowsError(try RoundTrip.read(bytes, format: .plainText, options: SourceReaderOptions(encoding: TextEncoding("windows-1252")), name: "w.txt")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("w.txt:3:7: error: invalid WINDOWS-1252 byte sequence at byte offset 12"), text)
        }
    }

    func testInvalidUTF8IsAnErrorNamingTheLineColumnAndByteOffset() {
        let bytes: [UInt8] = Array("Bonjour ".utf8) + [0xC3, 0x28] + Array(" monde".utf8)
        XCTAssertThrowsError(try RoundTrip.read(bytes, format: .plainText, name: "bad.txt")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("bad.txt:1:9: error:"), text)
            XCTAssertTrue(text.contains("byte offset 8"), text)
        }
    }

    func testTruncatedUTF8AtEndIsAnError() {
        let bytes: [UInt8] = Array("Fin ".utf8) + [0xE2, 0x82]
        XCTAssertThrowsError(try RoundTrip.read(bytes, format: .plainText, name: "cut.txt")) { error in
            XCTAssertTrue(String(describing: error).contains("byte offset 4"), String(describing: error))
        }
    }

    func testUTF16WithByteOrderMarkIsDecoded() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in "Été\n\nHiver".utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        XCTAssertEqual(try RoundTrip.read(bytes, format: .plainText).allUnits.map(\.source.plainText), ["Été", "Hiver"])
        RoundTrip.assertIdentity(bytes, format: .plainText, "UTF-16LE")
    }

    func testEncodingOptionDecodesLatin1() throws {
        let bytes: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x0A]
        let doc = try RoundTrip.read(bytes, format: .plainText, options: SourceReaderOptions(encoding: TextEncoding("latin1")))
        XCTAssertEqual(doc.allUnits.map(\.source.plainText), ["Café"])
        RoundTrip.assertIdentity(bytes, format: .plainText, options: SourceReaderOptions(encoding: TextEncoding("ISO-8859-1")), "latin1")
    }

    func testControlCharactersAreKeptOutOfUnits() throws {
        let text = "Page\u{0C}un\n\n\u{0C}\nPage deux\u{01}."
        XCTAssertEqual(try units(text), ["Pageun", "Page deux."])
        RoundTrip.assertIdentity(Array(text.utf8), format: .plainText, "controls")
    }

    func testRoundTripKeepsBytesExactly() throws {
        let cases = [
            "", "\n", "\n\n\n", "Un", "Un\n", " Un \n\n", "Un\r\nDeux\r\n\r\nTrois\r\n", "A\rB\r\rC",
            "\u{FEFF}Avec BOM\n\nFin", "Mixte\r\nLF\nCR\rfin", "\t\tTab\t\n \n  \n", "Émoji 👍🏽 ok\n\nFin sans retour",
            "Ligne 1\nLigne 2\n\n\n\nLigne 3 ", "a\u{FFFE}b\n",
        ]
        for c in cases {
            RoundTrip.assertIdentity(Array(c.utf8), format: .plainText, c.debugDescription)
        }
    }

    func testLineEndingsAtTheEdgeOfAReadChunkRoundTrip() throws {
        // Input is read 64 KiB at a time: a CR as the last byte of a chunk waits for a possible
        // LF in the next; lines are found eight bytes at a time, across chunk ends too.
        let chunk = ChunkedInput.chunkSize
        for ending in ["\r\n", "\r", "\n", "\r\r", "\n\n", "\r\n\r\n"] {
            for before in (chunk - 9)...(chunk + 1) {
                let head = String(repeating: "é", count: before / 2) + (before % 2 == 1 ? "x" : "")
                let text = head + ending + "Deuxième ligne" + ending + "fin"
                RoundTrip.assertIdentity(Array(text.utf8), format: .plainText, "\(ending.debugDescription) after \(before) bytes")
                XCTAssertEqual(try units(text, SourceReaderOptions(textUnits: .lines)), [head, "Deuxième ligne", "fin"], "\(ending.debugDescription) after \(before) bytes")
            }
        }
    }

    func testSeedArticleRoundTrips() throws {
        for name in ["seed-article.fr.txt", "seed-article.en.txt"] {
            RoundTrip.assertIdentity(try InputFile.readBytesForTest(TestPaths.sample(name)), format: .plainText, name)
        }
    }

    func testTranslatedParagraphUsesTheFileLineEnding() throws {
        let doc = try RoundTrip.read(Array("Un\r\ndeux\r\n\r\nTrois\r\n".utf8), format: .plainText)
        let translated = RoundTrip.translated(doc) { source in
            source.plainText == "Un\ndeux" ? Content("One\ntwo") : Content("Three")
        }
        XCTAssertEqual(String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self), "One\r\ntwo\r\n\r\nThree\r\n")
    }

    func testMissingTargetUsesSourceAndWarns() throws {
        let doc = try RoundTrip.read(Array("Un.\n\nDeux.\n".utf8), format: .plainText)
        let partial = RoundTrip.translated(doc) { $0.plainText == "Un." ? Content("One.") : nil }
        let (bytes, findings) = try RoundTrip.merge(partial)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "One.\n\nDeux.\n")
        XCTAssertEqual(findings.map(\.severity), [Severity.warning])
        XCTAssertTrue(findings[0].message.contains("u2"), findings[0].message)
    }

    func testRandomTextRoundTrips() throws {
        var rng = SeededGenerator(seed: 42)
        let pieces = ["a", "é", " ", "\t", "\n", "\r\n", "\r", "\n\n", "mot", "👍", "\u{0C}", "\u{00}", "  ", "«", "\u{FFFE}"]
        for i in 0..<400 {
            var s = ""
            for _ in 0..<Int.random(in: 0...30, using: &rng) { s += pieces.randomElement(using: &rng)! }
            for mode in PlainTextUnits.allCases {
                RoundTrip.assertIdentity(Array(s.utf8), format: .plainText, options: SourceReaderOptions(textUnits: mode), "case \(i) \(mode) \(s.debugDescription)")
            }
        }
    }
}

/// A small deterministic generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

enum InputFile {
    static func readBytesForTest(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}
