import Diagnostics
import TranslationModel
import XLIFF

/// Reads a document and writes it in both XLIFF families, as a version change would.
public enum XLIFFRoundTrip {
    /// Reads `bytes` as XLIFF `version` (1.2, or any 2.x) and writes every event with both writers.
    public static func run(_ bytes: [UInt8], version: XLIFFVersion) {
        let next: () throws -> DocumentEvent?
        if version == .v1_2 {
            guard let reader = try? XLIFF12Reader(bytes: bytes, displayPath: "fuzz.xlf") else { return }
            next = reader.next
        } else {
            guard let reader = try? XLIFF2Reader(bytes: bytes, displayPath: "fuzz.xlf") else { return }
            next = reader.next
        }
        var toV2 = XLIFFVersionAdapter(target: .v2_1)
        var toV12 = XLIFFVersionAdapter(target: .v1_2)
        var written = 0
        var w12: XLIFF12Writer? = try? XLIFF12Writer(displayPath: "out12.xlf", options: .init(keepExtensions: bytes.count % 2 == 0)) { written += $0.count }
        var w2: XLIFF2Writer? = try? XLIFF2Writer(version: .v2_1, displayPath: "out2.xlf") { written += $0.count }
        let location = SourceLocation(file: "fuzz.xlf")
        while let event = try? next() {
            // A writer that refused an event is dropped, as a conversion stops at its first error.
            do { try w12?.write(toV12.adapt(event, at: location)) } catch { w12 = nil }
            do { try w2?.write(toV2.adapt(event, at: location)) } catch { w2 = nil }
        }
        try? w12?.finish()
        _ = toV2.findings.count + toV12.findings.count + written
    }
}
