import Diagnostics
import FileAccess
import Foundation
import TranslationModel
import XMLSupport

/// Validates XLIFF files of any version: the per-file step of `verso validate`.
///
/// Reads the file's root to learn its version, then checks XLIFF 2.x with `XLIFF2Validator`
/// (structure, values, processing requirements) and XLIFF 1.2 by reading it through
/// `XLIFF12Reader` (the structure the model needs), and, when a schema folder is given, validates
/// against the version's XML Schema through libxml2, offline. Not `Sendable` (it keeps compiled
/// schemas); use one per thread.
public final class XLIFFFileValidator {
    /// What one file gave.
    public struct Report: Sendable, Hashable {
        /// The file as named.
        public var path: String
        /// The version read from its root, when it could be read.
        public var version: XLIFFVersion?
        /// Every problem, errors and warnings, in document order.
        public var findings: [Finding]
        /// Whether a schema was applied.
        public var schema: String?

        /// True when no error was found.
        public var isValid: Bool { !findings.contains { $0.severity == .error } }

        /// Creates a report.
        public init(path: String, version: XLIFFVersion?, findings: [Finding], schema: String? = nil) {
            self.path = path
            self.version = version
            self.findings = findings
            self.schema = schema
        }
    }

    private let schemaLocation: String?
    private var compiled: [String: XMLSchemaValidator] = [:]
    private var schemaErrors: [String: Finding] = [:]

    /// `schemas` is a folder of schemas or one `.xsd` file; nil skips schema validation.
    public init(schemas: String? = nil) {
        schemaLocation = schemas
    }

    /// Validates one file.
    public func validate(path: String, displayPath: String? = nil) -> Report {
        let shown = displayPath ?? path
        var report = Report(path: shown, version: nil, findings: [])
        do {
            try InputFile.checkReadable(path)
            if Self.isEmpty(path) {
                report.findings.append(Finding(.error, "the file is empty", at: SourceLocation(file: shown), code: "xliff.empty"))
                return report
            }
            report.version = try XLIFFConverter.detectVersion(ofFile: path, displayPath: shown)
        } catch let error as LocatedError {
            report.findings.append(Finding(.error, error.message, at: error.location, code: "xliff.unreadable"))
            return report
        } catch {
            report.findings.append(Finding(.error, String(describing: error), at: SourceLocation(file: shown), code: "xliff.unreadable"))
            return report
        }
        guard let version = report.version else { return report }
        if version.isVersion2 {
            report.findings = XLIFF2Validator().validate(path: path, displayPath: shown)
        } else {
            report.findings = checkXLIFF12(path: path, displayPath: shown)
        }
        if let schemaLocation {
            let wellFormed = !report.findings.contains { $0.code == "xml.not-well-formed" }
            if wellFormed && version == .v1_2, let namespace = Self.rootNamespace(path), namespace != XLIFFNamespace.v1_2 {
                // XLIFF 1.0 and 1.1 (read as 1.2) have DTDs, not schemas.
                let what = namespace.isEmpty ? "no namespace" : "namespace '\(namespace)'"
                report.findings.append(Finding(.warning, "no XML Schema applies to this XLIFF 1.0/1.1 document (\(what)); schema validation skipped", at: SourceLocation(file: shown), code: "xsd.not-applicable"))
            } else if wellFormed {
                let (schema, findings) = schemaFindings(path: path, displayPath: shown, version: version, location: schemaLocation)
                report.schema = schema
                report.findings += findings
            }
        }
        return report
    }

    private static func isEmpty(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0
    }

    private static func rootNamespace(_ path: String) -> String? {
        guard let reader = try? XMLStreamReader(path: path) else { return nil }
        while let event = try? reader.next() {
            if case .startElement(let root) = event { return root.name.namespace }
        }
        return nil
    }

    /// XLIFF 1.2: the specification's rules (`XLIFF12Validator`), then the whole document
    /// through the 1.2 reader (which throws on structure it cannot read and reports what it
    /// skipped). A reader warning on a line where the validator already reported an error says
    /// the same thing from the reader's side ("'und' assumed") and is left out.
    private func checkXLIFF12(path: String, displayPath: String) -> [Finding] {
        // The two passes read the file independently: a big one is read by both at once (on
        // the same terms as `verso convert` reads a big input on a second thread).
        let big = XLIFFConverter.fileSize(path) >= XLIFFConverter.Options.defaultReadAheadThreshold
        let passes = PassResults()
        DispatchQueue.concurrentPerform(iterations: big ? 2 : 1) { i in
            if i == 0 || !big { passes.set(rules: XLIFF12Validator().validate(path: path, displayPath: displayPath)) }
            if i == 1 || !big { passes.set(read: Self.readXLIFF12(path: path, displayPath: displayPath)) }
        }
        let rules = passes.rules
        let errorLines = Set(rules.filter { $0.severity == .error }.compactMap { $0.location?.line })
        let misplaced = rules.contains { $0.code == "xliff12.misplaced-element" }
        let read = passes.read.filter { f in
            guard f.severity == .warning else { return true }
            if f.code == "xliff12.read" && f.location?.line.map(errorLines.contains) == true { return false }
            // "foreign element(s) after the last <file> dropped": the error said it.
            if misplaced && f.code == "xliff12.dropped" && f.message.contains("after the last <file>") { return false }
            return true
        }
        return (rules + read).enumerated().sorted { a, b in
            let (la, lb) = (a.element.location?.line ?? Int.max, b.element.location?.line ?? Int.max)
            if la != lb { return la < lb }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The findings of the two XLIFF 1.2 passes, each set once by the thread that ran it.
    private final class PassResults: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private var storedRules: [Finding] = []
        private var storedRead: [Finding] = []
        func set(rules: [Finding]) { lock.withLock { storedRules = rules } }
        func set(read: [Finding]) { lock.withLock { storedRead = read } }
        var rules: [Finding] { lock.withLock { storedRules } }
        var read: [Finding] { lock.withLock { storedRead } }
    }

    private static func readXLIFF12(path: String, displayPath: String) -> [Finding] {
        var findings: [Finding] = []
        do {
            let reader = try XLIFF12Reader(path: path, displayPath: displayPath)
            do {
                while try reader.next() != nil {}
            } catch {
                findings += reader.findings
                throw error
            }
            findings += reader.findings
        } catch let error as XMLError {
            findings.append(Finding(.error, error.message, at: error.location, code: "xml.not-well-formed"))
        } catch let error as LocatedError {
            findings.append(Finding(.error, error.message, at: error.location, code: "xliff12.invalid"))
        } catch {
            findings.append(Finding(.error, String(describing: error), at: SourceLocation(file: displayPath), code: "xliff12.invalid"))
        }
        return findings
    }

    private func schemaFindings(path: String, displayPath: String, version: XLIFFVersion, location: String) -> (String?, [Finding]) {
        guard let schemaPath = XLIFFSchemaLocator.schema(for: version, in: location) else {
            return (nil, [Finding(.error, "no schema for XLIFF \(version.rawValue) in '\(location)'", at: SourceLocation(file: displayPath), code: "xsd.no-schema")])
        }
        if let failure = schemaErrors[schemaPath] { return (schemaPath, [failure]) }
        let validator: XMLSchemaValidator
        if let cached = compiled[schemaPath] {
            validator = cached
        } else {
            do {
                validator = try XMLSchemaValidator(schemaPath: schemaPath)
                compiled[schemaPath] = validator
            } catch let error as LocatedError {
                let finding = Finding(.error, "schema \(schemaPath) cannot be used: \(error.message)", at: SourceLocation(file: displayPath), code: "xsd.bad-schema")
                schemaErrors[schemaPath] = finding
                return (schemaPath, [finding])
            } catch {
                return (schemaPath, [Finding(.error, "schema \(schemaPath) cannot be used: \(error)", at: SourceLocation(file: displayPath), code: "xsd.bad-schema")])
            }
        }
        let errors = validator.validate(path: path, displayPath: displayPath, wellFormed: true)
        return (schemaPath, errors.map { Finding(.error, "schema: \($0.message)", at: $0.location, code: "xsd.invalid") })
    }
}
