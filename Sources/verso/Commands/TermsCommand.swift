import ArgumentParser
import Diagnostics
import FileAccess
import Formats
import Foundation
import Terminology
import TranslationModel
import XLIFF

/// `verso terms FILE --from fr --to en`: every glossary term in a text or XLIFF file.
struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "List the glossary terms found in text or XLIFF files.",
        discussion: """
            Finds every occurrence of every term, longest match first, multi-word terms included, \
            however it is inflected or capitalised (see `verso lookup`), never inside inline codes. \
            Prints each occurrence with its equivalents in the target language; warns about deprecated \
            and forbidden terms (errors under --strict). For XLIFF, the segments' source text is read \
            and the source language defaults to the file's.
            """
    )

    @Argument(help: ArgumentHelp("Text or XLIFF files.", valueName: "file"))
    var files: [String]

    @OptionGroup var languages: LanguageOptions
    @OptionGroup var glossary: GlossaryOptions
    @OptionGroup var reporting: ReportingOptions

    @Flag(name: .customLong("nested"), help: "Also list terms nested in longer ones (e.g. 'mobilisation' inside 'mobilisation partielle').")
    var nested = false

    private struct Located {
        var occurrence: TermOccurrence
        var location: SourceLocation
        var unit: String?
        var segment: String?
    }

    private struct FileResult {
        var path: String
        var source: String
        var occurrences: [Located]
    }

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let g: Glossary
        do {
            // With both languages given, every file is read in that pair: the built-in
            // glossaries are read for those two languages only.
            var scope = LanguageScope.all
            if let source = languages.source, let target = languages.target { scope = LanguageScope([source, target]) }
            g = try glossary.open(printer: printer, builtInScope: scope)
        } catch {
            printer.emit(error: error, path: glossary.glossaries.first ?? "glossary")
            throw ExitCode(1)
        }
        var recognizers: [String: TermRecognizer] = [:]
        // Probing an index costs a query per word: for large inputs compiling its terms once is faster.
        let inputBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let strategy: TermRecognizer.IndexStrategy = inputBytes > 4 << 20 ? .compile : .probe
        func recognizer(_ lang: String) throws -> TermRecognizer {
            if let r = recognizers[lang] { return r }
            let r = try TermRecognizer(glossary: g, language: lang, indexStrategy: strategy)
            recognizers[lang] = r
            return r
        }
        var results: [FileResult] = []
        for path in files {
            do {
                let result = try process(path, recognizer: recognizer)
                for l in result.occurrences {
                    if let f = l.occurrence.discouragedTermFinding(at: l.location) { printer.emit(f) }
                }
                results.append(result)
                if !reporting.json { print(render(result), terminator: "") }
            } catch let e as ValidationError {
                throw e
            } catch {
                printer.emit(error: error, path: path)
            }
        }
        if reporting.json { try printJSON(results) }
        if printer.exitCode != 0 { throw ExitCode(printer.exitCode) }
    }

    private func isXLIFF(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        if XLIFFFileExtensions.all.contains(ext) { return true }
        guard let h = FileHandle(forReadingAtPath: path), let head = try? h.read(upToCount: 2048) else { return false }
        try? h.close()
        return String(decoding: head, as: UTF8.self).contains("<xliff")
    }

    private func process(_ path: String, recognizer: (String) throws -> TermRecognizer) throws -> FileResult {
        try InputFile.checkReadable(path)
        if isXLIFF(path) { return try processXLIFF(path, recognizer: recognizer) }
        guard let source = languages.source else {
            throw ValidationError("--source (or --from) is required for plain-text input")
        }
        let text = try TextParagraphChunks.text(path: path)
        let lines = LineIndex(text)
        let occurrences = try recognizer(source).occurrences(in: text, overlapping: nested)
        return FileResult(path: path, source: source, occurrences: occurrences.map { o in
            let p = lines.position(ofUTF16Offset: o.utf16Offset)
            return Located(occurrence: o, location: SourceLocation(file: path, line: p.line, column: p.column))
        })
    }

    private func processXLIFF(_ path: String, recognizer: (String) throws -> TermRecognizer) throws -> FileResult {
        let head = (try? InputFile.readBytes(path).prefix(4096)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let is12 = head.contains("urn:oasis:names:tc:xliff:document:1.2") || head.contains("version=\"1.2\"") || head.contains("version='1.2'")
        let reader: any DocumentReader = is12 ? try XLIFF12Reader(path: path) : try XLIFF2Reader(path: path)
        var reading = reader
        var source = languages.source
        var out: [Located] = []
        var fileSource: String?
        while let event = try reading.next() {
            switch event {
            case .startDocument(let info):
                if source == nil, !info.sourceLanguage.isEmpty { source = info.sourceLanguage }
            case .startFile(let info):
                fileSource = info.sourceLanguage
            case .unit(let unit):
                guard let lang = source ?? fileSource else {
                    throw ValidationError("--source (or --from) is required: \(path) does not name its source language")
                }
                for (k, segment) in unit.segments.enumerated() {
                    for o in try recognizer(lang).occurrences(in: segment.source, overlapping: nested) {
                        out.append(Located(occurrence: o, location: SourceLocation(file: path), unit: unit.id, segment: segment.id ?? String(k + 1)))
                    }
                }
            default:
                break
            }
        }
        return FileResult(path: path, source: source ?? fileSource ?? "", occurrences: out)
    }

    /// The equivalents to show: the target language's terms to use (deprecated and forbidden
    /// ones only when there is nothing else), or the best term of every other language.
    private func targets(_ o: TermOccurrence) -> [(String, Term)] {
        if let t = languages.target {
            let all = o.terms(in: t)
            let usable = all.filter { !$0.effectiveStatus.isDiscouraged }
            return (usable.isEmpty ? all : usable).map { (t, $0) }
        }
        return o.concept.languageSections
            .filter { !LanguageTag.serves($0.language, request: o.language) }
            .compactMap { s in s.rankedTerms.first.map { (s.language, $0) } }
    }

    private func render(_ r: FileResult) -> String {
        var out = ""
        for l in r.occurrences {
            let o = l.occurrence
            let place = l.unit.map { "\(r.path): unit \($0), segment \(l.segment ?? "?"), offset \(o.utf16Offset)" } ?? l.location.description
            let equivalents = targets(o).map { lang, t in
                (languages.target == nil ? "\(lang): " : "") + t.text + (t.status.map { $0 == .preferred ? "" : " (\($0.rawValue))" } ?? "")
            }
            let status = o.term.status.map { $0.isDiscouraged ? " [\($0.rawValue) term]" : "" } ?? ""
            out += "\(place): \(o.text) → \(equivalents.isEmpty ? "(no equivalent)" : equivalents.joined(separator: "; "))\(status)  {\(o.concept.id), \(o.kind.rawValue)}\n"
        }
        if !reporting.quiet {
            let concepts = Set(r.occurrences.map(\.occurrence.concept.id)).count
            out += "\(r.path): \(r.occurrences.count) occurrence\(r.occurrences.count == 1 ? "" : "s") of \(concepts) concept\(concepts == 1 ? "" : "s")\n"
        }
        return out
    }

    private struct JSONTerm: Encodable {
        var text: String
        var language: String
        var status: String?
    }

    private struct JSONOccurrence: Encodable {
        var text: String
        var offset: Int
        var length: Int
        var line: Int?
        var column: Int?
        var unit: String?
        var segment: String?
        var concept: String
        var glossary: String
        var match: String
        var term: JSONTerm
        var targets: [JSONTerm]
    }

    private struct JSONFile: Encodable {
        var path: String
        var source: String
        var target: String?
        var occurrences: [JSONOccurrence]
    }

    private func printJSON(_ results: [FileResult]) throws {
        let files = results.map { r in
            JSONFile(path: r.path, source: r.source, target: languages.target, occurrences: r.occurrences.map { l in
                let o = l.occurrence
                return JSONOccurrence(
                    text: o.text, offset: o.utf16Offset, length: o.utf16Length, line: l.location.line, column: l.location.column,
                    unit: l.unit, segment: l.segment, concept: o.concept.id, glossary: o.glossary, match: o.kind.rawValue,
                    term: JSONTerm(text: o.term.text, language: o.language, status: o.term.status?.rawValue),
                    targets: targets(o).map { JSONTerm(text: $0.1.text, language: $0.0, status: $0.1.status?.rawValue) })
            })
        }
        try JSONOutputWriter.print(["files": files])
    }
}
