import Diagnostics
import FileAccess
import Foundation
import TranslationModel

/// What a column of a CSV glossary holds, from its header.
enum CSVColumn: Hashable {
    case conceptID
    case subject
    case partOfSpeech
    case definition
    case note
    /// Terms of a language with the status the column's suffix gives (none: preferred).
    case terms(language: String, status: TermStatus)
    /// Definition in one language (`fr_definition`).
    case languageDefinition(String)
    /// Note in one language (`fr_note`).
    case languageNote(String)
    case ignored

    /// Reads a header cell.
    static func parse(_ header: String) -> CSVColumn? {
        let h = trimmed(header, newlines: false)
        let lower = h.lowercased()
        switch lower {
        case "concept_id", "conceptid", "concept", "id", "entry_id": return .conceptID
        case "subject", "subject_field", "subjectfield", "domain": return .subject
        case "pos", "part_of_speech", "partofspeech": return .partOfSpeech
        case "definition": return .definition
        case "note", "notes", "comment": return .note
        default: break
        }
        let suffixes = ["_variant", "_variants", "_admitted", "_synonym", "_synonyms", "_preferred", "_deprecated",
                        "_obsolete", "_forbidden", "_definition", "_note", "_notes"]
        for suffix in suffixes where lower.hasSuffix(suffix) {
            let lang = hyphenated(h.dropLast(suffix.count))
            guard isLanguageTag(lang) else { continue }
            switch suffix {
            case "_preferred": return .terms(language: lang, status: .preferred)
            case "_deprecated", "_obsolete": return .terms(language: lang, status: .deprecated)
            case "_forbidden": return .terms(language: lang, status: .forbidden)
            case "_definition": return .languageDefinition(lang)
            case "_note", "_notes": return .languageNote(lang)
            default: return .terms(language: lang, status: .admitted)
            }
        }
        if isLanguageTag(h) { return .terms(language: hyphenated(Substring(h)), status: .preferred) }
        return nil
    }

    /// `s` with `_` replaced by `-` (`pt_BR` → `pt-BR`), scalar by scalar as Foundation's
    /// `replacingOccurrences` did, without its cost (a header is read by every run).
    private static func hyphenated(_ s: Substring) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(u == "_" ? "-" : u) }
        return String(out)
    }

    /// `fr`, `en-GB`, `zh-Hans-CN`, `pt_BR`: a primary subtag of 2–3 letters and optional subtags.
    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// Streams the concepts of a CSV or TSV glossary: a header row naming one column per language
/// (`fr`, `en`, `en-GB`; `|` between synonyms) plus the reserved columns `concept_id`,
/// `subject`, `pos`, `definition`, `note` and, per language, `<lang>_variant` (admitted terms),
/// `<lang>_deprecated`, `<lang>_forbidden`, `<lang>_definition`, `<lang>_note`. Terms in a plain
/// language column are the preferred ones. Consecutive rows with the same `concept_id` are one
/// concept. This is the layout `make_inputs.py glossary --format csv` writes.
///
/// With a `LanguageScope`, the columns of other languages are not converted and their problems
/// not reported; a row whose terms are all outside the scope still gives its concept, without
/// sections, so that concepts keep the places and merging they have when every language is read.
public final class CSVTermbaseReader {
    /// The languages named in the header, in order.
    public private(set) var languages: [String] = []
    /// Problems that let reading go on (an unknown column, a row without terms).
    public private(set) var findings: [Finding] = []

    private var records: CSVRecordReader
    private var columns: [CSVColumn] = []
    private var pending: Concept?
    private var pendingLine = 0
    private var finished = false
    private let displayPath: String
    /// The languages whose columns are converted.
    public let scope: LanguageScope

    /// Opens `path` and reads its header. `delimiter` nil: TAB for `.tsv`, else guessed.
    /// `scope`: the languages whose columns are read (default: all).
    public init(path: String, displayPath: String? = nil, delimiter: Character? = nil, scope: LanguageScope = .all) throws {
        self.displayPath = displayPath ?? path
        self.scope = scope
        records = try CSVRecordReader(path: path, displayPath: self.displayPath, delimiter: delimiter.flatMap { $0.asciiValue })
        guard let header = try records.next() else {
            throw TermbaseError("empty file: a CSV glossary starts with a header row (e.g. concept_id,fr,en)", file: self.displayPath, line: 1)
        }
        for (i, cell) in header.fields.enumerated() {
            if let column = CSVColumn.parse(cell) {
                columns.append(column)
                if case .terms(let lang, _) = column, !languages.contains(where: { LanguageTag.same($0, lang) }) { languages.append(lang) }
            } else {
                columns.append(.ignored)
                if !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                    findings.append(Finding(.warning, "column '\(cell)' is neither a language code nor a known column; ignored", at: SourceLocation(file: self.displayPath, line: header.line, column: i + 1), code: "csv.column"))
                }
            }
        }
        if languages.isEmpty {
            throw TermbaseError("the header names no language column (expected e.g. concept_id,fr,en); found: \(header.fields.joined(separator: ","))", file: self.displayPath, line: header.line)
        }
    }

    deinit { records.closeFile() }

    /// The next concept, or nil at the end of the file.
    public func next() throws -> Concept? {
        while !finished {
            guard let record = try records.next() else {
                finished = true
                break
            }
            if record.fields.count == 1 && trimmed(record.fields[0], newlines: false).isEmpty { continue } // blank line
            if record.fields.count > columns.count {
                throw TermbaseError("row has \(record.fields.count) fields but the header has \(columns.count); quote fields that contain the separator", file: displayPath, line: record.line)
            }
            let concept = convert(record)
            guard let concept else { continue }
            if var p = pending, p.id == concept.id {
                merge(concept, into: &p)
                pending = p
                continue
            }
            let out = pending
            pending = concept
            pendingLine = record.line
            if let out { return out }
        }
        defer { pending = nil }
        return pending
    }

    /// Reads every remaining concept.
    public func readAll() throws -> [Concept] {
        var out: [Concept] = []
        while let c = try next() { out.append(c) }
        return out
    }

    /// Reads a whole CSV glossary into a `Termbase` named after the file.
    public static func read(path: String, displayPath: String? = nil, name: String? = nil, scope: LanguageScope = .all) throws -> (Termbase, [Finding]) {
        let reader = try CSVTermbaseReader(path: path, displayPath: displayPath, scope: scope)
        let concepts = try reader.readAll()
        return (Termbase(name: name ?? TermbaseFile.defaultName(for: path), language: reader.languages.first, concepts: concepts), reader.findings)
    }

    private func merge(_ c: Concept, into p: inout Concept) {
        for s in c.languageSections {
            for t in s.terms where !p.terms(in: s.language).contains(where: { $0.text == t.text }) { p.add(t, language: s.language) }
        }
        p.notes += c.notes.filter { !p.notes.contains($0) }
        if p.subjectField == nil { p.subjectField = c.subjectField }
        if p.definition == nil { p.definition = c.definition }
    }

    private func convert(_ record: Record) -> Concept? {
        var id: String?
        var concept = Concept(id: "")
        var pos: String?
        var termOutsideScope = false
        for (i, raw) in record.fields.enumerated() {
            let value = trimmed(raw, newlines: true)
            guard !value.isEmpty else { continue }
            switch columns[i] {
            case .conceptID: id = value
            case .subject: concept.subjectField = value
            case .partOfSpeech: pos = value
            case .definition: concept.definition = value
            case .note: concept.notes.append(value)
            case .terms(let lang, _) where !scope.includes(lang):
                // The cell is trimmed: unless it starts with `|`, its first synonym is a term.
                if !termOutsideScope {
                    termOutsideScope = value.utf8.first != 0x7C || value.split(separator: "|").contains { !trimmed($0, newlines: false).isEmpty }
                }
            case .languageDefinition(let lang) where !scope.includes(lang), .languageNote(let lang) where !scope.includes(lang):
                break
            case .terms(let lang, let status):
                for part in value.split(separator: "|") {
                    let text = trimmed(part, newlines: false)
                    if !text.isEmpty { concept.add(Term(text, status: status), language: lang) }
                }
            case .languageDefinition(let lang):
                concept.languageSections[sectionIndex(lang, in: &concept)].definition = value
            case .languageNote(let lang):
                concept.languageSections[sectionIndex(lang, in: &concept)].notes.append(value)
            case .ignored: break
            }
        }
        concept.languageSections.removeAll { $0.terms.isEmpty }
        guard !concept.languageSections.isEmpty || termOutsideScope else {
            findings.append(Finding(.warning, "row without any term; skipped", at: SourceLocation(file: displayPath, line: record.line), code: "csv.empty-row"))
            return nil
        }
        if let pos {
            for s in concept.languageSections.indices {
                for t in concept.languageSections[s].terms.indices { concept.languageSections[s].terms[t].partOfSpeech = pos }
            }
        }
        concept.id = id ?? "row-\(record.line)"
        return concept
    }

    private typealias Record = CSVRecordReader.Record

    private func sectionIndex(_ lang: String, in concept: inout Concept) -> Int {
        if let i = concept.languageSections.firstIndex(where: { $0.language == lang }) { return i }
        concept.languageSections.append(LanguageSection(language: lang))
        return concept.languageSections.count - 1
    }
}

/// Writes concepts as a CSV (or TSV) glossary that `CSVTermbaseReader` reads back: the
/// columns are `concept_id`, `subject`, `pos`, `definition`, `note` when any concept uses them,
/// then per language the preferred terms, `<lang>_variant` (admitted), `<lang>_deprecated`,
/// `<lang>_forbidden`, `<lang>_definition`, `<lang>_note` when used. Synonyms are joined with
/// `|`; a term without a status goes with the preferred ones (CSV cannot say "no status").
/// Several notes are joined with " | " too; the part of speech is the first one a term gives.
public enum CSVTermbaseWriter {
    /// The document for `concepts`, languages in `languages` order (default: order of appearance).
    public static func data(_ concepts: [Concept], languages: [String]? = nil, delimiter: Character = ",") -> [UInt8] {
        var langs = languages ?? []
        if languages == nil {
            for c in concepts { for l in c.languages where !langs.contains(l) { langs.append(l) } }
        }
        var columns: [CSVColumn] = [.conceptID]
        if concepts.contains(where: { $0.subjectField != nil }) { columns.append(.subject) }
        if concepts.contains(where: { c in c.languageSections.contains { s in s.terms.contains { $0.partOfSpeech != nil } } }) { columns.append(.partOfSpeech) }
        if concepts.contains(where: { $0.definition != nil }) { columns.append(.definition) }
        if concepts.contains(where: { !$0.notes.isEmpty }) { columns.append(.note) }
        func sections(_ c: Concept, _ l: String) -> [LanguageSection] { c.languageSections.filter { $0.language == l } }
        for l in langs {
            columns.append(.terms(language: l, status: .preferred))
            for status in [TermStatus.admitted, .deprecated, .forbidden] where concepts.contains(where: { c in sections(c, l).contains { $0.terms.contains { $0.status == status } } }) {
                columns.append(.terms(language: l, status: status))
            }
            if concepts.contains(where: { c in sections(c, l).contains { $0.definition != nil } }) { columns.append(.languageDefinition(l)) }
            if concepts.contains(where: { c in sections(c, l).contains { !$0.notes.isEmpty } }) { columns.append(.languageNote(l)) }
        }
        func header(_ c: CSVColumn) -> String {
            switch c {
            case .conceptID: return "concept_id"
            case .subject: return "subject"
            case .partOfSpeech: return "pos"
            case .definition: return "definition"
            case .note: return "note"
            case .terms(let l, .preferred): return l
            case .terms(let l, .admitted): return l + "_variant"
            case .terms(let l, .deprecated): return l + "_deprecated"
            case .terms(let l, .forbidden): return l + "_forbidden"
            case .languageDefinition(let l): return l + "_definition"
            case .languageNote(let l): return l + "_note"
            case .ignored: return ""
            }
        }
        var out: [UInt8] = []
        func row(_ cells: [String]) {
            for (i, cell) in cells.enumerated() {
                if i > 0 { out.append(contentsOf: String(delimiter).utf8) }
                out.append(contentsOf: quote(cell, delimiter: delimiter).utf8)
            }
            out.append(0x0A)
        }
        row(columns.map(header))
        for c in concepts {
            row(columns.map { col in
                switch col {
                case .conceptID: return c.id
                case .subject: return c.subjectField ?? ""
                case .partOfSpeech:
                    return c.languageSections.lazy.flatMap(\.terms).compactMap(\.partOfSpeech).first ?? ""
                case .definition: return c.definition ?? ""
                case .note: return c.notes.joined(separator: " | ")
                case .terms(let l, let status):
                    return sections(c, l).flatMap(\.terms).filter { ($0.status ?? .preferred) == status }.map(\.text).joined(separator: "|")
                case .languageDefinition(let l): return sections(c, l).compactMap(\.definition).first ?? ""
                case .languageNote(let l): return sections(c, l).flatMap(\.notes).joined(separator: " | ")
                case .ignored: return ""
                }
            })
        }
        return out
    }

    /// A field quoted when it holds the separator, a quote, a line break or outer spaces.
    static func quote(_ s: String, delimiter: Character) -> String {
        let needs = s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.hasPrefix(" ") || s.hasSuffix(" ")
        guard needs else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes `concepts` to `path` atomically (TAB-separated when the name ends in `.tsv`).
    public static func write(_ concepts: [Concept], to path: String, languages: [String]? = nil, protectedInputs: [String] = []) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        let bytes = data(concepts, languages: languages, delimiter: ext == "tsv" || ext == "tab" ? "\t" : ",")
        try AtomicFile.write(bytes, to: path, protectedInputs: protectedInputs)
    }
}

/// `text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)`, without
/// Foundation when both ends are ASCII other than white space: then there is nothing to trim,
/// which is every cell of a tidy file, and Foundation's trimming (through `NSString` on Linux)
/// was most of the time of reading one.
func trimmed(_ text: String, newlines: Bool) -> String {
    guard let first = text.utf8.first, let last = lastLeadByte(text.utf8) else { return "" }
    if isKeptEdge(first, newlines: newlines) && isKeptEdge(last, newlines: newlines) { return text }
    return text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
}

/// `trimmed` for a part of a string.
func trimmed(_ text: Substring, newlines: Bool) -> String {
    guard let first = text.utf8.first, let last = lastLeadByte(text.utf8) else { return "" }
    if isKeptEdge(first, newlines: newlines) && isKeptEdge(last, newlines: newlines) { return String(text) }
    return text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
}

/// The first byte of the last scalar of `utf8`, nil when it is empty.
@inline(__always) private func lastLeadByte<C: BidirectionalCollection<UInt8>>(_ utf8: C) -> UInt8? {
    guard var i = utf8.indices.last else { return nil }
    while utf8[i] & 0xC0 == 0x80 && i != utf8.startIndex { i = utf8.index(before: i) }
    return utf8[i]
}

/// The first byte of a scalar that trimming keeps at an edge: ASCII other than a space or tab
/// (or a line break with `newlines`); any other scalar save those starting with C2, E1, E2 or
/// E3, the lead bytes of the white space outside ASCII (U+0085, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F, U+3000), where Foundation decides. Cells in Cyrillic or
/// Greek, or starting with an accented capital, no longer go through Foundation.
@inline(__always) private func isKeptEdge(_ b: UInt8, newlines: Bool) -> Bool {
    if b < 0x80 { return b != 0x20 && b != 0x09 && !(newlines && b >= 0x0A && b <= 0x0D) }
    return b != 0xC2 && b != 0xE1 && b != 0xE2 && b != 0xE3
}
