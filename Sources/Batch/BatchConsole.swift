#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation
import Synchronization

/// Prints a run's progress on stderr: a redrawn progress bar on a terminal, one plain line per
/// file otherwise (logs, CI), only errors and warnings with `--quiet`. Errors and warnings are
/// always printed as `path:line:column: severity: message`.
public final class BatchConsole: BatchObserver {
    /// How progress is shown.
    public enum Style: Sendable, Hashable {
        /// A progress bar redrawn in place (stderr is a terminal).
        case bar
        /// One line per file.
        case lines
        /// Errors and warnings only.
        case quiet
    }

    private struct State {
        var start = ContinuousClock.now
        var lastDraw: ContinuousClock.Instant?
        var failed = 0
        var barVisible = false
        var total = 0
    }

    /// The style in use.
    public let style: Style
    private let fd: Int32
    private let state = Mutex(State())

    /// A console for `--quiet` or not, choosing the bar when `fd` (stderr by default) is a terminal.
    public convenience init(quiet: Bool, fd: Int32 = 2) {
        self.init(style: quiet ? .quiet : (isatty(fd) == 1 ? .bar : .lines), fd: fd)
    }

    /// A console with an explicit style writing to `fd`.
    public init(style: Style, fd: Int32 = 2) {
        self.style = style
        self.fd = fd
    }

    public func batchWillStart(_ plan: BatchPlan, workers: Int, removedTemporaries: [String]) {
        state.withLock { s in
            s.start = .now
            s.total = plan.jobs.count + plan.failures.count
        }
        guard style != .quiet else { return }
        if !removedTemporaries.isEmpty {
            emit("note: removed \(removedTemporaries.count) unfinished temporary file\(removedTemporaries.count == 1 ? "" : "s") left by an interrupted run\n")
        }
        if style == .lines {
            let files = plan.jobs.count + plan.failures.count
            emit("converting \(files) file\(files == 1 ? "" : "s") with \(workers) job\(workers == 1 ? "" : "s")\n")
        }
    }

    public func fileDidFinish(_ result: BatchFileResult, completed: Int, total: Int) {
        var text = ""
        for finding in result.findings where finding.severity >= .warning {
            text += finding.description + "\n"
        }
        state.withLock { s in
            if result.status == .failed { s.failed += 1 }
            switch style {
            case .quiet:
                break
            case .lines:
                let width = String(total).count
                let counter = "[" + String(repeating: " ", count: max(0, width - String(completed).count)) + "\(completed)/\(total)]"
                switch result.status {
                case .converted: text += "\(counter) converted \(result.input) -> \(result.output ?? "?")\n"
                case .upToDate: text += "\(counter) up to date \(result.output ?? result.input)\n"
                case .failed: text += "\(counter) failed \(result.input)\n"
                case .cancelled: text += "\(counter) cancelled \(result.input)\n"
                }
            case .bar:
                let now = ContinuousClock.now
                let due = s.lastDraw.map { now - $0 >= .milliseconds(100) } ?? true
                if !text.isEmpty || due || completed == total {
                    // Clear the bar, print the diagnostics, redraw the bar below them.
                    let bar = Self.bar(completed: completed, total: total, failed: s.failed, elapsed: now - s.start, width: Self.terminalWidth(fd))
                    text = (s.barVisible ? "\r\u{1B}[K" : "") + text + bar
                    s.barVisible = true
                    s.lastDraw = now
                }
            }
            if !text.isEmpty { emit(text) }
        }
    }

    public func batchDidFinish(_ summary: BatchSummary) {
        guard style != .quiet else { return }
        var line = state.withLock { s -> String in
            let clear = s.barVisible ? "\r\u{1B}[K" : ""
            s.barVisible = false
            return clear
        }
        let c = summary.counts
        var parts = ["\(c.converted) converted"]
        if c.upToDate > 0 { parts.append("\(c.upToDate) up to date (use --force to redo)") }
        parts.append("\(c.failed) failed")
        if c.cancelled > 0 { parts.append("\(c.cancelled) cancelled") }
        if c.ignored > 0 { parts.append("\(c.ignored) ignored (not .txt, .html or .xlf)") }
        if c.warnings > 0 { parts.append("\(c.warnings) warning\(c.warnings == 1 ? "" : "s")") }
        line += parts.joined(separator: ", ")
        line += String(format: " in %.2f s (%.0f files/s)", summary.wallSeconds, summary.filesPerSecond)
        if summary.wasCancelled { line += " — interrupted" }
        emit(line + "\n")
    }

    /// `[#####.....]  1200/2000 files  60%  1532 files/s  2 failed`.
    static func bar(completed: Int, total: Int, failed: Int, elapsed: Duration, width: Int) -> String {
        let fraction = total > 0 ? Double(completed) / Double(total) : 1
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(completed) / seconds : 0
        var tail = "  \(completed)/\(total) files  \(Int(fraction * 100))%  \(Int(rate.rounded())) files/s"
        if failed > 0 { tail += "  \(failed) failed" }
        if rate > 0, completed < total {
            let eta = Int((Double(total - completed) / rate).rounded())
            tail += "  ETA \(eta / 60):" + (eta % 60 < 10 ? "0" : "") + "\(eta % 60)"
        }
        let barWidth = max(10, min(40, width - tail.count - 3))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]" + tail
    }

    private static func terminalWidth(_ fd: Int32) -> Int {
        var size = winsize()
        #if canImport(Darwin)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = UInt(TIOCGWINSZ)
        #endif
        if ioctl(fd, request, &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
