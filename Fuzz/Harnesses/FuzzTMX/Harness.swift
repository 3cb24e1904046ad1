import FuzzSupport
import TMX

/// Fuzzes the TMX reader (header, translation units, variants, inline markup): every unit.
@_cdecl("FuzzTMX_main")
func fuzzTMXMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        guard let reader = try? TMXReader(bytes: FuzzDriver.bytes(data, size), displayPath: "fuzz.tmx") else { return 0 }
        var units = 0
        while (try? reader.next()) ?? nil != nil { units += 1 }
        _ = units + reader.findings.count
        return 0
    }
}
