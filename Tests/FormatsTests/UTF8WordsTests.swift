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

    /// The first byte that starts no well-formed sequence, by the Unicode standard's table of
    /// well-formed UTF-8 byte sequences (Table 3-7), read one sequence at a time.
    private func firstIllFormed(_ bytes: [UInt8]) -> Int? {
        let table: [(ClosedRange<UInt8>, [ClosedRange<UInt8>])] = [
            (0x00...0x7F, []), (0xC2...0xDF, [0x80...0xBF]),
            (0xE0...0xE0, [0xA0...0xBF, 0x80...0xBF]), (0xE1...0xEC, [0x80...0xBF, 0x80...0xBF]),
            (0xED...0xED, [0x80...0x9F, 0x80...0xBF]), (0xEE...0xEF, [0x80...0xBF, 0x80...0xBF]),
            (0xF0...0xF0, [0x90...0xBF, 0x80...0xBF, 0x80...0xBF]), (0xF1...0xF3, [0x80...0xBF, 0x80...0xBF, 0x80...0xBF]),
            (0xF4...0xF4, [0x80...0x8F, 0x80...0xBF, 0x80...0xBF]),
        ]
        var i = 0
        while i < bytes.count {
            guard let (_, rest) = table.first(where: { $0.0.contains(bytes[i]) }), i + rest.count < bytes.count,
                  rest.indices.allSatisfy({ rest[$0].contains(bytes[i + 1 + $0]) }) else { return i }
            i += 1 + rest.count
        }
        return nil
    }

    func testUTF8CheckFindsTheFirstIllFormedSequenceAsTheStandardDefinesIt() {
        // Bytes around every boundary of the table, in valid and broken sequences, after ASCII
        // runs of every length and before more text (the check skips ASCII eight bytes at a
        // time, and jumps to the first non-ASCII byte of a word).
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var generator = SeededRandom(seed: 3)
        for _ in 0..<20_000 {
            var bytes = Array(repeating: UInt8(0x61), count: Int.random(in: 0...17, using: &generator))
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes.append(interesting.randomElement(using: &generator)!)
            }
            if Bool.random(using: &generator) { bytes += Array("é’😀".utf8) }
            if Bool.random(using: &generator) { bytes += Array(repeating: UInt8(0x62), count: Int.random(in: 0...17, using: &generator)) + Array("à".utf8) }
            XCTAssertEqual(StreamingTextDecoder.firstInvalidUTF8(bytes[...]), firstIllFormed(bytes), "\(bytes)")
        }
        let text = Array("Le vin est si cher à Paris — « l’impôt » 😀 ".utf8)
        XCTAssertNil(StreamingTextDecoder.firstInvalidUTF8(text[...]))
        XCTAssertEqual(StreamingTextDecoder.firstInvalidUTF8((text + [0xED, 0xA0, 0x80])[...]), text.count)
        XCTAssertEqual(StreamingTextDecoder.firstInvalidUTF8((text + [0xE2, 0x80])[...]), text.count)
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
