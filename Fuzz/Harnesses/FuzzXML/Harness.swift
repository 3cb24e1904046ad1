import FuzzSupport
import XMLSupport

/// Fuzzes Verso's XML layer over libxml2: the streaming reader (every event, attributes,
/// namespace declarations, entity refusal, error locations) and the in-memory tree parser
/// that SRX and TBX readers use. Any thrown error is fine; a crash, a hang or a leak is a bug.
@_cdecl("FuzzXML_main")
func fuzzXMLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        let bytes = FuzzDriver.bytes(data, size)
        if let reader = try? XMLStreamReader(bytes: bytes, displayPath: "fuzz.xml") {
            var events = 0
            while let event = try? reader.next() {
                events += 1
                if case .startElement(let start) = event {
                    _ = start.attribute("id")
                    _ = reader.location
                }
            }
            _ = reader.warnings.count + events
        }
        _ = try? XMLDocumentParser.parse(bytes: bytes, displayPath: "fuzz.xml")
        return 0
    }
}
