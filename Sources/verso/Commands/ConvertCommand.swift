import ArgumentParser
import Batch
import Diagnostics
import Formats
import Foundation
import TranslationModel

/// `verso convert INPUT... -o OUT`: documents to XLIFF, XLIFF between versions, translated XLIFF
/// back to its original format (`--merge`); one file, or whole folders in parallel.
///
/// The work is the `Batch` module's: `BatchPlan` decides what each file becomes, `BatchEngine`
/// runs the files, `DocumentConverter` calls the per-file library step (`XLIFFConverter` for a
/// version change). This type parses options and reports.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert files or whole folders: documents to XLIFF, XLIFF between versions 1.2, 2.0, 2.1 and 2.2, translations back.",
        discussion: """
        Text and HTML files go through the same pipeline as `verso prepare`; XLIFF files get a \
        version change only (--to; no re-segmentation, no term marking), streamed one unit at a \
        time; with --merge, translated XLIFF is merged back into its original format. One input \
        file: -o names the output file. A folder or several inputs: -o names a folder and the \
        input tree is mirrored under it, files are converted in parallel (--jobs), one bad file \
        never stops the others, and a re-run skips outputs newer than their inputs (--force \
        redoes them). What the target version cannot hold is reported as a warning (exit 0; 1 \
        with --strict). XLIFF 1.2 output validates against the OASIS strict schema unless \
        --keep-extensions. Outputs are written atomically and never over an input. Exit status 0 \
        only when every file succeeded.
        """
    )

    @Argument(help: ArgumentHelp("Files and folders to convert (folders recursively).", valueName: "input"))
    var inputs: [String]

    @Option(name: .customShort("o"), help: ArgumentHelp("The output file (one input file) or folder (a folder or several inputs).", valueName: "out"))
    var output: String

    @Option(name: [.customLong("source"), .customLong("from")], help: ArgumentHelp("Source language of text/HTML inputs (BCP 47, e.g. fr). HTML defaults to its lang attribute.", valueName: "lang"), transform: LanguageArgument.check)
    var source: String?

    @Option(name: .customLong("target"), help: ArgumentHelp("Target language (BCP 47, e.g. en-GB).", valueName: "lang"), transform: LanguageArgument.check)
    var target: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("The version to write: xliff1.2 (default for documents), xliff2.0, xliff2.1 or xliff2.2. Any other value must be a language tag and is taken as --target (CLI.md's alias).", valueName: "format"), transform: VersionOrLanguageArgument.check)
    var to: String?

    @Flag(name: .customLong("merge"), help: "Merge translated XLIFF back into its original format (named by its 'original').")
    var merge = false

    @Flag(name: .customLong("keep-extensions"), help: "Keep other tools' markup in XLIFF 1.2 output (valid against the transitional schema).")
    var keepExtensions = false

    @Option(name: .customLong("glossary"), help: ArgumentHelp("A glossary for preparing documents (TBX, CSV/TSV or .sqlite index); repeatable. Default: the glossaries in Glossaries/.", valueName: "file"))
    var glossaries: [String] = []

    @Flag(name: .customLong("no-terms"), help: "Do not recognise terms when preparing documents.")
    var noTerms = false

    @Flag(name: .customLong("copy-source"), help: "Pre-fill each target of a prepared document with its source (state needs-translation), as OmegaT needs.")
    var copySource = false

    @Option(name: .customLong("encoding"), help: ArgumentHelp("Encoding of documents without a byte-order mark (default UTF-8; HTML: its declared charset).", valueName: "name"))
    var encoding: String?

    @Option(name: .customLong("include"), help: ArgumentHelp("Convert only files matching this pattern (repeatable; *, ?, [..], **; a pattern without / matches names at any depth).", valueName: "glob"))
    var include: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files and folders matching this pattern (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    @Option(name: .customLong("jobs"), help: ArgumentHelp("Files converted at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .customLong("force"), help: "Convert every file, even when its output is newer than its input.")
    var force = false

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a JSON report of the run: per-file status, counts, timings.", valueName: "file"))
    var report: String?

    @OptionGroup var reporting: ReportingOptions

    /// `xliff1.2`, `xliff-2.1`, `XLIFF2.2`, `2.0` → the version.
    static func version(_ text: String) -> XLIFFVersion? {
        VersionOrLanguageArgument.version(text)
    }

    /// `--to` split into what it names: an XLIFF version, or (CLI.md's alias) the target language.
    private var requested: (version: XLIFFVersion?, target: String?) {
        guard let to else { return (nil, target) }
        if let version = Self.version(to) { return (version, target) }
        return (nil, target ?? to)
    }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one file or folder to convert") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if merge, let to, Self.version(to) != nil {
            throw ValidationError("--merge writes each file's original format: --to \(to) does not apply")
        }
        if let encoding, !TextEncoding(encoding).isSupported {
            throw ValidationError("unknown encoding '\(encoding)'")
        }
        if noTerms && !glossaries.isEmpty {
            throw ValidationError("--no-terms and --glossary contradict each other")
        }
        do {
            _ = try FileFilter(include: include, exclude: exclude)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        let started = Date()
        let clock = ContinuousClock.now
        let (version, targetLanguage) = requested
        let request = BatchRequest(
            inputs: inputs,
            output: output,
            mode: merge ? .merge : .convert,
            filter: try FileFilter(include: include, exclude: exclude),
            force: force,
            jobs: jobs
        )
        let settings = ConversionSettings(sourceLanguage: source, targetLanguage: targetLanguage, version: version, keepExtensions: keepExtensions, glossaries: glossaries, recogniseTerms: !noTerms, copySource: copySource, encoding: encoding)
        // Planning needs only the naming rules; the pipeline (glossaries, segmentation rules)
        // is needed only when there are documents to prepare. The two do not depend on each
        // other, so unless the run merges (no document is prepared then), the pipeline loads
        // on its own thread while the folders are walked, and is used only if the plan has
        // documents (a glossary problem is reported only then).
        let pipelineLoad = merge ? nil : BackgroundResult { try DocumentConverter(settings: settings, needsPipeline: true) }
        let plan = BatchPlan.make(request, converter: try DocumentConverter(settings: settings, needsPipeline: false))
        do {
            try checkOptions(for: plan, version: version, target: targetLanguage)
        } catch {
            // Printed with convert's own usage line, exit 64 like every usage error.
            let message = Self.fullMessage(for: error)
                .replacingOccurrences(of: "Usage: convert", with: "Usage: verso convert")
                .replacingOccurrences(of: "'convert --help'", with: "'verso convert --help'")
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(Self.exitCode(for: error).rawValue)
        }

        let converter: DocumentConverter
        do {
            if plan.jobs.contains(where: { $0.action == .prepare }) {
                converter = try pipelineLoad?.get() ?? DocumentConverter(settings: settings, needsPipeline: true)
            } else {
                converter = try DocumentConverter(settings: settings, needsPipeline: false)
            }
        } catch {
            FileHandle.standardError.write(Data("\(BatchFileResult.finding(for: error, path: glossaries.first ?? "Glossaries/"))\n".utf8))
            throw ExitCode(1)
        }
        for finding in converter.setupFindings {
            FileHandle.standardError.write(Data("\(finding)\n".utf8))
        }

        // One named output reports like a compiler (diagnostics only, then one line on stdout);
        // folders get a progress bar or plain lines on stderr.
        let singleFile: Bool
        if case .file = plan.layout { singleFile = true } else { singleFile = false }
        let console = singleFile ? BatchConsole(style: .quiet) : BatchConsole(quiet: reporting.quiet)
        let engine = BatchEngine(request: request, converter: converter, observer: console)
        let interrupt = InterruptHandler { [engine] in engine.cancel() }
        let summary = engine.run(plan, startedAt: clock)
        interrupt.stop()

        // Built only when written: its ISO 8601 date loads Foundation's time-zone data, a
        // millisecond of every run otherwise.
        lazy var batchReport = BatchReport(summary, started: started, version: VersoVersion.current)
        if let report {
            do {
                try batchReport.write(to: report)
            } catch {
                FileHandle.standardError.write(Data("\(BatchFileResult.finding(for: error, path: report))\n".utf8))
                throw ExitCode(1)
            }
        }
        if singleFile {
            try printSingleFile(summary)
        } else if reporting.json {
            FileHandle.standardOutput.write(try batchReport.jsonData())
        }
        if summary.wasCancelled { throw ExitCode(130) }
        if !summary.succeeded || (reporting.strict && summary.counts.warnings > 0) { throw ExitCode(1) }
    }

    /// Options a plan's files need: a source language to prepare text, a version for XLIFF inputs.
    private func checkOptions(for plan: BatchPlan, version: XLIFFVersion?, target: String?) throws {
        if source == nil, let text = plan.jobs.first(where: { $0.action == .prepare && $0.kind == .plainText }) {
            throw ValidationError("--source is needed to prepare text files such as \(text.input) (HTML files default to their lang attribute)")
        }
        if target == nil, let document = plan.jobs.first(where: { $0.action == .prepare }) {
            throw ValidationError("--target is needed to prepare documents such as \(document.input): name the language to translate into (e.g. --target en)")
        }
        if version == nil, let xliff = plan.jobs.first(where: { $0.action == .changeVersion }) {
            throw ValidationError("--to is needed to convert XLIFF files such as \(xliff.input): xliff1.2, xliff2.0, xliff2.1 or xliff2.2")
        }
    }

    /// One input file: a line on stdout (`out.xlf: XLIFF 1.2 → 2.1, 12 units`), or with `--json`
    /// the file's summary as JSON.
    private func printSingleFile(_ summary: BatchSummary) throws {
        guard let result = summary.results.first, result.status == .converted, let out = result.output else { return }
        let warnings = result.warnings.count
        if reporting.json {
            struct FileJSON: Encodable {
                var input: String
                var output: String
                var from: String?
                var to: String?
                var units: Int?
                var warnings: Int
                var findings: [FindingJSON]
            }
            // The shared writer: sorted keys, and paths with their slashes unescaped.
            try JSONOutputWriter.print(FileJSON(
                input: result.input, output: out, from: result.from, to: result.to, units: result.units, warnings: warnings,
                findings: result.findings.map(FindingJSON.init)
            ))
        } else if !reporting.quiet {
            func name(_ format: String?) -> String {
                guard let format else { return "?" }
                return XLIFFVersion(rawValue: format) != nil ? "XLIFF \(format)" : format
            }
            var line = "\(out): \(name(result.from)) → \(name(result.to))"
            if let units = result.units { line += ", \(units) unit\(units == 1 ? "" : "s")" }
            if warnings > 0 { line += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
            print(line)
        }
    }
}

/// Turns the first Ctrl-C (or SIGTERM) into a graceful stop — files in progress finish, their
/// outputs stay whole, the report is written — and lets a second one end the process at once.
final class InterruptHandler: @unchecked Sendable {
    // @unchecked: the sources are created and cancelled on the calling thread only; their
    // handlers run on one serial queue.
    private var sources: [DispatchSourceSignal] = []

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "verso.interrupt")
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nverso: interrupted: finishing the files in progress (press Ctrl-C again to stop at once)\n".utf8))
                onInterrupt()
                signal(sig, SIG_DFL)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Restores the default signal handling.
    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
