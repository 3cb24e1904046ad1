import FuzzSupport
import Terminology

/// Fuzzes the TBX reader (TBX 2008 `martif` and TBX 2019 `tbx`): every concept of the input.
@_cdecl("FuzzTBX_main")
func fuzzTBXMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        guard let reader = try? TBXReader(bytes: FuzzDriver.bytes(data, size), displayPath: "fuzz.tbx") else { return 0 }
        var terms = 0
        while let concept = try? reader.next() {
            terms += concept.languageSections.reduce(0) { $0 + $1.terms.count }
        }
        _ = terms + reader.findings.count
        return 0
    }
}
