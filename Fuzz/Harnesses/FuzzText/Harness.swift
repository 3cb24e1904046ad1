import Formats
import FuzzFormatsSupport
import FuzzSupport

/// Fuzzes the plain-text reader (encodings, BOMs, line endings, paragraphs/lines) and the merge
/// back: prepare → merge must give the input back byte for byte.
@_cdecl("FuzzText_main")
func fuzzTextMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        SourceRoundTrip.run(FuzzDriver.bytes(data, size), format: .plainText)
        return 0
    }
}
