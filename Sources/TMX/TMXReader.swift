import Diagnostics
import TranslationModel
import XMLSupport

/// Reads a TMX document (1.1 to 1.4b) one translation unit at a time, so a memory of any size
/// streams through in constant memory.
///
/// The header is read when the reader opens. Content markup becomes `Content` runs: `<bpt>`/
/// `<ept>` paired codes (sharing the `i` number as id), `<it>` isolated codes, `<ph>` and the
/// deprecated `<ut>` standalone codes, each with its native data (the text of any `<sub>` inside
/// included); `<hi>` becomes a pair of markers. Problems that let the reading go on (a missing
/// header attribute, a `<tuv>` without a language) are `findings`; a document that is not
/// well-formed or not TMX throws. Not `Sendable`: one owner reads it.
public final class TMXReader {
    private let xml: XMLStreamReader
    /// The document's header.
    public private(set) var header: TMXHeader
    /// The `version` attribute of `<tmx>`.
    public private(set) var version: String
    /// Problems found so far that did not stop the reading.
    public private(set) var findings: [Finding] = []
    private var inBody = false
    private var done = false
    private var markerCounter = 0

    /// Opens the TMX file at `path`; `displayPath` (default: `path`) names it in diagnostics.
    public convenience init(path: String, displayPath: String? = nil) throws {
        try self.init(xml: XMLStreamReader(path: path, displayPath: displayPath))
    }

    /// Reads a TMX document held in memory.
    public convenience init(bytes: [UInt8], displayPath: String) throws {
        try self.init(xml: XMLStreamReader(bytes: bytes, displayPath: displayPath))
    }

    private init(xml: XMLStreamReader) throws {
        self.xml = xml
        header = TMXHeader(creationTool: "", creationToolVersion: "", originalFormat: "", sourceLanguage: "")
        version = ""
        // The root element.
        var root: XMLStartElement?
        while let event = try xml.next() {
            if case .startElement(let start) = event { root = start; break }
        }
        guard let root else { throw TMXError(location: xml.location, message: "empty document: no <tmx> element") }
        guard root.name.local == "tmx", root.name.namespace.isEmpty else {
            throw TMXError(location: SourceLocation(file: xml.displayPath, line: root.line), message: "not a TMX document: the root element is <\(root.name.qualified)>, expected <tmx>")
        }
        version = root.attribute("version") ?? ""
        if version.isEmpty {
            warn("<tmx> has no version attribute; reading it as TMX 1.4", line: root.line)
        } else if !["1.1", "1.2", "1.3", "1.4", "1.4b"].contains(version) {
            warn("unknown TMX version '\(version)'; reading it as TMX 1.4", line: root.line)
        }
        // The header, then the start of the body.
        var sawHeader = false
        while let event = try xml.next() {
            switch event {
            case .startElement(let start) where start.name.local == "header":
                header = try readHeader(start)
                sawHeader = true
            case .startElement(let start) where start.name.local == "body":
                if !sawHeader { warn("<body> without a <header> before it", line: start.line) }
                inBody = true
                return
            case .startElement(let start):
                warn("unexpected element <\(start.name.qualified)> in <tmx>; skipped", line: start.line)
                try xml.skipElement()
            case .endElement:
                done = true
                if !sawHeader { throw TMXError(location: xml.location, message: "<tmx> has no <header> and no <body>") }
                return
            default:
                continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends before <body>")
    }

    private func warn(_ message: String, line: Int? = nil) {
        var location = xml.location
        if let line, line > 0 { location = SourceLocation(file: xml.displayPath, line: line) }
        findings.append(Finding(.warning, message, at: location, code: "tmx.lenient"))
    }

    private func readHeader(_ start: XMLStartElement) throws -> TMXHeader {
        func required(_ name: String, _ fallback: String) -> String {
            if let value = start.attribute(name) { return value }
            warn("<header> lacks the required attribute '\(name)'", line: start.line)
            return fallback
        }
        var header = TMXHeader(
            creationTool: required("creationtool", ""), creationToolVersion: required("creationtoolversion", ""),
            segmentType: required("segtype", "sentence"), originalFormat: required("o-tmf", ""),
            adminLanguage: required("adminlang", "en"), sourceLanguage: required("srclang", "*all*"),
            dataType: required("datatype", "unknown"))
        for name in ["o-encoding", "creationdate", "creationid", "changedate", "changeid"] {
            if let value = start.attribute(name) { header.attributes[name] = value }
        }
        try readChildren(of: "header") { child in
            switch child.name.local {
            case "note": header.notes.append(try readNote(child))
            case "prop": if let p = try readProperty(child) { header.properties.append(p) }
            default: try xml.skipElement() // <ude>, extensions
            }
        }
        return header
    }

    /// Calls `body` for each child element of the element just started; text between is ignored.
    private func readChildren(of parent: String, _ body: (XMLStartElement) throws -> Void) throws {
        while let event = try xml.next() {
            switch event {
            case .startElement(let child): try body(child)
            case .endElement: return
            default: continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends inside <\(parent)>")
    }

    private func text(of element: String) throws -> String {
        var out = ""
        while let event = try xml.next() {
            switch event {
            case .text(let t): out += t
            case .startElement: try xml.skipElement()
            case .endElement: return out
            default: continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends inside <\(element)>")
    }

    private func language(_ start: XMLStartElement) -> String? {
        start.attribute("lang", namespace: XMLNamespace.xml) ?? start.attribute("lang")
    }

    private func readNote(_ start: XMLStartElement) throws -> TMXNote {
        TMXNote(try text(of: "note"), language: language(start))
    }

    private func readProperty(_ start: XMLStartElement) throws -> TMXProperty? {
        let value = try text(of: "prop")
        guard let type = start.attribute("type") else {
            warn("<prop> without the required 'type' attribute; ignored", line: start.line)
            return nil
        }
        return TMXProperty(type: type, value: value, language: language(start))
    }

    /// The next translation unit, or nil at the end of the body.
    public func next() throws -> TMXUnit? {
        guard inBody, !done else { return nil }
        while let event = try xml.next() {
            switch event {
            case .startElement(let start) where start.name.local == "tu":
                return try readUnit(start)
            case .startElement(let start):
                warn("unexpected element <\(start.name.qualified)> in <body>; skipped", line: start.line)
                try xml.skipElement()
            case .endElement:
                done = true
                // Drain the rest so that a well-formedness error after </body> still shows.
                while try xml.next() != nil {}
                return nil
            default:
                continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends inside <body>")
    }

    private func readUnit(_ start: XMLStartElement) throws -> TMXUnit {
        var unit = TMXUnit(id: start.attribute("tuid"), line: start.line)
        for attribute in start.attributes where attribute.name.namespace.isEmpty && attribute.name.local != "tuid" {
            unit.attributes[attribute.name.local] = attribute.value
        }
        try readChildren(of: "tu") { child in
            switch child.name.local {
            case "note": unit.notes.append(try readNote(child))
            case "prop": if let p = try readProperty(child) { unit.properties.append(p) }
            case "tuv":
                if let variant = try readVariant(child) { unit.variants.append(variant) }
            default:
                warn("unexpected element <\(child.name.qualified)> in <tu>; skipped", line: child.line)
                try xml.skipElement()
            }
        }
        if unit.variants.isEmpty { warn("<tu> without any <tuv>", line: start.line) }
        return unit
    }

    private func readVariant(_ start: XMLStartElement) throws -> TMXVariant? {
        let lang = language(start)
        var variant = TMXVariant(language: lang ?? "", content: Content())
        for attribute in start.attributes where attribute.name.namespace.isEmpty && attribute.name.local != "lang" {
            variant.attributes[attribute.name.local] = attribute.value
        }
        var sawSegment = false
        try readChildren(of: "tuv") { child in
            switch child.name.local {
            case "note": variant.notes.append(try readNote(child))
            case "prop": if let p = try readProperty(child) { variant.properties.append(p) }
            case "seg":
                variant.content = try readSegment()
                sawSegment = true
            default:
                warn("unexpected element <\(child.name.qualified)> in <tuv>; skipped", line: child.line)
                try xml.skipElement()
            }
        }
        guard let lang, !lang.isEmpty else {
            warn("<tuv> without xml:lang; ignored", line: start.line)
            return nil
        }
        if !sawSegment { warn("<tuv xml:lang=\"\(lang)\"> without a <seg>", line: start.line) }
        return variant
    }

    /// Reads `<seg>` content up to its end tag.
    private func readSegment() throws -> Content {
        var content = Content()
        var openHighlights: [String] = []
        var isolatedCounter = 0
        while let event = try xml.next() {
            switch event {
            case .text(let t):
                content.append(text: t)
            case .startElement(let start):
                let name = start.name.local
                let x = start.attribute("x")
                let type = start.attribute("type")
                switch name {
                case "bpt", "ept":
                    let i = start.attribute("i") ?? x ?? ""
                    if i.isEmpty { warn("<\(name)> without the required 'i' attribute", line: start.line) }
                    let data = try codeData(name)
                    content.append(.code(InlineCode(kind: name == "bpt" ? .opening : .closing, id: i, originalData: data,
                                                    type: name == "bpt" ? Self.codeType(type) : nil, ctype: type)))
                case "it":
                    isolatedCounter += 1
                    let pos = start.attribute("pos")
                    if pos != "begin" && pos != "end" { warn("<it> needs pos=\"begin\" or pos=\"end\"", line: start.line) }
                    let data = try codeData(name)
                    content.append(.code(InlineCode(kind: pos == "end" ? .closing : .opening, id: x ?? "it\(isolatedCounter)",
                                                    isolated: true, originalData: data, type: Self.codeType(type), ctype: type)))
                case "ph", "ut":
                    isolatedCounter += 1
                    let data = try codeData(name)
                    content.append(.code(InlineCode(kind: .standalone, id: x ?? "\(name)\(isolatedCounter)", originalData: data,
                                                    type: Self.codeType(type), ctype: type)))
                case "hi":
                    markerCounter += 1
                    let id = "hi\(markerCounter)"
                    openHighlights.append(id)
                    content.append(.marker(Marker(boundary: .start, id: id, type: type)))
                default:
                    warn("unexpected element <\(start.name.qualified)> in <seg>; its text is kept", line: start.line)
                    content.append(text: try text(of: name))
                }
            case .endElement(let name):
                if name.local == "hi", let id = openHighlights.popLast() {
                    content.append(.marker(Marker(boundary: .end, id: id)))
                    continue
                }
                return content
            default:
                continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends inside <seg>")
    }

    /// The native data of a code element: all its text, `<sub>` text included.
    private func codeData(_ element: String) throws -> String {
        var out = ""
        var depth = 1
        while let event = try xml.next() {
            switch event {
            case .text(let t): out += t
            case .startElement: depth += 1
            case .endElement:
                depth -= 1
                if depth == 0 { return out }
            default: continue
            }
        }
        throw TMXError(location: xml.location, message: "the document ends inside <\(element)>")
    }

    /// XLIFF 2 code categories for TMX types that have one.
    static func codeType(_ type: String?) -> String? {
        switch type {
        case "bold", "italic", "ulined", "dulined", "font", "scap", "caps", "strong", "emphasis": return "fmt"
        case "link": return "link"
        case "image": return "image"
        case "ui": return "ui"
        case nil: return nil
        default: return "other"
        }
    }

    /// Reads a whole TMX file: its header, its units and the findings.
    public static func read(path: String, displayPath: String? = nil) throws -> (header: TMXHeader, units: [TMXUnit], findings: [Finding]) {
        let reader = try TMXReader(path: path, displayPath: displayPath)
        var units: [TMXUnit] = []
        while let unit = try reader.next() { units.append(unit) }
        return (reader.header, units, reader.findings)
    }
}
