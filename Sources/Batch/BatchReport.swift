import Diagnostics
import FileAccess
import Formats
import Foundation

/// The JSON report of a run (`--report FILE`): counts, timings and one entry per file.
///
/// Field names are part of Verso's interface for scripts; add fields, never rename them.
public struct BatchReport: Sendable {
    /// Always `"verso convert"`.
    public var command: String
    /// Verso's version.
    public var version: String
    /// When the run started (ISO 8601, UTC).
    public var started: String
    /// Wall-clock seconds.
    public var wallSeconds: Double
    /// Files converted at once.
    public var jobs: Int
    /// Files processed per wall-clock second.
    public var filesPerSecond: Double
    /// True when every file succeeded.
    public var succeeded: Bool
    /// True when the run was interrupted.
    public var cancelled: Bool
    /// Counts by outcome.
    public var counts: BatchCounts
    /// Bytes read from the inputs converted.
    public var inputBytes: Int64
    /// Bytes written.
    public var outputBytes: Int64
    /// One entry per file.
    public var files: [FileEntry]
    /// Files found in folders and left alone.
    public var ignored: [IgnoredFile]
    /// Temporary files of earlier interrupted runs that were removed.
    public var removedTemporaries: [String]

    /// One file of the report.
    public struct FileEntry: Sendable {
        /// The input's path.
        public var input: String
        /// The output's path.
        public var output: String?
        /// `prepare`, `change-version` or `merge`.
        public var action: BatchAction?
        /// `converted`, `up-to-date`, `failed` or `cancelled`.
        public var status: BatchFileResult.Status
        /// Seconds spent on the file.
        public var seconds: Double
        /// Input size in bytes.
        public var inputBytes: Int64?
        /// Output size in bytes.
        public var outputBytes: Int64?
        /// Units converted.
        public var units: Int?
        /// The input's format (`1.2`, `2.1`, `text`, `html`).
        public var from: String?
        /// The output's format.
        public var to: String?
        /// The error, for a failed file.
        public var error: Diagnostic?
        /// The warnings.
        public var warnings: [Diagnostic]
    }

    /// An error or warning in the report.
    public struct Diagnostic: Sendable {
        /// The file the diagnostic is about.
        public var file: String?
        /// 1-based line.
        public var line: Int?
        /// 1-based column.
        public var column: Int?
        /// The message.
        public var message: String
        /// A stable code, when the producer gave one.
        public var code: String?

        init(_ finding: Finding) {
            file = finding.location?.file
            line = finding.location?.line
            column = finding.location?.column
            message = finding.message
            code = finding.code
        }
    }

    /// Builds the report of `summary`. `started` is the run's start time.
    public init(_ summary: BatchSummary, started: Date, version: String) {
        command = "verso convert"
        self.version = version
        self.started = ISO8601DateFormatter().string(from: started)
        wallSeconds = (summary.wallSeconds * 1000).rounded() / 1000
        jobs = summary.workers
        filesPerSecond = (summary.filesPerSecond * 10).rounded() / 10
        succeeded = summary.succeeded
        cancelled = summary.wasCancelled
        counts = summary.counts
        inputBytes = summary.results.filter { $0.status == .converted }.compactMap(\.inputBytes).reduce(0, +)
        outputBytes = summary.results.filter { $0.status == .converted }.compactMap(\.outputBytes).reduce(0, +)
        files = summary.results.map { r in
            FileEntry(
                input: r.input, output: r.output, action: r.action, status: r.status,
                seconds: (r.seconds * 1_000_000).rounded() / 1_000_000,
                inputBytes: r.inputBytes, outputBytes: r.outputBytes,
                units: r.units, from: r.from, to: r.to,
                error: r.error.map(Diagnostic.init), warnings: r.warnings.map(Diagnostic.init)
            )
        }
        ignored = summary.ignored
        removedTemporaries = summary.removedTemporaries
    }

    /// The report as pretty-printed JSON with sorted keys (stable diffs between runs).
    ///
    /// Written field by field rather than through `JSONEncoder`, which took ~10 ms for a
    /// 1,600-file run: time at the very end of a run, when nothing else is left to do.
    public func jsonData() throws -> Data {
        var json = ReportJSON()
        json.object { o in
            o.field("cancelled") { $0.bool(cancelled) }
            o.field("command") { $0.string(command) }
            o.field("counts") { v in
                v.object { c in
                    c.field("cancelled") { $0.int(counts.cancelled) }
                    c.field("converted") { $0.int(counts.converted) }
                    c.field("failed") { $0.int(counts.failed) }
                    c.field("ignored") { $0.int(counts.ignored) }
                    c.field("total") { $0.int(counts.total) }
                    c.field("upToDate") { $0.int(counts.upToDate) }
                    c.field("warnings") { $0.int(counts.warnings) }
                }
            }
            o.field("files") { v in v.array(files) { $0.entry($1) } }
            o.field("filesPerSecond") { $0.double(filesPerSecond) }
            o.field("ignored") { v in
                v.array(ignored) { w, file in
                    w.object { i in
                        i.field("path") { $0.string(file.path) }
                        i.field("reason") { $0.string(file.reason) }
                    }
                }
            }
            o.field("inputBytes") { $0.int(inputBytes) }
            o.field("jobs") { $0.int(jobs) }
            o.field("outputBytes") { $0.int(outputBytes) }
            o.field("removedTemporaries") { v in v.array(removedTemporaries) { $0.string($1) } }
            o.field("started") { $0.string(started) }
            o.field("succeeded") { $0.bool(succeeded) }
            o.field("version") { $0.string(version) }
            o.field("wallSeconds") { $0.double(wallSeconds) }
        }
        json.bytes.append(0x0A)
        return Data(json.bytes)
    }

    /// Writes the report atomically to `path`.
    public func write(to path: String) throws {
        try AtomicFile.write(jsonData(), to: path)
    }
}

/// A pretty-printed JSON writer for the report (two-space indents, `"key" : value`, as
/// `JSONEncoder` prints them); the caller writes each object's keys in sorted order.
private struct ReportJSON {
    var bytes: [UInt8] = []
    /// Fields written so far in each open object, innermost last.
    private var fieldCounts: [Int] = []
    private var depth = 0

    /// Writes an object; `body` writes its fields with `field`.
    mutating func object(_ body: (inout ReportJSON) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        fieldCounts.append(0)
        body(&self)
        let written = fieldCounts.removeLast()
        depth -= 1
        if written > 0 { newline() }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `"key" : value` in the innermost open object.
    mutating func field(_ key: StaticString, _ value: (inout ReportJSON) -> Void) {
        if fieldCounts[fieldCounts.count - 1] > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldCounts[fieldCounts.count - 1] += 1
        newline()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\" : ".utf8)
        value(&self)
    }

    /// Writes an array of `items`, each through `item`.
    mutating func array<T>(_ items: [T], _ item: (inout ReportJSON, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        for (i, element) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            newline()
            item(&self, element)
        }
        depth -= 1
        if !items.isEmpty { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ value: String) { SkeletonFormat.appendQuoted(value, to: &bytes) }
    mutating func int<I: BinaryInteger>(_ value: I) { bytes.append(contentsOf: String(value).utf8) }
    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    /// JSON has no NaN or infinity: they are written as 0.
    mutating func double(_ value: Double) {
        guard value.isFinite else { return int(0) }
        if value == value.rounded(), abs(value) < 1e15 { return int(Int64(value)) }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// One file's entry; absent optional fields are left out, as `JSONEncoder` does.
    mutating func entry(_ e: BatchReport.FileEntry) {
        object { o in
            if let action = e.action { o.field("action") { $0.string(action.rawValue) } }
            if let error = e.error { o.field("error") { $0.diagnostic(error) } }
            if let from = e.from { o.field("from") { $0.string(from) } }
            o.field("input") { $0.string(e.input) }
            if let bytes = e.inputBytes { o.field("inputBytes") { $0.int(bytes) } }
            if let output = e.output { o.field("output") { $0.string(output) } }
            if let bytes = e.outputBytes { o.field("outputBytes") { $0.int(bytes) } }
            o.field("seconds") { $0.double(e.seconds) }
            o.field("status") { $0.string(e.status.rawValue) }
            if let to = e.to { o.field("to") { $0.string(to) } }
            if let units = e.units { o.field("units") { $0.int(units) } }
            o.field("warnings") { v in v.array(e.warnings) { $0.diagnostic($1) } }
        }
    }

    mutating func diagnostic(_ d: BatchReport.Diagnostic) {
        object { o in
            if let code = d.code { o.field("code") { $0.string(code) } }
            if let column = d.column { o.field("column") { $0.int(column) } }
            if let file = d.file { o.field("file") { $0.string(file) } }
            if let line = d.line { o.field("line") { $0.int(line) } }
            o.field("message") { $0.string(d.message) }
        }
    }

    private mutating func newline() {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}
