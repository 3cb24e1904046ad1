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
public struct Segment: Sendable, Hashable {
    /// Identifier, unique within the unit (XLIFF 2 `segment/@id`, 1.2 `mrk/@mid`).
    public var id: String?
    /// The source text.
    public var source: Content
    /// The translation, nil when there is none (an empty `Content` is an empty target).
    public var target: Content?
    /// XLIFF 2 state; nil when not stated.
    public var state: SegmentState?
    /// Finer state (XLIFF 2 `subState`, e.g. `xlf:needs-review-translation`, `verso:fuzzy`).
    public var subState: String?
    /// XLIFF 1.2 `state` of the target, kept exactly (`needs-review-translation`, `signed-off`, `x-…`).
    public var xliff12State: String?
    /// XLIFF 1.2 `state-qualifier` (`exact-match`, `mt-suggestion`, …).
    public var stateQualifier: String?
    /// May this segment be split or joined with its neighbours (XLIFF 2 `canResegment`); nil when inherited.
    public var canResegment: Bool?
    /// Foreign attributes on the segment, source or target.
    public var extensions: Extensions
    /// Position of the target in the unit's target order when it differs from the source order
    /// (XLIFF 2 `<target order="…">`, 1-based over segments and ignorables); nil when not stated.
    public var targetOrder: Int?

    /// Creates a segment.
    public init(id: String? = nil, source: Content, target: Content? = nil, state: SegmentState? = nil, subState: String? = nil, xliff12State: String? = nil, stateQualifier: String? = nil, canResegment: Bool? = nil, extensions: Extensions = Extensions(), targetOrder: Int? = nil) {
        self.targetOrder = targetOrder
        self.id = id
        self.source = source
        self.target = target
        self.state = state
        self.subState = subState
        self.xliff12State = xliff12State
        self.stateQualifier = stateQualifier
        self.canResegment = canResegment
        self.extensions = extensions
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
    /// Notes.
    public var notes: [Note]
    /// Translation candidates.
    public var matches: [Match]
    /// Glossary entries relevant to this unit.
    public var glossary: [GlossaryEntry]
    /// Metadata.
    public var metadata: [MetaGroup]
    /// XLIFF 1.2 attributes without an XLIFF 2 equivalent (`maxwidth`, `size-unit`, `phase-name`,
    /// `datatype`, `extradata`, …), by name, kept for 1.2 output.
    public var xliff12Attributes: [String: String]
    /// What XLIFF 1.2 says on the trans-unit's `<source>`, `<seg-source>` and `<target>` elements
    /// themselves, and the 1.2 elements kept whole (`count-group`).
    public var xliff12Markup = XLIFF12UnitMarkup()
    /// Foreign attributes and elements.
    public var extensions: Extensions
    /// Directionality of source text (XLIFF 2 `srcDir`); nil when not stated.
    public var sourceDirection: String?
    /// Directionality of target text (XLIFF 2 `trgDir`); nil when not stated.
    public var targetDirection: String?
    /// `id` of the unit's `<mda:metadata>` element.
    public var metadataID: String?

    /// Creates a unit.
    public init(id: String, name: String? = nil, type: String? = nil, translate: Bool = true, canResegment: Bool? = nil, preserveSpace: Bool? = nil, approved: Bool? = nil, parts: [UnitPart] = [], notes: [Note] = [], matches: [Match] = [], glossary: [GlossaryEntry] = [], metadata: [MetaGroup] = [], xliff12Attributes: [String: String] = [:], extensions: Extensions = Extensions(), sourceDirection: String? = nil, targetDirection: String? = nil, metadataID: String? = nil) {
        self.sourceDirection = sourceDirection
        self.targetDirection = targetDirection
        self.metadataID = metadataID
        self.id = id
        self.name = name
        self.type = type
        self.translate = translate
        self.canResegment = canResegment
        self.preserveSpace = preserveSpace
        self.approved = approved
        self.parts = parts
        self.notes = notes
        self.matches = matches
        self.glossary = glossary
        self.metadata = metadata
        self.xliff12Attributes = xliff12Attributes
        self.extensions = extensions
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
