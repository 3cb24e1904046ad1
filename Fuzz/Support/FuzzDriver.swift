/// The glue between libFuzzer and a Swift harness.
///
/// Built with `-sanitize=fuzzer`, SwiftPM links libFuzzer without its `main` and renames the
/// executable's entry point to `<Target>_main`; each harness defines that symbol (with
/// `@_cdecl`) and hands its test function to `FuzzDriver.run`, which calls libFuzzer's
/// `LLVMFuzzerRunDriver` (see docs/fuzzing.md).

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with the process's arguments and a harness's test function.
public enum FuzzDriver {
    /// libFuzzer's callback: one input, return 0 (non-zero values are reserved).
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    /// Starts libFuzzer (parses `-max_total_time=…`, corpus folders, …) and returns its exit status.
    public static func run(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: TestOneInput) -> Int32 {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, test)
    }

    /// The input as a byte array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FuzzDriver {
    /// A per-process scratch path for readers that only read files (in /dev/shm when there is one).
    public static func scratchFile(_ ext: String) -> String {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(folder)/verso-fuzz-\(getpid()).\(ext)"
    }

    /// Writes `bytes` to `path` (replacing it); false when the file cannot be written.
    public static func writeFile(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
