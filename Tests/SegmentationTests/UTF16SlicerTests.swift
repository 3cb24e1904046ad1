@testable import Segmentation
import TranslationModel
import XCTest

/// Segments of a one-run paragraph are cut from its UTF-8 bytes at the UTF-16 offsets the
/// segmenter found (`UTF16Slicer`): every cut must give the characters the units stand for.
final class UTF16SlicerTests: XCTestCase {
    func testSlicesAreTheCharactersOfTheUTF16Range() {
        for text in ["Plain ASCII. Two.", "Été « déjà » – 10 € ; fin.", "Emoji 😀 and 𝐀. Then 👍🏽!", "日本語の文。次の文。", "😀"] {
            let units = Array(text.utf16)
            // Ranges in increasing order, and then going back (the slicer restarts).
            var ranges: [Range<Int>] = []
            for a in 0...units.count { for b in a...units.count { ranges.append(a..<b) } }
            // The slicer reads units from a buffer the caller keeps (`SRXMatcher.unitBuffer`):
            // the text alone, and the same string standing after other units (a run of a
            // paragraph with codes).
            let plain = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: units.count)
            defer { plain.deallocate() }
            _ = plain.initialize(from: units)
            let padded = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: units.count + 4)
            defer { padded.deallocate() }
            _ = padded.initialize(from: Array("ab😀".utf16) + units)
            var slicer = UTF16Slicer(text, units: plain.baseAddress!, count: units.count)
            for r in ranges {
                let inPair = { (k: Int) in k > 0 && k < units.count && UTF16.isTrailSurrogate(units[k]) }
                let slice = slicer.slice(r)
                if inPair(r.lowerBound) || inPair(r.upperBound) {
                    XCTAssertNil(slice, "\(text) \(r)")
                } else {
                    XCTAssertEqual(slice, String(decoding: units[r], as: UTF16.self), "\(text) \(r)")
                }
            }
            var inner = UTF16Slicer(text, units: padded.baseAddress! + 4, count: units.count)
            for r in ranges where !(r.lowerBound > 0 && r.lowerBound < units.count && UTF16.isTrailSurrogate(units[r.lowerBound]))
                && !(r.upperBound > 0 && r.upperBound < units.count && UTF16.isTrailSurrogate(units[r.upperBound])) {
                XCTAssertEqual(inner.slice(r), String(decoding: units[r], as: UTF16.self), "\(text) \(r)")
            }
        }
    }
}

extension UTF16SlicerTests {
    /// Long texts are counted four units at a time while they are ASCII: cuts at every offset
    /// of a text mixing ASCII with two-, three- and four-byte characters at every alignment.
    func testCutsInALongMixedTextAtEveryAlignment() {
        var text = ""
        for k in 0..<400 {
            text += String(repeating: "a", count: k % 11) + ["é", "€", "😀", " ", "日本", "x.y"][k % 6]
        }
        let units = Array(text.utf16)
        let buffer = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: units.count)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: units)
        for step in [1, 3, 4, 7, 64] {
            var slicer = UTF16Slicer(text, units: buffer.baseAddress!, count: units.count)
            var lower = 0
            var upper = 0
            while upper < units.count {
                upper = min(units.count, upper + step)
                if upper < units.count && UTF16.isTrailSurrogate(units[upper]) { continue }
                XCTAssertEqual(slicer.slice(lower..<upper), String(decoding: units[lower..<upper], as: UTF16.self), "\(step) \(lower)..<\(upper)")
                lower = upper
            }
        }
    }
}

/// Text runs between codes are cut into segments from their own strings too: the pieces,
/// joined, give back every run (non-ASCII and supplementary characters included).
final class CodeContentSlicingTests: XCTestCase {
    private func code(_ kind: InlineCode.Kind, _ id: String) -> Run { .code(InlineCode(kind: kind, id: id, originalData: "<x>")) }

    func testPiecesOfContentWithCodesJoinBackToTheSource() throws {
        let segmenter = try Segmenter(language: "fr")
        let contents: [[Run]] = [
            [.text("Été déjà fini. « Oui ! » dit-il. "), code(.opening, "1"), .text("Gras 😀. Encore."), code(.closing, "1"), .text(" Fin 𝐀. Là.")],
            [code(.standalone, "2"), .text("Un. Deux. Trois 👍🏽. "), .text("Quatre é. "), .text(""), .text("Cinq.")],
            [.text("Avant. "), code(.opening, "3"), .text("Dedans. Encore. "), code(.closing, "3"), .text(" Après.")],
        ]
        for runs in contents {
            let source = Content(runs)
            let pieces = try XCTUnwrap(segmenter.segmentedParts(of: source))
            XCTAssertGreaterThan(pieces.count, 2)
            var joined = Content()
            for piece in pieces { joined.append(contentsOf: piece.content) }
            XCTAssertEqual(joined.normalized.runs, source.normalized.runs)
            XCTAssertEqual(pieces.filter(\.isSegment).map { $0.content.plainText.first?.isWhitespace }, pieces.filter(\.isSegment).map { _ in false })
        }
    }
}
