/// How serious a diagnostic is. Ordered, so `max()` gives the worst.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// Extra information attached to another diagnostic.
    case note
    /// Something the run survives (a missing target, data the other XLIFF version cannot hold).
    case warning
    /// Something that makes the input invalid or the run fail.
    case error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    /// Orders by seriousness: note < warning < error.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A problem that lets the run go on, reported with its location at the end of the run.
///
/// Findings are plain values so that any stage can produce them and the front end decides
/// what to print and whether they fail the run (`--strict`).
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious it is.
    public var severity: Severity
    /// One line, lower-case start, no final period (as compilers print them).
    public var message: String
    /// Where it was found; nil when it concerns no particular input.
    public var location: SourceLocation?
    /// A stable identifier for scripts and `--json` (e.g. `xliff.lost-in-conversion`).
    public var code: String?

    /// Creates a finding.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil, code: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.code = code
    }

    /// `path:line:column: severity: message`, or `severity: message` without a location.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// An error that stops a document and knows where it happened.
///
/// Every module's thrown error type conforms, so the command line prints all of them as
/// `path:line:column: error: message` without knowing the module.
public protocol LocatedError: Error, CustomStringConvertible {
    /// Where the problem is; the file is always named.
    var location: SourceLocation { get }
    /// One line describing the problem, without the location.
    var message: String { get }
}

extension LocatedError {
    /// The error as a finding of severity `.error`.
    public var finding: Finding { Finding(.error, message, at: location) }
    /// `path:line:column: error: message`.
    public var description: String { "\(location): error: \(message)" }
}

/// Collects findings from any thread; the run's stages report into it and the front end reads it.
public final class FindingCollector: @unchecked Sendable {
    // @unchecked: every access to `storage` goes through `lock`.
    private let lock = NSLockLike()
    private var storage: [Finding] = []

    /// Creates an empty collector.
    public init() {}

    /// Adds a finding.
    public func report(_ finding: Finding) {
        lock.withLock { storage.append(finding) }
    }

    /// Adds a finding built from its parts.
    public func report(_ severity: Severity, _ message: String, at location: SourceLocation? = nil, code: String? = nil) {
        report(Finding(severity, message, at: location, code: code))
    }

    /// Everything reported so far, in order of arrival.
    public var findings: [Finding] { lock.withLock { storage } }

    /// The worst severity reported, or nil when nothing was.
    public var worstSeverity: Severity? { findings.map(\.severity).max() }
}
