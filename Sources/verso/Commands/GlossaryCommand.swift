import ArgumentParser
import Diagnostics
import Foundation
import Terminology

/// `verso glossary`: termbase maintenance.
struct GlossaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glossary",
        abstract: "Work with termbases.",
        subcommands: [GlossaryIndexCommand.self]
    )
}

/// `verso glossary index FILE... -o NAME.sqlite`: a SQLite index for large termbases.
struct GlossaryIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build a SQLite index of TBX/CSV termbases, usable wherever --glossary is.",
        discussion: """
            The inputs are streamed, so a termbase of millions of terms is indexed in flat memory. \
            The index is written under a temporary name and renamed when complete: a malformed input \
            stops the build with its location and leaves no index behind (an existing one is kept).
            """
    )

    @Argument(help: ArgumentHelp("TBX, CSV or TSV termbases.", valueName: "file"))
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The index to write (NAME.sqlite).", valueName: "file"))
    var output: String

    @OptionGroup var reporting: ReportingOptions

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let start = Date()
        do {
            let report = try TermIndex.build(from: files, to: output)
            for f in report.findings { printer.emit(f) }
            if reporting.json {
                try JSONOutputWriter.print(IndexJSON(output: output, concepts: report.conceptCount, terms: report.termCount, languages: report.languages, warnings: report.findings.count))
            } else if !reporting.quiet {
                let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
                print("\(output): \(report.conceptCount.counted("concept")), \(report.termCount.counted("term")) (\(report.languages.joined(separator: ", "))) indexed in \(seconds) s")
            }
        } catch {
            printer.emit(error: error, path: files.first ?? output)
        }
        if printer.exitCode != 0 { throw ExitCode(printer.exitCode) }
    }

    private struct IndexJSON: Encodable {
        var output: String
        var concepts: Int
        var terms: Int
        var languages: [String]
        var warnings: Int
    }
}
