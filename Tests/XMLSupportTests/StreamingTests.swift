import XCTest
import Foundation
import TestSupport
@testable import XMLSupport

final class StreamingTests: XCTestCase {
    func testEventsCarryNamespacesAttributesAndText() throws {
        let xml = """
        <?xml version="1.0"?>
        <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.1" srcLang="fr">
          <unit id="u1" xml:space="preserve"><segment><source>A &amp; <pc id="1">B</pc><![CDATA[<c>]]></source></segment></unit>
          <mda:metadata/>
        </xliff>
        """
        let reader = try XMLStreamReader(string: xml)
        var events: [XMLEvent] = []
        while let e = try reader.next() { events.append(e) }
        guard case .startElement(let root) = events.first else { return XCTFail() }
        XCTAssertEqual(root.name, XMLName(namespace: "urn:oasis:names:tc:xliff:document:2.0", local: "xliff"))
        XCTAssertEqual(root.attribute("srcLang"), "fr")
        XCTAssertEqual(Set(root.namespaceDeclarations.map(\.prefix)), ["", "mda"])
        let unit = events.compactMap { if case .startElement(let s) = $0, s.name.local == "unit" { return s } else { return nil } }.first
        XCTAssertEqual(unit?.attribute("space", namespace: XMLNamespace.xml), "preserve")
        let texts = events.compactMap { if case .text(let t) = $0 { return t } else { return nil } }
        XCTAssertTrue(texts.contains("A & "))
        XCTAssertTrue(texts.contains("<c>"))
        // Empty elements produce a start and an end.
        let mda = events.firstIndex { if case .startElement(let s) = $0 { return s.name.local == "metadata" } else { return false } }
        XCTAssertNotNil(mda)
        if let mda, case .endElement(let n) = events[mda + 1] { XCTAssertEqual(n.prefix, "mda") } else { XCTFail("no end event") }
    }

    func testWriterEscapesAndRoundTrips() throws {
        var bytes: [UInt8] = []
        let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
        try writer.startDocument()
        try writer.startElement("root")
        try writer.attribute("xmlns:x", "urn:x")
        try writer.attribute("a", "say \"hi\" & <go>\n")
        try writer.text("1 < 2 & 3 > 2\r\n")
        try writer.element("x:child", attributes: [("k", "v")])
        try writer.endDocument()
        let root = try XMLDocumentParser.parse(bytes: bytes, displayPath: "out.xml")
        XCTAssertEqual(root.attribute("a"), "say \"hi\" & <go>\n")
        XCTAssertEqual(root.children.first, .text("1 < 2 & 3 > 2\r\n"))
        XCTAssertEqual(root.elements.first?.name, XMLName(namespace: "urn:x", local: "child", prefix: "x"))
    }

    func testWriterOutputIsExactlyWhatXMLTextWriterWrote() throws {
        var bytes: [UInt8] = []
        let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
        try writer.startDocument()
        try writer.startElement("root")
        try writer.attribute("a", "tab\tline\ncr\r \"q\" & <é>")
        try writer.newline(indent: 2)
        try writer.startElement("empty")
        try writer.endElement()
        try writer.startElement("kept")
        try writer.endElementWithClosingTag()
        try writer.text("\"q\" 'a' & <b> é\r\n\t")
        try writer.comment(" note ")
        try writer.processingInstruction(target: "pi", data: "x=1")
        try writer.endDocument()
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
            <?xml version="1.0" encoding="UTF-8"?>
            <root a="tab&#9;line&#10;cr&#13; &quot;q&quot; &amp; &lt;é&gt;">
              <empty/><kept></kept>&quot;q&quot; 'a' &amp; &lt;b&gt; é&#13;
            \t<!-- note --><?pi x=1?></root>

            """)
    }

    /// Text and values with nothing to escape take a shorter way to the buffer: the bytes must be
    /// the same (empty, short, long, a TAB that only an attribute escapes, non-ASCII).
    func testWriterOutputOfPlainTextAndValuesIsExact() throws {
        var bytes: [UInt8] = []
        let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
        let long = String(repeating: "Ça va très bien. ", count: 500)
        try writer.startElement("r")
        try writer.attribute("empty", "")
        try writer.attribute("xml:lang", "fr")
        try writer.attribute("t", "a\tb")
        try writer.attribute("long", long)
        try writer.text("a\tb")
        try writer.text(long)
        try writer.endElement()
        try writer.endDocument()
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "<r empty=\"\" xml:lang=\"fr\" t=\"a&#9;b\" long=\"\(long)\">a\tb\(long)</r>\n")
    }

    func testWriterStreamsLongEscapedTextInChunks() throws {
        var bytes: [UInt8] = []
        var calls = 0
        let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0); calls += 1 }
        let text = String(repeating: "a<b>&\"c\" é ", count: 20_000)
        try writer.startElement("t")
        try writer.attribute("v", text)
        try writer.text(text)
        try writer.endDocument()
        XCTAssertGreaterThan(calls, 10, "output should reach the sink as it is written, not at the end")
        let root = try XMLDocumentParser.parse(bytes: bytes, displayPath: "out.xml")
        XCTAssertEqual(root.attribute("v"), text)
        XCTAssertEqual(root.children.first, .text(text))
    }

    /// Captured bytes are written again exactly, also when the capture outlived a hand-over of the
    /// staging buffer (long text) or began while a start tag was open.
    func testWriterWritesCapturedBytesAgain() throws {
        var bytes: [UInt8] = []
        let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
        let long = String(repeating: "a<b>&\"c\" é ", count: 3_000)
        try writer.startElement("r")
        try writer.startElement("s")
        XCTAssertTrue(writer.isStartTagOpen)
        writer.startCapture()
        let first = writer.captureMark + 1  // after the `>` of <s>
        try writer.text("x & y")
        let middle = writer.captureMark
        try writer.startElement("c")
        try writer.attribute("id", "1")
        try writer.endElement()
        try writer.text(long)
        let end = writer.captureMark
        writer.endCapture()
        try writer.endElement()
        try writer.startElement("t")
        try writer.writeCaptured(middle..<end)
        try writer.writeCaptured(first..<middle)
        try writer.endElement()
        try writer.startElement("empty")
        try writer.writeCaptured(end..<end)
        try writer.endDocument()
        let escaped = String(repeating: "a&lt;b&gt;&amp;&quot;c&quot; é ", count: 3_000)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self),
                       "<r><s>x &amp; y<c id=\"1\"/>\(escaped)</s><t><c id=\"1\"/>\(escaped)x &amp; y</t><empty/></r>\n")
    }

    /// A captured element numbered by an Int writes the same bytes as one whose value is the
    /// number's text.
    func testCapturedElementWithANumberWritesItsDigits() throws {
        func written(_ number: Int, asNumber: Bool) throws -> String {
            var bytes: [UInt8] = []
            let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
            try writer.startElement("r")
            writer.startCapture()
            let start = writer.captureMark + 1
            try writer.text("a < b")
            let end = writer.captureMark
            writer.endCapture()
            for range in [start..<end, end..<end] {
                if asNumber {
                    try writer.capturedElement(startTag: "<m mid=\"", number: number, endTag: "</m>", content: range)
                } else {
                    XCTAssertEqual(try writer.capturedElement(startTag: "<m mid=\"", value: String(number), endTag: "</m>", content: range), 0)
                }
            }
            try writer.endDocument()
            return String(decoding: bytes, as: UTF8.self)
        }
        for number in [0, 1, 9, 10, 255, 256, 123_456_789, Int.max] {
            let numbered = try written(number, asNumber: true)
            XCTAssertEqual(numbered, "<r>a &lt; b<m mid=\"\(number)\">a &lt; b</m><m mid=\"\(number)\"/></r>\n")
            XCTAssertEqual(numbered, try written(number, asNumber: false))
        }
    }

    /// `XMLEscaping.escapeMarkup` changes `&`, `<` and `>` only, in any piece of output room.
    func testEscapeMarkupChangesOnlyAmpersandAndAngleBrackets() {
        let pieces = ["{\"t\":\"<p class=\\\"x\\\">\"}\n", "&amp;", "é", "\u{FFFE}", "\r", "plain text longer than sixteen bytes ", ">", "<", "&"]
        var generator = SystemRandomNumberGenerator()
        let input = Array((0..<3_000).map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
        var expected: [UInt8] = []
        for b in input {
            switch b {
            case UInt8(ascii: "&"): expected += Array("&amp;".utf8)
            case UInt8(ascii: "<"): expected += Array("&lt;".utf8)
            case UInt8(ascii: ">"): expected += Array("&gt;".utf8)
            default: expected.append(b)
            }
        }
        for room in [5, 6, 17, 64, 100_000] {
            var out: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: room, alignment: 1)
            defer { buffer.deallocate() }
            input.withUnsafeBytes { all in
                var rest = all
                while !rest.isEmpty {
                    let (read, written) = XMLEscaping.escapeMarkup(rest, into: buffer)
                    XCTAssertTrue(read > 0 || written > 0, "no progress with \(room) bytes of room")
                    out += buffer[..<written]
                    rest = UnsafeRawBufferPointer(rebasing: rest[read...])
                }
            }
            XCTAssertEqual(out, expected, "\(room) bytes of room")
        }
    }

    func testWriterHandsTheSinksErrorBack() throws {
        struct DiskFull: Error {}
        let writer = try XMLStreamWriter(displayPath: "out.xml") { _ in throw DiskFull() }
        try writer.startElement("t")
        XCTAssertThrowsError(try {
            try writer.text(String(repeating: "x", count: 100_000))
            try writer.endDocument()
        }()) { XCTAssertTrue($0 is DiskFull, "\($0)") }
    }

    func testWriterRefusesAnAttributeOutsideAStartTag() throws {
        let writer = try XMLStreamWriter(displayPath: "out.xml") { _ in }
        try writer.startElement("a")
        try writer.text("x")
        XCTAssertThrowsError(try writer.attribute("k", "v"))
        XCTAssertThrowsError(try writer.processingInstruction(target: "p", data: "?>"))
    }

    func testDisallowedCharactersAreFoundWhereverTheyAre() {
        let clean = "Prix : 10 € — \t\n\r 日本 \u{F000}\u{FFFD}\u{1F600} fin."
        XCTAssertTrue(XMLCharacters.allAllowed(clean))
        XCTAssertTrue(XMLCharacters.allAllowed(""))
        for bad in ["\u{0}", "\u{7}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"] {
            for position in 0...clean.unicodeScalars.count {
                var scalars = Array(clean.unicodeScalars)
                scalars.insert(contentsOf: bad.unicodeScalars, at: position)
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars)
                XCTAssertFalse(XMLCharacters.allAllowed(String(s)), "U+\(String(bad.unicodeScalars.first!.value, radix: 16)) at \(position)")
            }
        }
    }

    /// Escaping and replacing run in one pass into the writer's staging buffer: the bytes must be
    /// what escaping the replaced text gives, wherever the buffer's end falls (long mixed text),
    /// whatever the replacement (one that needs escaping itself too), and characters starting
    /// with the same byte as U+FFFE (U+F000, U+FEFF, U+FFFD) must pass.
    func testWriterReplacesRefusedCharactersAndEscapesInOnePass() throws {
        func expected(_ s: String, attribute: Bool, replacement: Unicode.Scalar) -> (String, Int) {
            var out = "", replaced = 0
            for scalar in s.unicodeScalars {
                var c = scalar
                if !XMLCharacters.isAllowed(c) { c = replacement; replaced += 1 }
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "\r": out += "&#13;"
                case "\n" where attribute: out += "&#10;"
                case "\t" where attribute: out += "&#9;"
                default: out.unicodeScalars.append(c)
                }
            }
            return (out, replaced)
        }
        let pieces = ["é", "a", "&", "<", ">", "\"", "\r", "\n", "\t", "\u{0}", "\u{7}", "\u{1F}", "\u{FFFE}",
                      "\u{FFFF}", "\u{F000}", "\u{FEFF}", "\u{FFFD}", "日", "\u{1F600}", "plain text ",
                      // Clean stretches longer than the 8- and 16-byte blocks the escaping checks at once.
                      "a longer stretch of plain text, déjà vu, with nothing to escape ", "0123456789abcdefg"]
        var generator = SystemRandomNumberGenerator()
        let long = (0..<12_000).map { _ in pieces.randomElement(using: &generator)! }.joined()
        for replacement: Unicode.Scalar in ["\u{FFFD}", "?", "&"] {
            for value in ["", "x\u{0}y", "\u{FFFF}", long] {
                var bytes: [UInt8] = []
                let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
                try writer.startElement("r")
                let inAttribute = try writer.attribute("v", value, replacingDisallowedWith: replacement)
                let inText = try writer.text(value, replacingDisallowedWith: replacement)
                try writer.endDocument()
                let (attribute, replacedInAttribute) = expected(value, attribute: true, replacement: replacement)
                let (text, replacedInText) = expected(value, attribute: false, replacement: replacement)
                // Empty text writes nothing, so the element collapses.
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), value.isEmpty ? "<r v=\"\"/>\n" : "<r v=\"\(attribute)\">\(text)</r>\n")
                XCTAssertEqual(inAttribute, replacedInAttribute)
                XCTAssertEqual(inText, replacedInText)
            }
        }
    }

    func testNewlineWritesEverySpaceAskedFor() throws {
        for spaces in [0, 1, 127, 128, 129, 300] {
            var bytes: [UInt8] = []
            let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
            try writer.startElement("a")
            try writer.newline(indent: spaces)
            try writer.endDocument()
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "<a>\n" + String(repeating: " ", count: spaces) + "</a>\n", "\(spaces) spaces")
        }
    }

    func testTextIfAllowedWritesCleanTextAndTakesBackTextXMLCannotHold() throws {
        let long = String(repeating: "déjà & <vu> ", count: 1_000)
        for (refused, clean) in [("x\u{1}y", "a<b"), (long + "\u{FFFF}", long), ("\u{FFFE}" + long, "z")] {
            var bytes: [UInt8] = []
            let writer = try XMLStreamWriter(displayPath: "out.xml") { bytes.append(contentsOf: $0) }
            try writer.startElement("a")
            XCTAssertFalse(try writer.textIfAllowed(refused))
            // Nothing was written: the start tag is still open for attributes.
            try writer.attribute("k", "v")
            XCTAssertTrue(try writer.textIfAllowed(clean))
            XCTAssertFalse(try writer.textIfAllowed(refused))
            try writer.endDocument()
            let escaped = clean.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "<a k=\"v\">\(escaped)</a>\n")
        }
    }

    func testWriterRefusesControlCharacters() throws {
        let writer = try XMLStreamWriter(displayPath: "out.xml") { _ in }
        try writer.startElement("a")
        XCTAssertThrowsError(try writer.text("bell\u{7}"))
    }
}
