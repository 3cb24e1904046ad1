import Diagnostics
import TranslationModel

/// A concept found by `Glossary.lookup`.
public struct LookupResult: Sendable, Hashable {
    /// Name of the termbase it comes from (several, joined with ", ", when termbases share the
    /// concept's id).
    public var glossary: String
    /// The concept's handle in that termbase.
    public var conceptHandle: Int
    /// The concept, with all its languages.
    public var concept: Concept
    /// The source-language term that matched the query.
    public var matchedTerm: Term
    /// The language of `matchedTerm`.
    public var matchedLanguage: String
    /// How it matched.
    public var kind: MatchKind
    /// Edit distance for fuzzy matches, 0 otherwise.
    public var distance: Int

    /// The concept's terms in `language`, preferred first.
    public func terms(in language: String) -> [Term] { concept.terms(in: language) }
}

/// Several termbases searched together, in order (the first one's results rank first among
/// equals): the `--glossary` files, or the built-in glossaries.
public final class Glossary: Sendable {
    /// The termbases, in order.
    public let stores: [any TermStore]

    /// A glossary over these termbases.
    public init(stores: [any TermStore]) {
        self.stores = stores
    }

    /// Every language any termbase has.
    public var languages: [String] {
        var out: [String] = []
        for s in stores { for l in s.languages where !out.contains(where: { LanguageTag.same($0, l) }) { out.append(l) } }
        return out
    }

    /// Finds the concepts that `query` designates in language `from` (every language when nil):
    /// exact matches after folding case and accents and setting aside elision (`l'OTAN`) and
    /// possessives (`NATO's`); then other inflections (`biélorusses`) and hyphen/space variants;
    /// near misses by edit distance (`fuzzy`) only when nothing else matched. Best first.
    public func lookup(_ query: String, from: String?, fuzzy: Bool = true) throws -> [LookupResult] {
        let tokens = Tokenizer.tokens(of: query)
        guard !tokens.isEmpty else { return [] }
        struct Key: Hashable { var store: Int; var concept: Int }
        var best: [Key: LookupResult] = [:]
        var order: [Key] = []

        func languagesToSearch(_ store: any TermStore) -> [String] {
            if let from { return [from] }
            var seen = Set<String>()
            return store.languages.map(LanguageTag.primary).filter { seen.insert($0).inserted }
        }

        var concepts: [Key: Concept] = [:]
        func consider(_ store: any TermStore, storeIndex: Int, _ hit: KeyHit, _ kind: MatchKind, _ distance: Int) throws {
            let key = Key(store: storeIndex, concept: hit.ref.concept)
            // One read per concept, however many of its terms matched.
            let concept: Concept
            if let c = concepts[key] { concept = c } else {
                concept = try store.concept(hit.ref.concept)
                concepts[key] = concept
            }
            guard let term = concept.term(atOrdinal: hit.ref.ordinal) else { return }
            let candidate = LookupResult(glossary: store.name, conceptHandle: hit.ref.concept, concept: concept, matchedTerm: term, matchedLanguage: hit.language, kind: kind, distance: distance)
            if let existing = best[key] {
                if Self.rank(candidate) < Self.rank(existing) { best[key] = candidate }
            } else {
                best[key] = candidate
                order.append(key)
            }
        }

        var variants: [[Token]] = [tokens]
        for (si, store) in stores.enumerated() {
            for lang in languagesToSearch(store) {
                variants = [tokens]
                if let stripped = Elision.strip(tokens, language: lang) { variants.append(stripped) }
                let stemmer = LightStemmer(language: lang)
                for v in variants {
                    let keys = SearchKeys(tokens: v.map(\.folded), stemmer: stemmer)
                    for (h, kind) in try store.lookupHits(exact: keys.exact, stem: keys.stem, compact: keys.compact, language: lang) {
                        try consider(store, storeIndex: si, h, kind, 0)
                    }
                }
            }
        }
        if best.isEmpty && fuzzy {
            for (si, store) in stores.enumerated() {
                for lang in languagesToSearch(store) {
                    var vs = [tokens]
                    if let stripped = Elision.strip(tokens, language: lang) { vs.append(stripped) }
                    for v in vs {
                        let key = v.map(\.folded).joined(separator: " ")
                        let limit = fuzzyLimit(forLength: key.utf16.count)
                        for (h, d) in try store.fuzzyHits(key: key, language: lang, limit: limit) { try consider(store, storeIndex: si, h, .fuzzy, d) }
                    }
                }
            }
        }
        let ordered = order.enumerated().map { ($0.offset, best[$0.element]!) }
        return Self.mergingSameConcept(ordered.sorted { a, b in
            let ra = Self.rank(a.1), rb = Self.rank(b.1)
            return ra != rb ? ra < rb : a.0 < b.0
        }.map(\.1))
    }

    /// One result per concept id: termbases that hold the same id describe one concept (as in
    /// recognition, `TermRecognizer.mergingSameConcept`); the best-ranked result is kept, the
    /// others add their terms and notes, and `glossary` names every termbase it came from.
    static func mergingSameConcept(_ results: [LookupResult]) -> [LookupResult] {
        var first: [String: Int] = [:]
        var out: [LookupResult] = []
        for r in results {
            guard let i = first[r.concept.id] else {
                first[r.concept.id] = out.count
                out.append(r)
                continue
            }
            var kept = out[i]
            kept.concept = BuiltInGlossaries.merged(kept.concept, r.concept)
            if !kept.glossary.components(separatedBy: ", ").contains(r.glossary) { kept.glossary += ", " + r.glossary }
            // The later termbase's status wins for a term both list: read it back.
            if let t = kept.concept.term(spelled: kept.matchedTerm.text, in: kept.matchedLanguage) { kept.matchedTerm = t }
            out[i] = kept
        }
        return out
    }

    private static func rank(_ r: LookupResult) -> (Int, Int, Int) {
        let kind: Int
        switch r.kind {
        case .exact: kind = 0
        case .inflected: kind = 1
        case .variant: kind = 2
        case .fuzzy: kind = 3
        }
        let status: Int
        switch r.matchedTerm.effectiveStatus {
        case .preferred: status = 0
        case .admitted: status = 1
        case .deprecated: status = 2
        case .forbidden: status = 3
        }
        return (kind, r.distance, status)
    }
}

extension Concept {
    /// The term written `text` in the `language` section, as this concept has it (after a merge
    /// of termbases, with the status the later one gave it).
    func term(spelled text: String, in language: String) -> Term? {
        languageSections.first { LanguageTag.same($0.language, language) }?.terms.first { $0.text == text }
    }

    /// The term at this position among the concept's terms (sections in order), as `TermRef`
    /// counts them.
    func term(atOrdinal ordinal: Int) -> Term? {
        languageAndTerm(atOrdinal: ordinal)?.term
    }

    /// `term(atOrdinal:)` with the language of its section.
    func languageAndTerm(atOrdinal ordinal: Int) -> (language: String, term: Term)? {
        var k = 0
        for s in languageSections {
            if ordinal < k + s.terms.count { return (s.language, s.terms[ordinal - k]) }
            k += s.terms.count
        }
        return nil
    }
}
