import Diagnostics
import FileAccess
import TranslationModel
import XMLSupport

/// Writes document events as XLIFF 1.2, one unit at a time, through libxml2's writer.
///
/// By default the output validates against `xliff-core-1.2-strict.xsd`: markup in namespaces that
/// have no schema (memoQ, Trados, Okapi, ITS…) and attributes only the transitional schema knows
/// are left out, each kind reported once as a warning. With `keepExtensions` they are written back
/// and the output validates against `xliff-core-1.2-transitional.xsd`. Data XLIFF 1.2 cannot hold
/// (glossary entries, XLIFF 2 match types, per-segment states that differ) is reported too.
/// Values the schema would reject (`restype="menupopup"`, a repeated `trans-unit` id) are repaired
/// with a warning rather than written invalid. Indentation is added only between structural
/// elements, never inside text. Not `Sendable`: one owner writes it.
///
/// Use: create it over an `AtomicFile` (or any byte sink), `write` the events of a document,
/// `finish()`, then commit the file.
public final class XLIFF12Writer: DocumentWriter {
    /// How to write.
    public struct Options: Sendable {
        /// Keep foreign-namespace markup and transitional attributes (output valid against the
        /// transitional schema) instead of leaving them out (strict schema).
        public var keepExtensions: Bool
        /// Indent structural elements (never text).
        public var indent: Bool

        /// Creates options.
        public init(keepExtensions: Bool = false, indent: Bool = true) {
            self.keepExtensions = keepExtensions
            self.indent = indent
        }
    }

    private let xml: XMLStreamWriter
    private let options: Options
    private let displayPath: String
    @exclusivity(unchecked) private var log = FindingLog()
    @exclusivity(unchecked) private var state = WriterState.initial
    @exclusivity(unchecked) private var document: DocumentInfo?
    @exclusivity(unchecked) private var file: FileInfo?
    @exclusivity(unchecked) private var fileSourceLanguage = ""
    @exclusivity(unchecked) private var fileTargetLanguage: String?
    @exclusivity(unchecked) private var groups: [OpenGroup] = []
    /// Ids written in the current file (XLIFF 1.2 wants `trans-unit` and `group` ids unique).
    @exclusivity(unchecked) private var unitIDs = XLIFFIDSet()
    @exclusivity(unchecked) private var groupIDs = XLIFFIDSet()
    @exclusivity(unchecked) private var contextGroupNames = Set<String>()
    @exclusivity(unchecked) private var toolIDs = Set<String>()
    @exclusivity(unchecked) private var phaseNames = Set<String>()
    @exclusivity(unchecked) private var fileSpace: Bool?
    @exclusivity(unchecked) private var depth = 0
    @exclusivity(unchecked) private var bindings: [String: String] = ["xml": XMLNamespace.xml]
    /// The bindings to restore when an element closes, each with the `depth` of the element that
    /// changed it, in the order changed: one flat list, since few elements change any (a list
    /// per element cost every element an array append and removal).
    @exclusivity(unchecked) private var bindingUndo: [(depth: Int, prefix: String, previous: String?)] = []
    @exclusivity(unchecked) private var generatedPrefixes = 0
    /// Per open element: whether a structural child was written on its own line (then the end
    /// tag goes on its own line too).
    @exclusivity(unchecked) private var hasChildLines: [Bool] = []
    /// Reused between units so that inline content does not allocate its token list each time.
    @exclusivity(unchecked) private var tokenBuffer: [Token] = []
    /// Reused between units: the `mid`s of a unit's segments.
    @exclusivity(unchecked) private var midBuffer: [String] = []
    /// Reused between units: the parts of a segmented unit, as `writeSegmented` reads them.
    @exclusivity(unchecked) private var partViewBuffer: [PartView] = []
    /// Reused between units: the forms `nestingForms` decides, and its stack of open pairs.
    @exclusivity(unchecked) private var formBuffer: [Form] = []
    @exclusivity(unchecked) private var pairBuffer: [OpenPair] = []
    /// Reused between units: what `<source>` wrote for each part, and the forms its tokens took,
    /// for `<seg-source>` to copy (see `SourcePart`).
    @exclusivity(unchecked) private var sourcePartBuffer: [SourcePart] = []
    @exclusivity(unchecked) private var sourceFormBuffer: [Form] = []
    /// Warnings reported and namespace declarations written so far: a part whose writing
    /// changed either is written again rather than copied (its warnings count per writing; a
    /// declaration depends on the elements around it).
    @exclusivity(unchecked) private var warningCount = 0
    @exclusivity(unchecked) private var declarationCount = 0

    private enum WriterState { case initial, document, file, finished }

    private struct OpenGroup {
        var preserveSpace: Bool?
        var translate: Bool
        var trailing: [ExtensionElement]
        var isBinary: Bool
    }

    /// Where findings point: set it to the input position of the event about to be written
    /// (a converter passes its reader's position); nil names the output.
    @exclusivity(unchecked) public var sourceLocation: SourceLocation?

    /// What could not be written as it was, each kind once with a count.
    public var findings: [Finding] { log.findings }

    /// Creates a writer that hands its bytes to `sink`; `displayPath` names the output in errors.
    public init(displayPath: String, options: Options = Options(), sink: @escaping XMLStreamWriter.Sink) throws {
        self.displayPath = displayPath
        self.options = options
        xml = try XMLStreamWriter(displayPath: displayPath, sink: sink)
        // Room for a usual unit's parts up front: a writer lives for one file, and growing each
        // kept buffer step by step cost more per file than these few allocations.
        partViewBuffer.reserveCapacity(Self.keptBufferCapacity)
        midBuffer.reserveCapacity(Self.keptBufferCapacity)
        sourcePartBuffer.reserveCapacity(Self.keptBufferCapacity)
        tokenBuffer.reserveCapacity(2 * Self.keptBufferCapacity)
    }

    /// The parts a kept buffer has room for from the start.
    private static let keptBufferCapacity = 32

    /// Creates a writer into an atomic output file (commit it after `finish()`).
    public convenience init(file: AtomicFile, options: Options = Options()) throws {
        try self.init(displayPath: file.destination, options: options) { bytes in try file.write(bytes) }
    }

    /// Writes a whole document to `path` atomically and returns the findings.
    @discardableResult
    public static func write(_ document: Document, to path: String, options: Options = Options(), protectedInputs: [String] = []) throws -> [Finding] {
        let out = try AtomicFile(destination: path, protectedInputs: protectedInputs)
        do {
            let writer = try XLIFF12Writer(file: out, options: options)
            for event in document.events { try writer.write(event) }
            try writer.finish()
            try out.commit()
            return writer.findings
        } catch {
            out.discard()
            throw error
        }
    }

    /// Writes a whole document into memory (tests, small files).
    public static func bytes(of document: Document, options: Options = Options()) throws -> (bytes: [UInt8], findings: [Finding]) {
        var bytes: [UInt8] = []
        let writer = try XLIFF12Writer(displayPath: "<memory>", options: options) { bytes.append(contentsOf: $0) }
        for event in document.events { try writer.write(event) }
        try writer.finish()
        return (bytes, writer.findings)
    }

    /// Writes one event.
    public func write(_ event: DocumentEvent) throws {
        switch event {
        case .startDocument(let info):
            guard state == .initial else { throw error("document started twice") }
            try startDocument(info)
        case .startFile(var info):
            guard state == .document else { throw error("<file> outside a document") }
            XLIFF12Compatibility.restore(&info)
            try startFile(info)
        case .startGroup(var info):
            guard state == .file else { throw error("group outside a file") }
            XLIFF12Compatibility.restore(&info)
            try startGroup(info)
        case .unit(let unit):
            guard state == .file else { throw error("unit outside a file") }
            if XLIFF12Compatibility.needsRestoring(unit) {
                try writeUnit(XLIFF12Compatibility.restoringXLIFF12Data(unit))
            } else {
                try writeUnit(unit)
            }
        case .endGroup:
            guard state == .file, let group = groups.popLast() else { throw error("group ended twice") }
            if group.isBinary, !group.trailing.isEmpty {
                for e in group.trailing { try writeExtensionElement(e, context: "bin-unit") }
            }
            try close()
        case .endFile:
            guard state == .file, groups.isEmpty else { throw error("file ended inside a group") }
            try close() // body
            try close() // file
            state = .document
            file = nil
        case .endDocument:
            guard state == .document else { throw error("document ended before its files") }
            try close() // xliff
            try xml.endDocument()
            state = .finished
        }
    }

    /// Checks that the document was complete and hands the last bytes to the sink.
    public func finish() throws {
        guard state == .finished else { throw error("the document was not finished (missing end events)") }
        try xml.flush()
    }

    private func error(_ message: String) -> XMLError {
        XMLError(location: SourceLocation(file: displayPath), message: "internal error: \(message)")
    }

    private func warn(_ key: String, _ message: @autoclosure () -> String, code: String = "xliff12.not-written") {
        warningCount += 1
        log.warn(key, message(), at: sourceLocation ?? SourceLocation(file: displayPath), code: code)
    }

    // MARK: - Elements and namespaces

    /// Indents before a structural element at the current depth.
    private func newline() throws {
        guard options.indent else { return }
        if !hasChildLines.isEmpty { hasChildLines[hasChildLines.count - 1] = true }
        try xml.newline(indent: 2 * depth)
    }


    /// Opens an element with XLIFF attributes and foreign ones, declaring namespaces as needed.
    private func open(_ name: String, _ attributes: [(String, String)], extensions: [ExtensionAttribute] = [], indent: Bool = true) throws {
        if indent { try newline() }
        try xml.startElement(name)
        opened()
        for (n, v) in attributes { try attribute(n, v) }
        try foreign(extensions)
    }

    /// Starts an element named by a literal (the hot path: no string conversion).
    @inline(__always)
    private func begin(_ name: StaticString, indent: Bool = true) throws {
        if indent { try newline() }
        try xml.startElement(name)
        opened()
    }

    @inline(__always)
    private func opened() {
        depth += 1
        hasChildLines.append(false)
    }

    /// Keeps the bindings `undo` changed, to restore when the element at `level` closes.
    private func keepUndo(_ undo: [(prefix: String, previous: String?)], at level: Int) {
        for entry in undo { bindingUndo.append((level, entry.prefix, entry.previous)) }
    }

    /// Restores the bindings the element at `level` changed, last change first.
    @inline(__always)
    private func restoreBindings(at level: Int) {
        while let last = bindingUndo.last, last.depth == level {
            bindings[last.prefix] = last.previous
            bindingUndo.removeLast()
        }
    }

    /// Writes foreign-namespace attributes of the element just started, declaring their namespaces.
    private func foreign(_ attributes: [ExtensionAttribute]) throws {
        guard !attributes.isEmpty else { return }
        var undo: [(prefix: String, previous: String?)] = []
        defer { keepUndo(undo, at: depth) }
        for a in attributes {
            guard let qname = try qualifiedAttributeName(a, undo: &undo) else { continue }
            try attribute(qname, a.value)
        }
    }

    /// Text as XML 1.0 can hold it: a control character (possible in XLIFF 2 through `<cp>`,
    /// which 1.2 lacks) becomes U+FFFD, reported.
    private func writeText(_ t: String) throws {
        if try xml.text(t, replacingDisallowedWith: "\u{FFFD}") > 0 { warnControlCharacters() }
    }

    private func warnControlCharacters() {
        warn("control-char", "characters XML 1.0 cannot hold (XLIFF 2 <cp>) have no XLIFF 1.2 form: replaced by U+FFFD", code: "xliff12.not-written")
    }

    private func attribute(_ name: String, _ value: String) throws {
        if try xml.attribute(name, value, replacingDisallowedWith: "\u{FFFD}") > 0 {
            warn("control-char", "characters XML 1.0 cannot hold (XLIFF 2 <cp>) have no XLIFF 1.2 form: replaced by U+FFFD", code: "xliff12.not-written")
        }
    }

    @inline(__always)
    private func attribute(_ name: StaticString, _ value: String) throws {
        if try xml.attribute(name, value, replacingDisallowedWith: "\u{FFFD}") > 0 {
            warn("control-char", "characters XML 1.0 cannot hold (XLIFF 2 <cp>) have no XLIFF 1.2 form: replaced by U+FFFD", code: "xliff12.not-written")
        }
    }

    /// Closes the innermost element, restoring namespace bindings.
    private func close(indent: Bool = true) throws {
        let level = depth
        depth -= 1
        if indent, hasChildLines.popLast() == true { try newline() } else if !indent { hasChildLines.removeLast() }
        try xml.endElement()
        if let last = bindingUndo.last, last.depth == level { restoreBindings(at: level) }
    }

    /// The prefix to use for `namespace`, declaring it on the element being opened if needed.
    private func bind(namespace: String, preferred: String, forAttribute: Bool, undo: inout [(prefix: String, previous: String?)]) throws -> String {
        if namespace == XMLNamespace.xml { return "xml" }
        if !forAttribute || !preferred.isEmpty, bindings[preferred] == namespace { return preferred }
        if let existing = bindings.first(where: { $0.value == namespace && !$0.key.isEmpty && $0.key != "xml" })?.key { return existing }
        var prefix = preferred
        if prefix.isEmpty && forAttribute || prefix == "xml" || prefix == "xmlns" || (bindings[prefix] != nil && bindings[prefix] != namespace) || (prefix.isEmpty && depth <= 1) {
            repeat {
                generatedPrefixes += 1
                prefix = "ns\(generatedPrefixes)"
            } while bindings[prefix] != nil
        }
        undo.append((prefix, bindings[prefix]))
        bindings[prefix] = namespace
        declarationCount += 1
        try xml.attribute(prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)", namespace)
        return prefix
    }

    /// `prefix:name` for a foreign attribute, or nil when it is left out (strict output).
    private func qualifiedAttributeName(_ a: ExtensionAttribute, undo: inout [(prefix: String, previous: String?)]) throws -> String? {
        if a.namespace == XMLNamespace.xml { return "xml:\(a.name)" }
        if a.namespace.isEmpty {
            // Unqualified attributes Verso does not model: only the transitional schema takes them.
            guard options.keepExtensions else {
                warn("attr:\(a.name)", "attribute '\(a.name)' left out: XLIFF 1.2 strict does not define it (use --keep-extensions to keep it, valid against the transitional schema)", code: "xliff12.extension-dropped")
                return nil
            }
            return a.name
        }
        guard keeps(namespace: a.namespace, prefix: a.prefix) else { return nil }
        let prefix = try bind(namespace: a.namespace, preferred: a.prefix, forAttribute: true, undo: &undo)
        return "\(prefix):\(a.name)"
    }

    /// Whether markup in `namespace` is written; reports it once per namespace when it is not.
    private func keeps(namespace: String, prefix: String) -> Bool {
        if options.keepExtensions || namespace == XLIFF12.xsiNamespace { return true }
        let shown = prefix.isEmpty ? "'\(namespace)'" : "'\(namespace)' (\(prefix):)"
        warn("ns:\(namespace)", "markup in namespace \(shown) left out: XLIFF 1.2 strict has no schema for it (use --keep-extensions to keep it, valid against the transitional schema)", code: "xliff12.extension-dropped")
        return false
    }

    private func writeExtensionElements(_ elements: [ExtensionElement], context: String) throws {
        for e in elements { try writeExtensionElement(e, context: context) }
    }

    /// Writes a foreign element kept whole (or an XLIFF 1.2 element kept whole, such as `<count-group>`).
    private func writeExtensionElement(_ e: ExtensionElement, context: String, indent: Bool = true) throws {
        let isXLIFF = XLIFF12.namespaces.contains(e.namespace) || (e.namespace.isEmpty && e.prefix.isEmpty && XLIFF12.knownElements.contains(e.name))
        if !isXLIFF {
            if e.namespace.isEmpty {
                guard options.keepExtensions else {
                    warn("noNS:\(e.name)", "element <\(e.name)> in no namespace left out (use --keep-extensions to keep it)", code: "xliff12.extension-dropped")
                    return
                }
            } else if !keeps(namespace: e.namespace, prefix: e.prefix) {
                return
            }
        }
        if indent { try newline() }
        var undo: [(prefix: String, previous: String?)] = []
        let qname: String
        if isXLIFF {
            try xml.startElement(e.name)
            if bindings[""] != nil && bindings[""] != XLIFFNamespace.v1_2 {
                undo.append(("", bindings[""]))
                bindings[""] = XLIFFNamespace.v1_2
                declarationCount += 1
                try xml.attribute("xmlns", XLIFFNamespace.v1_2)
            }
            qname = e.name
        } else if e.namespace.isEmpty {
            try xml.startElement(e.name)
            if let d = bindings[""], !d.isEmpty {
                undo.append(("", d))
                bindings[""] = ""
                declarationCount += 1
                try xml.attribute("xmlns", "")
            }
            qname = e.name
        } else {
            // Keep the element's own prefix (a default namespace stays a default namespace),
            // unless that prefix is bound to another namespace here.
            var prefix = e.prefix
            if prefix == "xml" || prefix == "xmlns" || (!prefix.isEmpty && bindings[prefix] != nil && bindings[prefix] != e.namespace) {
                repeat { generatedPrefixes += 1; prefix = "ns\(generatedPrefixes)" } while bindings[prefix] != nil
            }
            qname = prefix.isEmpty ? e.name : "\(prefix):\(e.name)"
            try xml.startElement(qname)
            if bindings[prefix] != e.namespace {
                undo.append((prefix, bindings[prefix]))
                bindings[prefix] = e.namespace
                declarationCount += 1
                try xml.attribute(prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)", e.namespace)
            }
        }
        depth += 1
        var attributes: [(String, String)] = []
        for a in e.attributes {
            if a.namespace.isEmpty { attributes.append((a.name, a.value)); continue }
            guard let q = try qualifiedAttributeName(a, undo: &undo) else { continue }
            attributes.append((q, a.value))
        }
        keepUndo(undo, at: depth)
        for (n, v) in attributes { try attribute(n, v) }
        for child in e.children {
            switch child {
            case .text(let t): try writeText(t)
            case .element(let c): try writeExtensionElement(c, context: context, indent: false)
            }
        }
        restoreBindings(at: depth)
        depth -= 1
        try xml.endElement()
        _ = qname
    }

    // MARK: - Document, file, group

    private func startDocument(_ info: DocumentInfo) throws {
        document = info
        try xml.startDocument()
        try xml.startElement("xliff")
        depth = 1
        hasChildLines.append(false)
        var undo: [(prefix: String, previous: String?)] = []
        bindings[""] = XLIFFNamespace.v1_2
        try xml.attribute("xmlns", XLIFFNamespace.v1_2)
        try xml.attribute("version", "1.2")
        var attributes: [(String, String)] = []
        for a in info.extensions.attributes {
            if a.namespace == XMLNamespace.xml && a.name != "lang" {
                warn("root-xml:\(a.name)", "xml:\(a.name) on <xliff> left out: XLIFF 1.2 does not allow it there")
                continue
            }
            guard let q = try qualifiedAttributeName(a, undo: &undo) else { continue }
            attributes.append((q, a.value))
        }
        keepUndo(undo, at: depth)
        for (n, v) in attributes { try attribute(n, v) }
        try writeExtensionElements(info.extensions.elements, context: "xliff")
        if !info.notes.isEmpty { warn("doc-notes", "notes on the whole document (XLIFF 2.2) have no XLIFF 1.2 equivalent; not written") }
        if !info.metadata.isEmpty { warn("doc-meta", "metadata on the whole document (XLIFF 2.2) has no XLIFF 1.2 equivalent; not written") }
        state = .document
    }

    private func startFile(_ info: FileInfo) throws {
        file = info
        unitIDs.removeAll()
        groupIDs.removeAll()
        contextGroupNames.removeAll(keepingCapacity: true)
        toolIDs = Set(info.tools.map(\.id))
        phaseNames = Self.phaseNames(in: info.xliff12HeaderElements)
        // XLIFF 1.2 has no xml:space on <xliff>: a document-wide value is said on each file.
        fileSpace = info.preserveSpace ?? document?.preserveSpace
        let doc = document!
        fileSourceLanguage = info.sourceLanguage ?? doc.sourceLanguage
        fileTargetLanguage = info.targetLanguage ?? doc.targetLanguage
        var attributes: [(String, String)] = []
        attributes.append(("original", info.original ?? {
            warn("original", "<file> has no original name; '\(info.id)' written (XLIFF 1.2 requires one)")
            return info.id
        }()))
        attributes.append(("source-language", fileSourceLanguage.isEmpty ? "und" : fileSourceLanguage))
        attributes.append(("datatype", fixedValue(info.datatype ?? "x-undefined", in: XLIFF12.datatypes, attribute: "datatype")))
        if let t = fileTargetLanguage { attributes.append(("target-language", t)) }
        if let space = fileSpace { attributes.append(("xml:space", space ? "preserve" : "default")) }
        if info.sourceDirection != nil || info.targetDirection != nil { warn("dir", "text directions (srcDir/trgDir) have no XLIFF 1.2 equivalent; not written") }
        if options.keepExtensions, !info.id.isEmpty, !(info.id.hasPrefix("f") && Int(info.id.dropFirst()) != nil) {
            attributes.append(("id", info.id))
        }
        for (name, value) in info.xliff12Attributes.sorted(by: { $0.key < $1.key }) {
            if let a = checkedAttribute(name, value, allowed: XLIFF12.fileAttributes, element: "file") { attributes.append(a) }
        }
        if info.translate == false { warn("file-translate", "translate=\"no\" on a file has no XLIFF 1.2 equivalent; not written") }
        if info.canResegment != nil { warn("file-canResegment", "canResegment on a file has no XLIFF 1.2 equivalent; not written") }
        try open("file", attributes, extensions: info.extensions.attributes)
        let hasHeader = info.skeleton != nil || !info.xliff12HeaderElements.isEmpty || !info.tools.isEmpty || !info.notes.isEmpty || !info.extensions.elements.isEmpty
        if hasHeader {
            try open("header", [])
            if let skl = info.skeleton { try writeSkeleton(skl) }
            // Schema order: skl, phase-group, then glossary/reference/count-group/note/tool, then foreign.
            for e in info.xliff12HeaderElements where e.name == "phase-group" { try writeExtensionElement(e, context: "header") }
            for e in info.xliff12HeaderElements where e.name != "phase-group" { try writeExtensionElement(e, context: "header") }
            for tool in info.tools { try writeTool(tool) }
            for note in info.notes { try writeNote(note) }
            try writeExtensionElements(info.extensions.elements, context: "header")
            try close()
        }
        for group in info.metadata { try unsupportedMetadata(group, on: "file") }
        try open("body", [])
        state = .file
    }

    private static func phaseNames(in elements: [ExtensionElement]) -> Set<String> {
        var names = Set<String>()
        for e in elements where e.name == "phase-group" {
            for case .element(let phase) in e.children {
                if let n = phase.attributes.first(where: { $0.name == "phase-name" && $0.namespace.isEmpty })?.value { names.insert(n) }
            }
        }
        return names
    }

    private func writeSkeleton(_ skl: Skeleton) throws {
        try open("skl", [])
        if let content = skl.content {
            var attributes: [(String, String)] = []
            if let form = skl.form { attributes.append(("form", form)) }
            if let crc = skl.xliff12Attributes["crc"] { attributes.append(("crc", crc)) }
            try open("internal-file", attributes)
            try writeText(content)
            try close(indent: false)
            if skl.href != nil { warn("skl-both", "the skeleton has both inline content and an href; XLIFF 1.2 holds one: the href is not written") }
        } else {
            var attributes: [(String, String)] = [("href", skl.href ?? "")]
            if let crc = skl.xliff12Attributes["crc"] { attributes.append(("crc", crc)) }
            if let uid = skl.xliff12Attributes["uid"] { attributes.append(("uid", uid)) }
            try open("external-file", attributes)
            try close()
        }
        if !skl.elements.isEmpty { warn("skl-elements", "markup inside the XLIFF 2 skeleton has no XLIFF 1.2 equivalent; not written") }
        try close()
    }

    private func writeTool(_ tool: ToolInfo) throws {
        var attributes: [(String, String)] = [("tool-id", tool.id), ("tool-name", tool.name)]
        if let v = tool.version { attributes.append(("tool-version", v)) }
        if let c = tool.company { attributes.append(("tool-company", c)) }
        try open("tool", attributes, extensions: tool.extensions.attributes)
        try writeExtensionElements(tool.extensions.elements, context: "tool")
        try close()
    }

    private func startGroup(_ info: GroupInfo) throws {
        let parentTranslate = groups.last?.translate ?? true
        let parentSpace = groups.reversed().lazy.compactMap(\.preserveSpace).first ?? fileSpace
        var attributes: [(String, String)] = []
        if let binary = info.binaryUnit {
            attributes.append(("id", uniqueUnitID(info.id ?? "bin\(unitIDs.count + 1)")))
            attributes.append(("mime-type", binary.mimeType.isEmpty ? "application/octet-stream" : binary.mimeType))
        } else if let id = info.id {
            attributes.append(("id", uniqueGroupID(id)))
        }
        if let n = info.name { attributes.append(("resname", n)) }
        if let t = info.type { attributes.append(("restype", fixedValue(t, in: XLIFF12.restypes, attribute: "restype"))) }
        if let t = info.translate, t != parentTranslate || info.binaryUnit != nil { attributes.append(("translate", t ? "yes" : "no")) }
        if info.binaryUnit == nil, let s = info.preserveSpace, s != parentSpace { attributes.append(("xml:space", s ? "preserve" : "default")) }
        let allowed = info.binaryUnit == nil ? XLIFF12.groupAttributes : XLIFF12.binUnitAttributes
        for (name, value) in info.xliff12Attributes.sorted(by: { $0.key < $1.key }) {
            if let a = checkedAttribute(name, value, allowed: allowed, element: info.binaryUnit == nil ? "group" : "bin-unit") { attributes.append(a) }
        }
        if info.canResegment != nil { warn("group-canResegment", "canResegment on a group has no XLIFF 1.2 equivalent; not written") }
        if info.sourceDirection != nil || info.targetDirection != nil { warn("dir", "text directions (srcDir/trgDir) have no XLIFF 1.2 equivalent; not written") }
        try open(info.binaryUnit == nil ? "group" : "bin-unit", attributes, extensions: info.extensions.attributes)
        if let binary = info.binaryUnit {
            try writeExtensionElement(binary.source, context: "bin-unit")
            if let t = binary.target { try writeExtensionElement(t, context: "bin-unit") }
        }
        for m in info.metadata { try writeContextGroup(m) }
        for e in info.xliff12Elements { try writeExtensionElement(e, context: "group") }
        for n in info.notes { try writeNote(n) }
        if info.binaryUnit == nil { try writeExtensionElements(info.extensions.elements, context: "group") }
        groups.append(OpenGroup(preserveSpace: info.binaryUnit == nil ? info.preserveSpace : nil,
                                translate: info.translate ?? parentTranslate,
                                trailing: info.binaryUnit == nil ? [] : info.extensions.elements,
                                isBinary: info.binaryUnit != nil))
    }

    private func uniqueUnitID(_ id: String) -> String {
        var candidate = id.isEmpty ? "u\(unitIDs.count + 1)" : id
        var n = 1
        while !unitIDs.insert(candidate) {
            n += 1
            candidate = "\(id)-\(n)"
        }
        if candidate != id {
            warn("dup-unit-id", "trans-unit id '\(id)' is not unique in its file: written as '\(candidate)' (XLIFF 1.2 requires unique ids)", code: "xliff12.repaired")
        }
        return candidate
    }

    private func uniqueGroupID(_ id: String) -> String {
        var candidate = id
        var n = 1
        while !groupIDs.insert(candidate) {
            n += 1
            candidate = "\(id)-\(n)"
        }
        if candidate != id {
            warn("dup-group-id", "group id '\(id)' is not unique in its file: written as '\(candidate)'", code: "xliff12.repaired")
        }
        return candidate
    }

    /// A value of an enumerated attribute, made valid (`x-` prefixed) when the schema would reject it.
    private func fixedValue(_ value: String, in values: Set<String>, attribute: String) -> String {
        if XLIFF12.isValid(value, in: values) { return value }
        let fixed = "x-" + value.map { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" ? "-" : $0 }.reduce(into: "") { $0.append($1) }
        warn("value:\(attribute):\(value)", "\(attribute)=\"\(value)\" is not an XLIFF 1.2 value: written as \"\(fixed.count > 2 ? fixed : "x-unknown")\"", code: "xliff12.repaired")
        return fixed.count > 2 ? fixed : "x-unknown"
    }

    /// An XLIFF 1.2 attribute Verso keeps but does not model, if the output schema takes it.
    private func checkedAttribute(_ name: String, _ value: String, allowed: Set<String>, element: String) -> (String, String)? {
        if !allowed.contains(name) {
            guard options.keepExtensions else {
                warn("attr:\(element):\(name)", "attribute '\(name)' on <\(element)> left out: XLIFF 1.2 strict does not define it (use --keep-extensions to keep it, valid against the transitional schema)", code: "xliff12.extension-dropped")
                return nil
            }
            return (name, value)
        }
        switch name {
        case "datatype": return (name, fixedValue(value, in: XLIFF12.datatypes, attribute: name))
        case "size-unit": return (name, fixedValue(value, in: XLIFF12.sizeUnits, attribute: name))
        case "merged-trans", "equiv-trans":
            guard value == "yes" || value == "no" else { return invalid(name, value, element) }
        case "help-id", "style", "exstyle", "maxwidth", "minwidth", "maxheight", "minheight", "maxbytes", "minbytes", "crc":
            guard Self.isNMTOKEN(value) else { return invalid(name, value, element) }
        case "coord":
            guard Self.isCoordinates(value) else { return invalid(name, value, element) }
        case "date":
            guard Self.isDateTime(value) else { return invalid(name, value, element) }
        case "phase-name":
            guard phaseNames.contains(value) else {
                warn("phase:\(value)", "phase-name=\"\(value)\" names no <phase> in the file's header: left out (XLIFF 1.2 requires the reference to resolve)", code: "xliff12.repaired")
                return nil
            }
        case "tool-id":
            guard toolIDs.contains(value) else {
                warn("tool:\(value)", "tool-id=\"\(value)\" names no <tool> in the file's header: left out (XLIFF 1.2 requires the reference to resolve)", code: "xliff12.repaired")
                return nil
            }
        default: break
        }
        return (name, value)
    }

    private func invalid(_ name: String, _ value: String, _ element: String) -> (String, String)? {
        warn("invalid:\(element):\(name)", "\(name)=\"\(value)\" on <\(element)> is not a valid XLIFF 1.2 value: left out", code: "xliff12.repaired")
        return nil
    }

    static func isNMTOKEN(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", ":": return true
            default: return c.value >= 0xB7 && !c.properties.isWhitespace
            }
        }
    }

    static func isCoordinates(_ s: String) -> Bool {
        let parts = s.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { p in p == "#" || (Int(p) != nil && !p.isEmpty) }
    }

    static func isDateTime(_ s: String) -> Bool {
        // xsd:dateTime: YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
        let u = Array(s.utf8)
        guard u.count >= 19 else { return false }
        func digits(_ r: Range<Int>) -> Bool { r.allSatisfy { u[$0] >= 48 && u[$0] <= 57 } }
        guard digits(0..<4), u[4] == 45, digits(5..<7), u[7] == 45, digits(8..<10), u[10] == 84,
              digits(11..<13), u[13] == 58, digits(14..<16), u[16] == 58, digits(17..<19) else { return false }
        var i = 19
        if i < u.count, u[i] == 46 {
            i += 1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            if i == start { return false }
        }
        if i == u.count { return true }
        if u[i] == 90 { return i + 1 == u.count }
        if u[i] == 43 || u[i] == 45 { return u.count == i + 6 && digits(i + 1..<i + 3) && u[i + 3] == 58 && digits(i + 4..<i + 6) }
        return false
    }

    // MARK: - Units

    private func writeUnit(_ unit: Unit) throws {
        let inheritedTranslate = groups.last?.translate ?? true
        let inheritedSpace = groups.isEmpty ? fileSpace : (groups.reversed().lazy.compactMap(\.preserveSpace).first ?? fileSpace)
        try begin("trans-unit")
        try attribute("id", uniqueUnitID(unit.id))
        if let n = unit.name { try attribute("resname", n) }
        if let t = unit.type { try attribute("restype", fixedValue(t, in: XLIFF12.restypes, attribute: "restype")) }
        if unit.translate != inheritedTranslate { try xml.attribute("translate", literal: unit.translate ? "yes" : "no") }
        if let a = unit.approved { try xml.attribute("approved", literal: a ? "yes" : "no") }
        if let s = unit.preserveSpace, s != inheritedSpace { try xml.attribute("xml:space", literal: s ? "preserve" : "default") }
        if !unit.xliff12Attributes.isEmpty {
            for (name, value) in unit.xliff12Attributes.sorted(by: { $0.key < $1.key }) {
                if let a = checkedAttribute(name, value, allowed: XLIFF12.unitAttributes, element: "trans-unit") { try attribute(a.0, a.1) }
            }
        }
        try foreign(unit.extensions.attributes)
        if unit.canResegment == false { warn("canResegment", "canResegment=\"no\" has no XLIFF 1.2 equivalent; not written") }
        if !unit.glossary.isEmpty { warn("glossary", "glossary entries have no XLIFF 1.2 equivalent; not written (unit '\(unit.id)')") }
        if unit.sourceDirection != nil || unit.targetDirection != nil { warn("dir", "text directions (srcDir/trgDir) have no XLIFF 1.2 equivalent; not written") }

        // Read only when there is some: reading copies it (a reference count per field).
        if unit.hasXLIFF12Markup {
            try writeUnitContent(unit, markup: unit.xliff12Markup)
        } else {
            try writeUnitContent(unit, markup: Self.noMarkup)
        }
    }

    /// `<source>`, `<seg-source>`, `<target>` and the rest of a unit whose start tag is written.
    private func writeUnitContent(_ unit: Unit, markup: XLIFF12UnitMarkup) throws {
        let parts = unit.parts
        // The common case, one segment without an id: plain <source> and <target>.
        if parts.count == 1, case .segment(let only) = parts[0], only.id == nil {
            // The fields needed, taken out of the segment before anything is written: holding
            // the segment across the writes would copy it whole (a retain per field).
            let source = only.source, target = only.target, qualifier = only.stateQualifier
            let keptState = XLIFFStateMapping.xliff12State(of: only), segmentState = only.state
            let ordered = only.targetOrder != nil
            try writeSource(source, attributes: markup.sourceAttributes)
            let state = keptState.map { validState($0, fallback: segmentState) }
            if target != nil || state != nil || qualifier != nil || !markup.targetAttributes.isEmpty {
                try beginTarget(language: target?.language, state: state, qualifier: qualifier, markup: markup)
                if let t = target {
                    if t.preserveSpace != nil { warn("content-space", "xml:space on <source>/<target> has no XLIFF 1.2 equivalent (it is set on the trans-unit); not written") }
                    try writeRuns(t.runs, isTarget: true)
                }
                try close(indent: false)
            }
            if ordered { warn("order", "target order has no XLIFF 1.2 equivalent; not written") }
            try writeUnitTail(unit, markup: markup, mids: [])
            return
        }

        try writeSegmented(unit, parts: parts, markup: markup)
    }

    /// The markup of a unit that has none.
    private static let noMarkup = XLIFF12UnitMarkup()

    /// What the segmented path reads of one part, taken out once per unit: each look at
    /// `parts[p]` (a switch binding its segment) copies the whole part, a retain per field and
    /// a memory copy of the segment, and the path reads each part three or four times.
    private struct PartView {
        var isSegment: Bool
        var source: [Run]
        var target: [Run]?
        /// A segment's foreign attributes (written on its `<mrk mtype="seg">`).
        var attributes: [ExtensionAttribute]
        var hasTargetOrder: Bool
    }

    /// A unit of several parts (or one segment with an id): `<source>` is the whole text,
    /// `<seg-source>` marks the segments by mid.
    private func writeSegmented(_ unit: Unit, parts: [UnitPart], markup: XLIFF12UnitMarkup) throws {
        // One pass over the parts gathers what the three elements need: languages, whether the
        // source nests, the mids, what <target> says, and each part's runs.
        var views = Self.borrow(&partViewBuffer)
        var mids = Self.borrow(&midBuffer)
        var sourceLanguage: String?
        var targetLanguage: String?
        var sourceNests = false
        var targetNests = false
        var hasOwnIDs = false
        var hasTarget = false
        var states: [String] = []
        var firstState: SegmentState?
        var qualifier: String?
        var orderedTargets = 0
        for p in parts.indices {
            switch parts[p] {
            case .segment(let s):
                let language = s.source.language, target = s.target, kept = XLIFFStateMapping.xliff12State(of: s)
                let state = s.state, stateQualifier = s.stateQualifier, id = s.id, ordered = s.targetOrder != nil
                let runs = s.source.runs
                views.append(PartView(isSegment: true, source: runs, target: target?.runs, attributes: s.extensions.attributes, hasTargetOrder: ordered))
                if sourceLanguage == nil { sourceLanguage = language }
                if targetLanguage == nil { targetLanguage = target?.language }
                if !sourceNests && runs.contains(where: Self.needsNesting) { sourceNests = true }
                if let t = target {
                    hasTarget = true
                    if !targetNests && t.runs.contains(where: Self.needsNesting) { targetNests = true }
                }
                if let v = kept { states.append(v) }
                if firstState == nil { firstState = state }
                if qualifier == nil { qualifier = stateQualifier }
                // A segment's own id when it is a valid mid, else its number ("1", "2"…).
                if let id { hasOwnIDs = true; mids.append(Self.isNMTOKEN(id) ? id : Self.decimal(mids.count + 1)) }
                else { mids.append(Self.decimal(mids.count + 1)) }
                if ordered { orderedTargets += 1 }
            case .ignorable(let ig):
                let language = ig.source.language, target = ig.target, runs = ig.source.runs
                views.append(PartView(isSegment: false, source: runs, target: target?.runs, attributes: [], hasTargetOrder: ig.targetOrder != nil))
                if sourceLanguage == nil { sourceLanguage = language }
                if targetLanguage == nil { targetLanguage = target?.language }
                if !sourceNests && runs.contains(where: Self.needsNesting) { sourceNests = true }
                if !targetNests, let t = target, t.runs.contains(where: Self.needsNesting) { targetNests = true }
            }
        }
        // Numbers alone are unique by construction: making mids unique is only needed when a
        // segment brings its own id (a repeated one gets "_" and its segment's number).
        if hasOwnIDs {
            var used = Set<String>()
            for k in mids.indices {
                while used.contains(mids[k]) { mids[k] += "_\(k + 1)" }
                used.insert(mids[k])
            }
        }
        var sourceParts = Self.borrow(&sourcePartBuffer)
        var sourceForms = Self.borrow(&sourceFormBuffer)
        if let kept = markup.unsegmentedSource {
            try writeSource(kept, attributes: markup.sourceAttributes)
        } else {
            // The parts' sources written one after the other: the same bytes as their joined
            // `Content`, without building it.
            try begin("source")
            if let l = sourceLanguage { try attribute("xml:lang", l) }
            try foreign(markup.sourceAttributes)
            // Kept for <seg-source> to copy part by part, unless a namespace declared on
            // <source> or <seg-source> could make a prefix inside mean something else there.
            let records = markup.sourceAttributes.isEmpty && markup.segmentedSourceAttributes.isEmpty
            let declarations = declarationCount
            if records { xml.startCapture() }
            try writeJoinedSources(views, nests: sourceNests, recording: records, parts: &sourceParts, forms: &sourceForms)
            if records {
                xml.endCapture()
                // A declaration inside: the same content may declare other prefixes elsewhere.
                if declarationCount != declarations { sourceParts.removeAll(keepingCapacity: true) }
            }
            try close(indent: false)
        }
        for _ in 0..<orderedTargets { warn("order", "target order has no XLIFF 1.2 equivalent; not written") }
        try begin("seg-source", indent: true)
        if let l = markup.segmentedSourceLanguage { try attribute("xml:lang", l) }
        try foreign(markup.segmentedSourceAttributes)
        var tokens = Self.borrow(&tokenBuffer)
        var i = 0
        let copies = sourceParts.count == views.count
        if !sourceNests {
            try writeFlatParts(views, mids: mids, numbered: !hasOwnIDs, target: false, copying: copies ? sourceParts : [])
        } else {
            for v in views.indices {
                let runs = views[v].source
                if views[v].isSegment {
                    tokens.append(.segmentStart(mid: mids[i], attributes: views[v].attributes))
                    for k in runs.indices { tokens.append(.run(runs[k])) }
                    tokens.append(.segmentEnd)
                    i += 1
                } else {
                    for k in runs.indices { tokens.append(.run(runs[k])) }
                }
            }
            var forms = Self.borrow(&formBuffer)
            nestingForms(tokens, into: &forms)
            var state = TokenState()
            // `t`: the part's first token here; `s`: its first token in <source>; `segment`: the
            // segments so far.
            var t = 0, s = 0, segment = 0
            for v in views.indices {
                let n = views[v].source.count
                let isSegment = views[v].isSegment
                let runsStart = isSegment ? t + 1 : t, runsEnd = runsStart + n, end = isSegment ? runsEnd + 1 : runsEnd
                // A part whose runs take the forms they took in <source> is written as it was there.
                if copies, sourceParts[v].reusable, !isSegment || views[v].attributes.isEmpty,
                   Self.sameForms(forms, from: runsStart, as: sourceForms, from: s, count: n) {
                    if case .segmentStart(let mid, _) = tokens[t] {
                        try writeCopiedSegment(mid: mid, number: hasOwnIDs ? nil : segment + 1, sourceParts[v].bytes)
                    } else {
                        try xml.writeCaptured(sourceParts[v].bytes)
                    }
                    state.codeIndex = sourceParts[v].codes
                } else {
                    try writeTokens(tokens, forms: forms, in: t..<end, isTarget: false, joinsText: false, state: &state)
                }
                t = end
                s += n
                if isSegment { segment += 1 }
            }
            if state.replaced > 0 { warnControlCharacters() }
            Self.giveBack(&forms, to: &formBuffer)
            tokens.removeAll(keepingCapacity: true)
        }
        try close(indent: false)
        Self.giveBack(&sourceParts, to: &sourcePartBuffer)
        Self.giveBack(&sourceForms, to: &sourceFormBuffer)

        let stateValue = targetState(states, fallback: firstState, unitID: unit.id)
        if hasTarget || stateValue != nil || qualifier != nil || !markup.targetAttributes.isEmpty {
            try beginTarget(language: targetLanguage, state: stateValue, qualifier: qualifier, markup: markup)
            i = 0
            if !targetNests && !(hasTarget && sourceNests && views.contains(where: { !$0.isSegment && $0.target == nil })) {
                try writeFlatParts(views, mids: mids, numbered: !hasOwnIDs, target: true, hasTarget: hasTarget)
            } else {
                for v in views.indices {
                    if views[v].isSegment {
                        if let runs = views[v].target {
                            tokens.append(.segmentStart(mid: mids[i], attributes: views[v].attributes))
                            for k in runs.indices { tokens.append(.run(runs[k])) }
                            tokens.append(.segmentEnd)
                        }
                        i += 1
                    } else {
                        // An ignorable shows its target, or its source when it has none.
                        if hasTarget {
                            let runs = views[v].target ?? views[v].source
                            for k in runs.indices { tokens.append(.run(runs[k])) }
                        }
                        if views[v].hasTargetOrder { warn("order", "target order has no XLIFF 1.2 equivalent; not written") }
                    }
                }
                try writeTokens(tokens, isTarget: true, joinsText: false)
            }
            try close(indent: false)
        }
        Self.giveBack(&tokens, to: &tokenBuffer)
        Self.giveBack(&views, to: &partViewBuffer)
        // The mids as a set only for alternative translations, the one place that looks them up.
        let midSet: Set<String> = unit.matches.isEmpty ? [] : Set(mids)
        Self.giveBack(&mids, to: &midBuffer)
        try writeUnitTail(unit, markup: markup, mids: midSet)
    }

    /// Writes the parts' sources (or targets) as `<seg-source>` (`<target>`) content when no run
    /// nests (text and standalone codes only, the usual case): each segment in its
    /// `<mrk mtype="seg">`, the same bytes and warnings as the token path (`writeTokens`), without
    /// building the tokens or deciding nesting forms. For the target, a segment without one is
    /// left out, and an ignorable shows its target, or its source, only when some segment has a target.
    /// `copying`: what `<source>` wrote for each part (empty: nothing to copy), for `<seg-source>`.
    /// `numbered`: the mids are the segments' numbers ("1", "2"…).
    private func writeFlatParts(_ views: [PartView], mids: [String], numbered: Bool, target: Bool, hasTarget: Bool = false, copying copies: [SourcePart] = []) throws {
        // Reported before anything is written, as the token path does.
        if target {
            for v in views.indices where !views[v].isSegment && views[v].hasTargetOrder {
                warn("order", "target order has no XLIFF 1.2 equivalent; not written")
            }
        }
        var codeIndex = 0
        var i = 0
        for v in views.indices {
            if views[v].isSegment {
                let runs: [Run]
                if target {
                    guard let t = views[v].target else { i += 1; continue }
                    runs = t
                } else {
                    runs = views[v].source
                }
                if !copies.isEmpty, copies[v].reusable, views[v].attributes.isEmpty {
                    try writeCopiedSegment(mid: mids[i], number: numbered ? i + 1 : nil, copies[v].bytes)
                    codeIndex = copies[v].codes
                } else {
                    try begin("mrk", indent: false)
                    try xml.attribute("mtype", literal: "seg")
                    try attribute("mid", mids[i])
                    try foreign(views[v].attributes)
                    try writeFlatRuns(runs, codeIndex: &codeIndex)
                    try close(indent: false)
                }
                i += 1
            } else if target {
                if hasTarget { try writeFlatRuns(views[v].target ?? views[v].source, codeIndex: &codeIndex) }
            } else if !copies.isEmpty, copies[v].reusable {
                try xml.writeCaptured(copies[v].bytes)
                codeIndex = copies[v].codes
            } else {
                try writeFlatRuns(views[v].source, codeIndex: &codeIndex)
            }
        }
    }

    /// Text and standalone codes, numbered on from `codeIndex` (markers and paired codes never
    /// reach here: they nest).
    @inline(__always)
    private func writeFlatRuns(_ runs: [Run], codeIndex: inout Int) throws {
        // By index: iterating the array itself copies each run twice (retain, release).
        for k in runs.indices {
            switch runs[k] {
            case .text(let t): try writeText(t)
            case .code(let c):
                codeIndex += 1
                try writeCode(c, form: .element, fallbackID: codeIndex)
            case .marker: break
            }
        }
    }

    private func writeSource(_ source: Content, attributes: [ExtensionAttribute]) throws {
        try begin("source")
        if let l = source.language { try attribute("xml:lang", l) }
        try foreign(attributes)
        if source.preserveSpace != nil { warn("content-space", "xml:space on <source>/<target> has no XLIFF 1.2 equivalent (it is set on the trans-unit); not written") }
        try writeRuns(source.runs)
        try close(indent: false)
    }

    private func beginTarget(language: String?, state: String?, qualifier: String?, markup: XLIFF12UnitMarkup) throws {
        try begin("target")
        if let l = language { try attribute("xml:lang", l) }
        if let s = state { try attribute("state", s) }
        if let q = qualifier { try attribute("state-qualifier", fixedValue(q, in: XLIFF12.stateQualifiers, attribute: "state-qualifier")) }
        if !markup.targetAttributes.isEmpty {
            for (name, value) in markup.targetAttributes.sorted(by: { $0.key < $1.key }) {
                if let a = checkedAttribute(name, value, allowed: XLIFF12.targetAttributes, element: "target") { try attribute(a.0, a.1) }
            }
        }
        try foreign(markup.targetExtensionAttributes)
    }

    /// Context groups, count groups, notes, candidates and foreign elements, then `</trans-unit>`.
    private func writeUnitTail(_ unit: Unit, markup: XLIFF12UnitMarkup, mids: Set<String>) throws {
        for m in unit.metadata { try writeContextGroup(m) }
        for e in markup.elements { try writeExtensionElement(e, context: "trans-unit") }
        for n in unit.notes { try writeNote(n) }
        for m in unit.matches { try writeAltTrans(m, mids: mids, unitID: unit.id) }
        if !unit.extensions.elements.isEmpty { try writeExtensionElements(unit.extensions.elements, context: "trans-unit") }
        try close()
    }

    /// A 1.2 state value the schema accepts.
    private func validState(_ value: String, fallback: SegmentState?) -> String {
        if XLIFF12.isValid(value, in: XLIFF12.states) { return value }
        let fixed = fallback.map(XLIFFStateMapping.canonicalXLIFF12State(for:)) ?? "x-" + value
        warn("state:\(value)", "state=\"\(value)\" is not an XLIFF 1.2 value: written as \"\(fixed)\"", code: "xliff12.repaired")
        return fixed
    }

    /// The `state` of `<target>`: XLIFF 1.2 has one per target, the model one per segment.
    /// `values`: the segments' 1.2 states; `fallback`: the first segment state stated.
    private func targetState(_ values: [String], fallback: SegmentState?, unitID: String) -> String? {
        guard var value = values.first else { return nil }
        if values.contains(where: { $0 != value }) {
            // Keep the least advanced state: a unit is only as done as its least done segment.
            let rank: (String) -> Int = { v in
                switch XLIFFStateMapping.state(for: v) {
                case .initial?: return 0
                case .translated?: return 1
                case .reviewed?: return 2
                case .final?: return 3
                case nil: return 1
                }
            }
            value = values.min(by: { rank($0) < rank($1) })!
            warn("segment-states", "segments of trans-unit '\(unitID)' have different states; XLIFF 1.2 holds one per target: '\(value)' written", code: "xliff12.not-written")
        }
        return validState(value, fallback: fallback)
    }

    // MARK: - Notes, candidates, context

    private func writeNote(_ note: Note) throws {
        try begin("note")
        if let l = note.language { try attribute("xml:lang", l) }
        if let p = note.priority {
            if (1...10).contains(p) { try attribute("priority", String(p)) }
            else { warn("note-priority", "note priority \(p) is outside 1–10: not written", code: "xliff12.repaired") }
        }
        if let f = note.from { try attribute("from", f) }
        if let a = note.appliesTo { try attribute("annotates", a.rawValue) }
        if note.category != nil { warn("note-category", "note categories have no XLIFF 1.2 equivalent; not written") }
        if note.id != nil { warn("note-id", "note ids have no XLIFF 1.2 equivalent; not written") }
        if note.ref != nil { warn("note-ref", "note references (ref) have no XLIFF 1.2 equivalent; not written") }
        if !note.extensionAttributes.isEmpty { warn("note-attributes", "attributes on <note> beyond XLIFF 1.2's are not written") }
        try writeText(note.text)
        try close(indent: false)
    }

    private func writeContextGroup(_ group: MetaGroup) throws {
        var contexts: [(type: String, value: String, index: Int)] = []
        for (index, item) in group.items.enumerated() {
            switch item {
            case .meta(let type, let value):
                contexts.append((fixedValue(type, in: XLIFF12.contextTypes, attribute: "context-type"), value, index))
            case .group:
                warn("nested-meta", "nested metadata groups have no XLIFF 1.2 equivalent; not written")
            }
        }
        guard !contexts.isEmpty else {
            warn("empty-meta", "a metadata group without entries has no XLIFF 1.2 equivalent (<context-group> needs a <context>); not written")
            return
        }
        var attributes: [(String, String)] = []
        if let name = group.category {
            if contextGroupNames.insert(name).inserted { attributes.append(("name", name)) }
            else { warn("context-name", "context-group name '\(name)' is used twice in the file: the repeated name is left out (XLIFF 1.2 requires unique names)", code: "xliff12.repaired") }
        }
        if let crc = group.xliff12Attributes["crc"], Self.isNMTOKEN(crc) { attributes.append(("crc", crc)) }
        if let purpose = group.xliff12Attributes["purpose"] {
            let valid = purpose.split(separator: " ").allSatisfy { XLIFF12.isValid(String($0), in: XLIFF12.purposes) }
            if valid { attributes.append(("purpose", purpose)) } else { _ = invalid("purpose", purpose, "context-group") }
        }
        if group.id != nil || group.appliesTo != nil {
            warn("meta-id", "metadata group id and appliesTo have no XLIFF 1.2 equivalent; not written")
        }
        try open("context-group", attributes)
        for c in contexts {
            var a: [(String, String)] = [("context-type", c.type)]
            if let mm = group.xliff12Attributes["match-mandatory@\(c.index)"], mm == "yes" || mm == "no" { a.append(("match-mandatory", mm)) }
            if let crc = group.xliff12Attributes["crc@\(c.index)"], Self.isNMTOKEN(crc) { a.append(("crc", crc)) }
            try open("context", a)
            try writeText(c.value)
            try close(indent: false)
        }
        try close()
    }

    private func unsupportedMetadata(_ group: MetaGroup, on element: String) throws {
        warn("meta-\(element)", "metadata on a \(element) has no XLIFF 1.2 equivalent; not written")
    }

    private func writeAltTrans(_ match: Match, mids: Set<String>, unitID: String) throws {
        var attributes: [(String, String)] = []
        if let ref = match.ref {
            let mid = ref.hasPrefix("#") ? String(ref.dropFirst()) : ref
            if mids.contains(mid) { attributes.append(("mid", mid)) }
            else if !(mids.isEmpty && match.ref != nil && mid.isEmpty) {
                warn("match-ref", "a candidate refers to '\(ref)', which is not a segment of its unit in XLIFF 1.2: the reference is left out")
            }
        }
        let raw = match.xliff12Attributes["match-quality"]
        if let raw, match.similarity == XLIFF12Reader.parsePercentage(raw) {
            attributes.append(("match-quality", raw))
        } else if let s = match.similarity {
            attributes.append(("match-quality", XLIFFVersionAdapter.format(s)))
        }
        if let o = match.origin { attributes.append(("origin", o)) }
        if let t = match.xliff12Attributes["alttranstype"] {
            attributes.append(("alttranstype", fixedValue(t, in: XLIFF12.altTransTypes, attribute: "alttranstype")))
        } else if match.reference {
            attributes.append(("alttranstype", "reference"))
        }
        for (name, value) in match.xliff12Attributes.sorted(by: { $0.key < $1.key }) where name != "match-quality" && name != "alttranstype" {
            switch name {
            case "xml:lang": attributes.append(("xml:lang", value))
            case "xml:space": if value == "preserve" || value == "default" { attributes.append(("xml:space", value)) }
            default:
                if let a = checkedAttribute(name, value, allowed: XLIFF12.altTransAttributes, element: "alt-trans") { attributes.append(a) }
            }
        }
        if match.type != nil || match.subType != nil { warn("match-type", "match types have no XLIFF 1.2 equivalent; not written") }
        if match.matchQuality != nil || match.matchSuitability != nil { warn("match-quality2", "matchQuality and matchSuitability have no XLIFF 1.2 equivalent (match-quality holds the similarity); not written") }
        if match.id != nil { warn("match-id", "candidate ids have no XLIFF 1.2 equivalent; not written") }
        try open("alt-trans", attributes, extensions: match.extensions.attributes)
        if !match.source.isEmpty || match.source.language != nil {
            var a: [(String, String)] = []
            if let l = match.source.language { a.append(("xml:lang", l)) }
            try open("source", a)
            try writeRuns(match.source.runs)
            try close(indent: false)
        }
        if let seg = match.xliff12SegmentedSource {
            var a: [(String, String)] = []
            if let l = seg.language { a.append(("xml:lang", l)) }
            try open("seg-source", a)
            try writeRuns(seg.runs)
            try close(indent: false)
        }
        var targetAttributes: [(String, String)] = []
        if let l = match.target.language { targetAttributes.append(("xml:lang", l)) }
        for (name, value) in match.xliff12TargetAttributes.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "state": targetAttributes.append((name, fixedValue(value, in: XLIFF12.states, attribute: name)))
            case "state-qualifier": targetAttributes.append((name, fixedValue(value, in: XLIFF12.stateQualifiers, attribute: name)))
            default:
                if let a = checkedAttribute(name, value, allowed: XLIFF12.targetAttributes, element: "target") { targetAttributes.append(a) }
            }
        }
        try open("target", targetAttributes)
        try writeRuns(match.target.runs, isTarget: true)
        try close(indent: false)
        for m in match.metadata { try writeContextGroup(m) }
        for n in match.notes { try writeNote(n) }
        try writeExtensionElements(match.extensions.elements, context: "alt-trans")
        try close()
    }

    // MARK: - Inline content

    /// One item of the flattened content: what `writeContent` decides the form of.
    ///
    /// A run is kept as the `Run` itself (codes and markers stay in their shared box: one
    /// reference count per token, where unboxing a code copied each of its dozen fields).
    private enum Token {
        case run(Run)
        case segmentStart(mid: String, attributes: [ExtensionAttribute])
        case segmentEnd
    }

    /// How a token is written, decided so that the XML nests.
    private enum Form { case element, nested, flat, dropped }

    /// Writes inline content (a `<source>`, `<target>`, `<sub>`…). `isTarget`: the content of a
    /// `<target>`, where a `<mrk>` that is a direct child may carry a `mid` only if it names a
    /// `<seg-source>` segment (the schema's keyref).
    private func writeRuns(_ runs: [Run], isTarget: Bool = false) throws {
        // Fast path: text and standalone codes only, nothing to nest.
        if !runs.contains(where: Self.needsNesting) {
            var codeIndex = 0
            try writeFlatRuns(runs, codeIndex: &codeIndex)
            return
        }
        var tokens = Self.borrow(&tokenBuffer)
        for k in runs.indices { tokens.append(.run(runs[k])) }
        try writeTokens(tokens, isTarget: isTarget, joinsText: false)
        Self.giveBack(&tokens, to: &tokenBuffer)
    }

    /// Writes the sources of all parts as one `<source>` content, exactly as if their runs had
    /// been joined with `Content.append(contentsOf:)` first (adjacent text written as one stretch,
    /// so a control-character warning counts once per stretch), without building the joined text.
    /// `nests`: some part's source has runs that nest (see `needsNesting`). When `recording` (the
    /// writer capturing), says in `records` what each part wrote and in `forms` the forms of the
    /// tokens, for `<seg-source>` to copy.
    private func writeJoinedSources(_ parts: [PartView], nests: Bool, recording: Bool, parts records: inout [SourcePart], forms sourceForms: inout [Form]) throws {
        if !nests {
            var codeIndex = 0
            var replaced = 0
            var replacedTotal = 0
            for p in parts.indices {
                let start = recording ? contentMark() : 0
                let warnings = warningCount, replacedBefore = replacedTotal
                let runs = parts[p].source
                for k in runs.indices {
                    switch runs[k] {
                    case .text(let t):
                        let r = try xml.text(t, replacingDisallowedWith: "\u{FFFD}")
                        replaced += r
                        replacedTotal += r
                    case .code(let c):
                        if replaced > 0 { warnControlCharacters(); replaced = 0 }
                        codeIndex += 1
                        try writeCode(c, form: .element, fallbackID: codeIndex)
                    case .marker: break
                    }
                }
                if recording {
                    records.append(SourcePart(bytes: capturedSince(start), codes: codeIndex,
                                              reusable: warnings == warningCount && replacedTotal == replacedBefore))
                }
            }
            if replaced > 0 { warnControlCharacters() }
            return
        }
        var tokens = Self.borrow(&tokenBuffer)
        for p in parts.indices {
            let runs = parts[p].source
            for k in runs.indices { tokens.append(.run(runs[k])) }
        }
        var forms = Self.borrow(&formBuffer)
        nestingForms(tokens, into: &forms)
        var state = TokenState()
        var t = 0
        for p in parts.indices {
            let n = parts[p].source.count
            let start = recording ? contentMark() : 0
            let warnings = warningCount, replacedBefore = state.replacedTotal, level = state.level
            state.lowestLevel = level
            try writeTokens(tokens, forms: forms, in: t..<t + n, isTarget: false, joinsText: true, state: &state)
            if recording {
                // Copied only whole: elements it opens closed in it, none it did not open closed.
                let whole = state.level == level && state.lowestLevel >= level
                records.append(SourcePart(bytes: capturedSince(start), codes: state.codeIndex,
                                          reusable: whole && warnings == warningCount && state.replacedTotal == replacedBefore))
            }
            t += n
        }
        if state.replaced > 0 { warnControlCharacters() }
        if recording { swap(&forms, &sourceForms) }
        Self.giveBack(&forms, to: &formBuffer)
        Self.giveBack(&tokens, to: &tokenBuffer)
    }

    /// What `<source>` wrote for one part of a segmented unit, which `<seg-source>` writes
    /// again as it is when `reusable`: its bytes in the writer's capture, and the number of codes
    /// written up to its end (codes without an id are numbered on through the content).
    /// Not reusable: the part reported something (a warning counts each writing), replaced a
    /// character XML cannot hold (the warning then counts per stretch there, per run here), or
    /// opened or closed an element it does not also close or open.
    private struct SourcePart {
        var bytes: Range<Int>
        var codes: Int
        var reusable: Bool
    }

    /// A segment of `<seg-source>` whose content is what `<source>` wrote for it (`bytes` in the
    /// capture): `<mrk mtype="seg" mid="…">…</mrk>`, as `begin`, `attribute`, the content and
    /// `close` write it (the element complete in one call: no bookkeeping of open elements).
    /// `number`: the segment's number when it is its mid, written without escaping.
    @inline(__always)
    private func writeCopiedSegment(mid: String, number: Int?, _ bytes: Range<Int>) throws {
        if let number {
            try xml.capturedElement(startTag: "<mrk mtype=\"seg\" mid=\"", number: number, endTag: "</mrk>", content: bytes)
        } else if try xml.capturedElement(startTag: "<mrk mtype=\"seg\" mid=\"", value: mid, endTag: "</mrk>", content: bytes) > 0 {
            warnControlCharacters()
        }
    }

    /// Where the next content's bytes will start in the capture: after the `>` an open start
    /// tag still needs.
    @inline(__always)
    private func contentMark() -> Int {
        xml.captureMark + (xml.isStartTagOpen ? 1 : 0)
    }

    /// The bytes captured since `start` (`contentMark()`), none when nothing was written.
    @inline(__always)
    private func capturedSince(_ start: Int) -> Range<Int> {
        let end = xml.captureMark
        return start <= end ? start..<end : end..<end
    }

    /// True when `count` forms from `a` in `forms` equal those from `b` in `other`.
    private static func sameForms(_ forms: [Form], from a: Int, as other: [Form], from b: Int, count: Int) -> Bool {
        guard b + count <= other.count else { return false }
        for k in 0..<count where forms[a + k] != other[b + k] { return false }
        return true
    }

    /// `n` in decimal: segment and code numbers, which every segmented unit needs, made once
    /// for the usual small ones (`String(n)` per segment went through `description`).
    @inline(__always)
    private static func decimal(_ n: Int) -> String {
        n >= 0 && n < smallNumbers.count ? smallNumbers[n] : String(n)
    }

    private static let smallNumbers: [String] = (0..<256).map { String($0) }

    /// Takes a kept buffer (`tokenBuffer`, `midBuffer`: their capacity is what is reused). A
    /// nested call (a `<sub>` inside a code) finds it taken and starts an empty one.
    @inline(__always)
    private static func borrow<Element>(_ kept: inout [Element]) -> [Element] {
        var buffer: [Element] = []
        swap(&buffer, &kept)
        return buffer
    }

    /// Empties a borrowed buffer and keeps it for the next call.
    @inline(__always)
    private static func giveBack<Element>(_ buffer: inout [Element], to kept: inout [Element]) {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &kept)
    }

    /// Writes tokens in the forms `nestingForms` decides. `joinsText`: consecutive text tokens are
    /// one text stretch (see `writeJoinedSources`).
    private func writeTokens(_ tokens: [Token], isTarget: Bool, joinsText: Bool) throws {
        var forms = Self.borrow(&formBuffer)
        defer { Self.giveBack(&forms, to: &formBuffer) }
        nestingForms(tokens, into: &forms)
        var state = TokenState()
        try writeTokens(tokens, forms: forms, in: tokens.indices, isTarget: isTarget, joinsText: joinsText, state: &state)
        if state.replaced > 0 { warnControlCharacters() }
    }

    /// Where writing tokens stands, carried from one range of tokens to the next.
    private struct TokenState {
        /// Codes written so far (a code without an id is numbered by it).
        var codeIndex = 0
        /// Elements opened by the tokens and still open.
        var level = 0
        /// The lowest `level` since it was last set.
        var lowestLevel = 0
        /// Characters replaced in the current text stretch (joined text), not reported yet.
        var replaced = 0
        /// Characters replaced in all.
        var replacedTotal = 0
    }

    /// Writes the tokens `range` of `tokens` in the forms `forms` says.
    private func writeTokens(_ tokens: [Token], forms: [Form], in range: Range<Int>, isTarget: Bool, joinsText: Bool, state: inout TokenState) throws {
        for i in range {
            if case .run(.text(let t)) = tokens[i] {
                if joinsText {
                    let r = try xml.text(t, replacingDisallowedWith: "\u{FFFD}")
                    state.replaced += r
                    state.replacedTotal += r
                } else {
                    try writeText(t)
                }
                continue
            }
            if state.replaced > 0 { warnControlCharacters(); state.replaced = 0 }
            switch tokens[i] {
            case .run(.text): break
            case .segmentStart(let mid, let attributes):
                try begin("mrk", indent: false)
                try xml.attribute("mtype", literal: "seg")
                try attribute("mid", mid)
                try foreign(attributes)
                state.level += 1
            case .segmentEnd:
                try close(indent: false)
                state.level -= 1
            case .run(.marker(let m)):
                switch forms[i] {
                case .nested:
                    if m.boundary == .start {
                        try openMarker(m, allowID: !(isTarget && state.level == 0))
                        state.level += 1
                    } else {
                        try close(indent: false)
                        state.level -= 1
                    }
                default:
                    if m.boundary == .start {
                        warn("marker-overlap", "an annotation overlapping other markup cannot nest in XLIFF 1.2: left out", code: "xliff12.not-written")
                    }
                }
            case .run(.code(let c)):
                state.codeIndex += 1
                if forms[i] == .nested { state.level += c.kind == .opening ? 1 : -1 }
                try writeCode(c, form: forms[i], fallbackID: state.codeIndex)
            }
            if state.level < state.lowestLevel { state.lowestLevel = state.level }
        }
    }

    @inline(__always)
    private static func needsNesting(_ run: Run) -> Bool {
        switch run {
        case .text: return false
        case .code(let c): return c.kind != .standalone
        case .marker: return true
        }
    }


    /// Decides which opening/closing tokens can be written as nested elements (`<g>`, `<mrk>`):
    /// those whose partner closes inside the same parent. Segment boundaries always nest; a
    /// `<g>` that would cross another element is written as `<bx/>`/`<ex/>` instead, an
    /// annotation that would cross one is left out.
    private func nestingForms(_ tokens: [Token], into forms: inout [Form]) {
        forms.append(contentsOf: repeatElement(.element, count: tokens.count))
        var stack = Self.borrow(&pairBuffer)
        defer { Self.giveBack(&stack, to: &pairBuffer) }
        func key(_ t: Token) -> (key: PairKey, priority: Int, opens: Bool)? {
            switch t {
            case .segmentStart: return (PairKey(kind: .segment, id: ""), 3, true)
            case .segmentEnd: return (PairKey(kind: .segment, id: ""), 3, false)
            case .run(.marker(let m)): return (PairKey(kind: .marker, id: m.id), 2, m.boundary == .start)
            case .run(.code(let c)):
                guard Self.nestsAsG(c) else { return nil }
                return (PairKey(kind: .code, id: c.id), 1, c.kind == .opening)
            default: return nil
            }
        }
        // Whether some `<g>` opening was flattened: only then can a later closing with its key
        // need flattening too (the second pass below).
        var flattenedOpening = false
        for i in tokens.indices {
            guard let k = key(tokens[i]) else { continue }
            if k.opens {
                stack.append(OpenPair(index: i, priority: k.priority, key: k.key))
                forms[i] = .nested
                continue
            }
            // The usual case: it closes the innermost open pair.
            if let top = stack.last, top.key == k.key {
                stack.removeLast()
                forms[i] = .nested
                continue
            }
            guard let matchAt = stack.lastIndex(where: { $0.key == k.key }) else {
                forms[i] = k.priority == 1 ? .flat : .dropped
                continue
            }
            let above = stack[(matchAt + 1)...]
            if above.contains(where: { $0.priority > k.priority }) {
                // This pair crosses a stronger element: it gives way.
                forms[i] = k.priority == 1 ? .flat : .dropped
                forms[stack[matchAt].index] = forms[i]
                if k.priority == 1 { flattenedOpening = true }
                stack.remove(at: matchAt)
                continue
            }
            for entry in above {
                forms[entry.index] = entry.priority == 1 ? .flat : .dropped
                if entry.priority == 1 { flattenedOpening = true }
            }
            stack.removeSubrange(matchAt...)
            forms[i] = .nested
        }
        for entry in stack {
            forms[entry.index] = entry.priority == 1 ? .flat : .dropped
            if entry.priority == 1 { flattenedOpening = true }
        }
        guard flattenedOpening else { return }
        // A flattened opening's closing partner (found later by key) must be flat too.
        var flatKeys = Set<PairKey>()
        for i in tokens.indices {
            guard let k = key(tokens[i]), k.priority == 1 else { continue }
            if k.opens, forms[i] != .nested { flatKeys.insert(k.key) }
            else if !k.opens, flatKeys.contains(k.key) { forms[i] = .flat; flatKeys.remove(k.key) }
        }
    }

    /// An opening token waiting for its closing one in `nestingForms`.
    private struct OpenPair {
        var index: Int
        var priority: Int
        var key: PairKey
    }

    /// What pairs an opening token with its closing one: segments with segments, annotations and
    /// `<g>` codes by id (an annotation and a code with the same id are different pairs).
    private struct PairKey: Hashable {
        enum Kind: UInt8 { case segment, marker, code }
        var kind: Kind
        var id: String
    }

    /// A paired code written as `<g>` when it nests: read from `<g>`, or a data-less pair from XLIFF 2.
    private static func nestsAsG(_ c: InlineCode) -> Bool {
        guard c.kind != .standalone, !c.isolated else { return false }
        if let e = c.xliff12Element { return e == .g }
        return c.originalData == nil && c.subContents.isEmpty
    }

    private func openMarker(_ m: Marker, allowID: Bool) throws {
        var mtype = m.type ?? "x-generic"
        if mtype.hasPrefix(XLIFFStateMapping.subStatePrefix) { mtype.removeFirst(XLIFFStateMapping.subStatePrefix.count) }
        if m.translate == false && (m.type == nil || m.type == "generic") { mtype = "protected" }
        else if m.type == "generic" { mtype = "x-generic" }
        else if m.type == "comment" { mtype = "x-comment" }
        if !XLIFF12.isValid(mtype, in: XLIFF12.mtypes) {
            mtype = "x-" + mtype.map { $0 == ":" || $0 == " " ? "-" : $0 }.reduce(into: "") { $0.append($1) }
        }
        // Written as decided rather than gathered in an attribute list first (one allocation
        // per annotation otherwise).
        try begin("mrk", indent: false)
        try attribute("mtype", mtype)
        if !m.id.isEmpty, Self.isNMTOKEN(m.id) {
            if allowID { try attribute("mid", m.id) }
            else { warn("target-mrk-id", "an annotation directly in <target> cannot keep its id in XLIFF 1.2 (mid there must name a segment): left out") }
        }
        if let v = m.value { try attribute("comment", v) }
        if m.ref != nil { warn("marker-ref", "annotation references (ref) have no XLIFF 1.2 equivalent; not written") }
        if m.translate == true { warn("marker-translate", "translate=\"yes\" on an annotation has no XLIFF 1.2 equivalent; not written") }
        try foreign(m.extensionAttributes)
    }

    /// `fallbackID`: the code's number in its content, its id when it has none.
    private func writeCode(_ c: InlineCode, form: Form, fallbackID: Int) throws {
        let id = c.id.isEmpty ? Self.decimal(fallbackID) : c.id
        let element: XLIFF12CodeElement
        switch c.kind {
        case .standalone:
            element = c.xliff12Element == .x || c.xliff12Element == .ph ? c.xliff12Element! : (c.originalData != nil || !c.subContents.isEmpty ? .ph : .x)
        case .opening:
            if c.isolated { element = c.xliff12Element == .bx ? .bx : .it }
            else if form == .nested { element = .g }
            else if c.xliff12Element == .bpt || (c.xliff12Element != .bx && c.xliff12Element != .g && (c.originalData != nil || !c.subContents.isEmpty)) { element = .bpt }
            else if c.xliff12Element == .it { element = .it }
            else { element = .bx }
        case .closing:
            if c.isolated { element = c.xliff12Element == .ex ? .ex : .it }
            else if form == .nested { try close(indent: false); return }
            else if c.xliff12Element == .ept || (c.xliff12Element != .ex && c.xliff12Element != .g && (c.originalData != nil || !c.subContents.isEmpty)) { element = .ept }
            else if c.xliff12Element == .it { element = .it }
            else { element = .ex }
        }
        if element == .g {
            try begin("g", indent: false)
        } else {
            try xml.startElement(Self.elementName(element))
            opened()
        }
        try attribute("id", id)
        if element == .it { try xml.attribute("pos", literal: c.kind == .closing ? "close" : "open") }
        if let ctype = c.ctype ?? Self.ctype(type: c.type, subType: c.subType) {
            switch element {
            case .x, .ph: try attribute("ctype", Self.validCtype(ctype, in: XLIFF12.placeholderCtypes))
            case .g, .bx, .bpt, .it: try attribute("ctype", Self.validCtype(ctype, in: XLIFF12.delimiterCtypes))
            case .ex, .ept: break
            }
        }
        if let e = c.equivalent { try attribute("equiv-text", e) }
        if let x = c.subFlows { try attribute("xid", x) }
        if !c.canCopy, element == .g || element == .x || element == .bx { try xml.attribute("clone", literal: "no") }
        if !c.xliff12Attributes.isEmpty {
            for (name, value) in c.xliff12Attributes.sorted(by: { $0.key < $1.key }) {
                switch (name, element) {
                case ("rid", .bx), ("rid", .ex), ("rid", .bpt), ("rid", .ept), ("rid", .it):
                    if Self.isNMTOKEN(value) { try attribute(name, value) }
                case ("crc", .ph), ("crc", .bpt), ("crc", .ept), ("crc", .it): try attribute(name, value)
                case ("assoc", .ph): if ["preceding", "following", "both"].contains(value) { try attribute(name, value) }
                case ("pos", _): break
                default:
                    if options.keepExtensions { try attribute(name, value) }
                    else { warn("code-attr:\(name)", "attribute '\(name)' on <\(element.rawValue)> left out: XLIFF 1.2 strict does not define it there", code: "xliff12.extension-dropped") }
                }
            }
        }
        try foreign(c.extensionAttributes)
        if !c.canDelete { warn("canDelete", "canDelete=\"no\" on inline codes has no XLIFF 1.2 equivalent; not written") }
        if c.canReorder != .yes { warn("canReorder", "canReorder on inline codes has no XLIFF 1.2 equivalent; not written") }
        if c.display != nil { warn("disp", "display text (disp) of inline codes has no XLIFF 1.2 equivalent; not written") }
        if c.copyOf != nil { warn("copyOf", "copyOf on inline codes has no XLIFF 1.2 equivalent; not written") }
        if c.canOverlap != nil { warn("canOverlap", "canOverlap on inline codes has no XLIFF 1.2 equivalent; not written") }
        if c.direction != nil || c.dataDirection != nil { warn("code-dir", "directions of inline codes and their data have no XLIFF 1.2 equivalent; not written") }
        if element == .g { return }
        switch element {
        case .bpt, .ept, .ph, .it:
            try writeCodeData(c)
        default:
            if c.originalData != nil { warn("data-lost", "native data of a code written as <\(element.rawValue)/> has no place in XLIFF 1.2; not written") }
        }
        try close(indent: false)
    }

    private static func elementName(_ e: XLIFF12CodeElement) -> StaticString {
        switch e {
        case .g: return "g"
        case .x: return "x"
        case .bx: return "bx"
        case .ex: return "ex"
        case .bpt: return "bpt"
        case .ept: return "ept"
        case .ph: return "ph"
        case .it: return "it"
        }
    }

    /// `originalData` with the `<sub>` flows put back at their offsets.
    private func writeCodeData(_ c: InlineCode) throws {
        let data = c.originalData ?? ""
        guard !c.subContents.isEmpty else {
            if !data.isEmpty { try writeText(data) }
            return
        }
        let utf16 = Array(data.utf16)
        var position = 0
        for sub in c.subContents.sorted(by: { $0.utf16Offset < $1.utf16Offset }) {
            let offset = min(max(sub.utf16Offset, position), utf16.count)
            if offset > position { try writeText(String(decoding: utf16[position..<offset], as: UTF16.self)) }
            position = offset
            var attributes: [(String, String)] = []
            if let d = sub.datatype { attributes.append(("datatype", fixedValue(d, in: XLIFF12.datatypes, attribute: "datatype"))) }
            if let ct = sub.ctype { attributes.append(("ctype", Self.validCtype(ct, in: XLIFF12.delimiterCtypes))) }
            if let x = sub.xid { attributes.append(("xid", x)) }
            try open("sub", attributes, indent: false)
            try writeRuns(sub.content.runs)
            try close(indent: false)
        }
        if position < utf16.count { try writeText(String(decoding: utf16[position...], as: UTF16.self)) }
    }

    private static func validCtype(_ ctype: String, in values: Set<String>) -> String {
        if XLIFF12.isValid(ctype, in: values) { return ctype }
        return "x-" + ctype.map { $0 == " " || $0 == ":" ? "-" : $0 }.reduce(into: "") { $0.append($1) }
    }

    /// The 1.2 `ctype` for an XLIFF 2 `type`/`subType` (`fmt` + `xlf:b` → `bold`).
    static func ctype(type: String?, subType: String?) -> String? {
        if let subType, subType.hasPrefix(XLIFFStateMapping.subStatePrefix) {
            return String(subType.dropFirst(XLIFFStateMapping.subStatePrefix.count))
        }
        switch subType {
        case "xlf:b": return "bold"
        case "xlf:i": return "italic"
        case "xlf:u": return "underlined"
        case "xlf:lb": return "lb"
        case "xlf:pb": return "pb"
        default: break
        }
        switch type {
        case "link": return "link"
        case "image": return "image"
        case nil: return nil
        case let t?: return "x-" + t
        }
    }
}

extension XLIFF12 {
    /// XLIFF 1.2 element names, to recognise 1.2 elements kept whole without a namespace (XLIFF 1.0 files).
    static let knownElements: Set<String> = [
        "xliff", "file", "header", "skl", "internal-file", "external-file", "glossary", "reference",
        "note", "phase-group", "phase", "count-group", "count", "context-group", "context", "tool",
        "body", "group", "trans-unit", "source", "seg-source", "target", "alt-trans", "bin-unit",
        "bin-source", "bin-target", "g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "sub", "mrk",
    ]
}

extension XMLStreamWriter {
    /// Hands the buffered bytes to the sink when a good amount has accumulated.
    func flushIfLarge() throws {
        // XMLStreamWriter flushes by itself past 64 KiB on text and end tags; nothing to add.
    }
}
