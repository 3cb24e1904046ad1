import ArgumentParser
import Diagnostics
import FileAccess
import Formats
import Foundation
import Pipeline
import Segmentation
import XLIFF

/// `verso segment`: splits text into sentences with SRX rules (Verso's own, or `--srx FILE`).
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Split text into sentences with SRX rules.",
        discussion: """
        Reads plain text (UTF-8, or UTF-16 with a byte-order mark) from the files given, or from \
        stdin when there is none ("-" also means stdin). A blank line ends a paragraph. Prints one \
        sentence per line, with an empty line between paragraphs; line breaks inside a sentence \
        are printed as spaces. --json prints every sentence with its offsets in UTF-16 code units.

        An XLIFF file (1.2 or 2.x) with -o FILE is written to FILE re-segmented, in the same \
        version: units not translated yet are split into sentences again; translated units and \
        units with canResegment="no" are copied as they are. The language is the file's source \
        language unless --lang says otherwise.
        """
    )

    @Option(name: [.customLong("lang"), .customLong("source"), .customLong("from")], help: ArgumentHelp("Language of the text (BCP 47, e.g. fr, en-GB); for XLIFF, the file's source language by default. With --srx, the code that file's language maps expect.", valueName: "lang"))
    var language: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the re-segmented XLIFF input to this file.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("srx"), help: ArgumentHelp("SRX 2.0 rules to use instead of Verso's built-in rules.", valueName: "file"))
    var srx: String?

    @Option(name: .customLong("encoding"), help: ArgumentHelp("Encoding of text input without a byte-order mark (default UTF-8; e.g. windows-1252).", valueName: "name"))
    var encoding: String?

    @Flag(name: .long, help: "Print JSON (sentences with UTF-16 offsets) instead of one sentence per line.")
    var json = false

    @Flag(name: .long, help: "Print only errors and warnings.")
    var quiet = false

    @Flag(name: .customLong("profile-rules"), help: ArgumentHelp("Print the time spent in each SRX rule on stderr (for rule maintainers).", visibility: .hidden))
    var profileRules = false

    @Argument(help: ArgumentHelp("Text files (stdin when none).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if let language, language.allSatisfy({ $0.isWhitespace }) {
            throw ValidationError("--lang must name a language (e.g. --lang fr)")
        }
        // A BCP 47 tag, like every language option; but an SRX file given with --srx matches its
        // own codes with regular expressions (LanguageTool's `en_two`), so any code goes there.
        if srx == nil, let language {
            do {
                _ = try LanguageArgument.check(language)
            } catch {
                throw ValidationError("The value '\(language)' is invalid for '--lang <lang>' (--source, --from): \(error)")
            }
        }
        let xliff = files.filter(Self.isXLIFF)
        if output != nil {
            guard files.count == 1, xliff.count == 1 else {
                throw ValidationError("-o names the output of one XLIFF input; give exactly one XLIFF file")
            }
        } else if let first = xliff.first {
            throw ValidationError("\(first) is XLIFF: name the re-segmented output with -o FILE")
        }
        if let encoding, !TextEncoding(encoding).isSupported {
            throw ValidationError("unknown encoding '\(encoding)' (try utf-8, utf-16le, windows-1252, iso-8859-1)")
        }
        if language == nil && xliff.isEmpty {
            throw ValidationError("Missing expected argument '--lang <lang>' (the language of the text, e.g. --lang fr)")
        }
    }

    /// XLIFF inputs are recognised by their extension or by an <xliff> root near the start.
    static func isXLIFF(_ path: String) -> Bool {
        let lower = path.lowercased()
        if XLIFFFileExtensions.matches(lower) { return true }
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2048)) ?? Data()
        return String(decoding: head, as: UTF8.self).contains("<xliff")
    }

    func run() throws {
        let diagnostics = DiagnosticsPrinter(quiet: quiet)
        var rules: SRXRules? = nil
        if let srx {
            do {
                rules = try SRXRules(contentsOf: srx)
            } catch {
                diagnostics.emit(error: error, path: srx)
                throw ExitCode(1)
            }
        }
        if let output, let input = files.first {
            try resegmentXLIFF(input: input, output: output, rules: rules, diagnostics: diagnostics)
            return
        }
        let language = self.language ?? ""
        let segmenter: Segmenter
        do {
            if let rules {
                segmenter = try Segmenter(rules: rules, language: language)
            } else {
                segmenter = try Segmenter(language: language)
            }
        } catch {
            diagnostics.emit(error: error, path: srx ?? SRXRules.builtInDisplayPath)
            throw ExitCode(1)
        }

        if let warning = segmenter.missingLanguageRulesWarning {
            diagnostics.emit(Finding(.warning, warning, at: SourceLocation(file: srx ?? SRXRules.builtInDisplayPath), code: "segment.no-language-rules"))
        }
        let out = StandardOutput()
        let inputs = files.isEmpty ? ["-"] : files
        if json {
            out.write("{\"language\":\(JSONText.quoted(language)),\"offsetUnit\":\"utf16\",\"files\":[")
        }
        var firstFile = true
        var printedParagraph = false
        for path in inputs {
            let displayPath = path == "-" ? "<stdin>" : path
            segmentText(path: path, displayPath: displayPath, segmenter: segmenter, out: out, firstFile: firstFile, printedParagraph: &printedParagraph, diagnostics: diagnostics)
            firstFile = false
        }
        if json { out.write("]}\n") }
        out.flush()
        if diagnostics.exitCode != 0 { throw ExitCode(diagnostics.exitCode) }
    }

    private func resegmentXLIFF(input: String, output: String, rules: SRXRules?, diagnostics: DiagnosticsPrinter) throws {
        do {
            let result = try XLIFFResegmentation.resegment(input: input, output: output, language: language, rules: rules)
            for finding in result.findings { diagnostics.emit(finding) }
            if json {
                print("{\"input\":\(JSONText.quoted(input)),\"output\":\(JSONText.quoted(output)),\"xliffVersion\":\(JSONText.quoted(result.version.rawValue)),\"units\":\(result.unitCount),\"resegmentedUnits\":\(result.resegmentedCount),\"segments\":\(result.segmentCount)}")
            } else if !quiet {
                FileHandle.standardError.write(Data("\(input): \(result.unitCount.counted("unit")), \(result.resegmentedCount) re-segmented, \(result.segmentCount.counted("segment")) → \(output)\n".utf8))
            }
        } catch {
            diagnostics.emit(error: error, path: input)
        }
        if diagnostics.exitCode != 0 { throw ExitCode(diagnostics.exitCode) }
    }

    /// Streams one text input: paragraphs are segmented and printed as they are read, a piece of
    /// about 1 MiB at a time (`TextParagraphChunks`), so memory stays flat. An error in the middle
    /// (invalid UTF-8) is reported after the paragraphs before it were printed.
    private func segmentText(path: String, displayPath: String, segmenter: Segmenter, out: StandardOutput, firstFile: Bool, printedParagraph: inout Bool, diagnostics: DiagnosticsPrinter) {
        if json { out.write((firstFile ? "" : ",") + "{\"path\":\(JSONText.quoted(displayPath)),\"segments\":[") }
        defer { if json { out.write("]}") } }
        var paragraphIndex = 0
        var firstSegment = true
        var costs: [String: SRXRuleCost] = [:]
        defer { if profileRules { printProfile(costs) } }
        var separate = printedParagraph
        defer { printedParagraph = separate }
        do {
            let source = try TextParagraphChunks(path: path, displayPath: displayPath, encoding: encoding.map(TextEncoding.init))
            while let chunk = try source.next() {
                if profileRules {
                    for c in segmenter.profile(paragraphsOf: String(decoding: chunk.utf16, as: UTF16.self)) {
                        let key = "\(c.rule.location)\u{0}\(c.languageRuleName)\u{0}\(c.rule.isBreak)\u{0}\(c.rule.beforeBreak)\u{0}\(c.rule.afterBreak)"
                        if var sum = costs[key] {
                            sum.nanoseconds += c.nanoseconds
                            sum.evaluations += c.evaluations
                            sum.vetoes += c.vetoes
                            costs[key] = sum
                        } else {
                            costs[key] = c
                        }
                    }
                }
                chunk.utf16.withUnsafeBufferPointer { text in
                    for paragraph in TextParagraphs.ranges(in: text) {
                        let sentences = segmenter.sentences(inParagraph: UnsafeBufferPointer(rebasing: text[paragraph]))
                        guard !sentences.isEmpty else { continue }
                        if !json && separate { out.write(byte: 0x0A) }
                        separate = true
                        for s in sentences {
                            let range = (s.lowerBound + paragraph.lowerBound)..<(s.upperBound + paragraph.lowerBound)
                            if json {
                                out.write(firstSegment ? "{" : ",{")
                                firstSegment = false
                                out.write("\"paragraph\":\(paragraphIndex),\"utf16Start\":\(range.lowerBound + chunk.utf16Offset),\"utf16End\":\(range.upperBound + chunk.utf16Offset),\"text\":")
                                out.write(JSONText.quoted(String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF16.self)))
                                out.write("}")
                            } else {
                                out.write(utf16: text, range: range, oneLine: true)
                                out.write(byte: 0x0A)
                            }
                        }
                        paragraphIndex += 1
                    }
                }
            }
        } catch {
            out.flush()
            diagnostics.emit(error: error, path: displayPath)
        }
    }

    /// `--profile-rules`: the time spent in each rule, summed over the pieces of one input, on stderr.
    private func printProfile(_ costs: [String: SRXRuleCost]) {
        var report = "ms\tevaluations\tvetoes\trule\n"
        for c in costs.values.sorted(by: { $0.nanoseconds > $1.nanoseconds }) {
            let kind = c.rule.isBreak ? "break" : "no-break"
            report += "\(c.nanoseconds / 1_000_000)\t\(c.evaluations)\t\(c.vetoes)\t\(c.rule.location) \(kind) [\(c.languageRuleName)] \(c.rule.beforeBreak.prefix(60)) / \(c.rule.afterBreak.prefix(60))\n"
        }
        FileHandle.standardError.write(Data(report.utf8))
    }
}

/// JSON string literals without Foundation's encoder (which would hold all output in memory).
enum JSONText {
    /// The skeleton's JSON string rule (`SkeletonFormat.quote`): standard JSON escapes, plus
    /// `\u` escapes for the characters XML cannot hold and for U+FEFF, which some JSON parsers
    /// drop; any JSON reader gets the same string back.
    static func quoted(_ s: String) -> String {
        SkeletonFormat.quote(s)
    }
}
