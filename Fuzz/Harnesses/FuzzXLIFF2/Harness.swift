import FuzzSupport
import FuzzXLIFFSupport

/// Fuzzes what `verso convert` does to an XLIFF 2.x file, in memory: the 2.x reader (core,
/// modules, processing requirements it checks), then the version adapter and both writers.
@_cdecl("FuzzXLIFF2_main")
func fuzzXLIFF2Main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        XLIFFRoundTrip.run(FuzzDriver.bytes(data, size), version: .v2_1)
        return 0
    }
}
