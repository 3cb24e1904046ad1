import ArgumentParser
import Diagnostics
import FileAccess
import Foundation
import Pipeline

/// `verso merge TRANSLATED.xlf... -o DIR`: translated XLIFF back into the original documents.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write translated XLIFF back into the original format (text, HTML).",
        discussion: """
        Each <file> of an XLIFF written by `verso prepare` becomes its original document, \
        translated, under the name recorded in its 'original' attribute, in the output folder. \
        Inline codes are restored; a unit without a translation keeps its source text (with a \
        warning); a unit whose inline codes do not match the source's is written in the source \
        language (an error: exit status 1), a missing closing or opening code is added back \
        (a warning). Untranslated text comes back byte for byte. A bad XLIFF is reported and the \
        others are still merged; the exit status is 1 if any failed.
        """
    )

    @Argument(help: ArgumentHelp("Translated XLIFF files.", valueName: "xliff"))
    var inputs: [String]

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var output: String

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one XLIFF file to merge") }
    }

    func run() throws {
        let diagnostics = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        AtomicFile.removeStaleTemporaries(in: output)
        var claimed = Set<String>()
        var results: [[String: Any]] = []
        var lines: [String] = []
        for input in inputs {
            do {
                let merged = try TranslationMerge.merge(xliff: input, into: output, protectedInputs: inputs, claimedOutputs: &claimed, writeDocumentsWithUnitErrors: true)
                for f in merged.findings { diagnostics.emit(f) }
                // Errors here concern units (codes that do not match the source's): the document is
                // written with those units in the source language, and the run exits 1.
                let errors = merged.findings.filter { $0.severity == .error }
                results.append(["input": input, "status": "merged", "outputs": merged.outputs, "units": merged.units,
                                "warnings": merged.findings.filter { $0.severity != .error }.map(\.description), "errors": errors.map(\.description)])
                let errorNote = errors.isEmpty ? "" : ", \(errors.count) \(errors.count == 1 ? "error" : "errors")"
                lines.append("  \(input) → \(merged.outputs.joined(separator: ", ")) (\(merged.units.counted("unit"))\(errorNote))")
            } catch {
                diagnostics.emit(error: error, path: input)
                results.append(["input": input, "status": "failed", "error": (error as? LocatedError)?.message ?? String(describing: error)])
                lines.append("  \(input): failed")
            }
        }
        if reporting.json {
            let data = try JSONSerialization.data(withJSONObject: ["command": "merge", "files": results], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else if !reporting.quiet {
            let done = results.filter { $0["status"] as? String == "merged" }.count
            let text = "Merged \(done) of \(inputs.count) \(inputs.count == 1 ? "file" : "files") into \(output)\n" + lines.joined(separator: "\n") + "\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if diagnostics.exitCode != 0 { throw ExitCode(diagnostics.exitCode) }
    }
}
