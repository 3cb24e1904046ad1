import ArgumentParser
import Diagnostics
import Foundation
import TranslationModel
import XLIFF

/// `verso convert FILE --to xliff1.2|xliff2.0|xliff2.1|xliff2.2 -o OUTFILE`: changes the XLIFF
/// version of a file. The work is `XLIFFConverter.convert` (the per-file step a folder
/// conversion repeats); this type only parses options and reports.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert XLIFF between versions 1.2, 2.0, 2.1 and 2.2.",
        discussion: """
        A version change only: no re-segmentation, no term marking. The file is streamed one unit \
        at a time, so its size does not matter. What the target version cannot hold is reported as \
        a warning (exit 0; 1 with --strict). XLIFF 1.2 output validates against the OASIS strict \
        schema: markup of other tools (memoQ, Trados, Okapi…) is left out with a warning unless \
        --keep-extensions is given (then the output validates against the transitional schema). \
        The output is written atomically and never over the input.
        """
    )

    @Argument(help: ArgumentHelp("The XLIFF file to convert.", valueName: "input"))
    var inputs: [String]

    @Option(name: .customShort("o"), help: ArgumentHelp("The output file.", valueName: "out"))
    var output: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The version to write: xliff1.2, xliff2.0, xliff2.1 or xliff2.2.", valueName: "format"))
    var to: String

    @Flag(name: .customLong("keep-extensions"), help: "Keep other tools' markup in XLIFF 1.2 output (valid against the transitional schema).")
    var keepExtensions = false

    @OptionGroup var reporting: ReportingOptions

    /// `xliff1.2`, `xliff-2.1`, `XLIFF2.2`, `2.0` → the version.
    static func version(_ text: String) -> XLIFFVersion? {
        var s = text.lowercased()
        if s.hasPrefix("xliff") { s.removeFirst(5) }
        if s.hasPrefix("-") || s.hasPrefix(" ") { s.removeFirst() }
        return XLIFFVersion(rawValue: s)
    }

    func validate() throws {
        guard Self.version(to) != nil else {
            throw ValidationError("unknown output format '\(to)': use xliff1.2, xliff2.0, xliff2.1 or xliff2.2")
        }
        guard inputs.count == 1 else {
            throw ValidationError(inputs.isEmpty ? "name the XLIFF file to convert" : "convert takes one file here; folders and several inputs are converted by the batch engine")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(inputs[0]) is a folder: convert takes one file here")
        }
    }

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let options = XLIFFConverter.Options(version: Self.version(to)!, keepExtensions: keepExtensions)
        let input = inputs[0]
        var result: XLIFFConverter.Result?
        do {
            result = try XLIFFConverter.convert(input: input, output: output, options: options)
        } catch {
            printer.emit(error: error, path: input)
        }
        for finding in result?.findings ?? [] { printer.emit(finding) }
        if let result {
            if reporting.json {
                let summary: [String: Any] = [
                    "input": input, "output": output, "from": result.sourceVersion.rawValue,
                    "to": options.version.rawValue, "units": result.unitCount,
                    "warnings": result.findings.filter { $0.severity == .warning }.count,
                    "findings": result.findings.map { f -> [String: Any] in
                        var d: [String: Any] = ["severity": f.severity.rawValue, "message": f.message]
                        if let c = f.code { d["code"] = c }
                        if let l = f.location { d["file"] = l.file; if let line = l.line { d["line"] = line }; if let col = l.column { d["column"] = col } }
                        return d
                    },
                ]
                let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else if !reporting.quiet {
                let warnings = result.findings.filter { $0.severity == .warning }.count
                print("\(output): XLIFF \(result.sourceVersion.rawValue) → \(options.version.rawValue), \(result.unitCount) unit\(result.unitCount == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")")
            }
        }
        if printer.exitCode != 0 { throw ExitCode(printer.exitCode) }
    }
}
