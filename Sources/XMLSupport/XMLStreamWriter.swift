internal import CLibXML2
import Diagnostics

/// Writes XML through libxml2's `xmlTextWriter`, one call per node, flushing to a byte sink
/// as it goes so that memory stays flat whatever the document's size.
///
/// Names are written as given (`"gls:glossary"`, `"xml:lang"`); namespace declarations are
/// ordinary attributes (`xmlns:gls`), so a declaration is written once on the element where
/// the caller puts it rather than repeated on every element as `xmlTextWriterStartElementNS`
/// would. libxml2 does the escaping. Text that XML 1.0 cannot hold (control characters, lone
/// surrogates are impossible in Swift) is refused with an error, so callers encode it first
/// (XLIFF 2 `<cp>`, for instance). Not `Sendable`: one owner writes it.
public final class XMLStreamWriter {
    /// Receives the bytes written so far, in order.
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private var writer: OpaquePointer?
    private var buffer: UnsafeMutablePointer<xmlBuffer>?
    private let sink: Sink
    private let displayPath: String
    private var openCount = 0
    private let flushThreshold = 1 << 16
    /// Buffers for passing short Swift strings to C NUL-terminated without a heap allocation
    /// per call (small strings are not stored contiguously with a terminator).
    private let scratchName = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private let scratchValue = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)

    /// Creates a writer that hands its output to `sink`. `displayPath` names the output in errors.
    public init(displayPath: String, sink: @escaping Sink) throws {
        LibXML2.prepareThread()
        self.sink = sink
        self.displayPath = displayPath
        buffer = xmlBufferCreateSize(1 << 17)
        guard let buffer else { throw XMLError(location: .init(file: displayPath), message: "out of memory") }
        writer = xmlNewTextWriterMemory(buffer, 0)
        guard writer != nil else { throw XMLError(location: .init(file: displayPath), message: "cannot start the XML writer") }
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
        scratchName.deallocate()
        scratchValue.deallocate()
    }

    /// The number of elements started and not yet ended.
    public var depth: Int { openCount }

    /// Calls `body` with `string` as a NUL-terminated C string: copied into `scratch` when short,
    /// else the string's own storage.
    @inline(__always)
    private func withChars(_ string: String, _ scratch: UnsafeMutablePointer<UInt8>, _ body: (UnsafePointer<xmlChar>) -> Int32) -> Int32 {
        var copy = string
        let done: Int32? = copy.withUTF8 { utf8 in
            guard utf8.count < 256 else { return nil }
            if let base = utf8.baseAddress { scratch.update(from: base, count: utf8.count) }
            scratch[utf8.count] = 0
            return body(UnsafePointer(scratch))
        }
        if let done { return done }
        return string.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    public func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "XML declaration")
        // libxml2 ends the declaration with a newline itself.
    }

    /// Starts an element with a qualified name (`"unit"`, `"mtc:match"`).
    public func startElement(_ qualifiedName: String) throws {
        let writer = self.writer
        try check(withChars(qualifiedName, scratchName) { xmlTextWriterStartElement(writer, $0) }, "<\(qualifiedName)>")
        openCount += 1
    }

    /// Writes an attribute of the element just started (`"id"`, `"xml:lang"`, `"xmlns:gls"`).
    public func attribute(_ qualifiedName: String, _ value: String) throws {
        try checkCharacters(value)
        let writer = self.writer, scratchValue = self.scratchValue
        let result = withChars(qualifiedName, scratchName) { name in
            withChars(value, scratchValue) { xmlTextWriterWriteAttribute(writer, name, $0) }
        }
        try check(result, "attribute \(qualifiedName)")
    }

    /// Writes an attribute only when `value` is not nil.
    public func attribute(_ qualifiedName: String, ifPresent value: String?) throws {
        if let value { try attribute(qualifiedName, value) }
    }

    /// Writes escaped character data.
    public func text(_ string: String) throws {
        guard !string.isEmpty else { return }
        try checkCharacters(string)
        let writer = self.writer
        try check(withChars(string, scratchValue) { xmlTextWriterWriteString(writer, $0) }, "text")
        try flushIfNeeded()
    }

    /// Writes escaped character data, replacing each character XML 1.0 cannot hold (a control
    /// character that came through XLIFF 2 `<cp>`) by `replacement`; returns how many were replaced.
    @discardableResult
    public func text(_ string: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        guard !string.isEmpty else { return 0 }
        let (clean, replaced) = Self.replacingDisallowed(string, with: replacement)
        try check(xmlTextWriterWriteString(writer, clean), "text")
        try flushIfNeeded()
        return replaced
    }

    /// Writes an attribute, replacing characters XML 1.0 cannot hold; returns how many were replaced.
    @discardableResult
    public func attribute(_ qualifiedName: String, _ value: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        let (clean, replaced) = Self.replacingDisallowed(value, with: replacement)
        try check(xmlTextWriterWriteAttribute(writer, qualifiedName, clean), "attribute \(qualifiedName)")
        return replaced
    }

    private static func replacingDisallowed(_ string: String, with replacement: Unicode.Scalar) -> (String, Int) {
        guard XMLCharacters.containsDisallowed(string) else { return (string, 0) }
        var out = String.UnicodeScalarView()
        var replaced = 0
        for scalar in string.unicodeScalars {
            if XMLCharacters.isAllowed(scalar) { out.append(scalar) } else { out.append(replacement); replaced += 1 }
        }
        return (String(out), replaced)
    }

    /// Writes a comment (`--` inside is refused, as XML requires).
    public func comment(_ string: String) throws {
        if string.contains("--") || string.hasSuffix("-") {
            throw XMLError(location: .init(file: displayPath), message: "a comment cannot contain '--' or end with '-'")
        }
        try checkCharacters(string)
        try check(xmlTextWriterWriteComment(writer, string), "comment")
    }

    /// Writes a processing instruction.
    public func processingInstruction(target: String, data: String) throws {
        try checkCharacters(data)
        try check(xmlTextWriterWritePI(writer, target, data), "processing instruction")
    }

    /// Ends the innermost open element (`<x/>` when it has no content).
    public func endElement() throws {
        guard openCount > 0 else {
            throw XMLError(location: .init(file: displayPath), message: "internal error: endElement without an open element")
        }
        openCount -= 1
        try check(xmlTextWriterEndElement(writer), "end tag")
        try flushIfNeeded()
    }

    /// Ends an element and never collapses it to `<x/>` (some tools want `<target></target>`).
    public func endElementWithClosingTag() throws {
        guard openCount > 0 else {
            throw XMLError(location: .init(file: displayPath), message: "internal error: endElement without an open element")
        }
        openCount -= 1
        try check(xmlTextWriterFullEndElement(writer), "end tag")
        try flushIfNeeded()
    }

    /// Writes a whole element `<name attr…>text</name>`.
    public func element(_ qualifiedName: String, attributes: [(String, String)] = [], text: String? = nil) throws {
        try startElement(qualifiedName)
        for (name, value) in attributes { try attribute(name, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// Closes every open element, ends the document and hands the remaining bytes to the sink.
    public func endDocument() throws {
        while openCount > 0 { try endElement() }
        try check(xmlTextWriterEndDocument(writer), "end of document")
        try flush()
    }

    /// Hands everything written so far to the sink.
    public func flush() throws {
        guard let writer, let buffer else { return }
        _ = xmlTextWriterFlush(writer)
        let length = Int(xmlBufferLength(buffer))
        guard length > 0, let content = xmlBufferContent(buffer) else { return }
        try sink(UnsafeRawBufferPointer(start: content, count: length))
        xmlBufferEmpty(buffer)
    }

    private func flushIfNeeded() throws {
        guard let buffer else { return }
        if Int(xmlBufferLength(buffer)) >= flushThreshold { try flush() }
    }

    @inline(__always)
    private func check(_ result: Int32, _ what: @autoclosure () -> String) throws {
        if result < 0 {
            throw XMLError(location: .init(file: displayPath), message: "cannot write \(what())")
        }
    }

    /// XML 1.0 allows TAB, LF, CR and U+0020 and above, except U+FFFE and U+FFFF.
    private func checkCharacters(_ string: String) throws {
        guard XMLCharacters.containsDisallowed(string) else { return }
        for scalar in string.unicodeScalars where !XMLCharacters.isAllowed(scalar) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            throw XMLError(location: .init(file: displayPath), message: "character U+\(hex) cannot appear in XML 1.0; encode it before writing")
        }
    }
}

/// The characters XML 1.0 documents may contain.
public enum XMLCharacters {
    /// True for characters XML 1.0 allows (TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and up).
    @inline(__always)
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v >= 0x20 { return v < 0xFFFE || v > 0xFFFF }
        return v == 0x9 || v == 0xA || v == 0xD
    }

    /// True when `string` holds a character XML 1.0 forbids: a scan of its UTF-8 bytes (C0
    /// controls other than TAB, LF, CR; U+FFFE and U+FFFF), fast enough for every text node.
    public static func containsDisallowed(_ string: String) -> Bool {
        if let result = string.utf8.withContiguousStorageIfAvailable(scan) { return result }
        return Array(string.utf8).withUnsafeBufferPointer { scan($0) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D { return true }
            } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
                return true
            }
            i += 1
        }
        return false
    }
}
