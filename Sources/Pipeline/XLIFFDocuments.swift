import Diagnostics
import FileAccess
import TranslationModel
import XLIFF
import XMLSupport

/// Opening XLIFF files of any version, and writing the version asked for.
public enum XLIFFDocuments {
    /// The XLIFF version of the file at `path`, from its root element; nil when the root is not
    /// `<xliff>` (another kind of document). An `<xliff>` of a version Verso does not know
    /// throws, with `XLIFFConverter`'s rules and message.
    public static func version(ofFile path: String, displayPath: String? = nil) throws -> XLIFFVersion? {
        let reader = try XMLStreamReader(path: path, displayPath: displayPath, firstChunkSize: XLIFFConverter.rootElementReadSize)
        while let event = try reader.next() {
            guard case .startElement(let root) = event else { continue }
            guard root.name.local == "xliff" else { return nil }
            return try XLIFFConverter.version(of: root, reader: reader)
        }
        return nil
    }

    /// True when the name says XLIFF (`XLIFFFileExtensions`: `.xlf`, `.xliff`, `.sdlxliff`, …).
    public static func hasXLIFFName(_ path: String) -> Bool {
        XLIFFFileExtensions.matches(path)
    }

    /// A reader for the file, whatever its version.
    public static func reader(path: String, displayPath: String? = nil) throws -> (any DocumentReader, XLIFFVersion) {
        guard let version = try version(ofFile: path, displayPath: displayPath) else {
            throw XMLError(location: SourceLocation(file: displayPath ?? path), message: "not an XLIFF document (the root element is not <xliff>)")
        }
        if version.isVersion2 { return (try XLIFF2Reader(path: path, displayPath: displayPath), version) }
        return (try XLIFF12Reader(path: path, displayPath: displayPath), version)
    }

    /// Where the element that produced the reader's last event starts (`path:line`), whatever its version.
    static func eventLocation(of reader: any DocumentReader) -> SourceLocation? {
        if let r = reader as? XLIFF12Reader { return r.eventLocation }
        if let r = reader as? XLIFF2Reader { return r.eventLocation }
        return nil
    }

    /// Findings an XLIFF reader collected, whatever its version.
    static func findings(of reader: any DocumentReader) -> [Finding] {
        if let r = reader as? XLIFF12Reader { return r.findings }
        if let r = reader as? XLIFF2Reader { return r.findings }
        return []
    }
}

/// An XLIFF writer of the version asked for, behind one interface.
final class XLIFFOutput {
    private let writer12: XLIFF12Writer?
    private let writer2: XLIFF2Writer?

    init(version: XLIFFVersion, displayPath: String, keepExtensions: Bool = false, sink: @escaping XMLStreamWriter.Sink) throws {
        if version.isVersion2 {
            writer2 = try XLIFF2Writer(version: version, displayPath: displayPath, sink: sink)
            writer12 = nil
        } else {
            writer12 = try XLIFF12Writer(displayPath: displayPath, options: .init(keepExtensions: keepExtensions), sink: sink)
            writer2 = nil
        }
    }

    func write(_ event: DocumentEvent) throws {
        if let writer12 { try writer12.write(event) } else { try writer2?.write(event) }
    }

    func finish() throws {
        try writer12?.finish()
    }

    var findings: [Finding] { writer12?.findings ?? writer2?.findings ?? [] }
}
