/// A note for translators or reviewers (XLIFF 2 `<note>`, XLIFF 1.2 `<note>`).
public struct Note: Sendable, Hashable {
    /// What the note is about.
    public enum AppliesTo: String, Sendable, Hashable, Codable {
        /// The source text.
        case source
        /// The target text.
        case target
        /// The whole unit (XLIFF 1.2 `annotates="general"`).
        case general
    }

    /// Identifier (XLIFF 2).
    public var id: String?
    /// The note's text.
    public var text: String
    /// Who wrote it (XLIFF 1.2 `from`).
    public var from: String?
    /// Category (XLIFF 2 `category`).
    public var category: String?
    /// 1 (highest) to 10.
    public var priority: Int?
    /// What it is about; nil when not stated.
    public var appliesTo: AppliesTo?
    /// Language of the note's text (`xml:lang`, XLIFF 1.2).
    public var language: String?
    /// Foreign attributes.
    public var extensionAttributes: [ExtensionAttribute]
    /// What the note refers to (XLIFF 2.2 `ref`, a fragment identifier such as `#m1`).
    public var ref: String?

    /// Creates a note.
    public init(_ text: String, id: String? = nil, from: String? = nil, category: String? = nil, priority: Int? = nil, appliesTo: AppliesTo? = nil, language: String? = nil, extensionAttributes: [ExtensionAttribute] = [], ref: String? = nil) {
        self.ref = ref
        self.text = text
        self.id = id
        self.from = from
        self.category = category
        self.priority = priority
        self.appliesTo = appliesTo
        self.language = language
        self.extensionAttributes = extensionAttributes
    }
}

/// A group of metadata (XLIFF 2 metadata module `<mda:metaGroup>`), nestable.
public struct MetaGroup: Sendable, Hashable {
    /// One entry of a group.
    public enum Item: Sendable, Hashable {
        /// `<mda:meta type="…">value</mda:meta>`.
        case meta(type: String, value: String)
        /// A nested group.
        case group(MetaGroup)
    }

    /// Identifier.
    public var id: String?
    /// Category (`category`).
    public var category: String?
    /// `source`, `target` or `ignorable` (`appliesTo`).
    public var appliesTo: String?
    /// The entries, in order.
    public var items: [Item]

    /// XLIFF 1.2 `<context-group>` attributes kept for 1.2 output: `purpose` and `crc` of the group,
    /// and `match-mandatory@N` / `crc@N` of its N-th `<context>` (0-based).
    public var xliff12Attributes: [String: String] = [:]

    /// Creates a group.
    public init(id: String? = nil, category: String? = nil, appliesTo: String? = nil, items: [Item] = []) {
        self.id = id
        self.category = category
        self.appliesTo = appliesTo
        self.items = items
    }
}

/// A translation candidate (XLIFF 2 `<mtc:match>`, XLIFF 1.2 `<alt-trans>`).
public struct Match: Sendable, Hashable {
    /// Identifier.
    public var id: String?
    /// Which span of the unit it is a candidate for (`ref`, e.g. `#seg1`; 1.2 `mid`).
    public var ref: String?
    /// The candidate's source text.
    public var source: Content
    /// The candidate translation.
    public var target: Content
    /// `am`, `mt`, `icm`, `idm`, `tb`, `tm`, `other` (XLIFF 2); 1.2 `alttranstype`.
    public var type: String?
    /// Refinement of `type`.
    public var subType: String?
    /// Where it came from (a TM name, an MT engine; 1.2 `origin`).
    public var origin: String?
    /// Similarity of the candidate's source to the unit's source, 0–100 (1.2 `match-quality`).
    public var similarity: Double?
    /// Quality of the candidate translation, 0–100.
    public var matchQuality: Double?
    /// Overall suitability, 0–100.
    public var matchSuitability: Double?
    /// A reference only, not to be used as a translation.
    public var reference: Bool
    /// Notes on the candidate (XLIFF 1.2 `<alt-trans><note>`).
    public var notes: [Note] = []
    /// XLIFF 1.2 `<alt-trans>` attributes without an XLIFF 2 equivalent (`alttranstype`, `tool-id`,
    /// `crc`, `datatype`, `restype`, `resname`, `phase-name`, `match-quality` as written…), by name.
    public var xliff12Attributes: [String: String] = [:]
    /// XLIFF 1.2 attributes of the candidate's `<target>` (`state`, `state-qualifier`, `phase-name`…).
    public var xliff12TargetAttributes: [String: String] = [:]
    /// XLIFF 1.2 `<alt-trans><seg-source>`, its `<mrk mtype="seg">` kept as markers of type `seg`.
    public var xliff12SegmentedSource: Content?
    /// Metadata attached to the candidate.
    public var metadata: [MetaGroup]
    /// Foreign attributes and elements.
    public var extensions: Extensions
    /// `id` of the candidate's `<mda:metadata>` element.
    public var metadataID: String?

    /// Creates a candidate.
    public init(id: String? = nil, ref: String? = nil, source: Content, target: Content, type: String? = nil, subType: String? = nil, origin: String? = nil, similarity: Double? = nil, matchQuality: Double? = nil, matchSuitability: Double? = nil, reference: Bool = false, metadata: [MetaGroup] = [], extensions: Extensions = Extensions(), metadataID: String? = nil) {
        self.metadataID = metadataID
        self.id = id
        self.ref = ref
        self.source = source
        self.target = target
        self.type = type
        self.subType = subType
        self.origin = origin
        self.similarity = similarity
        self.matchQuality = matchQuality
        self.matchSuitability = matchSuitability
        self.reference = reference
        self.metadata = metadata
        self.extensions = extensions
    }
}

/// A glossary entry shown with a unit (XLIFF 2 `<gls:glossEntry>`).
public struct GlossaryEntry: Sendable, Hashable {
    /// One translation of the term.
    public struct Translation: Sendable, Hashable {
        /// Identifier.
        public var id: String?
        /// Reference to the span it translates.
        public var ref: String?
        /// Where the translation comes from.
        public var source: String?
        /// The translated term.
        public var text: String
        /// Foreign attributes on `<gls:translation>`.
        public var extensionAttributes: [ExtensionAttribute]

        /// Creates a translation.
        public init(_ text: String, id: String? = nil, ref: String? = nil, source: String? = nil, extensionAttributes: [ExtensionAttribute] = []) {
            self.extensionAttributes = extensionAttributes
            self.text = text
            self.id = id
            self.ref = ref
            self.source = source
        }
    }

    /// Identifier.
    public var id: String?
    /// The span of the unit the entry is about (`ref`, e.g. `#m1`).
    public var ref: String?
    /// The source-language term.
    public var term: String
    /// Where the term comes from (a glossary's name).
    public var termSource: String?
    /// Definition.
    public var definition: String?
    /// Where the definition comes from.
    public var definitionSource: String?
    /// Translations, preferred first.
    public var translations: [Translation]
    /// Foreign attributes and elements.
    public var extensions: Extensions
    /// Foreign attributes on `<gls:term>`.
    public var termExtensionAttributes: [ExtensionAttribute]
    /// Foreign attributes on `<gls:definition>`.
    public var definitionExtensionAttributes: [ExtensionAttribute]

    /// Creates an entry.
    public init(term: String, id: String? = nil, ref: String? = nil, termSource: String? = nil, definition: String? = nil, definitionSource: String? = nil, translations: [Translation] = [], extensions: Extensions = Extensions(), termExtensionAttributes: [ExtensionAttribute] = [], definitionExtensionAttributes: [ExtensionAttribute] = []) {
        self.termExtensionAttributes = termExtensionAttributes
        self.definitionExtensionAttributes = definitionExtensionAttributes
        self.term = term
        self.id = id
        self.ref = ref
        self.termSource = termSource
        self.definition = definition
        self.definitionSource = definitionSource
        self.translations = translations
        self.extensions = extensions
    }
}
