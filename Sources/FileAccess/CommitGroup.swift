#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Lets many `AtomicFile` outputs share one sync: a group commit.
///
/// The rename of a temporary file into place is what makes an output atomic (a crash or
/// `kill -9` leaves either no file or the whole file under its final name); no sync is needed
/// for that. The sync before the rename is what makes it *durable*: without it, after a power
/// loss or a kernel crash, the renamed file could come back empty or garbled under its final
/// name, newer than its input, and a resumed batch would skip it as up to date. One `fsync` per
/// output costs a disk-cache flush per file (3–4 ms here, more than converting a small file), so
/// a batch defers its commits into a group: outputs are written and closed under their
/// temporary names, then `flush()` syncs them all with one `syncfs` and renames each into
/// place. The guarantee is unchanged — every output renamed into place was synced first — and
/// an output whose group was never flushed (the run was killed) stays a `.verso-tmp-*` file,
/// removed by the next run, which converts that input again.
///
/// While `CommitGroup.$current` is bound to a group (`CommitGroup.$current.withValue(group) {…}`),
/// `AtomicFile.commit()` joins that group instead of syncing and renaming at once. Code that
/// reads an output back right after committing it must not run inside a group.
public final class CommitGroup: Sendable {
    /// The group `AtomicFile.commit()` joins, if any (bound per thread or task).
    @TaskLocal public static var current: CommitGroup?

    /// One output waiting for the group's sync.
    public struct Entry: Sendable, Hashable {
        /// The temporary file, complete and closed.
        public var temporaryPath: String
        /// Where it goes.
        public var destination: String
        /// Bytes written.
        public var bytes: Int64
    }

    /// What became of one output when the group was flushed.
    public struct Outcome: Sendable {
        /// The output.
        public var entry: Entry
        /// Nil when the output is in place; else why it is not (the temporary file is removed).
        public var error: FileAccessError?
    }

    private let pending = Mutex<[Entry]>([])

    /// Creates an empty group.
    public init() {}

    /// Outputs waiting for `flush()`.
    public var count: Int { pending.withLock { $0.count } }

    /// Adds a complete, closed temporary file to rename to `destination` at the next `flush()`.
    func add(_ entry: Entry) {
        pending.withLock { $0.append(entry) }
    }

    /// Syncs every waiting output, then renames each into place, in the order they were added.
    ///
    /// With more than a few outputs, one `syncfs` on their file system replaces an `fsync` per
    /// file. An output whose sync fails is not renamed (its temporary file is removed) and is
    /// reported; the others are still moved into place.
    @discardableResult
    public func flush() -> [Outcome] {
        Self.commit(takeEntries())
    }

    /// Flushes several groups with one sync: what `flush()` does for each, but the file system
    /// is synced once for all of them (a sync costs a disk-cache flush however little it
    /// carries). Returns each group's outcomes, in the order of `groups`.
    public static func flush(_ groups: [CommitGroup]) -> [[Outcome]] {
        let lists = groups.map { $0.takeEntries() }
        var outcomes = commit(lists.flatMap { $0 })[...]
        return lists.map { list in
            defer { outcomes = outcomes.dropFirst(list.count) }
            return Array(outcomes.prefix(list.count))
        }
    }

    private func takeEntries() -> [Entry] {
        pending.withLock { list -> [Entry] in
            defer { list.removeAll() }
            return list
        }
    }

    /// Syncs `entries`, then renames each into place, in order.
    private static func commit(_ entries: [Entry]) -> [Outcome] {
        guard !entries.isEmpty else { return [] }
        // One syncfs for the group; one fsync per file when there are only a few, when there
        // is no syncfs, or when it failed (the per-file syncs then say which file it was).
        var syncErrors = [String?](repeating: nil, count: entries.count)
        if entries.count <= Self.individualSyncLimit || Self.syncFileSystem(ofAnyOf: entries) != nil {
            for (i, entry) in entries.enumerated() {
                syncErrors[i] = Self.sync(file: entry.temporaryPath)
            }
        }
        return zip(entries, syncErrors).map { entry, syncError in
            if let syncError {
                unlink(entry.temporaryPath)
                return Outcome(entry: entry, error: FileAccessError(path: entry.destination, "cannot finish writing: \(syncError)"))
            }
            guard rename(entry.temporaryPath, entry.destination) == 0 else {
                let reason = InputFile.describe(errno: errno)
                unlink(entry.temporaryPath)
                return Outcome(entry: entry, error: FileAccessError(path: entry.destination, "cannot move output into place: \(reason)"))
            }
            return Outcome(entry: entry, error: nil)
        }
    }

    /// Up to this many outputs, each is synced with its own `fsync` (cheaper than syncing the
    /// whole file system, whose other dirty data may be large).
    static let individualSyncLimit = 2

    /// Syncs one closed file's data and size; nil on success, else the reason.
    private static func sync(file path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return InputFile.describe(errno: errno) }
        defer { close(fd) }
        return fsync(fd) == 0 ? nil : InputFile.describe(errno: errno)
    }

    /// Syncs the whole file system the entries' files are on (one of them is opened to name
    /// it); nil on success, else the reason.
    private static func syncFileSystem(ofAnyOf entries: [Entry]) -> String? {
        guard let syncfs = Self.syncfsFunction else { return "no syncfs on this system" }
        var reason = "no file to sync"
        for entry in entries {
            let fd = open(entry.temporaryPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                reason = InputFile.describe(errno: errno)
                continue
            }
            defer { close(fd) }
            return syncfs(fd) == 0 ? nil : InputFile.describe(errno: errno)
        }
        return reason
    }

    /// Linux's `syncfs(2)`, looked up at run time: Swift's Glibc module does not declare it
    /// (it is a GNU extension), and other systems have none.
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
