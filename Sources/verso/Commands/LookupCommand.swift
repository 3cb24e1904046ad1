import ArgumentParser
import Diagnostics
import Foundation
import Terminology
import TranslationModel

/// `verso lookup TERM --from fr --to en`: the concepts a term designates, with their terms.
struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look a term up in the glossaries.",
        discussion: """
            Finds the term however it is written in running text: case and accents (bielorussie), \
            elision (l'OTAN, d'Ukraine), plural and other inflected forms (biélorusses), hyphen/space \
            variants, and near misses (marked fuzzy, listed after exact matches). Prints each concept \
            with its terms in the target language and their status. Exit status 1 when nothing is found.
            """
    )

    @Argument(help: ArgumentHelp("The term (several words are joined with spaces).", valueName: "term"))
    var words: [String]

    @OptionGroup var languages: LanguageOptions
    @OptionGroup var glossary: GlossaryOptions
    @OptionGroup var reporting: ReportingOptions

    @Flag(name: .customLong("no-fuzzy"), help: "Do not look for near misses.")
    var noFuzzy = false

    func validate() throws {
        if words.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("give a term to look up")
        }
    }

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let query = words.joined(separator: " ")
        let results: [LookupResult]
        let g: Glossary
        do {
            g = try glossary.open(printer: printer)
            results = try g.lookup(query, from: languages.source, fuzzy: !noFuzzy)
        } catch {
            printer.emit(error: error, path: glossary.glossaries.first ?? "glossary")
            throw ExitCode(1)
        }
        if reporting.json {
            try printJSON(query: query, results: results)
        } else if results.isEmpty {
            let names = g.stores.map(\.name).joined(separator: ", ")
            FileHandle.standardError.write(Data("no concept found for '\(query)'\(languages.source.map { " in \($0)" } ?? "") (searched: \(names))\n".utf8))
        } else {
            print(render(results), terminator: "")
        }
        if results.isEmpty { throw ExitCode(1) }
        if printer.exitCode != 0 { throw ExitCode(printer.exitCode) }
    }

    private func targetLanguages(_ concept: Concept) -> [String] {
        if let t = languages.target { return [t] }
        return concept.languages.filter { l in languages.source.map { !LanguageTag.serves(l, request: $0) } ?? true }
    }

    private func render(_ results: [LookupResult]) -> String {
        var out = ""
        for r in results {
            var how = r.kind.rawValue
            if r.kind == .fuzzy { how += ", \(r.distance) edit\(r.distance == 1 ? "" : "s")" }
            out += "\(r.matchedTerm.text) (\(r.matchedLanguage), \(how)) — concept \(r.concept.id) in \(r.glossary)\n"
            if let s = r.concept.subjectField { out += "  subject: \(s)\n" }
            if let d = r.concept.definition { out += "  definition: \(d)\n" }
            for lang in targetLanguages(r.concept) {
                let terms = r.concept.terms(in: lang)
                if terms.isEmpty { out += "  \(lang): (no term)\n"; continue }
                for t in terms {
                    var line = "  \(lang): \(t.text)"
                    if let s = t.status { line += " (\(s.rawValue))" }
                    if let p = t.partOfSpeech { line += " [\(p)]" }
                    out += line + "\n"
                }
            }
            for n in r.concept.notes { out += "  note: \(n)\n" }
            out += "\n"
        }
        return out
    }

    private struct JSONTerm: Encodable {
        var text: String
        var language: String
        var status: String?
        var partOfSpeech: String?
    }

    private struct JSONResult: Encodable {
        var concept: String
        var glossary: String
        var match: String
        var distance: Int
        var matchedTerm: JSONTerm
        var subject: String?
        var definition: String?
        var notes: [String]
        var terms: [JSONTerm]
    }

    private struct JSONOutput: Encodable {
        var query: String
        var source: String?
        var target: String?
        var results: [JSONResult]
    }

    private func printJSON(query: String, results: [LookupResult]) throws {
        let out = JSONOutput(query: query, source: languages.source, target: languages.target, results: results.map { r in
            JSONResult(
                concept: r.concept.id, glossary: r.glossary, match: r.kind.rawValue, distance: r.distance,
                matchedTerm: JSONTerm(text: r.matchedTerm.text, language: r.matchedLanguage, status: r.matchedTerm.status?.rawValue, partOfSpeech: r.matchedTerm.partOfSpeech),
                subject: r.concept.subjectField, definition: r.concept.definition, notes: r.concept.notes,
                terms: targetLanguages(r.concept).flatMap { lang in
                    r.concept.terms(in: lang).map { JSONTerm(text: $0.text, language: lang, status: $0.status?.rawValue, partOfSpeech: $0.partOfSpeech) }
                })
        })
        try JSONOutputWriter.print(out)
    }
}
