import Alignment
import ArgumentParser
import Diagnostics
import FileAccess
import Formats
import Foundation
import Segmentation
import Terminology
import TranslationModel
import XLIFF

/// `verso align SOURCE TARGET --source fr --target en -o OUT`: a document and its translation,
/// sentence by sentence, into TMX, bilingual XLIFF or TSV.
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Align a document with its translation sentence by sentence: TMX, bilingual XLIFF or TSV.",
        discussion: """
        Inputs are plain text (segmented into sentences, or one sentence per line with \
        --presegmented), HTML or XLIFF. The output format follows the extension of -o: .tmx \
        (TMX 1.4b), .xlf (bilingual XLIFF; --xliff picks the version), .tsv (one bead per line: \
        source sentence numbers, target sentence numbers, confidence, source text, target text). \
        Beads pair 0 to 4 sentences of each side; each gets a confidence, and those below \
        --review-threshold are marked needs-review-translation in XLIFF, noted in TMX and \
        listed in the --report. Glossary terms (the built-in glossaries unless --glossary or \
        --no-terms), numbers, names, cognates and the words of an optional --dictionary \
        (TSV: source word<TAB>target word) serve as anchors.
        """
    )

    @Argument(help: ArgumentHelp("The original document.", valueName: "source"))
    var sourcePath: String

    @Argument(help: ArgumentHelp("Its translation.", valueName: "target"))
    var targetPath: String

    @OptionGroup var languages: LanguageOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output file: .tmx, .xlf or .tsv.", valueName: "file"))
    var output: String

    @OptionGroup var glossary: GlossaryOptions

    @Flag(name: .customLong("no-terms"), help: "Do not use glossary terms as anchors.")
    var noTerms = false

    @Option(name: .customLong("dictionary"), help: ArgumentHelp("Bilingual word list (TSV: source word<TAB>target word) used as anchors.", valueName: "file"))
    var dictionary: String?

    @Flag(name: .customLong("presegmented"), help: "Inputs are plain text with one sentence per line.")
    var presegmented = false

    @Option(name: .customLong("srx"), help: ArgumentHelp("SRX 2.0 rules to segment with instead of Verso's built-in rules.", valueName: "file"))
    var srx: String?

    @Option(name: .customLong("review-threshold"), help: ArgumentHelp("Beads below this confidence (0–1) need review.", valueName: "confidence"))
    var reviewThreshold: Double = AlignerConfiguration().reviewThreshold

    @Option(name: .customLong("xliff"), help: ArgumentHelp("XLIFF version for .xlf output: 1.2 (default), 2.0, 2.1 or 2.2.", valueName: "version"))
    var xliff: String = "1.2"

    @Option(name: .customLong("encoding"), help: ArgumentHelp("Encoding of text inputs without a byte-order mark (default UTF-8).", valueName: "name"))
    var encoding: String?

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a JSON report listing the beads to review.", valueName: "file"))
    var report: String?

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        guard AlignmentOutputFormat(path: output) != nil else {
            throw ValidationError("cannot tell the output format from '\(output)': name a .tmx, .xlf or .tsv file")
        }
        guard (0...1).contains(reviewThreshold) else { throw ValidationError("--review-threshold must be between 0 and 1") }
        guard XLIFFVersion(rawValue: xliff) != nil else { throw ValidationError("unknown XLIFF version '\(xliff)': use 1.2, 2.0, 2.1 or 2.2") }
        if noTerms && !glossary.glossaries.isEmpty { throw ValidationError("--no-terms and --glossary contradict each other") }
        if [sourcePath, targetPath].contains(where: { URL(fileURLWithPath: $0).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL }) {
            throw ValidationError("the output \(output) would overwrite an input")
        }
    }

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let format = AlignmentOutputFormat(path: output)!
        let outputFolder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: outputFolder) { AtomicFile.removeStaleTemporaries(in: outputFolder) }

        var rules: SRXRules?
        if let srx {
            do {
                rules = try SRXRules(contentsOf: srx)
            } catch {
                printer.emit(error: error, path: srx)
                throw ExitCode(1)
            }
        }

        // Both inputs, then their languages (a document may declare its own).
        let source: AlignmentInput, target: AlignmentInput
        do {
            source = try AlignmentInput(path: sourcePath, language: languages.source, presegmented: presegmented, encoding: encoding, rules: rules)
        } catch let error as ValidationError { throw error } catch {
            printer.emit(error: error, path: sourcePath)
            throw ExitCode(1)
        }
        do {
            target = try AlignmentInput(path: targetPath, language: languages.target, presegmented: presegmented, encoding: encoding, rules: rules)
        } catch let error as ValidationError { throw error } catch {
            printer.emit(error: error, path: targetPath)
            throw ExitCode(1)
        }
        var rulesWarnings = Set<String>()
        for finding in source.findings + target.findings {
            // Once per run: both sides in the same language share their rules.
            if finding.code == "segment.no-language-rules", !rulesWarnings.insert(finding.message).inserted { continue }
            printer.emit(finding)
        }
        guard let sourceLanguage = languages.source ?? source.declaredLanguage else {
            throw ValidationError("missing --source: \(sourcePath) does not say its language (e.g. --source fr)")
        }
        guard let targetLanguage = languages.target ?? target.declaredLanguage else {
            throw ValidationError("missing --target: \(targetPath) does not say its language (e.g. --target en)")
        }
        // A language the document declares (HTML lang, XLIFF source-language) is checked like
        // the options: it goes into the TMX's and XLIFF's xml:lang.
        for (option, input, declared) in [("--source", source, languages.source == nil ? sourceLanguage : nil), ("--target", target, languages.target == nil ? targetLanguage : nil)] {
            guard let declared else { continue }
            do {
                _ = try LanguageTag(parsing: declared)
            } catch {
                printer.emit(Finding(.error, "the document declares its language as '\(declared)', which is not a well-formed BCP 47 tag (\(error.reason)): name the language with \(option)", at: SourceLocation(file: input.path), code: "align.language-tag"))
                throw ExitCode(1)
            }
        }
        for (input, language) in [(source, sourceLanguage), (target, targetLanguage)] {
            if let problem = LanguageCheck.mismatch(input.sentences.map(\.text), declared: language) {
                printer.emit(Finding(.warning, problem, at: SourceLocation(file: input.path), code: "align.language"))
            }
        }

        var configuration = AlignerConfiguration(reviewThreshold: reviewThreshold)
        if !noTerms { configuration.anchors = try termAnchors(sourceLanguage, targetLanguage, printer: printer) }
        if let dictionary {
            do {
                configuration.dictionary = try BilingualDictionary(tsv: TextParagraphChunks.text(path: dictionary), path: dictionary)
            } catch {
                printer.emit(error: error, path: dictionary)
                throw ExitCode(1)
            }
        }

        let result = SentenceAligner(configuration: configuration).align(source.sentences, target.sentences)
        let aligned = AlignedText(sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
                                  source: source.sentences, target: target.sentences, beads: result.beads)
        var warnings = result.warnings.map { locate($0, result: result, aligned: aligned) }
        if configuration.dictionary != nil && result.statistics.dictionaryReversed {
            warnings.append(Finding(.note, "the dictionary's columns were used the other way round: its first column matches \(targetLanguage)", at: SourceLocation(file: dictionary!), code: "align.dictionary-reversed"))
        }
        if format != .tsv, AlignmentOutput.hasXMLForbiddenCharacters(source.sentences + target.sentences) {
            warnings.append(Finding(.warning, "control characters XML cannot hold were replaced by U+FFFD in the output", at: SourceLocation(file: output), code: "align.control-characters"))
        }
        for warning in warnings { printer.emit(warning) }

        do {
            let findings = try AlignmentOutput.write(aligned, format: format, to: output, sourcePath: sourcePath, targetPath: targetPath,
                                                     reviewThreshold: reviewThreshold, xliffVersion: XLIFFVersion(rawValue: xliff)!,
                                                     protectedInputs: [sourcePath, targetPath])
            for finding in findings { printer.emit(finding) }
        } catch {
            printer.emit(error: error, path: output)
            throw ExitCode(1)
        }

        let summary = AlignmentReport(aligned: aligned, sourcePath: sourcePath, targetPath: targetPath, output: output,
                                      statistics: result.statistics, reviewThreshold: reviewThreshold, warnings: warnings)
        if let report {
            do {
                try AtomicFile.write(Array(try Self.json(summary)), to: report, protectedInputs: [sourcePath, targetPath, output])
            } catch {
                printer.emit(error: error, path: report)
                throw ExitCode(1)
            }
        }
        if reporting.json {
            FileHandle.standardOutput.write(try Self.json(summary))
        } else if !reporting.quiet {
            let shapes = summary.shapes.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("\(output): \(aligned.source.count) source and \(aligned.target.count) target sentences in \(summary.beads.counted("bead")) (\(shapes)); \(summary.lowConfidence.count) to review (confidence below \(AlignedText.format(reviewThreshold)) or unaligned)")
        }
        if printer.exitCode != 0 { throw ExitCode(printer.exitCode) }
    }

    /// Glossary anchors for the two languages, or nil (with a note) when the glossary has no
    /// terms in one of them.
    private func termAnchors(_ sourceLanguage: String, _ targetLanguage: String, printer: DiagnosticsPrinter) throws -> TermAnchors? {
        let terms: Glossary
        do {
            // Anchors are the concepts (by termbase and handle) found on both sides: the
            // built-in glossaries are read for the two languages only.
            terms = try glossary.open(printer: printer, builtInScope: LanguageScope([sourceLanguage, targetLanguage]))
        } catch {
            printer.emit(error: error, path: glossary.glossaries.first ?? "Glossaries/")
            throw ExitCode(1)
        }
        guard !terms.stores.isEmpty else { return nil }
        do {
            return TermAnchors(source: try TermRecognizer(glossary: terms, language: sourceLanguage),
                               target: try TermRecognizer(glossary: terms, language: targetLanguage))
        } catch {
            printer.emit(Finding(.note, "glossary terms not used as anchors: \(error)", code: "align.no-terms"))
            return nil
        }
    }

    /// Gives an aligner warning the place it concerns.
    private func locate(_ finding: Finding, result: SentenceAlignment, aligned: AlignedText) -> Finding {
        var out = finding
        switch finding.code {
        case "align.unaligned-passage":
            let side = finding.message.contains(" source sentences") ? 0 : 1
            if let run = result.unalignedRuns.first(where: { $0.side == side && finding.message.contains("(\($0.sentences.lowerBound + 1)–") }) {
                let sentence = side == 0 ? aligned.source[run.sentences.lowerBound] : aligned.target[run.sentences.lowerBound]
                out.location = sentence.location ?? SourceLocation(file: side == 0 ? sourcePath : targetPath)
            }
        case "align.empty-side":
            out.location = SourceLocation(file: aligned.source.isEmpty ? sourcePath : targetPath)
        default:
            out.location = SourceLocation(file: sourcePath)
        }
        return out
    }

    static func json(_ report: AlignmentReport) throws -> Data {
        try JSONOutputWriter.encode(report)
    }
}
