#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// An output file written under a temporary name and renamed into place only when complete.
///
/// The temporary file lives in the destination folder (so the rename is atomic on one file
/// system) and is named `.verso-tmp-*`, so that a later run can recognise and remove what a
/// crash or `kill -9` left behind (`AtomicFile.removeStaleTemporaries(in:)`). Not `Sendable`:
/// one owner writes it.
public final class AtomicFile {
    /// Prefix of every temporary file name, as documented in CLI.md.
    public static let temporaryPrefix = ".verso-tmp-"

    /// Where the file will appear on `commit()`.
    public let destination: String
    /// The temporary path being written.
    public let temporaryPath: String
    /// The temporary file's descriptor; -1 once closed.
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 16
    /// Bytes handed to `write` so far.
    public private(set) var bytesWritten: Int64 = 0

    /// Opens a temporary file beside `destination`, creating missing folders.
    ///
    /// Refuses to write over any path in `protectedInputs` (an input is never overwritten).
    public init(destination: String, protectedInputs: [String] = []) throws {
        // Same file = same device and inode (through symbolic links and hard links alike). A
        // destination that does not exist yet cannot be an input. Two `stat`s, where resolving
        // both paths component by component cost a dozen per file in a batch of thousands.
        var destStat = stat()
        if !protectedInputs.isEmpty, stat(destination, &destStat) == 0 {
            for input in protectedInputs {
                var inStat = stat()
                if stat(input, &inStat) == 0, inStat.st_dev == destStat.st_dev, inStat.st_ino == destStat.st_ino {
                    throw FileAccessError(path: destination, "refusing to overwrite the input file")
                }
            }
        }
        self.destination = destination
        let folder = PathNames.folder(of: destination)
        // One string grown in place: interpolating the parts cost thousands of instructions per
        // output in a batch.
        let last = PathNames.lastComponent(destination)
        let counter = String(Self.tokenCounter.wrappingAdd(1, ordering: .relaxed).oldValue, radix: 36)
        var path = folder
        path.reserveCapacity(folder.utf8.count + Self.namePrefix.utf8.count + counter.utf8.count + last.utf8.count + 2)
        if !folder.hasSuffix("/") { path += "/" }
        path += Self.namePrefix
        path += counter
        path += "-"
        path += last
        temporaryPath = path
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        fd = open(temporaryPath, flags, 0o644)
        // The folder is missing (or a file is in its way) only for the first output of a new
        // folder: trying the open first spares a `stat` of the folder for every other output.
        if fd < 0, errno == ENOENT || errno == ENOTDIR {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FileAccessError(path: folder, "cannot create output folder")
            }
            fd = open(temporaryPath, flags, 0o644)
        }
        guard fd >= 0 else {
            throw FileAccessError(path: destination, "cannot create output: \(InputFile.describe(errno: errno))")
        }
    }

    deinit {
        // An output that was never committed must not survive.
        if fd >= 0 { discard() }
    }

    /// This process's id, asked once (glibc no longer caches it: `getpid` is a system call).
    public static let processID: Int32 = getpid()

    private static let tokenSeed = UInt64.random(in: 0...UInt64.max) >> 8
    private static let tokenCounter = Atomic<UInt64>(0)

    /// A token no other temporary name of this process has and another process cannot guess:
    /// a per-process random seed plus a counter (one random draw per process, where one per
    /// file cost a system call each). `O_EXCL` guards against the remaining collisions.
    public static func uniqueToken() -> String {
        let n = tokenCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        return seedDigits + String(n, radix: 36)
    }

    private static let seedDigits = String(tokenSeed, radix: 36)

    /// A temporary name up to its counter: `.verso-tmp-PID-SEED` (then the counter, `-` and the
    /// destination's name), as `uniqueToken()` spells the seed.
    private static let namePrefix = "\(temporaryPrefix)\(processID)-\(seedDigits)"

    /// Appends bytes.
    public func write(_ bytes: some Sequence<UInt8>) throws {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(buffer.count - before)
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Appends a string as UTF-8.
    public func write(_ string: String) throws {
        try write(string.utf8)
    }

    /// Appends bytes from a raw buffer without copying them into a Swift array first.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += Int64(bytes.count)
        // A large piece (an XML writer's output comes in buffers of about 16 KB, a small
        // document's whole at its end) goes to the file where it is, after what is buffered:
        // copying it into the buffer first cost as much as producing it had.
        if bytes.count >= Self.writeThroughMinimum {
            try writeThrough(bytes)
            return
        }
        // Room for the small pieces up front (a writer's large ones bypass the buffer): growing it
        // step by step copied what was written again at each step.
        if buffer.capacity == 0 { buffer.reserveCapacity(Self.writeThroughMinimum) }
        // As typed bytes: appending the raw buffer itself went through its iterator a byte at
        // a time instead of one copy.
        buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        if buffer.count >= bufferLimit { try flush() }
    }

    private func flush() throws {
        guard fd >= 0 else { throw FileAccessError(path: destination, "output already closed") }
        guard !buffer.isEmpty else { return }
        try writeThrough(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Pieces at least this large are written where they are rather than buffered.
    private static let writeThroughMinimum = 4096

    /// Writes the buffered bytes and then `bytes` (which may be empty: `flush()`), in one
    /// `writev` (a write per piece would double the system calls of a small output); what a
    /// partial write leaves goes by `write`.
    private func writeThrough(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw FileAccessError(path: destination, "output already closed") }
        let tail = bytes.count > 0 ? bytes.baseAddress : nil
        let failure: Int32? = buffer.withUnsafeBytes { head in
            let headCount = head.count
            let total = headCount + (tail == nil ? 0 : bytes.count)
            var done = 0
            while done < total {
                let n: Int
                if done < headCount, let headBase = head.baseAddress {
                    if let tail {
                        var pieces = (iovec(iov_base: UnsafeMutableRawPointer(mutating: headBase + done), iov_len: headCount - done),
                                      iovec(iov_base: UnsafeMutableRawPointer(mutating: tail), iov_len: bytes.count))
                        n = withUnsafeMutableBytes(of: &pieces) { writev(fd, $0.baseAddress!.assumingMemoryBound(to: iovec.self), 2) }
                    } else {
                        n = systemWrite(fd, headBase + done, headCount - done)
                    }
                } else if let tail {
                    n = systemWrite(fd, tail + (done - headCount), total - done)
                } else {
                    break
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return nil
        }
        if let failure {
            throw FileAccessError(path: destination, "write failed: \(InputFile.describe(errno: failure))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file to its destination.
    ///
    /// Inside a `CommitGroup` (`CommitGroup.$current`), the file is closed complete but unsynced
    /// and joins the group, which syncs and renames it on its `flush()`: the destination then
    /// appears only at that flush.
    public func commit() throws {
        try flush()
        guard fd >= 0 else { throw FileAccessError(path: destination, "output already closed") }
        if let group = CommitGroup.current {
            let closed = close(fd)
            fd = -1
            guard closed == 0 else {
                let reason = InputFile.describe(errno: errno)
                unlink(temporaryPath)
                throw FileAccessError(path: destination, "cannot finish writing: \(reason)")
            }
            group.add(CommitGroup.Entry(temporaryPath: temporaryPath, destination: destination, bytes: bytesWritten))
            return
        }
        let synced = fsync(fd) == 0 ? nil : InputFile.describe(errno: errno)
        let closed = close(fd) == 0 ? nil : InputFile.describe(errno: errno)
        fd = -1
        if let reason = synced ?? closed {
            unlink(temporaryPath)
            throw FileAccessError(path: destination, "cannot finish writing: \(reason)")
        }
        guard rename(temporaryPath, destination) == 0 else {
            let reason = InputFile.describe(errno: errno)
            unlink(temporaryPath)
            throw FileAccessError(path: destination, "cannot move output into place: \(reason)")
        }
    }

    /// Closes and deletes the temporary file; the destination is left as it was.
    public func discard() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer.removeAll()
        unlink(temporaryPath)
    }

    /// Writes `bytes` to `destination` atomically in one call.
    public static func write(_ bytes: some Sequence<UInt8>, to destination: String, protectedInputs: [String] = []) throws {
        let file = try AtomicFile(destination: destination, protectedInputs: protectedInputs)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Removes `.verso-tmp-*` files that an interrupted run left in `folder` (not recursive),
    /// and returns their paths. Files whose writer process is still running are kept.
    @discardableResult
    public static func removeStaleTemporaries(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(temporaryPrefix) {
            // The name carries the writer's pid: leave the files of a run that is still alive
            // (including this process, whose open outputs clean up after themselves).
            let rest = name.dropFirst(temporaryPrefix.count)
            if let pid = Int32(rest.prefix { $0 != "-" }), pid == processID || kill(pid, 0) == 0 || errno == EPERM {
                continue
            }
            let path = URL(fileURLWithPath: folder, isDirectory: true).appendingPathComponent(name, isDirectory: false).path
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}

/// `write(2)`, named apart from `AtomicFile.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, bytes, count)
    #else
    return Darwin.write(fd, bytes, count)
    #endif
}
