/// The translation state of a segment, as XLIFF 2 defines it.
public enum SegmentState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not translated yet (or being translated).
    case initial
    /// Translated, not reviewed.
    case translated
    /// Reviewed.
    case reviewed
    /// Finished; no further changes expected.
    case final
}

/// A sentence (or other translatable span) of a unit, with its translation.
///
/// The fields live in one shared box, copied only when a shared segment is changed (copy on
/// write, as `InlineCode` does): every stage and writer that looks at a unit's part copies the
/// segment, and a copy of the box is one reference count where copying the fields was one per
/// field (about ten) plus some 170 bytes. Changing a field through `unit.parts[i]`-style access
/// or on a segment held once changes the box in place.
public struct Segment: Sendable, Hashable {
    @usableFromInline
    struct Fields: Hashable {
        @usableFromInline var id: String?
        @usableFromInline var source: Content
        @usableFromInline var target: Content?
        @usableFromInline var state: SegmentState?
        @usableFromInline var subState: String?
        @usableFromInline var xliff12State: String?
        @usableFromInline var stateQualifier: String?
        @usableFromInline var canResegment: Bool?
        @usableFromInline var extensions: Extensions
        @usableFromInline var targetOrder: Int?
    }

    @usableFromInline
    final class Storage: @unchecked Sendable {
        // @unchecked: `fields` is only changed through `unique()`, on a box no other segment shares.
        @exclusivity(unchecked) @usableFromInline var fields: Fields
        @usableFromInline init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var storage: Storage

    /// Makes the box this segment's own before a change.
    @inlinable @inline(__always)
    mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
    }

    /// Identifier, unique within the unit (XLIFF 2 `segment/@id`, 1.2 `mrk/@mid`).
    @inlinable public var id: String? {
        get { storage.fields.id }
        _modify { unique(); yield &storage.fields.id }
    }
    /// The source text.
    @inlinable public var source: Content {
        get { storage.fields.source }
        _modify { unique(); yield &storage.fields.source }
    }
    /// The translation, nil when there is none (an empty `Content` is an empty target).
    @inlinable public var target: Content? {
        get { storage.fields.target }
        _modify { unique(); yield &storage.fields.target }
    }
    /// XLIFF 2 state; nil when not stated.
    @inlinable public var state: SegmentState? {
        get { storage.fields.state }
        _modify { unique(); yield &storage.fields.state }
    }
    /// Finer state (XLIFF 2 `subState`, e.g. `xlf:needs-review-translation`, `verso:fuzzy`).
    @inlinable public var subState: String? {
        get { storage.fields.subState }
        _modify { unique(); yield &storage.fields.subState }
    }
    /// XLIFF 1.2 `state` of the target, kept exactly (`needs-review-translation`, `signed-off`, `x-…`).
    @inlinable public var xliff12State: String? {
        get { storage.fields.xliff12State }
        _modify { unique(); yield &storage.fields.xliff12State }
    }
    /// XLIFF 1.2 `state-qualifier` (`exact-match`, `mt-suggestion`, …).
    @inlinable public var stateQualifier: String? {
        get { storage.fields.stateQualifier }
        _modify { unique(); yield &storage.fields.stateQualifier }
    }
    /// May this segment be split or joined with its neighbours (XLIFF 2 `canResegment`); nil when inherited.
    @inlinable public var canResegment: Bool? {
        get { storage.fields.canResegment }
        _modify { unique(); yield &storage.fields.canResegment }
    }
    /// Foreign attributes on the segment, source or target.
    @inlinable public var extensions: Extensions {
        get { storage.fields.extensions }
        _modify { unique(); yield &storage.fields.extensions }
    }
    /// Position of the target in the unit's target order when it differs from the source order
    /// (XLIFF 2 `<target order="…">`, 1-based over segments and ignorables); nil when not stated.
    @inlinable public var targetOrder: Int? {
        get { storage.fields.targetOrder }
        _modify { unique(); yield &storage.fields.targetOrder }
    }

    /// Creates a segment.
    public init(id: String? = nil, source: Content, target: Content? = nil, state: SegmentState? = nil, subState: String? = nil, xliff12State: String? = nil, stateQualifier: String? = nil, canResegment: Bool? = nil, extensions: Extensions = Extensions(), targetOrder: Int? = nil) {
        storage = Storage(Fields(id: id, source: source, target: target, state: state, subState: subState, xliff12State: xliff12State, stateQualifier: stateQualifier, canResegment: canResegment, extensions: extensions, targetOrder: targetOrder))
    }

    /// Equal segments have equal fields (shared or not).
    public static func == (lhs: Segment, rhs: Segment) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }
}

/// Material between segments that is not translated but belongs to the text (spaces between
/// sentences, a tab): joining segments and ignorables in order gives back the unit's text.
public struct Ignorable: Sendable, Hashable {
    /// Identifier (XLIFF 2).
    public var id: String?
    /// The source material.
    public var source: Content
    /// The target material, when it differs or was written explicitly.
    public var target: Content?
    /// Position of the target in the unit's target order (XLIFF 2 `order`); nil when not stated.
    public var targetOrder: Int?

    /// Creates an ignorable part.
    public init(id: String? = nil, source: Content, target: Content? = nil, targetOrder: Int? = nil) {
        self.targetOrder = targetOrder
        self.id = id
        self.source = source
        self.target = target
    }
}

/// One part of a unit's text.
public enum UnitPart: Sendable, Hashable {
    /// A translatable segment.
    case segment(Segment)
    /// Inter-segment material.
    case ignorable(Ignorable)

    /// The part's source content.
    public var source: Content {
        switch self {
        case .segment(let s): return s.source
        case .ignorable(let i): return i.source
        }
    }

    /// The part's target content, if any.
    public var target: Content? {
        switch self {
        case .segment(let s): return s.target
        case .ignorable(let i): return i.target
        }
    }
}

/// A translatable item: a paragraph, a string resource, an attribute value. XLIFF 2 `<unit>`,
/// XLIFF 1.2 `<trans-unit>`.
///
/// What most units lack (notes, candidates, glossary entries, metadata, what XLIFF 1.2 or
/// foreign namespaces add) lives in one optional box (`Rare`), absent while all of it is empty:
/// a unit is copied between reader, stages and writer, and these fields made every copy some
/// twenty reference counts; now a copy counts only the id, the names and the parts. The box is
/// made on the first change of one of these fields and copied only when shared (copy on write).
public struct Unit: Sendable, Hashable {
    /// Identifier, unique within its file.
    public var id: String
    /// Resource name (XLIFF 2 `name`, 1.2 `resname`).
    public var name: String?
    /// Resource type (XLIFF 2 `type`, 1.2 `restype`).
    public var type: String?
    /// Whether the unit is to be translated.
    public var translate: Bool
    /// May its segments be split or joined; nil when inherited.
    public var canResegment: Bool?
    /// Whitespace is significant (`xml:space="preserve"`); nil when not stated.
    public var preserveSpace: Bool?
    /// XLIFF 1.2 `approved`; nil when not stated.
    public var approved: Bool?
    /// Segments and ignorables, in order.
    public var parts: [UnitPart]

    @usableFromInline
    struct RareFields: Hashable {
        @usableFromInline var notes: [Note] = []
        @usableFromInline var matches: [Match] = []
        @usableFromInline var glossary: [GlossaryEntry] = []
        @usableFromInline var metadata: [MetaGroup] = []
        @usableFromInline var xliff12Attributes: [String: String] = [:]
        @usableFromInline var xliff12Markup: XLIFF12UnitMarkup = XLIFF12UnitMarkup()
        @usableFromInline var extensions: Extensions = Extensions()
        @usableFromInline var sourceDirection: String? = nil
        @usableFromInline var targetDirection: String? = nil
        @usableFromInline var metadataID: String? = nil
        @usableFromInline init() {}
    }

    @usableFromInline
    final class Rare: @unchecked Sendable {
        // @unchecked: `fields` is only changed through `rare`'s `_modify`, on a box no other unit shares.
        @exclusivity(unchecked) @usableFromInline var fields: RareFields
        @usableFromInline init(_ fields: RareFields) { self.fields = fields }
    }

    /// The rarely used fields; nil while they all have their default (empty) values.
    @usableFromInline var rareBox: Rare?

    /// The rarely used fields, made this unit's own (and created) for a change.
    @inlinable var rare: RareFields {
        get { rareBox?.fields ?? RareFields() }
        _modify {
            if rareBox == nil { rareBox = Rare(RareFields()) } else if !isKnownUniquelyReferenced(&rareBox) { rareBox = Rare(rareBox!.fields) }
            yield &rareBox!.fields
        }
    }

    /// Notes.
    @inlinable public var notes: [Note] {
        get { rareBox?.fields.notes ?? [] }
        _modify { yield &rare.notes }
    }
    /// Translation candidates.
    @inlinable public var matches: [Match] {
        get { rareBox?.fields.matches ?? [] }
        _modify { yield &rare.matches }
    }
    /// Glossary entries relevant to this unit.
    @inlinable public var glossary: [GlossaryEntry] {
        get { rareBox?.fields.glossary ?? [] }
        _modify { yield &rare.glossary }
    }
    /// Metadata.
    @inlinable public var metadata: [MetaGroup] {
        get { rareBox?.fields.metadata ?? [] }
        _modify { yield &rare.metadata }
    }
    /// XLIFF 1.2 attributes without an XLIFF 2 equivalent (`maxwidth`, `size-unit`, `phase-name`,
    /// `datatype`, `extradata`, …), by name, kept for 1.2 output.
    @inlinable public var xliff12Attributes: [String: String] {
        get { rareBox?.fields.xliff12Attributes ?? [:] }
        _modify { yield &rare.xliff12Attributes }
    }
    /// What XLIFF 1.2 says on the trans-unit's `<source>`, `<seg-source>` and `<target>` elements
    /// themselves, and the 1.2 elements kept whole (`count-group`).
    @inlinable public var xliff12Markup: XLIFF12UnitMarkup {
        get { rareBox?.fields.xliff12Markup ?? XLIFF12UnitMarkup() }
        _modify { yield &rare.xliff12Markup }
    }
    /// True when `xliff12Markup` holds anything: a writer that finds nothing there skips reading
    /// it (reading makes a copy of the markup, a reference count per field, or an empty one).
    @inlinable public var hasXLIFF12Markup: Bool {
        guard let rareBox else { return false }
        return !rareBox.fields.xliff12Markup.isEmpty
    }
    /// Foreign attributes and elements.
    @inlinable public var extensions: Extensions {
        get { rareBox?.fields.extensions ?? Extensions() }
        _modify { yield &rare.extensions }
    }
    /// Directionality of source text (XLIFF 2 `srcDir`); nil when not stated.
    @inlinable public var sourceDirection: String? {
        get { rareBox?.fields.sourceDirection ?? nil }
        _modify { yield &rare.sourceDirection }
    }
    /// Directionality of target text (XLIFF 2 `trgDir`); nil when not stated.
    @inlinable public var targetDirection: String? {
        get { rareBox?.fields.targetDirection ?? nil }
        _modify { yield &rare.targetDirection }
    }
    /// `id` of the unit's `<mda:metadata>` element.
    @inlinable public var metadataID: String? {
        get { rareBox?.fields.metadataID ?? nil }
        _modify { yield &rare.metadataID }
    }

    /// Creates a unit.
    public init(id: String, name: String? = nil, type: String? = nil, translate: Bool = true, canResegment: Bool? = nil, preserveSpace: Bool? = nil, approved: Bool? = nil, parts: [UnitPart] = [], notes: [Note] = [], matches: [Match] = [], glossary: [GlossaryEntry] = [], metadata: [MetaGroup] = [], xliff12Attributes: [String: String] = [:], extensions: Extensions = Extensions(), sourceDirection: String? = nil, targetDirection: String? = nil, metadataID: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.translate = translate
        self.canResegment = canResegment
        self.preserveSpace = preserveSpace
        self.approved = approved
        self.parts = parts
        // The box only when one of its fields is given.
        if !notes.isEmpty || !matches.isEmpty || !glossary.isEmpty || !metadata.isEmpty || !xliff12Attributes.isEmpty
            || !extensions.isEmpty || sourceDirection != nil || targetDirection != nil || metadataID != nil {
            var r = RareFields()
            r.notes = notes
            r.matches = matches
            r.glossary = glossary
            r.metadata = metadata
            r.xliff12Attributes = xliff12Attributes
            r.extensions = extensions
            r.sourceDirection = sourceDirection
            r.targetDirection = targetDirection
            r.metadataID = metadataID
            rareBox = Rare(r)
        }
    }

    /// Equal units have equal fields; an absent box equals one holding only defaults.
    public static func == (lhs: Unit, rhs: Unit) -> Bool {
        guard lhs.id == rhs.id, lhs.name == rhs.name, lhs.type == rhs.type, lhs.translate == rhs.translate,
              lhs.canResegment == rhs.canResegment, lhs.preserveSpace == rhs.preserveSpace,
              lhs.approved == rhs.approved, lhs.parts == rhs.parts else { return false }
        if lhs.rareBox === rhs.rareBox { return true }
        return lhs.rare == rhs.rare
    }

    /// Hashes the fields (an absent box as one holding only defaults).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(translate)
        hasher.combine(canResegment)
        hasher.combine(preserveSpace)
        hasher.combine(approved)
        hasher.combine(parts)
        hasher.combine(rare)
    }

    /// A unit holding one segment with this source text.
    public init(id: String, source: Content) {
        self.init(id: id, parts: [.segment(Segment(source: source))])
    }

    /// How many parts are segments; unlike `segments.count`, copies none of them.
    public var segmentCount: Int {
        var n = 0
        for part in parts { if case .segment = part { n += 1 } }
        return n
    }

    /// The segments, in order.
    public var segments: [Segment] {
        parts.compactMap { if case .segment(let s) = $0 { return s } else { return nil } }
    }

    /// The whole source: every part's source joined in order.
    public var source: Content {
        var out = Content()
        for part in parts { out.append(contentsOf: part.source) }
        return out
    }

    /// The whole target, or nil when no segment has a target. Ignorables without an explicit
    /// target contribute their source, as XLIFF 2 says.
    public var target: Content? {
        guard segments.contains(where: { $0.target != nil }) else { return nil }
        var out = Content()
        for part in parts {
            switch part {
            case .segment(let s): if let t = s.target { out.append(contentsOf: t) }
            case .ignorable(let i): out.append(contentsOf: i.target ?? i.source)
            }
        }
        return out
    }

    /// True when every segment has a non-empty target.
    public var isTranslated: Bool {
        let segs = segments
        return !segs.isEmpty && segs.allSatisfy { !($0.target?.isEmpty ?? true) }
    }
}
