import Diagnostics
import TranslationModel

/// Moves what one XLIFF version says into the places the other version has for it, event by
/// event, and reports what the other version cannot hold.
///
/// Toward XLIFF 2: XLIFF 1.2 attributes with no XLIFF 2 equivalent (`maxwidth`, `datatype`,
/// `approved`, `state-qualifier`, header tools…) travel in a metadata group of category
/// `xliff1.2`, so a file converted to 2.x and back gives the same 1.2 file; `<alt-trans>` becomes
/// a candidate with a `ref`; `<context-group>`s are already metadata; markers get ids. What has no
/// XLIFF 2 home at all (`count-group`, binary units' content, foreign attributes on `<source>`) is
/// reported as a warning. Toward XLIFF 1.2: the `xliff1.2` metadata group is turned back into 1.2
/// attributes; the 1.2 writer itself reports what else it cannot write.
public struct XLIFFVersionAdapter {
    /// Category of the metadata group that carries XLIFF 1.2-only attributes through XLIFF 2.
    public static let metadataCategory = "xliff1.2"

    /// The version the events are adapted to.
    public let target: XLIFFVersion
    private var log = FindingLog()
    private var document: DocumentInfo?

    /// Creates an adapter toward `target`.
    public init(target: XLIFFVersion) {
        self.target = target
    }

    /// What the target version cannot hold, each kind once with a count.
    public var findings: [Finding] { log.findings }

    /// The event as the target version can hold it. `location` is where findings point.
    public mutating func adapt(_ event: consuming DocumentEvent, at location: SourceLocation? = nil) -> DocumentEvent {
        // The event is consumed so that the unit inside it is uniquely owned: changed in place,
        // never copied (a unit is a large value and this runs once per unit).
        if target == .v1_2 {
            switch consume event {
            case .startFile(var info):
                XLIFF12Compatibility.restore(&info)
                return .startFile(info)
            case .startGroup(var info):
                XLIFF12Compatibility.restore(&info)
                return .startGroup(info)
            case .unit(let unit):
                return .unit(XLIFF12Compatibility.restoringXLIFF12Data(unit))
            case let other:
                return other
            }
        }
        switch consume event {
        case .startDocument(var info):
            info.version = target
            document = info
            return .startDocument(info)
        case .startFile(var info):
            toXLIFF2(&info, at: location)
            return .startFile(info)
        case .startGroup(var info):
            toXLIFF2(&info, at: location)
            return .startGroup(info)
        case .unit(var unit):
            toXLIFF2(&unit, at: location)
            return .unit(unit)
        case let other:
            return other
        }
    }

    private mutating func warn(_ key: String, _ message: @autoclosure () -> String, at location: SourceLocation?) {
        log.warn(key, message(), at: location, code: "xliff.lost-in-conversion")
    }

    // MARK: - Toward XLIFF 2

    private static func metaGroup(_ items: [(String, String)]) -> MetaGroup {
        MetaGroup(category: metadataCategory, items: items.map { .meta(type: $0.0, value: $0.1) })
    }

    /// Adds one entry to the `xliff1.2` group of a metadata list (creating the group).
    private static func append(_ item: (String, String), to metadata: inout [MetaGroup]) {
        if let i = metadata.firstIndex(where: { $0.category == metadataCategory }) {
            metadata[i].items.append(.meta(type: item.0, value: item.1))
        } else {
            metadata.append(metaGroup([item]))
        }
    }

    /// A similarity as XLIFF 1.2 `match-quality` writes it: `95`, `95.5`.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private mutating func toXLIFF2(_ info: inout FileInfo, at location: SourceLocation?) {
        var items: [(String, String)] = info.xliff12Attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let d = info.datatype { items.append(("datatype", d)) }
        info.xliff12Attributes = [:]
        if !items.isEmpty { info.metadata.append(Self.metaGroup(items)) }
        for tool in info.tools {
            var t: [(String, String)] = [("tool-id", tool.id), ("tool-name", tool.name)]
            if let v = tool.version { t.append(("tool-version", v)) }
            if let c = tool.company { t.append(("tool-company", c)) }
            var group = Self.metaGroup(t)
            group.category = Self.metadataCategory + ":tool"
            info.metadata.append(group)
            if !tool.extensions.isEmpty { warn("tool-ext", "markup inside an XLIFF 1.2 <tool> has no XLIFF 2 equivalent; not written", at: location) }
        }
        info.tools = []
        for e in info.xliff12HeaderElements {
            warn("header:\(e.name)", "XLIFF 1.2 <\(e.name)> in the file header has no XLIFF 2 equivalent; not written", at: location)
        }
        info.xliff12HeaderElements = []
        if let doc = document {
            if let s = info.sourceLanguage, s != doc.sourceLanguage {
                warn("file-srclang", "a <file> with source language '\(s)' (the document's is '\(doc.sourceLanguage)'): XLIFF 2 has one source language per document", at: location)
            }
            if let t = info.targetLanguage, t != doc.targetLanguage {
                warn("file-trglang", "a <file> with target language '\(t)': XLIFF 2 has one target language per document", at: location)
            }
        }
        if let skl = info.skeleton, !skl.xliff12Attributes.isEmpty {
            warn("skl-crc", "crc/uid of the XLIFF 1.2 skeleton have no XLIFF 2 equivalent; not written", at: location)
            info.skeleton?.xliff12Attributes = [:]
        }
        moveNoteData(&info.notes, into: &info.metadata)
        info.metadata = info.metadata.map { adaptContextGroup($0, at: location) }
    }

    private mutating func toXLIFF2(_ info: inout GroupInfo, at location: SourceLocation?) {
        var items: [(String, String)] = info.xliff12Attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let t = info.type, !XLIFF2Syntax.isUserDefinedValue(t) {
            items.append(("restype", t))
            info.type = nil
        }
        if let binary = info.binaryUnit {
            items.append(("bin-unit/mime-type", binary.mimeType))
            warn("bin-unit", "XLIFF 1.2 <bin-unit> has no XLIFF 2 equivalent: written as a group holding its units, without the binary source and target", at: location)
            info.binaryUnit = nil
        }
        info.xliff12Attributes = [:]
        if !items.isEmpty { info.metadata.append(Self.metaGroup(items)) }
        for e in info.xliff12Elements {
            warn("group:\(e.name)", "XLIFF 1.2 <\(e.name)> has no XLIFF 2 equivalent; not written", at: location)
        }
        info.xliff12Elements = []
        moveNoteData(&info.notes, into: &info.metadata)
        info.metadata = info.metadata.map { adaptContextGroup($0, at: location) }
    }

    private mutating func toXLIFF2(_ unit: inout Unit, at location: SourceLocation?) {
        var items: [(String, String)] = unit.xliff12Attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let t = unit.type, !XLIFF2Syntax.isUserDefinedValue(t) {
            // 1.2 restype values (`string`, `x-misc`) are not XLIFF 2 type values (prefix:value).
            items.append(("restype", t))
            unit.type = nil
        }
        if let a = unit.approved { items.append(("approved", a ? "yes" : "no")) }
        if let q = unit.segments.lazy.compactMap(\.stateQualifier).first { items.append(("state-qualifier", q)) }
        let markup = unit.xliff12Markup
        for (k, v) in markup.targetAttributes.sorted(by: { $0.key < $1.key }) { items.append(("target:\(k)", v)) }
        if !items.isEmpty { unit.metadata.append(Self.metaGroup(items)) }
        unit.xliff12Attributes = [:]
        unit.approved = nil
        if !markup.sourceAttributes.isEmpty || !markup.targetExtensionAttributes.isEmpty || !markup.segmentedSourceAttributes.isEmpty {
            let names = (markup.sourceAttributes + markup.targetExtensionAttributes + markup.segmentedSourceAttributes).map { $0.prefix.isEmpty ? $0.name : "\($0.prefix):\($0.name)" }
            warn("text-attrs", "attributes on XLIFF 1.2 <source>/<target> (\(Set(names).sorted().joined(separator: ", "))) have no XLIFF 2 equivalent; not written", at: location)
        }
        if markup.unsegmentedSource != nil {
            warn("unsegmented-source", "trans-unit '\(unit.id)': its <source> differs from its <seg-source>; XLIFF 2 keeps the segmented text only", at: location)
        }
        for e in markup.elements {
            warn("unit:\(e.name)", "XLIFF 1.2 <\(e.name)> has no XLIFF 2 equivalent; not written", at: location)
        }
        unit.xliff12Markup = XLIFF12UnitMarkup()

        // Segments: the XLIFF 2 state says what the 1.2 state said; languages must match the document's.
        let srcLang = document?.sourceLanguage
        let trgLang = document?.targetLanguage
        for i in unit.parts.indices {
            // Taken out of the array (not copied), so that its contents are changed in place.
            var part = UnitPart.ignorable(Ignorable(source: Content()))
            swap(&part, &unit.parts[i])
            switch consume part {
            case .segment(var s):
                if s.state == nil, let kept = s.xliff12State {
                    s.state = XLIFFStateMapping.state(for: kept) ?? (s.target == nil ? .initial : .translated)
                    s.subState = XLIFFStateMapping.subState(for: kept)
                }
                if s.state == nil, s.subState != nil { s.subState = nil }
                s.xliff12State = nil
                s.stateQualifier = nil
                if !s.extensions.attributes.isEmpty {
                    warn("seg-attrs", "attributes on XLIFF 1.2 <mrk mtype=\"seg\"> have no XLIFF 2 equivalent; not written", at: location)
                    s.extensions.attributes = []
                }
                clearLanguage(&s.source, document: srcLang, at: location)
                if s.target != nil { clearLanguage(&s.target!, document: trgLang, at: location) }
                adaptContent(&s.source, at: location)
                if s.target != nil { adaptContent(&s.target!, at: location) }
                unit.parts[i] = .segment(s)
            case .ignorable(var ig):
                clearLanguage(&ig.source, document: srcLang, at: location)
                if ig.target != nil { clearLanguage(&ig.target!, document: trgLang, at: location) }
                adaptContent(&ig.source, at: location)
                if ig.target != nil { adaptContent(&ig.target!, at: location) }
                unit.parts[i] = .ignorable(ig)
            }
        }
        assignMarkerIDs(&unit)

        // Candidates: XLIFF 2 needs a source and a ref to a segment.
        if !unit.matches.isEmpty {
            let firstSegment = unit.parts.firstIndex { if case .segment = $0 { return true } else { return false } }
            var firstID: String?
            if let firstSegment, case .segment(var s) = unit.parts[firstSegment] {
                if s.id == nil, unit.matches.contains(where: { $0.ref == nil }) {
                    var candidate = "1"
                    let used = Set(unit.parts.compactMap { p -> String? in if case .segment(let x) = p { return x.id } else { return nil } })
                    while used.contains(candidate) { candidate += "_" }
                    s.id = candidate
                    unit.parts[firstSegment] = .segment(s)
                    // Recorded so that the way back to 1.2 leaves the text unsegmented, as it was.
                    Self.append(("segment-id-assigned", candidate), to: &unit.metadata)
                }
                firstID = s.id
            }
            let wholeSource = unit.source
            for j in unit.matches.indices {
                var m = unit.matches[j]
                if m.ref == nil, let firstID { m.ref = "#" + firstID }
                if m.source.isEmpty { m.source = wholeSource; m.source.language = nil }
                if let raw = m.xliff12Attributes["match-quality"], let s = m.similarity, raw == XLIFFVersionAdapter.format(s) {
                    m.xliff12Attributes["match-quality"] = nil // the similarity says it all
                }
                var items: [(String, String)] = m.xliff12Attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                for (k, v) in m.xliff12TargetAttributes.sorted(by: { $0.key < $1.key }) { items.append(("target:\(k)", v)) }
                if !items.isEmpty { m.metadata.append(Self.metaGroup(items)) }
                m.xliff12Attributes = [:]
                m.xliff12TargetAttributes = [:]
                if !m.notes.isEmpty {
                    warn("match-notes", "notes on XLIFF 1.2 <alt-trans> have no XLIFF 2 equivalent; not written", at: location)
                    m.notes = []
                }
                if m.xliff12SegmentedSource != nil {
                    warn("match-segsource", "<seg-source> of XLIFF 1.2 <alt-trans> has no XLIFF 2 equivalent; not written", at: location)
                    m.xliff12SegmentedSource = nil
                }
                clearLanguage(&m.source, document: srcLang, at: location)
                clearLanguage(&m.target, document: trgLang, at: location)
                adaptContent(&m.source, at: location)
                adaptContent(&m.target, at: location)
                m.metadata = m.metadata.map { adaptContextGroup($0, at: location) }
                unit.matches[j] = m
            }
        }
        // Taken out and put back only when there are notes or metadata: the unit keeps them in a
        // box made on the first change (and two `inout` accesses to one unit would overlap).
        if !unit.notes.isEmpty {
            var notes = unit.notes, metadata = unit.metadata
            moveNoteData(&notes, into: &metadata)
            unit.notes = notes
            unit.metadata = metadata
        }
        if !unit.metadata.isEmpty { unit.metadata = unit.metadata.map { adaptContextGroup($0, at: location) } }
    }

    private mutating func clearLanguage(_ content: inout Content, document language: String?, at location: SourceLocation?) {
        guard let l = content.language else { return }
        if let language, l == language || l.lowercased() == language.lowercased() { return }
        warn("xml:lang", "xml:lang=\"\(l)\" on text differs from the document's language; XLIFF 2 requires them to agree: not written", at: location)
        content.language = nil
    }

    /// XLIFF 2 notes have no author (1.2 `from`) and no `xml:lang`: those travel in the
    /// `xliff1.2` metadata group, keyed by the note's id (a note without one gets one, which the
    /// way back takes away again), so that 1.2 → 2.x → 1.2 keeps them.
    private func moveNoteData(_ notes: inout [Note], into metadata: inout [MetaGroup]) {
        guard notes.contains(where: { $0.from != nil || $0.language != nil || $0.appliesTo == .general }) else { return }
        var taken = Set(notes.compactMap(\.id))
        var next = 1
        for i in notes.indices {
            if notes[i].appliesTo == .general { notes[i].appliesTo = nil }
            guard notes[i].from != nil || notes[i].language != nil else { continue }
            let id: String
            let assigned = notes[i].id == nil
            if let existing = notes[i].id {
                id = existing
            } else {
                while taken.contains("n\(next)") { next += 1 }
                id = "n\(next)"
                taken.insert(id)
                notes[i].id = id
            }
            if let from = notes[i].from { Self.append(("note:\(id):from", from), to: &metadata) }
            if let language = notes[i].language { Self.append(("note:\(id):lang", language), to: &metadata) }
            // After the items keyed by the id: the way back applies them, then takes the id away.
            if assigned { Self.append(("note-id-assigned", id), to: &metadata) }
            notes[i].from = nil
            notes[i].language = nil
        }
    }

    private mutating func adaptContextGroup(_ group: MetaGroup, at location: SourceLocation?) -> MetaGroup {
        var g = group
        if !g.xliff12Attributes.isEmpty {
            warn("context-attrs", "purpose, crc and match-mandatory of XLIFF 1.2 <context-group>/<context> have no XLIFF 2 equivalent; not written", at: location)
            g.xliff12Attributes = [:]
        }
        return g
    }

    /// Inline codes in XLIFF 2 terms: `ctype` becomes `type`/`subType` (one XLIFF 2 has no value
    /// for: `other` + `xliff1.2:<ctype>`), `rid` pairs become id
    /// pairs, `<sub>` text is folded into the native data.
    private mutating func adaptContent(_ out: inout Content, at location: SourceLocation?) {
        guard out.runs.contains(where: { if case .text = $0 { return false } else { return true } }) else { return }
        var openingByRID: [String: String] = [:]
        var pairTypes: [String: (String?, String?)] = [:]
        for i in out.runs.indices {
            if case .marker(var m) = out.runs[i], let type = m.type {
                // XLIFF 2 annotation types: generic, comment, term, or prefix:value.
                if type == "protected" {
                    m.type = "generic"
                    if m.boundary == .start { m.translate = false }
                } else if type != "generic" && type != "comment" && type != "term" && !type.contains(":") {
                    m.type = XLIFFStateMapping.subStatePrefix + type
                }
                out.runs[i] = .marker(m)
                continue
            }
            guard case .code(var c) = out.runs[i] else { continue }
            if c.type == nil, let ctype = c.ctype {
                switch ctype {
                case "bold": c.type = "fmt"; c.subType = "xlf:b"
                case "italic": c.type = "fmt"; c.subType = "xlf:i"
                case "underlined": c.type = "fmt"; c.subType = "xlf:u"
                case "lb": c.type = "fmt"; c.subType = "xlf:lb"
                case "pb": c.type = "fmt"; c.subType = "xlf:pb"
                case "link": c.type = "link"
                case "image": c.type = "image"
                default:
                    // Other ctypes (`x-…`, `x-html-b`) travel as a user-defined subType, which
                    // XLIFF 2 requires to come with a type; the way back restores the ctype.
                    c.type = "other"
                    c.subType = XLIFFStateMapping.subStatePrefix + ctype
                }
            }
            c.ctype = nil
            if let rid = c.xliff12Attributes["rid"] {
                if c.kind == .opening { openingByRID[rid] = c.id }
                else if c.kind == .closing, let openID = openingByRID[rid] { c.id = openID }
            }
            // 1.2 gives the ctype on the opening half only (`<g>`, `<bx>`, `<bpt>`); XLIFF 2's
            // type belongs to the pair, and a closing half that agrees lets the pair be a `<pc>`.
            if c.kind == .opening, c.type != nil || c.subType != nil {
                pairTypes[c.id] = (c.type, c.subType)
            } else if c.kind == .closing, c.type == nil, c.subType == nil, let t = pairTypes[c.id] {
                (c.type, c.subType) = t
            }
            let other = c.xliff12Attributes.keys.filter { $0 != "rid" && $0 != "pos" }
            if !other.isEmpty { warn("code-attrs", "XLIFF 1.2 attributes of inline codes (\(other.sorted().joined(separator: ", "))) have no XLIFF 2 equivalent; not written", at: location) }
            c.xliff12Attributes = [:]
            if !c.subContents.isEmpty {
                warn("sub", "XLIFF 1.2 <sub> text inside a code is kept in the code's original data, not as translatable text", at: location)
                var data = Array((c.originalData ?? "").utf16)
                for sub in c.subContents.sorted(by: { $0.utf16Offset > $1.utf16Offset }) {
                    let offset = min(sub.utf16Offset, data.count)
                    data.insert(contentsOf: Array(sub.content.plainText.utf16), at: offset)
                }
                c.originalData = String(decoding: data, as: UTF16.self)
                c.subContents = []
            }
            c.xliff12Element = nil
            out.runs[i] = .code(c)
        }
    }

    /// XLIFF 2 requires an id on every annotation; XLIFF 1.2 `mid` is optional.
    private func assignMarkerIDs(_ unit: inout Unit) {
        var used = Set<String>()
        var needs = false
        func scan(_ content: Content?) {
            guard let content else { return }
            for case .marker(let m) in content.runs {
                if m.id.isEmpty { needs = true } else { used.insert(m.id) }
            }
        }
        for part in unit.parts {
            switch part {
            case .segment(let s): scan(s.source); scan(s.target)
            case .ignorable(let i): scan(i.source); scan(i.target)
            }
        }
        guard needs else { return }
        var counter = 0
        func fresh() -> String {
            repeat { counter += 1 } while used.contains("m\(counter)")
            used.insert("m\(counter)")
            return "m\(counter)"
        }
        func fix(_ content: inout Content) {
            var stack: [String] = []
            for i in content.runs.indices {
                guard case .marker(var m) = content.runs[i] else { continue }
                if m.boundary == .start {
                    if m.id.isEmpty { m.id = fresh() }
                    stack.append(m.id)
                } else if m.id.isEmpty {
                    m.id = stack.popLast() ?? fresh()
                } else if let last = stack.last, last == m.id {
                    stack.removeLast()
                }
                content.runs[i] = .marker(m)
            }
        }
        for i in unit.parts.indices {
            var part = UnitPart.ignorable(Ignorable(source: Content()))
            swap(&part, &unit.parts[i])
            switch consume part {
            case .segment(var s):
                fix(&s.source)
                if s.target != nil { fix(&s.target!) }
                unit.parts[i] = .segment(s)
            case .ignorable(var ig):
                fix(&ig.source)
                if ig.target != nil { fix(&ig.target!) }
                unit.parts[i] = .ignorable(ig)
            }
        }
    }
}

/// Turns XLIFF 1.2 data that travelled through XLIFF 2 (in the `xliff1.2` metadata group) back
/// into the model's 1.2 fields. The 1.2 writer applies it to every unit, so a 2.x file that came
/// from 1.2 is written back as the 1.2 file it was.
public enum XLIFF12Compatibility {
    /// Applies one `xliff1.2` metadata item about notes (`note:ID:from`, `note:ID:lang`,
    /// `note-id-assigned`) to `notes`; false when the item is about something else.
    static func restoreNoteData(_ notes: inout [Note], type: String, value: String) -> Bool {
        if type == "note-id-assigned" {
            // The items keyed by that id come before it in the group.
            if let i = notes.firstIndex(where: { $0.id == value }) { notes[i].id = nil }
            return true
        }
        guard type.hasPrefix("note:") else { return false }
        let parts = type.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let i = notes.firstIndex(where: { $0.id == String(parts[1]) }) else { return true }
        if parts[2] == "from" { notes[i].from = value } else if parts[2] == "lang" { notes[i].language = value }
        return true
    }

    /// True when the unit carries XLIFF 1.2 data in an `xliff1.2` metadata group.
    @inline(__always)
    public static func needsRestoring(_ unit: Unit) -> Bool {
        if unit.metadata.isEmpty && unit.matches.isEmpty { return false }
        return unit.metadata.contains(where: { $0.category == XLIFFVersionAdapter.metadataCategory }) || unit.matches.contains(where: { m in m.metadata.contains { $0.category == XLIFFVersionAdapter.metadataCategory } })
    }

    /// The unit with its `xliff1.2` metadata moved back into 1.2 attributes.
    public static func restoringXLIFF12Data(_ unit: Unit) -> Unit {
        guard needsRestoring(unit) else { return unit }
        var u = unit
        var attributes = u.xliff12Attributes
        var rest: [MetaGroup] = []
        for group in u.metadata {
            guard group.category == XLIFFVersionAdapter.metadataCategory else { rest.append(group); continue }
            for case .meta(let type, let value) in group.items {
                switch type {
                case "approved": if u.approved == nil { u.approved = value == "yes" }
                case "restype": if u.type == nil { u.type = value }
                case "segment-id-assigned":
                    if let i = u.parts.firstIndex(where: { if case .segment(let s) = $0 { return s.id == value } else { return false } }),
                       case .segment(var s) = u.parts[i] {
                        s.id = nil
                        u.parts[i] = .segment(s)
                        for j in u.matches.indices where u.matches[j].ref == "#" + value { u.matches[j].ref = nil }
                    }
                case "state-qualifier":
                    for i in u.parts.indices {
                        if case .segment(var s) = u.parts[i], s.stateQualifier == nil {
                            s.stateQualifier = value
                            u.parts[i] = .segment(s)
                        }
                    }
                default:
                    if restoreNoteData(&u.notes, type: type, value: value) {
                        continue
                    } else if type.hasPrefix("target:") {
                        let name = String(type.dropFirst("target:".count))
                        if u.xliff12Markup.targetAttributes[name] == nil { u.xliff12Markup.targetAttributes[name] = value }
                    } else if attributes[type] == nil {
                        attributes[type] = value
                    }
                }
            }
        }
        u.metadata = rest
        u.xliff12Attributes = attributes
        for j in u.matches.indices {
            var m = u.matches[j]
            var kept: [MetaGroup] = []
            for group in m.metadata {
                guard group.category == XLIFFVersionAdapter.metadataCategory else { kept.append(group); continue }
                for case .meta(let type, let value) in group.items {
                    if type.hasPrefix("target:") {
                        m.xliff12TargetAttributes[String(type.dropFirst("target:".count))] = value
                    } else if m.xliff12Attributes[type] == nil {
                        m.xliff12Attributes[type] = value
                        if type == "alttranstype", value == "reference" { m.reference = true }
                    }
                }
            }
            m.metadata = kept
            u.matches[j] = m
        }
        return u
    }

    /// File information with its `xliff1.2` metadata (attributes, tools) moved back.
    public static func restore(_ info: inout FileInfo) {
        var rest: [MetaGroup] = []
        for group in info.metadata {
            if group.category == XLIFFVersionAdapter.metadataCategory {
                for case .meta(let type, let value) in group.items {
                    if restoreNoteData(&info.notes, type: type, value: value) { continue }
                    if type == "datatype" { if info.datatype == nil { info.datatype = value } }
                    else if info.xliff12Attributes[type] == nil { info.xliff12Attributes[type] = value }
                }
            } else if group.category == XLIFFVersionAdapter.metadataCategory + ":tool" {
                var values: [String: String] = [:]
                for case .meta(let type, let value) in group.items { values[type] = value }
                info.tools.append(ToolInfo(id: values["tool-id"] ?? "", name: values["tool-name"] ?? "", version: values["tool-version"], company: values["tool-company"]))
            } else {
                rest.append(group)
            }
        }
        info.metadata = rest
    }

    /// Group information with its `xliff1.2` metadata moved back into 1.2 attributes.
    public static func restore(_ info: inout GroupInfo) {
        guard info.metadata.contains(where: { $0.category == XLIFFVersionAdapter.metadataCategory }) else { return }
        var rest: [MetaGroup] = []
        for group in info.metadata {
            guard group.category == XLIFFVersionAdapter.metadataCategory else { rest.append(group); continue }
            for case .meta(let type, let value) in group.items {
                if restoreNoteData(&info.notes, type: type, value: value) { continue }
                if type == "restype" { if info.type == nil { info.type = value } }
                else if info.xliff12Attributes[type] == nil && !type.contains("/") { info.xliff12Attributes[type] = value }
            }
        }
        info.metadata = rest
    }
}
