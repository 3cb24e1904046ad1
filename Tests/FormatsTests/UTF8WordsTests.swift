import TestSupport
import XCTest
@testable import Formats

/// The word-at-a-time UTF-8 scans must say exactly what a byte-by-byte look says.
final class UTF8WordsTests: XCTestCase {
    func testUTF16LengthEqualsTheStringsForAnyMixOfCharacterWidths() {
        let pieces = ["a", "é", "€", "中", "😀", "\n", "e\u{301}", "𝔘", " "]
        var generator = SeededRandom(seed: 7)
        for length in 0..<40 {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
                let bytes = Array(text.utf8)
                let measured = bytes.withUnsafeBufferPointer { UTF8Words.utf16Length($0) }
                XCTAssertEqual(measured, text.utf16.count, "\(text.debugDescription)")
            }
        }
    }

    func testUTF16LengthOfLongTextSummedInLanesEqualsTheStrings() {
        // Lengths are summed in byte lanes and totalled every 127 words: texts of many such
        // stretches, all of four-byte characters (the largest lanes) or of mixed widths.
        var generator = SeededRandom(seed: 11)
        let pieces = ["a", "é", "€", "😀", "𝔘", "\n"]
        for count in [1016, 1017, 1023, 1024, 2040, 5000, 70_000] {
            for text in [String(repeating: "😀", count: count / 4), String(repeating: "a", count: count),
                         (0..<(count / 3)).map { _ in pieces.randomElement(using: &generator)! }.joined()] {
                let bytes = Array(text.utf8)
                XCTAssertEqual(bytes.withUnsafeBufferPointer { UTF8Words.utf16Length($0) }, text.utf16.count, "\(count)")
                var lanes: UInt64 = 0
                for i in stride(from: 0, to: min(bytes.count - 7, 8 * UTF8Words.wordsPerLaneSum), by: 8) {
                    lanes &+= bytes.withUnsafeBytes { UTF8Words.utf16Lanes(UTF8Words.load($0.baseAddress!, i)) }
                }
                let words = min(bytes.count / 8, UTF8Words.wordsPerLaneSum)
                XCTAssertEqual(UTF8Words.laneTotal(lanes), (0..<words).reduce(0) { total, k in
                    total + bytes.withUnsafeBytes { UTF8Words.utf16Length(UTF8Words.load($0.baseAddress!, 8 * k)) }
                }, "\(count)")
            }
        }
    }

    func testByteTestsFindExactlyTheBytesAskedFor() {
        var generator = SeededRandom(seed: 7)
        for _ in 0..<5000 {
            let bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let word = bytes.withUnsafeBytes { UTF8Words.load($0.baseAddress!, 0) }
            for probe: UInt8 in [0x0A, 0x20, 0x22, 0x26, 0x27, 0x3C, 0xEF, bytes[3]] {
                XCTAssertEqual(UTF8Words.has(word, probe), bytes.contains(probe), "\(bytes) \(probe)")
            }
            XCTAssertEqual(UTF8Words.hasLess(word, than: 0x20), bytes.contains { $0 < 0x20 }, "\(bytes)")
        }
    }
}
