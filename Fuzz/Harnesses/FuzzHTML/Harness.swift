import Formats
import FuzzFormatsSupport
import FuzzSupport

/// Fuzzes the HTML reader (libxml2's HTML parser underneath, our unit/inline-code/skeleton
/// logic above it) and the merge back: prepare → merge must give the input back byte for byte.
@_cdecl("FuzzHTML_main")
func fuzzHTMLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        SourceRoundTrip.run(FuzzDriver.bytes(data, size), format: .html)
        return 0
    }
}
