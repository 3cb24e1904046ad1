import Diagnostics
import FileAccess
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// What the XLIFF 1.2 writer produces: valid 1.2, text untouched, repairs and losses reported.
final class XLIFF12WriterTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func validate(_ bytes: [UInt8], _ flavour: XLIFF12Schema.Flavour, file: StaticString = #filePath, line: UInt = #line) throws {
        guard XLIFF12Schema.available else { return }
        let folder = TestPaths.temporaryFolder("x12w")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.xlf")
        try Data(bytes).write(to: url)
        XCTAssertEqual(try XLIFF12Schema.failures([url], flavour), [:], file: file, line: line)
    }

    /// What the pipeline does: build units, write them as 1.2 through an atomic file.
    func testWritesADocumentBuiltInCodeAtomicallyAndValid() throws {
        var seg1 = Segment(id: "1", source: Content([.text("La "), .code(InlineCode(kind: .opening, id: "1", originalData: "<b>")), .text("Biélorussie"), .code(InlineCode(kind: .closing, id: "1", originalData: "</b>")), .text(" et l’OTAN.")]))
        seg1.target = Content("Belarus and NATO.")
        seg1.state = .translated
        let unit = Unit(id: "p1", parts: [.segment(seg1), .ignorable(Ignorable(source: " ")), .segment(Segment(id: "2", source: "Fin."))], notes: [Note("Titre", from: "verso")])
        let doc = Document(info: DocumentInfo(sourceLanguage: "fr", targetLanguage: "en"), files: [File(info: FileInfo(id: "f1", original: "article.txt", datatype: "plaintext"), items: [.unit(unit)])])
        let folder = TestPaths.temporaryFolder("x12w")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("article.txt.xlf").path
        let findings = try XLIFF12Writer.write(doc, to: path)
        XCTAssertEqual(findings, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["article.txt.xlf"], "no temporary file left")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        try validate(bytes, .strict)
        let out = text(bytes)
        XCTAssertTrue(out.contains("<seg-source><mrk mtype=\"seg\" mid=\"1\">La <bpt id=\"1\">&lt;b&gt;</bpt>Biélorussie<ept id=\"1\">&lt;/b&gt;</ept> et l’OTAN.</mrk> <mrk mtype=\"seg\" mid=\"2\">Fin.</mrk></seg-source>"), out)
        XCTAssertTrue(out.contains("<target state=\"translated\"><mrk mtype=\"seg\" mid=\"1\">Belarus and NATO.</mrk> </target>"), out)
        let (back, _) = try XLIFF12Fixtures.read(bytes: bytes)
        XCTAssertEqual(back.allUnits[0].segments.map(\.id), ["1", "2"])
        XCTAssertEqual(back.allUnits[0].segments[0].source.plainText, seg1.source.plainText)
        XCTAssertEqual(back.allUnits[0].segments[0].source.codes.map(\.originalData), ["<b>", "</b>"])
        XCTAssertEqual(back.allUnits[0].segments[0].source.codes.map(\.kind), [.opening, .closing])
        XCTAssertEqual(back.allUnits[0].segments[0].target?.plainText, "Belarus and NATO.")
        XCTAssertEqual(back.allUnits[0].segments[0].state, .translated)
        XCTAssertNil(back.allUnits[0].segments[1].target)
    }

    func testNeverIndentsInsideText() throws {
        let (doc, _) = try XLIFF12Fixtures.read(XLIFF12Fixtures.file("Xslt-Test01.xlf"))
        let (bytes, _) = try XLIFF12Writer.bytes(of: doc)
        let out = text(bytes)
        XCTAssertTrue(out.contains("<source>\n\t    .styled { font-size: .8em; color: red; font-face: sans-serif; }\n    </source>"), out)
        XCTAssertTrue(out.contains("<source>A paragraph with some <g id=\"em-7\">styles</g> just see how"), out)
        // Structure is indented, text is not.
        XCTAssertTrue(out.contains("\n          <trans-unit id=\"title-3\">\n            <source>Test page for XLIFF</source>"), out)
    }

    func testXMLSpaceIsWrittenWhereItChanges() throws {
        let (doc, _) = try XLIFF12Fixtures.read(XLIFF12Fixtures.file("JMP-11-Test01.xlf"))
        let out = text(try XLIFF12Writer.bytes(of: doc).bytes)
        XCTAssertTrue(out.contains("<file original=\"GDF.xlf\" source-language=\"en\" datatype=\"plaintext\" target-language=\"fr\" xml:space=\"preserve\">"), String(out.prefix(600)))
        XCTAssertFalse(out.contains("<trans-unit id=\"S_XStr_LangCode\" xml:space"), "inherited, not repeated")
    }

    func testRepeatedIDsAndValuesOutsideTheListsAreRepairedAndReported() throws {
        let (doc, _) = try XLIFF12Fixtures.read(XLIFF12Fixtures.file("PAS-10-Test01.xlf"))
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc, options: .init(keepExtensions: true))
        try validate(bytes, .transitional)
        let repaired = findings.filter { $0.code == "xliff12.repaired" }.map(\.message)
        XCTAssertTrue(repaired.contains { $0.contains("trans-unit id '1' is not unique") }, "\(repaired)")
        XCTAssertTrue(repaired.contains { $0.contains("restype=\"menupopup\"") && $0.contains("x-menupopup") }, "\(repaired)")
        let (strictBytes, strictFindings) = try XLIFF12Writer.bytes(of: doc)
        try validate(strictBytes, .strict)
        XCTAssertTrue(strictFindings.contains { $0.message.contains("attribute 'ts'") && $0.message.contains("--keep-extensions") }, "\(strictFindings)")
    }

    func testRepeatedUnitIDsAreRenamedAndIDsDifferingInNormalizationAreNot() throws {
        // 100 units (the id set grows several times) with a repeat every tenth; "café" written
        // precomposed and decomposed are two different ids to XML (compared code point by code
        // point), so neither is renamed.
        var units: [TranslationModel.Unit] = []
        for k in 1...100 {
            let id = k % 10 == 0 ? "p\(k - 1)" : "p\(k)"
            units.append(TranslationModel.Unit(id: id, source: Content("T\(k).")))
        }
        units.append(TranslationModel.Unit(id: "caf\u{E9}", source: "A."))
        units.append(TranslationModel.Unit(id: "cafe\u{301}", source: "B."))
        units.append(TranslationModel.Unit(id: "caf\u{E9}", source: "C."))
        let doc = Document(info: DocumentInfo(sourceLanguage: "en"), files: [File(info: FileInfo(id: "f", original: "a", datatype: "plaintext"), items: units.map { .unit($0) })])
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc)
        try validate(bytes, .strict)
        let out = text(bytes)
        let ids = out.components(separatedBy: "<trans-unit id=\"").dropFirst().map { rest in String(rest.prefix { $0 != "\"" }) }
        XCTAssertEqual(ids.count, 103)
        XCTAssertEqual(Set(ids.map { Array($0.unicodeScalars) }).count, 103, "every id written is unique")
        XCTAssertEqual(ids[9], "p9-2")
        XCTAssertEqual(ids[99], "p99-2")
        XCTAssertEqual(ids[8], "p9")
        XCTAssertEqual(Array(ids[100].unicodeScalars), Array("caf\u{E9}".unicodeScalars))
        XCTAssertEqual(Array(ids[101].unicodeScalars), Array("cafe\u{301}".unicodeScalars), "a decomposed spelling is another id")
        XCTAssertEqual(Array(ids[102].unicodeScalars), Array("caf\u{E9}-2".unicodeScalars))
        let repaired = findings.filter { $0.code == "xliff12.repaired" }
        XCTAssertEqual(repaired.count, 1, "one finding for the kind, with a count")
        XCTAssertTrue(repaired[0].message.contains("trans-unit id 'p9' is not unique"), repaired[0].message)
    }

    func testPairedCodesThatCannotNestBecomeBxEx() throws {
        // A bold span that starts in one sentence and ends in the next: <g> cannot cross the
        // <mrk mtype="seg"> boundary, so the writer uses <bx/>/<ex/> with the same ids.
        let open = InlineCode(kind: .opening, id: "7", type: "fmt", subType: "xlf:b")
        let close = InlineCode(kind: .closing, id: "7")
        let unit = Unit(id: "u", parts: [
            .segment(Segment(id: "s1", source: Content([.text("One "), .code(open), .text("two.")]))),
            .ignorable(Ignorable(source: " ")),
            .segment(Segment(id: "s2", source: Content([.text("Three"), .code(close), .text(".")]))),
        ])
        let doc = Document(info: DocumentInfo(sourceLanguage: "en"), files: [File(info: FileInfo(id: "f", original: "a", datatype: "plaintext"), items: [.unit(unit)])])
        let (bytes, _) = try XLIFF12Writer.bytes(of: doc)
        try validate(bytes, .strict)
        let out = text(bytes)
        XCTAssertTrue(out.contains("<source>One <g id=\"7\" ctype=\"bold\">two. Three</g>.</source>"), out)
        XCTAssertTrue(out.contains("<mrk mtype=\"seg\" mid=\"s1\">One <bx id=\"7\" ctype=\"bold\"/>two.</mrk> <mrk mtype=\"seg\" mid=\"s2\">Three<ex id=\"7\"/>.</mrk>"), out)
    }

    func testXLIFF2OnlyDataIsReportedNotSilentlyLost() throws {
        var seg = Segment(id: "s1", source: "Hello", target: "Bonjour", state: .reviewed)
        seg.canResegment = false
        var unit = Unit(id: "u1", parts: [.segment(seg)], glossary: [GlossaryEntry(term: "Hello", translations: [.init("Bonjour")])])
        unit.notes = [Note("n", id: "n1", category: "review")]
        unit.matches = [Match(id: "m1", ref: "#s1", source: "Hello", target: "Salut", type: "mt", similarity: 80)]
        let doc = Document(info: DocumentInfo(sourceLanguage: "en", targetLanguage: "fr"), files: [File(info: FileInfo(id: "f", original: "a"), items: [.unit(unit)])])
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc)
        try validate(bytes, .strict)
        let messages = findings.map(\.message).joined(separator: "\n")
        for expected in ["glossary entries", "note categories", "match types", "candidate ids"] {
            XCTAssertTrue(messages.contains(expected), "\(expected) not reported in:\n\(messages)")
        }
        let out = text(bytes)
        XCTAssertTrue(out.contains("<target xml:lang=\"fr\" state=\"signed-off\">") || out.contains("state=\"signed-off\""), out)
        XCTAssertTrue(out.contains("<alt-trans mid=\"s1\" match-quality=\"80\">"), out)
    }

    func testControlCharactersFromXLIFF2AreReplacedAndReported() throws {
        let unit = Unit(id: "u", source: Content("bell\u{7}"))
        let doc = Document(info: DocumentInfo(sourceLanguage: "en"), files: [File(info: FileInfo(id: "f", original: "a"), items: [.unit(unit)])])
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc)
        XCTAssertTrue(text(bytes).contains("<source>bell\u{FFFD}</source>"))
        XCTAssertTrue(findings.contains { $0.message.contains("U+FFFD") })
        try validate(bytes, .strict)
    }

    /// A segmented unit's `<source>` is the parts' sources joined: an annotation spanning segments
    /// nests there, codes are numbered across parts, and text that runs on across a part boundary
    /// is one stretch (one control-character replacement reported, not one per part).
    func testSegmentedSourceIsThePartsJoined() throws {
        let term = Marker(boundary: .start, id: "t1", type: "term", value: "NATO")
        let first = Segment(source: Content([.text("Vive l’"), .marker(term), .text("OT\u{1}")]))
        let gap = Ignorable(source: Content([.text("\u{2} ")]))
        let second = Segment(source: Content([.text("AN"), .marker(Marker(boundary: .end, id: "t1")), .code(InlineCode(kind: .standalone, id: "", originalData: "<br/>")), .text(" & <fin>.")]))
        let unit = Unit(id: "p1", parts: [.segment(first), .ignorable(gap), .segment(second)])
        let doc = Document(info: DocumentInfo(sourceLanguage: "fr"), files: [File(info: FileInfo(id: "f", original: "a.txt"), items: [.unit(unit)])])
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc)
        let out = text(bytes)
        XCTAssertTrue(out.contains("<source>Vive l’<mrk mtype=\"term\" mid=\"t1\" comment=\"NATO\">OT\u{FFFD}\u{FFFD} AN</mrk><ph id=\"1\">&lt;br/&gt;</ph> &amp; &lt;fin&gt;.</source>"), out)
        // In <seg-source> the annotation crosses the segment boundary, so it is left out there.
        XCTAssertTrue(out.contains("<seg-source><mrk mtype=\"seg\" mid=\"1\">Vive l’OT\u{FFFD}</mrk>\u{FFFD} <mrk mtype=\"seg\" mid=\"2\">AN<ph id=\"1\">&lt;br/&gt;</ph> &amp; &lt;fin&gt;.</mrk></seg-source>"), out)
        let control = findings.filter { $0.message.contains("U+FFFD") }
        XCTAssertEqual(control.count, 1)
        // One stretch in <source>, then two texts in <seg-source>: three replacements reported.
        XCTAssertTrue(control.first?.message.contains("(3 times") == true, control.first?.message ?? "")
        try validate(bytes, .strict)
    }

    /// `<seg-source>` copies what `<source>` wrote for a part when it is written the same way
    /// there, and writes it anew otherwise: the bytes and the warnings' counts are those of
    /// writing every part twice (a term and a `<g>` inside their segments; a code whose warning
    /// counts each writing; text longer than the writer's buffer).
    func testSegmentedSourceAndSegSourceAgree() throws {
        let term = Marker(boundary: .start, id: "t1", type: "term")
        let bold = InlineCode(kind: .opening, id: "5", type: "fmt", subType: "xlf:b")
        let long = String(repeating: "Ça & là. ", count: 2_500)
        let unit = Unit(id: "p1", parts: [
            .segment(Segment(source: Content([.text("A "), .marker(term), .text("b"), .marker(Marker(boundary: .end, id: "t1")), .text(" c.")]))),
            .ignorable(Ignorable(source: " ")),
            .segment(Segment(source: Content([.text("D "), .code(bold), .text("e"), .code(InlineCode(kind: .closing, id: "5")), .text(".")]))),
            .ignorable(Ignorable(source: " ")),
            .segment(Segment(source: Content([.text("F"), .code(InlineCode(kind: .standalone, id: "", originalData: "<br/>", canReorder: .no)), .text(".")]))),
            .segment(Segment(source: Content(long))),
        ])
        let flat = Unit(id: "p2", parts: [
            .segment(Segment(source: Content([.text("G "), .code(InlineCode(kind: .standalone, id: "", originalData: "<br/>")), .text("h.")]))),
            .ignorable(Ignorable(source: " ")),
            .segment(Segment(source: Content([.text("I"), .code(InlineCode(kind: .standalone, id: "", originalData: "<hr/>", canReorder: .no))]))),
            .segment(Segment(source: Content([]))),
            .segment(Segment(source: Content(long))),
        ])
        let doc = Document(info: DocumentInfo(sourceLanguage: "fr"), files: [File(info: FileInfo(id: "f", original: "a.html"), items: [.unit(unit), .unit(flat)])])
        let (bytes, findings) = try XLIFF12Writer.bytes(of: doc)
        let out = text(bytes)
        let escaped = String(repeating: "Ça &amp; là. ", count: 2_500)
        XCTAssertTrue(out.contains("<source>A <mrk mtype=\"term\" mid=\"t1\">b</mrk> c. D <g id=\"5\" ctype=\"bold\">e</g>. F<ph id=\"3\">&lt;br/&gt;</ph>.\(escaped)</source>"), out)
        XCTAssertTrue(out.contains("<seg-source><mrk mtype=\"seg\" mid=\"1\">A <mrk mtype=\"term\" mid=\"t1\">b</mrk> c.</mrk> <mrk mtype=\"seg\" mid=\"2\">D <g id=\"5\" ctype=\"bold\">e</g>.</mrk> <mrk mtype=\"seg\" mid=\"3\">F<ph id=\"3\">&lt;br/&gt;</ph>.</mrk><mrk mtype=\"seg\" mid=\"4\">\(escaped)</mrk></seg-source>"), out)
        XCTAssertTrue(out.contains("<source>G <ph id=\"1\">&lt;br/&gt;</ph>h. I<ph id=\"2\">&lt;hr/&gt;</ph>\(escaped)</source>"), out)
        XCTAssertTrue(out.contains("<seg-source><mrk mtype=\"seg\" mid=\"1\">G <ph id=\"1\">&lt;br/&gt;</ph>h.</mrk> <mrk mtype=\"seg\" mid=\"2\">I<ph id=\"2\">&lt;hr/&gt;</ph></mrk><mrk mtype=\"seg\" mid=\"3\"/><mrk mtype=\"seg\" mid=\"4\">\(escaped)</mrk></seg-source>"), out)
        // Two codes that cannot be reordered, each written in <source> and in <seg-source>.
        let reorder = findings.filter { $0.message.contains("canReorder") }
        XCTAssertEqual(reorder.count, 1)
        XCTAssertTrue(reorder.first?.message.contains("(4 times") == true, reorder.first?.message ?? "")
        try validate(bytes, .strict)
    }

    func testIncompleteEventSequenceIsAnError() throws {
        let writer = try XLIFF12Writer(displayPath: "out.xlf") { _ in }
        try writer.write(.startDocument(DocumentInfo(sourceLanguage: "en")))
        XCTAssertThrowsError(try writer.write(.unit(Unit(id: "u", source: "x"))))
        XCTAssertThrowsError(try writer.finish())
    }
}
