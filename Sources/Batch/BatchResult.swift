import Diagnostics

/// What happened to one file of a batch.
public struct BatchFileResult: Sendable, Hashable {
    /// The outcome.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The output was written.
        case converted
        /// The output was newer than the input and left as it was (re-run without `--force`).
        case upToDate = "up-to-date"
        /// The file could not be converted; `findings` holds the error.
        case failed
        /// The run was interrupted (Ctrl-C) before this file was started.
        case cancelled
    }

    /// The input's path.
    public var input: String
    /// The output's path (nil when the input failed before one was decided).
    public var output: String?
    /// What was (or would have been) done.
    public var action: BatchAction?
    /// The outcome.
    public var status: Status
    /// The error (for a failure) and the warnings, each with its location.
    public var findings: [Finding]
    /// Time spent on this file, in seconds.
    public var seconds: Double
    /// Size of the input in bytes, when known.
    public var inputBytes: Int64?
    /// Size of the output in bytes, when written.
    public var outputBytes: Int64?
    /// Units converted, when the converter counts them.
    public var units: Int?
    /// The input's format (`1.2`, `2.1`, `text`, `html`), when the converter says.
    public var from: String?
    /// The output's format, in the same terms.
    public var to: String?

    /// Creates a result.
    public init(input: String, output: String?, action: BatchAction?, status: Status, findings: [Finding] = [], seconds: Double = 0, inputBytes: Int64? = nil, outputBytes: Int64? = nil) {
        self.input = input
        self.output = output
        self.action = action
        self.status = status
        self.findings = findings
        self.seconds = seconds
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
    }

    /// The error that made the file fail, if it did.
    public var error: Finding? { findings.first { $0.severity == .error } }

    /// The warnings reported for the file.
    public var warnings: [Finding] { findings.filter { $0.severity == .warning } }

    /// Turns any thrown error into an error finding that names the file (`LocatedError`s keep
    /// their line and column).
    public static func finding(for error: Error, path: String) -> Finding {
        if let located = error as? LocatedError { return located.finding }
        return Finding(.error, String(describing: error), at: SourceLocation(file: path))
    }
}

/// Counts of a run, by outcome.
public struct BatchCounts: Sendable, Hashable, Codable {
    /// Files considered (converted + up to date + failed + cancelled).
    public var total = 0
    /// Files whose output was written.
    public var converted = 0
    /// Files skipped because their output was newer.
    public var upToDate = 0
    /// Files that failed.
    public var failed = 0
    /// Files not started because the run was interrupted.
    public var cancelled = 0
    /// Files found in folders and left alone (unsupported formats).
    public var ignored = 0
    /// Warnings reported over all files.
    public var warnings = 0

    /// Creates zero counts.
    public init() {}

    mutating func add(_ result: BatchFileResult) {
        total += 1
        switch result.status {
        case .converted: converted += 1
        case .upToDate: upToDate += 1
        case .failed: failed += 1
        case .cancelled: cancelled += 1
        }
        warnings += result.warnings.count
    }
}

/// The outcome of a whole run.
public struct BatchSummary: Sendable {
    /// One result per file, failures found while planning first, then the jobs in plan order.
    public var results: [BatchFileResult]
    /// Files left alone.
    public var ignored: [IgnoredFile]
    /// `.verso-tmp-*` files of earlier interrupted runs that were removed at the start.
    public var removedTemporaries: [String]
    /// Counts by outcome.
    public var counts: BatchCounts
    /// Wall-clock time of the run, in seconds (planning included).
    public var wallSeconds: Double
    /// How many files were converted at once.
    public var workers: Int
    /// True when the run was interrupted.
    public var wasCancelled: Bool

    /// True when every file succeeded (converted or up to date) and the run was not interrupted.
    public var succeeded: Bool { counts.failed == 0 && counts.cancelled == 0 && !wasCancelled }

    /// Files processed (converted, up to date or failed) per second of wall-clock time.
    public var filesPerSecond: Double {
        wallSeconds > 0 ? Double(counts.converted + counts.upToDate + counts.failed) / wallSeconds : 0
    }
}
