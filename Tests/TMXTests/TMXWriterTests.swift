import Diagnostics
import FileAccess
import TestSupport
import TranslationModel
import XCTest
@testable import TMX

/// Writing TMX: validity against the TMX 1.4 DTD, escaping, inline codes, round trip.
final class TMXWriterTests: XCTestCase {
    private let header = TMXHeader(creationTool: "Verso", creationToolVersion: "test", originalFormat: "verso-align",
                                   sourceLanguage: "fr", attributes: ["creationdate": "20240101T120000Z"],
                                   properties: [TMXProperty(type: "x-source-file", value: "article.fr.txt")],
                                   notes: [TMXNote("aligned by Verso", language: "en")])

    private func sampleUnits() -> [TMXUnit] {
        let bold = Content([
            .text("Le "),
            .code(InlineCode(kind: .opening, id: "1", originalData: "<b>", type: "fmt", ctype: "bold")),
            .text("chat & le <chien>"),
            .code(InlineCode(kind: .closing, id: "1", originalData: "</b>")),
            .text(" dorment."),
            .code(InlineCode(kind: .standalone, id: "2", originalData: "<br/>")),
            .code(InlineCode(kind: .opening, id: "3", isolated: true, originalData: "<i>")),
            .text("suite"),
        ])
        let boldEN = Content([
            .text("The "),
            .code(InlineCode(kind: .opening, id: "1", originalData: "<b>", type: "fmt", ctype: "bold")),
            .text("cat & the <dog>"),
            .code(InlineCode(kind: .closing, id: "1", originalData: "</b>")),
            .text(" sleep."),
            .code(InlineCode(kind: .standalone, id: "2", originalData: "<br/>")),
            .code(InlineCode(kind: .opening, id: "3", isolated: true, originalData: "<i>")),
            .text("more"),
        ])
        return [
            TMXUnit(id: "1", properties: [TMXProperty(type: "x-alignment-confidence", value: "0.97")],
                    variants: [TMXVariant(language: "fr", content: "Bonjour « tout le monde » !"),
                               TMXVariant(language: "en", content: "Hello \"everyone\"!")]),
            TMXUnit(id: "2", attributes: ["creationdate": "20240101T120000Z"], notes: [TMXNote("two sentences joined")],
                    variants: [TMXVariant(language: "fr", content: bold, properties: [TMXProperty(type: "x-sentences", value: "3,4")]),
                               TMXVariant(language: "en", content: boldEN)]),
            TMXUnit(variants: [TMXVariant(language: "fr", content: "  espaces\tgardés  "),
                               TMXVariant(language: "en", content: "")]),
        ]
    }

    private func write(_ units: [TMXUnit], to path: String) throws {
        let file = try AtomicFile(destination: path)
        let writer = try TMXWriter(header: header, file: file)
        for unit in units { try writer.write(unit) }
        try writer.finish()
        try file.commit()
    }

    func testOutputIsValidAgainstTheTMXDTD() throws {
        let xmllint = try XCTUnwrap(VersoCommand.which("xmllint"), "xmllint is installed by .ci/setup")
        let folder = TestPaths.temporaryFolder("tmx-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.tmx").path
        try write(sampleUnits(), to: path)
        let dtd = TestPaths.sharedFile("standards/schemas/tmx/tmx14.dtd").path
        let result = try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--dtdvalid", dtd, path])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testEmptyBodyIsValid() throws {
        let xmllint = try XCTUnwrap(VersoCommand.which("xmllint"))
        let folder = TestPaths.temporaryFolder("tmx-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.tmx").path
        try write([], to: path)
        let dtd = TestPaths.sharedFile("standards/schemas/tmx/tmx14.dtd").path
        let result = try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--dtdvalid", dtd, path])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testRoundTripKeepsTextCodesNotesAndProperties() throws {
        let folder = TestPaths.temporaryFolder("tmx-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("round.tmx").path
        let units = sampleUnits()
        try write(units, to: path)
        let (readHeader, readUnits, findings) = try TMXReader.read(path: path)
        XCTAssertTrue(findings.isEmpty, "\(findings)")
        XCTAssertEqual(readHeader.creationTool, "Verso")
        XCTAssertEqual(readHeader.sourceLanguage, "fr")
        XCTAssertEqual(readHeader.properties, header.properties)
        XCTAssertEqual(readHeader.notes, header.notes)
        XCTAssertEqual(readHeader.attributes["creationdate"], "20240101T120000Z")
        XCTAssertEqual(readUnits.count, units.count)
        for (written, read) in zip(units, readUnits) {
            XCTAssertEqual(read.id, written.id)
            XCTAssertEqual(read.properties, written.properties)
            XCTAssertEqual(read.notes, written.notes)
            XCTAssertEqual(read.attributes, written.attributes)
            XCTAssertEqual(read.variants.map(\.language), written.variants.map(\.language))
            for (w, r) in zip(written.variants, read.variants) {
                XCTAssertEqual(r.content.plainText, w.content.plainText)
                XCTAssertEqual(r.properties, w.properties)
                XCTAssertEqual(r.content.codes.map(\.kind), w.content.codes.map(\.kind))
                XCTAssertEqual(r.content.codes.map(\.originalData), w.content.codes.map(\.originalData))
                XCTAssertEqual(r.content.codes.map(\.isolated), w.content.codes.map(\.isolated))
            }
        }
        // Paired codes share an id after reading, as they did before.
        let codes = readUnits[1].variants[0].content.codes
        XCTAssertEqual(codes[0].id, codes[1].id)
        XCTAssertEqual(codes[0].ctype, "bold")
    }

    func testMarkupIsEscapedAndPairedCodesUseBptEpt() throws {
        var bytes: [UInt8] = []
        let writer = try TMXWriter(header: header, displayPath: "mem.tmx") { bytes.append(contentsOf: $0) }
        try writer.write(sampleUnits()[1])
        try writer.finish()
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("<bpt i=\"1\" x=\"1\" type=\"bold\">&lt;b&gt;</bpt>"), text)
        XCTAssertTrue(text.contains("<ept i=\"1\">&lt;/b&gt;</ept>"), text)
        XCTAssertTrue(text.contains("chat &amp; le &lt;chien&gt;"), text)
        XCTAssertTrue(text.contains("<ph x=\"2\">&lt;br/&gt;</ph>"), text)
        XCTAssertTrue(text.contains("<it pos=\"begin\" x=\"3\">&lt;i&gt;</it>"), text)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }

    func testAUnitWithoutVariantsIsRefused() throws {
        let writer = try TMXWriter(header: header, displayPath: "mem.tmx") { _ in }
        XCTAssertThrowsError(try writer.write(TMXUnit(id: "x")))
    }

    func testCharactersXMLCannotHoldAreRefusedWithThePath() throws {
        let writer = try TMXWriter(header: header, displayPath: "bad.tmx") { _ in }
        let unit = TMXUnit(variants: [TMXVariant(language: "fr", content: "bell \u{7}")])
        XCTAssertThrowsError(try writer.write(unit)) { error in
            XCTAssertEqual((error as? LocatedError)?.location.file, "bad.tmx")
        }
    }

    func testTimestampFormat() {
        XCTAssertEqual(TMXWriter.timestamp(Date(timeIntervalSince1970: 0)), "19700101T000000Z")
    }
}
