internal import CLibXML2
import Diagnostics

/// Writes XML through libxml2's output buffer (`xmlOutputBuffer`, the layer under `xmlsave` and
/// `xmlTextWriter`), handing the bytes to a sink as it goes so that memory stays flat whatever
/// the document's size.
///
/// The markup is written directly rather than through `xmlTextWriter`, whose per-node list
/// bookkeeping and escaping copies cost more than libxml2's whole streaming parse; the output
/// is byte for byte what `xmlTextWriter` wrote (no indentation, `<x/>` for empty elements, `"`
/// quotes), escaped with the same rules as `xmlTextWriter`. Markup and escaped text are first
/// gathered in a staging buffer of `stagingCapacity` bytes (escaping and the XML 1.0 character
/// check run in one pass straight into it, in the C shim) and handed to libxml2's output buffer
/// a whole staging buffer at a time: a call into libxml2 per node cost more than the node's bytes. Names are written as given (`"gls:glossary"`, `"xml:lang"`);
/// namespace declarations are ordinary attributes (`xmlns:gls`), so a declaration is written
/// once on the element where the caller puts it. Text that XML 1.0 cannot hold (control
/// characters) is refused with an error, so callers encode it first (XLIFF 2 `<cp>`, for
/// instance). Not `Sendable`: one owner writes it.
public final class XMLStreamWriter {
    /// Receives the bytes written so far, in order.
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    /// The sink and the first error it threw, reached from libxml2's write callback.
    private final class Output {
        let sink: Sink
        var error: (any Error)?
        init(sink: @escaping Sink) { self.sink = sink }
    }

    @exclusivity(unchecked) private var out: UnsafeMutablePointer<xmlOutputBuffer>?
    /// Bytes written but not yet handed to libxml2 (`staged` of them).
    private let staging: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var staged = 0
    /// Big enough that a small document reaches libxml2 in one write; libxml2 takes it in
    /// chunks of about 16 KB anyway.
    private static let stagingCapacity = 1 << 14
    private let output: Output
    private let displayPath: String
    /// The names of the open elements, back to back (`nameBytes` bytes), for their end tags, and
    /// where each starts (`depth` of them). Plain buffers grown by hand: with array properties
    /// every end tag cost a retain, a release and uniqueness checks.
    private var openNames: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var openNamesCapacity = 256
    @exclusivity(unchecked) private var nameBytes = 0
    private var openNameStarts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var openNameStartsCapacity = 32
    /// The last start tag still lacks its `>` (attributes may follow; `/>` if nothing else does).
    @exclusivity(unchecked) private var tagOpen = false
    /// What `startCapture` kept (`captured` bytes), grown by hand; nil until the first capture.
    private var capture: UnsafeMutablePointer<UInt8>?
    @exclusivity(unchecked) private var captureCapacity = 0
    @exclusivity(unchecked) private var captured = 0
    /// While capturing, where the staged bytes not yet copied into `capture` start; -1 otherwise.
    /// The staged bytes are copied only when they leave the staging buffer or the capture ends.
    @exclusivity(unchecked) private var captureFrom = -1

    /// Creates a writer that hands its output to `sink`. `displayPath` names the output in errors.
    public init(displayPath: String, sink: @escaping Sink) throws {
        LibXML2.prepareThread()
        self.output = Output(sink: sink)
        self.displayPath = displayPath
        openNames = .allocate(capacity: openNamesCapacity)
        openNameStarts = .allocate(capacity: openNameStartsCapacity)
        staging = .allocate(capacity: Self.stagingCapacity)
        out = xmlOutputBufferCreateIO(Self.writeCallback, nil, Unmanaged.passUnretained(output).toOpaque(), nil)
        guard out != nil else {
            staging.deallocate()
            openNames.deallocate()
            openNameStarts.deallocate()
            throw XMLError(location: .init(file: displayPath), message: "cannot start the XML writer")
        }
    }

    deinit {
        // Output already handed over (or abandoned after an error): close without flushing again.
        if let out {
            out.pointee.writecallback = nil
            xmlOutputBufferClose(out)
        }
        staging.deallocate()
        openNames.deallocate()
        openNameStarts.deallocate()
        capture?.deallocate()
    }

    /// libxml2 calls this with each full chunk of output (about 4 KB) and on flush.
    private static let writeCallback: xmlOutputWriteCallback = { context, buffer, length in
        guard let context, let buffer else { return -1 }
        let output = Unmanaged<Output>.fromOpaque(context).takeUnretainedValue()
        if output.error != nil { return -1 }
        do {
            try output.sink(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            return length
        } catch {
            output.error = error
            return -1
        }
    }

    /// The number of elements started and not yet ended.
    @exclusivity(unchecked) public private(set) var depth = 0

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    public func startDocument() throws {
        try raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "XML declaration")
    }

    // MARK: - Raw output

    /// Appends bytes to the staging buffer (handing it to libxml2 first when they do not fit).
    @inline(__always)
    private func raw(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ what: @autoclosure () -> String) throws {
        if count <= Self.stagingCapacity - staged {
            (staging + staged).update(from: bytes, count: count)
            staged += count
        } else {
            try rawLarge(bytes, count, what())
        }
    }

    private func rawLarge(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ what: @autoclosure () -> String) throws {
        try handOver()
        if count <= Self.stagingCapacity {
            (staging + staged).update(from: bytes, count: count)
            staged += count
            return
        }
        // More than the staging buffer holds: straight to libxml2 (and to the capture).
        if captureFrom >= 0 { keep(bytes, count) }
        let r = bytes.withMemoryRebound(to: CChar.self, capacity: count) { xmlOutputBufferWrite(out, Int32(count), $0) }
        try check(r, what())
    }

    /// Hands the staged bytes to libxml2's output buffer (which passes them on to the sink).
    private func handOver() throws {
        guard staged > 0 else { return }
        let count = staged
        if captureFrom >= 0 {
            keep(staging + captureFrom, count - captureFrom)
            captureFrom = 0
        }
        staged = 0
        let r = staging.withMemoryRebound(to: CChar.self, capacity: count) { xmlOutputBufferWrite(out, Int32(count), $0) }
        try check(r, "output")
    }

    // MARK: - Capture

    /// Starts keeping a copy of every byte written from now on, for `writeCaptured` to write
    /// again (XLIFF 1.2's `<seg-source>` repeats the content of `<source>`: copying its bytes
    /// costs less than escaping the text and writing the codes a second time). Forgets what an
    /// earlier capture kept.
    public func startCapture() {
        captured = 0
        captureFrom = staged
    }

    /// How many bytes have been captured so far: a position for `writeCaptured`. While the last
    /// start tag is open (`isStartTagOpen`), the next byte captured is its `>`.
    public var captureMark: Int {
        captureFrom >= 0 ? captured + staged - captureFrom : captured
    }

    /// Stops capturing; what was captured stays until the next `startCapture`.
    public func endCapture() {
        guard captureFrom >= 0 else { return }
        keep(staging + captureFrom, staged - captureFrom)
        captureFrom = -1
    }

    /// True while the last start tag still lacks its `>`, which the next content closes it with.
    public var isStartTagOpen: Bool { tagOpen }

    /// Writes the captured bytes `range` again, as they are, closing an open start tag first
    /// when there are any (an empty range leaves an empty element to collapse to `<x/>`). The
    /// caller vouches that they are whole content (elements in them closed in them) where the
    /// namespace prefixes they use mean the same. Not while capturing.
    public func writeCaptured(_ range: Range<Int>) throws {
        precondition(captureFrom < 0 && range.lowerBound >= 0 && range.upperBound <= captured, "writeCaptured outside the captured bytes or while capturing")
        guard !range.isEmpty, let capture else { return }
        try closeStartTag()
        try raw(capture + range.lowerBound, range.count, "content")
    }

    /// Writes a whole element with one attribute and captured bytes as its content, the bytes
    /// `startElement`, `attribute`, `writeCaptured` and `endElement` would write, in one call
    /// (XLIFF 1.2's `<seg-source>` writes one such `<mrk>` per segment). `startTag` is the start
    /// tag up to the attribute's value (`<mrk mtype="seg" mid="`), `endTag` the end tag
    /// (`</mrk>`): literals that need no escaping, naming the same element. The value is escaped
    /// as an attribute's, each character XML 1.0 cannot hold replaced by U+FFFD; returns how
    /// many were. An empty range gives `…"/>`, as `endElement` collapses an empty element.
    public func capturedElement(startTag: StaticString, value: String, endTag: StaticString, content range: Range<Int>) throws -> Int {
        precondition(captureFrom < 0 && range.lowerBound >= 0 && range.upperBound <= captured, "capturedElement outside the captured bytes or while capturing")
        try closeStartTag()
        try raw(startTag, "start tag")
        let replaced = try escaped(value, attribute: true, replacement: "\u{FFFD}")
        try capturedElementEnd(endTag: endTag, content: range)
        return replaced
    }

    /// `capturedElement` whose attribute value is `number` in decimal (XLIFF 1.2 numbers the
    /// segments of `<seg-source>`, `mid="1"`, `"2"`…): its digits are written as they are,
    /// without the escaping pass a `String` value gets.
    public func capturedElement(startTag: StaticString, number: Int, endTag: StaticString, content range: Range<Int>) throws {
        precondition(captureFrom < 0 && range.lowerBound >= 0 && range.upperBound <= captured, "capturedElement outside the captured bytes or while capturing")
        precondition(number >= 0, "capturedElement with a negative number")
        try closeStartTag()
        try raw(startTag, "start tag")
        // The digits from the last, into a buffer big enough for any Int.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        try withUnsafeMutableBytes(of: &digits) { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var start = buffer.count
            var rest = number
            repeat {
                start -= 1
                base[start] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            try raw(base + start, buffer.count - start, "start tag")
        }
        try capturedElementEnd(endTag: endTag, content: range)
    }

    /// The rest of a captured element after its attribute value: `">`, the bytes and the end
    /// tag, or `"/>` for no bytes.
    @inline(__always)
    private func capturedElementEnd(endTag: StaticString, content range: Range<Int>) throws {
        guard !range.isEmpty, let capture else {
            try raw("\"/>", "end tag")
            return
        }
        try raw("\">", "start tag")
        try raw(capture + range.lowerBound, range.count, "content")
        try raw(endTag, "end tag")
    }

    /// Appends to the capture.
    private func keep(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        guard count > 0 else { return }
        if captured + count > captureCapacity {
            let capacity = max(2 * captureCapacity, captured + count, 4096)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            if let capture {
                grown.initialize(from: capture, count: captured)
                capture.deallocate()
            }
            capture = grown
            captureCapacity = capacity
        }
        (capture! + captured).initialize(from: bytes, count: count)
        captured += count
    }

    /// Appends `bytes` escaped as text or as an attribute value, each character XML 1.0 cannot
    /// hold replaced by `replacement` (UTF-8, a character needing no escape); returns how many
    /// were replaced. Inlined into its callers: it is the inner step of every text and value.
    @inline(__always)
    private func escaped(_ bytes: UnsafeBufferPointer<UInt8>, attribute: Bool, replacement: UnsafeBufferPointer<UInt8>) throws -> Int {
        guard let input = bytes.baseAddress else { return 0 }
        // The usual case, short text: even escaped at its widest (six bytes a byte) it fits in
        // the staging buffer, so one call escapes all of it, with no hand-over to plan for.
        if bytes.count <= (Self.stagingCapacity - staged) / 6 - 2 {
            var consumed = 0, replaced = 0
            staged += verso_escape_into(staging + staged, Self.stagingCapacity - staged, input, bytes.count,
                                        attribute ? 1 : 0, replacement.baseAddress, Int32(replacement.count),
                                        &consumed, &replaced)
            return replaced
        }
        return try escapedInParts(bytes, attribute: attribute, replacement: replacement)
    }

    /// `escaped` for text that may not fit: escaped a staging buffer at a time.
    @inline(never)
    private func escapedInParts(_ bytes: UnsafeBufferPointer<UInt8>, attribute: Bool, replacement: UnsafeBufferPointer<UInt8>) throws -> Int {
        guard var input = bytes.baseAddress else { return 0 }
        var remaining = bytes.count
        var replaced = 0
        while remaining > 0 {
            // Room for the widest escape (`&quot;`) before each call.
            if Self.stagingCapacity - staged < 8 { try handOver() }
            var consumed = 0
            let written = verso_escape_into(staging + staged, Self.stagingCapacity - staged, input, remaining,
                                            attribute ? 1 : 0, replacement.baseAddress, Int32(replacement.count),
                                            &consumed, &replaced)
            staged += written
            input += consumed
            remaining -= consumed
            if remaining > 0 { try handOver() }
        }
        return replaced
    }

    /// U+FFFD, the usual replacement (also passed where the characters were checked before,
    /// so nothing is left to replace).
    private static let replacementCharacter: StaticString = "\u{FFFD}"

    /// Appends `string` escaped, replacing refused characters by `replacement`; returns how many.
    private func escaped(_ string: String, attribute: Bool, replacement: Unicode.Scalar) throws -> Int {
        if replacement == "\u{FFFD}" {
            let r = UnsafeBufferPointer(start: Self.replacementCharacter.utf8Start, count: Self.replacementCharacter.utf8CodeUnitCount)
            return try withUTF8(of: string) { try escaped($0, attribute: attribute, replacement: r) }
        }
        if !XMLCharacters.isAllowed(replacement) || Self.escapedScalars.contains(replacement) {
            // A replacement that needs escaping itself (or is refused too): replace first, then
            // escape the result (what is left to replace then becomes U+FFFD).
            let (clean, replaced) = Self.replacingDisallowed(string, with: replacement)
            _ = try escaped(clean, attribute: attribute, replacement: "\u{FFFD}")
            return replaced
        }
        var encoded = String(replacement)
        return try encoded.withUTF8 { r in try withUTF8(of: string) { try escaped($0, attribute: attribute, replacement: r) } }
    }

    /// The UTF-8 of `string` without copying it (`withUTF8` needs a `var`, which costs a retain and
    /// a release per call); strings without contiguous UTF-8 (bridged ones) are made so first.
    @inline(__always)
    private func withUTF8<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        if let result = try string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        return try copy.withUTF8(body)
    }

    /// The characters some escaping rule changes (`&`, `<`, `>`, `"`, TAB, LF, CR).
    private static let escapedScalars: Set<Unicode.Scalar> = ["&", "<", ">", "\"", "\t", "\n", "\r"]

    @inline(__always)
    private func raw(_ literal: StaticString, _ what: @autoclosure () -> String) throws {
        try raw(literal.utf8Start, literal.utf8CodeUnitCount, what())
    }

    @inline(__always)
    private func raw(_ string: String, _ what: @autoclosure () -> String) throws {
        try withUTF8(of: string) { if let base = $0.baseAddress { try raw(base, $0.count, what()) } }
    }

    /// `prefix`, `name` and `suffix` one after the other (`<name`, `</name>`, ` name="`).
    @inline(__always)
    private func raw(prefix: StaticString, _ name: UnsafeBufferPointer<UInt8>, suffix: StaticString, _ what: @autoclosure () -> String) throws {
        try raw(prefix, what())
        try raw(name.baseAddress!, name.count, what())
        try raw(suffix, what())
    }

    /// Ends a start tag left open for attributes, before content or a child.
    @inline(__always)
    private func closeStartTag() throws {
        if tagOpen {
            tagOpen = false
            try raw(">", "start tag")
        }
    }

    // MARK: - Elements

    /// Starts an element with a qualified name (`"unit"`, `"mtc:match"`).
    public func startElement(_ qualifiedName: String) throws {
        try withUTF8(of: qualifiedName) { try startElement(bytes: $0) }
    }

    /// Starts an element whose name is a literal (no conversion at all).
    public func startElement(_ qualifiedName: StaticString) throws {
        try startElement(bytes: UnsafeBufferPointer(start: qualifiedName.utf8Start, count: qualifiedName.utf8CodeUnitCount))
    }

    private func startElement(bytes name: UnsafeBufferPointer<UInt8>) throws {
        guard !name.isEmpty else {
            throw XMLError(location: .init(file: displayPath), message: "cannot write an element without a name")
        }
        try closeStartTag()
        try raw(prefix: "<", name, suffix: "", "<\(String(decoding: name, as: UTF8.self))>")
        if nameBytes + name.count > openNamesCapacity {
            openNamesCapacity = max(2 * openNamesCapacity, nameBytes + name.count)
            openNames = Self.grown(openNames, count: nameBytes, to: openNamesCapacity)
        }
        if depth == openNameStartsCapacity {
            openNameStartsCapacity *= 2
            openNameStarts = Self.grown(openNameStarts, count: depth, to: openNameStartsCapacity)
        }
        (openNames + nameBytes).initialize(from: name.baseAddress!, count: name.count)
        openNameStarts[depth] = nameBytes
        nameBytes += name.count
        depth += 1
        tagOpen = true
    }

    /// Ends the innermost open element (`<x/>` when it has no content).
    public func endElement() throws {
        try endElement(collapsing: true)
    }

    /// Ends an element and never collapses it to `<x/>` (some tools want `<target></target>`).
    public func endElementWithClosingTag() throws {
        try endElement(collapsing: false)
    }

    private func endElement(collapsing: Bool) throws {
        guard depth > 0 else {
            throw XMLError(location: .init(file: displayPath), message: "internal error: endElement without an open element")
        }
        depth -= 1
        let start = openNameStarts[depth]
        defer { nameBytes = start }
        if tagOpen && collapsing {
            tagOpen = false
            try raw("/>", "end tag")
            return
        }
        try closeStartTag()
        try raw(prefix: "</", UnsafeBufferPointer(start: openNames + start, count: nameBytes - start), suffix: ">", "end tag")
    }

    /// A buffer of `capacity` holding the first `count` elements of `old`, which is freed.
    private static func grown<Element>(_ old: UnsafeMutablePointer<Element>, count: Int, to capacity: Int) -> UnsafeMutablePointer<Element> {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        new.moveInitialize(from: old, count: count)
        old.deallocate()
        return new
    }

    /// Writes a whole element `<name attr…>text</name>`.
    public func element(_ qualifiedName: String, attributes: [(String, String)] = [], text: String? = nil) throws {
        try startElement(qualifiedName)
        for (name, value) in attributes { try attribute(name, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    // MARK: - Attributes

    /// Writes an attribute of the element just started (`"id"`, `"xml:lang"`, `"xmlns:gls"`).
    public func attribute(_ qualifiedName: String, _ value: String) throws {
        try checkCharacters(value)
        try withUTF8(of: qualifiedName) { try attribute(name: $0, value) }
    }

    /// Writes an attribute whose name is a literal.
    public func attribute(_ qualifiedName: StaticString, _ value: String) throws {
        try checkCharacters(value)
        try attribute(name: UnsafeBufferPointer(start: qualifiedName.utf8Start, count: qualifiedName.utf8CodeUnitCount), value)
    }

    /// Writes an attribute whose name and value are both literals that need no escaping
    /// (`xml:space="preserve"`, `translate="no"`): copied as they are, without the escaping pass
    /// a `String` value gets.
    public func attribute(_ qualifiedName: StaticString, literal value: StaticString) throws {
        assert(!UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount).contains { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 },
               "literal attribute values must need no escaping")
        guard tagOpen else {
            throw XMLError(location: .init(file: displayPath), message: "internal error: attribute \(qualifiedName) outside a start tag")
        }
        try raw(prefix: " ", UnsafeBufferPointer(start: qualifiedName.utf8Start, count: qualifiedName.utf8CodeUnitCount), suffix: "=\"", "attribute")
        try raw(value, "attribute")
        try raw("\"", "attribute")
    }

    /// Writes an attribute only when `value` is not nil.
    public func attribute(_ qualifiedName: String, ifPresent value: String?) throws {
        if let value { try attribute(qualifiedName, value) }
    }

    /// Writes an attribute, replacing characters XML 1.0 cannot hold; returns how many were replaced.
    @discardableResult
    public func attribute(_ qualifiedName: String, _ value: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        return try withUTF8(of: qualifiedName) { try attribute(name: $0, value, replacement: replacement) }
    }

    /// Writes an attribute with a literal name, replacing characters XML 1.0 cannot hold.
    @discardableResult
    public func attribute(_ qualifiedName: StaticString, _ value: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        try attribute(name: UnsafeBufferPointer(start: qualifiedName.utf8Start, count: qualifiedName.utf8CodeUnitCount), value, replacement: replacement)
    }

    /// ` name="value"`, the value escaped as in an attribute (`&`, `<`, `>`, `"`, TAB, LF, CR),
    /// characters XML 1.0 cannot hold replaced by `replacement`; returns how many were replaced.
    @discardableResult
    private func attribute(name: UnsafeBufferPointer<UInt8>, _ value: String, replacement: Unicode.Scalar = "\u{FFFD}") throws -> Int {
        guard tagOpen else {
            throw XMLError(location: .init(file: displayPath), message: "internal error: attribute \(String(decoding: name, as: UTF8.self)) outside a start tag")
        }
        try raw(prefix: " ", name, suffix: "=\"", "attribute \(String(decoding: name, as: UTF8.self))")
        let replaced = try escaped(value, attribute: true, replacement: replacement)
        try raw("\"", "attribute")
        return replaced
    }

    // MARK: - Content

    /// Writes escaped character data.
    public func text(_ string: String) throws {
        guard !string.isEmpty else { return }
        try checkCharacters(string)
        try escapedText(string)
    }

    /// Writes escaped character data, replacing each character XML 1.0 cannot hold (a control
    /// character that came through XLIFF 2 `<cp>`) by `replacement`; returns how many were replaced.
    @discardableResult
    public func text(_ string: String, replacingDisallowedWith replacement: Unicode.Scalar) throws -> Int {
        guard !string.isEmpty else { return 0 }
        try closeStartTag()
        return try escaped(string, attribute: false, replacement: replacement)
    }

    /// Writes escaped character data and returns true when XML 1.0 can hold every character;
    /// otherwise writes nothing and returns false (the caller encodes the text, as XLIFF 2 does
    /// with `<cp/>`). One pass for the usual, clean text: the text is escaped straight into the
    /// staging buffer and taken back if a character had to be replaced, where `text(_:)` scans
    /// it once to check and once more to escape.
    public func textIfAllowed(_ string: String) throws -> Bool {
        guard !string.isEmpty else { return true }
        return try withUTF8(of: string) { bytes in
            // Taking back needs the whole escaped text in the staging buffer (an escape is at
            // most six bytes a byte): longer text is checked first instead.
            let widest = 6 * bytes.count + 8
            guard widest <= Self.stagingCapacity else {
                guard XMLCharacters.allAllowed(string) else { return false }
                try escapedText(string)
                return true
            }
            if Self.stagingCapacity - staged < widest + 1 { try handOver() }
            let start = staged, wasOpen = tagOpen
            try closeStartTag()
            let r = UnsafeBufferPointer(start: Self.replacementCharacter.utf8Start, count: Self.replacementCharacter.utf8CodeUnitCount)
            if try escaped(bytes, attribute: false, replacement: r) == 0 { return true }
            staged = start
            tagOpen = wasOpen
            return false
        }
    }

    /// Character data escaped as `xmlTextWriter` did (`&`, `<`, `>`, `"`, CR); the characters
    /// were checked before.
    private func escapedText(_ string: String) throws {
        try closeStartTag()
        _ = try escaped(string, attribute: false, replacement: "\u{FFFD}")
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

    /// Writes a line break followed by `spaces` spaces, as is (indentation between elements;
    /// never call it inside text, where it would change the content).
    public func newline(indent spaces: Int) throws {
        try closeStartTag()
        var left = max(spaces, 0)
        // The line break and the first 128 spaces, then further spaces 128 at a time.
        let blanks = Self.blanks.utf8Start, spaces = Self.blanks.utf8CodeUnitCount - 1
        let first = min(left, spaces)
        try raw(blanks, 1 + first, "indentation")
        left -= first
        while left > 0 {
            let more = min(left, spaces)
            try raw(blanks + 1, more, "indentation")
            left -= more
        }
    }

    /// "\n" and 128 spaces: the source of every indentation (a literal: reading a static array
    /// cost a lazy-initialisation check and a reference count per line).
    private static var blanks: StaticString { "\n                                                                                                                                " }

    /// Writes a comment (`--` inside is refused, as XML requires).
    public func comment(_ string: String) throws {
        if string.contains("--") || string.hasSuffix("-") {
            throw XMLError(location: .init(file: displayPath), message: "a comment cannot contain '--' or end with '-'")
        }
        try checkCharacters(string)
        try closeStartTag()
        try raw("<!--", "comment")
        try raw(string, "comment")
        try raw("-->", "comment")
    }

    /// Writes a processing instruction.
    public func processingInstruction(target: String, data: String) throws {
        if data.contains("?>") {
            throw XMLError(location: .init(file: displayPath), message: "a processing instruction cannot contain '?>'")
        }
        try checkCharacters(data)
        try closeStartTag()
        try raw("<?", "processing instruction")
        try raw(target, "processing instruction")
        if !data.isEmpty {
            try raw(" ", "processing instruction")
            try raw(data, "processing instruction")
        }
        try raw("?>", "processing instruction")
    }

    /// Closes every open element, ends the document (with a line break) and hands the remaining
    /// bytes to the sink.
    public func endDocument() throws {
        while depth > 0 { try endElement() }
        try raw("\n", "end of document")
        try flush()
    }

    /// Hands everything written so far to the sink.
    public func flush() throws {
        guard let out else { return }
        try handOver()
        let r = xmlOutputBufferFlush(out)
        try check(r, "output")
    }

    /// Throws when libxml2 reports a failure (or the sink threw); the description is built only then.
    @inline(__always)
    private func check(_ result: Int32, _ what: @autoclosure () -> String) throws {
        if result < 0 {
            if let error = output.error { throw error }
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

/// Escaping done outside an `XMLStreamWriter`, for bytes spliced into its output afterwards.
public enum XMLEscaping {
    /// Escapes `&`, `<` and `>` of `input` into `output`, every other byte copied as it is: for
    /// character data that holds no other character needing escape or refused by XML 1.0 (a
    /// document's skeleton, JSON lines whose `"` stay as they are). Stops when the input is used
    /// up or fewer than 5 bytes of `output` are left; returns the bytes read and written.
    public static func escapeMarkup(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (read: Int, written: Int) {
        guard let source = input.baseAddress, let target = output.baseAddress else { return (0, 0) }
        var consumed = 0
        let written = verso_escape_markup(target.assumingMemoryBound(to: UInt8.self), output.count,
                                          source.assumingMemoryBound(to: UInt8.self), input.count, &consumed)
        return (consumed, written)
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
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        // Eight bytes at a time: a word with no byte below 0x20 and no 0xEF is clean (the
        // usual case); any other word is looked at byte by byte.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let ef = x ^ (ones &* 0xEF)
            if ((x &- ones &* 0x20) & ~x & highs) | ((ef &- ones) & ~ef & highs) == 0 {
                i += 8
                continue
            }
            let end = i + 8
            while i < end {
                if !allowed(base, i, n) { return false }
                i += 1
            }
        }
        while i < n {
            if !allowed(base, i, n) { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    private static func allowed(_ bytes: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Bool {
        let b = bytes[i]
        if b < 0x20 { return b == 0x9 || b == 0xA || b == 0xD }
        if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF { return false }
        return true
    }
}
