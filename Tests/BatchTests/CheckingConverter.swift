import Batch
import Diagnostics
import FileAccess
import Foundation
import Synchronization
import XMLSupport

/// A converter for engine tests that really reads its inputs, so broken files fail for real:
/// text and HTML must be UTF-8 (the offset of the first bad byte is reported), XLIFF is streamed
/// through libxml2 (truncated or malformed XML fails with line and column). Outputs are written
/// through `AtomicFile`, a few KB at a time, like the real converters.
final class CheckingConverter: BatchFileConverter {
    private let state = Mutex(State())
    private let delay: Duration
    private struct State {
        var running = 0
        var maxRunning = 0
        var converted: [String] = []
    }

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    /// The most files converted at the same moment.
    var maxConcurrency: Int { state.withLock { $0.maxRunning } }
    /// Inputs converted, in completion order.
    var converted: [String] { state.withLock { $0.converted } }

    func convert(_ job: BatchJob) throws -> BatchFileOutcome {
        state.withLock { s in
            s.running += 1
            s.maxRunning = max(s.maxRunning, s.running)
        }
        defer { state.withLock { $0.running -= 1 } }
        if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds)) }
        var findings: [Finding] = []
        let out = try AtomicFile(destination: job.output, protectedInputs: [job.input])
        do {
            switch job.kind {
            case .xliff:
                let reader = try XMLStreamReader(path: job.input)
                var elements = 0
                while let event = try reader.next() {
                    if case .startElement = event { elements += 1 }
                }
                try out.write(InputFile.readBytes(job.input))
                if elements < 3 { findings.append(Finding(.warning, "almost empty XLIFF", at: SourceLocation(file: job.input))) }
            case .plainText, .html:
                let bytes = try InputFile.readBytes(job.input)
                if let bad = Self.firstInvalidUTF8(bytes) {
                    throw FileAccessError(path: job.input, "invalid UTF-8 at byte offset \(bad)")
                }
                try out.write("<converted from=\"\(job.relativePath)\">\n")
                try out.write(bytes)
                try out.write("</converted>\n")
            }
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
        state.withLock { $0.converted.append(job.input) }
        return BatchFileOutcome(findings: findings)
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }
}
