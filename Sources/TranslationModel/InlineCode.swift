/// An inline code inside content: the start or end of a paired code, or a standalone one.
///
/// Carries everything XLIFF 1.2 (`g`, `x`, `bx`, `ex`, `bpt`, `ept`, `ph`, `it`) and XLIFF 2
/// (`pc`, `sc`, `ec`, `ph`) can say about a code, so either version can be written from it.
public struct InlineCode: Sendable, Hashable {
    /// Whether this run opens a span, closes one, or stands alone.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Opens a paired code (`<pc>` start, `<sc>`, `<g>` start, `<bpt>`, `<bx>`).
        case opening
        /// Closes a paired code (`<pc>` end, `<ec>`, `<g>` end, `<ept>`, `<ex>`).
        case closing
        /// A code with no partner (`<ph>`, `<x>`).
        case standalone
    }

    /// XLIFF 2 `canReorder` values.
    public enum Reorder: String, Sendable, Hashable, Codable {
        /// May be moved freely.
        case yes
        /// First code of a sequence that must stay in order.
        case firstNo
        /// Follows a `firstNo` code in a fixed sequence.
        case no
    }

    /// The fields, shared between copies until one is changed (copy on write): a code is
    /// copied often (into runs, tokens, events) and has some twenty fields, so a copy is one
    /// reference count instead of twenty, and a `Run` stays small in arrays.
    private struct Fields: Hashable {
        var kind: Kind
        var id: String
        var isolated: Bool
        var originalData: String?
        var type: String?
        var subType: String?
        var ctype: String?
        var display: String?
        var equivalent: String?
        var canCopy: Bool
        var canDelete: Bool
        var canReorder: Reorder
        var canOverlap: Bool?
        var copyOf: String?
        var direction: String?
        var xliff12Element: XLIFF12CodeElement?
        var subFlows: String?
        var xliff12Attributes: [String: String]
        var subContents: [SubContent]
        var extensionAttributes: [ExtensionAttribute]
        var dataRef: String?
        var dataDirection: String?
    }

    private final class Box: @unchecked Sendable {
        // @unchecked: `fields` is only changed through `mutableFields`, on a box no other
        // code value shares.
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// Equal codes have equal fields (shared or not).
    public static func == (lhs: InlineCode, rhs: InlineCode) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) {
        box.fields.hash(into: &hasher)
    }

    private var mutableFields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    /// Opening, closing or standalone.
    public var kind: Kind {
        get { box.fields.kind }
        _modify { yield &mutableFields.kind }
    }
    /// Identifier; an opening and its closing code share it.
    public var id: String {
        get { box.fields.id }
        _modify { yield &mutableFields.id }
    }
    /// The partner of this code lies outside this content (XLIFF 2 `isolated="yes"`, XLIFF 1.2 `<it>`).
    public var isolated: Bool {
        get { box.fields.isolated }
        _modify { yield &mutableFields.isolated }
    }
    /// The native markup this code stands for (`<b>`, `%s`), when known.
    public var originalData: String? {
        get { box.fields.originalData }
        _modify { yield &mutableFields.originalData }
    }
    /// Category (`fmt`, `ui`, `quote`, `link`, `image`, `other`) as in XLIFF 2 `type`.
    public var type: String? {
        get { box.fields.type }
        _modify { yield &mutableFields.type }
    }
    /// Refinement of `type` (`xlf:b`, `my:tag`).
    public var subType: String? {
        get { box.fields.subType }
        _modify { yield &mutableFields.subType }
    }
    /// XLIFF 1.2 `ctype` as written in the source file (`bold`, `x-html-b`, `link`).
    public var ctype: String? {
        get { box.fields.ctype }
        _modify { yield &mutableFields.ctype }
    }
    /// Text to show the translator instead of the code (`disp`).
    public var display: String? {
        get { box.fields.display }
        _modify { yield &mutableFields.display }
    }
    /// Plain-text equivalent (`equiv`, XLIFF 1.2 `equiv-text`).
    public var equivalent: String? {
        get { box.fields.equivalent }
        _modify { yield &mutableFields.equivalent }
    }
    /// May be copied in the target.
    public var canCopy: Bool {
        get { box.fields.canCopy }
        _modify { yield &mutableFields.canCopy }
    }
    /// May be deleted from the target.
    public var canDelete: Bool {
        get { box.fields.canDelete }
        _modify { yield &mutableFields.canDelete }
    }
    /// Reordering constraint.
    public var canReorder: Reorder {
        get { box.fields.canReorder }
        _modify { yield &mutableFields.canReorder }
    }
    /// May overlap other spans (XLIFF 2 `canOverlap`); nil when not stated.
    public var canOverlap: Bool? {
        get { box.fields.canOverlap }
        _modify { yield &mutableFields.canOverlap }
    }
    /// This code is a copy of the code with that id (XLIFF 2 `copyOf`).
    public var copyOf: String? {
        get { box.fields.copyOf }
        _modify { yield &mutableFields.copyOf }
    }
    /// Directionality of the code's content (`ltr`, `rtl`, `auto`).
    public var direction: String? {
        get { box.fields.direction }
        _modify { yield &mutableFields.direction }
    }
    /// Which XLIFF 1.2 element it came from, so a 1.2 file is written back as it was.
    public var xliff12Element: XLIFF12CodeElement? {
        get { box.fields.xliff12Element }
        _modify { yield &mutableFields.xliff12Element }
    }
    /// XLIFF 1.2 `xid`, XLIFF 2 reference to another unit carrying the code's subflow (`subFlows`).
    public var subFlows: String? {
        get { box.fields.subFlows }
        _modify { yield &mutableFields.subFlows }
    }
    /// XLIFF 1.2 attributes without a model field (`rid`, `crc`, `assoc`), by name.
    public var xliff12Attributes: [String: String] {
        get { box.fields.xliff12Attributes }
        _modify { yield &mutableFields.xliff12Attributes }
    }
    /// XLIFF 1.2 `<sub>` elements inside the code's native data, in order.
    public var subContents: [SubContent] {
        get { box.fields.subContents }
        _modify { yield &mutableFields.subContents }
    }
    /// Foreign-namespace attributes (memoQ, SDL, ITS…).
    public var extensionAttributes: [ExtensionAttribute] {
        get { box.fields.extensionAttributes }
        _modify { yield &mutableFields.extensionAttributes }
    }
    /// Identifier of the XLIFF 2 `<data>` element holding `originalData` (`dataRef`,
    /// `dataRefStart`/`dataRefEnd`), kept so a rewrite keeps the same ids; writers assign one when nil.
    public var dataRef: String? {
        get { box.fields.dataRef }
        _modify { yield &mutableFields.dataRef }
    }
    /// Directionality of the original data (XLIFF 2 `<data dir="…">`); nil when not stated.
    public var dataDirection: String? {
        get { box.fields.dataDirection }
        _modify { yield &mutableFields.dataDirection }
    }

    /// Creates a code.
    public init(
        kind: Kind, id: String, isolated: Bool = false, originalData: String? = nil,
        type: String? = nil, subType: String? = nil, ctype: String? = nil,
        display: String? = nil, equivalent: String? = nil,
        canCopy: Bool = true, canDelete: Bool = true, canReorder: Reorder = .yes, canOverlap: Bool? = nil,
        copyOf: String? = nil, direction: String? = nil, xliff12Element: XLIFF12CodeElement? = nil,
        subFlows: String? = nil, extensionAttributes: [ExtensionAttribute] = [],
        dataRef: String? = nil, dataDirection: String? = nil
    ) {
        box = Box(Fields(kind: kind, id: id, isolated: isolated, originalData: originalData, type: type, subType: subType, ctype: ctype, display: display, equivalent: equivalent, canCopy: canCopy, canDelete: canDelete, canReorder: canReorder, canOverlap: canOverlap, copyOf: copyOf, direction: direction, xliff12Element: xliff12Element, subFlows: subFlows, xliff12Attributes: [:], subContents: [], extensionAttributes: extensionAttributes, dataRef: dataRef, dataDirection: dataDirection))
    }
}

/// The XLIFF 1.2 inline element a code was read from.
public enum XLIFF12CodeElement: String, Sendable, Hashable, Codable {
    /// `<g>`: paired, no native data.
    case g
    /// `<x/>`: standalone, no native data.
    case x
    /// `<bx/>`: start of a span that may cross segments, no native data.
    case bx
    /// `<ex/>`: end of such a span.
    case ex
    /// `<bpt>`: start of a paired code with native data.
    case bpt
    /// `<ept>`: end of a paired code with native data.
    case ept
    /// `<ph>`: standalone code with native data.
    case ph
    /// `<it>`: isolated code with native data.
    case it
}

/// The start or end of an annotation over a span of content.
///
/// XLIFF 2 `<mrk>` (as a start and an end run) and `<sm/>`/`<em/>`; XLIFF 1.2 `<mrk>`.
public struct Marker: Sendable, Hashable {
    /// Start or end of the span.
    public enum Boundary: String, Sendable, Hashable, Codable {
        /// Opens the annotated span.
        case start
        /// Closes it.
        case end
    }

    /// Start or end.
    public var boundary: Boundary
    /// Identifier shared by the start and its end.
    public var id: String
    /// Annotation type: `term`, `comment`, `generic`, `its:…`, or a 1.2 `mtype` (`protected`, `x-…`).
    public var type: String?
    /// Value of the annotation (a comment's text, a term's definition).
    public var value: String?
    /// Reference to more data (`ref`: a glossary entry, a note).
    public var ref: String?
    /// Whether the span is to be translated; nil when not stated.
    public var translate: Bool?
    /// Foreign-namespace attributes (ITS, memoQ…).
    public var extensionAttributes: [ExtensionAttribute]

    /// Creates a marker.
    public init(boundary: Boundary, id: String, type: String? = nil, value: String? = nil, ref: String? = nil, translate: Bool? = nil, extensionAttributes: [ExtensionAttribute] = []) {
        self.boundary = boundary
        self.id = id
        self.type = type
        self.value = value
        self.ref = ref
        self.translate = translate
        self.extensionAttributes = extensionAttributes
    }
}
