import FileAccess
import Foundation
import Synchronization

/// Flushes the workers' commit groups on a thread of its own, so that converting goes on while
/// the disk syncs.
///
/// A group's `syncfs` waits for the disk: a few milliseconds per group here, and far longer for
/// the first one when the file system holds other programs' unsynced data (0.2 s was seen with
/// builds running). A worker that flushed its own groups stood idle all that time; it now hands
/// each full group over and starts the next one. The guarantee is `CommitGroup`'s: an output is
/// renamed into place only after its group was synced, and a file is reported only once its
/// output is in place.
///
/// At most `capacity` groups wait: a worker that finds the queue full waits for room, so that a
/// slow disk slows the run down instead of piling up temporary files.
final class CommitQueue: @unchecked Sendable {
    /// A flushed group's files and what to do with their results.
    typealias Settle = @Sendable (_ outcomes: [CommitGroup.Outcome]) -> Void

    private struct Item {
        var group: CommitGroup
        var settle: Settle
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    private let capacity: Int
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the committing thread; `capacity` groups may wait at most.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in
            drain()
            finished.signal()
        }
        thread.start()
    }

    /// Queues `group` to be flushed after the groups queued before it; `settle` then receives
    /// its outcomes on the committing thread. Waits while the queue is full.
    func enqueue(_ group: CommitGroup, settle: @escaping Settle) {
        condition.lock()
        while items.count >= capacity && !closed {
            condition.wait()
        }
        items.append(Item(group: group, settle: settle))
        condition.broadcast()
        condition.unlock()
    }

    /// Flushes every queued group and stops the thread; returns once all are settled.
    func finish() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    /// True while the committing thread has nothing to do: a group handed over now is synced
    /// at once. Read without the lock (a hint for when to hand over, never for correctness).
    var isIdle: Bool { idle.load(ordering: .relaxed) }
    private let idle = Atomic<Bool>(false)

    private func drain() {
        while true {
            condition.lock()
            while items.isEmpty && !closed {
                idle.store(true, ordering: .relaxed)
                condition.wait()
            }
            idle.store(false, ordering: .relaxed)
            guard !items.isEmpty else {
                condition.unlock()
                return
            }
            // Every group waiting by now shares one sync (e.g. each worker's last group at the
            // end of a run): a sync costs a disk-cache flush however little it carries.
            let taken = items
            items.removeAll(keepingCapacity: true)
            // Room for waiting workers.
            condition.broadcast()
            condition.unlock()
            let outcomes = CommitGroup.flush(taken.map(\.group))
            for (item, outcome) in zip(taken, outcomes) {
                item.settle(outcome)
            }
        }
    }
}
