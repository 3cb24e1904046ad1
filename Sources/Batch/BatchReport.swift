import Diagnostics
import FileAccess
import Foundation

/// The JSON report of a run (`--report FILE`): counts, timings and one entry per file.
///
/// Field names are part of Verso's interface for scripts; add fields, never rename them.
public struct BatchReport: Sendable, Codable {
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
    public struct FileEntry: Sendable, Codable {
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
    public struct Diagnostic: Sendable, Codable {
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
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the report atomically to `path`.
    public func write(to path: String) throws {
        try AtomicFile.write(jsonData(), to: path)
    }
}
