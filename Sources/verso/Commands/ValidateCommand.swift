import ArgumentParser
import Diagnostics
import FileAccess
import Foundation
import TranslationModel
import XLIFF

/// `verso validate FILE...`: well-formedness, version, the XLIFF processing requirements and,
/// with `--schemas`, the OASIS XML Schemas (offline).
///
/// The checking is `XLIFFFileValidator`'s; this type collects the inputs and reports: one
/// `path:line:column: severity: message` line per problem on stderr, one status line per file on
/// stdout (or the whole result as JSON with `--json`), exit status 1 when any file is invalid.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check XLIFF files (1.2, 2.0, 2.1, 2.2): well-formedness, version, processing requirements, and XML Schemas with --schemas.",
        discussion: """
        XLIFF 2 files are checked against the specification's processing requirements (unique \
        ids, references, inline-code pairing, editing hints, languages, module rules) without any \
        schema; XLIFF 1.2 files are read through Verso's 1.2 reader. With --schemas DIR (a folder \
        such as shared/standards/schemas, or one .xsd file) each file is also validated against \
        the XML Schema of its version through libxml2, with imports resolved by the catalog.xml \
        found in or above DIR, and never from the network. Folders are searched for XLIFF files \
        (\(XLIFFFileExtensions.listed)). Exit status 0 when every file is valid, 1 when any is not.
        """
    )

    @Argument(help: ArgumentHelp("XLIFF files, or folders to search for them.", valueName: "file"))
    var inputs: [String]

    @Option(name: .customLong("schemas"), help: ArgumentHelp("Also validate against the XML Schemas in this folder (or this .xsd file).", valueName: "dir"))
    var schemas: String?

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write the JSON result (as --json prints it) to this file.", valueName: "file"))
    var report: String?

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one XLIFF file to validate") }
        if let schemas, !FileManager.default.fileExists(atPath: schemas) {
            throw ValidationError("--schemas: no such folder or file: \(schemas)")
        }
    }

    func run() throws {
        let printer = DiagnosticsPrinter(strict: reporting.strict, quiet: reporting.quiet)
        let validator = XLIFFFileValidator(schemas: schemas)
        var reports: [XLIFFFileValidator.Report] = []
        let (paths, emptyFolders) = Self.files(inputs)
        // A folder without XLIFF is not a file: it is said on stderr (and in the JSON's
        // top-level findings), not counted in the summary. A warning while other inputs gave
        // files to check; an error when nothing at all was checked.
        var folderFindings: [Finding] = []
        for folder in emptyFolders {
            let finding = Finding(paths.isEmpty ? .error : .warning, "no XLIFF file (\(XLIFFFileExtensions.listed)) in this folder", at: SourceLocation(file: folder), code: "validate.no-input")
            folderFindings.append(finding)
            if !reporting.json { printer.emit(finding) }
        }
        for path in paths {
            let report = validator.validate(path: path)
            reports.append(report)
            if !reporting.json {
                for finding in report.findings { printer.emit(finding) }
                if !reporting.quiet { print(Self.statusLine(report)) }
            }
        }
        let invalid = reports.filter { !$0.isValid }.count
        if let report {
            do {
                try AtomicFile.write(Array(try Self.json(reports, findings: folderFindings)), to: report, protectedInputs: paths)
            } catch {
                printer.emit(error: error, path: report)
                throw ExitCode(1)
            }
        }
        if reporting.json {
            FileHandle.standardOutput.write(try Self.json(reports, findings: folderFindings))
        } else if !reporting.quiet && (reports.count > 1 || (!reports.isEmpty && !emptyFolders.isEmpty)) {
            var summary = "\(reports.count) file\(reports.count == 1 ? "" : "s"): \(reports.count - invalid) valid, \(invalid) invalid"
            if !emptyFolders.isEmpty { summary += "; \(emptyFolders.count) folder\(emptyFolders.count == 1 ? "" : "s") without XLIFF" }
            print(summary)
        }
        let findings = reports.flatMap(\.findings) + folderFindings
        let failed = findings.contains { $0.severity == .error } || (reporting.strict && findings.contains { $0.severity == .warning })
        if failed { throw ExitCode(1) }
    }

    /// The files named, folders replaced by the XLIFF files under them (sorted); and the
    /// folders where none was found.
    static func files(_ inputs: [String]) -> (files: [String], emptyFolders: [String]) {
        var out: [String] = []
        var empty: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue else {
                out.append(input)
                continue
            }
            let base = URL(fileURLWithPath: input)
            var found: [String] = []
            if let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
                for case let url as URL in walker where XLIFFFileExtensions.all.contains(url.pathExtension.lowercased()) {
                    let relative = url.path.hasPrefix(base.path + "/") ? String(url.path.dropFirst(base.path.count + 1)) : url.lastPathComponent
                    found.append(input.hasSuffix("/") ? input + relative : input + "/" + relative)
                }
            }
            if found.isEmpty { empty.append(input) }
            out += found.sorted()
        }
        return (out, empty)
    }

    static func statusLine(_ report: XLIFFFileValidator.Report) -> String {
        let version = report.version.map { "XLIFF \($0.rawValue)" } ?? "not XLIFF"
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.filter { $0.severity == .warning }.count
        var line = "\(report.path): "
        if report.version == nil {
            line += "invalid"
        } else {
            line += report.isValid ? "valid \(version)" : "invalid \(version)"
        }
        var counts: [String] = []
        if errors > 0 { counts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { counts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        if !counts.isEmpty { line += " (" + counts.joined(separator: ", ") + ")" }
        if report.schema != nil && report.version != nil { line += report.isValid ? ", schema checked" : "" }
        return line
    }

    /// `{"files": [{path, version, valid, errors, warnings, schema, findings: […]}], "valid": n, "invalid": n}`.
    static func json(_ reports: [XLIFFFileValidator.Report], findings others: [Finding] = []) throws -> Data {
        struct FileJSON: Encodable {
            var path: String
            var version: String?
            var valid: Bool
            var errors: Int
            var warnings: Int
            var schema: String?
            var findings: [FindingJSON]
        }
        struct RunJSON: Encodable {
            var files: [FileJSON]
            var valid: Int
            var invalid: Int
            /// Problems not about one file (a folder without XLIFF); absent when there is none.
            var findings: [FindingJSON]?
        }
        let files = reports.map { r in
            FileJSON(
                path: r.path, version: r.version?.rawValue, valid: r.isValid,
                errors: r.findings.filter { $0.severity == .error }.count,
                warnings: r.findings.filter { $0.severity == .warning }.count,
                schema: r.schema,
                findings: r.findings.map(FindingJSON.init)
            )
        }
        let run = RunJSON(files: files, valid: files.filter(\.valid).count, invalid: files.filter { !$0.valid }.count, findings: others.isEmpty ? nil : others.map(FindingJSON.init))
        return try JSONOutputWriter.encode(run)
    }
}
