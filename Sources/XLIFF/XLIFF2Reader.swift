import Diagnostics
import TranslationModel
import XMLSupport

/// Reads an XLIFF 2.0, 2.1 or 2.2 document one unit at a time.
///
/// Built on `XMLStreamReader`, so memory holds one `<unit>` (with its matches, glossary and
/// notes), never the whole file. Core elements map onto the model; the Translation Candidates
/// (`mtc`), Glossary (`gls`) and Metadata (`mda`) modules onto `Match`, `GlossaryEntry` and
/// `MetaGroup`; every other module and extension is kept as `Extensions` for the writer.
///
/// Inline content becomes flat runs: `<pc>` an opening and a closing `InlineCode`, `<mrk>` a
/// start and an end `Marker`, `<cp hex="…"/>` the character itself, and `<data>` referenced by
/// `dataRef*` the code's `originalData`.
///
/// The reader throws `XLIFFError` (or `XMLError`) on input it cannot map: not well-formed XML,
/// a root that is not XLIFF 2, an element out of place, a value outside its set. It does not
/// check the processing requirements (unique ids, pairing…): `XLIFF2Validator` does.
public final class XLIFF2Reader: DocumentReader {
    private let xml: XMLStreamReader
    @exclusivity(unchecked) private var peeked: XMLEvent?
    @exclusivity(unchecked) private var started = false
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var queue: [DocumentEvent] = []
    @exclusivity(unchecked) private var levels: [Level] = []
    @exclusivity(unchecked) private var translateStack: [Bool] = [true]
    @exclusivity(unchecked) private var ns = XLIFFNamespace.v2_0

    /// The version of the document, known once the first event has been read.
    @exclusivity(unchecked) public private(set) var version: XLIFFVersion?

    /// Problems that did not stop the reading (markup skipped because it has no place in the model).
    @exclusivity(unchecked) public private(set) var findings: [Finding] = []

    /// Where the element that produced the last event starts (`path:line`): the `<xliff>`,
    /// `<file>`, `<group>` or `<unit>` start tag, for findings about that event.
    public var eventLocation: SourceLocation {
        SourceLocation(file: xml.displayPath, line: lastLine > 0 ? lastLine : nil)
    }

    @exclusivity(unchecked) private var lastLine = 0

    private enum Level {
        case document, file, group
    }

    /// Opens the file at `path`. `displayPath` (default: `path`) is what errors name.
    public init(path: String, displayPath: String? = nil) throws {
        xml = try XMLStreamReader(path: path, displayPath: displayPath)
    }

    /// Reads a document held in memory.
    public init(bytes: [UInt8], displayPath: String) throws {
        xml = try XMLStreamReader(bytes: bytes, displayPath: displayPath)
    }

    /// Reads a document from a string (tests, small inputs).
    public convenience init(string: String, displayPath: String = "<string>") throws {
        try self.init(bytes: Array(string.utf8), displayPath: displayPath)
    }

    /// Reads a whole document into memory.
    public static func document(atPath path: String, displayPath: String? = nil) throws -> Document {
        var reader = try XLIFF2Reader(path: path, displayPath: displayPath)
        return try Document(reading: &reader)
    }

    /// The path errors name.
    public var displayPath: String { xml.displayPath }

    // MARK: - Events

    /// The next event, or nil after `.endDocument`.
    public func next() throws -> DocumentEvent? {
        if !queue.isEmpty { return queue.removeFirst() }
        if finished { return nil }
        if !started {
            started = true
            return .startDocument(try readRoot())
        }
        while let event = try nextXML() {
            switch event {
            case .startElement(let start):
                guard start.name.namespace == ns else {
                    try skipMisplaced(start)
                    continue
                }
                lastLine = start.line
                switch (levels.last, start.name.local) {
                case (.document?, "file"):
                    levels.append(.file)
                    return .startFile(try readFileHeader(start))
                case (.file?, "unit"), (.group?, "unit"):
                    return .unit(try readUnit(start))
                case (.file?, "group"), (.group?, "group"):
                    levels.append(.group)
                    return .startGroup(try readGroupHeader(start))
                default:
                    throw unexpected(start)
                }
            case .endElement:
                guard let level = levels.popLast() else { continue }
                switch level {
                case .document:
                    finished = true
                    return .endDocument
                case .file:
                    translateStack.removeLast()
                    return .endFile
                case .group:
                    translateStack.removeLast()
                    return .endGroup
                }
            default:
                continue
            }
        }
        if !finished {
            finished = true
            throw XLIFFError(location: xml.location, message: "unexpected end of document")
        }
        return nil
    }

    // MARK: - XML plumbing

    private func nextXML() throws -> XMLEvent? {
        if let e = peeked {
            peeked = nil
            return e
        }
        return try xml.next()
    }

    private func location(_ start: XMLStartElement) -> SourceLocation {
        SourceLocation(file: xml.displayPath, line: start.line > 0 ? start.line : nil)
    }

    private func error(_ start: XMLStartElement, _ message: String) -> XLIFFError {
        XLIFFError(location: location(start), message: message)
    }

    private func unexpected(_ start: XMLStartElement) -> XLIFFError {
        error(start, "unexpected element <\(start.name.qualified)>")
    }

    /// An element in a foreign namespace where XLIFF allows none (after the units of a file):
    /// skipped with a warning, since the file's information was already handed on.
    private func skipMisplaced(_ start: XMLStartElement) throws {
        findings.append(Finding(.warning, "<\(start.name.qualified)> after the units of its parent is ignored", at: location(start), code: "xliff2.misplaced-extension"))
        try xml.skipElement()
    }

    /// The text of an element without element children (note, meta, term…); child elements are
    /// refused, since the model would lose them.
    private func readText(_ start: XMLStartElement) throws -> String {
        var text = ""
        while let event = try xml.next() {
            switch event {
            case .text(let t): text += t
            case .endElement: return text
            case .startElement(let s): throw unexpected(s)
            default: continue
            }
        }
        throw error(start, "unexpected end of document inside <\(start.name.qualified)>")
    }

    /// A foreign element with its subtree.
    private func readExtension(_ start: XMLStartElement) throws -> ExtensionElement {
        var stack: [ExtensionElement] = [Self.extensionElement(start)]
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                stack.append(Self.extensionElement(s))
            case .endElement:
                let done = stack.removeLast()
                if stack.isEmpty { return done }
                stack[stack.count - 1].children.append(.element(done))
            case .text(let t):
                let last = stack.count - 1
                if case .text(let previous)? = stack[last].children.last {
                    stack[last].children[stack[last].children.count - 1] = .text(previous + t)
                } else {
                    stack[last].children.append(.text(t))
                }
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <\(start.name.qualified)>")
    }

    private static func extensionElement(_ s: XMLStartElement) -> ExtensionElement {
        ExtensionElement(
            namespace: s.name.namespace, prefix: s.name.prefix, name: s.name.local,
            attributes: s.attributes.map { ExtensionAttribute(namespace: $0.name.namespace, prefix: $0.name.prefix, name: $0.name.local, value: $0.value) }
        )
    }

    // MARK: - Attributes

    private func attr(_ s: XMLStartElement, _ name: String) -> String? {
        for a in s.attributes where a.name.local == name && a.name.namespace.isEmpty { return a.value }
        return nil
    }

    private func xmlAttr(_ s: XMLStartElement, _ name: String) -> String? {
        for a in s.attributes where a.name.local == name && a.name.namespace == XMLNamespace.xml { return a.value }
        return nil
    }

    private func extensionAttributes(_ s: XMLStartElement) -> [ExtensionAttribute] {
        var out: [ExtensionAttribute] = []
        for a in s.attributes where !a.name.namespace.isEmpty && a.name.namespace != XMLNamespace.xml {
            out.append(ExtensionAttribute(namespace: a.name.namespace, prefix: a.name.prefix, name: a.name.local, value: a.value))
        }
        return out
    }

    private func yesNo(_ s: XMLStartElement, _ name: String) throws -> Bool? {
        guard let v = attr(s, name) else { return nil }
        switch v {
        case "yes": return true
        case "no": return false
        default: throw error(s, "attribute '\(name)' of <\(s.name.qualified)> must be 'yes' or 'no', not '\(v)'")
        }
    }

    private func space(_ s: XMLStartElement) throws -> Bool? {
        guard let v = xmlAttr(s, "space") else { return nil }
        switch v {
        case "preserve": return true
        case "default": return false
        default: throw error(s, "xml:space must be 'preserve' or 'default', not '\(v)'")
        }
    }

    private func required(_ s: XMLStartElement, _ name: String) throws -> String {
        guard let v = attr(s, name) else {
            throw error(s, "<\(s.name.qualified)> has no '\(name)' attribute")
        }
        return v
    }

    private func integer(_ s: XMLStartElement, _ name: String) throws -> Int? {
        guard let v = attr(s, name) else { return nil }
        guard let n = Int(v.trimmingXMLSpace()) else {
            throw error(s, "attribute '\(name)' of <\(s.name.qualified)> must be an integer, not '\(v)'")
        }
        return n
    }

    private func decimal(_ s: XMLStartElement, _ name: String) throws -> Double? {
        guard let v = attr(s, name) else { return nil }
        guard let n = Double(v.trimmingXMLSpace()), n.isFinite else {
            throw error(s, "attribute '\(name)' of <\(s.name.qualified)> must be a number, not '\(v)'")
        }
        return n
    }

    // MARK: - Root, file, group

    private func readRoot() throws -> DocumentInfo {
        var root: XMLStartElement?
        while let event = try xml.next() {
            if case .startElement(let s) = event { root = s; break }
        }
        guard let root else {
            throw XLIFFError(location: xml.location, message: "the document has no root element")
        }
        guard root.name.local == "xliff", root.name.namespace == XLIFFNamespace.v2_0 || root.name.namespace == XLIFFNamespace.v2_2 else {
            let ns = root.name.namespace.isEmpty ? "no namespace" : "namespace '\(root.name.namespace)'"
            throw error(root, "not an XLIFF 2 document: the root element is <\(root.name.qualified)> in \(ns)")
        }
        ns = root.name.namespace
        lastLine = root.line
        let versionText = attr(root, "version")
        if ns == XLIFFNamespace.v2_2 {
            version = .v2_2
        } else {
            switch versionText {
            case "2.0"?: version = .v2_0
            case "2.1"?: version = .v2_1
            case nil: throw error(root, "<xliff> has no 'version' attribute")
            default: throw error(root, "unsupported XLIFF version '\(versionText!)' in namespace \(ns)")
            }
        }
        var info = DocumentInfo(
            version: version,
            sourceLanguage: try required(root, "srcLang"),
            targetLanguage: attr(root, "trgLang"),
            extensions: Extensions(attributes: extensionAttributes(root))
        )
        info.preserveSpace = try space(root)
        levels.append(.document)
        // XLIFF 2.2 allows notes and metadata before the first file.
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                if s.name.namespace == ns && s.name.local == "notes" {
                    info.notes = try readNotes(s)
                } else if s.name.namespace == XLIFFNamespace.metadata && s.name.local == "metadata" {
                    (info.metadataID, info.metadata) = try readMetadata(s)
                } else if s.name.namespace == ns {
                    peeked = event
                    return info
                } else {
                    info.extensions.elements.append(try readExtension(s))
                }
            case .endElement:
                peeked = event
                return info
            default:
                continue
            }
        }
        return info
    }

    private func readFileHeader(_ start: XMLStartElement) throws -> FileInfo {
        var info = FileInfo(id: try required(start, "id"))
        info.original = attr(start, "original")
        info.translate = try yesNo(start, "translate")
        info.canResegment = try yesNo(start, "canResegment")
        info.sourceDirection = attr(start, "srcDir")
        info.targetDirection = attr(start, "trgDir")
        info.preserveSpace = try space(start)
        info.extensions.attributes = extensionAttributes(start)
        translateStack.append(info.translate ?? translateStack.last!)
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                if s.name.namespace == ns {
                    switch s.name.local {
                    case "skeleton": info.skeleton = try readSkeleton(s)
                    case "notes": info.notes = try readNotes(s)
                    default:
                        peeked = event
                        return info
                    }
                } else if s.name.namespace == XLIFFNamespace.metadata && s.name.local == "metadata" {
                    (info.metadataID, info.metadata) = try readMetadata(s)
                } else {
                    info.extensions.elements.append(try readExtension(s))
                }
            case .endElement:
                peeked = event
                return info
            default:
                continue
            }
        }
        return info
    }

    private func readSkeleton(_ start: XMLStartElement) throws -> Skeleton {
        var skeleton = Skeleton(href: attr(start, "href"))
        var text: String?
        while let event = try xml.next() {
            switch event {
            case .text(let t): text = (text ?? "") + t
            case .startElement(let s): skeleton.elements.append(try readExtension(s))
            case .endElement:
                skeleton.content = text
                return skeleton
            default: continue
            }
        }
        throw error(start, "unexpected end of document inside <skeleton>")
    }

    private func readGroupHeader(_ start: XMLStartElement) throws -> GroupInfo {
        var info = GroupInfo(id: attr(start, "id"))
        info.name = attr(start, "name")
        info.type = attr(start, "type")
        info.translate = try yesNo(start, "translate")
        info.canResegment = try yesNo(start, "canResegment")
        info.sourceDirection = attr(start, "srcDir")
        info.targetDirection = attr(start, "trgDir")
        info.preserveSpace = try space(start)
        info.extensions.attributes = extensionAttributes(start)
        translateStack.append(info.translate ?? translateStack.last!)
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                if s.name.namespace == ns {
                    if s.name.local == "notes" {
                        info.notes = try readNotes(s)
                    } else {
                        peeked = event
                        return info
                    }
                } else if s.name.namespace == XLIFFNamespace.metadata && s.name.local == "metadata" {
                    (info.metadataID, info.metadata) = try readMetadata(s)
                } else {
                    info.extensions.elements.append(try readExtension(s))
                }
            case .endElement:
                peeked = event
                return info
            default:
                continue
            }
        }
        return info
    }

    // MARK: - Notes and modules

    private func readNotes(_ start: XMLStartElement) throws -> [Note] {
        var notes: [Note] = []
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                guard s.name.namespace == ns, s.name.local == "note" else {
                    throw unexpected(s)
                }
                var note = Note(try readTextAfter(s))
                note.id = attr(s, "id")
                note.category = attr(s, "category")
                note.priority = try integer(s, "priority")
                note.ref = attr(s, "ref")
                if let a = attr(s, "appliesTo") {
                    guard let applies = Note.AppliesTo(rawValue: a), applies != .general else {
                        throw error(s, "attribute 'appliesTo' of <note> must be 'source' or 'target', not '\(a)'")
                    }
                    note.appliesTo = applies
                }
                note.extensionAttributes = extensionAttributes(s)
                notes.append(note)
            case .endElement:
                return notes
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <notes>")
    }

    /// `readText` for an element whose start was just read (attributes parsed afterwards).
    private func readTextAfter(_ start: XMLStartElement) throws -> String {
        try readText(start)
    }

    private func readMetadata(_ start: XMLStartElement) throws -> (String?, [MetaGroup]) {
        var groups: [MetaGroup] = []
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                guard s.name.namespace == XLIFFNamespace.metadata, s.name.local == "metaGroup" else { throw unexpected(s) }
                groups.append(try readMetaGroup(s))
            case .endElement:
                return (attr(start, "id"), groups)
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <mda:metadata>")
    }

    private func readMetaGroup(_ start: XMLStartElement) throws -> MetaGroup {
        var group = MetaGroup(id: attr(start, "id"), category: attr(start, "category"), appliesTo: attr(start, "appliesTo"))
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                guard s.name.namespace == XLIFFNamespace.metadata else { throw unexpected(s) }
                switch s.name.local {
                case "metaGroup": group.items.append(.group(try readMetaGroup(s)))
                case "meta":
                    guard let type = attr(s, "type") else { throw error(s, "<mda:meta> has no 'type' attribute") }
                    group.items.append(.meta(type: type, value: try readText(s)))
                default: throw unexpected(s)
                }
            case .endElement:
                return group
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <mda:metaGroup>")
    }

    private func readGlossary(_ start: XMLStartElement) throws -> [GlossaryEntry] {
        var entries: [GlossaryEntry] = []
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                guard s.name.namespace == XLIFFNamespace.glossary, s.name.local == "glossEntry" else { throw unexpected(s) }
                entries.append(try readGlossEntry(s))
            case .endElement:
                return entries
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <gls:glossary>")
    }

    private func readGlossEntry(_ start: XMLStartElement) throws -> GlossaryEntry {
        var entry = GlossaryEntry(term: "", id: attr(start, "id"), ref: attr(start, "ref"))
        entry.extensions.attributes = extensionAttributes(start)
        var sawTerm = false
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                if s.name.namespace == XLIFFNamespace.glossary {
                    switch s.name.local {
                    case "term":
                        entry.termSource = attr(s, "source")
                        entry.termExtensionAttributes = extensionAttributes(s)
                        entry.term = try readText(s)
                        sawTerm = true
                    case "translation":
                        var t = GlossaryEntry.Translation("", id: attr(s, "id"), ref: attr(s, "ref"), source: attr(s, "source"))
                        t.extensionAttributes = extensionAttributes(s)
                        t.text = try readText(s)
                        entry.translations.append(t)
                    case "definition":
                        entry.definitionSource = attr(s, "source")
                        entry.definitionExtensionAttributes = extensionAttributes(s)
                        entry.definition = try readText(s)
                    default:
                        throw unexpected(s)
                    }
                } else {
                    entry.extensions.elements.append(try readExtension(s))
                }
            case .endElement:
                guard sawTerm else { throw error(start, "<gls:glossEntry> has no <gls:term>") }
                return entry
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <gls:glossEntry>")
    }

    private func readMatches(_ start: XMLStartElement) throws -> [Match] {
        var matches: [Match] = []
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                guard s.name.namespace == XLIFFNamespace.matches, s.name.local == "match" else { throw unexpected(s) }
                matches.append(try readMatch(s))
            case .endElement:
                return matches
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <mtc:matches>")
    }

    private func readMatch(_ start: XMLStartElement) throws -> Match {
        var match = Match(id: attr(start, "id"), ref: attr(start, "ref"), source: Content(), target: Content())
        match.type = attr(start, "type")
        match.subType = attr(start, "subType")
        match.origin = attr(start, "origin")
        match.similarity = try decimal(start, "similarity")
        match.matchQuality = try decimal(start, "matchQuality")
        match.matchSuitability = try decimal(start, "matchSuitability")
        match.reference = try yesNo(start, "reference") ?? false
        match.extensions.attributes = extensionAttributes(start)
        var data: [String: DataEntry] = [:]
        while let event = try xml.next() {
            switch event {
            case .startElement(let s):
                if s.name.namespace == ns {
                    switch s.name.local {
                    case "originalData": data = try readOriginalData()
                    case "source": match.source = try readContent(data: data).content
                    case "target": match.target = try readContent(data: data).content
                    default: throw unexpected(s)
                    }
                } else if s.name.namespace == XLIFFNamespace.metadata && s.name.local == "metadata" {
                    (match.metadataID, match.metadata) = try readMetadata(s)
                } else {
                    match.extensions.elements.append(try readExtension(s))
                }
            case .endElement:
                return match
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <mtc:match>")
    }

    // MARK: - Unit

    // MARK: - Unit (cursor: the hot path of a large document)

    /// Names of the unit-level vocabulary, interned in the XML reader, so that elements and
    /// attributes are recognised by pointer comparison rather than by building strings.
    struct Atoms {
        let core, xmlNS, mtcNS, glsNS, mdaNS: XMLAtom
        let segment, ignorable, notes, originalData, data, source, target: XMLAtom
        let cp, ph, pc, sc, ec, mrk, sm, em: XMLAtom
        let matches, glossary, metadata: XMLAtom
        let id, state, subState, canResegment, order, lang, space, hex, dir: XMLAtom
        let type, subType, canCopy, canDelete, canOverlap, canReorder, copyOf: XMLAtom
        let disp, equiv, dispStart, dispEnd, equivStart, equivEnd, subFlows, subFlowsStart, subFlowsEnd: XMLAtom
        let dataRef, dataRefStart, dataRefEnd, isolated, startRef, translate, ref, value: XMLAtom

        init(_ x: XMLStreamReader, core ns: String) {
            core = x.atom(ns); xmlNS = x.atom(XMLNamespace.xml)
            mtcNS = x.atom(XLIFFNamespace.matches); glsNS = x.atom(XLIFFNamespace.glossary); mdaNS = x.atom(XLIFFNamespace.metadata)
            segment = x.atom("segment"); ignorable = x.atom("ignorable"); notes = x.atom("notes")
            originalData = x.atom("originalData"); data = x.atom("data"); source = x.atom("source"); target = x.atom("target")
            cp = x.atom("cp"); ph = x.atom("ph"); pc = x.atom("pc"); sc = x.atom("sc"); ec = x.atom("ec")
            mrk = x.atom("mrk"); sm = x.atom("sm"); em = x.atom("em")
            matches = x.atom("matches"); glossary = x.atom("glossary"); metadata = x.atom("metadata")
            id = x.atom("id"); state = x.atom("state"); subState = x.atom("subState"); canResegment = x.atom("canResegment")
            order = x.atom("order"); lang = x.atom("lang"); space = x.atom("space"); hex = x.atom("hex"); dir = x.atom("dir")
            type = x.atom("type"); subType = x.atom("subType"); canCopy = x.atom("canCopy"); canDelete = x.atom("canDelete")
            canOverlap = x.atom("canOverlap"); canReorder = x.atom("canReorder"); copyOf = x.atom("copyOf")
            disp = x.atom("disp"); equiv = x.atom("equiv"); dispStart = x.atom("dispStart"); dispEnd = x.atom("dispEnd")
            equivStart = x.atom("equivStart"); equivEnd = x.atom("equivEnd"); subFlows = x.atom("subFlows")
            subFlowsStart = x.atom("subFlowsStart"); subFlowsEnd = x.atom("subFlowsEnd")
            dataRef = x.atom("dataRef"); dataRefStart = x.atom("dataRefStart"); dataRefEnd = x.atom("dataRefEnd")
            isolated = x.atom("isolated"); startRef = x.atom("startRef"); translate = x.atom("translate")
            ref = x.atom("ref"); value = x.atom("value")
        }
    }

    @exclusivity(unchecked) private var atomTable: Atoms?
    private var atoms: Atoms {
        if let atomTable { return atomTable }
        let table = Atoms(xml, core: ns)
        atomTable = table
        return table
    }

    /// An error at the element the cursor is on.
    private func errorHere(_ message: String) -> XLIFFError {
        let line = xml.currentLine
        return XLIFFError(location: SourceLocation(file: xml.displayPath, line: line > 0 ? line : nil), message: message)
    }

    private func unexpectedHere() -> XLIFFError {
        errorHere("unexpected element <\(xml.currentStartElement().name.qualified)>")
    }

    /// Skips what is left of the element the cursor has just entered.
    private func skipRest() throws {
        var depth = 1
        while depth > 0, let kind = try xml.advance() {
            if kind == .startElement { depth += 1 } else if kind == .endElement { depth -= 1 }
        }
    }

    private func yesNo(_ value: XMLAttributeValue, _ name: @autoclosure () -> String) throws -> Bool {
        if value.equals("yes") { return true }
        if value.equals("no") { return false }
        throw errorHere("attribute '\(name())' must be 'yes' or 'no', not '\(value.string)'")
    }

    private func space(_ value: XMLAttributeValue) throws -> Bool {
        if value.equals("preserve") { return true }
        if value.equals("default") { return false }
        throw errorHere("xml:space must be 'preserve' or 'default', not '\(value.string)'")
    }

    private func foreignAttribute(_ value: XMLAttributeValue) -> ExtensionAttribute {
        let name = xml.currentAttributeName
        return ExtensionAttribute(namespace: name.namespace, prefix: name.prefix, name: name.local, value: value.string)
    }

    private func readUnit(_ start: XMLStartElement) throws -> Unit {
        var unit = Unit(id: try required(start, "id"))
        unit.name = attr(start, "name")
        unit.type = attr(start, "type")
        unit.translate = try yesNo(start, "translate") ?? translateStack.last!
        unit.canResegment = try yesNo(start, "canResegment")
        unit.sourceDirection = attr(start, "srcDir")
        unit.targetDirection = attr(start, "trgDir")
        unit.preserveSpace = try space(start)
        unit.extensions.attributes = extensionAttributes(start)
        let a = atoms
        var data: [String: DataEntry] = [:]
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                let namespace = xml.namespace, local = xml.localName
                if namespace == a.core {
                    if local == a.segment { unit.parts.append(.segment(try readSegment(data: data))) }
                    else if local == a.ignorable { unit.parts.append(.ignorable(try readIgnorable(data: data))) }
                    else if local == a.originalData { data = try readOriginalData() }
                    else if local == a.notes { unit.notes = try readNotes(xml.currentStartElement()) }
                    else { throw unexpectedHere() }
                } else if namespace == a.mtcNS && local == a.matches {
                    unit.matches += try readMatches(xml.currentStartElement())
                } else if namespace == a.glsNS && local == a.glossary {
                    unit.glossary += try readGlossary(xml.currentStartElement())
                } else if namespace == a.mdaNS && local == a.metadata {
                    let s = xml.currentStartElement()
                    (unit.metadataID, unit.metadata) = try readMetadata(s)
                } else {
                    unit.extensions.elements.append(try readExtension(xml.currentStartElement()))
                }
            case .endElement:
                return unit
            default:
                continue
            }
        }
        throw error(start, "unexpected end of document inside <unit>")
    }

    private func readSegment(data: [String: DataEntry]) throws -> Segment {
        let a = atoms
        var segment = Segment(source: Content())
        try xml.forEachAttribute { local, namespace, value in
            guard namespace == .none else { return }
            if local == a.id { segment.id = value.string }
            else if local == a.canResegment { segment.canResegment = try yesNo(value, "canResegment") }
            else if local == a.state {
                guard let state = SegmentState(rawValue: value.string) else {
                    throw errorHere("attribute 'state' must be initial, translated, reviewed or final, not '\(value.string)'")
                }
                segment.state = state
            } else if local == a.subState { segment.subState = value.string }
        }
        var sawSource = false
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                guard xml.namespace == a.core else { throw unexpectedHere() }
                let local = xml.localName
                if local == a.source {
                    segment.source = try readContent(data: data).content
                    sawSource = true
                } else if local == a.target {
                    (segment.target, segment.targetOrder) = try readContent(data: data)
                } else {
                    throw unexpectedHere()
                }
            case .endElement:
                guard sawSource else { throw errorHere("<segment> has no <source>") }
                return segment
            default:
                continue
            }
        }
        throw errorHere("unexpected end of document inside <segment>")
    }

    private func readIgnorable(data: [String: DataEntry]) throws -> Ignorable {
        let a = atoms
        var ignorable = Ignorable(source: Content())
        xml.forEachAttribute { local, namespace, value in
            if namespace == .none && local == a.id { ignorable.id = value.string }
        }
        var sawSource = false
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                guard xml.namespace == a.core else { throw unexpectedHere() }
                let local = xml.localName
                if local == a.source {
                    ignorable.source = try readContent(data: data).content
                    sawSource = true
                } else if local == a.target {
                    (ignorable.target, ignorable.targetOrder) = try readContent(data: data)
                } else {
                    throw unexpectedHere()
                }
            case .endElement:
                guard sawSource else { throw errorHere("<ignorable> has no <source>") }
                return ignorable
            default:
                continue
            }
        }
        throw errorHere("unexpected end of document inside <ignorable>")
    }

    // MARK: - Original data and inline content

    struct DataEntry {
        var text: String
        var direction: String?
    }

    /// Reads `<originalData>`, the cursor being on its start tag.
    private func readOriginalData() throws -> [String: DataEntry] {
        let a = atoms
        var data: [String: DataEntry] = [:]
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                guard xml.namespace == a.core, xml.localName == a.data else { throw unexpectedHere() }
                var id: String?
                var dir: String?
                xml.forEachAttribute { local, namespace, value in
                    guard namespace == .none else { return }
                    if local == a.id { id = value.string } else if local == a.dir { dir = value.string }
                }
                guard let id else { throw errorHere("<data> has no 'id' attribute") }
                var text = ""
                loop: while let inner = try xml.advance() {
                    switch inner {
                    case .text: text += xml.currentText
                    case .startElement:
                        guard xml.namespace == a.core, xml.localName == a.cp else { throw unexpectedHere() }
                        text.unicodeScalars.append(try codePoint())
                        try skipRest()
                    case .endElement: break loop
                    default: continue
                    }
                }
                if data[id] == nil { data[id] = DataEntry(text: text, direction: dir) }
            case .endElement:
                return data
            default:
                continue
            }
        }
        throw errorHere("unexpected end of document inside <originalData>")
    }

    /// The character of `<cp hex="…"/>`, the cursor being on it.
    private func codePoint() throws -> Unicode.Scalar {
        let a = atoms
        var hex: String?
        xml.forEachAttribute { local, namespace, value in
            if namespace == .none && local == a.hex { hex = value.string }
        }
        guard let hex else { throw errorHere("<cp> has no 'hex' attribute") }
        guard let value = UInt32(hex, radix: 16), hex.count <= 6 else {
            throw errorHere("<cp hex=\"\(hex)\"> is not a hexadecimal code point")
        }
        guard let scalar = Unicode.Scalar(value) else {
            // A lone surrogate cannot live in a Swift string; keep the position visibly.
            let line = xml.currentLine
            findings.append(Finding(.warning, "<cp hex=\"\(hex)\"> is a surrogate code point; replaced by U+FFFD", at: SourceLocation(file: xml.displayPath, line: line > 0 ? line : nil), code: "xliff2.surrogate-code-point"))
            return "\u{FFFD}"
        }
        return scalar
    }

    /// What closes an element opened in content.
    private enum OpenInline {
        case pc(InlineCode)
        case mrk(String)
    }

    /// Reads `<source>`/`<target>` content into runs, the cursor being on the start tag; also
    /// returns the target's `order`.
    private func readContent(data: [String: DataEntry]) throws -> (content: Content, order: Int?) {
        let a = atoms
        var content = Content()
        var order: Int?
        try xml.forEachAttribute { local, namespace, value in
            if namespace == a.xmlNS {
                if local == a.lang { content.language = value.string }
                else if local == a.space { content.preserveSpace = try space(value) }
            } else if namespace == .none && local == a.order {
                let text = value.string
                guard let n = Int(text.trimmingXMLSpace()) else { throw errorHere("attribute 'order' must be an integer, not '\(text)'") }
                order = n
            }
        }
        var open: [OpenInline] = []
        while let kind = try xml.advance() {
            switch kind {
            case .text:
                content.append(text: xml.currentText)
            case .startElement:
                guard xml.namespace == a.core else { throw unexpectedHere() }
                let local = xml.localName
                if local == a.ph {
                    content.append(.code(try inlineCode(kind: .standalone, data: data)))
                    try skipRest()
                } else if local == a.pc {
                    let (opening, closing) = try pairedCode(data: data)
                    content.append(.code(opening))
                    open.append(.pc(closing))
                } else if local == a.sc {
                    content.append(.code(try inlineCode(kind: .opening, data: data)))
                    try skipRest()
                } else if local == a.ec {
                    content.append(.code(try inlineCode(kind: .closing, data: data)))
                    try skipRest()
                } else if local == a.cp {
                    var scalars = String.UnicodeScalarView()
                    scalars.append(try codePoint())
                    content.append(text: String(scalars))
                    try skipRest()
                } else if local == a.mrk {
                    let m = try marker()
                    content.append(.marker(m))
                    open.append(.mrk(m.id))
                } else if local == a.sm {
                    content.append(.marker(try marker()))
                    try skipRest()
                } else if local == a.em {
                    var ref: String?
                    xml.forEachAttribute { local, namespace, value in
                        if namespace == .none && local == a.startRef { ref = value.string }
                    }
                    guard let ref else { throw errorHere("<em> has no 'startRef' attribute") }
                    content.append(.marker(Marker(boundary: .end, id: ref)))
                    try skipRest()
                } else {
                    throw unexpectedHere()
                }
            case .endElement:
                guard let top = open.popLast() else { return (content, order) }
                switch top {
                case .pc(let closing): content.append(.code(closing))
                case .mrk(let id): content.append(.marker(Marker(boundary: .end, id: id)))
                }
            default:
                continue
            }
        }
        throw errorHere("unexpected end of document inside a <source> or <target>")
    }

    /// A code from `<ph>`, `<sc>` or `<ec>`, the cursor on its tag, in one pass over its
    /// attributes (codes are the most frequent elements of a document).
    private func inlineCode(kind: InlineCode.Kind, data: [String: DataEntry]) throws -> InlineCode {
        let a = atoms
        var code = InlineCode(kind: kind, id: "")
        var id: String?
        var startRef: String?
        var isolated = false
        var ref: String?
        try xml.forEachAttribute { local, namespace, value in
            guard namespace == .none else {
                if namespace != a.xmlNS { code.extensionAttributes.append(foreignAttribute(value)) }
                return
            }
            if local == a.id { id = value.string }
            else if local == a.type { code.type = value.string }
            else if local == a.subType { code.subType = value.string }
            else if local == a.dataRef { ref = value.string }
            else if local == a.canCopy { code.canCopy = try yesNo(value, "canCopy") }
            else if local == a.canDelete { code.canDelete = try yesNo(value, "canDelete") }
            else if local == a.canOverlap { code.canOverlap = try yesNo(value, "canOverlap") }
            else if local == a.canReorder { code.canReorder = try reorder(value) }
            else if local == a.copyOf { code.copyOf = value.string }
            else if local == a.dir { code.direction = value.string }
            else if local == a.disp { code.display = value.string }
            else if local == a.equiv { code.equivalent = value.string }
            else if local == a.subFlows { code.subFlows = value.string }
            else if local == a.isolated { isolated = try yesNo(value, "isolated") }
            else if local == a.startRef { startRef = value.string }
        }
        switch kind {
        case .closing:
            // A non-isolated <ec> names its <sc> with startRef; an isolated one has its own id.
            code.isolated = isolated
            guard let codeID = isolated ? (id ?? startRef) : (startRef ?? id) else { throw errorHere("<ec> has neither 'startRef' nor 'id'") }
            code.id = codeID
        default:
            if kind == .opening { code.isolated = isolated }
            guard let id else { throw errorHere("<\(kind == .opening ? "sc" : "ph")> has no 'id' attribute") }
            code.id = id
        }
        if let ref {
            code.dataRef = ref
            if let entry = data[ref] {
                code.originalData = entry.text
                code.dataDirection = entry.direction
            }
        }
        return code
    }

    /// The opening and closing codes of a `<pc>`, the cursor on its start tag.
    private func pairedCode(data: [String: DataEntry]) throws -> (InlineCode, InlineCode) {
        let a = atoms
        var opening = InlineCode(kind: .opening, id: "")
        var id: String?
        var refStart: String?, refEnd: String?
        var dispEnd: String?, equivEnd: String?, subFlowsEnd: String?
        try xml.forEachAttribute { local, namespace, value in
            guard namespace == .none else {
                if namespace != a.xmlNS { opening.extensionAttributes.append(foreignAttribute(value)) }
                return
            }
            if local == a.id { id = value.string }
            else if local == a.type { opening.type = value.string }
            else if local == a.subType { opening.subType = value.string }
            else if local == a.dataRefStart { refStart = value.string }
            else if local == a.dataRefEnd { refEnd = value.string }
            else if local == a.canCopy { opening.canCopy = try yesNo(value, "canCopy") }
            else if local == a.canDelete { opening.canDelete = try yesNo(value, "canDelete") }
            else if local == a.canOverlap { opening.canOverlap = try yesNo(value, "canOverlap") }
            else if local == a.canReorder { opening.canReorder = try reorder(value) }
            else if local == a.copyOf { opening.copyOf = value.string }
            else if local == a.dir { opening.direction = value.string }
            else if local == a.dispStart { opening.display = value.string }
            else if local == a.dispEnd { dispEnd = value.string }
            else if local == a.equivStart { opening.equivalent = value.string }
            else if local == a.equivEnd { equivEnd = value.string }
            else if local == a.subFlowsStart { opening.subFlows = value.string }
            else if local == a.subFlowsEnd { subFlowsEnd = value.string }
        }
        guard let id else { throw errorHere("<pc> has no 'id' attribute") }
        opening.id = id
        if let ref = refStart {
            opening.dataRef = ref
            opening.originalData = data[ref]?.text
            opening.dataDirection = data[ref]?.direction
        }
        var closing = XLIFF2Inline.pcClosing(for: opening)
        closing.display = dispEnd
        closing.equivalent = equivEnd
        closing.subFlows = subFlowsEnd
        if let ref = refEnd {
            closing.dataRef = ref
            closing.originalData = data[ref]?.text
            closing.dataDirection = data[ref]?.direction
        }
        return (opening, closing)
    }

    private func reorder(_ value: XMLAttributeValue) throws -> InlineCode.Reorder {
        if value.equals("yes") { return .yes }
        if value.equals("no") { return .no }
        if value.equals("firstNo") { return .firstNo }
        throw errorHere("attribute 'canReorder' must be yes, firstNo or no, not '\(value.string)'")
    }

    /// A start marker from `<mrk>` or `<sm>`, the cursor on its tag.
    private func marker() throws -> Marker {
        let a = atoms
        var m = Marker(boundary: .start, id: "")
        var id: String?
        try xml.forEachAttribute { local, namespace, value in
            guard namespace == .none else {
                if namespace != a.xmlNS { m.extensionAttributes.append(foreignAttribute(value)) }
                return
            }
            if local == a.id { id = value.string }
            else if local == a.type { m.type = value.string }
            else if local == a.value { m.value = value.string }
            else if local == a.ref { m.ref = value.string }
            else if local == a.translate { m.translate = try yesNo(value, "translate") }
        }
        guard let id else { throw errorHere("<mrk> or <sm> has no 'id' attribute") }
        m.id = id
        return m
    }
}

/// Rules shared by the XLIFF 2 reader and writer about how inline elements map to runs.
enum XLIFF2Inline {
    /// The closing code a `<pc>` produces, given its opening code; the writer emits `<pc>` only
    /// for pairs whose closing code is exactly this (with its own end attributes), so that
    /// read → write → read gives the same runs.
    ///
    /// The closing code repeats what `<ec>` may repeat (type, subType, canCopy, canDelete,
    /// canOverlap, copyOf) but not `dir` and foreign attributes, which `<ec>` may carry only when
    /// isolated; `canReorder="firstNo"` becomes `no` on the end, as the specification requires.
    static func pcClosing(for opening: InlineCode) -> InlineCode {
        var closing = InlineCode(kind: .closing, id: opening.id)
        closing.type = opening.type
        closing.subType = opening.subType
        closing.canCopy = opening.canCopy
        closing.canDelete = opening.canDelete
        closing.canOverlap = opening.canOverlap
        closing.canReorder = opening.canReorder == .firstNo ? .no : opening.canReorder
        closing.copyOf = opening.copyOf
        closing.ctype = opening.ctype
        closing.xliff12Element = opening.xliff12Element
        return closing
    }

    /// True when `closing` is what a `<pc>` written from `opening` would read back as.
    ///
    /// Compared field by field (the writer asks for every pair, and building the expected code
    /// costs more than the rest of the writing); keep in step with `pcClosing(for:)`. Debug
    /// builds check the result against a comparison of whole values.
    static func canWriteAsPC(_ opening: InlineCode, _ closing: InlineCode) -> Bool {
        let fast = opening.kind == .opening && closing.kind == .closing
            && !opening.isolated && !closing.isolated && opening.id == closing.id
            && closing.type == opening.type && closing.subType == opening.subType
            && closing.canCopy == opening.canCopy && closing.canDelete == opening.canDelete
            && closing.canOverlap == opening.canOverlap
            && closing.canReorder == (opening.canReorder == .firstNo ? .no : opening.canReorder)
            && closing.copyOf == opening.copyOf && closing.direction == nil
            && closing.extensionAttributes.isEmpty
        assert(fast == canWriteAsPCByValue(opening, closing), "canWriteAsPC out of step with pcClosing")
        return fast
    }

    private static func canWriteAsPCByValue(_ opening: InlineCode, _ closing: InlineCode) -> Bool {
        guard opening.kind == .opening, !opening.isolated, !closing.isolated, opening.id == closing.id else { return false }
        var expected = pcClosing(for: opening)
        expected.display = closing.display
        expected.equivalent = closing.equivalent
        expected.subFlows = closing.subFlows
        expected.originalData = closing.originalData
        expected.dataRef = closing.dataRef
        expected.dataDirection = closing.dataDirection
        // XLIFF 1.2 details have no place in XLIFF 2 and do not decide the element.
        var actual = closing
        actual.ctype = expected.ctype
        actual.xliff12Element = expected.xliff12Element
        return actual == expected
    }
}

extension String {
    /// The string without leading and trailing XML white space (space, tab, CR, LF).
    func trimmingXMLSpace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
