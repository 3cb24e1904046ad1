/// The XLIFF versions Verso reads and writes.
public enum XLIFFVersion: String, Sendable, Hashable, Codable, CaseIterable {
    /// OASIS XLIFF 1.2 (namespace `urn:oasis:names:tc:xliff:document:1.2`).
    case v1_2 = "1.2"
    /// OASIS XLIFF 2.0.
    case v2_0 = "2.0"
    /// OASIS XLIFF 2.1 (same namespace as 2.0).
    case v2_1 = "2.1"
    /// OASIS XLIFF 2.2 (namespace `urn:oasis:names:tc:xliff:document:2.2`).
    case v2_2 = "2.2"

    /// True for 2.0, 2.1 and 2.2.
    public var isVersion2: Bool { self != .v1_2 }
}

/// What the root element of a document says.
public struct DocumentInfo: Sendable, Hashable {
    /// The version the document was read as (nil for documents built from other formats).
    public var version: XLIFFVersion?
    /// Source language (BCP 47).
    public var sourceLanguage: String
    /// Target language, when known.
    public var targetLanguage: String?
    /// Foreign attributes and elements on the root.
    public var extensions: Extensions
    /// `xml:space="preserve"` on the root (true), `"default"` (false); nil when not stated.
    public var preserveSpace: Bool?
    /// Notes on the whole document (XLIFF 2.2 `<xliff><notes>`).
    public var notes: [Note]
    /// Metadata on the whole document (XLIFF 2.2 `<xliff><mda:metadata>`).
    public var metadata: [MetaGroup]
    /// `id` of the document's `<mda:metadata>` element.
    public var metadataID: String?

    /// Creates document information.
    public init(version: XLIFFVersion? = nil, sourceLanguage: String, targetLanguage: String? = nil, extensions: Extensions = Extensions(), preserveSpace: Bool? = nil, notes: [Note] = [], metadata: [MetaGroup] = [], metadataID: String? = nil) {
        self.version = version
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.extensions = extensions
        self.preserveSpace = preserveSpace
        self.notes = notes
        self.metadata = metadata
        self.metadataID = metadataID
    }
}

/// The skeleton of a file: what a merge needs to rebuild the original around the translated units.
public struct Skeleton: Sendable, Hashable {
    /// An external skeleton file (`href`).
    public var href: String?
    /// Inline skeleton data: XLIFF 1.2 `<internal-file>` text or XLIFF 2 skeleton text.
    public var content: String?
    /// XLIFF 1.2 `<internal-file form="…">` (e.g. `base64`, a MIME type).
    public var form: String?
    /// XLIFF 1.2 `crc` and `uid` of `<internal-file>`/`<external-file>`.
    public var xliff12Attributes: [String: String] = [:]
    /// Foreign elements inside the skeleton (XLIFF 2 allows any XML there).
    public var elements: [ExtensionElement]

    /// Creates a skeleton.
    public init(href: String? = nil, content: String? = nil, form: String? = nil, elements: [ExtensionElement] = []) {
        self.href = href
        self.content = content
        self.form = form
        self.elements = elements
    }
}

/// A tool named in XLIFF 1.2 `<header><tool>`.
public struct ToolInfo: Sendable, Hashable {
    /// `tool-id`.
    public var id: String
    /// `tool-name`.
    public var name: String
    /// `tool-version`.
    public var version: String?
    /// `tool-company`.
    public var company: String?

    /// Foreign attributes on `<tool>` and the elements inside it (XLIFF 1.2 allows any markup there).
    public var extensions: Extensions = Extensions()

    /// Creates tool information.
    public init(id: String, name: String, version: String? = nil, company: String? = nil) {
        self.id = id
        self.name = name
        self.version = version
        self.company = company
    }
}

/// What a `<file>` element says about itself (its units come as separate events).
public struct FileInfo: Sendable, Hashable {
    /// Identifier (XLIFF 2 requires one; 1.2 files get one derived from their position).
    public var id: String
    /// The original document's name or path (`original`), used by merge.
    public var original: String?
    /// Source language when it differs from the document's (1.2 has it per file).
    public var sourceLanguage: String?
    /// Target language when it differs from the document's.
    public var targetLanguage: String?
    /// XLIFF 1.2 `datatype` (`plaintext`, `html`, `x-…`).
    public var datatype: String?
    /// The skeleton, when the file carries one.
    public var skeleton: Skeleton?
    /// Whether the file's units are to be translated by default.
    public var translate: Bool?
    /// Default `canResegment` for its units.
    public var canResegment: Bool?
    /// Notes on the file.
    public var notes: [Note]
    /// Metadata on the file.
    public var metadata: [MetaGroup]
    /// Tools named in the 1.2 header.
    public var tools: [ToolInfo]
    /// XLIFF 1.2 attributes without an XLIFF 2 equivalent (`date`, `product-name`, `build-num`, `tool-id`…).
    public var xliff12Attributes: [String: String]
    /// XLIFF 1.2 header elements Verso keeps whole without interpreting them (`phase-group`,
    /// `glossary`, `reference`, `count-group`), in the 1.2 namespace, written back in 1.2 output.
    public var xliff12HeaderElements: [ExtensionElement] = []
    /// Foreign attributes and elements (on `<file>` and in its 1.2 `<header>`).
    public var extensions: Extensions
    /// Directionality of source text (XLIFF 2 `srcDir`: `ltr`, `rtl`, `auto`); nil when not stated.
    public var sourceDirection: String?
    /// Directionality of target text (XLIFF 2 `trgDir`); nil when not stated.
    public var targetDirection: String?
    /// `xml:space` on the file: true for `preserve`, false for `default`, nil when not stated.
    public var preserveSpace: Bool?
    /// `id` of the file's `<mda:metadata>` element.
    public var metadataID: String?

    /// Creates file information.
    public init(id: String, original: String? = nil, sourceLanguage: String? = nil, targetLanguage: String? = nil, datatype: String? = nil, skeleton: Skeleton? = nil, translate: Bool? = nil, canResegment: Bool? = nil, notes: [Note] = [], metadata: [MetaGroup] = [], tools: [ToolInfo] = [], xliff12Attributes: [String: String] = [:], extensions: Extensions = Extensions(), sourceDirection: String? = nil, targetDirection: String? = nil, preserveSpace: Bool? = nil, metadataID: String? = nil) {
        self.sourceDirection = sourceDirection
        self.targetDirection = targetDirection
        self.preserveSpace = preserveSpace
        self.metadataID = metadataID
        self.id = id
        self.original = original
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.datatype = datatype
        self.skeleton = skeleton
        self.translate = translate
        self.canResegment = canResegment
        self.notes = notes
        self.metadata = metadata
        self.tools = tools
        self.xliff12Attributes = xliff12Attributes
        self.extensions = extensions
    }
}

/// What a `<group>` says about itself.
public struct GroupInfo: Sendable, Hashable {
    /// Identifier.
    public var id: String?
    /// Resource name (`name`, 1.2 `resname`).
    public var name: String?
    /// Resource type (`type`, 1.2 `restype`).
    public var type: String?
    /// Default `translate` for its units.
    public var translate: Bool?
    /// Default `canResegment` for its units.
    public var canResegment: Bool?
    /// Notes.
    public var notes: [Note]
    /// Metadata.
    public var metadata: [MetaGroup]
    /// XLIFF 1.2 attributes without an XLIFF 2 equivalent.
    public var xliff12Attributes: [String: String]
    /// XLIFF 1.2 elements of the group Verso keeps whole (`count-group`), written back in 1.2 output.
    public var xliff12Elements: [ExtensionElement] = []
    /// Set when the group stands for an XLIFF 1.2 `<bin-unit>`; its `<trans-unit>`s are the group's units.
    public var binaryUnit: BinaryUnit?
    /// Foreign attributes and elements.
    public var extensions: Extensions
    /// Directionality of source text (XLIFF 2 `srcDir`); nil when not stated.
    public var sourceDirection: String?
    /// Directionality of target text (XLIFF 2 `trgDir`); nil when not stated.
    public var targetDirection: String?
    /// `xml:space` on the group: true for `preserve`, false for `default`, nil when not stated.
    public var preserveSpace: Bool?
    /// `id` of the group's `<mda:metadata>` element.
    public var metadataID: String?

    /// Creates group information.
    public init(id: String? = nil, name: String? = nil, type: String? = nil, translate: Bool? = nil, canResegment: Bool? = nil, notes: [Note] = [], metadata: [MetaGroup] = [], xliff12Attributes: [String: String] = [:], extensions: Extensions = Extensions(), sourceDirection: String? = nil, targetDirection: String? = nil, preserveSpace: Bool? = nil, metadataID: String? = nil) {
        self.sourceDirection = sourceDirection
        self.targetDirection = targetDirection
        self.preserveSpace = preserveSpace
        self.metadataID = metadataID
        self.id = id
        self.name = name
        self.type = type
        self.translate = translate
        self.canResegment = canResegment
        self.notes = notes
        self.metadata = metadata
        self.xliff12Attributes = xliff12Attributes
        self.extensions = extensions
    }
}

/// One step of a streamed document: readers produce these, stages transform `.unit`s,
/// writers consume them, so no stage needs the whole document in memory.
public enum DocumentEvent: Sendable, Hashable {
    /// The document starts.
    case startDocument(DocumentInfo)
    /// A file starts.
    case startFile(FileInfo)
    /// A group starts.
    case startGroup(GroupInfo)
    /// A unit.
    case unit(Unit)
    /// The innermost group ends.
    case endGroup
    /// The current file ends.
    case endFile
    /// The document ends.
    case endDocument
}

/// A source of document events (an XLIFF reader, a plain-text reader, an HTML reader…).
public protocol DocumentReader {
    /// The next event, or nil after `.endDocument`. Throws when the input cannot be read further.
    mutating func next() throws -> DocumentEvent?
}

/// A consumer of document events (an XLIFF writer, a merger…).
public protocol DocumentWriter {
    /// Writes one event.
    mutating func write(_ event: DocumentEvent) throws
}
