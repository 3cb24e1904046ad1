import Foundation
import Diagnostics

/// The JSON report of a `verso prepare` run (`--report FILE`, `--json`): per file, what was
/// written and how much there is to translate; totals for the run.
public struct PrepareReport: Codable, Sendable {
    /// A term found in a file, with how often and the translations the glossary gives.
    public struct TermFound: Codable, Sendable, Hashable {
        /// The term as the glossary writes it.
        public var term: String
        /// Its translations into the target language, preferred first.
        public var translations: [String]
        /// Occurrences in the file.
        public var occurrences: Int
        /// The glossary it comes from.
        public var glossary: String

        /// Creates an entry.
        public init(term: String, translations: [String], occurrences: Int, glossary: String) {
            self.term = term
            self.translations = translations
            self.occurrences = occurrences
            self.glossary = glossary
        }
    }

    /// Repetitions inside a file.
    public struct Repetitions: Codable, Sendable, Hashable {
        /// Segments whose text appeared earlier in the file.
        public var segments: Int
        /// Their words.
        public var words: Int
    }

    /// One input.
    public struct FileEntry: Codable, Sendable {
        /// The input as named on the command line.
        public var input: String
        /// `prepared` or `failed`.
        public var status: String
        /// The XLIFF written.
        public var output: String?
        /// Input format (`text`, `html`, `xliff`).
        public var format: String?
        /// Source language used.
        public var sourceLanguage: String?
        /// Translatable units.
        public var units: Int?
        /// Segments.
        public var segments: Int?
        /// Words.
        public var words: Int?
        /// Characters, whitespace excluded.
        public var characters: Int?
        /// Characters, whitespace included.
        public var charactersWithSpaces: Int?
        /// Repetitions.
        public var repetitions: Repetitions?
        /// Term occurrences in all.
        public var termOccurrences: Int?
        /// Terms found.
        public var terms: [TermFound]?
        /// The glossary subset written beside the XLIFF (TBX, CSV).
        public var glossaryFiles: [String]?
        /// The error that stopped the file.
        public var error: String?
        /// Warnings and notes.
        public var findings: [String]

        /// An entry for a prepared file.
        public init(prepared: PreparedFile, terms: [TermFound]?, glossaryFiles: [String]?) {
            let s = prepared.statistics
            input = prepared.input
            status = "prepared"
            output = prepared.output
            format = prepared.format.rawValue
            sourceLanguage = prepared.sourceLanguage
            units = s.units
            segments = s.segments
            words = s.words
            characters = s.characters
            charactersWithSpaces = s.charactersWithSpaces
            repetitions = Repetitions(segments: s.repeatedSegments, words: s.repeatedWords)
            termOccurrences = s.termOccurrences
            self.terms = terms
            self.glossaryFiles = glossaryFiles
            error = nil
            findings = prepared.findings.map(\.description)
        }

        /// An entry for a file that failed.
        public init(failed input: String, error: String) {
            self.input = input
            status = "failed"
            self.error = error
            findings = []
        }
    }

    /// Totals over the prepared files.
    public struct Totals: Codable, Sendable {
        /// Files prepared.
        public var prepared: Int
        /// Files that failed.
        public var failed: Int
        /// Units.
        public var units: Int
        /// Segments.
        public var segments: Int
        /// Words.
        public var words: Int
        /// Characters, whitespace excluded.
        public var characters: Int
        /// Repetitions.
        public var repetitions: Repetitions
        /// Term occurrences.
        public var termOccurrences: Int
    }

    /// `prepare`.
    public var command = "prepare"
    /// Verso's version.
    public var versoVersion: String
    /// Target language.
    public var targetLanguage: String?
    /// XLIFF version written (`1.2` by default).
    public var xliffVersion: String
    /// The stages each unit went through.
    public var stages: [String]
    /// The glossaries used.
    public var glossaries: [String]
    /// Per input, in command-line order.
    public var files: [FileEntry]
    /// Totals.
    public var totals: Totals

    /// Builds a report; totals are computed from the files.
    public init(versoVersion: String, targetLanguage: String?, xliffVersion: String, stages: [String], glossaries: [String], files: [FileEntry], statistics: [PrepareStatistics]) {
        self.versoVersion = versoVersion
        self.targetLanguage = targetLanguage
        self.xliffVersion = xliffVersion
        self.stages = stages
        self.glossaries = glossaries
        self.files = files
        var all = PrepareStatistics()
        for s in statistics { all.add(s) }
        totals = Totals(
            prepared: files.filter { $0.status == "prepared" }.count,
            failed: files.filter { $0.status == "failed" }.count,
            units: all.units, segments: all.segments, words: all.words, characters: all.characters,
            repetitions: Repetitions(segments: all.repeatedSegments, words: all.repeatedWords),
            termOccurrences: all.termOccurrences
        )
    }

    /// Pretty-printed JSON with sorted keys (stable for scripts and diffs).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
