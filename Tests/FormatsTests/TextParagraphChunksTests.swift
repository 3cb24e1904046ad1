import Diagnostics
import Foundation
import TestSupport
import XCTest
@testable import Formats

/// `TextParagraphChunks`: plain text handed out in pieces that end at blank lines.
final class TextParagraphChunksTests: XCTestCase {
    private func write(_ bytes: [UInt8], name: String = "input.txt") throws -> (URL, URL) {
        let folder = TestPaths.temporaryFolder()
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return (folder, file)
    }

    private func chunks(of file: URL, chunkSize: Int, encoding: TextEncoding? = nil) throws -> [TextParagraphChunks.Chunk] {
        let source = try TextParagraphChunks(path: file.path, encoding: encoding, chunkSize: chunkSize)
        var result: [TextParagraphChunks.Chunk] = []
        while let chunk = try source.next() { result.append(chunk) }
        return result
    }

    func testChunksOfTheSampleJoinToTheWholeTextAndEndAtBlankLines() throws {
        let file = TestPaths.sample("seed-article.fr.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let pieces = try chunks(of: file, chunkSize: 64)
        XCTAssertGreaterThan(pieces.count, 2, "a small chunk size cuts at every blank line")
        XCTAssertEqual(pieces.flatMap(\.utf16), Array(text.utf16))
        var offset = 0, line = 1
        for (i, piece) in pieces.enumerated() {
            XCTAssertEqual(piece.utf16Offset, offset)
            XCTAssertEqual(piece.line, line)
            let string = String(decoding: piece.utf16, as: UTF16.self)
            if i < pieces.count - 1 {
                let lines = string.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                XCTAssertTrue(lines.last?.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } ?? false, "piece \(i) ends at a blank line: \(string.suffix(40).debugDescription)")
            }
            offset += piece.utf16.count
            line += string.filter { $0 == "\n" }.count
        }
    }

    func testAParagraphLongerThanTheChunkSizeStaysWhole() throws {
        let paragraph = String(repeating: "Une phrase assez longue.\n", count: 200)
        let (folder, file) = try write(Array(("Début.\n\n" + paragraph + "\nFin.\n").utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        let pieces = try chunks(of: file, chunkSize: 1).map { String(decoding: $0.utf16, as: UTF16.self) }
        XCTAssertEqual(pieces, ["Début.\n\n", paragraph + "\n", "Fin.\n"])
    }

    func testCRLFAndWhitespaceOnlyLinesAreBlankLines() throws {
        let (folder, file) = try write(Array("Un.\r\ndeux.\r\n \t\r\nTrois.\r\n\r\nQuatre.".utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        let pieces = try chunks(of: file, chunkSize: 1).map { String(decoding: $0.utf16, as: UTF16.self) }
        XCTAssertEqual(pieces, ["Un.\r\ndeux.\r\n \t\r\n", "Trois.\r\n\r\n", "Quatre."])
    }

    func testByteOrderMarksAreSkippedAndUTF16IsDecoded() throws {
        let text = "Le café. 😀 Fin.\n\nSuite."
        var utf16LE: [UInt8] = [0xFF, 0xFE]
        for u in text.utf16 { utf16LE += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        for bytes in [[0xEF, 0xBB, 0xBF] + Array(text.utf8), utf16LE] {
            let (folder, file) = try write(bytes)
            defer { try? FileManager.default.removeItem(at: folder) }
            let pieces = try chunks(of: file, chunkSize: 4)
            XCTAssertEqual(pieces.count, 2)
            XCTAssertEqual(pieces.flatMap(\.utf16), Array(text.utf16), "offsets count from after the BOM")
            XCTAssertEqual(pieces[1].utf16Offset, Array("Le café. 😀 Fin.\n\n".utf16).count)
        }
    }

    func testGivenEncodingIsDecoded() throws {
        let (folder, file) = try write([0x43, 0x61, 0x66, 0xE9, 0x2E]) // "Café." in ISO-8859-1
        defer { try? FileManager.default.removeItem(at: folder) }
        let pieces = try chunks(of: file, chunkSize: 1 << 20, encoding: TextEncoding("latin1"))
        XCTAssertEqual(pieces.map { String(decoding: $0.utf16, as: UTF16.self) }, ["Café."])
    }

    func testInvalidUTF8ComesAfterTheParagraphsBeforeItWithLineAndColumn() throws {
        let file = TestPaths.fixture("segmentation/invalid-utf8-third-paragraph.txt")
        let source = try TextParagraphChunks(path: file.path, displayPath: "bad.txt", chunkSize: 1)
        var texts: [String] = []
        XCTAssertThrowsError(try { while let chunk = try source.next() { texts.append(String(decoding: chunk.utf16, as: UTF16.self)) } }()) { error in
            let located = error as? FormatsError
            XCTAssertEqual(located?.location, SourceLocation(file: "bad.txt", line: 5, column: 9))
            XCTAssertTrue(located?.message.contains("byte offset 59") ?? false, "\(error)")
        }
        XCTAssertEqual(texts.joined(), "Première phrase. Deuxième.\n\nBon paragraphe ici.\n\n")
        XCTAssertNil(try source.next(), "nothing after the error")
    }

    func testInvalidUTF8FarIntoALongFileIsFoundWithItsLine() throws {
        // The bad byte comes after several read buffers: the line count spans them.
        let line = "Une ligne de texte ordinaire, assez longue pour remplir les tampons.\n"
        var bytes = Array(String(repeating: line + "\n", count: 3000).utf8)
        bytes += [0x41, 0xC3, 0x28]
        let (folder, file) = try write(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try chunks(of: file, chunkSize: 1 << 20)) { error in
            XCTAssertEqual((error as? FormatsError)?.location.line, 6001)
            XCTAssertEqual((error as? FormatsError)?.location.column, 2)
        }
    }

    func testTruncatedCharacterAtTheEndIsAnError() throws {
        let (folder, file) = try write(Array("Un.\n\nDeux ".utf8) + [0xE2, 0x82])
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try TextParagraphChunks(path: file.path, chunkSize: 1)
        XCTAssertEqual(try source.next().map { String(decoding: $0.utf16, as: UTF16.self) }, "Un.\n\n")
        XCTAssertThrowsError(try source.next()) { error in
            XCTAssertEqual((error as? FormatsError)?.location, SourceLocation(file: file.path, line: 3, column: 6))
        }
    }
}
