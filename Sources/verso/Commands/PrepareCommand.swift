import ArgumentParser
import Diagnostics
import FileAccess
import Formats
import Foundation
import Pipeline
import Terminology
import TranslationModel

/// `verso prepare INPUT... -o DIR`: documents to XLIFF for translators, segmented, terms marked.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Prepare documents for translation: one XLIFF per input, segmented, terms marked.",
        discussion: """
        Reads plain text, HTML or XLIFF and writes <input file name>.xlf into the output folder \
        (an XLIFF input keeps its name; only its untranslated units are prepared again). The \
        XLIFF carries everything `verso merge` needs to write the translated document back. \
        A bad input is reported and the others are still prepared; the exit status is 1 if any \
        input failed.
        """
    )

    @Argument(help: ArgumentHelp("Documents to prepare (.txt, .html, .xlf…).", valueName: "input"))
    var inputs: [String]

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var output: String

    @OptionGroup var languages: LanguageOptions

    @Option(name: .customLong("srx"), help: ArgumentHelp("SRX 2.0 segmentation rules to use instead of Verso's built-in rules.", valueName: "file"))
    var srx: String?

    @Flag(name: .customLong("no-segment"), help: "Do not split units into sentences (one segment per paragraph or HTML block).")
    var noSegment = false

    @Option(name: .customLong("glossary"), help: ArgumentHelp("A glossary (TBX, CSV/TSV or .sqlite index); repeatable. Default: the glossaries in Glossaries/.", valueName: "file"))
    var glossaries: [String] = []

    @Flag(name: .customLong("no-terms"), help: "Do not recognise terms.")
    var noTerms = false

    @Option(name: .customLong("xliff"), help: ArgumentHelp("XLIFF version to write: 1.2 (default, opened by every CAT tool), 2.0, 2.1 or 2.2.", valueName: "version"))
    var xliff: String?

    @Flag(name: .customLong("keep-extensions"), help: "Keep other tools' markup (sdl:, mq:…) of XLIFF inputs in XLIFF 1.2 output (valid against the transitional schema).")
    var keepExtensions = false

    @Flag(name: .customLong("copy-source"), help: "Pre-fill each target with its source (state needs-translation), as OmegaT needs.")
    var copySource = false

    @Option(name: .customLong("encoding"), help: ArgumentHelp("Encoding of inputs without a byte-order mark (default UTF-8; HTML: its declared charset).", valueName: "name"))
    var encoding: String?

    @Option(name: .customLong("format"), help: ArgumentHelp("Input format: text, html or xliff (default: from the file name, else its content).", valueName: "format"))
    var format: String?

    @Option(name: .customLong("text-units"), help: ArgumentHelp("Plain text units: auto (default: paragraphs, or lines when the text keeps one paragraph per line), paragraphs, lines.", valueName: "mode"))
    var textUnits: String?

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a JSON report (units, segments, words, characters, repetitions, terms per file).", valueName: "file"))
    var report: String?

    @Option(name: .customLong("jobs"), help: ArgumentHelp("Inputs prepared at once (default 1).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one document to prepare") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let xliff, XLIFFVersion(rawValue: xliff) == nil {
            throw ValidationError("unknown XLIFF version '\(xliff)': use 1.2, 2.0, 2.1 or 2.2")
        }
        if let format, InputFormat(rawValue: format) == nil {
            throw ValidationError("unknown input format '\(format)': use text, html or xliff")
        }
        if let textUnits, PlainTextUnits(rawValue: textUnits) == nil {
            throw ValidationError("unknown --text-units '\(textUnits)': use auto, paragraphs or lines")
        }
        if noSegment && srx != nil {
            throw ValidationError("--no-segment and --srx contradict each other")
        }
        if noTerms && !glossaries.isEmpty {
            throw ValidationError("--no-terms and --glossary contradict each other")
        }
        if let encoding, !TextEncoding(encoding).isSupported {
            throw ValidationError("unknown encoding '\(encoding)'")
        }
        // A missing --source or --target is a usage error for documents that declare no
        // language of their own (CLI.md), before anything is written.
        let forcedFormat = format.flatMap(InputFormat.init(rawValue:))
        let formats = inputs.compactMap { forcedFormat ?? (try? InputFormat.detect(path: $0)) }
        if languages.source == nil, formats.contains(.plainText) {
            throw ValidationError("missing --source: plain text does not say its language (e.g. --source fr)")
        }
        if languages.target == nil, formats.contains(where: { $0 != .xliff }) {
            throw ValidationError("missing --target: name the language to translate into (e.g. --target en)")
        }
    }

    func run() throws {
        let diagnostics = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let forcedFormat = format.flatMap(InputFormat.init(rawValue:))

        let assembled: AssembledPipeline
        do {
            var pipelineOptions = PipelineOptions(segment: !noSegment, srxPath: srx, recognizeTerms: !noTerms, glossaryPaths: glossaries, copySource: copySource)
            // With both languages given, the built-in glossaries are read for these two only and
            // the rules and recogniser are made ready while they load (a document in another
            // language, e.g. an XLIFF file's own, gets its own when it asks).
            pipelineOptions.expectedSourceLanguage = languages.source
            pipelineOptions.expectedTargetLanguage = languages.target
            assembled = try StandardPipeline.make(pipelineOptions)
        } catch {
            diagnostics.emit(error: error, path: srx ?? glossaries.first ?? "Glossaries/")
            throw ExitCode(1)
        }
        for f in assembled.findings { diagnostics.emit(f) }
        let pipeline = assembled.pipeline
        let usage = assembled.termUsage
        let glossaryNames = assembled.glossaries
        var options = PrepareOptions(
            sourceLanguage: languages.source,
            targetLanguage: languages.target,
            xliffVersion: xliff.flatMap(XLIFFVersion.init(rawValue:)),
            readerOptions: SourceReaderOptions(encoding: encoding.map(TextEncoding.init), textUnits: textUnits.flatMap(PlainTextUnits.init(rawValue:)) ?? .auto),
            format: forcedFormat,
            countRepetitions: !(reporting.quiet && report == nil && !reporting.json)
        )
        options.keepExtensions = keepExtensions
        let preparer = DocumentPreparer(options: options, pipeline: pipeline)
        AtomicFile.removeStaleTemporaries(in: output)

        // Two inputs with the same name would write the same XLIFF: the later one on the command
        // line is refused (as convert and merge do), whatever order --jobs runs them in.
        var claims = OutputClaims()
        let collisions: [FileAccessError?] = inputs.map { input in
            preparer.outputPath(for: input, in: output).flatMap { claims.claim($0, for: input) }
        }

        // Inputs are prepared --jobs at a time; results are reported in command-line order.
        let results = ConcurrentMap.run(Array(zip(inputs, collisions)), jobs: jobs ?? 1) { job -> Result<PreparedFile, Error> in
            if let collision = job.1 { return .failure(collision) }
            return Result { try preparer.prepare(input: job.0, into: output, protectedInputs: inputs) }
        }
        var entries: [PrepareReport.FileEntry] = []
        var statistics: [PrepareStatistics] = []
        var lines: [String] = []
        for (input, result) in zip(inputs, results) {
            switch result {
            case .success(let prepared):
                for f in prepared.findings { diagnostics.emit(f) }
                var terms: [PrepareReport.TermFound]?
                var subset: [String]?
                if let usage {
                    let used = usage.usage(for: input)
                    terms = used.map { PrepareReport.TermFound(term: $0.term, translations: $0.translations, occurrences: $0.occurrences, glossary: $0.glossary) }
                    do {
                        subset = try GlossarySubset.write(used, folder: output, inputName: URL(fileURLWithPath: input).lastPathComponent, sourceLanguage: prepared.sourceLanguage, targetLanguage: prepared.targetLanguage, protectedInputs: inputs)
                    } catch {
                        diagnostics.emit(error: error, path: prepared.output)
                    }
                }
                entries.append(PrepareReport.FileEntry(prepared: prepared, terms: terms, glossaryFiles: subset))
                statistics.append(prepared.statistics)
                lines.append(Self.summaryLine(prepared))
            case .failure(let error):
                diagnostics.emit(error: error, path: input)
                entries.append(PrepareReport.FileEntry(failed: input, error: (error as? LocatedError)?.message ?? String(describing: error)))
                lines.append("  \(input): failed")
            }
        }

        // What was written: an XLIFF input keeps its version and target language unless told.
        let preparedFiles = results.compactMap { try? $0.get() }
        let versions = Self.distinct(preparedFiles.map(\.xliffVersion.rawValue), fallback: options.xliffVersion?.rawValue ?? "1.2")
        let targets = languages.target.map { [$0] } ?? Self.distinct(preparedFiles.compactMap(\.targetLanguage), fallback: nil)
        let runReport = PrepareReport(
            versoVersion: VersoVersion.current,
            targetLanguage: targets.count == 1 ? targets[0] : nil,
            xliffVersion: versions.joined(separator: ", "),
            stages: pipeline.stageNames,
            glossaries: glossaryNames,
            files: entries,
            statistics: statistics
        )
        if let report {
            do {
                try AtomicFile.write(Array(try runReport.json()) + [0x0A], to: report, protectedInputs: inputs)
            } catch {
                diagnostics.emit(error: error, path: report)
            }
        }
        if reporting.json {
            FileHandle.standardOutput.write(try runReport.json() + Data("\n".utf8))
        } else if !reporting.quiet {
            var text = "Prepared \(runReport.totals.prepared) of \(inputs.count) \(inputs.count == 1 ? "file" : "files") into \(output) (XLIFF \(versions.joined(separator: " and "))"
            if !targets.isEmpty { text += ", → \(targets.joined(separator: ", "))" }
            text += ")\n"
            // One screen: a long run lists its failures and the first files, then the totals.
            let failedLines = lines.filter { $0.hasSuffix(": failed") }
            if lines.count <= 20 {
                text += lines.joined(separator: "\n") + "\n"
            } else {
                let shown = lines.filter { !$0.hasSuffix(": failed") }.prefix(max(0, 15 - min(failedLines.count, 15)))
                text += (Array(shown) + Array(failedLines.prefix(15))).joined(separator: "\n") + "\n"
                text += "  … and \(lines.count - shown.count - min(failedLines.count, 15)) more (--report FILE lists every file)\n"
            }
            let t = runReport.totals
            text += "Total: \(t.units.counted("unit")), \(t.segments.counted("segment")), \(t.words.counted("word")), \(t.characters.counted("character"))"
            if t.repetitions.segments > 0 { text += ", \(t.repetitions.segments.counted("repeated segment")) (\(t.repetitions.words.counted("word")))" }
            if t.termOccurrences > 0 { text += ", \(t.termOccurrences.counted("term occurrence"))" }
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
        if diagnostics.exitCode != 0 { throw ExitCode(diagnostics.exitCode) }
    }

    /// The values in order of first appearance, each once; `[fallback]` when there are none.
    static func distinct(_ values: [String], fallback: String?) -> [String] {
        var seen: Set<String> = []
        let unique = values.filter { seen.insert($0).inserted }
        return unique.isEmpty ? (fallback.map { [$0] } ?? []) : unique
    }

    static func summaryLine(_ p: PreparedFile) -> String {
        let s = p.statistics
        var line = "  \(p.input) → \(p.output): \(s.units.counted("unit")), \(s.segments.counted("segment")), \(s.words.counted("word")), \(s.characters.counted("character"))"
        if s.repeatedSegments > 0 { line += ", \(s.repeatedSegments) repeated" }
        if s.termOccurrences > 0 { line += ", \(s.termOccurrences.counted("term"))" }
        return line
    }
}
