import Diagnostics
import TranslationModel

/// Source document formats Verso extracts units from and merges translations back into.
public enum SourceFormat: String, Sendable, Hashable, CaseIterable {
    /// Plain text: one unit per paragraph (blank-line separated).
    case plainText = "plaintext"
    /// HTML, parsed with libxml2's HTML parser.
    case html

    /// XLIFF 1.2 `datatype` of files of this format.
    public var datatype: String { rawValue }

    /// The format a file name suggests (`.txt` → plain text, `.html`/`.htm`/`.xhtml` → HTML), or nil.
    public static func guess(fileName: String) -> SourceFormat? {
        let lower = fileName.lowercased()
        guard let dot = lower.lastIndex(of: ".") else { return nil }
        switch lower[lower.index(after: dot)...] {
        case "txt", "text", "md", "markdown", "rst", "asc": return .plainText
        case "html", "htm", "xhtml", "shtml", "php", "jsp", "asp", "aspx": return .html
        default: return nil
        }
    }

    /// The format the first bytes of a file suggest: HTML when it starts with a doctype or an
    /// `<html>`/`<head>`/`<body>` tag, else plain text.
    public static func sniff(_ bytes: [UInt8]) -> SourceFormat {
        var start = 0
        if let (_, bom) = TextEncoding.detectByteOrderMark(bytes) { start = bom }
        let head = String(decoding: bytes[start...].prefix(1024).filter { $0 != 0 }, as: UTF8.self).lowercased()
        let trimmed = head.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<head") || trimmed.hasPrefix("<body") {
            return .html
        }
        if trimmed.hasPrefix("<") && (head.contains("<html") || head.contains("<body") || head.contains("<p>") || head.contains("<div")) {
            return .html
        }
        return .plainText
    }
}

/// How plain text is cut into units.
public enum PlainTextUnits: String, Sendable, Hashable, CaseIterable {
    /// Paragraphs separated by blank lines, unless the start of the file has several lines and no
    /// blank line at all: then one unit per line (files that keep a paragraph per line).
    case auto
    /// One unit per blank-line-separated paragraph.
    case paragraphs
    /// One unit per non-blank line.
    case lines
}

/// Options for reading source documents.
public struct SourceReaderOptions: Sendable, Hashable {
    /// The encoding to decode with when the file has no byte-order mark (`--encoding`).
    public var encoding: TextEncoding?
    /// How plain text is cut into units.
    public var textUnits: PlainTextUnits

    /// Creates options.
    public init(encoding: TextEncoding? = nil, textUnits: PlainTextUnits = .auto) {
        self.encoding = encoding
        self.textUnits = textUnits
    }
}

/// A reader of a source document (plain text, HTML): a stream of document events whose units
/// are the translatable text, plus the skeleton that merge needs, sent to a `SkeletonSink` as
/// the document is read.
public protocol SourceReader: AnyObject, DocumentReader {
    /// The skeleton's header; complete once `next()` has returned nil.
    var skeletonHeader: SkeletonHeader { get }
    /// The language the document declares (HTML `lang`), once read.
    var declaredLanguage: String? { get }
    /// Where the document declares its language (the HTML `lang` attribute's element), if known.
    var declaredLanguageLocation: SourceLocation? { get }
    /// Problems the reader recovered from (HTML the parser had to repair…).
    var findings: [Finding] { get }
}

extension SourceReader {
    /// Readers of formats without a language declaration know no location.
    public var declaredLanguageLocation: SourceLocation? { nil }
}

/// What a source reader is told about the document it reads.
public struct SourceDescription: Sendable, Hashable {
    /// Source language written in `DocumentInfo`.
    public var sourceLanguage: String
    /// Target language written in `DocumentInfo`.
    public var targetLanguage: String?
    /// The name recorded as the file's `original` (merge writes this name).
    public var original: String
    /// The file id.
    public var fileID: String

    /// Creates a description.
    public init(sourceLanguage: String, targetLanguage: String? = nil, original: String, fileID: String = "f1") {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.original = original
        self.fileID = fileID
    }
}

/// Opening source documents.
public enum SourceDocuments {
    /// The format of a file: by name, else by its first bytes.
    public static func format(path: String) throws -> SourceFormat {
        if let f = SourceFormat.guess(fileName: path) { return f }
        let input = try ChunkedInput(path: path, displayPath: path)
        return SourceFormat.sniff(try input.read(atLeast: 1024))
    }

    /// A reader for the file at `path`.
    public static func reader(path: String, displayPath: String? = nil, format: SourceFormat, options: SourceReaderOptions, description: SourceDescription, skeleton: SkeletonSink) throws -> any SourceReader {
        let input = try ChunkedInput(path: path, displayPath: displayPath ?? path)
        return try reader(input: input, format: format, options: options, description: description, skeleton: skeleton)
    }

    /// A reader for a document in memory.
    public static func reader(bytes: [UInt8], displayPath: String, format: SourceFormat, options: SourceReaderOptions, description: SourceDescription, skeleton: SkeletonSink) throws -> any SourceReader {
        try reader(input: ChunkedInput(bytes: bytes, displayPath: displayPath), format: format, options: options, description: description, skeleton: skeleton)
    }

    static func reader(input: ChunkedInput, format: SourceFormat, options: SourceReaderOptions, description: SourceDescription, skeleton: SkeletonSink) throws -> any SourceReader {
        switch format {
        case .plainText: return try PlainTextReader(input: input, options: options, description: description, skeleton: skeleton)
        case .html: return try HTMLReader(input: input, options: options, description: description, skeleton: skeleton)
        }
    }

    /// Reads a whole document into memory with its skeleton in `FileInfo.skeleton` (for small
    /// documents and tests; `verso prepare` streams instead).
    public static func read(bytes: [UInt8], displayPath: String, format: SourceFormat, options: SourceReaderOptions = SourceReaderOptions(), description: SourceDescription) throws -> (Document, [Finding]) {
        let collector = SkeletonCollector()
        let compactor = SkeletonCompactor(collector)
        var reader = try reader(bytes: bytes, displayPath: displayPath, format: format, options: options, description: description, skeleton: compactor)
        var builder = DocumentBuilder()
        while let event = try reader.next() { try builder.add(event) }
        try compactor.finish()
        var document = try builder.document()
        let skeleton = SkeletonDocument(header: reader.skeletonHeader, entries: collector.entries)
        document.files[0].info.skeleton = Skeleton(content: SkeletonFormat.text(for: skeleton), form: SkeletonFormat.form)
        return (document, reader.findings)
    }
}

/// The ids readers give their units: `u1`, `u2`…
enum UnitIDs {
    /// `u` followed by `number` (positive) in decimal. The first ids, which every document
    /// uses, are made once for the process: an id is made per unit, and `"u\(n)"` went through
    /// string interpolation, several hundred instructions each.
    static func make(_ number: Int) -> String {
        number >= 0 && number < first.count ? first[number] : "u\(number)"
    }

    /// `u0` to `u1023`.
    private static let first: [String] = (0..<1024).map { "u\($0)" }
}

extension Array where Element == DocumentEvent {
    /// Moves the event at `index` out to the caller, leaving `.endFile` (which holds nothing)
    /// in its place: a reader's queue is emptied once all its events are taken, and a copy
    /// retained each field of a unit only for the queue to release them again.
    mutating func takeEvent(at index: Int) -> DocumentEvent {
        withUnsafeMutableBufferPointer { events in
            precondition(index >= 0 && index < events.count)
            let slot = events.baseAddress! + index
            let event = slot.move()
            slot.initialize(to: .endFile)
            return event
        }
    }
}
