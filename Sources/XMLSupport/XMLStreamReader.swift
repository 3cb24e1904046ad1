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

/// Streams an XML document one event at a time through libxml2's `xmlTextReader`, so memory
/// stays flat however large the file is.
///
/// Secure by construction: no network, no DTD loading, no external entities; an entity
/// reference that would need a DTD to expand stops the parse with an error (which also
/// defuses "billion laughs"). Not `Sendable`: the C reader belongs to one thread at a time.
public final class XMLStreamReader {
    @exclusivity(unchecked) private var reader: OpaquePointer?
    @exclusivity(unchecked) private var fd: Int32 = -1
    private let sink: LibXML2ErrorSink
    /// The element just reported was empty (`<x/>`): its end comes next, with no parser step.
    @exclusivity(unchecked) private var pendingEnd = false
    /// Names, prefixes and namespace URIs by the address libxml2 interned them at: a small
    /// direct-mapped table (a collision only costs a conversion), much cheaper than hashing.
    private let cacheKeys: UnsafeMutablePointer<UnsafeRawPointer?>
    private let cacheValues: UnsafeMutablePointer<String>
    private static let cacheSize = 1024
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var memory: UnsafeMutableBufferPointer<UInt8>?
    /// Length of the document in `memory` (which holds at least one byte).
    private var memoryLength = 0

    /// The path used in error messages.
    public var displayPath: String { sink.displayPath }

    /// Opens `path` for streaming. `displayPath` (default: `path`) is what errors name.
    public init(path: String, displayPath: String? = nil) throws {
        (cacheKeys, cacheValues) = Self.makeCache()
        LibXML2.prepareThread()
        sink = LibXML2ErrorSink(displayPath: displayPath ?? path)
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw XMLError(location: .init(file: sink.displayPath), message: "is a directory, not a file")
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw XMLError(location: .init(file: sink.displayPath), message: reason.prefix(1).lowercased() + reason.dropFirst())
        }
        reader = xmlReaderForFd(fd, nil, nil, LibXML2.secureOptions)
        try finishSetup()
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
        reader = copy.baseAddress!.withMemoryRebound(to: CChar.self, capacity: copy.count) {
            xmlReaderForMemory($0, Int32(bytes.count), nil, nil, LibXML2.secureOptions)
        }
        try finishSetup()
    }

    /// Convenience for a document in a `String`.
    public convenience init(string: String, displayPath: String = "<string>") throws {
        try self.init(bytes: Array(string.utf8), displayPath: displayPath)
    }

    private func finishSetup() throws {
        guard let reader else {
            throw XMLError(location: .init(file: sink.displayPath), message: "cannot start the XML parser")
        }
        xmlTextReaderSetStructuredErrorHandler(reader, libxml2StructuredErrorHandler, Unmanaged.passUnretained(sink).toOpaque())
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
        if let reader { xmlFreeTextReader(reader) }
        if fd >= 0 { close(fd) }
        memory?.deallocate()
    }

    /// Warnings libxml2 reported so far (the parse went on after them).
    public var warnings: [XMLError] { sink.warnings }

    /// The parser's current position, for errors raised by a consumer about the current event.
    public var location: SourceLocation {
        guard let reader else { return SourceLocation(file: sink.displayPath) }
        let line = Int(xmlTextReaderGetParserLineNumber(reader))
        let column = Int(xmlTextReaderGetParserColumnNumber(reader))
        return SourceLocation(file: sink.displayPath, line: line > 0 ? line : nil, column: column > 0 ? column : nil)
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
        guard let kind = try advance(), let reader else { return nil }
        switch kind {
        case .startElement: return .startElement(readStartElement(reader))
        case .endElement: return .endElement(currentName(reader))
        case .text: return .text(currentText)
        case .comment: return .comment(currentText)
        case .processingInstruction:
            return .processingInstruction(target: cachedString(xmlTextReaderConstLocalName(reader)) ?? "", data: currentText)
        }
    }

    // MARK: - Cursor

    /// Moves to the next node and says what it is, without building an event: the fast path
    /// for readers of large documents, which then ask only for what they need (`localName`,
    /// `namespace`, `forEachAttribute`, `currentText`, `currentStartElement()`). Mixes freely
    /// with `next()`. Nil at the end of the document; throws like `next()`.
    public func advance() throws -> XMLNodeKind? {
        if pendingEnd {
            pendingEnd = false
            return .endElement
        }
        guard let reader, !finished else { return nil }
        while true {
            let status = xmlTextReaderRead(reader)
            if var err = sink.firstError {
                finished = true
                if err.code == Int(XML_ERR_ENTITY_LOOP.rawValue) {
                    // libxml2 places this error inside the entity's replacement text; the
                    // parser's position in the document is what the user can find.
                    err.location = location
                    err.message = "entity expansion refused (\(err.message.lowercased())): the file looks like a \"billion laughs\" attack"
                }
                throw diagnosed(err)
            }
            if status == 0 {
                finished = true
                return nil
            }
            if status < 0 {
                finished = true
                throw XMLError(location: location, message: "XML parse error")
            }
            switch UInt32(xmlTextReaderNodeType(reader)) {
            case XML_READER_TYPE_ELEMENT.rawValue:
                if xmlTextReaderIsEmptyElement(reader) == 1 { pendingEnd = true }
                return .startElement
            case XML_READER_TYPE_END_ELEMENT.rawValue:
                return .endElement
            case XML_READER_TYPE_TEXT.rawValue, XML_READER_TYPE_CDATA.rawValue,
                 XML_READER_TYPE_WHITESPACE.rawValue, XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue:
                return .text
            case XML_READER_TYPE_COMMENT.rawValue:
                return .comment
            case XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue:
                return .processingInstruction
            case XML_READER_TYPE_ENTITY_REFERENCE.rawValue:
                let name = cachedString(xmlTextReaderConstLocalName(reader)) ?? "?"
                finished = true
                var loc = location
                if let node = xmlTextReaderCurrentNode(reader), xmlGetLineNo(node) > 0 {
                    loc.line = Int(xmlGetLineNo(node))
                    loc.column = nil
                }
                throw XMLError(location: loc, message: "entity reference '&\(name);' refused: Verso does not expand entities declared in a DTD")
            default:
                continue // document type, XML declaration, end of entity
            }
        }
    }

    /// The interned form of `name` in this reader: equal to `localName`/`namespace` exactly when
    /// the strings are equal, compared as pointers.
    public func atom(_ name: String) -> XMLAtom {
        guard let reader else { return XMLAtom(nil) }
        return XMLAtom(xmlTextReaderConstString(reader, name).map(UnsafeRawPointer.init))
    }

    /// Local name of the current element (start or end) or attribute, interned.
    public var localName: XMLAtom {
        guard let reader else { return XMLAtom(nil) }
        return XMLAtom(xmlTextReaderConstLocalName(reader).map(UnsafeRawPointer.init))
    }

    /// Namespace URI of the current element or attribute, interned (`XMLAtom.none` for none).
    public var namespace: XMLAtom {
        guard let reader else { return XMLAtom(nil) }
        return XMLAtom(xmlTextReaderConstNamespaceUri(reader).map(UnsafeRawPointer.init))
    }

    /// 1-based line of the current element's start tag.
    public var currentLine: Int {
        guard let reader, let node = xmlTextReaderCurrentNode(reader) else { return 0 }
        let line = Int(xmlGetLineNo(node))
        return line >= 65535 ? max(line, Int(xmlTextReaderGetParserLineNumber(reader))) : line
    }

    /// The character data of the current text, comment or processing-instruction node.
    public var currentText: String {
        guard let reader else { return "" }
        return constString(xmlTextReaderConstValue(reader)) ?? ""
    }

    /// The current element as a start event (for the parts of a document read the slow way).
    public func currentStartElement() -> XMLStartElement {
        guard let reader else { return XMLStartElement(name: XMLName(local: "")) }
        return readStartElement(reader)
    }

    /// Calls `body` for each attribute of the current element (namespace declarations left
    /// out), with its interned local name and namespace and its value, valid during the call.
    public func forEachAttribute(_ body: (_ local: XMLAtom, _ namespace: XMLAtom, _ value: XMLAttributeValue) throws -> Void) rethrows {
        guard let reader, xmlTextReaderHasAttributes(reader) == 1 else { return }
        defer { xmlTextReaderMoveToElement(reader) }
        let xmlns = xmlnsAtom
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let ns = XMLAtom(xmlTextReaderConstNamespaceUri(reader).map(UnsafeRawPointer.init))
            if ns == xmlns { continue }
            let local = XMLAtom(xmlTextReaderConstLocalName(reader).map(UnsafeRawPointer.init))
            try body(local, ns, XMLAttributeValue(pointer: xmlTextReaderConstValue(reader)))
        }
    }

    /// The full name of the current attribute during `forEachAttribute` (for foreign attributes).
    public var currentAttributeName: XMLName {
        guard let reader else { return XMLName(local: "") }
        return currentName(reader)
    }

    private lazy var xmlnsAtom: XMLAtom = atom(XMLNamespace.xmlns)

    /// Skips the rest of the current element (after its `.startElement` was returned),
    /// including its end tag.
    public func skipElement() throws {
        var depth = 1
        while depth > 0, let event = try next() {
            switch event {
            case .startElement: depth += 1
            case .endElement: depth -= 1
            default: break
            }
        }
    }

    private func readStartElement(_ reader: OpaquePointer) -> XMLStartElement {
        let name = currentName(reader)
        var attributes: [XMLAttribute] = []
        var declarations: [XMLNamespaceDeclaration] = []
        var line = 0
        if let node = xmlTextReaderCurrentNode(reader) {
            line = Int(xmlGetLineNo(node))
            // libxml2 2.9 stores element lines in 16 bits (65535 means "or more"); the parser's
            // own line is then the best known value (it may be a few lines past the tag).
            if line >= 65535 { line = max(line, Int(xmlTextReaderGetParserLineNumber(reader))) }
        }
        if xmlTextReaderHasAttributes(reader) == 1 {
            attributes.reserveCapacity(Int(xmlTextReaderAttributeCount(reader)))
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                let attrName = currentName(reader)
                let value = constString(xmlTextReaderConstValue(reader)) ?? ""
                if attrName.namespace == XMLNamespace.xmlns {
                    // `xmlns="…"` has local name "xmlns" and no prefix; `xmlns:p` has prefix xmlns.
                    let prefix = attrName.prefix.isEmpty ? "" : attrName.local
                    declarations.append(XMLNamespaceDeclaration(prefix: prefix, uri: value))
                } else {
                    attributes.append(XMLAttribute(name: attrName, value: value))
                }
            }
            xmlTextReaderMoveToElement(reader)
        }
        return XMLStartElement(name: name, attributes: attributes, namespaceDeclarations: declarations, line: line)
    }

    private func currentName(_ reader: OpaquePointer) -> XMLName {
        XMLName(
            namespace: cachedString(xmlTextReaderConstNamespaceUri(reader)) ?? "",
            local: cachedString(xmlTextReaderConstLocalName(reader)) ?? "",
            prefix: cachedString(xmlTextReaderConstPrefix(reader)) ?? ""
        )
    }

    /// Names, prefixes and namespace URIs are interned in the reader's dictionary, so the same
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

    private func constString(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
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
