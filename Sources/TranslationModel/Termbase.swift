/// How a termbase recommends a term (TBX `administrativeStatus` / `normativeAuthorization`).
///
/// Ordered from most to least recommended, so sorting terms by status puts the one to use first.
public enum TermStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The term to use.
    case preferred
    /// Acceptable, though not the preferred one.
    case admitted
    /// Should no longer be used (TBX `deprecatedTerm`, also `supersededTerm`).
    case deprecated
    /// Must not be used (a client's "do not use" list).
    case forbidden

    private var rank: Int {
        switch self {
        case .preferred: return 0
        case .admitted: return 1
        case .deprecated: return 2
        case .forbidden: return 3
        }
    }

    /// Most recommended first.
    public static func < (lhs: TermStatus, rhs: TermStatus) -> Bool { lhs.rank < rhs.rank }

    /// True for the statuses a translator must be warned about.
    public var isDiscouraged: Bool { self == .deprecated || self == .forbidden }
}

/// One designation of a concept in one language (TBX `tig`/`ntig`, 2019 `termSec`).
public struct Term: Sendable, Hashable, Codable {
    /// Identifier in the source file, when it has one.
    public var id: String?
    /// The term as written.
    public var text: String
    /// Recommendation; nil when the termbase does not say.
    public var status: TermStatus?
    /// Part of speech (`noun`, `verb`, `adjective`, `properNoun`, …).
    public var partOfSpeech: String?
    /// TBX `termType` (`fullForm`, `acronym`, `abbreviation`, `variant`, `synonym`, …).
    public var termType: String?
    /// Grammatical gender (`masculine`, `feminine`, `neuter`, `other`).
    public var grammaticalGender: String?
    /// A sentence showing the term in use (TBX `context`).
    public var context: String?
    /// Free notes.
    public var notes: [String]

    /// Creates a term.
    public init(_ text: String, id: String? = nil, status: TermStatus? = nil, partOfSpeech: String? = nil, termType: String? = nil, grammaticalGender: String? = nil, context: String? = nil, notes: [String] = []) {
        self.text = text
        self.id = id
        self.status = status
        self.partOfSpeech = partOfSpeech
        self.termType = termType
        self.grammaticalGender = grammaticalGender
        self.context = context
        self.notes = notes
    }

    /// Status used for ranking: a term without one ranks with preferred terms, before admitted ones.
    public var effectiveStatus: TermStatus { status ?? .preferred }
}

/// The terms of one concept in one language (TBX `langSet`, 2019 `langSec`).
public struct LanguageSection: Sendable, Hashable, Codable {
    /// BCP 47 language tag as the termbase writes it (`fr`, `en-GB`).
    public var language: String
    /// The terms, in the termbase's order.
    public var terms: [Term]
    /// Definition in this language.
    public var definition: String?
    /// Free notes about the concept in this language.
    public var notes: [String]

    /// Creates a language section.
    public init(language: String, terms: [Term] = [], definition: String? = nil, notes: [String] = []) {
        self.language = language
        self.terms = terms
        self.definition = definition
        self.notes = notes
    }

    /// The terms sorted by recommendation (preferred first), keeping the file's order among equals.
    public var rankedTerms: [Term] {
        terms.enumerated().sorted { a, b in
            a.element.effectiveStatus != b.element.effectiveStatus
                ? a.element.effectiveStatus < b.element.effectiveStatus
                : a.offset < b.offset
        }.map(\.element)
    }
}

/// A unit of meaning with its designations in several languages (TBX `termEntry`, 2019 `conceptEntry`).
public struct Concept: Sendable, Hashable, Codable {
    /// Identifier, unique within its termbase.
    public var id: String
    /// Subject field (`politics`, `law`, …).
    public var subjectField: String?
    /// Language-independent definition.
    public var definition: String?
    /// Free notes about the concept.
    public var notes: [String]
    /// The language sections, in the termbase's order.
    public var languageSections: [LanguageSection]

    /// Creates a concept.
    public init(id: String, subjectField: String? = nil, definition: String? = nil, notes: [String] = [], languageSections: [LanguageSection] = []) {
        self.id = id
        self.subjectField = subjectField
        self.definition = definition
        self.notes = notes
        self.languageSections = languageSections
    }

    /// The languages the concept has terms in.
    public var languages: [String] { languageSections.map(\.language) }

    /// The sections that serve `language` (see `LanguageTag.serves`): `fr` finds `fr` and `fr-CA`;
    /// `fr-CA` finds `fr-CA`, and plain `fr` when there is no `fr-CA` section.
    public func sections(for language: String) -> [LanguageSection] {
        let exact = languageSections.filter { LanguageTag.same($0.language, language) }
        if !exact.isEmpty, LanguageTag.hasRegion(language) { return exact }
        return languageSections.filter { LanguageTag.serves($0.language, request: language) }
    }

    /// The terms in `language`, preferred first.
    public func terms(in language: String) -> [Term] {
        let ranked = sections(for: language).flatMap(\.rankedTerms)
        return ranked.enumerated().sorted { a, b in
            a.element.effectiveStatus != b.element.effectiveStatus
                ? a.element.effectiveStatus < b.element.effectiveStatus
                : a.offset < b.offset
        }.map(\.element)
    }

    /// The term to use in `language`: the first preferred (or unmarked) term, else the best
    /// admitted one; nil when the language has only deprecated or forbidden terms, or none.
    public func preferredTerm(in language: String) -> Term? {
        terms(in: language).first { !$0.effectiveStatus.isDiscouraged }
    }

    /// Adds a term to the section of `language`, creating the section if needed.
    public mutating func add(_ term: Term, language: String) {
        if let i = languageSections.firstIndex(where: { $0.language == language }) {
            languageSections[i].terms.append(term)
        } else {
            languageSections.append(LanguageSection(language: language, terms: [term]))
        }
    }
}

/// A collection of concepts (a TBX file, a CSV glossary, a built-in glossary).
public struct Termbase: Sendable, Hashable, Codable {
    /// A short name (the file name without extension, for a file).
    public var name: String
    /// The termbase's main language, when it says (`martif/@xml:lang`).
    public var language: String?
    /// What the termbase is and where it comes from (TBX `sourceDesc`).
    public var sourceDescription: String?
    /// The concepts, in order.
    public var concepts: [Concept]

    /// Creates a termbase.
    public init(name: String, language: String? = nil, sourceDescription: String? = nil, concepts: [Concept] = []) {
        self.name = name
        self.language = language
        self.sourceDescription = sourceDescription
        self.concepts = concepts
    }

    /// Every language used by at least one concept, in order of first appearance.
    public var languages: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for c in concepts {
            for l in c.languages where seen.insert(l).inserted { out.append(l) }
        }
        return out
    }

    /// Number of terms in all languages.
    public var termCount: Int {
        concepts.reduce(0) { $0 + $1.languageSections.reduce(0) { $0 + $1.terms.count } }
    }
}

/// Comparisons of BCP 47 language tags as termbases need them (case-insensitive, `_` = `-`).
extension LanguageTag {
    /// The tag in canonical case for comparison: lower case, `-` as separator.
    public static func normalized(_ tag: String) -> String {
        // Tags are ASCII in practice, and are compared for every term and section looked at:
        // done on the bytes, and no new string at all when the tag is already in canonical form.
        var copy = tag
        let ascii: String?? = copy.withUTF8 { bytes in
            var changes = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if (b >= 0x41 && b <= 0x5A) || b == 0x5F { changes = true }
            }
            guard changes else { return .some(nil) }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (i, b) in bytes.enumerated() {
                    out[i] = b == 0x5F ? 0x2D : (b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                }
                return bytes.count
            }
        }
        switch ascii {
        case .some(.some(let changed)): return changed
        case .some(.none): return tag
        case .none: return String(tag.lowercased().map { $0 == "_" ? "-" : $0 })
        }
    }

    /// The primary language subtag (`fr` for `fr-CA`).
    public static func primary(_ tag: String) -> String {
        let n = normalized(tag)
        if let dash = n.firstIndex(of: "-") { return String(n[..<dash]) }
        return n
    }

    /// True when both tags are the same tag.
    public static func same(_ a: String, _ b: String) -> Bool { a == b || normalized(a) == normalized(b) }

    /// True when the tag has more than a primary language subtag.
    public static func hasRegion(_ tag: String) -> Bool { normalized(tag).contains("-") }

    /// True when a section written in `section` serves a request for `request`: same tag, or
    /// `fr-CA` for a request of `fr`, or `fr` for a request of `fr-CA`.
    public static func serves(_ section: String, request: String) -> Bool {
        if section == request { return true }
        let s = normalized(section), r = normalized(request)
        if s == r { return true }
        if !hasRegion(r) { return primary(s) == r }
        return !hasRegion(s) && s == primary(r)
    }
}
