import FileAccess
import TranslationModel
import XMLSupport

/// Writes concepts as TBX, one entry at a time, to a file that appears only when complete.
///
/// TBX 2008 output is TBX-Basic: `martif type="TBX-Basic"` with the `<!DOCTYPE martif SYSTEM
/// "TBXcoreStructV02.dtd">` line tools expect, valid against that DTD. TBX 2019 output is the
/// DCA style with the ISO namespace. Statuses are written as TBX-Basic `administrativeStatus`
/// values (`preferredTerm-admn-sts`, `admittedTerm-admn-sts`, `deprecatedTerm-admn-sts`);
/// TBX-Basic has no value for a forbidden term, so `forbiddenTerm-admn-sts` is written, which
/// the DTD accepts and `TBXReader` reads back. Identifiers that are not XML names, or repeat,
/// are made unique names (`1` → `c-1`), because the DTD types them as `ID`.
///
/// A TBX 2008 body must hold at least one entry: a termbase with no concept yields a
/// well-formed file that the DTD rejects, so callers should skip writing empty subsets.
public final class TBXWriter {
    private let file: AtomicFile?
    private var memory: ByteBuffer?
    private let xml: XMLStreamWriter
    private let format: TBXFormat
    private var usedIDs = Set<String>()
    private var count = 0

    /// Starts writing to `path` (through a `.verso-tmp-*` file); `protectedInputs` are never overwritten.
    public init(path: String, format: TBXFormat = .tbx2008, language: String?, sourceDescription: String? = nil, protectedInputs: [String] = []) throws {
        let file = try AtomicFile(destination: path, protectedInputs: protectedInputs)
        self.file = file
        self.memory = nil
        self.format = format
        xml = try XMLStreamWriter(displayPath: path) { bytes in try file.write(bytes) }
        try start(language: language, sourceDescription: sourceDescription)
    }

    /// Writes into memory; `bytes` holds the document after `finish()`.
    public init(format: TBXFormat = .tbx2008, language: String?, sourceDescription: String? = nil) throws {
        let memory = ByteBuffer()
        file = nil
        self.memory = memory
        self.format = format
        xml = try XMLStreamWriter(displayPath: "<memory>") { bytes in memory.bytes.append(contentsOf: bytes) }
        try start(language: language, sourceDescription: sourceDescription)
    }

    /// The document written so far (in-memory writers only).
    public var bytes: [UInt8] { memory?.bytes ?? [] }

    private func raw(_ s: String) throws {
        if let file { try file.write(s) } else { memory?.bytes.append(contentsOf: s.utf8) }
    }

    private func newline(_ depth: Int) throws {
        try xml.text("\n" + String(repeating: "  ", count: depth))
    }

    private func start(language: String?, sourceDescription: String?) throws {
        let lang = language ?? "en"
        let description = sourceDescription ?? "Termbase written by Verso."
        switch format {
        case .tbx2008:
            try raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE martif SYSTEM \"TBXcoreStructV02.dtd\">\n")
            try xml.startElement("martif")
            try xml.attribute("type", "TBX-Basic")
            try xml.attribute("xml:lang", lang)
            try newline(1)
            try xml.startElement("martifHeader")
            try xml.startElement("fileDesc")
            try xml.startElement("sourceDesc")
            try xml.element("p", text: description)
            try xml.endElement()
            try xml.endElement()
            try xml.startElement("encodingDesc")
            try xml.element("p", attributes: [("type", "XCSURI")], text: "TBXBasicXCSV02.xcs")
            try xml.endElement()
            try xml.endElement()
        case .tbx2019:
            try raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            try xml.startElement("tbx")
            try xml.attribute("xmlns", TBXFormat.namespace2019)
            try xml.attribute("type", "TBX-Basic")
            try xml.attribute("style", "dca")
            try xml.attribute("xml:lang", lang)
            try newline(1)
            try xml.startElement("tbxHeader")
            try xml.startElement("fileDesc")
            try xml.startElement("sourceDesc")
            try xml.element("p", text: description)
            try xml.endElement()
            try xml.endElement()
            try xml.endElement()
        }
        try newline(1)
        try xml.startElement("text")
        try newline(1)
        try xml.startElement("body")
    }

    /// A unique XML name for an identifier (the DTD types ids as `ID`).
    private func uniqueID(_ id: String?) -> String? {
        guard let id, !id.isEmpty else { return nil }
        var name = Self.xmlName(id)
        if usedIDs.contains(name) {
            var k = 2
            while usedIDs.contains("\(name)-\(k)") { k += 1 }
            name = "\(name)-\(k)"
        }
        usedIDs.insert(name)
        return name
    }

    /// `id` when it is an XML name, else a name derived from it (`12` → `c-12`).
    static func xmlName(_ id: String) -> String {
        func isStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isName(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." }
        var out = String(id.map { isName($0) ? $0 : "_" })
        if let f = out.first, !isStart(f) { out = "c-" + out }
        return out
    }

    private func statusValue(_ s: TermStatus) -> String {
        switch s {
        case .preferred: return "preferredTerm-admn-sts"
        case .admitted: return "admittedTerm-admn-sts"
        case .deprecated: return "deprecatedTerm-admn-sts"
        case .forbidden: return "forbiddenTerm-admn-sts"
        }
    }

    /// Writes one concept.
    public func write(_ concept: Concept) throws {
        let entryName = format == .tbx2008 ? "termEntry" : "conceptEntry"
        let sectionName = format == .tbx2008 ? "langSet" : "langSec"
        let termName = format == .tbx2008 ? "tig" : "termSec"
        let sections = concept.languageSections.filter { !$0.terms.isEmpty }
        guard !sections.isEmpty else { return }
        count += 1
        try newline(2)
        try xml.startElement(entryName)
        try xml.attribute("id", uniqueID(concept.id) ?? uniqueID("c\(count)")!)
        if let s = concept.subjectField { try newline(3); try xml.element("descrip", attributes: [("type", "subjectField")], text: s) }
        if let d = concept.definition { try newline(3); try xml.element("descrip", attributes: [("type", "definition")], text: d) }
        for n in concept.notes { try newline(3); try xml.element("note", text: n) }
        for section in sections {
            try newline(3)
            try xml.startElement(sectionName)
            try xml.attribute("xml:lang", section.language)
            if let d = section.definition { try newline(4); try xml.element("descrip", attributes: [("type", "definition")], text: d) }
            for n in section.notes { try newline(4); try xml.element("note", text: n) }
            for term in section.terms {
                try newline(4)
                try xml.startElement(termName)
                if let id = uniqueID(term.id) { try xml.attribute("id", id) }
                try newline(5)
                try xml.element("term", text: term.text)
                if let p = term.partOfSpeech { try newline(5); try xml.element("termNote", attributes: [("type", "partOfSpeech")], text: p) }
                if let s = term.status { try newline(5); try xml.element("termNote", attributes: [("type", "administrativeStatus")], text: statusValue(s)) }
                if let t = term.termType { try newline(5); try xml.element("termNote", attributes: [("type", "termType")], text: t) }
                if let g = term.grammaticalGender { try newline(5); try xml.element("termNote", attributes: [("type", "grammaticalGender")], text: g) }
                if let c = term.context { try newline(5); try xml.element("descrip", attributes: [("type", "context")], text: c) }
                for n in term.notes { try newline(5); try xml.element("note", text: n) }
                try newline(4)
                try xml.endElement()
            }
            try newline(3)
            try xml.endElement()
        }
        try newline(2)
        try xml.endElement()
    }

    /// Number of concepts written.
    public var conceptCount: Int { count }

    /// Closes the document and, for a file, moves it into place.
    public func finish() throws {
        try newline(1)
        try xml.endElement() // body
        try newline(1)
        try xml.endElement() // text
        try newline(0)
        try xml.endElement() // root
        try xml.endDocument()
        try raw("\n")
        if let file { try file.commit() }
    }

    /// Abandons a file being written: nothing appears at the destination.
    public func discard() {
        file?.discard()
    }

    /// Writes `concepts` to `path` atomically.
    public static func write(_ concepts: some Sequence<Concept>, to path: String, format: TBXFormat = .tbx2008, language: String?, sourceDescription: String? = nil, protectedInputs: [String] = []) throws {
        let writer = try TBXWriter(path: path, format: format, language: language, sourceDescription: sourceDescription, protectedInputs: protectedInputs)
        do {
            for c in concepts { try writer.write(c) }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The TBX document for `termbase`, in memory.
    public static func data(_ termbase: Termbase, format: TBXFormat = .tbx2008) throws -> [UInt8] {
        let writer = try TBXWriter(format: format, language: termbase.language ?? termbase.languages.first, sourceDescription: termbase.sourceDescription)
        for c in termbase.concepts { try writer.write(c) }
        try writer.finish()
        return writer.bytes
    }
}

/// Bytes collected by an in-memory writer (a class, so the XML writer's sink can append to it).
final class ByteBuffer {
    var bytes: [UInt8] = []
}
