import Synchronization
import TranslationModel

/// Identifies one term of one concept inside a `TermStore`: the concept's handle and the
/// term's position among the concept's terms (all sections, in order).
public struct TermRef: Sendable, Hashable {
    /// The concept's handle in its store.
    public var concept: Int
    /// Position of the term among the concept's terms, sections in order.
    public var ordinal: Int

    /// Creates a reference.
    public init(concept: Int, ordinal: Int) {
        self.concept = concept
        self.ordinal = ordinal
    }
}

/// A term found under a search key.
public struct KeyHit: Sendable, Hashable {
    /// Which term.
    public var ref: TermRef
    /// Its language as the termbase writes it.
    public var language: String
    /// Its text.
    public var text: String
}

/// Where lookup and recognition find concepts: a termbase in memory, or a SQLite index that
/// answers from disk. Implementations are immutable once built and safe to share.
public protocol TermStore: AnyObject, Sendable {
    /// A short name shown with results (a file name, `news-fr-en`).
    var name: String { get }
    /// Languages present, as the termbase writes them.
    var languages: [String] { get }
    /// Number of concepts.
    var conceptCount: Int { get }
    /// The concept with this handle.
    func concept(_ handle: Int) throws -> Concept
    /// Terms whose key of `kind` (`.exact`, `.inflected` = stem, `.variant` = compact) equals
    /// `key`, in languages that serve `language`.
    func hits(key: String, kind: MatchKind, language: String) throws -> [KeyHit]
    /// Terms of `language` whose exact key is within `limit` edits of `key`, with the distance.
    func fuzzyHits(key: String, language: String, limit: Int) throws -> [(KeyHit, Int)]
    /// Terms under the exact, stem and compact keys of a query, with the kind each matched as.
    func lookupHits(exact: String, stem: String, compact: String, language: String) throws -> [(KeyHit, MatchKind)]
    /// Calls `body` with every term of the languages serving `language`.
    func forEachTerm(language: String, _ body: (TermRef, String, TermStatus?) throws -> Void) throws
}

extension TermStore {
    /// Everything a lookup needs in one call: terms under the exact key (`.exact`), the stem
    /// key (`.inflected`) and the compact key (`.variant`). Stores on disk answer it with one
    /// query; this default asks `hits` for each.
    public func lookupHits(exact: String, stem: String, compact: String, language: String) throws -> [(KeyHit, MatchKind)] {
        var out: [(KeyHit, MatchKind)] = []
        for h in try hits(key: exact, kind: .exact, language: language) { out.append((h, .exact)) }
        for h in try hits(key: stem, kind: .inflected, language: language) { out.append((h, .inflected)) }
        for h in try hits(key: compact, kind: .variant, language: language) { out.append((h, .variant)) }
        return out
    }

    /// The term a reference points to, with its language; nil when the reference is stale.
    public func term(_ ref: TermRef) throws -> (language: String, term: Term)? {
        try concept(ref.concept).languageAndTerm(atOrdinal: ref.ordinal)
    }
}

/// A termbase held in memory with hash indexes on its search keys.
///
/// The search-key indexes (exact, stem and compact keys, for `hits` and `fuzzyHits`) are built
/// on first use: recognising terms in a document only walks the terms of one language
/// (`forEachTerm`), and tokenising and stemming every term of every language up front was most
/// of the time `verso convert` took to load the built-in glossaries.
public final class InMemoryTermStore: TermStore {
    /// The termbase.
    public let termbase: Termbase
    public var name: String { termbase.name }
    public let languages: [String]
    public var conceptCount: Int { termbase.concepts.count }

    private struct Entry: Sendable {
        var ref: TermRef
        var language: String
        var text: String
    }
    /// The search-key indexes. Keys are "<primary language>\u{1}<key>".
    private struct KeyIndexes: Sendable {
        var exact: [String: [Int32]] = [:]
        var stem: [String: [Int32]] = [:]
        var compact: [String: [Int32]] = [:]
        /// The exact key of each entry (for fuzzy matching).
        var exactKeys: [String] = []
    }
    private let entries: [Entry]
    private let byLanguage: [String: [Int32]]
    private let keyIndexes = Mutex<KeyIndexes?>(nil)

    /// Indexes `termbase`.
    public init(_ termbase: Termbase) {
        self.termbase = termbase
        languages = termbase.languages
        var entries: [Entry] = []
        var byLang: [String: [Int32]] = [:]
        for (ci, c) in termbase.concepts.enumerated() {
            var ordinal = 0
            for s in c.languageSections {
                let primary = LanguageTag.primary(s.language)
                for t in s.terms {
                    byLang[primary, default: []].append(Int32(entries.count))
                    entries.append(Entry(ref: TermRef(concept: ci, ordinal: ordinal), language: s.language, text: t.text))
                    ordinal += 1
                }
            }
        }
        self.entries = entries
        byLanguage = byLang
    }

    /// Runs `body` with the search-key indexes, building them the first time.
    private func withKeyIndexes<T>(_ body: (KeyIndexes) -> T) -> T {
        keyIndexes.withLock { built in
            if built == nil { built = buildKeyIndexes() }
            return body(built!)
        }
    }

    private func buildKeyIndexes() -> KeyIndexes {
        var out = KeyIndexes()
        out.exactKeys.reserveCapacity(entries.count)
        var stemmers: [String: LightStemmer] = [:]
        for (i, e) in entries.enumerated() {
            let primary = LanguageTag.primary(e.language)
            let stemmer = stemmers[primary] ?? LightStemmer(language: primary)
            stemmers[primary] = stemmer
            let keys = SearchKeys(tokens: Tokenizer.tokens(of: e.text).map(\.folded), stemmer: stemmer)
            out.exactKeys.append(keys.exact)
            out.exact[primary + "\u{1}" + keys.exact, default: []].append(Int32(i))
            out.stem[primary + "\u{1}" + keys.stem, default: []].append(Int32(i))
            out.compact[primary + "\u{1}" + keys.compact, default: []].append(Int32(i))
        }
        return out
    }

    public func concept(_ handle: Int) throws -> Concept { termbase.concepts[handle] }

    private func hit(_ e: Entry) -> KeyHit { KeyHit(ref: e.ref, language: e.language, text: e.text) }

    public func hits(key: String, kind: MatchKind, language: String) throws -> [KeyHit] {
        let primary = LanguageTag.primary(language)
        let found: [Int32]
        switch kind {
        case .exact: found = withKeyIndexes { $0.exact[primary + "\u{1}" + key] ?? [] }
        case .inflected: found = withKeyIndexes { $0.stem[primary + "\u{1}" + key] ?? [] }
        case .variant: found = withKeyIndexes { $0.compact[primary + "\u{1}" + key] ?? [] }
        case .fuzzy: return try fuzzyHits(key: key, language: language, limit: fuzzyLimit(forLength: key.utf16.count)).map(\.0)
        }
        return found.map { entries[Int($0)] }
            .filter { LanguageTag.serves($0.language, request: language) }
            .map(hit)
    }

    public func fuzzyHits(key: String, language: String, limit: Int) throws -> [(KeyHit, Int)] {
        guard limit > 0 else { return [] }
        let q = Array(key.utf16)
        let exactKeys = withKeyIndexes { $0.exactKeys }
        var out: [(KeyHit, Int)] = []
        for i in byLanguage[LanguageTag.primary(language)] ?? [] {
            let e = entries[Int(i)]
            guard LanguageTag.serves(e.language, request: language) else { continue }
            let d = editDistance(q, Array(exactKeys[Int(i)].utf16), limit: limit)
            if d <= limit { out.append((hit(e), d)) }
        }
        return out
    }

    public func forEachTerm(language: String, _ body: (TermRef, String, TermStatus?) throws -> Void) throws {
        for i in byLanguage[LanguageTag.primary(language)] ?? [] {
            let e = entries[Int(i)]
            guard LanguageTag.serves(e.language, request: language) else { continue }
            let c = termbase.concepts[e.ref.concept]
            var k = 0
            var status: TermStatus?
            for s in c.languageSections {
                if e.ref.ordinal < k + s.terms.count { status = s.terms[e.ref.ordinal - k].status; break }
                k += s.terms.count
            }
            try body(e.ref, e.text, status)
        }
    }
}
