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
