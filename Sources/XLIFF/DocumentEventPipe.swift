import Diagnostics
import Foundation
import TranslationModel

/// Runs a document reader on its own thread and hands its events to the calling thread in
/// small batches, through a bounded queue: reading (libxml2's parse plus building the model)
/// and writing (the model to XML) then use two cores at once, while memory stays flat (at most
/// `capacity` batches of `batchSize` events wait between them).
///
/// The reader is made on the reading thread by `makeReader` (readers hold C state and are not
/// `Sendable`), and it yields each event with the location it came from (nil when the consumer
/// does not need it). An error the reader throws comes out of `next()` on the calling thread,
/// after the events read before it. When the consumer stops early it calls `close()`, which
/// stops the reader and waits for its thread to end.
///
/// Events the consumer has finished with go back to the reading thread (`recycle`) to be freed
/// there: glibc's malloc frees a block into the arena of the thread that allocated it, under
/// that arena's lock, so freeing the reader's blocks on the writing thread makes both threads
/// fight over one lock on every allocation (a quarter of the time went to futex calls).
final class DocumentEventPipe: @unchecked Sendable {
    // @unchecked: `queue`, `stopped`, `readerDone` and `returned` are read and written only
    // under `condition`'s lock; `spent`, `current`, `currentIndex` and `endFindings` belong to
    // the consuming thread alone.

    /// What the reading side produces.
    struct Source {
        /// The next event and where it came from, or nil at the end.
        var next: () throws -> (DocumentEvent, SourceLocation?)?
        /// The reader's findings, asked once at the end.
        var findings: () -> [Finding]
    }

    private enum Message {
        case batch([(DocumentEvent, SourceLocation?)])
        case end([Finding])
        case failed(any Error)
    }

    private let condition = NSCondition()
    private var queue: [Message] = []
    private var stopped = false
    private var readerDone = false
    private let capacity = 4
    private let batchSize = 64

    /// Spent events waiting to go back to the reading thread (touched by the consumer only).
    private var spent: [DocumentEvent] = []
    /// Spent batches handed back, freed by the reading thread when it next sends.
    private var returned: [[DocumentEvent]] = []

    /// Events received but not yet handed out.
    private var current: [(DocumentEvent, SourceLocation?)] = []
    private var currentIndex = 0
    private var endFindings: [Finding]?

    /// Starts the reading thread.
    init(makeReader: @escaping @Sendable () throws -> Source) {
        let thread = Thread { [self] in
            self.produce(makeReader)
        }
        // Deep content models recurse in the readers: give the thread the main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func produce(_ makeReader: () throws -> Source) {
        defer {
            condition.lock()
            readerDone = true
            condition.broadcast()
            condition.unlock()
        }
        do {
            let source = try makeReader()
            var batch: [(DocumentEvent, SourceLocation?)] = []
            batch.reserveCapacity(batchSize)
            while let item = try source.next() {
                batch.append(item)
                if batch.count == batchSize {
                    guard send(.batch(batch)) else { return }
                    batch = []
                    batch.reserveCapacity(batchSize)
                }
            }
            if !batch.isEmpty { guard send(.batch(batch)) else { return } }
            _ = send(.end(source.findings()))
        } catch {
            _ = send(.failed(error))
        }
    }

    /// Queues a message, waiting while the queue is full; false when the consumer has stopped.
    private func send(_ message: Message) -> Bool {
        condition.lock()
        while queue.count >= capacity && !stopped { condition.wait() }
        if stopped {
            condition.unlock()
            return false
        }
        queue.append(message)
        var garbage: [[DocumentEvent]] = []
        swap(&garbage, &returned)
        condition.broadcast()
        condition.unlock()
        // Freed here, on the reading thread that allocated them, outside the lock.
        garbage.removeAll()
        return true
    }

    private func receive() -> Message {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        // The queue holds a few messages at most: removing the first is cheap, and leaves the
        // batch referenced only here (so handing its events out copies nothing).
        let message = queue.removeFirst()
        condition.broadcast()
        return message
    }

    /// The next event and its location, nil at the end; rethrows the reader's error.
    func next() throws -> (DocumentEvent, SourceLocation?)? {
        while currentIndex == current.count {
            if endFindings != nil { return nil }
            switch receive() {
            case .batch(let items):
                current = items
                currentIndex = 0
            case .end(let findings):
                endFindings = findings
                current = []
                currentIndex = 0
                return nil
            case .failed(let error):
                endFindings = []
                current = []
                currentIndex = 0
                throw error
            }
        }
        // Move the event out (a swap costs no reference counting; a copy of a unit costs one
        // per field), so that the writer holds the only reference to its storage.
        var item: (DocumentEvent, SourceLocation?) = (.endFile, nil)
        swap(&item, &current[currentIndex])
        currentIndex += 1
        return item
    }

    /// Hands an event the consumer has finished with back to the reading thread, which frees it
    /// (see the type's comment); the consumer must keep no other reference to it.
    func recycle(_ event: consuming DocumentEvent) {
        spent.append(event)
        guard spent.count >= batchSize else { return }
        var full: [DocumentEvent] = []
        full.reserveCapacity(batchSize)
        swap(&full, &spent)
        condition.lock()
        returned.append(full)
        condition.unlock()
    }

    /// The reader's findings, once `next()` has returned nil.
    var findings: [Finding] { endFindings ?? [] }

    /// Stops the reader (if it is still going) and waits for its thread to end.
    func close() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !readerDone { condition.wait() }
        queue.removeAll()
        condition.unlock()
    }

    deinit {
        close()
    }
}
