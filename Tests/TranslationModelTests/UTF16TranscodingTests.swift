import XCTest
import TestSupport
import TranslationModel

final class UTF16TranscodingTests: XCTestCase {
    /// Every line of real French text and HTML (accents, ligatures, typographic quotes, no-break
    /// spaces) comes out as the standard library's decoding does.
    func testRealTextMatchesTheStandardLibrary() throws {
        for sample in ["seed-article.fr.txt", "seed-article.en.txt", "actualite.fr.html"] {
            let text = try String(contentsOf: TestPaths.sample(sample), encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let units = Array(line.utf16)
                XCTAssertEqual(String(transcodingUTF16: units), String(decoding: units, as: UTF16.self), sample)
                XCTAssertEqual(String(transcodingUTF16: units[...]), String(line))
            }
        }
    }

    /// Characters outside the BMP (surrogate pairs) and every UTF-8 length round-trip.
    func testSurrogatePairsAndAllUTF8Lengths() {
        let text = "a é € 𝄞 🇫🇷 \u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
        XCTAssertEqual(String(transcodingUTF16: Array(text.utf16)), text)
        XCTAssertEqual(String(transcodingUTF16: [UInt16]()), "")
    }

    /// A lone surrogate (half of a pair cut off) becomes U+FFFD, never invalid UTF-8.
    func testLoneSurrogatesBecomeReplacementCharacters() {
        for units: [UInt16] in [[0xD834], [0xDD1E], [0x61, 0xD834, 0x62], [0xDD1E, 0xD834], [0xD834, 0xD834, 0xDD1E]] {
            XCTAssertEqual(String(transcodingUTF16: units), String(decoding: units, as: UTF16.self), "\(units)")
        }
    }

    /// Random mixes of ASCII runs of every length and characters of every UTF-8 length (so that
    /// the eight-bytes-at-a-time and four-units-at-a-time paths start and stop at every offset)
    /// transcode both ways and count as the standard library does, appended to a non-empty array too.
    func testRandomMixesMatchTheStandardLibrary() {
        let pieces: [String] = ["a", "Z", " ", "\u{7F}", "é", "\u{80}", "\u{7FF}", "€", "\u{800}", "\u{FFFF}", "𝄞", "🇫🇷", "\u{10FFFF}", "\u{A0}", "œ"]
        var random = SeededRandom(seed: 0x5EED_7_16)
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                text += String(repeating: "x", count: Int.random(in: 0...19, using: &random))
                text += pieces.randomElement(using: &random)!
            }
            var units: [UInt16] = [0x41, 0xE9]
            text.appendUTF16(to: &units)
            XCTAssertEqual(units, [0x41, 0xE9] + Array(text.utf16), text)
            XCTAssertEqual(text.utf16CodeUnitCount, text.utf16.count, text)
            let own = Array(text.utf16)
            XCTAssertEqual(String(transcodingUTF16: own), text)
            XCTAssertEqual(String(transcodingUTF16: own.dropFirst()), String(decoding: own.dropFirst(), as: UTF16.self))
        }
    }
}
