import Diagnostics
import TranslationModel
import XMLSupport

/// Reads an XLIFF 1.2 document (also 1.0 and 1.1, read as 1.2) one `<trans-unit>` at a time.
///
/// Every XLIFF 1.2 construct lands in the model: inline codes as typed runs, `<seg-source>`
/// segmentation as segments and ignorables, `<alt-trans>` as matches, `<context-group>` as
/// metadata, `<bin-unit>` as a group holding its units, and whatever the model does not interpret
/// (foreign-namespace markup from memoQ, Trados, Okapi…, `count-group`, `phase-group`) kept whole
/// for writing back. Memory stays flat: only the current unit is held.
///
/// Text is kept exactly as written; `Unit.preserveSpace` says whether `xml:space="preserve"`
/// applies (declared on the unit, its group or its file). Problems that do not stop the read
/// (a note after a group's units, `<source>` and `<seg-source>` that disagree) are `findings`.
/// Not `Sendable`: one owner reads it.
public final class XLIFF12Reader: DocumentReader {
    /// How the reader treats text.
    public struct Options: Sendable {
        /// Collapse runs of whitespace to one space (and trim the ends of `<source>`/`<target>`)
        /// where `xml:space="preserve"` does not apply, as translate-toolkit shows XLIFF text.
        /// Off by default: Verso keeps text exactly, so that a conversion changes nothing but the version.
        public var normalizeWhitespace: Bool

        /// Creates options.
        public init(normalizeWhitespace: Bool = false) {
            self.normalizeWhitespace = normalizeWhitespace
        }
    }

    private let xml: XMLStreamReader
    private let options: Options
    @exclusivity(unchecked) private var peeked: XMLEvent?
    @exclusivity(unchecked) private var queue: [DocumentEvent] = []
    @exclusivity(unchecked) private var queueIndex = 0
    @exclusivity(unchecked) private var contexts: [Context] = []
    @exclusivity(unchecked) private var started = false
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var xliffNamespace = XLIFFNamespace.v1_2
    @exclusivity(unchecked) private var documentInfo: DocumentInfo?
    @exclusivity(unchecked) private var pendingRootExtensions = Extensions()
    @exclusivity(unchecked) private var pendingFileElements: [ExtensionElement] = []
    @exclusivity(unchecked) private var fileCount = 0
    @exclusivity(unchecked) private var unitCount = 0
    @exclusivity(unchecked) private var lastLine = 0
    @exclusivity(unchecked) private var documentStarted = false

    /// Problems that did not stop the read, in document order.
    @exclusivity(unchecked) public private(set) var findings: [Finding] = []

    /// Where the element that produced the last event starts (`path:line`), for findings about it.
    public var eventLocation: SourceLocation {
        SourceLocation(file: xml.displayPath, line: lastLine > 0 ? lastLine : nil)
    }

    /// The path used in errors and findings.
    public var displayPath: String { xml.displayPath }

    private enum Context {
        case xliff
        case body
        case group
        case binUnit
    }

    /// Opens `path` for reading; `displayPath` (default: `path`) is what errors name.
    public init(path: String, displayPath: String? = nil, options: Options = Options()) throws {
        xml = try XMLStreamReader(path: path, displayPath: displayPath)
        self.options = options
    }

    /// Reads a document held in memory.
    public init(bytes: [UInt8], displayPath: String, options: Options = Options()) throws {
        xml = try XMLStreamReader(bytes: bytes, displayPath: displayPath)
        self.options = options
    }

    /// Reads a whole document into memory (for small files and tests).
    public static func readDocument(path: String, displayPath: String? = nil, options: Options = Options()) throws -> Document {
        var reader = try XLIFF12Reader(path: path, displayPath: displayPath, options: options)
        return try Document(reading: &reader)
    }

    /// The next event, or nil after `.endDocument`.
    public func next() throws -> DocumentEvent? {
        while queueIndex >= queue.count {
            queue.removeAll(keepingCapacity: true)
            queueIndex = 0
            if finished { return nil }
            try step()
        }
        // Moved out, not copied: a unit is a large value and this is the hot path.
        var event = DocumentEvent.endGroup
        swap(&event, &queue[queueIndex])
        queueIndex += 1
        return event
    }

    // MARK: - Structure

    private func nextXML() throws -> XMLEvent? {
        if let p = peeked { peeked = nil; return p }
        return try xml.next()
    }

    private func isXLIFF(_ name: XMLName) -> Bool { name.namespace == xliffNamespace }

    private func warn(_ message: String, line: Int? = nil, code: String = "xliff12.read") {
        var loc = xml.location
        if let line { loc.line = line; loc.column = nil }
        findings.append(Finding(.warning, message, at: loc, code: code))
    }

    private func emit(_ event: DocumentEvent) { queue.append(event) }

    private func step() throws {
        if let event = peeked {
            peeked = nil
            switch event {
            case .startElement(let s): if started { try startElement(s) } else { try startRoot(s) }
            case .endElement: if started { try endElement() }
            default: break
            }
            return
        }
        // The cursor: white space between elements costs no string.
        guard let kind = try xml.advance() else {
            if !started { throw xml.error("the document is empty: no root element") }
            throw xml.error("unexpected end of document")
        }
        switch kind {
        case .startElement:
            let s = xml.currentStartElement()
            if started { try startElement(s) } else { try startRoot(s) }
        case .endElement:
            if started { try endElement() }
        case .text, .comment, .processingInstruction:
            break
        }
    }

    private func startRoot(_ root: XMLStartElement) throws {
        guard root.name.local == "xliff" else {
            throw XMLError(location: SourceLocation(file: xml.displayPath, line: root.line), message: "not an XLIFF document: the root element is <\(root.name.qualified)>")
        }
        let version = root.attribute("version")
        if XLIFF12.namespaces.contains(root.name.namespace) {
            xliffNamespace = root.name.namespace
        } else if root.name.namespace.isEmpty, version == nil || version!.hasPrefix("1.") {
            xliffNamespace = "" // XLIFF 1.0 files often have no namespace
        } else if root.name.namespace == XLIFFNamespace.v2_0 || root.name.namespace == XLIFFNamespace.v2_2 {
            throw XMLError(location: SourceLocation(file: xml.displayPath, line: root.line), message: "this is XLIFF \(version ?? "2.x"), not XLIFF 1.2")
        } else {
            throw XMLError(location: SourceLocation(file: xml.displayPath, line: root.line), message: "not an XLIFF 1.2 document: <xliff> is in namespace '\(root.name.namespace)'")
        }
        if let version, !["1.0", "1.1", "1.2"].contains(version) {
            warn("XLIFF version '\(version)' read as 1.2", line: root.line)
        }
        started = true
        lastLine = root.line
        for a in root.attributes {
            if a.name.namespace.isEmpty {
                if a.name.local != "version" { warn("unknown attribute '\(a.name.local)' on <xliff> ignored", line: root.line) }
            } else {
                pendingRootExtensions.attributes.append(extensionAttribute(a))
            }
        }
        contexts.append(.xliff)
    }

    private func startElement(_ s: XMLStartElement) throws {
        let context = contexts.last ?? .xliff
        lastLine = s.line
        if !isXLIFF(s.name) {
            let element = try readExtensionElement(s)
            switch context {
            case .xliff:
                if documentStarted { pendingFileElements.append(element) } else { pendingRootExtensions.elements.append(element) }
            case .body:
                warn("foreign element <\(s.name.qualified)> directly in <body> dropped (XLIFF 1.2 allows none there)", line: s.line, code: "xliff12.dropped")
            case .group, .binUnit:
                warn("foreign element <\(s.name.qualified)> after the group's units dropped (XLIFF 1.2 allows them only before the units)", line: s.line, code: "xliff12.dropped")
            }
            return
        }
        switch (context, s.name.local) {
        case (.xliff, "file"):
            try readFileHead(s)
        case (.body, "trans-unit"), (.group, "trans-unit"), (.binUnit, "trans-unit"):
            let unit = try readTransUnit(s)
            emit(.unit(unit))
        case (.body, "group"), (.group, "group"):
            try readGroupHead(s)
        case (.body, "bin-unit"), (.group, "bin-unit"):
            try readBinUnitHead(s)
        case (.group, "note"), (.group, "context-group"), (.group, "count-group"),
             (.binUnit, "note"), (.binUnit, "context-group"), (.binUnit, "count-group"):
            warn("<\(s.name.local)> after the group's units dropped (XLIFF 1.2 puts it before them)", line: s.line, code: "xliff12.dropped")
            try xml.skipElement()
        default:
            warn("unexpected XLIFF element <\(s.name.local)> skipped", line: s.line, code: "xliff12.dropped")
            try xml.skipElement()
        }
    }

    private func endElement() throws {
        guard let context = contexts.popLast() else { return }
        switch context {
        case .xliff:
            if !pendingFileElements.isEmpty {
                warn("\(pendingFileElements.count) foreign element(s) after the last <file> dropped (XLIFF 1.2 allows them only before a <file>)", code: "xliff12.dropped")
                pendingFileElements.removeAll()
            }
            if !documentStarted {
                throw xml.error("the XLIFF document has no <file>")
            }
            emit(.endDocument)
            finished = true
        case .body:
            // </body>; the </file> that follows closes the file.
            try expectFileEnd()
            emit(.endFile)
        case .group, .binUnit:
            spaceStack.removeLast()
            translateStack.removeLast()
            emit(.endGroup)
        }
    }

    private func expectFileEnd() throws {
        while let event = try nextXML() {
            switch consume event {
            case .endElement(let n) where n.local == "file": return
            case .startElement(let s):
                warn("<\(s.name.qualified)> after <body> skipped", line: s.line, code: "xliff12.dropped")
                try xml.skipElement()
            default: continue
            }
        }
        throw xml.error("unexpected end of document inside <file>")
    }

    // MARK: - File

    private func readFileHead(_ start: XMLStartElement) throws {
        fileCount += 1
        var info = FileInfo(id: "f\(fileCount)")
        var sourceLanguage: String?
        var targetLanguage: String?
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "original"): info.original = a.value
            case ("", "source-language"): sourceLanguage = a.value
            case ("", "target-language"): targetLanguage = a.value
            case ("", "datatype"): info.datatype = a.value
            case ("", "id"): info.id = a.value
            case ("", _): info.xliff12Attributes[a.name.local] = a.value
            case (XMLNamespace.xml, "space"): info.preserveSpace = a.value == "preserve"
            default: info.extensions.attributes.append(extensionAttribute(a))
            }
        }
        if !pendingFileElements.isEmpty {
            info.extensions.elements.append(contentsOf: pendingFileElements)
            pendingFileElements.removeAll()
        }
        var sawBody = false
        loop: while let event = try nextXML() {
            switch consume event {
            case .startElement(let s):
                if isXLIFF(s.name) && s.name.local == "header" {
                    try readHeader(s, into: &info)
                } else if isXLIFF(s.name) && s.name.local == "body" {
                    sawBody = true
                    break loop
                } else if !isXLIFF(s.name) {
                    info.extensions.elements.append(try readExtensionElement(s))
                } else {
                    warn("unexpected <\(s.name.local)> in <file> skipped", line: s.line, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            case .endElement:
                break loop
            default:
                continue
            }
        }
        // Languages: the document takes the first file's; later files say theirs when they differ.
        if let doc = documentInfo {
            let src = sourceLanguage ?? "und"
            if src != doc.sourceLanguage { info.sourceLanguage = src }
            if targetLanguage != doc.targetLanguage { info.targetLanguage = targetLanguage }
        } else {
            let src = sourceLanguage ?? {
                warn("<file> has no source-language; 'und' (undetermined) assumed", line: start.line)
                return "und"
            }()
            let doc = DocumentInfo(version: .v1_2, sourceLanguage: src, targetLanguage: targetLanguage, extensions: pendingRootExtensions)
            documentInfo = doc
            emit(.startDocument(doc))
            documentStarted = true
        }
        emit(.startFile(info))
        spaceStack = [info.preserveSpace]
        translateStack = []
        if sawBody {
            contexts.append(.body)
        } else {
            warn("<file> has no <body>", line: start.line)
            emit(.endFile)
        }
    }

    private func readHeader(_ start: XMLStartElement, into info: inout FileInfo) throws {
        while let event = try nextXML() {
            switch consume event {
            case .startElement(let s):
                if !isXLIFF(s.name) {
                    info.extensions.elements.append(try readExtensionElement(s))
                    continue
                }
                switch s.name.local {
                case "skl":
                    info.skeleton = try readSkeleton(s)
                case "note":
                    info.notes.append(try readNote(s))
                case "tool":
                    info.tools.append(try readTool(s))
                case "phase-group", "glossary", "reference", "count-group":
                    info.xliff12HeaderElements.append(try readExtensionElement(s))
                default:
                    warn("unexpected <\(s.name.local)> in <header> skipped", line: s.line, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            case .endElement:
                return
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside <header>")
    }

    private func readSkeleton(_ start: XMLStartElement) throws -> Skeleton {
        var skeleton = Skeleton()
        while let event = try nextXML() {
            switch consume event {
            case .startElement(let s) where isXLIFF(s.name) && s.name.local == "internal-file":
                skeleton.form = s.attribute("form")
                if let crc = s.attribute("crc") { skeleton.xliff12Attributes["crc"] = crc }
                skeleton.content = try readText(until: s.name)
            case .startElement(let s) where isXLIFF(s.name) && s.name.local == "external-file":
                skeleton.href = s.attribute("href")
                if let crc = s.attribute("crc") { skeleton.xliff12Attributes["crc"] = crc }
                if let uid = s.attribute("uid") { skeleton.xliff12Attributes["uid"] = uid }
                try xml.skipElement()
            case .startElement(let s):
                if isXLIFF(s.name) {
                    warn("unexpected <\(s.name.local)> in <skl> skipped", line: s.line, code: "xliff12.dropped")
                    try xml.skipElement()
                } else {
                    skeleton.elements.append(try readExtensionElement(s))
                }
            case .endElement:
                return skeleton
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside <skl>")
    }

    private func readTool(_ start: XMLStartElement) throws -> ToolInfo {
        var tool = ToolInfo(id: start.attribute("tool-id") ?? "", name: start.attribute("tool-name") ?? "")
        tool.version = start.attribute("tool-version")
        tool.company = start.attribute("tool-company")
        for a in start.attributes where !a.name.namespace.isEmpty {
            tool.extensions.attributes.append(extensionAttribute(a))
        }
        while let event = try nextXML() {
            switch consume event {
            case .startElement(let s): tool.extensions.elements.append(try readExtensionElement(s))
            case .endElement: return tool
            default: continue
            }
        }
        throw xml.error("unexpected end of document inside <tool>")
    }

    // MARK: - Groups

    private func readGroupHead(_ start: XMLStartElement) throws {
        var info = GroupInfo()
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "id"): info.id = a.value
            case ("", "resname"): info.name = a.value
            case ("", "restype"): info.type = a.value
            case ("", "translate"): info.translate = a.value != "no"
            case ("", _): info.xliff12Attributes[a.name.local] = a.value
            case (XMLNamespace.xml, "space"): info.preserveSpace = a.value == "preserve"
            default: info.extensions.attributes.append(extensionAttribute(a))
            }
        }
        let ended = try readContainerHead(notes: &info.notes, metadata: &info.metadata, elements: &info.xliff12Elements, extensions: &info.extensions)
        emit(.startGroup(info))
        if ended { emit(.endGroup) } else {
            contexts.append(.group)
            spaceStack.append(info.preserveSpace)
            translateStack.append(info.translate)
        }
    }

    private func readBinUnitHead(_ start: XMLStartElement) throws {
        var info = GroupInfo(id: start.attribute("id"))
        var mimeType = ""
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "id"): break
            case ("", "mime-type"): mimeType = a.value
            case ("", "resname"): info.name = a.value
            case ("", "restype"): info.type = a.value
            case ("", "translate"): info.translate = a.value != "no"
            case ("", _): info.xliff12Attributes[a.name.local] = a.value
            default: info.extensions.attributes.append(extensionAttribute(a))
            }
        }
        var binary = BinaryUnit(mimeType: mimeType, source: ExtensionElement(namespace: XLIFFNamespace.v1_2, prefix: "", name: "bin-source"))
        var sawSource = false
        // <bin-source> and <bin-target> come first; then notes and context as in a group.
        while let event = try nextXML() {
            if case .startElement(let s) = event, isXLIFF(s.name), s.name.local == "bin-source" || s.name.local == "bin-target" {
                let element = try readExtensionElement(s)
                if s.name.local == "bin-source" { binary.source = element; sawSource = true } else { binary.target = element }
                continue
            }
            if case .text = event { continue }
            if case .comment = event { continue }
            if case .processingInstruction = event { continue }
            peeked = event
            break
        }
        if !sawSource { warn("<bin-unit> without <bin-source>", line: start.line) }
        info.binaryUnit = binary
        let ended = try readContainerHead(notes: &info.notes, metadata: &info.metadata, elements: &info.xliff12Elements, extensions: &info.extensions)
        emit(.startGroup(info))
        if ended { emit(.endGroup) } else {
            contexts.append(.binUnit)
            spaceStack.append(nil)
            translateStack.append(info.translate)
        }
    }

    /// Reads a group's leading children (notes, context groups, count groups, foreign elements)
    /// up to its first unit or group, which is left for `step()`. Returns true when the group ended.
    private func readContainerHead(notes: inout [Note], metadata: inout [MetaGroup], elements: inout [ExtensionElement], extensions: inout Extensions) throws -> Bool {
        while let event = try nextXML() {
            switch event {
            case .startElement(let s):
                if !isXLIFF(s.name) {
                    extensions.elements.append(try readExtensionElement(s))
                    continue
                }
                switch s.name.local {
                case "note": notes.append(try readNote(s))
                case "context-group": metadata.append(try readContextGroup(s))
                case "count-group": elements.append(try readExtensionElement(s))
                default:
                    peeked = event
                    return false
                }
            case .endElement:
                return true
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside a group")
    }

    // MARK: - Units

    private func readTransUnit(_ start: XMLStartElement) throws -> Unit {
        unitCount += 1
        var unit = Unit(id: "")
        var hasID = false
        var explicitSpace: Bool?
        var explicitTranslate: Bool?
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "id"): unit.id = a.value; hasID = true
            case ("", "resname"): unit.name = a.value
            case ("", "restype"): unit.type = a.value
            case ("", "translate"): explicitTranslate = a.value != "no"
            case ("", "approved"): unit.approved = a.value == "yes"
            case ("", _): unit.xliff12Attributes[a.name.local] = a.value
            case (XMLNamespace.xml, "space"): explicitSpace = a.value == "preserve"
            default: unit.extensions.attributes.append(extensionAttribute(a))
            }
        }
        if !hasID {
            unit.id = "tu\(unitCount)"
            warn("<trans-unit> without id: '\(unit.id)' assigned", line: start.line)
        }
        unit.preserveSpace = explicitSpace ?? inheritedPreserveSpace
        unit.translate = explicitTranslate ?? inheritedTranslate
        let preserve = unit.preserveSpace == true

        var source = Content()
        var segmented: Content?
        var target: Content?
        var targetState: String?
        var stateQualifier: String?
        var sawSource = false
        let a = atoms
        precondition(peeked == nil, "the unit cursor reads past no pending event")
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                let local = xml.localName
                guard xml.namespace == a.xliff else {
                    unit.extensions.elements.append(try readExtensionElement(xml.currentStartElement()))
                    continue
                }
                if local == a.source {
                    if sawSource {
                        warn("second <source> in trans-unit '\(unit.id)' ignored", line: xml.currentLine, code: "xliff12.dropped")
                        try xml.skipElement()
                        continue
                    }
                    sawSource = true
                    xml.forEachAttribute { local, ns, value in
                        if ns == a.xml && local == a.lang { source.language = value.string }
                        else if ns != a.none { unit.xliff12Markup.sourceAttributes.append(extensionAttribute(xml.currentAttributeName, value.string)) }
                    }
                    try readRuns(into: &source, preserve: preserve, atoms: a)
                    if options.normalizeWhitespace && !preserve { Self.trimEdges(&source) }
                } else if local == a.target {
                    var t = Content()
                    xml.forEachAttribute { local, ns, value in
                        if ns == a.xml {
                            if local == a.lang { t.language = value.string }
                        } else if ns == a.none {
                            if local == a.state { targetState = value.string }
                            else if local == a.stateQualifier { stateQualifier = value.string }
                            else { unit.xliff12Markup.targetAttributes[xml.currentAttributeName.local] = value.string }
                        } else {
                            unit.xliff12Markup.targetExtensionAttributes.append(extensionAttribute(xml.currentAttributeName, value.string))
                        }
                    }
                    try readRuns(into: &t, preserve: preserve, atoms: a)
                    if options.normalizeWhitespace && !preserve { Self.trimEdges(&t) }
                    target = t
                } else if local == a.segSource {
                    var seg = Content()
                    xml.forEachAttribute { local, ns, value in
                        if ns == a.xml && local == a.lang { unit.xliff12Markup.segmentedSourceLanguage = value.string }
                        else if ns != a.none { unit.xliff12Markup.segmentedSourceAttributes.append(extensionAttribute(xml.currentAttributeName, value.string)) }
                    }
                    try readRuns(into: &seg, preserve: preserve, atoms: a)
                    if options.normalizeWhitespace && !preserve { Self.trimEdges(&seg) }
                    segmented = seg
                } else if local == a.note {
                    unit.notes.append(try readNote(xml.currentStartElement()))
                } else if local == a.altTrans {
                    unit.matches.append(try readAltTrans(xml.currentStartElement(), preserve: preserve))
                } else if local == a.contextGroup {
                    unit.metadata.append(try readContextGroup(xml.currentStartElement()))
                } else if local == a.countGroup {
                    unit.xliff12Markup.elements.append(try readExtensionElement(xml.currentStartElement()))
                } else {
                    let s = xml.currentStartElement()
                    warn("unexpected <\(s.name.local)> in trans-unit '\(unit.id)' skipped", line: s.line, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            case .endElement:
                if !sawSource { warn("trans-unit '\(unit.id)' has no <source>", line: start.line) }
                if segmented == nil {
                    // The common case, built in place: one segment, no copies.
                    var segment = Segment(source: source, target: target)
                    Self.setState(targetState, qualifier: stateQualifier, on: &segment)
                    unit.parts = [.segment(segment)]
                } else {
                    unit.parts = try buildParts(unit: &unit, source: source, segmented: segmented, target: target, line: start.line)
                    applyState(targetState, qualifier: stateQualifier, to: &unit)
                }
                return unit
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside <trans-unit>")
    }

    /// `xml:space` declared on the nearest enclosing group or file. Tracked with the events
    /// already emitted, so nested groups see the innermost declaration.
    private var inheritedPreserveSpace: Bool? {
        for v in spaceStack.reversed() { if let v { return v } }
        return nil
    }

    private var inheritedTranslate: Bool {
        for v in translateStack.reversed() { if let v { return v } }
        return true
    }

    @exclusivity(unchecked) private var spaceStack: [Bool?] = []
    @exclusivity(unchecked) private var translateStack: [Bool?] = []

    private func applyState(_ state: String?, qualifier: String?, to unit: inout Unit) {
        guard state != nil || qualifier != nil else { return }
        for i in unit.parts.indices {
            guard case .segment(var s) = unit.parts[i] else { continue }
            Self.setState(state, qualifier: qualifier, on: &s)
            unit.parts[i] = .segment(s)
        }
    }

    /// The 1.2 state as read, and the XLIFF 2 state (+ subState) it means.
    @inline(__always)
    private static func setState(_ state: String?, qualifier: String?, on s: inout Segment) {
        guard state != nil || qualifier != nil else { return }
        s.xliff12State = state
        s.stateQualifier = qualifier
        if let state, let mapped = XLIFFStateMapping.state(for: state) {
            // An x- state has no known XLIFF 2 meaning: the conversion decides (XLIFFVersionAdapter).
            s.state = mapped
            s.subState = XLIFFStateMapping.subState(for: state)
        }
    }

    /// Turns `<source>`, `<seg-source>` and `<target>` into segments and ignorables.
    private func buildParts(unit: inout Unit, source: Content, segmented: Content?, target: Content?, line: Int) throws -> [UnitPart] {
        guard let segmented else {
            return [.segment(Segment(source: source, target: target))]
        }
        var parts = splitSegments(segmented, language: source.language)
        // <source> should be the seg-source without its <mrk mtype="seg">: keep it when it is not.
        let joined = Self.removingSegmentMarkers(segmented)
        if joined.runs != source.normalized.runs {
            var kept = source
            kept.runs = source.normalized.runs
            unit.xliff12Markup.unsegmentedSource = kept
            if Self.whitespaceInsensitiveText(joined) != Self.whitespaceInsensitiveText(source) {
                warn("<source> and <seg-source> of trans-unit '\(unit.id)' differ; the segments follow <seg-source>", line: line, code: "xliff12.seg-source-mismatch")
            }
        }
        guard let target else { return parts }
        unit.xliff12Markup.targetIsUnsegmented = attachTarget(target, to: &parts, unitID: unit.id, line: line)
        return parts
    }

    /// Splits content at its top-level `<mrk mtype="seg">` markers: the marked spans become
    /// segments (their `mid` the segment id), the material between them ignorables.
    private func splitSegments(_ content: Content, language: String?) -> [UnitPart] {
        var parts: [UnitPart] = []
        var pending = Content(language: language)
        var current: Segment?
        var nested = 0
        for run in content.runs {
            if current == nil {
                if case .marker(let m) = run, m.boundary == .start, m.type == "seg" {
                    if !pending.isEmpty { parts.append(.ignorable(Ignorable(source: pending))) }
                    pending = Content(language: language)
                    var seg = Segment(id: m.id.isEmpty ? nil : m.id, source: Content(language: language))
                    seg.extensions.attributes = m.extensionAttributes
                    current = seg
                    nested = 0
                } else {
                    pending.append(run)
                }
                continue
            }
            if case .marker(let m) = run {
                if m.boundary == .start {
                    nested += 1
                } else if nested == 0 {
                    parts.append(.segment(current!))
                    current = nil
                    continue
                } else {
                    nested -= 1
                }
            }
            current!.source.append(run)
        }
        if let current { parts.append(.segment(current)) }
        if !pending.isEmpty { parts.append(.ignorable(Ignorable(source: pending))) }
        return parts
    }

    /// Pairs the target's `<mrk mtype="seg">` with the segments by `mid`; the material between
    /// them becomes the ignorables' target. Returns true when a target without markers was given
    /// to the first of several parts (it then translates the whole unit).
    @discardableResult
    private func attachTarget(_ target: Content, to parts: inout [UnitPart], unitID: String, line: Int) -> Bool {
        let targetParts = splitSegments(target, language: target.language)
        let hasMarkers = targetParts.contains { if case .segment = $0 { return true } else { return false } }
        let segmentIndices = parts.indices.filter { if case .segment = parts[$0] { return true } else { return false } }
        guard hasMarkers else {
            // An unsegmented target: it belongs to the only segment, or (with a warning) to the first.
            if target.isEmpty && segmentIndices.count > 1 {
                return false
            }
            if segmentIndices.count != 1 || parts.count != 1 {
                warn("the target of trans-unit '\(unitID)' is not segmented like its <seg-source>; it is attached to the first segment", line: line, code: "xliff12.unsegmented-target")
            }
            if let first = segmentIndices.first, case .segment(var s) = parts[first] {
                s.target = target
                parts[first] = .segment(s)
                return parts.count > 1 && !target.isEmpty
            }
            return false
        }
        var byID: [String: Int] = [:]
        for i in segmentIndices { if case .segment(let s) = parts[i], let id = s.id { byID[id] = i } }
        // Walk the target: the material before a segment goes to the ignorable just before the
        // matching source segment (a new ignorable with an empty source when there is none).
        var pendingMaterial: Content?
        var insertions: [(before: Int, ignorable: Ignorable)] = []
        var orphans: [Segment] = []
        var lastIndex = -1
        var reordered = false
        for tp in targetParts {
            switch tp {
            case .ignorable(let ig):
                pendingMaterial = ig.source
            case .segment(let ts):
                let material = pendingMaterial ?? Content(language: target.language)
                pendingMaterial = nil
                guard let id = ts.id, let index = byID[id] else {
                    warn("target segment '\(ts.id ?? "")' of trans-unit '\(unitID)' has no source segment; it is kept as an extra segment", line: line, code: "xliff12.orphan-target-segment")
                    var extra = Segment(id: ts.id, source: Content())
                    extra.target = ts.source
                    orphans.append(extra)
                    continue
                }
                if index < lastIndex { reordered = true }
                lastIndex = index
                if case .segment(var s) = parts[index] {
                    s.target = ts.source
                    parts[index] = .segment(s)
                }
                if index > 0, case .ignorable(var ig) = parts[index - 1], ig.target == nil {
                    ig.target = material
                    parts[index - 1] = .ignorable(ig)
                } else if !material.isEmpty {
                    insertions.append((index, Ignorable(source: Content(), target: material)))
                }
            }
        }
        if reordered {
            warn("the target segments of trans-unit '\(unitID)' are in another order than the source; the source order is kept", line: line, code: "xliff12.reordered-target")
        }
        // Material after the last target segment belongs to the ignorable that follows it.
        if lastIndex >= 0 {
            let after = lastIndex + 1
            if after < parts.count, case .ignorable(var ig) = parts[after], ig.target == nil {
                ig.target = pendingMaterial ?? Content(language: target.language)
                parts[after] = .ignorable(ig)
            } else if let trailing = pendingMaterial, !trailing.isEmpty {
                insertions.append((after, Ignorable(source: Content(), target: trailing)))
            }
        }
        // Ignorables the target passes over hold nothing there.
        for i in parts.indices {
            if case .ignorable(var ig) = parts[i], ig.target == nil {
                ig.target = Content(language: target.language)
                parts[i] = .ignorable(ig)
            }
        }
        for insertion in insertions.sorted(by: { $0.before > $1.before }) {
            parts.insert(.ignorable(insertion.ignorable), at: insertion.before)
        }
        parts.append(contentsOf: orphans.map { .segment($0) })
        return false
    }

    // MARK: - Content
    //
    // Inline content is most of a document's nodes: it is read through the stream's cursor
    // (no event value per node, names compared as interned pointers).

    /// The names the content reader compares, interned in this document's reader.
    private struct Atoms {
        let xliff, xml, none: XMLAtom
        let g, x, bx, ex, bpt, ept, ph, it, mrk, sub: XMLAtom
        let id, ctype, equivText, xid, clone, pos, mid, mtype, comment, datatype, lang: XMLAtom
        let source, segSource, target, note, altTrans, contextGroup, countGroup, state, stateQualifier: XMLAtom

        init(_ r: XMLStreamReader, xliffNamespace: String) {
            xliff = xliffNamespace.isEmpty ? .none : r.atom(xliffNamespace)
            xml = r.atom(XMLNamespace.xml)
            none = .none
            g = r.atom("g"); x = r.atom("x"); bx = r.atom("bx"); ex = r.atom("ex"); bpt = r.atom("bpt")
            ept = r.atom("ept"); ph = r.atom("ph"); it = r.atom("it"); mrk = r.atom("mrk"); sub = r.atom("sub")
            id = r.atom("id"); ctype = r.atom("ctype"); equivText = r.atom("equiv-text"); xid = r.atom("xid")
            clone = r.atom("clone"); pos = r.atom("pos"); mid = r.atom("mid"); mtype = r.atom("mtype")
            comment = r.atom("comment"); datatype = r.atom("datatype"); lang = r.atom("lang")
            source = r.atom("source"); segSource = r.atom("seg-source"); target = r.atom("target"); note = r.atom("note")
            altTrans = r.atom("alt-trans"); contextGroup = r.atom("context-group"); countGroup = r.atom("count-group")
            state = r.atom("state"); stateQualifier = r.atom("state-qualifier")
        }
    }

    @exclusivity(unchecked) private var atomsStorage: Atoms?
    private var atoms: Atoms {
        if let a = atomsStorage { return a }
        let a = Atoms(xml, xliffNamespace: xliffNamespace)
        atomsStorage = a
        return a
    }

    /// Reads mixed content (`<source>`, `<target>`, `<seg-source>`, `<g>`, `<mrk>`, `<sub>`) up
    /// to the end of the element just started, as runs.
    private func readContent(_ start: XMLStartElement, preserve: Bool) throws -> Content {
        var content = Content()
        try readRuns(into: &content, preserve: preserve, atoms: atoms)
        if options.normalizeWhitespace && !preserve { Self.trimEdges(&content) }
        return content
    }

    private func readRuns(into content: inout Content, preserve: Bool, atoms a: Atoms) throws {
        precondition(peeked == nil, "the content cursor reads past no pending event")
        while let kind = try xml.advance() {
            switch kind {
            case .text:
                let t = xml.currentText
                content.append(.text(options.normalizeWhitespace && !preserve ? Self.collapseWhitespace(t) : t))
            case .endElement:
                return
            case .comment, .processingInstruction:
                continue
            case .startElement:
                let local = xml.localName
                guard xml.namespace == a.xliff else {
                    let name = xml.currentStartElement().name
                    warn("foreign element <\(name.qualified)> inside text dropped (XLIFF 1.2 allows none there)", line: xml.currentLine, code: "xliff12.dropped")
                    try xml.skipElement()
                    continue
                }
                if local == a.g {
                    let code = inlineCode(.opening, .g, a)
                    content.append(.code(code))
                    try readRuns(into: &content, preserve: preserve, atoms: a)
                    content.append(.code(InlineCode(kind: .closing, id: code.id, xliff12Element: .g)))
                } else if local == a.x {
                    content.append(.code(inlineCode(.standalone, .x, a)))
                    try skipEmpty()
                } else if local == a.bx {
                    content.append(.code(inlineCode(.opening, .bx, a)))
                    try skipEmpty()
                } else if local == a.ex {
                    content.append(.code(inlineCode(.closing, .ex, a)))
                    try skipEmpty()
                } else if local == a.ph || local == a.bpt || local == a.ept || local == a.it {
                    let element: XLIFF12CodeElement = local == a.ph ? .ph : local == a.bpt ? .bpt : local == a.ept ? .ept : .it
                    let kind: InlineCode.Kind = element == .ph ? .standalone : element == .ept ? .closing : .opening
                    var code = inlineCode(kind, element, a)
                    try readCodeData(into: &code, preserve: preserve, atoms: a)
                    content.append(.code(code))
                } else if local == a.mrk {
                    let marker = self.marker(a)
                    content.append(.marker(marker))
                    try readRuns(into: &content, preserve: preserve, atoms: a)
                    content.append(.marker(Marker(boundary: .end, id: marker.id, type: marker.type == "seg" ? "seg" : nil)))
                } else {
                    let name = xml.currentStartElement().name
                    warn("unexpected <\(name.local)> inside text skipped", line: xml.currentLine, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            }
        }
        throw xml.error("unexpected end of document inside text")
    }

    /// `<x/>`, `<bx/>`, `<ex/>` are empty; content, if any, is skipped.
    private func skipEmpty() throws {
        while let kind = try xml.advance() {
            switch kind {
            case .endElement: return
            case .startElement: try xml.skipElement()
            default: continue
            }
        }
    }

    /// Reads the native data of `<bpt>`, `<ept>`, `<ph>`, `<it>`: text with `<sub>` flows.
    private func readCodeData(into code: inout InlineCode, preserve: Bool, atoms a: Atoms) throws {
        var data = ""
        var utf16Count = 0
        var sawData = false
        while let kind = try xml.advance() {
            switch kind {
            case .text:
                let t = xml.currentText
                data += t
                utf16Count += t.utf16.count
                sawData = true
            case .endElement:
                code.originalData = sawData || !code.subContents.isEmpty ? data : nil
                return
            case .startElement:
                if xml.namespace == a.xliff && xml.localName == a.sub {
                    var sub = SubContent(utf16Offset: utf16Count, content: Content())
                    xml.forEachAttribute { local, ns, value in
                        guard ns == a.none else { return }
                        if local == a.datatype { sub.datatype = value.string }
                        else if local == a.ctype { sub.ctype = value.string }
                        else if local == a.xid { sub.xid = value.string }
                    }
                    try readRuns(into: &sub.content, preserve: preserve, atoms: a)
                    code.subContents.append(sub)
                } else {
                    let name = xml.currentStartElement().name
                    warn("<\(name.qualified)> inside an inline code skipped", line: xml.currentLine, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            case .comment, .processingInstruction:
                continue
            }
        }
        throw xml.error("unexpected end of document inside an inline code")
    }

    /// The code at the cursor, from its attributes (`<it pos="close">` closes).
    private func inlineCode(_ kind: InlineCode.Kind, _ element: XLIFF12CodeElement, _ a: Atoms) -> InlineCode {
        var code = InlineCode(kind: kind, id: "", xliff12Element: element)
        if element == .it { code.isolated = true }
        var sawPos = false
        xml.forEachAttribute { local, ns, value in
            if ns == a.none {
                if local == a.id { code.id = value.string }
                else if local == a.ctype { code.ctype = value.string }
                else if local == a.equivText { code.equivalent = value.string }
                else if local == a.xid { code.subFlows = value.string }
                else if local == a.clone { code.canCopy = !value.equals("no") }
                else if local == a.pos, element == .it {
                    sawPos = true
                    if value.equals("close") { code.kind = .closing }
                    else if !value.equals("open") { code.xliff12Attributes["pos"] = value.string }
                } else {
                    code.xliff12Attributes[xml.currentAttributeName.local] = value.string
                }
            } else {
                code.extensionAttributes.append(extensionAttribute(xml.currentAttributeName, value.string))
            }
        }
        // pos is required on <it>: without one the code stays an isolated opening, as read.
        if element == .it, !sawPos { code.xliff12Attributes["pos"] = "" }
        return code
    }

    /// The `<mrk>` at the cursor as a start marker.
    private func marker(_ a: Atoms) -> Marker {
        var marker = Marker(boundary: .start, id: "")
        xml.forEachAttribute { local, ns, value in
            if ns == a.none {
                if local == a.mid { marker.id = value.string }
                else if local == a.mtype { marker.type = value.string }
                else if local == a.comment { marker.value = value.string }
                else { marker.extensionAttributes.append(ExtensionAttribute(namespace: "", prefix: "", name: xml.currentAttributeName.local, value: value.string)) }
            } else {
                marker.extensionAttributes.append(extensionAttribute(xml.currentAttributeName, value.string))
            }
        }
        return marker
    }

    // MARK: - Notes, candidates, context

    private func readNote(_ start: XMLStartElement) throws -> Note {
        var note = Note("")
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "from"): note.from = a.value
            case ("", "priority"): note.priority = Int(a.value)
            case ("", "annotates"): note.appliesTo = Note.AppliesTo(rawValue: a.value)
            case (XMLNamespace.xml, "lang"): note.language = a.value
            default: note.extensionAttributes.append(extensionAttribute(a))
            }
        }
        note.text = try readText(until: start.name)
        return note
    }

    private func readAltTrans(_ start: XMLStartElement, preserve unitPreserve: Bool) throws -> Match {
        var match = Match(source: Content(), target: Content())
        var preserve = unitPreserve
        for a in start.attributes {
            switch (a.name.namespace, a.name.local) {
            case ("", "origin"): match.origin = a.value
            case ("", "mid"): match.ref = "#" + a.value
            case ("", "match-quality"):
                match.xliff12Attributes["match-quality"] = a.value
                match.similarity = Self.parsePercentage(a.value)
            case ("", "alttranstype"):
                match.xliff12Attributes["alttranstype"] = a.value
                if a.value == "reference" { match.reference = true }
            case ("", _): match.xliff12Attributes[a.name.local] = a.value
            case (XMLNamespace.xml, "space"):
                match.xliff12Attributes["xml:space"] = a.value
                preserve = a.value == "preserve"
            case (XMLNamespace.xml, "lang"): match.xliff12Attributes["xml:lang"] = a.value
            default: match.extensions.attributes.append(extensionAttribute(a))
            }
        }
        while let event = try nextXML() {
            switch consume event {
            case .startElement(let s):
                guard isXLIFF(s.name) else {
                    match.extensions.elements.append(try readExtensionElement(s))
                    continue
                }
                switch s.name.local {
                case "source", "seg-source":
                    var c = try readContent(s, preserve: preserve)
                    c.language = s.attribute("lang", namespace: XMLNamespace.xml)
                    if s.name.local == "source" { match.source = c } else { match.xliff12SegmentedSource = c }
                case "target":
                    for a in s.attributes {
                        switch (a.name.namespace, a.name.local) {
                        case (XMLNamespace.xml, "lang"): break
                        case ("", _): match.xliff12TargetAttributes[a.name.local] = a.value
                        default: match.extensions.attributes.append(extensionAttribute(a))
                        }
                    }
                    var c = try readContent(s, preserve: preserve)
                    c.language = s.attribute("lang", namespace: XMLNamespace.xml)
                    match.target = c
                case "note": match.notes.append(try readNote(s))
                case "context-group": match.metadata.append(try readContextGroup(s))
                default:
                    warn("unexpected <\(s.name.local)> in <alt-trans> skipped", line: s.line, code: "xliff12.dropped")
                    try xml.skipElement()
                }
            case .endElement:
                return match
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside <alt-trans>")
    }

    private func readContextGroup(_ start: XMLStartElement) throws -> MetaGroup {
        var group = MetaGroup(category: start.attribute("name"))
        for a in start.attributes where a.name.namespace.isEmpty && a.name.local != "name" {
            group.xliff12Attributes[a.name.local] = a.value
        }
        while let event = try nextXML() {
            switch consume event {
            case .startElement(let s) where isXLIFF(s.name) && s.name.local == "context":
                let index = group.items.count
                for a in s.attributes where a.name.namespace.isEmpty && a.name.local != "context-type" {
                    group.xliff12Attributes["\(a.name.local)@\(index)"] = a.value
                }
                let value = try readText(until: s.name)
                group.items.append(.meta(type: s.attribute("context-type") ?? "", value: value))
            case .startElement(let s):
                warn("unexpected <\(s.name.qualified)> in <context-group> skipped", line: s.line, code: "xliff12.dropped")
                try xml.skipElement()
            case .endElement:
                return group
            default:
                continue
            }
        }
        throw xml.error("unexpected end of document inside <context-group>")
    }

    /// Reads text-only content up to the end of the current element (child elements are skipped).
    private func readText(until name: XMLName) throws -> String {
        var text = ""
        while let event = try nextXML() {
            switch consume event {
            case .text(let t): text += t
            case .endElement: return text
            case .startElement(let s):
                warn("<\(s.name.qualified)> inside <\(name.local)> skipped", line: s.line, code: "xliff12.dropped")
                try xml.skipElement()
            default: continue
            }
        }
        throw xml.error("unexpected end of document inside <\(name.local)>")
    }

    // MARK: - Extensions

    private func extensionAttribute(_ a: XMLAttribute) -> ExtensionAttribute {
        ExtensionAttribute(namespace: a.name.namespace, prefix: a.name.prefix, name: a.name.local, value: a.value)
    }

    private func extensionAttribute(_ name: XMLName, _ value: String) -> ExtensionAttribute {
        ExtensionAttribute(namespace: name.namespace, prefix: name.prefix, name: name.local, value: value)
    }

    private func readExtensionElement(_ start: XMLStartElement) throws -> ExtensionElement {
        if let p = peeked {
            // readElement reads from the XML stream directly; nothing may be waiting in front of it.
            throw xml.error("internal error: pending event \(p) before an extension element")
        }
        return Self.extensionElement(try xml.readElement(start), xliffNamespace: xliffNamespace)
    }

    /// Converts an element read into memory to the model's extension tree (comments and
    /// processing instructions are not kept). Elements in the document's XLIFF namespace are
    /// recorded in the 1.2 namespace without a prefix, as Verso writes them.
    static func extensionElement(_ e: XMLElement, xliffNamespace: String) -> ExtensionElement {
        let isXLIFF = e.name.namespace == xliffNamespace
        var out = ExtensionElement(namespace: isXLIFF ? XLIFFNamespace.v1_2 : e.name.namespace, prefix: isXLIFF ? "" : e.name.prefix, name: e.name.local)
        out.attributes = e.attributes.map { ExtensionAttribute(namespace: $0.name.namespace, prefix: $0.name.prefix, name: $0.name.local, value: $0.value) }
        for child in e.children {
            switch child {
            case .element(let c): out.children.append(.element(extensionElement(c, xliffNamespace: xliffNamespace)))
            case .text(let t): out.children.append(.text(t))
            case .comment, .processingInstruction: continue
            }
        }
        return out
    }

    // MARK: - Helpers

    /// `95`, `95%`, `95.5 %` → 95 / 95.5; nil for anything else ("high").
    static func parsePercentage(_ s: String) -> Double? {
        var t = s.trimmingXMLWhitespace()
        if t.hasSuffix("%") { t = String(t.dropLast()).trimmingXMLWhitespace() }
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }

    static func collapseWhitespace(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var inSpace = false
        for ch in s.unicodeScalars {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                if !inSpace { out.unicodeScalars.append(" ") }
                inSpace = true
            } else {
                out.unicodeScalars.append(ch)
                inSpace = false
            }
        }
        return out
    }

    static func trimEdges(_ content: inout Content) {
        if case .text(let t)? = content.runs.first {
            let trimmed = String(t.drop(while: { $0 == " " }))
            if trimmed.isEmpty { content.runs.removeFirst() } else { content.runs[0] = .text(trimmed) }
        }
        if case .text(let t)? = content.runs.last {
            var s = Substring(t)
            while s.last == " " { s.removeLast() }
            if s.isEmpty { content.runs.removeLast() } else { content.runs[content.runs.count - 1] = .text(String(s)) }
        }
    }

    /// Content without the `<mrk mtype="seg">` markers, adjacent text merged.
    static func removingSegmentMarkers(_ content: Content) -> Content {
        var out = Content()
        var segDepth: [Bool] = []
        for run in content.runs {
            if case .marker(let m) = run {
                if m.boundary == .start {
                    segDepth.append(m.type == "seg")
                    if m.type == "seg" { continue }
                } else if let isSeg = segDepth.popLast(), isSeg {
                    continue
                }
            }
            out.append(run)
        }
        return out
    }

    static func whitespaceInsensitiveText(_ content: Content) -> String {
        collapseWhitespace(removingSegmentMarkers(content).plainText).trimmingXMLWhitespace()
    }
}

extension String {
    func trimmingXMLWhitespace() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var s = Substring(self)
        while let f = s.first, ws(f) { s.removeFirst() }
        while let l = s.last, ws(l) { s.removeLast() }
        return String(s)
    }
}
