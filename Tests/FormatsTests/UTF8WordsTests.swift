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
