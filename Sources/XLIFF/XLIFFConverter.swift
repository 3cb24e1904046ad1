#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import FileAccess
import TranslationModel
import XMLSupport

/// Changes the XLIFF version of one file: 1.2 ↔ 2.0 / 2.1 / 2.2, or a rewrite in the same version.
///
/// A version change only: no re-segmentation, no term marking. The input is streamed one unit at
/// a time through its version's reader, the `XLIFFVersionAdapter` and the target version's writer,
/// so memory stays flat whatever the file's size; the output is written atomically (a temporary
/// file renamed into place) and never over the input. What the target version cannot hold comes
/// back as warnings; a file that cannot be read throws a `LocatedError` (path, line, column).
/// This is the per-file step of `verso convert`, for one file as for a whole folder.
public enum XLIFFConverter {
    /// What to convert to.
    public struct Options: Sendable, Hashable {
        /// The version to write.
        public var version: XLIFFVersion
        /// Keep foreign-namespace markup in XLIFF 1.2 output (valid against the transitional
        /// schema); XLIFF 2 output always keeps it.
        public var keepExtensions: Bool

        /// Inputs of at least this many bytes are read on a second thread while the calling
        /// thread writes (default `defaultReadAheadThreshold`; 0 reads every input that way,
        /// `Int.max` none).
        public var readAheadThreshold: Int

        /// 4 MiB: below that a second thread costs more than it saves.
        public static let defaultReadAheadThreshold = 4 << 20

        /// `--source`: written instead of a source language the input declares malformed
        /// (without it, such an input is an error).
        public var sourceLanguage: String?

        /// Creates options.
        public init(version: XLIFFVersion, keepExtensions: Bool = false, readAheadThreshold: Int = Options.defaultReadAheadThreshold, sourceLanguage: String? = nil) {
            self.version = version
            self.keepExtensions = keepExtensions
            self.readAheadThreshold = readAheadThreshold
            self.sourceLanguage = sourceLanguage
        }
    }

    /// What a conversion did.
    public struct Result: Sendable, Hashable {
        /// The version the input was read as.
        public var sourceVersion: XLIFFVersion
        /// Units converted.
        public var unitCount: Int
        /// Warnings: what the reader skipped and what the target version cannot hold.
        public var findings: [Finding]
    }

    /// Bytes read first to find a root element: enough for an XML declaration, comments and an
    /// `<xliff>` tag with its namespaces; a longer prologue is read on in full chunks.
    public static let rootElementReadSize = 4096

    /// The XLIFF version of a file, from its root element (only the start of the file is read).
    public static func detectVersion(ofFile path: String, displayPath: String? = nil) throws -> XLIFFVersion {
        let reader = try XMLStreamReader(path: path, displayPath: displayPath, firstChunkSize: rootElementReadSize)
        while let event = try reader.next() {
            guard case .startElement(let root) = event else { continue }
            return try version(of: root, reader: reader)
        }
        throw XLIFFError(path: displayPath ?? path, "the document is empty: no root element")
    }

    /// The XLIFF version an `<xliff>` root element declares (namespace and `version`); throws
    /// naming the file and line when it is another element or a version Verso does not know.
    public static func version(of root: XMLStartElement, reader: XMLStreamReader) throws -> XLIFFVersion {
        let location = SourceLocation(file: reader.displayPath, line: root.line > 0 ? root.line : nil)
        guard root.name.local == "xliff" else {
            throw XLIFFError(location: location, message: "not an XLIFF document: the root element is <\(root.name.qualified)>")
        }
        let declared = root.attribute("version")
        switch root.name.namespace {
        case XLIFFNamespace.v2_0:
            switch declared {
            case "2.0": return .v2_0
            case "2.1", nil: return .v2_1
            default: throw XLIFFError(location: location, message: "unknown XLIFF version '\(declared!)' in the 2.0 namespace")
            }
        case XLIFFNamespace.v2_2:
            return .v2_2
        case let ns where XLIFF12.namespaces.contains(ns):
            return .v1_2
        case "":
            if declared == nil || declared!.hasPrefix("1.") { return .v1_2 }
            throw XLIFFError(location: location, message: "unknown XLIFF version '\(declared!)' (no namespace)")
        default:
            throw XLIFFError(location: location, message: "not an XLIFF document: <xliff> is in namespace '\(root.name.namespace)'")
        }
    }

    /// Converts `input` to `output` (a file path; folders are created). `displayInput` is how
    /// findings and errors name the input (default: `input`).
    @discardableResult
    public static func convert(input: String, output: String, options: Options, displayInput: String? = nil) throws -> Result {
        let shownInput = displayInput ?? input
        try InputFile.checkReadable(input)
        let sourceVersion = try detectVersion(ofFile: input, displayPath: shownInput)
        let out = try AtomicFile(destination: output, protectedInputs: [input])
        do {
            let result = try convert(input: input, displayInput: shownInput, sourceVersion: sourceVersion, into: out, options: options)
            try out.commit()
            return result
        } catch {
            out.discard()
            throw error
        }
    }

    /// The file's size in bytes (0 when it cannot be told).
    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    private static func convert(input: String, displayInput: String, sourceVersion: XLIFFVersion, into out: AtomicFile, options: Options) throws -> Result {
        var findings: [Finding] = []
        // Only a change between 1.2 and 2.x moves data around; the writers handle the rest
        // (the 1.2 writer restores 1.2 data kept in XLIFF 2 metadata by itself).
        let adapts = sourceVersion == .v1_2 && options.version.isVersion2
        let target = options.version
        var units = 0
        let here = SourceLocation(file: displayInput)

        // The writer of XLIFF 1.2 and the adapter name the input's location in their warnings.
        let needsLocation = options.version == .v1_2 || adapts
        let replacement = options.sourceLanguage
        // The declared source language is checked (or replaced) and the adapter runs on the
        // reading side, in that order: the adapter compares content languages with the
        // document's, and a big input's two threads then share the work more evenly (reading,
        // checking and adapting on one, writing on the other).
        let makeSource: @Sendable () throws -> DocumentEventPipe.Source = {
            if sourceVersion == .v1_2 {
                let reader = try XLIFF12Reader(path: input, displayPath: displayInput)
                var adapter = adapts ? XLIFFVersionAdapter(target: target) : nil
                return .init(next: {
                    guard var event = try reader.next() else { return nil }
                    let location = needsLocation ? reader.eventLocation : nil
                    // A malformed declared source language would make the output invalid.
                    try DeclaredLanguage.resolve(&event, replacement: replacement, at: location ?? here)
                    guard adapter != nil else { return (event, location) }
                    return (adapter!.adapt(event, at: location ?? here), location)
                }, findings: { reader.findings + (adapter?.findings ?? []) })
            } else {
                let reader = try XLIFF2Reader(path: input, displayPath: displayInput)
                return .init(next: {
                    guard var event = try reader.next() else { return nil }
                    let location = needsLocation ? reader.eventLocation : nil
                    try DeclaredLanguage.resolve(&event, replacement: replacement, at: location ?? here)
                    return (event, location)
                }, findings: { reader.findings })
            }
        }
        // A big input is read on a second thread while this one writes; a small one is not
        // worth a thread (folders of small files are converted in parallel anyway).
        let pipe: DocumentEventPipe?
        let source: DocumentEventPipe.Source
        if fileSize(input) >= options.readAheadThreshold {
            let started = DocumentEventPipe(makeReader: makeSource)
            pipe = started
            source = .init(next: { try started.next() }, findings: { started.findings })
        } else {
            pipe = nil
            source = try makeSource()
        }
        defer { pipe?.close() }
        if options.version == .v1_2 {
            let writer = try XLIFF12Writer(file: out, options: .init(keepExtensions: options.keepExtensions))
            while let (event, location) = try source.next() {
                if case .unit = event { units += 1 }
                writer.sourceLocation = location ?? here
                try writer.write(event)
                pipe?.recycle(event)
            }
            try writer.finish()
            findings = source.findings() + writer.findings
        } else {
            // XLIFF 2 input has unique unit ids when valid: no need to watch them (flat memory).
            let writer = try XLIFF2Writer(version: options.version, file: out, checksUnitIDs: !sourceVersion.isVersion2)
            while let (event, _) = try source.next() {
                if case .unit = event { units += 1 }
                try writer.write(event)
                pipe?.recycle(event)
            }
            findings = source.findings() + writer.findings
        }
        return Result(sourceVersion: sourceVersion, unitCount: units, findings: findings)
    }
}
