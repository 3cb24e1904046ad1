import Diagnostics
import FileAccess
import TranslationModel
import XMLSupport

/// Writes XLIFF 2.0, 2.1 or 2.2 one event at a time, through `XMLStreamWriter` (libxml2's output buffer).
///
/// Memory holds one unit. What the writer emits always validates against the OASIS schemas of
/// the chosen version and follows the processing requirements it can enforce on its own:
///
/// * an opening and a closing code become `<pc>` when they are well nested in the same
///   content and `<pc>` can say all they carry, `<sc>`/`<ec>` otherwise (isolated only when the
///   partner is not in the unit); a start and an end marker likewise become `<mrk>` or `<sm>`/`<em>`;
/// * native data goes to `<originalData>` with `dataRef`s (the ids read are kept, others assigned);
/// * characters XML 1.0 cannot hold are written as `<cp hex="…"/>` in content and data;
/// * values the version cannot hold are left out and reported in `findings` (never silently).
///
/// XLIFF 1.2-only information in the model (`xliff12Attributes`, `ctype`, tools…) has no place in
/// XLIFF 2 and is not written; reporting it is the 1.2 → 2 conversion's job.
public final class XLIFF2Writer: DocumentWriter {
    private let xml: XMLStreamWriter
    private let requestedVersion: XLIFFVersion?
    @exclusivity(unchecked) private var version: XLIFFVersion = .v2_1
    @exclusivity(unchecked) private var ns = XLIFFNamespace.v2_0
    private let displayPath: String
    @exclusivity(unchecked) private var scope = XLIFF2NamespaceScope()
    /// One entry per open structural element: whether it has structural children yet.
    @exclusivity(unchecked) private var structure: [Bool] = []
    @exclusivity(unchecked) private var translateStack: [Bool] = [true]
    @exclusivity(unchecked) private var groupIDs: Set<String> = []
    @exclusivity(unchecked) private var generatedGroups = 0
    /// Unit ids of the current file (as 64-bit fingerprints: 16 bytes a unit, not the ids
    /// themselves, so that a file of millions of units stays small), and the renamed ones.
    @exclusivity(unchecked) private var unitIDs = XLIFF2FingerprintSet()
    /// Whether to watch unit ids (see `init`'s `checksUnitIDs`).
    private let watchUnitIDs: Bool
    @exclusivity(unchecked) private var renamedUnits: [(String, String)] = []
    @exclusivity(unchecked) private var renamedParts = 0
    @exclusivity(unchecked) private var hasTargetLanguage = false
    @exclusivity(unchecked) private var reportedMissingTargetLanguage = false
    @exclusivity(unchecked) private var ended = false

    /// What was left out or adjusted to keep the output valid.
    @exclusivity(unchecked) public private(set) var findings: [Finding] = []

    /// Creates a writer that hands its bytes to `sink`.
    ///
    /// `version` is the XLIFF version to write (2.0, 2.1 or 2.2); nil writes the version of the
    /// document read when it is 2.x, else 2.1.
    ///
    /// `checksUnitIDs`: rename a unit whose id its file already used (XLIFF 1.2 tools repeat
    /// them; XLIFF 2 forbids it). It costs 16 bytes a unit for the file's duration; a caller that
    /// rewrites XLIFF 2, whose ids are unique when the input is valid, may turn it off to keep
    /// memory flat on huge files.
    public init(version: XLIFFVersion? = nil, displayPath: String, checksUnitIDs: Bool = true, sink: @escaping XMLStreamWriter.Sink) throws {
        if let version, !version.isVersion2 {
            throw XLIFFError(path: displayPath, "XLIFF2Writer cannot write XLIFF \(version.rawValue)")
        }
        watchUnitIDs = checksUnitIDs
        requestedVersion = version
        self.displayPath = displayPath
        xml = try XMLStreamWriter(displayPath: displayPath, sink: sink)
    }

    /// Creates a writer into an atomic output file; call `file.commit()` after `.endDocument`.
    public convenience init(version: XLIFFVersion? = nil, file: AtomicFile, checksUnitIDs: Bool = true) throws {
        try self.init(version: version, displayPath: file.destination, checksUnitIDs: checksUnitIDs) { bytes in try file.write(bytes) }
    }

    /// The whole document as XLIFF bytes.
    public static func bytes(for document: Document, version: XLIFFVersion? = nil, displayPath: String = "<memory>") throws -> [UInt8] {
        var out: [UInt8] = []
        let writer = try XLIFF2Writer(version: version, displayPath: displayPath) { out.append(contentsOf: $0) }
        for event in document.events { try writer.write(event) }
        return out
    }

    /// Writes a whole document to `path` atomically; returns the findings.
    @discardableResult
    public static func write(_ document: Document, to path: String, version: XLIFFVersion? = nil, protectedInputs: [String] = []) throws -> [Finding] {
        let file = try AtomicFile(destination: path, protectedInputs: protectedInputs)
        do {
            let writer = try XLIFF2Writer(version: version, file: file)
            for event in document.events { try writer.write(event) }
            try file.commit()
            return writer.findings
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes one event.
    public func write(_ event: DocumentEvent) throws {
        switch event {
        case .startDocument(let info): try startDocument(info)
        case .startFile(let info): try startFile(info)
        case .startGroup(let info): try startGroup(info)
        case .unit(let unit): try writeUnit(unit)
        case .endGroup:
            translateStack.removeLast()
            try closeStructural()
        case .endFile:
            translateStack.removeLast()
            if let first = renamedUnits.first {
                report("\(renamedUnits.count) unit id\(renamedUnits.count == 1 ? " was" : "s were") repeated in a file (XLIFF 2 wants them unique): renamed, the first '\(first.0)' to '\(first.1)'", code: "xliff2.renamed-id")
            }
            try closeStructural()
        case .endDocument:
            if renamedParts > 0 {
                report("\(renamedParts) inline code or segment id\(renamedParts == 1 ? "" : "s") renamed: XLIFF 2 wants the ids of a unit's segments, ignorables and inline elements unique together", code: "xliff2.renamed-id")
            }
            try closeStructural()
            try xml.text("\n")
            try xml.endDocument()
            ended = true
        }
    }

    // MARK: - Findings

    private func report(_ message: String, code: String, severity: Severity = .warning) {
        findings.append(Finding(severity, message, at: SourceLocation(file: displayPath), code: code))
    }

    // MARK: - Structure and indentation

    /// A line break and one space per open structural element, written as is (no text scan).
    private func indent() throws {
        try xml.newline(indent: structure.count)
    }

    /// Starts a structural element (one whose children are elements, indented).
    private func openStructural(_ name: String) throws {
        if !structure.isEmpty {
            structure[structure.count - 1] = true
            try indent()
        }
        try xml.startElement(name)
        structure.append(false)
    }

    private func closeStructural() throws {
        guard let hadChildren = structure.popLast() else { return }
        if hadChildren { try indent() }
        try xml.endElement()
        scope.pop(to: xml.depth)
    }

    /// Starts an element that holds text or inline content (no indentation inside).
    private func openLeaf(_ name: String) throws {
        if !structure.isEmpty {
            structure[structure.count - 1] = true
            try indent()
        }
        try xml.startElement(name)
    }

    private func closeLeaf() throws {
        try xml.endElement()
        scope.pop(to: xml.depth)
    }

    // MARK: - Attribute helpers

    private func attribute(_ name: String, _ value: String?) throws {
        guard let value else { return }
        // One pass: characters XML cannot carry are replaced while escaping (what `clean`
        // does), and reported after.
        if try xml.attribute(name, value, replacingDisallowedWith: "\u{FFFD}") > 0 {
            report("attribute '\(name)' holds characters XML cannot carry; replaced by U+FFFD", code: "xliff2.invalid-character")
        }
    }

    private func yesNo(_ name: StaticString, _ value: Bool?) throws {
        guard let value else { return }
        try xml.attribute(name, literal: value ? "yes" : "no")
    }

    private func space(_ value: Bool?) throws {
        guard let value else { return }
        try xml.attribute("xml:space", literal: value ? "preserve" : "default")
    }

    private func direction(_ name: String, _ value: String?) throws {
        guard let value else { return }
        guard value == "ltr" || value == "rtl" || value == "auto" else {
            report("'\(name)' value '\(value)' is not ltr, rtl or auto; left out", code: "xliff2.invalid-value")
            return
        }
        try xml.attribute(name, value)
    }

    /// Writes foreign attributes, declaring their namespaces on the element just started.
    private func extensionAttributes(_ attributes: [ExtensionAttribute]) throws {
        guard !attributes.isEmpty else { return }
        var declarations: [(String, String)] = []
        var resolved: [(String, String)] = []
        for a in attributes {
            if a.namespace.isEmpty {
                report("attribute '\(a.name)' without a namespace is not allowed in XLIFF 2; left out", code: "xliff2.invalid-extension")
                continue
            }
            let prefix = scope.resolve(uri: a.namespace, preferred: a.prefix, isAttribute: true, depth: xml.depth, declarations: &declarations)
            resolved.append((prefix.isEmpty ? a.name : "\(prefix):\(a.name)", a.value))
        }
        for (p, uri) in declarations { try xml.attribute(p.isEmpty ? "xmlns" : "xmlns:\(p)", uri) }
        for (name, value) in resolved { try attribute(name, value) }
    }

    /// Writes a foreign element and its subtree as it was read.
    private func extensionElement(_ element: ExtensionElement) throws {
        var declarations: [(String, String)] = []
        let depth = xml.depth + 1
        let prefix = scope.resolve(uri: element.namespace, preferred: element.prefix, isAttribute: false, depth: depth, declarations: &declarations)
        var attrs: [(String, String)] = []
        for a in element.attributes {
            let p = scope.resolve(uri: a.namespace, preferred: a.prefix, isAttribute: true, depth: depth, declarations: &declarations)
            attrs.append((p.isEmpty ? a.name : "\(p):\(a.name)", a.value))
        }
        try xml.startElement(prefix.isEmpty ? element.name : "\(prefix):\(element.name)")
        for (p, uri) in declarations { try xml.attribute(p.isEmpty ? "xmlns" : "xmlns:\(p)", uri) }
        for (name, value) in attrs { try attribute(name, value) }
        for child in element.children {
            switch child {
            case .element(let e): try extensionElement(e)
            case .text(let t): try xml.text(clean(t, what: "text of <\(element.name)>"))
            }
        }
        try xml.endElement()
        scope.pop(to: xml.depth)
    }

    private func structuralExtensions(_ elements: [ExtensionElement]) throws {
        for e in elements {
            structure[structure.count - 1] = true
            try indent()
            try extensionElement(e)
        }
    }

    /// Replaces characters XML 1.0 cannot hold (where `<cp>` is not allowed) by U+FFFD, with a finding.
    /// `what` is built only when there is something to report: an eager string
    /// interpolation cost an allocation for every attribute written.
    private func clean(_ s: String, what: @autoclosure () -> String) -> String {
        guard XLIFF2Text.needsEncoding(s) else { return s }
        report("\(what()) holds characters XML cannot carry; replaced by U+FFFD", code: "xliff2.invalid-character")
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { out.append(XMLCharacters.isAllowed(scalar) ? scalar : "\u{FFFD}") }
        return String(out)
    }

    /// Text of mixed content where `<cp/>` is allowed (source, target, data).
    private func contentText(_ s: String) throws {
        // The writer takes the text back when a character needs encoding (one pass for the
        // usual, clean text); only then is the text split around <cp/>.
        if try xml.textIfAllowed(s) { return }
        var run = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if XMLCharacters.isAllowed(scalar) {
                run.append(scalar)
            } else {
                if !run.isEmpty { try xml.text(String(run)); run = String.UnicodeScalarView() }
                try xml.startElement("cp")
                try xml.attribute("hex", XLIFF2Text.hex(scalar.value))
                try xml.endElement()
            }
        }
        if !run.isEmpty { try xml.text(String(run)) }
    }

    private func nmtoken(_ value: String, what: String) -> String {
        if XLIFF2Syntax.isNMTOKEN(value) { return value }
        var out = ""
        for ch in value.unicodeScalars { out.unicodeScalars.append(XLIFF2Syntax.isNameChar(ch) ? ch : "_") }
        if out.isEmpty { out = "_" }
        report("\(what) '\(value)' is not an XML name token; written as '\(out)'", code: "xliff2.invalid-id")
        return out
    }

    // MARK: - Document, file, group

    private func startDocument(_ info: DocumentInfo) throws {
        if let v = requestedVersion {
            version = v
        } else if let v = info.version, v.isVersion2 {
            version = v
        } else {
            version = .v2_1
        }
        ns = XLIFFNamespace.core(of: version)
        hasTargetLanguage = info.targetLanguage != nil
        try xml.startDocument()
        try xml.startElement("xliff")
        structure.append(false)
        var declarations: [(String, String)] = [("", ns), ("mtc", XLIFFNamespace.matches), ("gls", XLIFFNamespace.glossary), ("mda", XLIFFNamespace.metadata)]
        for (p, uri) in declarations { scope.bind(p, uri, depth: 1) }
        // Declare the root's foreign prefixes here too, so that they are not repeated below.
        var resolved: [(String, String)] = []
        var extra: [(String, String)] = []
        for a in info.extensions.attributes where !a.namespace.isEmpty {
            let p = scope.resolve(uri: a.namespace, preferred: a.prefix, isAttribute: true, depth: 1, declarations: &extra)
            resolved.append(("\(p):\(a.name)", a.value))
        }
        declarations += extra
        for (p, uri) in declarations { try xml.attribute(p.isEmpty ? "xmlns" : "xmlns:\(p)", uri) }
        try xml.attribute("version", version.rawValue)
        try attribute("srcLang", info.sourceLanguage)
        try attribute("trgLang", info.targetLanguage)
        try space(info.preserveSpace)
        for (name, value) in resolved { try attribute(name, value) }
        if version == .v2_2 {
            if !info.notes.isEmpty { try notes(info.notes) }
            if !info.metadata.isEmpty { try metadata(info.metadata, id: info.metadataID) }
        } else if !info.notes.isEmpty || !info.metadata.isEmpty {
            report("notes and metadata on the whole document need XLIFF 2.2; left out of XLIFF \(version.rawValue)", code: "xliff2.lost-in-version")
        }
        if !info.extensions.elements.isEmpty {
            report("foreign elements outside <file> are not allowed in XLIFF 2; left out", code: "xliff2.invalid-extension")
        }
    }

    private func startFile(_ info: FileInfo) throws {
        groupIDs = []
        generatedGroups = 0
        unitIDs = XLIFF2FingerprintSet()
        renamedUnits = []
        try openStructural("file")
        try xml.attribute("id", nmtoken(info.id, what: "file id"))
        try attribute("original", info.original)
        try yesNo("canResegment", info.canResegment)
        try yesNo("translate", info.translate)
        try direction("srcDir", info.sourceDirection)
        try direction("trgDir", info.targetDirection)
        try space(info.preserveSpace)
        try extensionAttributes(info.extensions.attributes)
        translateStack.append(info.translate ?? translateStack.last!)
        if let skeleton = info.skeleton { try self.skeleton(skeleton) }
        if !info.metadata.isEmpty { try metadata(info.metadata, id: info.metadataID) }
        try structuralExtensions(info.extensions.elements)
        if !info.notes.isEmpty { try notes(info.notes) }
    }

    private func skeleton(_ skeleton: Skeleton) throws {
        let hasContent = !(skeleton.content ?? "").isEmpty || !skeleton.elements.isEmpty
        if skeleton.href == nil && !hasContent {
            report("an empty skeleton without href is not allowed in XLIFF 2; left out", code: "xliff2.invalid-skeleton")
            return
        }
        try openLeaf("skeleton")
        if let href = skeleton.href {
            try attribute("href", href)
            if hasContent { report("skeleton content beside an href is not allowed in XLIFF 2; content left out", code: "xliff2.invalid-skeleton") }
        } else {
            if let text = skeleton.content { try xml.text(clean(text, what: "skeleton")) }
            for e in skeleton.elements { try extensionElement(e) }
        }
        try closeLeaf()
    }

    private func startGroup(_ info: GroupInfo) throws {
        try openStructural("group")
        var id = info.id.map { nmtoken($0, what: "group id") }
        if id == nil || groupIDs.contains(id!) {
            repeat {
                generatedGroups += 1
                id = "g\(generatedGroups)"
            } while groupIDs.contains(id!)
        }
        groupIDs.insert(id!)
        try xml.attribute("id", id!)
        try attribute("name", info.name)
        try yesNo("canResegment", info.canResegment)
        try yesNo("translate", info.translate)
        try direction("srcDir", info.sourceDirection)
        try direction("trgDir", info.targetDirection)
        if let type = info.type {
            if XLIFF2Syntax.isUserDefinedValue(type) { try xml.attribute("type", type) }
            else { report("group type '\(type)' is not of the form prefix:value; left out", code: "xliff2.invalid-value") }
        }
        try space(info.preserveSpace)
        try extensionAttributes(info.extensions.attributes)
        translateStack.append(info.translate ?? translateStack.last!)
        if !info.metadata.isEmpty { try metadata(info.metadata, id: info.metadataID) }
        try structuralExtensions(info.extensions.elements)
        if !info.notes.isEmpty { try notes(info.notes) }
    }

    // MARK: - Notes and modules

    private func notes(_ notes: [Note]) throws {
        try openStructural("notes")
        for note in notes {
            try openLeaf("note")
            try attribute("id", note.id.map { nmtoken($0, what: "note id") })
            if let a = note.appliesTo, a != .general { try xml.attribute("appliesTo", a.rawValue) }
            try attribute("category", note.category)
            if let p = note.priority {
                if (1...10).contains(p) { try xml.attribute("priority", String(p)) }
                else { report("note priority \(p) is outside 1–10; left out", code: "xliff2.invalid-value") }
            }
            if let ref = note.ref {
                if version == .v2_2 { try attribute("ref", ref) }
                else { report("note 'ref' needs XLIFF 2.2; left out of XLIFF \(version.rawValue)", code: "xliff2.lost-in-version") }
            }
            try extensionAttributes(note.extensionAttributes)
            try xml.text(clean(note.text, what: "note"))
            try closeLeaf()
        }
        try closeStructural()
    }

    private func metadata(_ groups: [MetaGroup], id: String?) throws {
        let groups = groups.filter { !$0.items.isEmpty }
        guard !groups.isEmpty else { return }
        try openStructural("mda:metadata")
        try attribute("id", id)
        for g in groups { try metaGroup(g) }
        try closeStructural()
    }

    private func metaGroup(_ group: MetaGroup) throws {
        try openStructural("mda:metaGroup")
        try attribute("id", group.id)
        try attribute("category", group.category)
        if let a = group.appliesTo {
            if a == "source" || a == "target" || a == "ignorable" { try xml.attribute("appliesTo", a) }
            else { report("metaGroup appliesTo '\(a)' is not source, target or ignorable; left out", code: "xliff2.invalid-value") }
        }
        for item in group.items {
            switch item {
            case .meta(let type, let value):
                try openLeaf("mda:meta")
                try attribute("type", type)
                try xml.text(clean(value, what: "metadata"))
                try closeLeaf()
            case .group(let g):
                if !g.items.isEmpty { try metaGroup(g) }
            }
        }
        try closeStructural()
    }

    private func glossary(_ entries: [GlossaryEntry]) throws {
        try openStructural("gls:glossary")
        for entry in entries {
            try openStructural("gls:glossEntry")
            try attribute("id", entry.id)
            try attribute("ref", entry.ref)
            try extensionAttributes(entry.extensions.attributes)
            try openLeaf("gls:term")
            try attribute("source", entry.termSource)
            try extensionAttributes(entry.termExtensionAttributes)
            try xml.text(clean(entry.term, what: "glossary term"))
            try closeLeaf()
            for t in entry.translations {
                try openLeaf("gls:translation")
                try attribute("id", t.id)
                try attribute("ref", t.ref)
                try attribute("source", t.source)
                try extensionAttributes(t.extensionAttributes)
                try xml.text(clean(t.text, what: "glossary translation"))
                try closeLeaf()
            }
            if let d = entry.definition {
                try openLeaf("gls:definition")
                try attribute("source", entry.definitionSource)
                try extensionAttributes(entry.definitionExtensionAttributes)
                try xml.text(clean(d, what: "glossary definition"))
                try closeLeaf()
            } else if entry.translations.isEmpty {
                report("glossary entry '\(entry.term)' has neither translation nor definition (XLIFF 2 requires one)", code: "xliff2.incomplete-glossary-entry")
            }
            try structuralExtensions(entry.extensions.elements)
            try closeStructural()
        }
        try closeStructural()
    }

    private func matches(_ matches: [Match], unitRef: String?) throws {
        try openStructural("mtc:matches")
        for original in matches {
            var match = original
            var data = XLIFF2DataTable()
            XLIFF2UnitPreparation.prepare(content: &match.source, data: &data)
            XLIFF2UnitPreparation.prepare(content: &match.target, data: &data)
            try openStructural("mtc:match")
            try attribute("id", match.id)
            try attribute("ref", match.ref ?? unitRef)
            if let type = match.type {
                if XLIFF2Syntax.matchTypes.contains(type) { try xml.attribute("type", type) }
                else { report("match type '\(type)' is not one of \(XLIFF2Syntax.matchTypes.sorted().joined(separator: ", ")); left out", code: "xliff2.invalid-value") }
            }
            if let sub = match.subType {
                if match.type != nil && XLIFF2Syntax.matchTypes.contains(match.type!) && XLIFF2Syntax.isUserDefinedValue(sub) { try xml.attribute("subType", sub) }
                else { report("match subType '\(sub)' needs a valid type and the form prefix:value; left out", code: "xliff2.invalid-value") }
            }
            try attribute("origin", match.origin)
            try percentage("similarity", match.similarity)
            try percentage("matchQuality", match.matchQuality)
            try percentage("matchSuitability", match.matchSuitability)
            if match.reference { try xml.attribute("reference", "yes") }
            try extensionAttributes(match.extensions.attributes)
            if !match.metadata.isEmpty { try metadata(match.metadata, id: match.metadataID) }
            try originalData(data)
            try content("source", match.source, order: nil)
            try content("target", match.target, order: nil)
            try structuralExtensions(match.extensions.elements)
            try closeStructural()
        }
        try closeStructural()
    }

    private func percentage(_ name: String, _ value: Double?) throws {
        guard let value else { return }
        guard value >= 0 && value <= 100 else {
            report("\(name) \(value) is outside 0–100; left out", code: "xliff2.invalid-value")
            return
        }
        try xml.attribute(name, XLIFF2Text.decimal(value))
    }

    // MARK: - Unit

    private func writeUnit(_ original: Unit) throws {
        var unit = original
        var data = XLIFF2DataTable()
        // Preparation's pass over the parts also surveys them for the checks below; a unit it
        // changed is surveyed again.
        var survey = XLIFF2UnitSurvey()
        if XLIFF2UnitPreparation.prepare(unit: &unit, data: &data, survey: &survey) {
            survey = XLIFF2UnitSurvey(unit.parts)
        }
        if !survey.hasSegment {
            report("unit '\(unit.id)' has no segment; an empty one was added (XLIFF 2 requires one)", code: "xliff2.empty-unit")
            unit.parts.append(.segment(Segment(source: Content())))
        }
        renamePartIDsCollidingWithCodes(&unit, survey: survey)
        let inherited = translateStack.last!
        try openStructural("unit")
        var unitID = nmtoken(unit.id, what: "unit id")
        if watchUnitIDs && !unitIDs.insert(unitID) {
            // XLIFF 2 wants unit ids unique in their file; some XLIFF 1.2 tools repeat them.
            var n = 2
            while unitIDs.contains("\(unitID)-\(n)") { n += 1 }
            renamedUnits.append((unitID, "\(unitID)-\(n)"))
            unitID = "\(unitID)-\(n)"
            _ = unitIDs.insert(unitID)
        }
        try xml.attribute("id", unitID)
        try attribute("name", unit.name)
        try yesNo("canResegment", unit.canResegment)
        if unit.translate != inherited { try yesNo("translate", unit.translate) }
        try direction("srcDir", unit.sourceDirection)
        try direction("trgDir", unit.targetDirection)
        try space(unit.preserveSpace)
        if let type = unit.type {
            if XLIFF2Syntax.isUserDefinedValue(type) { try xml.attribute("type", type) }
            else { report("unit type '\(type)' is not of the form prefix:value; left out", code: "xliff2.invalid-value") }
        }
        try extensionAttributes(unit.extensions.attributes)
        if !unit.matches.isEmpty {
            try matches(unit.matches, unitRef: firstSegmentRef(&unit))
        }
        if !unit.glossary.isEmpty { try glossary(unit.glossary) }
        if !unit.metadata.isEmpty { try metadata(unit.metadata, id: unit.metadataID) }
        try structuralExtensions(unit.extensions.elements)
        if !unit.notes.isEmpty { try notes(unit.notes) }
        try originalData(data)
        for part in unit.parts {
            switch part {
            case .segment(let s):
                try openStructural("segment")
                try attribute("id", s.id.map { nmtoken($0, what: "segment id") })
                try yesNo("canResegment", s.canResegment)
                if let state = s.state {
                    try xml.attribute("state", state.rawValue)
                } else if s.subState != nil {
                    try xml.attribute("state", SegmentState.initial.rawValue)
                }
                if let sub = s.subState {
                    if XLIFF2Syntax.isUserDefinedValue(sub) { try xml.attribute("subState", sub) }
                    else { report("subState '\(sub)' is not of the form prefix:value; left out", code: "xliff2.invalid-value") }
                }
                try content("source", s.source, order: nil)
                if let t = s.target {
                    noteTarget()
                    try content("target", t, order: s.targetOrder)
                }
                try closeStructural()
            case .ignorable(let i):
                try openStructural("ignorable")
                try attribute("id", i.id.map { nmtoken($0, what: "ignorable id") })
                try content("source", i.source, order: nil)
                if let t = i.target {
                    noteTarget()
                    try content("target", t, order: i.targetOrder)
                }
                try closeStructural()
            }
        }
        try closeStructural()
    }

    /// Segment and ignorable ids share their unit's id space with the inline elements (XLIFF
    /// 1.2 segment `mid`s and code ids do not): an inline id equal to a part id is renamed
    /// everywhere in the unit (source and target, both ends of a pair, `copyOf`), which keeps
    /// the segments' ids; a part id repeated is renamed.
    private func renamePartIDsCollidingWithCodes(_ unit: inout Unit, survey: XLIFF2UnitSurvey) {
        if survey.hasRepeatedPlaceholder {
            renameRepeatedPlaceholders(&unit)
            guard Self.hasCollidingPartID(unit) else { return }
        } else {
            guard survey.hasCollidingPartID else { return }
        }
        var partIDs = Set<String>()
        for i in unit.parts.indices {
            let id: String?
            switch unit.parts[i] {
            case .segment(let s): id = s.id
            case .ignorable(let g): id = g.id
            }
            guard let old = id else { continue }
            if partIDs.insert(old).inserted { continue }
            let prefix = { if case .segment = unit.parts[i] { return "s" } else { return "i" } }()
            var n = 1
            while partIDs.contains("\(prefix)\(n)") { n += 1 }
            partIDs.insert("\(prefix)\(n)")
            renamedParts += 1
            switch unit.parts[i] {
            case .segment(var s): s.id = "\(prefix)\(n)"; unit.parts[i] = .segment(s)
            case .ignorable(var g): g.id = "\(prefix)\(n)"; unit.parts[i] = .ignorable(g)
            }
        }
        guard !partIDs.isEmpty else { return }
        var inline = Set<String>()
        for part in unit.parts {
            for content in [part.source, part.target].compactMap({ $0 }) {
                for run in content.runs {
                    if case .code(let c) = run { inline.insert(c.id) }
                    if case .marker(let m) = run { inline.insert(m.id) }
                }
            }
        }
        let colliding = inline.intersection(partIDs)
        guard !colliding.isEmpty else { return }
        var taken = inline.union(partIDs)
        var renames: [String: String] = [:]
        for old in colliding.sorted() {
            var n = 1
            while taken.contains("\(old)-c\(n)") { n += 1 }
            renames[old] = "\(old)-c\(n)"
            taken.insert("\(old)-c\(n)")
            renamedParts += 1
        }
        for i in unit.parts.indices {
            func rename(_ content: inout Content) {
                for r in content.runs.indices {
                    switch content.runs[r] {
                    case .code(var c):
                        var changed = false
                        if let new = renames[c.id] { c.id = new; changed = true }
                        if let ref = c.copyOf, let new = renames[ref] { c.copyOf = new; changed = true }
                        if changed { content.runs[r] = .code(c) }
                    case .marker(var m):
                        if let new = renames[m.id] { m.id = new; content.runs[r] = .marker(m) }
                    case .text:
                        continue
                    }
                }
            }
            switch unit.parts[i] {
            case .segment(var s):
                rename(&s.source)
                if var t = s.target { rename(&t); s.target = t }
                unit.parts[i] = .segment(s)
            case .ignorable(var g):
                rename(&g.source)
                if var t = g.target { rename(&t); g.target = t }
                unit.parts[i] = .ignorable(g)
            }
        }
    }

    /// Cheap test (small arrays, no hashing) for the usual unit: no part id repeated or equal
    /// to an inline id (after `renameRepeatedPlaceholders`; `XLIFF2UnitSurvey` says it before).
    private static func hasCollidingPartID(_ unit: Unit) -> Bool {
        var parts: [String] = []
        for p in unit.parts.indices {
            let id: String?
            switch unit.parts[p] {
            case .segment(let s): id = s.id
            case .ignorable(let g): id = g.id
            }
            guard let id else { continue }
            if parts.contains(id) { return true }
            parts.append(id)
        }
        guard !parts.isEmpty else { return false }
        func collides(_ runs: [Run]) -> Bool {
            for k in runs.indices {
                switch runs[k] {
                case .code(let c): if parts.contains(c.id) { return true }
                case .marker(let m): if parts.contains(m.id) { return true }
                case .text: continue
                }
            }
            return false
        }
        for p in unit.parts.indices {
            let (source, target) = Self.runs(of: unit.parts[p])
            if collides(source) { return true }
            if let target, collides(target) { return true }
        }
        return false
    }

    /// A part's source and target runs, without copying the rest of the part.
    @inline(__always)
    private static func runs(of part: UnitPart) -> (source: [Run], target: [Run]?) {
        switch part {
        case .segment(let s): return (s.source.runs, s.target?.runs)
        case .ignorable(let g): return (g.source.runs, g.target?.runs)
        }
    }

    /// Standalone codes repeating an id within one side of a unit (XLIFF 1.2 tools write
    /// `<x id="1"/>` twice): the n-th occurrence becomes `id-n`, on both sides alike, so that a
    /// target code keeps matching its source code.
    private func renameRepeatedPlaceholders(_ unit: inout Unit) {
        var taken = Set<String>()
        for part in unit.parts {
            for content in [part.source, part.target].compactMap({ $0 }) {
                for run in content.runs {
                    if case .code(let c) = run { taken.insert(c.id) }
                    if case .marker(let m) = run { taken.insert(m.id) }
                }
            }
        }
        var names: [String: String] = [:] // "id#n" → new id, shared by both sides
        for target in [false, true] {
            var count: [String: Int] = [:]
            for i in unit.parts.indices {
                guard var content = target ? unit.parts[i].target : unit.parts[i].source else { continue }
                var changed = false
                for r in content.runs.indices {
                    guard case .code(var c) = content.runs[r], c.kind == .standalone else { continue }
                    let n = count[c.id, default: 0] + 1
                    count[c.id] = n
                    guard n > 1 else { continue }
                    let key = "\(c.id)#\(n)"
                    if names[key] == nil {
                        var k = n
                        while taken.contains("\(c.id)-\(k)") { k += 1 }
                        names[key] = "\(c.id)-\(k)"
                        taken.insert("\(c.id)-\(k)")
                        renamedParts += 1
                    }
                    c.id = names[key]!
                    content.runs[r] = .code(c)
                    changed = true
                }
                guard changed else { continue }
                switch unit.parts[i] {
                case .segment(var seg):
                    if target { seg.target = content } else { seg.source = content }
                    unit.parts[i] = .segment(seg)
                case .ignorable(var ign):
                    if target { ign.target = content } else { ign.source = content }
                    unit.parts[i] = .ignorable(ign)
                }
            }
        }
    }

    /// A `ref` for candidates that name none: the first segment, given an id if it has none.
    private func firstSegmentRef(_ unit: inout Unit) -> String? {
        guard unit.matches.contains(where: { $0.ref == nil }) else { return nil }
        for (i, part) in unit.parts.enumerated() {
            guard case .segment(var s) = part else { continue }
            if s.id == nil {
                var used = Set<String>()
                for p in unit.parts {
                    if case .segment(let x) = p, let id = x.id { used.insert(id) }
                    if case .ignorable(let x) = p, let id = x.id { used.insert(id) }
                }
                var n = 1
                while used.contains("s\(n)") { n += 1 }
                s.id = "s\(n)"
                unit.parts[i] = .segment(s)
            }
            return "#" + s.id!
        }
        return nil
    }

    private func noteTarget() {
        if !hasTargetLanguage && !reportedMissingTargetLanguage {
            reportedMissingTargetLanguage = true
            report("the document has targets but no target language (trgLang)", code: "xliff2.missing-target-language", severity: .error)
        }
    }

    private func originalData(_ data: XLIFF2DataTable) throws {
        guard !data.entries.isEmpty else { return }
        try openStructural("originalData")
        for entry in data.entries {
            try openLeaf("data")
            try xml.attribute("id", entry.id)
            try direction("dir", entry.direction)
            try contentText(entry.text)
            try closeLeaf()
        }
        try closeStructural()
    }

    // MARK: - Inline content

    private func content(_ name: String, _ content: Content, order: Int?) throws {
        try openLeaf(name)
        if let lang = content.language { try attribute("xml:lang", lang) }
        try space(content.preserveSpace)
        if let order {
            if order >= 1 { try xml.attribute("order", String(order)) }
            else { report("target order \(order) is not a positive integer; left out", code: "xliff2.invalid-value") }
        }
        let plan = XLIFF2InlinePlan(content.runs)
        for (index, run) in content.runs.enumerated() {
            switch run {
            case .text(let t):
                try contentText(t)
            case .code(let code):
                switch code.kind {
                case .standalone:
                    try xml.startElement("ph")
                    try xml.attribute("id", code.id)
                    try codeAttributes(code, dataRefName: "dataRef")
                    try attribute("subFlows", code.subFlows)
                    try extensionAttributes(code.extensionAttributes)
                    try xml.endElement()
                case .opening:
                    if let closeIndex = plan.elementEnd(index), case .code(let closing) = content.runs[closeIndex] {
                        try xml.startElement("pc")
                        try xml.attribute("id", code.id)
                        try codeAttributes(code, dataRefName: "dataRefStart", display: "dispStart", equivalent: "equivStart")
                        try attribute("dispEnd", closing.display)
                        try attribute("equivEnd", closing.equivalent)
                        try attribute("dataRefEnd", closing.originalData == nil ? nil : closing.dataRef)
                        try attribute("subFlowsStart", code.subFlows)
                        try attribute("subFlowsEnd", closing.subFlows)
                        try direction("dir", code.direction)
                        try extensionAttributes(code.extensionAttributes)
                    } else {
                        try xml.startElement("sc")
                        try xml.attribute("id", code.id)
                        if code.isolated { try xml.attribute("isolated", "yes") }
                        try codeAttributes(code, dataRefName: "dataRef")
                        try attribute("subFlows", code.subFlows)
                        try direction("dir", code.direction)
                        try extensionAttributes(code.extensionAttributes)
                        try xml.endElement()
                    }
                case .closing:
                    if plan.closesElement(index) {
                        try xml.endElement()
                    } else {
                        try xml.startElement("ec")
                        if code.isolated {
                            try xml.attribute("id", code.id)
                            try xml.attribute("isolated", "yes")
                        } else {
                            try xml.attribute("startRef", code.id)
                        }
                        try codeAttributes(code, dataRefName: "dataRef")
                        try attribute("subFlows", code.subFlows)
                        if code.isolated {
                            try direction("dir", code.direction)
                            try extensionAttributes(code.extensionAttributes)
                        } else {
                            // Foreign attributes other than fs/slr are allowed on a non-isolated <ec>;
                            // those two modules require isolated="yes" there.
                            try extensionAttributes(code.extensionAttributes.filter { $0.namespace != XLIFFNamespace.formatStyle && $0.namespace != XLIFFNamespace.sizeRestriction })
                        }
                        try xml.endElement()
                    }
                }
            case .marker(let marker):
                switch marker.boundary {
                case .start:
                    let isElement = plan.elementEnd(index) != nil
                    try xml.startElement(isElement ? "mrk" : "sm")
                    try xml.attribute("id", marker.id)
                    try yesNo("translate", marker.translate)
                    try attribute("type", marker.type)
                    try attribute("ref", marker.ref)
                    try attribute("value", marker.value)
                    try extensionAttributes(marker.extensionAttributes)
                    if !isElement { try xml.endElement() }
                case .end:
                    if plan.closesElement(index) {
                        try xml.endElement()
                    } else {
                        try xml.startElement("em")
                        try xml.attribute("startRef", marker.id)
                        try xml.endElement()
                    }
                }
            }
        }
        try closeLeaf()
    }

    private func codeAttributes(_ code: InlineCode, dataRefName: String, display: String = "disp", equivalent: String = "equiv") throws {
        if let type = code.type { try xml.attribute("type", type) }
        if let sub = code.subType { try attribute("subType", sub) }
        if !code.canCopy { try xml.attribute("canCopy", "no") }
        if !code.canDelete { try xml.attribute("canDelete", "no") }
        if code.canReorder != .yes { try xml.attribute("canReorder", code.canReorder.rawValue) }
        try yesNo("canOverlap", code.canOverlap)
        try attribute("copyOf", code.copyOf)
        try attribute(display, code.display)
        try attribute(equivalent, code.equivalent)
        if code.originalData != nil, let ref = code.dataRef { try xml.attribute(dataRefName, ref) }
    }
}

/// Which inline runs of one content become elements with content (`<pc>`, `<mrk>`) and which
/// become empty elements (`<sc>`/`<ec>`, `<sm>`/`<em>`).
struct XLIFF2InlinePlan {
    /// For each run: the index of the run that closes its element (openings), or -1.
    private var end: [Int] = []
    /// For each run: whether it closes an element.
    private var closes: [Bool] = []

    /// The run closing the element that `index` opens, if it opens one.
    func elementEnd(_ index: Int) -> Int? {
        guard index < end.count, end[index] >= 0 else { return nil }
        return end[index]
    }

    /// True when the run at `index` ends an element.
    func closesElement(_ index: Int) -> Bool {
        index < closes.count && closes[index]
    }

    init(_ runs: [Run]) {
        // Text only (the usual case): nothing to plan.
        guard runs.contains(where: { if case .text = $0 { return false } else { return true } }) else { return }
        // Candidate pairs: the first matching closing run after an opening run. Contents hold
        // few codes, so linear searches beat hashing.
        var candidate = [Int](repeating: -1, count: runs.count)
        var openCodes: [(id: String, index: Int)] = []
        var openMarkers: [(id: String, index: Int)] = []
        var any = false
        for (i, run) in runs.enumerated() {
            switch run {
            case .code(let c):
                if c.kind == .opening && !c.isolated {
                    if !openCodes.contains(where: { $0.id == c.id }) { openCodes.append((c.id, i)) }
                } else if c.kind == .closing && !c.isolated, let k = openCodes.firstIndex(where: { $0.id == c.id }) {
                    let o = openCodes.remove(at: k).index
                    if case .code(let opening) = runs[o], XLIFF2Inline.canWriteAsPC(opening, c) {
                        candidate[o] = i
                        any = true
                    }
                }
            case .marker(let m):
                if m.boundary == .start {
                    if !openMarkers.contains(where: { $0.id == m.id }) { openMarkers.append((m.id, i)) }
                } else if let k = openMarkers.firstIndex(where: { $0.id == m.id }) {
                    candidate[openMarkers.remove(at: k).index] = i
                    any = true
                }
            case .text:
                continue
            }
        }
        guard any else { return }
        end = [Int](repeating: -1, count: runs.count)
        closes = [Bool](repeating: false, count: runs.count)
        var openerOf = [Int](repeating: -1, count: runs.count)
        for (o, c) in candidate.enumerated() where c >= 0 { openerOf[c] = o }
        // Keep only well-nested pairs: on a crossing, markers give way first (sm/em are the
        // usual form for overlapping annotations), then the pair being closed.
        var stack: [Int] = []
        var demoted = [Bool](repeating: false, count: runs.count)
        for i in runs.indices {
            if candidate[i] >= 0 {
                stack.append(i)
            } else if openerOf[i] >= 0 {
                let o = openerOf[i]
                guard !demoted[o], let position = stack.lastIndex(of: o) else { continue }
                let above = stack[(position + 1)...]
                if above.isEmpty {
                    stack.removeLast()
                    end[o] = i
                    closes[i] = true
                } else if above.allSatisfy({ if case .marker = runs[$0] { return true } else { return false } }) {
                    for a in above { demoted[a] = true }
                    stack.removeSubrange(position...)
                    end[o] = i
                    closes[i] = true
                } else {
                    demoted[o] = true
                    stack.remove(at: position)
                }
            }
        }
    }
}

/// Original data collected for one `<originalData>` (a unit's or a candidate's).
struct XLIFF2DataTable {
    struct Entry {
        var id: String
        var text: String
        var direction: String?
    }

    private(set) var entries: [Entry] = []
    private var byID: [String: Int] = [:]
    private var generated = 0

    /// The id to reference `text`: `preferred` when it is free or already holds the same data,
    /// an existing id holding the same data, or a new one.
    mutating func id(for text: String, direction: String?, preferred: String?) -> String {
        if let preferred, XLIFF2Syntax.isNMTOKEN(preferred) {
            if let i = byID[preferred] {
                if entries[i].text == text && entries[i].direction == direction { return preferred }
            } else {
                byID[preferred] = entries.count
                entries.append(Entry(id: preferred, text: text, direction: direction))
                return preferred
            }
        }
        if let existing = entries.first(where: { $0.text == text && $0.direction == direction }) { return existing.id }
        var id: String
        repeat {
            generated += 1
            id = "d\(generated)"
        } while byID[id] != nil
        byID[id] = entries.count
        entries.append(Entry(id: id, text: text, direction: direction))
        return id
    }
}

/// What `XLIFF2Writer` checks of a unit's parts before writing it, gathered in the one pass
/// that preparation makes over them anyway (each look at a part copies it whole): whether it
/// has a segment, whether a standalone code repeats an id within one side (XLIFF 1.2 tools write
/// `<x id="1"/>` twice), and whether a part id repeats or equals an inline id (they share the
/// unit's id space in XLIFF 2). Small arrays, no hashing: units have few ids.
struct XLIFF2UnitSurvey {
    var hasSegment = false
    private(set) var hasRepeatedPlaceholder = false
    private(set) var hasCollidingPartID = false
    private var partIDs: [String] = []
    private var inlineIDs: [String] = []
    private var sourcePlaceholders: [String] = []
    private var targetPlaceholders: [String] = []

    /// An empty survey, for `add` and `finish`.
    init() {}

    /// The survey of `parts`.
    init(_ parts: [UnitPart]) {
        for p in parts.indices {
            switch parts[p] {
            case .segment(let x): hasSegment = true; add(id: x.id, source: x.source.runs, target: x.target?.runs)
            case .ignorable(let x): add(id: x.id, source: x.source.runs, target: x.target?.runs)
            }
        }
        finish()
    }

    /// Adds a part: its id and runs.
    mutating func add(id: String?, source: [Run], target: [Run]?) {
        if let id {
            if partIDs.contains(id) { hasCollidingPartID = true }
            partIDs.append(id)
        }
        Self.collect(source, &sourcePlaceholders, &inlineIDs, &hasRepeatedPlaceholder)
        if let target { Self.collect(target, &targetPlaceholders, &inlineIDs, &hasRepeatedPlaceholder) }
    }

    /// Compares inline ids with part ids once every part is in.
    mutating func finish() {
        if !hasCollidingPartID && !partIDs.isEmpty && !inlineIDs.isEmpty {
            hasCollidingPartID = inlineIDs.contains(where: partIDs.contains)
        }
    }

    private static func collect(_ runs: [Run], _ placeholders: inout [String], _ inline: inout [String], _ repeated: inout Bool) {
        for k in runs.indices {
            switch runs[k] {
            case .text: continue
            case .marker(let m): inline.append(m.id)
            case .code(let c):
                inline.append(c.id)
                guard c.kind == .standalone else { continue }
                if placeholders.contains(c.id) { repeated = true }
                placeholders.append(c.id)
            }
        }
    }
}

/// Adjusts a unit before writing so that what is written meets XLIFF 2's rules: data ids,
/// code pairing across segments, `canReorder` consequences, valid `type`/`subType`.
enum XLIFF2UnitPreparation {
    /// Prepares a unit's parts (data ids of every code, pairing per side); returns true when it
    /// changed them. `survey` gets the parts as they were (see `XLIFF2UnitSurvey`).
    @discardableResult
    static func prepare(unit: inout Unit, data: inout XLIFF2DataTable, survey: inout XLIFF2UnitSurvey) -> Bool {
        // One pass registers the ids codes already carry (so that they keep them) and checks
        // whether anything needs changing: a unit read from valid XLIFF 2 does not, and is
        // written without being copied.
        var state = RegisterState()
        var sourceScan = PairScan(), targetScan = PairScan()
        // By index, the runs taken out of the part: iterating the parts (or `part.source`)
        // copies each part or content whole.
        let parts = unit.parts
        for p in parts.indices {
            let source: [Run], target: [Run]?, id: String?
            switch parts[p] {
            case .segment(let x): source = x.source.runs; target = x.target?.runs; id = x.id; survey.hasSegment = true
            case .ignorable(let x): source = x.source.runs; target = x.target?.runs; id = x.id
            }
            survey.add(id: id, source: source, target: target)
            scan(source, &data, &state, &sourceScan)
            if let target { scan(target, &data, &state, &targetScan) }
        }
        survey.finish()
        guard state.hasInline else { return false }
        if !state.needsChange && sourceScan.isBalanced && targetScan.isBalanced {
            guard state.needsData else { return false }
            // Only data ids to give (codes read from HTML or XLIFF 1.2 carry their data but no
            // id): assigned part by part, in the order the full path below assigns them, without
            // its pairing and checking passes (which would change nothing here).
            for side in [false, true] {
                for i in unit.parts.indices {
                    switch unit.parts[i] {
                    case .segment(var x):
                        guard side ? x.target.map(Self.needsDataID) ?? false : Self.needsDataID(x.source) else { continue }
                        unit.parts[i] = Self.vacant
                        if side { Self.assignData(&x.target!, &data) } else { Self.assignData(&x.source, &data) }
                        unit.parts[i] = .segment(x)
                    case .ignorable(var x):
                        guard side ? Self.assignDataIfAny(&x.target, &data) : Self.assignDataIfAny(&x.source, &data) else { continue }
                        unit.parts[i] = .ignorable(x)
                    }
                }
            }
            return true
        }
        for side in [false, true] {
            var partsContent: [Content?] = unit.parts.map { side ? $0.target : $0.source }
            preparePairs(&partsContent, dryRun: false)
            for i in unit.parts.indices {
                guard var c = partsContent[i] else { continue }
                assignData(&c, &data)
                fixCodes(&c, dryRun: false)
                switch unit.parts[i] {
                case .segment(var s):
                    unit.parts[i] = Self.vacant
                    if side { s.target = c } else { s.source = c }
                    unit.parts[i] = .segment(s)
                case .ignorable(var g):
                    if side { g.target = c } else { g.source = c }
                    unit.parts[i] = .ignorable(g)
                }
            }
        }
        return true
    }

    /// Prepares one content on its own (a candidate's source or target).
    static func prepare(content: inout Content, data: inout XLIFF2DataTable) {
        var state = RegisterState()
        register(content, &data, &state)
        guard state.hasInline else { return }
        var one: [Content?] = [content]
        preparePairs(&one, dryRun: false)
        content = one[0]!
        assignData(&content, &data)
        fixCodes(&content, dryRun: false)
    }

    /// What registering a unit's data found.
    struct RegisterState {
        /// Some run is a code or a marker.
        var hasInline = false
        /// Some code's data has no id yet, or an id already used for other data.
        var needsData = false
        /// Something beyond data ids must change: code pairing, or values XLIFF 2 does not allow.
        var needsChange = false
    }

    /// Codes and markers still open over one side of a unit, during the scan.
    struct PairScan {
        var codes: [(id: String, canCopy: Bool, canDelete: Bool, canOverlap: Bool?, reorder: InlineCode.Reorder)] = []
        var markers: [String] = []
        var isBalanced: Bool { codes.isEmpty && markers.isEmpty }
    }

    /// Registers data ids and checks, read-only, what `preparePairs`, `assignData` and
    /// `fixCodes` would change.
    private static func scan(_ runs: [Run], _ data: inout XLIFF2DataTable, _ state: inout RegisterState, _ pairs: inout PairScan) {
        for index in runs.indices {
            switch runs[index] {
            case .text:
                continue
            case .marker(let m):
                state.hasInline = true
                if m.boundary == .start {
                    if let t = m.type, !XLIFF2Syntax.isMarkerType(t) { state.needsChange = true }
                    pairs.markers.append(m.id)
                } else if let k = pairs.markers.lastIndex(of: m.id) {
                    pairs.markers.remove(at: k)
                } else {
                    state.needsChange = true
                }
            case .code(let c):
                state.hasInline = true
                if let text = c.originalData {
                    if let ref = c.dataRef {
                        if data.id(for: text, direction: c.dataDirection, preferred: ref) != ref { state.needsData = true }
                    } else {
                        state.needsData = true
                    }
                }
                if c.canReorder != .yes && (c.canCopy || c.canDelete) { state.needsChange = true }
                if let t = c.type, !XLIFF2Syntax.codeTypes.contains(t) { state.needsChange = true }
                if let sub = c.subType {
                    if !XLIFF2Syntax.isUserDefinedValue(sub) || c.type == nil { state.needsChange = true }
                    else if let required = XLIFF2Syntax.requiredType(forSubType: sub), c.type != required { state.needsChange = true }
                }
                if c.copyOf != nil && c.originalData != nil { state.needsChange = true }
                guard !c.isolated else { continue }
                if c.kind == .opening {
                    if pairs.codes.contains(where: { $0.id == c.id }) { state.needsChange = true }
                    pairs.codes.append((c.id, c.canCopy, c.canDelete, c.canOverlap, c.canReorder))
                } else if c.kind == .closing {
                    guard let k = pairs.codes.lastIndex(where: { $0.id == c.id }) else {
                        state.needsChange = true
                        continue
                    }
                    let o = pairs.codes.remove(at: k)
                    let reorder: InlineCode.Reorder = o.reorder == .firstNo ? .no : o.reorder
                    if c.canCopy != o.canCopy || c.canDelete != o.canDelete || c.canOverlap != o.canOverlap || c.canReorder != reorder || c.direction != nil {
                        state.needsChange = true
                    }
                }
            }
        }
    }

    private static func register(_ content: Content, _ data: inout XLIFF2DataTable, _ state: inout RegisterState) {
        for run in content.runs {
            switch run {
            case .text: continue
            case .marker: state.hasInline = true
            case .code(let c):
                state.hasInline = true
                guard let text = c.originalData else { continue }
                if let ref = c.dataRef {
                    if data.id(for: text, direction: c.dataDirection, preferred: ref) != ref { state.needsData = true }
                } else {
                    state.needsData = true
                }
            }
        }
    }

    /// `assignData` on a content where some code has data; false (nothing done) when none has.
    private static func assignDataIfAny(_ content: inout Content, _ data: inout XLIFF2DataTable) -> Bool {
        guard needsDataID(content) else { return false }
        assignData(&content, &data)
        return true
    }

    /// True when some code of `content` carries original data (and so gets a data id).
    private static func needsDataID(_ content: Content) -> Bool {
        content.runs.contains(where: { if case .code(let c) = $0 { return c.originalData != nil } else { return false } })
    }

    /// Put in a part's place while its segment is changed: with the array's reference dropped,
    /// the segment's fields (one shared box, see `Segment`) change in place instead of being
    /// copied whole into a new box.
    private static var vacant: UnitPart { .ignorable(Ignorable(source: Content())) }

    /// The same for a target that may be absent.
    private static func assignDataIfAny(_ content: inout Content?, _ data: inout XLIFF2DataTable) -> Bool {
        guard content != nil else { return false }
        return assignDataIfAny(&content!, &data)
    }

    private static func assignData(_ content: inout Content, _ data: inout XLIFF2DataTable) {
        for i in content.runs.indices {
            guard case .code(var c) = content.runs[i], let text = c.originalData else { continue }
            let id = data.id(for: text, direction: c.dataDirection, preferred: c.dataRef)
            if id != c.dataRef {
                c.dataRef = id
                content.runs[i] = .code(c)
            }
        }
    }

    /// Pairs openings with closings in document order over one side of a unit; a code whose
    /// partner is missing becomes isolated, a marker whose partner is missing is completed
    /// (end added at the end of its content) or dropped (an end without start). Closing codes
    /// take their opening's canCopy/canDelete/canOverlap/canReorder, as XLIFF 2 requires.
    /// Returns true when something had to change (with `dryRun`, nothing is changed).
    @discardableResult
    private static func preparePairs(_ contents: inout [Content?], dryRun: Bool) -> Bool {
        var changes = false
        var openCodes: [String: InlineCode] = [:]
        var openCodeAt: [String: (Int, Int)] = [:]
        var openMarkers: [String: (Int, Int)] = [:]
        var droppedMarkerEnds: [(Int, Int)] = []
        for ci in contents.indices {
            guard let content = contents[ci] else { continue }
            for ri in content.runs.indices {
                switch content.runs[ri] {
                case .code(var c):
                    if c.kind == .opening && !c.isolated {
                        if openCodes[c.id] != nil {
                            // A second opening with the same id: the first one is unpaired.
                            let (pci, pri) = openCodeAt[c.id]!
                            changes = true
                            if !dryRun { setIsolated(&contents, pci, pri) }
                        }
                        openCodes[c.id] = c
                        openCodeAt[c.id] = (ci, ri)
                    } else if c.kind == .closing && !c.isolated {
                        if let o = openCodes[c.id] {
                            openCodes[c.id] = nil
                            openCodeAt[c.id] = nil
                            var changed = false
                            if c.canCopy != o.canCopy { c.canCopy = o.canCopy; changed = true }
                            if c.canDelete != o.canDelete { c.canDelete = o.canDelete; changed = true }
                            if c.canOverlap != o.canOverlap { c.canOverlap = o.canOverlap; changed = true }
                            let reorder: InlineCode.Reorder = o.canReorder == .firstNo ? .no : o.canReorder
                            if c.canReorder != reorder { c.canReorder = reorder; changed = true }
                            if c.direction != nil { c.direction = nil; changed = true }
                            if changed {
                                changes = true
                                if !dryRun { contents[ci]!.runs[ri] = .code(c) }
                            }
                        } else {
                            changes = true
                            c.isolated = true
                            if !dryRun { contents[ci]!.runs[ri] = .code(c) }
                        }
                    }
                case .marker(let m):
                    if m.boundary == .start {
                        openMarkers[m.id] = (ci, ri)
                    } else if openMarkers[m.id] != nil {
                        openMarkers[m.id] = nil
                    } else {
                        droppedMarkerEnds.append((ci, ri))
                    }
                case .text:
                    continue
                }
            }
        }
        if !openCodeAt.isEmpty || !droppedMarkerEnds.isEmpty || !openMarkers.isEmpty { changes = true }
        if dryRun { return changes }
        for (_, position) in openCodeAt { setIsolated(&contents, position.0, position.1) }
        for (ci, ri) in droppedMarkerEnds.reversed() { contents[ci]!.runs.remove(at: ri) }
        for (id, position) in openMarkers {
            contents[position.0]!.runs.append(.marker(Marker(boundary: .end, id: id)))
        }
        return changes
    }

    private static func setIsolated(_ contents: inout [Content?], _ ci: Int, _ ri: Int) {
        if case .code(var c) = contents[ci]!.runs[ri] {
            c.isolated = true
            contents[ci]!.runs[ri] = .code(c)
        }
    }

    /// Values XLIFF 2 constrains: `canReorder` other than yes forbids copy and delete; `type`
    /// from its fixed set; `subType` of the form prefix:value and only with a `type`.
    @discardableResult
    private static func fixCodes(_ content: inout Content, dryRun: Bool) -> Bool {
        var changes = false
        for i in content.runs.indices {
            switch content.runs[i] {
            case .code(var c):
                var changed = false
                if c.canReorder != .yes && (c.canCopy || c.canDelete) {
                    c.canCopy = false
                    c.canDelete = false
                    changed = true
                }
                if let t = c.type, !XLIFF2Syntax.codeTypes.contains(t) {
                    c.type = nil
                    changed = true
                }
                if let sub = c.subType {
                    if !XLIFF2Syntax.isUserDefinedValue(sub) {
                        c.subType = nil
                        changed = true
                    } else if let required = XLIFF2Syntax.requiredType(forSubType: sub), c.type != required {
                        c.type = required
                        changed = true
                    } else if c.type == nil {
                        c.type = "other"
                        changed = true
                    }
                }
                if c.copyOf != nil && c.originalData != nil {
                    c.copyOf = nil
                    changed = true
                }
                if changed {
                    changes = true
                    if !dryRun { content.runs[i] = .code(c) }
                }
            case .marker(var m):
                guard m.boundary == .start, let type = m.type, !XLIFF2Syntax.isMarkerType(type) else { continue }
                changes = true
                if dryRun { continue }
                // XLIFF 1.2 mtype values: `protected` is the translate annotation; others keep
                // their meaning as a generic annotation.
                if type == "protected" && m.translate == nil { m.translate = false }
                m.type = "generic"
                content.runs[i] = .marker(m)
            case .text:
                continue
            }
        }
        return changes
    }
}

/// A set of strings kept as 64-bit fingerprints (FNV-1a, mixed) in an open-addressing table:
/// 16 bytes an entry at most, for sets as large as a file's units. Two different strings share
/// a fingerprint with a probability of about n²/2⁶⁵ (1e-7 for two million ids): a false
/// "already there", which the writer would answer with a needless rename, reported.
struct XLIFF2FingerprintSet {
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var count = 0

    private static func fingerprint(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h == 0 ? 1 : h
    }

    func contains(_ s: String) -> Bool {
        let f = Self.fingerprint(s)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: f) & mask
        while slots[i] != 0 {
            if slots[i] == f { return true }
            i = (i + 1) & mask
        }
        return false
    }

    /// Adds `s`; false when it was there already.
    mutating func insert(_ s: String) -> Bool {
        let f = Self.fingerprint(s)
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: f) & mask
        while slots[i] != 0 {
            if slots[i] == f { return false }
            i = (i + 1) & mask
        }
        slots[i] = f
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for f in old where f != 0 {
            var i = Int(truncatingIfNeeded: f) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = f
        }
    }
}
