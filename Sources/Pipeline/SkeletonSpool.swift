import Foundation
import FileAccess
import Formats
import XMLSupport

/// Keeps the skeleton of a document being prepared in memory up to 64 KiB, then in a temporary
/// file beside the output, so that preparing a file of any size needs no more memory than a
/// small one — and a small document (the common case in a folder of thousands) costs no
/// temporary file at all.
///
/// The file is named like every Verso temporary (`.verso-tmp-<pid>-…`), so that a later run
/// removes it if this one is killed; it is deleted when the spool is released.
final class SkeletonSpool: SkeletonSink {
    private let folder: String
    private let name: String
    /// Where the skeleton goes once it outgrows memory (named only then: most never do).
    private(set) lazy var path: String = {
        let file = "\(AtomicFile.temporaryPrefix)\(AtomicFile.processID)-\(AtomicFile.uniqueToken())-\(name).skeleton"
        return folder.hasSuffix("/") ? folder + file : folder + "/" + file
    }()
    /// The temporary file, opened when the skeleton first outgrows the in-memory buffer.
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) var entryCount = 0

    init(folder: String, name: String) throws {
        // No system call before the skeleton outgrows memory.
        self.folder = folder
        self.name = name
    }

    deinit {
        if let handle {
            try? handle.close()
            unlink(path)
        }
    }

    private func openFile() throws -> FileHandle {
        if let handle { return handle }
        // The output folder may not exist yet: the output itself is created after this pass.
        var folderStat = stat()
        if stat(folder, &folderStat) != 0 || (folderStat.st_mode & S_IFMT) != S_IFDIR {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forUpdatingAtPath: path) else {
            throw FileAccessError(path: path, "cannot create a temporary file in the output folder")
        }
        handle = h
        return h
    }

    /// Adjacent text entries are written as one line (up to 64 KiB), which keeps the skeleton short.
    private var pendingText = ""

    func append(_ entry: SkeletonEntry) throws {
        if case .text(let t) = entry {
            pendingText += t
            if pendingText.utf8.count >= 1 << 16 { try writePendingText() }
            return
        }
        try writePendingText()
        try writeLine(entry)
    }

    private func writePendingText() throws {
        guard !pendingText.isEmpty else { return }
        let text = pendingText
        pendingText = ""
        try writeLine(.text(text))
    }

    private func writeLine(_ entry: SkeletonEntry) throws {
        SkeletonFormat.appendLine(for: entry, to: &buffer)
        buffer.append(0x0A)
        entryCount += 1
        if buffer.count >= 1 << 16 { try writeBuffer() }
    }

    /// Writes what is pending to the temporary file, if there is one (a skeleton that still fits
    /// in memory stays there).
    func flush() throws {
        try writePendingText()
        if handle != nil { try writeBuffer() }
    }

    private func writeBuffer() throws {
        guard !buffer.isEmpty else { return }
        let file = try openFile()
        do { try file.write(contentsOf: buffer) } catch {
            throw FileAccessError(path: path, "cannot write a temporary file: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads the spooled lines back in chunks, from the start.
    func readChunks(_ body: ([UInt8]) throws -> Void) throws {
        try flush()
        guard let handle else {
            if !buffer.isEmpty { try body(buffer) }
            return
        }
        try handle.seek(toOffset: 0)
        while true {
            guard let data = try handle.read(upToCount: 1 << 16), !data.isEmpty else { break }
            try body([UInt8](data))
        }
    }
}

/// Sits between an XLIFF writer and the output file: where the writer wrote the placeholder
/// token as the file's skeleton, it writes the real skeleton (header line + spooled entries),
/// escaped as XML character data. This lets the skeleton come first in the XLIFF (where the
/// standards put it) although it is only complete after the whole input was read.
///
/// The writer's bytes are searched where they are and passed on without a copy: only the few
/// bytes at the end of a write that could begin the token are held back until the next one.
final class SkeletonSplicer {
    private let token: [UInt8]
    private let header: String
    private let spool: SkeletonSpool
    private let output: (UnsafeRawBufferPointer) throws -> Void
    /// The end of the bytes received so far (shorter than the token) while the token is not
    /// found yet: it may begin there and end in the next write.
    private var carry: [UInt8] = []
    /// Where the skeleton is escaped before it goes to the output (`escapeCapacity` bytes).
    private let escapeBuffer: UnsafeMutablePointer<UInt8>
    private static let escapeCapacity = 1 << 14
    private(set) var spliced = false

    /// A placeholder no document contains.
    static func makeToken() -> String {
        tokenPrefix + AtomicFile.uniqueToken()
    }

    /// 128 random bits drawn once per process (a draw per file cost two system calls).
    private static let tokenPrefix = "verso-skeleton-placeholder-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + String(UInt64.random(in: 0...UInt64.max), radix: 36) + "-"

    init(token: String, header: String, spool: SkeletonSpool, output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.token = Array(token.utf8)
        self.header = header
        self.spool = spool
        self.output = output
        escapeBuffer = .allocate(capacity: Self.escapeCapacity)
    }

    deinit {
        escapeBuffer.deallocate()
    }

    /// Receives the writer's bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if spliced { try emit(bytes); return }
        if carry.isEmpty {
            try splice(bytes)
            return
        }
        // The token may straddle the two writes: look in the held-back bytes and these together.
        var joined = carry
        carry = []
        joined.append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        try joined.withUnsafeBytes { try splice($0) }
    }

    /// Passes `bytes` on with the skeleton in place of the token, if they hold it; otherwise
    /// holds back their end, in case the token begins there.
    private func splice(_ bytes: UnsafeRawBufferPointer) throws {
        if let at = find(token, in: bytes) {
            try emit(UnsafeRawBufferPointer(rebasing: bytes[..<at]))
            try writeSkeleton()
            spliced = true
            try emit(UnsafeRawBufferPointer(rebasing: bytes[(at + token.count)...]))
            return
        }
        let keep = min(token.count - 1, bytes.count)
        try emit(UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - keep)]))
        carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - keep)...]))
    }

    /// Writes what is left; throws if the writer never wrote the placeholder.
    func finish() throws {
        try carry.withUnsafeBytes { try emit($0) }
        carry = []
        if !spliced { throw FileAccessError(path: spool.path, "internal error: the XLIFF writer did not write the skeleton") }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try output(bytes)
    }

    private func writeSkeleton() throws {
        var line = header + "\n"
        try line.withUTF8 { try emitEscaped(UnsafeRawBufferPointer($0)) }
        try spool.readChunks { chunk in try chunk.withUnsafeBytes { try emitEscaped($0) } }
    }

    /// Emits `bytes` as XML character data (the skeleton holds no character XML forbids): `&`,
    /// `<` and `>` escaped, through `escapeBuffer` a part at a time (by the C shim, sixteen
    /// bytes at a time: an HTML page's skeleton is mostly markup).
    private func emitEscaped(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        let out = UnsafeMutableRawBufferPointer(start: escapeBuffer, count: Self.escapeCapacity)
        while !rest.isEmpty {
            let (read, written) = XMLEscaping.escapeMarkup(rest, into: out)
            try emit(UnsafeRawBufferPointer(start: escapeBuffer, count: written))
            rest = UnsafeRawBufferPointer(rebasing: rest[read...])
        }
    }

    /// Where `needle` begins in `haystack`: `memchr` finds each candidate first byte, `memcmp`
    /// checks the rest.
    private func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard haystack.count >= needle.count, let base = haystack.baseAddress, let first = needle.first else { return nil }
        let last = haystack.count - needle.count
        return needle.withUnsafeBytes { n -> Int? in
            var i = 0
            while i <= last, let hit = memchr(base + i, Int32(first), last - i + 1) {
                i = UnsafeRawPointer(hit) - base
                if memcmp(hit, n.baseAddress!, n.count) == 0 { return i }
                i += 1
            }
            return nil
        }
    }
}
