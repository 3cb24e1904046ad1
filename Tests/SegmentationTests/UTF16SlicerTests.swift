@testable import Segmentation
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
            var slicer = UTF16Slicer(text, utf16Count: units.count)
            for r in ranges {
                let inPair = { (k: Int) in k > 0 && k < units.count && UTF16.isTrailSurrogate(units[k]) }
                let slice = slicer.slice(r)
                if inPair(r.lowerBound) || inPair(r.upperBound) {
                    XCTAssertNil(slice, "\(text) \(r)")
                } else {
                    XCTAssertEqual(slice, String(decoding: units[r], as: UTF16.self), "\(text) \(r)")
                }
            }
        }
    }
}
