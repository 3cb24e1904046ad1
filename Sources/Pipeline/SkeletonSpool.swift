import Foundation
import FileAccess
import Formats

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
final class SkeletonSplicer {
    private let token: [UInt8]
    private let header: String
    private let spool: SkeletonSpool
    private let output: (UnsafeRawBufferPointer) throws -> Void
    private var carry: [UInt8] = []
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
    }

    /// Receives the writer's bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if spliced { try output(bytes); return }
        carry.append(contentsOf: bytes)
        if let at = find(token, in: carry) {
            try emit(carry[..<at])
            try writeSkeleton()
            spliced = true
            let rest = Array(carry[(at + token.count)...])
            carry = []
            try emit(rest[...])
        } else if carry.count > token.count {
            // Keep just enough to find a token split across two writes.
            let keep = token.count - 1
            try emit(carry[..<(carry.count - keep)])
            carry.removeFirst(carry.count - keep)
        }
    }

    /// Writes what is left; throws if the writer never wrote the placeholder.
    func finish() throws {
        try emit(carry[...])
        carry = []
        if !spliced { throw FileAccessError(path: spool.path, "internal error: the XLIFF writer did not write the skeleton") }
    }

    private func emit(_ bytes: ArraySlice<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try output($0) }
    }

    private func writeSkeleton() throws {
        try emit(Self.escaped(Array((header + "\n").utf8))[...])
        try spool.readChunks { chunk in try emit(Self.escaped(chunk)[...]) }
    }

    /// XML character data for the skeleton's text (which holds no character XML forbids).
    static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            // Appended a byte at a time: an array literal per escape cost an allocation each,
            // and an HTML page's skeleton is mostly markup.
            switch b {
            case 0x26: out.append(0x26); out.append(0x61); out.append(0x6D); out.append(0x70); out.append(0x3B) // &amp;
            case 0x3C: out.append(0x26); out.append(0x6C); out.append(0x74); out.append(0x3B) // &lt;
            case 0x3E: out.append(0x26); out.append(0x67); out.append(0x74); out.append(0x3B) // &gt;
            default: out.append(b)
            }
        }
        return out
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
