#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import FileAccess
import Foundation
import GRDB
import TranslationModel

/// What `TermIndex.build` did.
public struct TermIndexBuildReport: Sendable {
    /// Concepts indexed.
    public var conceptCount: Int
    /// Terms indexed (all languages).
    public var termCount: Int
    /// Languages found.
    public var languages: [String]
    /// Warnings from reading the inputs.
    public var findings: [Finding]
}

/// A termbase in a SQLite file, queried on disk: lookup and recognition work on a million-term
/// base without reading it into memory.
///
/// Terms are filed under the same search keys as in memory (`SearchKeys`: folded, stemmed,
/// compact), each an indexed column, so an exact lookup is one B-tree search (not FTS5, whose
/// phrase queries are two orders of magnitude slower for this). Concepts keep their terms in
/// consecutive rows, so rebuilding one is a range read. Opened read-only; safe to share.
public final class TermIndex: TermStore, @unchecked Sendable {
    // @unchecked: GRDB's DatabaseQueue serialises every access to the connection; the other
    // stored properties are immutable.

    /// The file format's name, stored in the `meta` table.
    public static let formatName = "verso-term-index"
    /// The schema version this code writes and reads.
    public static let formatVersion = 1

    public let name: String
    public let languages: [String]
    public let conceptCount: Int
    /// The largest number of words in a term, per primary language (for recognition).
    public let maxTermTokens: Int
    private let db: DatabaseQueue
    private let displayPath: String

    /// Opens an index written by `build`. Throws when the file is not one.
    public init(path: String, displayPath: String? = nil) throws {
        let shown = displayPath ?? path
        self.displayPath = shown
        try InputFile.checkReadable(path)
        var config = Configuration()
        config.readonly = true
        config.label = "verso.term-index"
        // Map the file rather than read() it page by page, keep a large page cache, and hold
        // the shared lock once taken (the index is never written in place: a rebuild renames
        // a new file over it), so that a lookup costs B-tree steps in memory, not the lock and
        // hot-journal system calls SQLite otherwise makes for every statement.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536; PRAGMA locking_mode = EXCLUSIVE")
        }
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            let meta: [String: String] = try db.inDatabase { db in
                var out: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { out[row[0]] = row[1] }
                return out
            }
            guard meta["format"] == Self.formatName else {
                throw TermbaseError("not a Verso term index (no '\(Self.formatName)' marker); build one with 'verso glossary index'", file: shown)
            }
            guard meta["version"] == String(Self.formatVersion) else {
                throw TermbaseError("term index version \(meta["version"] ?? "?") is not supported (expected \(Self.formatVersion)); rebuild it with 'verso glossary index'", file: shown)
            }
            name = meta["name"] ?? TermbaseFile.defaultName(for: path)
            languages = (meta["languages"] ?? "").split(separator: ",").map(String.init)
            conceptCount = Int(meta["concepts"] ?? "") ?? 0
            maxTermTokens = Int(meta["max_tokens"] ?? "") ?? 8
        } catch let e as TermbaseError {
            throw e
        } catch let e as DatabaseError {
            throw TermbaseError("cannot open term index: \(e.message ?? e.description)", file: shown)
        }
    }

    private func wrap<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try db.inDatabase(body)
        } catch let e as DatabaseError {
            throw TermbaseError("term index query failed: \(e.message ?? e.description)", file: displayPath)
        }
    }

    static func statusCode(_ s: TermStatus?) -> Int {
        guard let s else { return 0 }
        return TermStatus.allCases.firstIndex(of: s)! + 1
    }

    static func status(_ code: Int) -> TermStatus? {
        code >= 1 && code <= TermStatus.allCases.count ? TermStatus.allCases[code - 1] : nil
    }

    private static let separator: Character = "\u{1E}"

    private static func join(_ notes: [String]) -> String? { notes.isEmpty ? nil : notes.joined(separator: String(separator)) }

    private static func split(_ s: String?) -> [String] {
        guard let s, !s.isEmpty else { return [] }
        return s.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: TermStore

    private static let conceptSQL = """
        SELECT c.concept_id, c.subject, c.definition, c.notes, c.has_sections,
               t.lang, t.text, t.status, t.pos, t.term_type, t.gender, t.context, t.notes, t.term_id
        FROM concept c JOIN term t ON t.id >= c.first_term AND t.id < c.first_term + c.term_count
        WHERE c.id = ? ORDER BY t.id
        """

    public func concept(_ handle: Int) throws -> Concept {
        try wrap { db in
            // One statement: the concept row and its term rows, which are consecutive.
            let cs = try db.cachedStatement(sql: Self.conceptSQL)
            let cursor = try Row.fetchCursor(cs, arguments: [handle])
            var c: Concept?
            var hasSections = false
            while let t = try cursor.next() {
                if c == nil {
                    c = Concept(id: t[0], subjectField: t[1], definition: t[2], notes: Self.split(t[3]))
                    hasSections = t[4]
                }
                let lang: String = t[5]
                let term = Term(t[6], id: t[13], status: Self.status(t[7]), partOfSpeech: t[8], termType: t[9], grammaticalGender: t[10], context: t[11], notes: Self.split(t[12]))
                if let last = c!.languageSections.last, last.language == lang {
                    c!.languageSections[c!.languageSections.count - 1].terms.append(term)
                } else {
                    c!.languageSections.append(LanguageSection(language: lang, terms: [term]))
                }
            }
            guard var c else {
                throw TermbaseError("no concept \(handle) in the index", file: displayPath)
            }
            if hasSections {
                let ss = try db.cachedStatement(sql: "SELECT lang, definition, notes FROM section WHERE concept = ?")
                for s in try Row.fetchAll(ss, arguments: [handle]) {
                    let lang: String = s[0]
                    if let i = c.languageSections.firstIndex(where: { $0.language == lang }) {
                        c.languageSections[i].definition = s[1]
                        c.languageSections[i].notes = Self.split(s[2])
                    }
                }
            }
            return c
        }
    }

    private static let hitColumns = "id, concept, ordinal, lang, text, status"

    private func hit(_ row: Row, firstTerm: [Int64: Int64]? = nil) -> KeyHit {
        KeyHit(ref: TermRef(concept: Int(row[1] as Int64), ordinal: Int(row[2] as Int64)), language: row[3], text: row[4])
    }

    public func hits(key: String, kind: MatchKind, language: String) throws -> [KeyHit] {
        let primary = LanguageTag.primary(language)
        let sql: String
        switch kind {
        case .exact: sql = "SELECT \(Self.hitColumns) FROM term WHERE primary_lang = ? AND exact = ?"
        case .inflected: sql = "SELECT \(Self.hitColumns) FROM term WHERE primary_lang = ? AND stem = ?"
        case .variant: sql = "SELECT \(Self.hitColumns) FROM term WHERE primary_lang = ?1 AND compact = ?2 UNION ALL SELECT \(Self.hitColumns) FROM term WHERE primary_lang = ?1 AND exact = ?2"
        case .fuzzy: return try fuzzyHits(key: key, language: language, limit: fuzzyLimit(forLength: key.utf16.count)).map(\.0)
        }
        return try wrap { db in
            let st = try db.cachedStatement(sql: sql)
            return try Row.fetchAll(st, arguments: [primary, key]).map { hit($0) }
        }.filter { LanguageTag.serves($0.language, request: language) }
    }

    private static let lookupSQL = """
        SELECT 0, \(hitColumns) FROM term WHERE primary_lang = ?1 AND exact = ?2
        UNION ALL SELECT 1, \(hitColumns) FROM term WHERE primary_lang = ?1 AND stem = ?3
        UNION ALL SELECT 2, \(hitColumns) FROM term WHERE primary_lang = ?1 AND compact = ?4
        UNION ALL SELECT 2, \(hitColumns) FROM term WHERE primary_lang = ?1 AND exact = ?4
        """
    /// For a one-word query the compact key is the exact key: three searches suffice.
    private static let lookupOneWordSQL = """
        SELECT 0, \(hitColumns) FROM term WHERE primary_lang = ?1 AND exact = ?2
        UNION ALL SELECT 1, \(hitColumns) FROM term WHERE primary_lang = ?1 AND stem = ?3
        UNION ALL SELECT 2, \(hitColumns) FROM term WHERE primary_lang = ?1 AND compact = ?2
        """

    /// The exact, stem and compact keys in one statement (four index searches, one round trip).
    public func lookupHits(exact: String, stem: String, compact: String, language: String) throws -> [(KeyHit, MatchKind)] {
        let primary = LanguageTag.primary(language)
        return try wrap { db in
            let oneWord = compact == exact
            let st = try db.cachedStatement(sql: oneWord ? Self.lookupOneWordSQL : Self.lookupSQL)
            var out: [(KeyHit, MatchKind)] = []
            let cursor = try Row.fetchCursor(st, arguments: oneWord ? [primary, exact, stem] : [primary, exact, stem, compact])
            while let row = try cursor.next() {
                let kind: Int = row[0]
                let h = KeyHit(ref: TermRef(concept: Int(row[2] as Int64), ordinal: Int(row[3] as Int64)), language: row[4], text: row[5])
                guard LanguageTag.serves(h.language, request: language) else { continue }
                out.append((h, kind == 0 ? .exact : kind == 1 ? .inflected : .variant))
            }
            return out
        }
    }

    /// Fuzzy candidates share the key's first character (a B-tree range on the exact key);
    /// a typo in the very first letter is not found in an index (it is in memory).
    public func fuzzyHits(key: String, language: String, limit: Int) throws -> [(KeyHit, Int)] {
        guard limit > 0, let first = key.unicodeScalars.first else { return [] }
        let lower = String(first)
        let upper = String(Unicode.Scalar(first.value + 1) ?? first) // next scalar: end of the range
        let q = Array(key.utf16)
        let primary = LanguageTag.primary(language)
        return try wrap { db in
            let st = try db.cachedStatement(sql: "SELECT \(Self.hitColumns), exact FROM term WHERE primary_lang = ? AND exact >= ? AND exact < ?")
            var out: [(KeyHit, Int)] = []
            let cursor = try Row.fetchCursor(st, arguments: [primary, lower, upper])
            while let row = try cursor.next() {
                let exact: String = row[6]
                let candidate = Array(exact.utf16)
                if abs(candidate.count - q.count) > limit { continue }
                let d = editDistance(q, candidate, limit: limit)
                if d <= limit { out.append((hit(row), d)) }
            }
            return out
        }.filter { LanguageTag.serves($0.0.language, request: language) }
    }

    public func forEachTerm(language: String, _ body: (TermRef, String, TermStatus?) throws -> Void) throws {
        let primary = LanguageTag.primary(language)
        try wrap { db in
            let st = try db.makeStatement(sql: "SELECT concept, ordinal, lang, text, status FROM term NOT INDEXED WHERE primary_lang = ?")
            let cursor = try Row.fetchCursor(st, arguments: [primary])
            while let row = try cursor.next() {
                let lang: String = row[2]
                guard LanguageTag.serves(lang, request: language) else { continue }
                try body(TermRef(concept: Int(row[0] as Int64), ordinal: Int(row[1] as Int64)), row[3], Self.status(row[4]))
            }
        }
    }

    /// Terms whose exact or stem key is one of `keys`, for recognition by probing: each result
    /// names the key it was found under.
    func probe(keys: [String], language: String) throws -> [(key: String, stem: String, hit: KeyHit, status: TermStatus?)] {
        guard !keys.isEmpty else { return [] }
        let primary = LanguageTag.primary(language)
        var args: [any DatabaseValueConvertible] = [primary]
        args += keys
        return try wrap { db in
            let st = try db.cachedStatement(sql: Self.probeSQL(count: keys.count))
            let rows = try Row.fetchAll(st, arguments: StatementArguments(args))
            return rows.map { row -> (key: String, stem: String, hit: KeyHit, status: TermStatus?) in
                (key: row[6] as String, stem: row[7] as String, hit: hit(row), status: Self.status(row[5] as Int))
            }
        }.filter { LanguageTag.serves($0.hit.language, request: language) }
    }

    private static func probeSQL(count: Int) -> String {
        let marks = (0..<count).map { "?\($0 + 2)" }.joined(separator: ",")
        return "SELECT \(hitColumns), exact, stem FROM term WHERE primary_lang = ?1 AND exact IN (\(marks)) UNION SELECT \(hitColumns), exact, stem FROM term WHERE primary_lang = ?1 AND stem IN (\(marks))"
    }

    // MARK: building

    /// Builds an index at `output` from TBX/CSV/TSV files, streaming them (memory stays flat).
    ///
    /// The index is written to a `.verso-tmp-*` file beside `output` and renamed into place only
    /// when complete: a malformed input stops the build with its location and leaves no index,
    /// and an existing index at `output` is replaced only by a complete one.
    @discardableResult
    public static func build(from inputs: [String], to output: String, name: String? = nil) throws -> TermIndexBuildReport {
        let outURL = URL(fileURLWithPath: output).standardizedFileURL
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path == outURL.resolvingSymlinksInPath().path {
            throw FileAccessError(path: output, "refusing to overwrite the input file")
        }
        let folder = outURL.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileAccessError(path: folder, "cannot create output folder")
        }
        AtomicFile.removeStaleTemporaries(in: folder)
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let temp = URL(fileURLWithPath: folder).appendingPathComponent("\(AtomicFile.temporaryPrefix)\(getpid())-\(random)-\(outURL.lastPathComponent)").path
        func cleanup() {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temp + suffix) }
        }
        do {
            let report = try write(inputs: inputs, to: temp, displayOutput: output, name: name ?? TermbaseFile.defaultName(for: output))
            guard rename(temp, output) == 0 else {
                let reason = InputFile.describe(errno: errno)
                cleanup()
                throw FileAccessError(path: output, "cannot move the index into place: \(reason)")
            }
            return report
        } catch {
            cleanup()
            throw error
        }
    }

    private static func write(inputs: [String], to path: String, displayOutput: String, name: String) throws -> TermIndexBuildReport {
        var config = Configuration()
        config.label = "verso.term-index.build"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let e as DatabaseError {
            throw TermbaseError("cannot create the index: \(e.message ?? e.description)", file: displayOutput)
        }
        var report = TermIndexBuildReport(conceptCount: 0, termCount: 0, languages: [], findings: [])
        do {
            try queue.inDatabase { db in
                // A temporary file renamed at the end: durability comes from the rename, not
                // from SQLite's journal.
                try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA page_size = 8192; PRAGMA cache_size = -65536")
                try db.execute(sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE concept(id INTEGER PRIMARY KEY, concept_id TEXT NOT NULL, source TEXT NOT NULL,
                        subject TEXT, definition TEXT, notes TEXT, first_term INTEGER NOT NULL, term_count INTEGER NOT NULL,
                        has_sections INTEGER NOT NULL);
                    CREATE TABLE section(concept INTEGER NOT NULL, lang TEXT NOT NULL, definition TEXT, notes TEXT);
                    CREATE TABLE term(id INTEGER PRIMARY KEY, concept INTEGER NOT NULL, ordinal INTEGER NOT NULL,
                        lang TEXT NOT NULL, primary_lang TEXT NOT NULL, text TEXT NOT NULL, status INTEGER NOT NULL,
                        pos TEXT, term_type TEXT, gender TEXT, context TEXT, notes TEXT, term_id TEXT,
                        exact TEXT NOT NULL, stem TEXT NOT NULL, compact TEXT);
                    """)
                try db.inTransaction {
                let conceptInsert = try db.makeStatement(sql: "INSERT INTO concept VALUES (?,?,?,?,?,?,?,?,?)")
                let sectionInsert = try db.makeStatement(sql: "INSERT INTO section VALUES (?,?,?,?)")
                let termInsert = try db.makeStatement(sql: "INSERT INTO term VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                var conceptID: Int64 = 0
                var termID: Int64 = 1
                var maxTokens = 1
                var languages: [String] = []
                var stemmers: [String: LightStemmer] = [:]
                for input in inputs {
                    let source = TermbaseFile.defaultName(for: input)
                    let result = try TermbaseFile.forEachConcept(path: input) { concept in
                        conceptID += 1
                        let first = termID
                        var ordinal: Int64 = 0
                        var hasSections = false
                        for section in concept.languageSections {
                            if !languages.contains(section.language) { languages.append(section.language) }
                            let primary = LanguageTag.primary(section.language)
                            let stemmer = stemmers[primary] ?? LightStemmer(language: primary)
                            stemmers[primary] = stemmer
                            if section.definition != nil || !section.notes.isEmpty {
                                hasSections = true
                                try sectionInsert.execute(arguments: [conceptID, section.language, section.definition, join(section.notes)])
                            }
                            for term in section.terms {
                                let words = Tokenizer.tokens(of: term.text).map(\.folded)
                                maxTokens = max(maxTokens, words.count)
                                let keys = SearchKeys(tokens: words, stemmer: stemmer)
                                let compact: String? = words.count > 1 ? keys.compact : nil
                                let args: StatementArguments = [
                                    termID, conceptID, ordinal, section.language, primary, term.text, statusCode(term.status),
                                    term.partOfSpeech, term.termType, term.grammaticalGender, term.context, join(term.notes), term.id,
                                    keys.exact, keys.stem, compact,
                                ]
                                termInsert.setUncheckedArguments(args)
                                try termInsert.execute()
                                termID += 1
                                ordinal += 1
                            }
                        }
                        try conceptInsert.execute(arguments: [conceptID, concept.id, source, concept.subjectField, concept.definition, join(concept.notes), first, termID - first, hasSections])
                    }
                    report.findings += result.findings
                }
                try db.execute(sql: """
                    CREATE INDEX term_exact ON term(primary_lang, exact);
                    CREATE INDEX term_stem ON term(primary_lang, stem);
                    CREATE INDEX term_compact ON term(primary_lang, compact) WHERE compact IS NOT NULL;
                    CREATE INDEX section_concept ON section(concept);
                    """)
                let meta: [(String, String)] = [
                    ("format", formatName), ("version", String(formatVersion)), ("name", name),
                    ("languages", languages.joined(separator: ",")), ("concepts", String(conceptID)),
                    ("terms", String(termID - 1)), ("max_tokens", String(maxTokens)),
                    ("sources", inputs.map { TermbaseFile.defaultName(for: $0) }.joined(separator: ",")),
                ]
                for (k, v) in meta { try db.execute(sql: "INSERT INTO meta VALUES (?, ?)", arguments: [k, v]) }
                report.conceptCount = Int(conceptID)
                report.termCount = Int(termID - 1)
                report.languages = languages
                return .commit
                }
                try db.execute(sql: "ANALYZE")
            }
            try queue.close()
        } catch let e as DatabaseError {
            try? queue.close()
            throw TermbaseError("cannot write the index: \(e.message ?? e.description)", file: displayOutput)
        } catch {
            try? queue.close()
            throw error
        }
        return report
    }
}
