import Diagnostics
import Foundation
import Synchronization

/// Prints diagnostics as `path:line:column: severity: message` on stderr, one per line, from any
/// thread, and decides the exit status (CLI.md: 0 success, 1 error, `--strict` makes warnings errors).
final class DiagnosticsPrinter: Sendable {
    private struct State {
        var errors = 0
        var warnings = 0
    }
    private let state = Mutex(State())
    private let strict: Bool
    private let quiet: Bool

    init(strict: Bool = false, quiet: Bool = false) {
        self.strict = strict
        self.quiet = quiet
    }

    /// Prints one finding and counts it.
    func emit(_ finding: Finding) {
        state.withLock { s in
            switch finding.severity {
            case .error: s.errors += 1
            case .warning: s.warnings += 1
            case .note: break
            }
        }
        if quiet && finding.severity == .note { return }
        FileHandle.standardError.write(Data((finding.description + "\n").utf8))
    }

    /// Prints an error thrown while processing a file; errors without a location name `path`.
    func emit(error: Error, path: String) {
        if let located = error as? LocatedError {
            emit(located.finding)
        } else {
            emit(Finding(.error, String(describing: error), at: SourceLocation(file: path)))
        }
    }

    /// Number of errors printed so far.
    var errorCount: Int { state.withLock { $0.errors } }
    /// Number of warnings printed so far.
    var warningCount: Int { state.withLock { $0.warnings } }

    /// 1 when an error was printed (or a warning under `--strict`), else 0.
    var exitCode: Int32 {
        state.withLock { s in (s.errors > 0 || (strict && s.warnings > 0)) ? 1 : 0 }
    }
}
