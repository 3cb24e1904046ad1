import Diagnostics
import FileAccess
import Foundation
import TranslationModel
import XMLSupport

/// Writes a TMX 1.4b document one translation unit at a time, valid against the TMX 1.4 DTD.
///
/// Inline codes become TMX's content markup: a code whose partner is in the same segment becomes
/// `<bpt>`/`<ept>` (paired by `i`), a code whose partner is elsewhere `<it pos="begin|end">`,
/// a standalone code `<ph>`; the native data is the element's text. Annotation markers have no
/// TMX equivalent and are dropped. Not `Sendable`: one owner writes it.
public final class TMXWriter {
    private let xml: XMLStreamWriter
    private let displayPath: String
    private var started = false
    private var finished = false
    /// Units written so far.
    public private(set) var unitCount = 0

    /// Creates a writer that hands its bytes to `sink`; `displayPath` names the output in errors.
    public init(header: TMXHeader, displayPath: String, sink: @escaping XMLStreamWriter.Sink) throws {
        self.displayPath = displayPath
        xml = try XMLStreamWriter(displayPath: displayPath, sink: sink)
        try writeHeader(header)
    }

    /// Creates a writer into an atomic output file (committed by the caller after `finish()`).
    public convenience init(header: TMXHeader, file: AtomicFile) throws {
        try self.init(header: header, displayPath: file.destination) { try file.write($0) }
    }

    /// The current time in TMX's date format (`20240131T235959Z`, UTC).
    public static func timestamp(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    private func writeHeader(_ header: TMXHeader) throws {
        try xml.startDocument()
        try xml.startElement("tmx")
        try xml.attribute("version", TMXFormat.version)
        try xml.text("\n  ")
        try xml.startElement("header")
        try xml.attribute("creationtool", header.creationTool)
        try xml.attribute("creationtoolversion", header.creationToolVersion)
        try xml.attribute("segtype", header.segmentType)
        try xml.attribute("o-tmf", header.originalFormat)
        try xml.attribute("adminlang", header.adminLanguage)
        try xml.attribute("srclang", header.sourceLanguage)
        try xml.attribute("datatype", header.dataType)
        for name in ["o-encoding", "creationdate", "creationid", "changedate", "changeid"] {
            try xml.attribute(name, ifPresent: header.attributes[name])
        }
        try writeNotesAndProperties(header.notes, header.properties, indent: "\n    ")
        if !header.notes.isEmpty || !header.properties.isEmpty { try xml.text("\n  ") }
        try xml.endElement()
        try xml.text("\n  ")
        try xml.startElement("body")
        started = true
    }

    private func writeNotesAndProperties(_ notes: [TMXNote], _ properties: [TMXProperty], indent: String) throws {
        for note in notes {
            try xml.text(indent)
            try xml.startElement("note")
            try xml.attribute("xml:lang", ifPresent: note.language)
            try xml.text(note.text)
            try xml.endElementWithClosingTag()
        }
        for property in properties {
            try xml.text(indent)
            try xml.startElement("prop")
            try xml.attribute("type", property.type)
            try xml.attribute("xml:lang", ifPresent: property.language)
            try xml.text(property.value)
            try xml.endElementWithClosingTag()
        }
    }

    /// The `<tu>` attributes the DTD allows besides `tuid`.
    static let unitAttributes = ["o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
                                 "creationtoolversion", "creationdate", "creationid", "changedate", "segtype",
                                 "changeid", "o-tmf", "srclang"]
    /// The `<tuv>` attributes the DTD allows besides `xml:lang`.
    static let variantAttributes = ["o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
                                    "creationtoolversion", "creationdate", "creationid", "changedate", "o-tmf",
                                    "changeid"]

    /// Writes one translation unit. A unit needs at least one variant (the DTD's `tuv+`).
    public func write(_ unit: TMXUnit) throws {
        guard started, !finished else {
            throw TMXError(location: SourceLocation(file: displayPath), message: "internal error: unit written after finish()")
        }
        guard !unit.variants.isEmpty else {
            throw TMXError(location: SourceLocation(file: displayPath), message: "a translation unit needs at least one variant")
        }
        try xml.text("\n    ")
        try xml.startElement("tu")
        try xml.attribute("tuid", ifPresent: unit.id)
        for name in Self.unitAttributes { try xml.attribute(name, ifPresent: unit.attributes[name]) }
        try writeNotesAndProperties(unit.notes, unit.properties, indent: "\n      ")
        for variant in unit.variants {
            try xml.text("\n      ")
            try xml.startElement("tuv")
            try xml.attribute("xml:lang", variant.language)
            for name in Self.variantAttributes { try xml.attribute(name, ifPresent: variant.attributes[name]) }
            try writeNotesAndProperties(variant.notes, variant.properties, indent: "\n        ")
            try xml.text(variant.notes.isEmpty && variant.properties.isEmpty ? "" : "\n        ")
            try xml.startElement("seg")
            try writeContent(variant.content)
            try xml.endElementWithClosingTag()
            try xml.text(variant.notes.isEmpty && variant.properties.isEmpty ? "" : "\n      ")
            try xml.endElement()
        }
        try xml.text("\n    ")
        try xml.endElement()
        unitCount += 1
    }

    /// Writes the segment's runs as TMX content markup.
    private func writeContent(_ content: Content) throws {
        // Pair opening and closing codes present in this segment; the others are isolated.
        var openIDs: [String: Int] = [:]
        var paired: Set<Int> = []
        for (index, run) in content.runs.enumerated() {
            guard case .code(let code) = run else { continue }
            if code.kind == .opening && !code.isolated { openIDs[code.id] = index }
            if code.kind == .closing && !code.isolated, let start = openIDs.removeValue(forKey: code.id) {
                paired.insert(start)
                paired.insert(index)
            }
        }
        var pairNumbers: [String: Int] = [:]
        var nextPair = 1
        for (index, run) in content.runs.enumerated() {
            switch run {
            case .text(let text):
                try xml.text(text)
            case .marker:
                continue
            case .code(let code):
                let type = code.type.flatMap(Self.tmxType) ?? code.ctype.flatMap(Self.tmxType)
                switch code.kind {
                case .opening where paired.contains(index):
                    let i = nextPair
                    nextPair += 1
                    pairNumbers[code.id] = i
                    try xml.startElement("bpt")
                    try xml.attribute("i", String(i))
                    try xml.attribute("x", ifPresent: Self.numericX(code.id))
                    try xml.attribute("type", ifPresent: type)
                case .closing where paired.contains(index):
                    try xml.startElement("ept")
                    try xml.attribute("i", String(pairNumbers[code.id] ?? 0))
                case .opening, .closing:
                    try xml.startElement("it")
                    try xml.attribute("pos", code.kind == .opening ? "begin" : "end")
                    try xml.attribute("x", ifPresent: Self.numericX(code.id))
                    try xml.attribute("type", ifPresent: type)
                case .standalone:
                    try xml.startElement("ph")
                    try xml.attribute("x", ifPresent: Self.numericX(code.id))
                    try xml.attribute("type", ifPresent: type)
                }
                try xml.text(code.originalData ?? "")
                try xml.endElementWithClosingTag()
            }
        }
    }

    /// TMX's `x` links codes across variants and must be a number: use the code id when it is one.
    static func numericX(_ id: String) -> String? {
        guard let n = Int(id), n >= 0 else { return nil }
        return String(n)
    }

    /// TMX `type` values for the XLIFF 2 code types and XLIFF 1.2 `ctype`s that have one.
    static func tmxType(_ value: String) -> String? {
        switch value {
        case "fmt": return nil
        case "bold", "italic", "ulined", "dulined", "struct", "link", "scap", "font", "cb", "lb",
             "strong", "emphasis", "image", "ui", "index", "date", "time", "fnote", "enote",
             "alt", "caps", "prcnt", "tm":
            return value
        case "underlined": return "ulined"
        default: return value.hasPrefix("x-") ? value : nil
        }
    }

    /// Closes the body and the document and flushes everything to the sink.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try xml.text("\n  ")
        try xml.endElement() // body
        try xml.text("\n")
        try xml.endElement() // tmx
        try xml.endDocument()
    }
}
