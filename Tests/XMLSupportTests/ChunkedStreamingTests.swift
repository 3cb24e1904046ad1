import XCTest
import TestSupport
@testable import XMLSupport

/// XMLStreamReader feeds libxml2's SAX parser 64 KiB at a time: what the events say must not
/// depend on where the chunks end, and what the SAX layer hands over raw (attribute values with
/// `&#38;`, DTD comments, entity replacement text checked by a nested parser) must come out as
/// the document says.
final class ChunkedStreamingTests: XCTestCase {
    private func events(_ reader: XMLStreamReader) throws -> [XMLEvent] {
        var out: [XMLEvent] = []
        while let e = try reader.next() { out.append(e) }
        return out
    }

    private func temporaryFile(_ bytes: [UInt8], name: String = "doc.xml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verso-chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testTextLongerThanAChunkIsOneEventWithEveryCharacter() throws {
        // 300 000 characters with references and a CDATA section spread over five chunks.
        var body = ""
        for i in 0..<20_000 { body += "mot\(i % 10) &amp; " }
        let expected = body.replacingOccurrences(of: "&amp;", with: "&") + "<kept>"
        let xml = "<?xml version=\"1.0\"?><root><t>\(body)<![CDATA[<kept>]]></t><u/></root>"
        for reader in [try XMLStreamReader(path: try temporaryFile(Array(xml.utf8))),
                       try XMLStreamReader(string: xml)] {
            let texts = try events(reader).compactMap { if case .text(let t) = $0 { return t } else { return nil } }
            XCTAssertEqual(texts.count, 1)
            XCTAssertEqual(texts.first?.count, expected.count)
            XCTAssertEqual(texts.first, expected)
        }
    }

    func testAttributeValuesAreDecodedOnce() throws {
        let xml = #"<r a="x &amp; y" b="&lt;&gt;&quot;&apos;" c="&#38;&#x26;" d="&amp;#38;" e="tab&#9;end"/>"#
        guard case .startElement(let r)? = try XMLStreamReader(string: xml).next() else { return XCTFail("no start") }
        XCTAssertEqual(r.attribute("a"), "x & y")
        XCTAssertEqual(r.attribute("b"), "<>\"'")
        XCTAssertEqual(r.attribute("c"), "&&")
        XCTAssertEqual(r.attribute("d"), "&#38;")
        XCTAssertEqual(r.attribute("e"), "tab\tend")
        // The cursor API sees the same values.
        let reader = try XMLStreamReader(string: xml)
        _ = try reader.advance()
        var values: [String] = []
        reader.forEachAttribute { _, _, value in values.append(value.string) }
        XCTAssertEqual(values, ["x & y", "<>\"'", "&&", "&#38;", "tab\tend"])
    }

    func testDeclaredEntityInAnAttributeIsRefused() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY who "World"> ]>
        <r a="Hello &who;"/>
        """
        XCTAssertThrowsError(try events(XMLStreamReader(string: xml, displayPath: "e.xml"))) { error in
            let e = error as? XMLError
            XCTAssertEqual(e?.location.file, "e.xml")
            XCTAssertEqual(e?.location.line, 3)
            XCTAssertTrue(e?.message.contains("'&who;' refused") ?? false, e?.message ?? "")
        }
    }

    func testDeclaredEntityInContentIsRefusedAndItsTextNeverReported() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY who "<b>World</b>"> ]>
        <r>Hello
        &who;</r>
        """
        let reader = try XMLStreamReader(string: xml, displayPath: "e.xml")
        var seen: [XMLEvent] = []
        XCTAssertThrowsError(try { while let e = try reader.next() { seen.append(e) } }()) { error in
            XCTAssertEqual((error as? XMLError)?.location.line, 4)
            XCTAssertTrue((error as? XMLError)?.message.contains("'&who;' refused") ?? false)
        }
        XCTAssertFalse(seen.contains(.text("World")))
        XCTAssertFalse(seen.contains { if case .startElement(let s) = $0 { return s.name.local == "b" } else { return false } })
    }

    func testLinesPastTheSixteenBitLimitAreExact() throws {
        var xml = "<root>\n"
        for _ in 0..<70_000 { xml += "<x/>\n" }
        xml += "<last\n  a=\"1\">\ntext\n</last>\n</root>\n"
        let reader = try XMLStreamReader(path: try temporaryFile(Array(xml.utf8)))
        var startLine = 0, endLine = 0
        while let kind = try reader.advance() {
            guard reader.localName == reader.atom("last") else { continue }
            if kind == .startElement { startLine = reader.currentLine }
            if kind == .endElement { endLine = reader.currentLine }
        }
        XCTAssertEqual(startLine, 70_003, "the line where the start tag ends")
        XCTAssertEqual(endLine, 70_003, "an end tag reports its start tag's line")
    }

    func testUTF16DocumentWithByteOrderMark() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><r a=\"é\">Biélorussie — ok</r>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in xml.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        let all = try events(XMLStreamReader(path: try temporaryFile(bytes)))
        guard case .startElement(let r)? = all.first else { return XCTFail("no start") }
        XCTAssertEqual(r.attribute("a"), "é")
        XCTAssertTrue(all.contains(.text("Biélorussie — ok")))
    }

    func testCommentsAndInstructionsOfTheDocumentOnlyNotOfItsDTD() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!-- in the DTD --> <?dtd-pi x?> <!ELEMENT r ANY> ]>
        <!-- before --><r><?app data here?><!-- inside --></r>
        """
        let all = try events(XMLStreamReader(string: xml))
        XCTAssertEqual(all.filter { if case .comment = $0 { return true } else { return false } }, [.comment(" before "), .comment(" inside ")])
        XCTAssertEqual(all.filter { if case .processingInstruction = $0 { return true } else { return false } },
                       [.processingInstruction(target: "app", data: "data here")])
    }

    func testEventsBeforeAnErrorComeOutThenTheError() throws {
        var xml = "<root>\n"
        for i in 0..<5_000 { xml += "<u id=\"\(i)\">text</u>\n" }
        xml += "<u id=\"bad\">text</v>\n</root>\n"
        let reader = try XMLStreamReader(path: try temporaryFile(Array(xml.utf8)), displayPath: "bad.xml")
        var units = 0
        XCTAssertThrowsError(try { while let kind = try reader.advance() { if kind == .startElement, reader.localName == reader.atom("u") { units += 1 } } }()) { error in
            let e = error as? XMLError
            XCTAssertEqual(e?.location.file, "bad.xml")
            XCTAssertEqual(e?.location.line, 5_002)
            XCTAssertNotNil(e?.location.column)
        }
        XCTAssertEqual(units, 5_001, "every unit before the broken one was reported")
    }

    func testEntityReferringToABigEntityIsRefusedBeforeAnyTextIsParsed() throws {
        // "b" names a 1 MB entity 20 000 times: checking b's text by parsing it, as libxml2 does
        // for an entity it has not seen, would parse 20 GB. It is refused when looked up.
        let big = String(repeating: "A", count: 1 << 20)
        let refs = String(repeating: "&a;", count: 20_000)
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"\(big)\"><!ENTITY b \"\(refs)\">]>\n<r>\n&b;</r>\n"
        let path = try temporaryFile(Array(xml.utf8))
        XCTAssertThrowsError(try events(XMLStreamReader(path: path, displayPath: "amp.xml"))) { error in
            let e = error as? XMLError
            XCTAssertEqual(e?.location.line, 4)
            XCTAssertTrue(e?.message.contains("'&b;' refused") ?? false, e?.message ?? "")
            XCTAssertTrue(e?.message.contains("billion laughs") ?? false, "b refers to other entities: \(e?.message ?? "")")
        }
    }

    func testUndecodableBytesInADeclaredEncodingAreAnError() throws {
        // A UTF-16 lone surrogate, and a byte windows-1252 leaves undefined past the first chunk.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in Array("<r>ab".utf16) + [0xD800] + Array("A</r>".utf16) { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let latin = Array("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<r>\(String(repeating: "caf\u{E9} ", count: 20_000))".utf8)
        var cp1252 = Array(String(decoding: latin, as: UTF8.self).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        cp1252 += [0x0A, 0x81] + Array("</r>\n".utf8)
        for (bytes, name) in [(utf16, "utf16.xml"), (cp1252, "cp1252.xml")] {
            XCTAssertThrowsError(try events(XMLStreamReader(path: try temporaryFile(bytes, name: name), displayPath: name)), name) { error in
                let e = error as? XMLError
                XCTAssertEqual(e?.location.file, name)
                XCTAssertNotNil(e?.location.line, "\(name): \(String(describing: e))")
            }
        }
    }

    func testTextLongerThanLibxml2sLimitIsRefused() throws {
        let xml = Array("<r>\n".utf8) + [UInt8](repeating: 0x61, count: 10_000_001) + Array("</r>".utf8)
        XCTAssertThrowsError(try events(XMLStreamReader(path: try temporaryFile(xml), displayPath: "long.xml"))) { error in
            let e = error as? XMLError
            XCTAssertEqual(e?.location.file, "long.xml")
            XCTAssertTrue(e?.message.contains("more than 10000000 bytes") ?? false, e?.message ?? "")
        }
    }

    func testNothingComesAfterANamespaceError() throws {
        // libxml2 reports an undeclared prefix and goes on; the reader stops there.
        let xml = "<r>\n<a/>\n<p:x/>\n<b/>\n</r>"
        let reader = try XMLStreamReader(string: xml, displayPath: "ns.xml")
        var names: [String] = []
        XCTAssertThrowsError(try { while let e = try reader.next() { if case .startElement(let s) = e { names.append(s.name.local) } } }()) { error in
            XCTAssertEqual((error as? XMLError)?.location.line, 3)
        }
        XCTAssertEqual(names, ["r", "a"])
    }
}
