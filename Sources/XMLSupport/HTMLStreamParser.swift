internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// One piece of an HTML document as libxml2's HTML parser reports it, together with the exact
/// original text it was parsed from.
///
/// Concatenating the `raw` text of every event, in order, gives back the parser's input byte for
/// byte: this is what lets Verso merge a translation back into the original markup unchanged.
public enum HTMLEvent: Sendable, Equatable {
    /// A start tag, or an element the parser implied (`raw` is then empty).
    case startTag(HTMLStartTag)
    /// An end tag; `raw` is empty when the parser closed the element implicitly.
    case endTag(HTMLEndTag)
    /// Character data (text, entity and character references, whitespace, script/style content).
    case text(HTMLText)
    /// A comment, `raw` being the whole `<!--…-->`.
    case comment(raw: String, byteOffset: Int)
    /// A processing instruction (`<?php …?>`), whole.
    case processingInstruction(raw: String, byteOffset: Int)
    /// The document type declaration, whole.
    case doctype(raw: String, byteOffset: Int)
    /// Bytes the parser consumed without reporting them: stray end tags, characters HTML does
    /// not allow, an unterminated comment at the end.
    case skipped(raw: String, byteOffset: Int)

    /// The original text of the event.
    public var raw: String {
        switch self {
        case .startTag(let t): return t.raw
        case .endTag(let t): return t.raw
        case .text(let t): return t.raw
        case .comment(let r, _), .processingInstruction(let r, _), .doctype(let r, _), .skipped(let r, _): return r
        }
    }
}

/// An HTML start tag.
public struct HTMLStartTag: Sendable, Equatable {
    /// The element name in lower case.
    public var name: String
    /// Attributes as libxml2 decoded them (entities resolved); `value` is nil for a bare attribute (`disabled`).
    public var attributes: [HTMLAttribute]
    /// The exact tag text (`<a href="x">`), empty for an implied element.
    public var raw: String
    /// True when the parser inserted the element without a tag in the input (`<html>`, `<body>`, a `<p>`).
    public var isImplied: Bool
    /// True for `<br/>`-style tags, which the parser closes at once.
    public var isSelfClosing: Bool
    /// Byte offset of the tag in the parser's (UTF-8) input.
    public var byteOffset: Int
    /// 1-based line of the tag.
    public var line: Int

    /// Creates a start tag.
    public init(name: String, attributes: [HTMLAttribute] = [], raw: String, isImplied: Bool = false, isSelfClosing: Bool = false, byteOffset: Int = 0, line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.raw = raw
        self.isImplied = isImplied
        self.isSelfClosing = isSelfClosing
        self.byteOffset = byteOffset
        self.line = line
    }

    /// The decoded value of an attribute (case-insensitive name), nil when absent or bare.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// True when the attribute is present, with or without a value.
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }
}

/// An attribute of an HTML start tag.
public struct HTMLAttribute: Sendable, Equatable {
    /// Name in lower case.
    public var name: String
    /// Decoded value; nil for a bare attribute.
    public var value: String?

    /// Creates an attribute.
    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// An HTML end tag.
public struct HTMLEndTag: Sendable, Equatable {
    /// The element name in lower case.
    public var name: String
    /// The exact tag text (`</p>`), empty when the element was closed implicitly.
    public var raw: String
    /// Byte offset in the parser's input.
    public var byteOffset: Int

    /// True when the element was closed by the parser rather than by a tag.
    public var isImplied: Bool { raw.isEmpty }

    /// Creates an end tag.
    public init(name: String, raw: String, byteOffset: Int = 0) {
        self.name = name
        self.raw = raw
        self.byteOffset = byteOffset
    }
}

/// Character data with the original text it was decoded from.
public struct HTMLText: Sendable, Equatable {
    /// The text as the parser decoded it (`&nbsp;` is U+00A0 here).
    public var decoded: String
    /// The original text (`&nbsp;` stays `&nbsp;`).
    public var raw: String
    /// True for the content of `script` and `style`, which HTML never decodes.
    public var isRawText: Bool
    /// Byte offset in the parser's input.
    public var byteOffset: Int

    /// Creates a text event.
    public init(decoded: String, raw: String, isRawText: Bool = false, byteOffset: Int = 0) {
        self.decoded = decoded
        self.raw = raw
        self.isRawText = isRawText
        self.byteOffset = byteOffset
    }
}

/// Streams an HTML document through libxml2's HTML push parser (which recovers from malformed
/// markup as browsers do) and reports each event with the exact original text it came from.
///
/// libxml2 reports no source positions for SAX events, only where its input cursor stands when a
/// callback fires. That is enough: consecutive events own consecutive byte ranges, with three
/// corrections made here — a start tag's callback fires before its `>` (or `/>`) is consumed;
/// elements the parser implies or auto-closes get no text (and may fire in the middle of the next
/// tag); bytes the parser drops silently are reported as `.skipped`. Input must be UTF-8 (callers
/// transcode first); the document's own charset declaration is ignored. Memory stays flat: only
/// the bytes not yet assigned to an event are kept. Not `Sendable`: one owner feeds it.
public final class HTMLStreamParser {
    private var context: htmlParserCtxtPtr?
    private var sax = htmlSAXHandler()
    // The hot stored properties are `@exclusivity(unchecked)`: one owner drives the parser and
    // libxml2's callbacks run inside `feed`, never overlapping an access to them.
    /// Input bytes from absolute offset `bufferBase` on.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var bufferBase = 0
    /// True while every piece came as a string (`feed(text:)`), so that `buffer` is valid
    /// UTF-8: the events' texts are then copied from it without checking their UTF-8 again (the
    /// caller checked it once for the whole piece). False once a piece came as bytes.
    @exclusivity(unchecked) private var bufferIsChecked = true
    /// Absolute offset up to which bytes belong to reported events.
    @exclusivity(unchecked) private var mark = 0
    /// Where the character data being collected starts, and whether it is script or style
    /// content; nil when none is.
    @exclusivity(unchecked) private var pendingText: (start: Int, isRawText: Bool)?
    /// How many bytes the parser decoded for the character data being collected, while they
    /// are the input's own bytes from its start (no reference, no line break it changed: most
    /// text). Such text is compared, not copied: the decoded text is then the original's.
    @exclusivity(unchecked) private var pendingDecodedLength = 0
    /// True once the decoded bytes differ from the input's: they are then collected in
    /// `pendingDecoded`.
    @exclusivity(unchecked) private var pendingDecodedDiffers = false
    /// The collected character data as the parser decoded it, when it differs from the input.
    /// Emptied, not replaced, after each text: its buffer serves the whole document.
    @exclusivity(unchecked) private var pendingDecoded: [UInt8] = []
    /// The events reported and not yet handed out: `eventCount` initialised ones in storage for
    /// `eventCapacity`, handed out from `eventIndex` on. Kept by hand rather than in an array so
    /// that each event is moved out to its reader: an array's element is copied out (a retain
    /// of each of its strings), then released again when the array is emptied.
    @exclusivity(unchecked) private var events: UnsafeMutablePointer<HTMLEvent>
    @exclusivity(unchecked) private var eventCount = 0
    @exclusivity(unchecked) private var eventCapacity = 64
    @exclusivity(unchecked) private var eventIndex = 0
    private var finished = false
    private let sink: LibXML2ErrorSink
    /// Recoverable problems libxml2 reported (unknown tags, unexpected end tags…), in order.
    public private(set) var problems: [XMLError] = []

    /// The path used in problem reports.
    public var displayPath: String { sink.displayPath }

    /// Creates a parser; `displayPath` names the document in problem reports.
    public init(displayPath: String) throws {
        LibXML2.prepareThread()
        sink = LibXML2ErrorSink(displayPath: displayPath)
        events = .allocate(capacity: eventCapacity)
        sax.initialized = XML_SAX2_MAGIC // so that libxml2 uses `serror`; the HTML parser still calls the SAX1 element callbacks
        sax.startElement = { ctx, name, attributes in HTMLStreamParser.with(ctx) { $0.didStart(name, attributes) } }
        sax.endElement = { ctx, name in HTMLStreamParser.with(ctx) { $0.didEnd(name) } }
        sax.characters = { ctx, bytes, length in HTMLStreamParser.with(ctx) { $0.didText(bytes, length, isRawText: false) } }
        sax.ignorableWhitespace = { ctx, bytes, length in HTMLStreamParser.with(ctx) { $0.didText(bytes, length, isRawText: false) } }
        sax.cdataBlock = { ctx, bytes, length in HTMLStreamParser.with(ctx) { $0.didText(bytes, length, isRawText: true) } }
        sax.comment = { ctx, _ in HTMLStreamParser.from(ctx).didWhole { .comment(raw: $0, byteOffset: $1) } }
        sax.processingInstruction = { ctx, _, _ in HTMLStreamParser.from(ctx).didWhole { .processingInstruction(raw: $0, byteOffset: $1) } }
        sax.internalSubset = { ctx, _, _, _ in HTMLStreamParser.from(ctx).didWhole { .doctype(raw: $0, byteOffset: $1) } }
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            HTMLStreamParser.from(ctx).didFindProblem(error)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        context = htmlCreatePushParserCtxt(&sax, me, nil, 0, nil, XML_CHAR_ENCODING_UTF8)
        guard let context else {
            throw XMLError(location: .init(file: displayPath), message: "cannot start the HTML parser")
        }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_NODEFDTD.rawValue)
        _ = htmlCtxtUseOptions(context, options)
    }

    deinit {
        if let context { htmlFreeParserCtxt(context) }
        (events + eventIndex).deinitialize(count: eventCount - eventIndex)
        events.deallocate()
    }

    /// Queues an event for `next()` or `drainEvents`, moved in (taken, not copied).
    @inline(__always)
    private func report(_ event: consuming HTMLEvent) {
        if eventCount == eventCapacity {
            // The events not handed out yet, moved (not copied) to the start of twice the room.
            let larger = UnsafeMutablePointer<HTMLEvent>.allocate(capacity: eventCapacity * 2)
            larger.moveInitialize(from: events + eventIndex, count: eventCount - eventIndex)
            events.deallocate()
            events = larger
            eventCapacity *= 2
            eventCount -= eventIndex
            eventIndex = 0
        }
        (events + eventCount).initialize(to: event)
        eventCount += 1
    }

    private static func from(_ ctx: UnsafeMutableRawPointer?) -> HTMLStreamParser {
        Unmanaged<HTMLStreamParser>.fromOpaque(ctx!).takeUnretainedValue()
    }

    /// Runs `body` on the parser a callback's context points to, without the retain and
    /// release `from` costs: the parser is alive (it is parsing) during every callback.
    @inline(__always)
    private static func with(_ ctx: UnsafeMutableRawPointer?, _ body: (HTMLStreamParser) -> Void) {
        Unmanaged<HTMLStreamParser>.fromOpaque(ctx!)._withUnsafeGuaranteedRef(body)
    }

    /// Parses the next piece of the document (UTF-8, any split); events become available to `next()`.
    public func feed(_ bytes: [UInt8]) {
        guard !finished, !bytes.isEmpty else { return }
        bufferIsChecked = false
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Parses the next piece of the document, split between characters; events become
    /// available to `next()`. Cheaper than `feed(_:)` with the same bytes: the text of each
    /// event is cut from `text` without its UTF-8 being checked again. `isLast` says that the
    /// piece completes the document: what `finish()` does then follows at once.
    public func feed(text: String, isLast: Bool = false) {
        guard !finished else { return }
        guard !text.isEmpty else {
            if isLast { finish() }
            return
        }
        var text = text
        text.withUTF8 { parse($0, isLast: isLast) }
        if isLast { finishEvents() }
    }

    /// Parses `bytes`; with `isLast`, in the same call that ends the document. libxml2 then
    /// parses each construct without first looking ahead for its end (`<`, `>`), which it
    /// must do while more input may come; a document read in one piece (most are) is so
    /// parsed in one pass with the same events.
    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool = false) {
        guard let context else { return }
        compact()
        buffer.append(contentsOf: bytes)
        // libxml2 2.9's HTML push parser keeps `checkIndex` (where a look-ahead for '<' or '>'
        // resumes) relative to its buffer, and does not move it when it discards consumed input:
        // after the first discard it never finds the end of the current construct and stops
        // reporting events until the document ends, so nothing streams. The index is only a
        // hint; resetting it makes the look-ahead start again at the cursor.
        context.pointee.checkIndex = 0
        bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            _ = htmlParseChunk(context, $0, Int32(bytes.count), isLast ? 1 : 0)
        }
    }

    /// Tells the parser the document is complete: it closes what is open and reports the rest.
    public func finish() {
        guard !finished, let context else { return }
        _ = htmlParseChunk(context, nil, 0, 1)
        finishEvents()
    }

    /// Reports what the parser left once the document ended: the text being collected, and
    /// the bytes it consumed without an event.
    private func finishEvents() {
        flushText()
        let end = bufferBase + buffer.count
        if mark < end {
            report(.skipped(raw: string(mark, end), byteOffset: mark))
            mark = end
        }
        finished = true
    }

    /// The next event, or nil when none is available (feed more, or the document is done).
    public func next() -> HTMLEvent? {
        guard eventIndex < eventCount else {
            eventIndex = 0
            eventCount = 0
            return nil
        }
        defer { eventIndex += 1 }
        return (events + eventIndex).move()
    }

    /// Hands every available event to `body`, in order, and forgets them: what calling
    /// `next()` until nil does. `body` must not feed the parser. If it throws, the events after
    /// the one it threw on are dropped too.
    public func drainEvents(_ body: (HTMLEvent) throws -> Void) rethrows {
        defer {
            // Only after a throw are events left here.
            (events + eventIndex).deinitialize(count: eventCount - eventIndex)
            eventIndex = 0
            eventCount = 0
        }
        while eventIndex < eventCount {
            let event = (events + eventIndex).move()
            eventIndex += 1
            try body(event)
        }
    }

    // MARK: - Positions

    /// Absolute offset of libxml2's input cursor in the bytes fed so far.
    private var cursor: Int {
        guard let input = context?.pointee.input else { return mark }
        let p = input.pointee
        guard let cur = p.cur, let base = p.base else { return mark }
        return Int(p.consumed) + (cur - base)
    }

    private var line: Int { Int(context?.pointee.input?.pointee.line ?? 0) }

    private func byte(at offset: Int) -> UInt8? {
        let i = offset - bufferBase
        return i >= 0 && i < buffer.count ? buffer[i] : nil
    }

    private func string(_ start: Int, _ end: Int) -> String {
        guard end > start else { return "" }
        let from = start - bufferBase, to = end - bufferBase
        return buffer.withUnsafeBufferPointer { bytes in
            let piece = UnsafeBufferPointer(rebasing: bytes[from..<to])
            // Checked UTF-8 cut between characters (neither bound on a continuation byte, the
            // usual case) is copied as it is; a bound inside a character, or bytes never
            // checked, are decoded, which repairs them.
            if bufferIsChecked, bytes[from] & 0xC0 != 0x80, to == bytes.count || bytes[to] & 0xC0 != 0x80 {
                if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
                    return String(copying: UTF8Span(unchecked: Span(_unsafeElements: piece)))
                }
            }
            return String(decoding: piece, as: UTF8.self)
        }
    }

    /// Drops bytes already assigned to events, in large steps so that the copy stays cheap.
    private func compact() {
        let start = pendingText?.start ?? mark
        let drop = start - bufferBase
        if drop > 1 << 16 && drop * 2 > buffer.count {
            buffer.removeFirst(drop)
            bufferBase += drop
        }
    }

    /// Finds `<name` (or `</name` when `closing`), case-insensitively and followed by a character
    /// that cannot continue a name, in `start..<end`; the first match, or nil.
    private func findTag(_ name: String, closing: Bool, from start: Int, to end: Int) -> Int? {
        // The name's bytes in place (a small string's on the stack): an array per tag was
        // an allocation per event.
        var name = name
        return name.withUTF8 { findTag($0, closing: closing, from: start, to: end) }
    }

    private func findTag(_ name: UnsafeBufferPointer<UInt8>, closing: Bool, from start: Int, to end: Int) -> Int? {
        let prefix = closing ? 2 : 1
        var i = start
        while i + prefix + name.count <= end {
            if byte(at: i) == UInt8(ascii: "<"), !closing || byte(at: i + 1) == UInt8(ascii: "/") {
                var matches = true
                for (k, c) in name.enumerated() {
                    guard let b = byte(at: i + prefix + k), lower(b) == c else { matches = false; break }
                }
                if matches {
                    let after = i + prefix + name.count
                    if after >= end { return i }
                    if let b = byte(at: after), !isNameByte(b) { return i }
                }
            }
            i += 1
        }
        return nil
    }

    private func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }
    private func isNameByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95 || b == 58 || b == 46 || b >= 0x80
    }

    // MARK: - Callbacks

    private func flushText() {
        guard let text = pendingText else { return }
        pendingText = nil
        let raw = string(text.start, mark)
        // Text without a reference or a line break the parser changed decodes to its own bytes:
        // one string then serves both (half the strings, and `raw == decoded` is immediate).
        let decoded: String
        if pendingDecodedDiffers {
            decoded = String(decoding: pendingDecoded, as: UTF8.self)
            pendingDecoded.removeAll(keepingCapacity: true)
        } else if pendingDecodedLength == mark - text.start {
            decoded = raw
        } else {
            // The parser's bytes are the input's from the text's start, but not as many as
            // it consumed.
            decoded = buffer.withUnsafeBufferPointer { b in
                String(decoding: UnsafeBufferPointer(rebasing: b[(text.start - bufferBase)..<(text.start - bufferBase + pendingDecodedLength)]), as: UTF8.self)
            }
        }
        pendingDecodedLength = 0
        pendingDecodedDiffers = false
        report(.text(HTMLText(decoded: decoded, raw: raw, isRawText: text.isRawText, byteOffset: text.start)))
    }

    private func didText(_ bytes: UnsafePointer<xmlChar>?, _ length: Int32, isRawText: Bool) {
        if let pending = pendingText, pending.isRawText != isRawText { flushText() }
        let end = max(cursor, mark)
        if pendingText == nil { pendingText = (mark, isRawText) }
        if let bytes, length > 0 {
            let piece = UnsafeBufferPointer(start: bytes, count: Int(length))
            if pendingDecodedDiffers {
                pendingDecoded.append(contentsOf: piece)
            } else {
                collectDecoded(piece)
            }
        }
        mark = end
    }

    /// Adds decoded character data while it has been the input's own bytes: compared with the
    /// input where it would stand, and copied (with what came before it) only if it differs.
    private func collectDecoded(_ piece: UnsafeBufferPointer<UInt8>) {
        let start = (pendingText?.start ?? mark) - bufferBase
        let at = start + pendingDecodedLength
        buffer.withUnsafeBufferPointer { input in
            if at + piece.count <= input.count, memcmp(input.baseAddress! + at, piece.baseAddress!, piece.count) == 0 {
                pendingDecodedLength += piece.count
            } else {
                pendingDecoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<at]))
                pendingDecoded.append(contentsOf: piece)
                pendingDecodedDiffers = true
            }
        }
    }

    private func didStart(_ namePointer: UnsafePointer<xmlChar>?, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        flushText()
        let name = lowercasedName(namePointer)
        var attrs: [HTMLAttribute] = []
        if let attributes {
            // Room for all of them at once (libxml2 ends the name/value pairs with a null name).
            var count = 0
            while attributes[2 * count] != nil { count += 1 }
            attrs.reserveCapacity(count)
            var i = 0
            while let n = attributes[i] {
                attrs.append(HTMLAttribute(name: lowercasedName(n), value: attributes[i + 1].map { String(cString: $0) }))
                i += 2
            }
        }
        let pos = max(cursor, mark)
        let line = self.line
        guard let at = findTag(name, closing: false, from: mark, to: pos) else {
            report(.startTag(HTMLStartTag(name: name, attributes: attrs, raw: "", isImplied: true, byteOffset: mark, line: line)))
            return
        }
        if at > mark { report(.skipped(raw: string(mark, at), byteOffset: mark)) }
        // The callback fires before the tag's end is consumed: take `>` or `/>` with the tag.
        var end = pos
        var selfClosing = false
        if byte(at: pos) == UInt8(ascii: ">") {
            end = pos + 1
        } else if byte(at: pos) == UInt8(ascii: "/"), byte(at: pos + 1) == UInt8(ascii: ">") {
            end = pos + 2
            selfClosing = true
        }
        mark = end
        report(.startTag(HTMLStartTag(name: name, attributes: attrs, raw: string(at, end), isSelfClosing: selfClosing, byteOffset: at, line: line)))
    }

    private func didEnd(_ namePointer: UnsafePointer<xmlChar>?) {
        flushText()
        let name = lowercasedName(namePointer)
        let pos = max(cursor, mark)
        // A real end tag is `</name …>` ending where the cursor stands; anything else is implied.
        guard pos > mark, byte(at: pos - 1) == UInt8(ascii: ">"),
              let at = findTag(name, closing: true, from: mark, to: pos) else {
            report(.endTag(HTMLEndTag(name: name, raw: "", byteOffset: mark)))
            return
        }
        if at > mark { report(.skipped(raw: string(mark, at), byteOffset: mark)) }
        report(.endTag(HTMLEndTag(name: name, raw: string(at, pos), byteOffset: at)))
        mark = pos
    }

    /// Names made lately, by where libxml2 keeps their bytes (`nameSlot`): it reports every
    /// element and attribute name from its dictionary, the same bytes at the same place each
    /// time, so a page's few dozen names are made once rather than at every tag. An entry is
    /// used only when the bytes still spell it, whatever libxml2 does with its memory.
    @exclusivity(unchecked) private var names = [CachedName](repeating: CachedName(), count: 64)

    /// A name made from the bytes at `pointer` (at most 16, kept in `bytes` to check a reuse).
    private struct CachedName {
        var pointer: UnsafePointer<xmlChar>?
        var bytes: (UInt64, UInt64) = (0, 0)
        var length = 0
        var name = ""
    }

    /// An element or attribute name in lower case, from `names` when it holds it.
    private func lowercasedName(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        let slot = Int(truncatingIfNeeded: UInt(bitPattern: pointer) >> 3) & (names.count - 1)
        return names.withUnsafeMutableBufferPointer { names in
            let entry = names[slot]
            if entry.pointer == pointer, Self.spells(pointer, entry) { return entry.name }
            let name = Self.lowercasedName(pointer)
            var cached = CachedName(pointer: pointer, name: name)
            // Names of up to 16 bytes (nearly all) are kept with their bytes to check them by.
            var length = 0
            let fits = withUnsafeMutableBytes(of: &cached.bytes) { bytes -> Bool in
                while pointer[length] != 0 {
                    guard length < 16 else { return false }
                    bytes[length] = pointer[length]
                    length += 1
                }
                return true
            }
            if fits {
                cached.length = length
                names[slot] = cached
            }
            return name
        }
    }

    /// True when the bytes at `pointer` are those of `entry`, ended by a null.
    private static func spells(_ pointer: UnsafePointer<xmlChar>, _ entry: CachedName) -> Bool {
        withUnsafeBytes(of: entry.bytes) { bytes in
            for k in 0..<entry.length where pointer[k] != bytes[k] { return false }
            return pointer[entry.length] == 0
        }
    }

    /// An element or attribute name in lower case. libxml2's HTML parser already lowers the
    /// names it reads, so the (allocating) `lowercased()` only runs for a name with an ASCII
    /// capital or non-ASCII.
    private static func lowercasedName(_ pointer: UnsafePointer<xmlChar>) -> String {
        var i = 0
        var plain = true
        while pointer[i] != 0 {
            let b = pointer[i]
            if (b >= 0x41 && b <= 0x5A) || b >= 0x80 { plain = false; break }
            i += 1
        }
        let name = String(cString: pointer)
        return plain ? name : name.lowercased()
    }

    private func didWhole(_ make: (String, Int) -> HTMLEvent) {
        flushText()
        let pos = max(cursor, mark)
        report(make(string(mark, pos), mark))
        mark = pos
    }

    private func didFindProblem(_ error: UnsafeMutablePointer<xmlError>) {
        let e = error.pointee
        var text = e.message.map { String(cString: $0) } ?? "HTML problem"
        text = text.trimmingWhitespace().replacingNewlines()
        let line = e.line > 0 ? Int(e.line) : nil
        let column = e.int2 > 0 ? Int(e.int2) : nil
        problems.append(XMLError(location: .init(file: sink.displayPath, line: line, column: column), message: text, code: Int(e.code)))
    }
}

/// libxml2's table of HTML 4 named character references.
public enum HTMLEntities {
    /// The character `&name;` stands for, or nil when HTML does not define it.
    public static func scalar(named name: String) -> Unicode.Scalar? {
        guard let entity = htmlEntityLookup(name) else { return nil }
        return Unicode.Scalar(entity.pointee.value)
    }

    /// The name of the entity for a character (`nbsp` for U+00A0), or nil.
    public static func name(for scalar: Unicode.Scalar) -> String? {
        guard let entity = htmlEntityValueLookup(scalar.value), let name = entity.pointee.name else { return nil }
        return String(cString: name)
    }
}
