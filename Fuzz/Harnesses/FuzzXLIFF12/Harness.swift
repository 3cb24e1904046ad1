import FuzzSupport
import FuzzXLIFFSupport

/// Fuzzes what `verso convert` does to an XLIFF 1.2 file, in memory: the 1.2 reader (every
/// construct into the model), then the version adapter and both writers (1.2 rewrite and 2.1).
/// A thrown error is fine; a crash, a hang, a leak or a sanitizer report is a bug.
@_cdecl("FuzzXLIFF12_main")
func fuzzXLIFF12Main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        XLIFFRoundTrip.run(FuzzDriver.bytes(data, size), version: .v1_2)
        return 0
    }
}
