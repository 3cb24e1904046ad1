import Formats
import Foundation
import Segmentation
import TestSupport
import XCTest

/// Text segmented a piece at a time (as `verso segment` streams it) gives exactly what
/// segmenting the whole text at once gives: pieces end at blank lines, where paragraphs end anyway.
final class StreamedTextTests: XCTestCase {
    func testPiecesCutAtBlankLinesSegmentLikeTheWholeText() throws {
        // 1 MB of the French corpus, with some paragraphs separated by CRLF blank lines and
        // whitespace-only lines, cut into many small pieces.
        let paragraphs = try UnitSegmentationTests.corpusParagraphs(limit: 1_000_000)
        var text = ""
        for (i, paragraph) in paragraphs.enumerated() {
            text += paragraph
            text += ["\n\n", "\r\n\r\n", "\n \t\n", "\n\n\n"][i % 4]
        }
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("corpus.txt")
        try Data(text.utf8).write(to: file)

        let segmenter = try Segmenter(language: "fr")
        let whole = segmenter.sentencesByParagraph(in: text).flatMap { $0 }

        let source = try TextParagraphChunks(path: file.path, chunkSize: 4096)
        var streamed: [Range<Int>] = []
        var pieces = 0
        while let chunk = try source.next() {
            pieces += 1
            chunk.utf16.withUnsafeBufferPointer { units in
                for paragraph in segmenter.sentencesByParagraph(inUTF16: units) {
                    streamed += paragraph.map { ($0.lowerBound + chunk.utf16Offset)..<($0.upperBound + chunk.utf16Offset) }
                }
            }
        }
        XCTAssertGreaterThan(pieces, 100)
        XCTAssertGreaterThan(whole.count, 5000)
        XCTAssertEqual(streamed, whole)
    }
}
