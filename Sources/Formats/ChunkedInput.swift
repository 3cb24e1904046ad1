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

    /// Opens `path` for reading; errors name `displayPath`.
    init(path: String, displayPath: String) throws {
        self.displayPath = displayPath
        do {
            try InputFile.checkReadable(path)
        } catch let error as FileAccessError {
            throw FileAccessError(path: displayPath, error.message)
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: displayPath, InputFile.describe(errno: errno)) }
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

    /// The next chunk; empty at the end of the file.
    func read() throws -> [UInt8] {
        if let memory {
            let end = min(memory.count, memoryOffset + Self.chunkSize)
            defer { memoryOffset = end; offset = end }
            return Array(memory[memoryOffset..<end])
        }
        // Uninitialized: zeroing 64 KiB per read cost more than reading a small file.
        var failure: Int32?
        let buffer = [UInt8](unsafeUninitializedCapacity: Self.chunkSize) { raw, initialized in
            initialized = 0
            while true {
                let n = systemRead(fd, raw.baseAddress, raw.count)
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
        return buffer
    }

    /// Reads until at least `count` bytes are available (or the end), for encoding detection.
    func read(atLeast count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let chunk = try read()
            if chunk.isEmpty { break }
            out.append(contentsOf: chunk)
        }
        return out
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
