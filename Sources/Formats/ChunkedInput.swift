#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileAccess

/// Reads a file in fixed-size chunks (the readers' only way to touch input, so memory stays flat),
/// or serves bytes already in memory.
final class ChunkedInput {
    static let chunkSize = 1 << 16
    private var fd: Int32 = -1
    /// False for stdin, which is not ours to close.
    private var ownsDescriptor = true
    private var memory: [UInt8]?
    private var memoryOffset = 0
    let displayPath: String
    /// Bytes handed out so far.
    private(set) var offset = 0
    /// A regular file's size when it was opened (nil for other files, and for a size of 0,
    /// which pseudo-files such as `/proc/cpuinfo` report whatever their content): a read
    /// asking for one byte more than the rest of it and getting less has reached the end, so
    /// the read that would only say "end of file" is spared, and a small file's buffer is
    /// its size rather than a whole chunk.
    private var sizeAtOpen: Int?

    /// Opens `path` for reading; errors name `displayPath`.
    init(path: String, displayPath: String) throws {
        self.displayPath = displayPath
        // Opened first, and only checked through the descriptor: `checkReadable`'s `stat` and
        // `access` by path cost more than reading a small file. Its words are still the error's
        // when the file cannot be opened, and a directory (which opens) is refused as it does.
        fd = open(path, O_RDONLY | O_CLOEXEC)
        var st = stat()
        guard fd >= 0, fstat(fd, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else {
            let code = errno
            if fd >= 0 { close(fd); fd = -1 }
            do {
                try InputFile.checkReadable(path)
            } catch let error as FileAccessError {
                throw FileAccessError(path: displayPath, error.message)
            }
            throw FileAccessError(path: displayPath, InputFile.describe(errno: code))
        }
        if (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0 { sizeAtOpen = Int(st.st_size) }
    }

    /// Reads standard input; errors name `displayPath` (`<stdin>`).
    init(standardInputNamed displayPath: String) {
        self.displayPath = displayPath
        fd = 0
        ownsDescriptor = false
    }

    /// Serves `bytes` (tests, small inputs).
    init(bytes: [UInt8], displayPath: String) {
        self.displayPath = displayPath
        memory = bytes
    }

    deinit {
        if fd >= 0 && ownsDescriptor { close(fd) }
    }

    /// True once a read found the end of the file: a reader asks again after its last chunk
    /// (and `read(atLeast:)` after a short file), and that system call is spared.
    private var atEnd = false

    /// True when the next `read()` is known to return nothing: the end of the input was
    /// reached (a reader can then finish the document with its last chunk).
    var isAtEnd: Bool {
        if let memory { return memoryOffset >= memory.count }
        return atEnd
    }

    /// The next chunk; empty at the end of the file.
    func read() throws -> [UInt8] {
        if atEnd { return [] }
        if let memory {
            let end = min(memory.count, memoryOffset + Self.chunkSize)
            defer { memoryOffset = end; offset = end }
            return Array(memory[memoryOffset..<end])
        }
        // One byte more than the rest of a regular file: getting less proves the end (see
        // `sizeAtOpen`); a file that grew since it was opened gives that byte and is read on.
        var wanted = Self.chunkSize
        if let size = sizeAtOpen, offset < size { wanted = min(wanted, size - offset + 1) }
        // Uninitialized: zeroing 64 KiB per read cost more than reading a small file.
        var failure: Int32?
        let buffer = [UInt8](unsafeUninitializedCapacity: wanted) { raw, initialized in
            initialized = 0
            while true {
                let n = systemRead(fd, raw.baseAddress, wanted)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                initialized = n
                return
            }
        }
        if let failure {
            throw FileAccessError(path: displayPath, "read failed: \(InputFile.describe(errno: failure))")
        }
        offset += buffer.count
        // Not for standard input, a terminal or a pipe: there, an empty read may be followed by more.
        if buffer.isEmpty && ownsDescriptor { atEnd = true }
        if let size = sizeAtOpen, offset >= size, buffer.count < wanted { atEnd = true }
        return buffer
    }

    /// Reads until at least `count` bytes are available (or the end), for encoding detection.
    func read(atLeast count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let chunk = try read()
            if chunk.isEmpty { break }
            if out.isEmpty { out = chunk } else { out.append(contentsOf: chunk) }
        }
        return out
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
