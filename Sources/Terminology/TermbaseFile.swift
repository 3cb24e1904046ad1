import Diagnostics
import FileAccess
import Foundation
import TranslationModel

/// The file formats a termbase can come in.
public enum TermbaseFileFormat: String, Sendable, Hashable, CaseIterable {
    /// TBX (2008 `martif` or 2019 `tbx`).
    case tbx
    /// Comma- (or semicolon-) separated values with a header row.
    case csv
    /// Tab-separated values with a header row.
    case tsv
    /// A SQLite index written by `verso glossary index`.
    case sqlite
}

/// Opening termbase files whatever their format.
public enum TermbaseFile {
    /// The name a termbase gets from its file: the file name without its extension.
    public static func defaultName(for path: String) -> String {
        let base = (path as NSString).lastPathComponent
        let ext = (base as NSString).pathExtension
        return ext.isEmpty ? base : String(base.dropLast(ext.count + 1))
    }

    /// The format of `path`, from its extension and, failing that, its first bytes.
    public static func format(of path: String) throws -> TermbaseFileFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "tbx", "xml", "mtf": return .tbx
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "sqlite", "sqlite3", "db": return .sqlite
        default: break
        }
        try InputFile.checkReadable(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FileAccessError(path: path, "cannot open file for reading") }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        if head.starts(with: Array("SQLite format 3".utf8)) { return .sqlite }
        let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        if text.hasPrefix("<") { return .tbx }
        let firstLine = text.split(separator: "\n", maxSplits: 1).first ?? ""
        return firstLine.contains("\t") && !firstLine.contains(",") ? .tsv : .csv
    }

    /// Reads a TBX, CSV or TSV file whole into memory, with the warnings reading produced.
    /// `scope`: the languages whose sections are read (see `LanguageScope`; default: all).
    /// Goes through `TermbaseCache.shared` when there is one: a compiled copy made from the
    /// file as it is now is loaded instead, with the same warnings.
    public static func read(path: String, displayPath: String? = nil, scope: LanguageScope = .all) throws -> (Termbase, [Finding]) {
        try read(path: path, displayPath: displayPath, scope: scope, cache: TermbaseCache.shared)
    }

    /// `read(path:displayPath:scope:)` through `cache` (none when nil).
    public static func read(path: String, displayPath: String? = nil, scope: LanguageScope = .all, cache: TermbaseCache?) throws -> (Termbase, [Finding]) {
        let format = try format(of: path)
        if format == .sqlite {
            throw TermbaseError("a SQLite index is opened with TermIndex, not read into memory", file: displayPath ?? path)
        }
        let shown = displayPath ?? path
        let entry = cache?.entry(for: path, scope: scope)
        if let entry, let compiled = entry.load(displayPath: shown) { return compiled }
        let read = format == .tbx
            ? try TBXReader.read(path: path, displayPath: displayPath, scope: scope)
            : try CSVTermbaseReader.read(path: path, displayPath: displayPath, scope: scope)
        entry?.store(read.0, read.1, displayPath: shown)
        return read
    }

    /// Streams the concepts of a TBX, CSV or TSV file, calling `body` for each; returns the
    /// warnings. Memory stays flat whatever the file's size.
    public static func forEachConcept(path: String, displayPath: String? = nil, _ body: (Concept) throws -> Void) throws -> (language: String?, description: String?, findings: [Finding]) {
        switch try format(of: path) {
        case .tbx:
            let r = try TBXReader(path: path, displayPath: displayPath)
            while let c = try r.next() { try body(c) }
            return (r.language, r.sourceDescription, r.findings)
        case .csv, .tsv:
            let r = try CSVTermbaseReader(path: path, displayPath: displayPath)
            while let c = try r.next() { try body(c) }
            return (r.languages.first, nil, r.findings)
        case .sqlite:
            throw TermbaseError("cannot read a SQLite index as a termbase source; give the TBX or CSV files it was built from", file: displayPath ?? path)
        }
    }

    /// Opens `path` as a store: a SQLite index is queried on disk, anything else is read into memory.
    public static func open(path: String, displayPath: String? = nil) throws -> (any TermStore, [Finding]) {
        if try format(of: path) == .sqlite {
            return (try TermIndex(path: path, displayPath: displayPath), [])
        }
        let (tb, findings) = try read(path: path, displayPath: displayPath)
        return (InMemoryTermStore(tb), findings)
    }
}

extension Glossary {
    /// Opens every file of `paths` (TBX, CSV, TSV, SQLite index), in order.
    public static func open(paths: [String]) throws -> (Glossary, [Finding]) {
        var stores: [any TermStore] = []
        var findings: [Finding] = []
        for p in paths {
            let (s, f) = try TermbaseFile.open(path: p)
            stores.append(s)
            findings += f
        }
        return (Glossary(stores: stores), findings)
    }
}
