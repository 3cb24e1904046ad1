import Diagnostics
import FileAccess
import Foundation
import Synchronization

/// Receives the progress of a run. Called from worker threads: implementations serialise
/// their own output.
public protocol BatchObserver: Sendable {
    /// The plan is made and stale temporaries are removed; conversion starts.
    func batchWillStart(_ plan: BatchPlan, workers: Int, removedTemporaries: [String])
    /// One file is done (also called once for each failure found while planning).
    func fileDidFinish(_ result: BatchFileResult, completed: Int, total: Int)
    /// Every file is done.
    func batchDidFinish(_ summary: BatchSummary)
}

/// Runs a batch: plans it, removes what crashed runs left, converts every file in parallel
/// with a `BatchFileConverter`, and keeps going whatever happens to one file.
///
/// Thread-safe; `cancel()` may be called from a signal handler's queue.
public final class BatchEngine: Sendable {
    /// What to do.
    public let request: BatchRequest
    private let converter: any BatchFileConverter
    private let observer: (any BatchObserver)?
    private let cancelled = Atomic<Bool>(false)

    /// Creates an engine for `request` that converts with `converter` and reports to `observer`.
    public init(request: BatchRequest, converter: any BatchFileConverter, observer: (any BatchObserver)? = nil) {
        self.request = request
        self.converter = converter
        self.observer = observer
    }

    /// Asks the run to stop: files being converted finish (their outputs stay whole), files
    /// not started are reported as cancelled.
    public func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// True once `cancel()` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Walks the inputs and decides every file's output and action (see `BatchPlan.make`).
    public func plan() -> BatchPlan {
        BatchPlan.make(request, converter: converter)
    }

    /// Runs the whole batch and returns what happened to every file. Never throws: failures
    /// are in the summary.
    public func run() -> BatchSummary {
        let start = ContinuousClock.now
        return run(plan(), startedAt: start)
    }

    /// Runs a plan made by `plan()` (so that a caller can look at it first, e.g. to refuse a
    /// run whose inputs need an option that was not given). `start` is when planning began, so
    /// that the wall time and the rate include walking the folders.
    public func run(_ plan: BatchPlan, startedAt start: ContinuousClock.Instant = .now) -> BatchSummary {
        let removed = Self.removeStaleTemporaries(for: plan)
        let workers = max(1, min(request.jobs, plan.jobs.count))
        observer?.batchWillStart(plan, workers: workers, removedTemporaries: removed)

        let total = plan.failures.count + plan.jobs.count
        let progress = Mutex(BatchCounts())
        for failure in plan.failures {
            let done = progress.withLock { counts -> Int in
                counts.add(failure)
                return counts.total
            }
            observer?.fileDidFinish(failure, completed: done, total: total)
        }

        let results = ResultSlots(count: plan.jobs.count)
        let next = Atomic<Int>(0)
        @Sendable func record(_ result: BatchFileResult, at index: Int) {
            results.set(index, result)
            let done = progress.withLock { counts -> Int in
                counts.add(result)
                return counts.total
            }
            observer?.fileDidFinish(result, completed: done, total: total)
        }
        // Each worker commits its outputs in groups (one sync for many files, see
        // `CommitGroup`), flushed on the queue's thread while the worker goes on; a file is
        // reported only once its output is in place.
        let commits = CommitQueue(capacity: 2 * workers)
        let work: @Sendable () -> Void = { [self] in
            var group = CommitGroup()
            var waiting: [(index: Int, result: BatchFileResult, outputs: Range<Int>)] = []
            var added = 0
            var oldest = ContinuousClock.now
            func handOver() {
                let files = waiting
                commits.enqueue(group) { outcomes in
                    for (index, var result, outputs) in files {
                        Self.settle(&result, with: outcomes[outputs])
                        record(result, at: index)
                    }
                }
                group = CommitGroup()
                waiting.removeAll(keepingCapacity: true)
                added = 0
            }
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < plan.jobs.count else { break }
                let job = plan.jobs[index]
                let result: BatchFileResult
                if isCancelled {
                    result = BatchFileResult(input: job.input, output: job.output, action: job.action, status: .cancelled)
                } else {
                    result = CommitGroup.$current.withValue(group) {
                        convertOne(job, skipIfUpToDate: plan.skipsUpToDateOutputs)
                    }
                }
                let count = group.count
                if count == 0 {
                    // Nothing of this worker waits for a sync (a failure, a skip): report now.
                    record(result, at: index)
                    continue
                }
                if added == 0 { oldest = .now }
                waiting.append((index, result, added..<count))
                added = count
                // Near the end, also whenever the committing thread has nothing to do: the group
                // still waiting when the last file is converted, whose sync the run waits for,
                // then holds what one sync's time produced rather than up to a full group.
                // Not earlier: every sync costs CPU (its writeback, a cache flush), and groups
                // synced while conversion goes on cost no waiting.
                if count >= Self.groupSize || ContinuousClock.now - oldest >= Self.groupDelay
                    || (plan.jobs.count - index <= Self.finalStretch && count >= Self.idleGroupSize && commits.isIdle) {
                    handOver()
                }
            }
            if !waiting.isEmpty { handOver() }
        }
        Self.runOnThreads(workers, work)
        commits.finish()

        var counts = progress.withLock { $0 }
        counts.ignored = plan.ignored.count
        let elapsed = ContinuousClock.now - start
        let summary = BatchSummary(
            results: plan.failures + results.all(),
            ignored: plan.ignored,
            removedTemporaries: removed,
            counts: counts,
            wallSeconds: Self.seconds(elapsed),
            workers: workers,
            wasCancelled: isCancelled
        )
        observer?.batchDidFinish(summary)
        return summary
    }

    /// One file: check the input, skip it when its output is newer, else convert it.
    private func convertOne(_ job: BatchJob, skipIfUpToDate: Bool) -> BatchFileResult {
        let start = ContinuousClock.now
        var result = BatchFileResult(input: job.input, output: job.output, action: job.action, status: .failed)
        do {
            let input = try FileStatus.of(job.input)
            result.inputBytes = input.size
            // Never open a FIFO, socket or device: reading one can block forever.
            guard input.kind == .regular else {
                throw FileAccessError(path: job.input, "not a regular file (it is \(input.kind.phrase))")
            }
            if skipIfUpToDate, let output = FileStatus.ifExists(job.output), output.kind == .regular,
               output.modificationNanoseconds > input.modificationNanoseconds {
                result.status = .upToDate
                result.outputBytes = output.size
                result.seconds = Self.seconds(ContinuousClock.now - start)
                return result
            }
            var job = job
            job.inputBytes = input.size
            let outcome = try converter.convert(job)
            result.findings = outcome.findings
            result.units = outcome.units
            result.from = outcome.from
            result.to = outcome.to
            if outcome.findings.contains(where: { $0.severity == .error }) {
                result.status = .failed
            } else {
                result.status = .converted
                // Inside a commit group the output appears at the group's flush (`settle`).
                if CommitGroup.current == nil { result.outputBytes = FileStatus.ifExists(job.output)?.size }
            }
        } catch {
            result.status = .failed
            result.findings.append(BatchFileResult.finding(for: error, path: job.input))
        }
        result.seconds = Self.seconds(ContinuousClock.now - start)
        return result
    }

    /// Outputs a worker commits with one sync, at most; and the longest an output waits for
    /// its group (so that progress keeps moving on slow files).
    static let groupSize = 128
    static let groupDelay = Duration.milliseconds(500)
    /// In a run's last `finalStretch` files, a group of `idleGroupSize` outputs or more is
    /// handed over as soon as the committing thread is idle (see the worker loop).
    static let finalStretch = 256
    static let idleGroupSize = 16

    /// Completes a converted file's result once its group is flushed: the output's size, or a
    /// failure when an output could not be synced or moved into place.
    static func settle(_ result: inout BatchFileResult, with outcomes: ArraySlice<CommitGroup.Outcome>) {
        for outcome in outcomes {
            if let error = outcome.error {
                if result.status == .converted { result.status = .failed }
                result.findings.append(BatchFileResult.finding(for: error, path: result.input))
            } else if outcome.entry.destination == result.output {
                result.outputBytes = outcome.entry.bytes
            }
        }
        if result.status == .converted, result.outputBytes == nil, let output = result.output {
            result.outputBytes = FileStatus.ifExists(output)?.size
        }
    }

    /// Removes `.verso-tmp-*` files left by crashed runs wherever this run writes: the whole
    /// output tree for a folder run, the output's folder for a single file. Files of a `verso`
    /// still running are kept (their names carry its process id).
    static func removeStaleTemporaries(for plan: BatchPlan) -> [String] {
        switch plan.layout {
        case .file:
            return AtomicFile.removeStaleTemporaries(in: plan.layout.folder)
        case .folder(let root):
            guard FileStatus.ifExists(root)?.kind == .directory else { return [] }
            var removed: [String] = []
            var pending = [root]
            while let folder = pending.popLast() {
                removed += AtomicFile.removeStaleTemporaries(in: folder)
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
                for name in names where !name.hasPrefix(AtomicFile.temporaryPrefix) {
                    let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                    // lstat: never follow a link out of the output tree.
                    if (try? FileStatus.linkStatus(path))?.kind == .directory { pending.append(path) }
                }
            }
            return removed.sorted()
        }
    }

    /// Runs `body` on `count` threads and waits for all of them. Plain threads rather than
    /// Swift concurrency: converters do blocking file I/O, which would starve the cooperative pool.
    private static func runOnThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        if count == 1 {
            body()
            return
        }
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            let thread = Thread {
                body()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// One result slot per job, written by the worker that ran it.
private final class ResultSlots: Sendable {
    private let slots: Mutex<[BatchFileResult?]>

    init(count: Int) {
        slots = Mutex(Array(repeating: nil, count: count))
    }

    func set(_ index: Int, _ result: BatchFileResult) {
        slots.withLock { $0[index] = result }
    }

    func all() -> [BatchFileResult] {
        slots.withLock { $0.compactMap { $0 } }
    }
}
