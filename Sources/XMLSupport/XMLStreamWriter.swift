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
    }

    /// The number of elements started and not yet ended.
    public var depth: Int { openCount }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    public func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "XML declaration")
        // libxml2 ends the declaration with a newline itself.
    }

    // Strings reach libxml2 through `withCString`: a Swift string passed straight as a C
    // argument is copied to the heap when it is small (most names and values are), and this
    // writer is on the hot path of every conversion.

    /// Starts an element with a qualified name (`"unit"`, `"mtc:match"`).
    public func startElement(_ qualifiedName: String) throws {
        let r = qualifiedName.withCString { xmlTextWriterStartElement(writer, Self.xml($0)) }
        try check(r, "<\(qualifiedName)>")
        openCount += 1
    }

    /// Starts an element whose name is a literal (no conversion at all).
    public func startElement(_ qualifiedName: StaticString) throws {
        let r = xmlTextWriterStartElement(writer, qualifiedName.utf8Start)
        try check(r, "<\(qualifiedName)>")
        openCount += 1
    }

    /// Writes an attribute of the element just started (`"id"`, `"xml:lang"`, `"xmlns:gls"`).
    public func attribute(_ qualifiedName: String, _ value: String) throws {
        try checkCharacters(value)
        let r = qualifiedName.withCString { n in value.withCString { v in xmlTextWriterWriteAttribute(writer, Self.xml(n), Self.xml(v)) } }
        try check(r, "attribute \(qualifiedName)")
    }

    /// Writes an attribute whose name is a literal.
    public func attribute(_ qualifiedName: StaticString, _ value: String) throws {
        try checkCharacters(value)
        let r = value.withCString { v in xmlTextWriterWriteAttribute(writer, qualifiedName.utf8Start, Self.xml(v)) }
        try check(r, "attribute \(qualifiedName)")
    }

    /// Writes an attribute only when `value` is not nil.
    public func attribute(_ qualifiedName: String, ifPresent value: String?) throws {
        if let value { try attribute(qualifiedName, value) }
    }

    /// Writes escaped character data.
    public func text(_ string: String) throws {
        guard !string.isEmpty else { return }
        try checkCharacters(string)
        let r = string.withCString { xmlTextWriterWriteString(writer, Self.xml($0)) }
        try check(r, "text")
        try flushIfNeeded()
    }

    /// Writes escaped character data, replacing each character XML 1.0 cannot hold (a control
    /// character that came through XLIFF 2 `<cp>`) by `replacement`; returns how many were replaced.
    @discardableResult
    public func text(_ string: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        guard !string.isEmpty else { return 0 }
        let (clean, replaced) = Self.replacingDisallowed(string, with: replacement)
        let r = clean.withCString { xmlTextWriterWriteString(writer, Self.xml($0)) }
        try check(r, "text")
        try flushIfNeeded()
        return replaced
    }

    /// Writes an attribute, replacing characters XML 1.0 cannot hold; returns how many were replaced.
    @discardableResult
    public func attribute(_ qualifiedName: String, _ value: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        let (clean, replaced) = Self.replacingDisallowed(value, with: replacement)
        let r = qualifiedName.withCString { n in clean.withCString { v in xmlTextWriterWriteAttribute(writer, Self.xml(n), Self.xml(v)) } }
        try check(r, "attribute \(qualifiedName)")
        return replaced
    }

    /// Writes an attribute with a literal name, replacing characters XML 1.0 cannot hold.
    @discardableResult
    public func attribute(_ qualifiedName: StaticString, _ value: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        let (clean, replaced) = Self.replacingDisallowed(value, with: replacement)
        let r = clean.withCString { v in xmlTextWriterWriteAttribute(writer, qualifiedName.utf8Start, Self.xml(v)) }
        try check(r, "attribute \(qualifiedName)")
        return replaced
    }

    private static func replacingDisallowed(_ string: String, with replacement: Unicode.Scalar) -> (String, Int) {
        guard !XMLCharacters.allAllowed(string) else { return (string, 0) }
        var out = String.UnicodeScalarView()
        var replaced = 0
        for scalar in string.unicodeScalars {
            if XMLCharacters.isAllowed(scalar) { out.append(scalar) } else { out.append(replacement); replaced += 1 }
        }
        return (String(out), replaced)
    }

    @inline(__always)
    private static func xml(_ p: UnsafePointer<CChar>) -> UnsafePointer<xmlChar> {
        UnsafeRawPointer(p).assumingMemoryBound(to: xmlChar.self)
    }

    /// Writes a line break followed by `spaces` spaces, as is (indentation between elements;
    /// never call it inside text, where it would change the content).
    public func newline(indent spaces: Int) throws {
        let count = 1 + min(max(spaces, 0), Self.blanks.count - 2)
        let r = Self.blanks.withUnsafeBufferPointer { buf in
            xmlTextWriterWriteRawLen(writer, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: xmlChar.self), Int32(count))
        }
        try check(r, "indentation")
    }

    /// "\n" and 128 spaces: the source of every indentation.
    private static let blanks: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 128) + [0]

    /// Writes a comment (`--` inside is refused, as XML requires).
    public func comment(_ string: String) throws {
        if string.contains("--") || string.hasSuffix("-") {
            throw XMLError(location: .init(file: displayPath), message: "a comment cannot contain '--' or end with '-'")
        }
        try checkCharacters(string)
        let r = string.withCString { xmlTextWriterWriteComment(writer, Self.xml($0)) }
        try check(r, "comment")
    }

    /// Writes a processing instruction.
    public func processingInstruction(target: String, data: String) throws {
        try checkCharacters(data)
        let r = target.withCString { t in data.withCString { d in xmlTextWriterWritePI(writer, Self.xml(t), Self.xml(d)) } }
        try check(r, "processing instruction")
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

    @inline(__always)
    private func flushIfNeeded() throws {
        guard let buffer else { return }
        if Int(xmlBufferLength(buffer)) >= flushThreshold { try flush() }
    }

    /// Throws when libxml2 reports a failure; the description is built only then.
    @inline(__always)
    private func check(_ result: Int32, _ what: @autoclosure () -> String) throws {
        if result < 0 {
            throw XMLError(location: .init(file: displayPath), message: "cannot write \(what())")
        }
    }

    /// XML 1.0 allows TAB, LF, CR and U+0020 and above, except U+FFFE and U+FFFF.
    @inline(__always)
    private func checkCharacters(_ string: String) throws {
        guard !XMLCharacters.allAllowed(string) else { return }
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

    /// True when every character of `string` is allowed: one pass over its UTF-8 bytes, where
    /// only C0 controls and U+FFFE/U+FFFF (`EF BF BE`/`EF BF BF`) can be refused.
    public static func allAllowed(_ string: String) -> Bool {
        if let fast = string.utf8.withContiguousStorageIfAvailable({ scan($0) }) { return fast }
        return string.unicodeScalars.allSatisfy(isAllowed)
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x9 && b != 0xA && b != 0xD { return false }
            } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
                return false
            }
            i += 1
        }
        return true
    }
}
