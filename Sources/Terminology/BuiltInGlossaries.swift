import Diagnostics
import Foundation
import Synchronization
import TranslationModel

/// The glossaries shipped in the repository's `Glossaries/` folder, used when no `--glossary`
/// is given.
///
/// Found at run time, first match wins: the folder named by `VERSO_GLOSSARIES`; `Glossaries/`
/// beside the executable or `../share/verso/Glossaries` above it (an installed copy); the
/// `Glossaries/` folder of the source checkout the binary was built from (`swift run`, and a
/// binary run from `.build/`). A plain search path rather than SwiftPM resources, because the
/// generated `Bundle.module` accessor stops the program when the bundle is not beside the
/// binary, which is exactly the case of an installed copy.
public enum BuiltInGlossaries {
    /// File extensions that are glossaries.
    static let extensions: Set<String> = ["tbx", "csv", "tsv"]

    /// The folders searched, in order.
    public static var searchPath: [URL] {
        var out: [URL] = []
        // getenv rather than `ProcessInfo.environment`, which copies the whole environment
        // into a dictionary to give one variable.
        if let value = getenv("VERSO_GLOSSARIES"), value.pointee != 0 {
            out.append(URL(fileURLWithPath: String(cString: value)))
        }
        if let exe = resolvedExecutableURL {
            let dir = exe.deletingLastPathComponent()
            out.append(dir.appendingPathComponent("Glossaries"))
            out.append(dir.deletingLastPathComponent().appendingPathComponent("share/verso/Glossaries"))
        }
        // Sources/Terminology/BuiltInGlossaries.swift → repository root.
        let source = URL(fileURLWithPath: #filePath)
        out.append(source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Glossaries"))
        return out
    }

    /// The running executable, symbolic links resolved. On Linux read from `/proc/self/exe`,
    /// which the kernel gives resolved already (resolving it again cost a system call per
    /// component of the path): `Bundle.main` sets up Foundation's bundle machinery on first
    /// use, about ten milliseconds of every run of a command that only needs this one path.
    private static var resolvedExecutableURL: URL? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    /// The folder in use, or nil when none of the search path holds a glossary.
    public static var directory: URL? { found.directory }

    /// The folder in use and its glossary files, looked for once per process (as the
    /// termbases are read once): the search resolves the executable's path and lists folders,
    /// and a run asked for them twice (names for reports, files to read).
    private static let found: (directory: URL?, files: [URL]) = {
        for folder in searchPath {
            let names = files(in: folder)
            if !names.isEmpty { return (folder, names) }
        }
        return (nil, [])
    }()

    static func files(in folder: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// The glossary files, sorted by name.
    public static var files: [URL] { found.files }

    /// The built-in termbases, read once per process. A concept whose id appears in several
    /// files (`country-BY` in `countries.tbx` and `news-fr-en.csv`) is one concept: later
    /// files add their terms and notes to the first file's entry.
    public static func termbases() throws -> [Termbase] {
        try termbases(scope: .all)
    }

    /// The built-in termbases with the sections of the languages of `scope` only (see
    /// `LanguageScope`), read once per process and scope; the whole set when it has been read.
    /// Concepts keep the handles they have in the whole set, and errors in any language are
    /// reported as when reading it whole.
    public static func termbases(scope: LanguageScope) throws -> [Termbase] {
        try cache.withLock { known in
            if let all = known[.all] { return try all.get() }
            if let read = known[scope] { return try read.get() }
            let read = Result { try load(files, scope: scope) }
            known[scope] = read
            return try read.get()
        }
    }

    /// Termbases read so far, by scope. Loaded under the lock: threads that ask for the same
    /// scope at start-up wait for one reading rather than each doing it.
    private static let cache = Mutex<[LanguageScope: Result<[Termbase], any Error>]>([:])

    /// Reads and merges glossary files as the built-in set is.
    public static func load(_ urls: [URL], scope: LanguageScope = .all) throws -> [Termbase] {
        var bases: [Termbase] = []
        var owner: [String: (Int, Int)] = [:] // concept id → (termbase, concept)
        for url in urls {
            var (tb, _) = try TermbaseFile.read(path: url.path, scope: scope)
            var kept: [Concept] = []
            for c in tb.concepts {
                if let (b, i) = owner[c.id] {
                    bases[b].concepts[i] = merged(bases[b].concepts[i], c)
                } else {
                    owner[c.id] = (bases.count, kept.count)
                    kept.append(c)
                }
            }
            tb.concepts = kept
            bases.append(tb)
        }
        return bases
    }

    /// `a` with the terms, definitions and notes of `b` it lacks; `b`'s status wins for a term
    /// both list, since later files are the curated ones. Also how recognition combines the
    /// entries of several termbases that share a concept id.
    public static func merged(_ a: Concept, _ b: Concept) -> Concept {
        var out = a
        if out.subjectField == nil { out.subjectField = b.subjectField }
        if out.definition == nil { out.definition = b.definition }
        out.notes += b.notes.filter { !out.notes.contains($0) }
        for section in b.languageSections {
            if let si = out.languageSections.firstIndex(where: { LanguageTag.same($0.language, section.language) }) {
                if out.languageSections[si].definition == nil { out.languageSections[si].definition = section.definition }
                out.languageSections[si].notes += section.notes.filter { !out.languageSections[si].notes.contains($0) }
                for t in section.terms {
                    if let ti = out.languageSections[si].terms.firstIndex(where: { $0.text == t.text }) {
                        var existing = out.languageSections[si].terms[ti]
                        existing.status = t.status ?? existing.status
                        existing.partOfSpeech = existing.partOfSpeech ?? t.partOfSpeech
                        existing.notes += t.notes.filter { !existing.notes.contains($0) }
                        out.languageSections[si].terms[ti] = existing
                    } else {
                        out.languageSections[si].terms.append(t)
                    }
                }
            } else {
                out.languageSections.append(section)
            }
        }
        return out
    }

    /// The built-in glossaries as one `Glossary`.
    public static func glossary() throws -> Glossary {
        try glossary(scope: .all)
    }

    /// The built-in glossaries as one `Glossary`, with the languages of `scope` only: what
    /// recognising terms from one language into another needs (`TermRecognizers`). Built once
    /// per scope.
    public static func glossary(scope: LanguageScope) throws -> Glossary {
        try glossaries.withLock { known in
            if let g = known[.all] ?? known[scope] { return g }
            let g = Glossary(stores: try termbases(scope: scope).map { InMemoryTermStore($0) })
            known[scope] = g
            return g
        }
    }

    /// Glossaries made so far, by scope: the stores' indexes are built once per process.
    private static let glossaries = Mutex<[LanguageScope: Glossary]>([:])
}
