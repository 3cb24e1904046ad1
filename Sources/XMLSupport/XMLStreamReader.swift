#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CLibXML2
import Diagnostics

/// One step of a streamed XML document.
public enum XMLEvent: Sendable, Equatable {
    /// An element starts. An empty element (`<x/>`) is followed at once by its `.endElement`.
    case startElement(XMLStartElement)
    /// An element ends.
    case endElement(XMLName)
    /// Character data: text, CDATA sections and whitespace, with references resolved.
    case text(String)
    /// A comment's content.
    case comment(String)
    /// A processing instruction.
    case processingInstruction(target: String, data: String)
}

/// The start tag of an element.
public struct XMLStartElement: Sendable, Equatable {
    /// The element's name.
    public var name: XMLName
    /// Its attributes, in document order, without namespace declarations.
    public var attributes: [XMLAttribute]
    /// Namespace declarations made on this element.
    public var namespaceDeclarations: [XMLNamespaceDeclaration]
    /// 1-based line of the start tag.
    public var line: Int

    /// Creates a start tag.
    public init(name: XMLName, attributes: [XMLAttribute] = [], namespaceDeclarations: [XMLNamespaceDeclaration] = [], line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.line = line
    }

    /// The value of an attribute in no namespace (or the given one).
    public func attribute(_ local: String, namespace: String = "") -> String? {
        attributes.value(local, namespace: namespace)
    }
}

/// Streams an XML document one event at a time through libxml2's SAX2 push parser, so memory
/// stays flat however large the file is.
///
/// The file is fed to the parser 64 KiB at a time; the SAX callbacks (in the CLibXML2 shim)
/// record that chunk's events into flat arrays, which the cursor then hands out. This is about
/// twice as fast as libxml2's `xmlTextReader`, which builds and frees a tree node per event.
///
/// Secure by construction: no network, no DTD loading, no external entities; an entity
/// reference that would need a DTD to expand stops the parse with an error (which also
/// defuses "billion laughs"). Not `Sendable`: the C parser belongs to one thread at a time.
public final class XMLStreamReader {
    @exclusivity(unchecked) private var state: UnsafeMutablePointer<verso_sax_state>?
    @exclusivity(unchecked) private var fd: Int32 = -1
    private let sink: LibXML2ErrorSink
    /// Names, prefixes and namespace URIs by the address libxml2 interned them at: a small
    /// direct-mapped table (a collision only costs a conversion), much cheaper than hashing.
    private let cacheKeys: UnsafeMutablePointer<UnsafeRawPointer?>
    private let cacheValues: UnsafeMutablePointer<String>
    private static let cacheSize = 1024
    private static let chunkSize = 1 << 16
    /// The current event's index in the state's events; -1 before the first.
    @exclusivity(unchecked) private var cursor = -1
    /// Events of the current chunk that may be handed out (a text at the end waits for the
    /// next chunk, which may continue it).
    @exclusivity(unchecked) private var deliverable = 0
    /// The attribute `forEachAttribute` is at, -1 outside it.
    @exclusivity(unchecked) private var attributeCursor = -1
    @exclusivity(unchecked) private var inputEnded = false
    @exclusivity(unchecked) private var finished = false
    /// The document, when streamed from memory, and how far it has been fed.
    @exclusivity(unchecked) private var memory: UnsafeMutableBufferPointer<UInt8>?
    private var memoryLength = 0
    @exclusivity(unchecked) private var memoryPosition = 0
    /// The read buffer for files.
    private var buffer: UnsafeMutableRawPointer?
    /// Bytes of the next read from a file: `chunkSize`, or less for the first one when the
    /// caller only wants the start of the document.
    @exclusivity(unchecked) private var nextReadSize = XMLStreamReader.chunkSize

    /// The path used in error messages.
    public var displayPath: String { sink.displayPath }

    /// Opens `path` for streaming. `displayPath` (default: `path`) is what errors name.
    ///
    /// `firstChunkSize` bounds the first read: a caller that only looks at the root element (to
    /// tell an XLIFF version) then parses a few KiB instead of the first 64 KiB, which for a
    /// small file was the whole file, parsed twice.
    public init(path: String, displayPath: String? = nil, firstChunkSize: Int? = nil) throws {
        if let firstChunkSize { nextReadSize = max(1, min(firstChunkSize, Self.chunkSize)) }
        (cacheKeys, cacheValues) = Self.makeCache()
        LibXML2.prepareThread()
        sink = LibXML2ErrorSink(displayPath: displayPath ?? path)
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw XMLError(location: .init(file: sink.displayPath), message: "is a directory, not a file")
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError() }
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        try start()
    }

    /// Streams a document held in memory (used for small inputs and tests).
    public init(bytes: [UInt8], displayPath: String) throws {
        (cacheKeys, cacheValues) = Self.makeCache()
        LibXML2.prepareThread()
        sink = LibXML2ErrorSink(displayPath: displayPath)
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = copy.initialize(from: bytes)
        memory = copy
        memoryLength = bytes.count
        try start()
    }

    /// Convenience for a document in a `String`.
    public convenience init(string: String, displayPath: String = "<string>") throws {
        try self.init(bytes: Array(string.utf8), displayPath: displayPath)
    }

    /// Creates the parser with no input yet: libxml2 detects the encoding (a byte-order mark,
    /// UTF-16 or UCS-4 without one, the XML declaration) from the first chunk, once its errors
    /// can reach the sink.
    private func start() throws {
        state = verso_sax_new(LibXML2.secureOptions, libxml2StructuredErrorHandler, Unmanaged.passUnretained(sink).toOpaque())
        guard state != nil else {
            throw XMLError(location: .init(file: sink.displayPath), message: "cannot start the XML parser")
        }
    }

    private func systemError() -> XMLError {
        let reason = String(cString: strerror(errno))
        return XMLError(location: .init(file: sink.displayPath), message: reason.prefix(1).lowercased() + reason.dropFirst())
    }

    private static func makeCache() -> (UnsafeMutablePointer<UnsafeRawPointer?>, UnsafeMutablePointer<String>) {
        let keys = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: cacheSize)
        keys.initialize(repeating: nil, count: cacheSize)
        let values = UnsafeMutablePointer<String>.allocate(capacity: cacheSize)
        values.initialize(repeating: "", count: cacheSize)
        return (keys, values)
    }

    deinit {
        cacheKeys.deinitialize(count: Self.cacheSize)
        cacheKeys.deallocate()
        cacheValues.deinitialize(count: Self.cacheSize)
        cacheValues.deallocate()
        verso_sax_free(state)
        if fd >= 0 { close(fd) }
        memory?.deallocate()
        buffer?.deallocate()
    }

    /// Warnings libxml2 reported so far (the parse went on after them).
    public var warnings: [XMLError] { sink.warnings }

    /// Where the current event ends in the document (the parser's position when it had read
    /// it), for errors raised by a consumer about the current event; the parser's position
    /// before the first event and after the last.
    public var location: SourceLocation {
        guard let state else { return SourceLocation(file: sink.displayPath) }
        if cursor >= 0 && cursor < Int(state.pointee.eventCount) {
            let event = state.pointee.events[cursor]
            return located(line: event.line, column: event.column)
        }
        return parserLocation(state)
    }

    /// A position in this document; libxml2 says 0 for "unknown".
    private func located(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: sink.displayPath, line: line > 0 ? line : nil, column: column > 0 ? column : nil)
    }

    /// Where the parser stands in the document.
    private func parserLocation(_ state: UnsafeMutablePointer<verso_sax_state>) -> SourceLocation {
        located(line: verso_sax_parser_line(state), column: verso_sax_parser_column(state))
    }

    /// An error at the current position, for consumers that find the XML valid but the content wrong.
    public func error(_ message: String, line: Int? = nil) -> XMLError {
        var loc = location
        if let line { loc.line = line; loc.column = nil }
        return XMLError(location: loc, message: message)
    }

    /// The next event, or nil at the end of the document. Throws on the first well-formedness
    /// error (with its line and column) and on entity references that need a DTD.
    public func next() throws -> XMLEvent? {
        guard let kind = try advance(), let state else { return nil }
        let event = state.pointee.events[cursor]
        switch kind {
        case .startElement: return .startElement(readStartElement(state, event))
        case .endElement: return .endElement(name(event.localName, event.prefix, event.uri))
        case .text: return .text(currentText)
        case .comment: return .comment(currentText)
        case .processingInstruction:
            return .processingInstruction(target: arenaString(state, event.targetOffset, event.targetLength), data: currentText)
        }
    }

    // MARK: - Cursor

    /// Moves to the next node and says what it is, without building an event: the fast path
    /// for readers of large documents, which then ask only for what they need (`localName`,
    /// `namespace`, `forEachAttribute`, `currentText`, `currentStartElement()`). Mixes freely
    /// with `next()`. Nil at the end of the document; throws like `next()`.
    public func advance() throws -> XMLNodeKind? {
        guard let state, !finished else { return nil }
        cursor += 1
        while cursor >= deliverable {
            try refill(state)
            if finished { return nil }
        }
        let event = state.pointee.events[cursor]
        switch Int(event.kind) {
        case Int(VERSO_SAX_START): return .startElement
        case Int(VERSO_SAX_END): return .endElement
        case Int(VERSO_SAX_TEXT): return .text
        case Int(VERSO_SAX_COMMENT): return .comment
        case Int(VERSO_SAX_PI): return .processingInstruction
        default:
            finished = true
            let name = arenaString(state, event.textOffset, event.textLength)
            let nested = event.refersToEntities != 0
                ? " (its text refers to other entities, as in a \"billion laughs\" attack)" : ""
            throw XMLError(location: located(line: event.line, column: event.column),
                           message: "entity reference '&\(name);' refused: Verso does not expand entities declared in a DTD\(nested)")
        }
    }

    /// Feeds the parser until it has produced events to hand out (or the document ended).
    private func refill(_ state: UnsafeMutablePointer<verso_sax_state>) throws {
        let held = deliverable < Int(state.pointee.eventCount)
        verso_sax_reset(state, held ? 1 : 0)
        cursor = 0
        deliverable = 0
        while true {
            if var err = sink.firstError {
                finished = true
                if err.code == Int(XML_ERR_ENTITY_LOOP.rawValue) {
                    // libxml2 places this error inside the entity's replacement text; the
                    // parser's position in the document is what the user can find.
                    err.location = parserLocation(state)
                    err.message = "entity expansion refused (\(err.message.lowercased())): the file looks like a \"billion laughs\" attack"
                }
                throw diagnosed(err)
            }
            let count = Int(state.pointee.eventCount)
            if inputEnded || state.pointee.ctxt.pointee.disableSAX != 0 {
                deliverable = count
                if count == 0 { finished = true }
                return
            }
            let status = try feed(state)
            try checkStop(state, status: status)
            let produced = Int(state.pointee.eventCount)
            let stopped = inputEnded || sink.firstError != nil || state.pointee.ctxt.pointee.disableSAX != 0
            let lastIsText = produced > 0 && Int(state.pointee.events[produced - 1].kind) == Int(VERSO_SAX_TEXT)
            deliverable = stopped || !lastIsText ? produced : produced - 1
            // Nothing past the first error, even one libxml2 goes on after (namespace errors).
            let beforeError = Int(state.pointee.eventsBeforeError)
            if beforeError >= 0 { deliverable = min(deliverable, beforeError) }
            if deliverable > 0 { return }
        }
    }

    /// Throws, before anything of the chunk just parsed is handed out, when the parse stopped for
    /// a reason no event or libxml2 error tells: memory, a text too long, or input libxml2
    /// could not decode (its encoding errors bypass the parser's error handler in 2.9).
    private func checkStop(_ state: UnsafeMutablePointer<verso_sax_state>, status: Int32) throws {
        let parser = parserLocation(state)
        if state.pointee.outOfMemory != 0 {
            finished = true
            throw XMLError(location: parser, message: "out of memory while parsing")
        }
        if state.pointee.textTooLong != 0 {
            finished = true
            throw XMLError(location: parser, message: "a text of more than \(XML_MAX_TEXT_LENGTH) bytes in one piece: refused (libxml2's limit for one text node)")
        }
        guard status != 0, sink.firstError == nil else { return }
        let count = Int(state.pointee.eventCount)
        if count > 0 && Int(state.pointee.events[count - 1].kind) == Int(VERSO_SAX_ENTITY) { return }
        finished = true
        let encoding = verso_sax_encoding_name(state).map { String(cString: $0) }
        throw diagnosed(XMLError(location: parser, message: "the input cannot be decoded\(encoding.map { " as \($0)" } ?? "") (invalid byte sequence)"))
    }

    /// Gives the parser the next chunk of input, or tells it the input has ended; returns
    /// `xmlParseChunk`'s status.
    private func feed(_ state: UnsafeMutablePointer<verso_sax_state>) throws -> Int32 {
        if let memory {
            let n = min(Self.chunkSize, memoryLength - memoryPosition)
            if n == 0 {
                inputEnded = true
                return verso_sax_feed(state, nil, 0, 1)
            }
            defer { memoryPosition += n }
            return (memory.baseAddress! + memoryPosition).withMemoryRebound(to: CChar.self, capacity: n) {
                verso_sax_feed(state, $0, Int32(n), 0)
            }
        }
        guard let buffer else { return 0 }
        let size = nextReadSize
        nextReadSize = Self.chunkSize
        var n = read(fd, buffer, size)
        while n < 0 && errno == EINTR { n = read(fd, buffer, size) }
        if n < 0 {
            finished = true
            throw systemError()
        }
        if n == 0 {
            inputEnded = true
            return verso_sax_feed(state, nil, 0, 1)
        }
        return verso_sax_feed(state, buffer.assumingMemoryBound(to: CChar.self), Int32(n), 0)
    }

    /// The interned form of `name` in this reader: equal to `localName`/`namespace` exactly when
    /// the strings are equal, compared as pointers.
    public func atom(_ name: String) -> XMLAtom {
        guard let state else { return XMLAtom(nil) }
        return XMLAtom(verso_sax_intern(state, name).map(UnsafeRawPointer.init))
    }

    private var currentEvent: verso_sax_event? {
        guard let state, cursor >= 0, cursor < Int(state.pointee.eventCount) else { return nil }
        return state.pointee.events[cursor]
    }

    private var currentAttribute: verso_sax_attribute? {
        guard let state, attributeCursor >= 0 else { return nil }
        return state.pointee.attributes[attributeCursor]
    }

    /// Local name of the current element (start or end) or attribute, interned.
    public var localName: XMLAtom {
        if let attribute = currentAttribute { return XMLAtom(attribute.localName.map(UnsafeRawPointer.init)) }
        return XMLAtom(currentEvent?.localName.map(UnsafeRawPointer.init))
    }

    /// Namespace URI of the current element or attribute, interned (`XMLAtom.none` for none).
    public var namespace: XMLAtom {
        if let attribute = currentAttribute { return XMLAtom(attribute.uri.map(UnsafeRawPointer.init)) }
        return XMLAtom(currentEvent?.uri.map(UnsafeRawPointer.init))
    }

    /// 1-based line of the current element's start tag (for an end tag too); of the current
    /// text, comment or processing instruction otherwise.
    public var currentLine: Int {
        guard let event = currentEvent else { return 0 }
        switch Int(event.kind) {
        case Int(VERSO_SAX_START), Int(VERSO_SAX_END): return event.elementLine
        default: return event.line
        }
    }

    /// The character data of the current text, comment or processing-instruction node.
    public var currentText: String {
        guard let state, let event = currentEvent else { return "" }
        return arenaString(state, event.textOffset, event.textLength)
    }

    /// The current element as a start event (for the parts of a document read the slow way).
    public func currentStartElement() -> XMLStartElement {
        guard let state, let event = currentEvent else { return XMLStartElement(name: XMLName(local: "")) }
        return readStartElement(state, event)
    }

    /// Calls `body` for each attribute of the current element (namespace declarations left
    /// out), with its interned local name and namespace and its value, valid during the call.
    public func forEachAttribute(_ body: (_ local: XMLAtom, _ namespace: XMLAtom, _ value: XMLAttributeValue) throws -> Void) rethrows {
        guard let state, let event = currentEvent, Int(event.kind) == Int(VERSO_SAX_START) else { return }
        defer { attributeCursor = -1 }
        let first = Int(event.firstAttribute)
        for i in first..<(first + Int(event.attributeCount)) {
            attributeCursor = i
            let attribute = state.pointee.attributes[i]
            try body(XMLAtom(attribute.localName.map(UnsafeRawPointer.init)), XMLAtom(attribute.uri.map(UnsafeRawPointer.init)),
                     XMLAttributeValue(pointer: UnsafePointer(state.pointee.arena + attribute.valueOffset)))
        }
    }

    /// The full name of the current attribute during `forEachAttribute` (for foreign attributes).
    public var currentAttributeName: XMLName {
        guard let attribute = currentAttribute else { return XMLName(local: "") }
        return name(attribute.localName, attribute.prefix, attribute.uri)
    }

    /// Skips the rest of the current element (after its `.startElement` was returned),
    /// including its end tag.
    public func skipElement() throws {
        var depth = 1
        while depth > 0, let kind = try advance() {
            switch kind {
            case .startElement: depth += 1
            case .endElement: depth -= 1
            default: break
            }
        }
    }

    private func readStartElement(_ state: UnsafeMutablePointer<verso_sax_state>, _ event: verso_sax_event) -> XMLStartElement {
        var attributes: [XMLAttribute] = []
        var declarations: [XMLNamespaceDeclaration] = []
        if event.namespaceCount > 0 {
            declarations.reserveCapacity(Int(event.namespaceCount))
            let first = Int(event.firstNamespace)
            for i in first..<(first + Int(event.namespaceCount)) {
                let declaration = state.pointee.namespaces[i]
                declarations.append(XMLNamespaceDeclaration(prefix: cachedString(declaration.prefix) ?? "", uri: cachedString(declaration.uri) ?? ""))
            }
        }
        if event.attributeCount > 0 {
            attributes.reserveCapacity(Int(event.attributeCount))
            let first = Int(event.firstAttribute)
            for i in first..<(first + Int(event.attributeCount)) {
                let attribute = state.pointee.attributes[i]
                attributes.append(XMLAttribute(name: name(attribute.localName, attribute.prefix, attribute.uri),
                                               value: arenaString(state, attribute.valueOffset, attribute.valueLength)))
            }
        }
        return XMLStartElement(name: name(event.localName, event.prefix, event.uri), attributes: attributes,
                               namespaceDeclarations: declarations, line: event.elementLine)
    }

    private func name(_ local: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) -> XMLName {
        XMLName(namespace: cachedString(uri) ?? "", local: cachedString(local) ?? "", prefix: cachedString(prefix) ?? "")
    }

    private func arenaString(_ state: UnsafeMutablePointer<verso_sax_state>, _ offset: Int, _ length: Int) -> String {
        guard length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: state.pointee.arena + offset, count: length), as: UTF8.self)
    }

    /// Names, prefixes and namespace URIs are interned in the parser's dictionary, so the same
    /// pointer always means the same string: convert each one once.
    @inline(__always)
    private func cachedString(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        let key = UnsafeRawPointer(p)
        let slot = (Int(bitPattern: key) >> 4) & (Self.cacheSize - 1)
        if cacheKeys[slot] == key { return cacheValues[slot] }
        let s = String(cString: p)
        cacheKeys[slot] = key
        cacheValues[slot] = s
        return s
    }
}

/// What the cursor of an `XMLStreamReader` stopped at.
public enum XMLNodeKind: Sendable {
    /// A start tag (an empty element reports its end next).
    case startElement
    /// An end tag.
    case endElement
    /// Character data (text, CDATA, white space).
    case text
    /// A comment.
    case comment
    /// A processing instruction.
    case processingInstruction
}

/// A name interned by one `XMLStreamReader`: two atoms of the same reader are equal exactly
/// when their strings are, compared as pointers. Not valid across readers.
public struct XMLAtom: Equatable, @unchecked Sendable {
    // @unchecked: the pointer is only compared, never dereferenced outside the reader.
    let raw: UnsafeRawPointer?

    init(_ raw: UnsafeRawPointer?) { self.raw = raw }

    /// The atom of "no name" (no namespace).
    public static let none = XMLAtom(nil)
}

/// An attribute value seen through the cursor, valid only during `forEachAttribute`'s call
/// (it points into the parser's memory): read it there, never keep it.
public struct XMLAttributeValue {
    let pointer: UnsafePointer<UInt8>?

    init(pointer: UnsafePointer<UInt8>?) { self.pointer = pointer }

    /// The value as a string.
    public var string: String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// True when the value is exactly `literal` (no string built).
    public func equals(_ literal: StaticString) -> Bool {
        guard let pointer else { return literal.utf8CodeUnitCount == 0 }
        let n = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for i in 0..<n where pointer[i] != bytes[i] { return false }
        return pointer[n] == 0
    }
}

extension XMLStreamReader {
    /// The error as `XMLInputDiagnosis` words it (empty file, not XML, truncated document).
    fileprivate func diagnosed(_ error: XMLError) -> XMLError {
        if let memory {
            return XMLInputDiagnosis.refine(error, input: .bytes(UnsafeBufferPointer(rebasing: memory[..<memoryLength])))
        }
        guard fd >= 0 else { return error }
        return XMLInputDiagnosis.refine(error, input: .fileDescriptor(fd))
    }
}
