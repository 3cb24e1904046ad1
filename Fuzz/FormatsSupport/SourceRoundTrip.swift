#if canImport(Glibc)
import Glibc
#endif
import Diagnostics
import Formats
import TranslationModel

/// Reads a source document the way `verso prepare` does (units + skeleton), then merges it back
/// with every target equal to its source, as `verso merge` does: the result must be the input,
/// byte for byte (the promise of the prepare/merge round trip). A document the reader refuses
/// (invalid UTF-8…) is fine; a crash, or a round trip that changes the bytes, is a bug.
/// `VERSO_FUZZ_ROUNDTRIP=0` checks for crashes only.
public enum SourceRoundTrip {
    nonisolated(unsafe) static let checkIdentity = getenv("VERSO_FUZZ_ROUNDTRIP").map { String(cString: $0) != "0" } ?? true

    public static func run(_ bytes: [UInt8], format: SourceFormat) {
        let description = SourceDescription(sourceLanguage: "fr", targetLanguage: "en", original: format == .html ? "fuzz.html" : "fuzz.txt")
        guard let (document, _) = try? SourceDocuments.read(bytes: bytes, displayPath: "fuzz", format: format, description: description),
              !document.files.isEmpty else { return }
        let location = SourceLocation(file: "fuzz.xlf")
        guard let skeleton = try? DocumentMerger.skeleton(of: document.files[0].info, location: location),
              let merger = try? DocumentMerger(skeleton: skeleton, location: location, outputPath: "out") else {
            fatalError("the reader accepted the input but its skeleton cannot be read back")
        }
        var units = translated(document).allUnits.makeIterator()
        var out: [UInt8] = []
        do {
            try merger.merge(nextUnit: { units.next() }, write: { out.append(contentsOf: $0) })
        } catch {
            fatalError("merging the input's own units back failed: \(error)")
        }
        if checkIdentity && out != bytes {
            let i = (0..<min(out.count, bytes.count)).first { out[$0] != bytes[$0] } ?? min(out.count, bytes.count)
            fatalError("round trip differs at byte \(i) of \(bytes.count) (got \(out.count) bytes)")
        }
    }

    /// Every segment's target set to its source.
    static func translated(_ document: Document) -> Document {
        var d = document
        for f in d.files.indices {
            d.files[f].items = d.files[f].items.map { item in
                guard case .unit(var u) = item else { return item }
                u.parts = u.parts.map { part in
                    guard case .segment(var s) = part else { return part }
                    s.target = s.source
                    return .segment(s)
                }
                return .unit(u)
            }
        }
        return d
    }
}
