/// What an XLIFF 1.2 `<trans-unit>` says on its `<source>`, `<seg-source>` and `<target>` elements
/// themselves, beyond the text (which lives in the unit's segments and ignorables).
///
/// XLIFF 1.2 puts state and attributes on the whole `<target>`, whereas the model keeps state per
/// segment; what has no per-segment home is kept here so that a 1.2 file is written back as it came.
public struct XLIFF12UnitMarkup: Sendable, Hashable {
    /// Foreign-namespace attributes on `<source>` (memoQ `mq:segpart`…).
    public var sourceAttributes: [ExtensionAttribute]
    /// `xml:lang` of `<seg-source>`.
    public var segmentedSourceLanguage: String?
    /// Foreign-namespace attributes on `<seg-source>`.
    public var segmentedSourceAttributes: [ExtensionAttribute]
    /// XLIFF 1.2 attributes of `<target>` other than `state`, `state-qualifier` and `xml:lang`
    /// (`phase-name`, `resname`, `coord`, `font`, `css-style`, `style`, `exstyle`, `equiv-trans`), by name.
    public var targetAttributes: [String: String]
    /// Foreign-namespace attributes on `<target>`.
    public var targetExtensionAttributes: [ExtensionAttribute]
    /// The `<source>` element when its text differs from the `<seg-source>` the segments were
    /// read from (a tool edited one and not the other); nil when they agree.
    public var unsegmentedSource: Content?
    /// XLIFF 1.2 elements of the unit Verso keeps whole (`count-group`), in the 1.2 namespace.
    public var elements: [ExtensionElement]
    /// True when `<seg-source>` splits the unit into several parts but `<target>` has no
    /// `<mrk mtype="seg">`: the target translates the whole unit (translate-toolkit and many
    /// tools write it so). The model keeps it as the first segment's target.
    public var targetIsUnsegmented = false

    /// Creates unit markup (empty by default).
    public init(sourceAttributes: [ExtensionAttribute] = [], segmentedSourceLanguage: String? = nil, segmentedSourceAttributes: [ExtensionAttribute] = [], targetAttributes: [String: String] = [:], targetExtensionAttributes: [ExtensionAttribute] = [], unsegmentedSource: Content? = nil, elements: [ExtensionElement] = []) {
        self.sourceAttributes = sourceAttributes
        self.segmentedSourceLanguage = segmentedSourceLanguage
        self.segmentedSourceAttributes = segmentedSourceAttributes
        self.targetAttributes = targetAttributes
        self.targetExtensionAttributes = targetExtensionAttributes
        self.unsegmentedSource = unsegmentedSource
        self.elements = elements
    }

    /// True when nothing is kept.
    public var isEmpty: Bool {
        sourceAttributes.isEmpty && segmentedSourceLanguage == nil && segmentedSourceAttributes.isEmpty
            && targetAttributes.isEmpty && targetExtensionAttributes.isEmpty && unsegmentedSource == nil && elements.isEmpty && !targetIsUnsegmented
    }
}

/// An XLIFF 1.2 `<bin-unit>`: a binary resource (an image, an icon) with optional translated
/// binary. The model carries it as a group (`GroupInfo.binaryUnit`) so that the `<trans-unit>`s
/// inside it (the image's caption, its alt text) are ordinary units.
public struct BinaryUnit: Sendable, Hashable {
    /// `mime-type` (required by XLIFF 1.2).
    public var mimeType: String
    /// The `<bin-source>` element kept whole (its `<internal-file>` or `<external-file>`).
    public var source: ExtensionElement
    /// The `<bin-target>` element kept whole, when there is one.
    public var target: ExtensionElement?

    /// Creates a binary unit.
    public init(mimeType: String, source: ExtensionElement, target: ExtensionElement? = nil) {
        self.mimeType = mimeType
        self.source = source
        self.target = target
    }
}

/// Translatable text inside an inline code's native data: XLIFF 1.2 `<sub>` (the `alt` text of an
/// `<img>` tag carried in a `<ph>`). The code's `originalData` holds the native data around it.
public struct SubContent: Sendable, Hashable {
    /// Where the text sits in the code's `originalData`, in UTF-16 code units.
    public var utf16Offset: UTF16Offset
    /// The translatable text, with its own inline codes.
    public var content: Content
    /// `datatype` of the sub-flow.
    public var datatype: String?
    /// `ctype` of the sub-flow.
    public var ctype: String?
    /// `xid`: the unit that carries this text instead, when it was extracted.
    public var xid: String?

    /// Creates a sub-flow.
    public init(utf16Offset: UTF16Offset, content: Content, datatype: String? = nil, ctype: String? = nil, xid: String? = nil) {
        self.utf16Offset = utf16Offset
        self.content = content
        self.datatype = datatype
        self.ctype = ctype
        self.xid = xid
    }
}
