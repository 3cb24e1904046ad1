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
    private var reader: OpaquePointer?
    private var fd: Int32 = -1
    private let sink: LibXML2ErrorSink
    private var pendingEnd: XMLName?
    /// Names, prefixes and namespace URIs by the address libxml2 interned them at: a small
    /// direct-mapped table (a collision only costs a conversion), much cheaper than hashing.
    private let cacheKeys: UnsafeMutablePointer<UnsafeRawPointer?>
    private let cacheValues: UnsafeMutablePointer<String>
    private static let cacheSize = 1024
    private var finished = false
    private var memory: UnsafeMutableBufferPointer<UInt8>?

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
        if let end = pendingEnd {
            pendingEnd = nil
            return .endElement(end)
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
                throw err
            }
            if status == 0 {
                finished = true
                return nil
            }
            if status < 0 {
                finished = true
                throw XMLError(location: location, message: "XML parse error")
            }
            let type = xmlTextReaderNodeType(reader)
            switch UInt32(type) {
            case XML_READER_TYPE_ELEMENT.rawValue:
                let start = readStartElement(reader)
                if xmlTextReaderIsEmptyElement(reader) == 1 { pendingEnd = start.name }
                return .startElement(start)
            case XML_READER_TYPE_END_ELEMENT.rawValue:
                return .endElement(currentName(reader))
            case XML_READER_TYPE_TEXT.rawValue, XML_READER_TYPE_CDATA.rawValue,
                 XML_READER_TYPE_WHITESPACE.rawValue, XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue:
                return .text(constString(xmlTextReaderConstValue(reader)) ?? "")
            case XML_READER_TYPE_COMMENT.rawValue:
                return .comment(constString(xmlTextReaderConstValue(reader)) ?? "")
            case XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue:
                let target = cachedString(xmlTextReaderConstLocalName(reader)) ?? ""
                return .processingInstruction(target: target, data: constString(xmlTextReaderConstValue(reader)) ?? "")
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
