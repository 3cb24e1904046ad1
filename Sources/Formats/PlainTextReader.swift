import Diagnostics
import TranslationModel

/// Reads plain text into units: a paragraph (lines up to a blank line) is a unit, or a line is
/// (`PlainTextUnits`). Line breaks inside a paragraph are `\n` for the translator; blank lines,
/// the spaces around a paragraph and the exact line endings stay in the skeleton, so merge gives
/// back the file byte for byte (BOM, CRLF, a missing final newline included).
///
/// Streams in 64 KiB chunks; memory is bounded by the longest paragraph, itself cut at a line
/// break past 1 MiB.
final class PlainTextReader: SourceReader {
    static let paragraphLimit = 1 << 20

    // Stored properties are `@exclusivity(unchecked)`: one caller drives the reader, and no
    // access to one of them spans a call that could reach the same property (the runtime's
    // checks ran on every line).

    private let input: ChunkedInput
    private let decoder: StreamingTextDecoder
    private let skeleton: SkeletonSink
    private let encoding: TextEncoding
    private let hasByteOrderMark: Bool
    @exclusivity(unchecked) private var lineMode: Bool
    @exclusivity(unchecked) private var queue: [DocumentEvent] = []
    @exclusivity(unchecked) private var queueIndex = 0
    @exclusivity(unchecked) private var pending: [UInt8] = []
    @exclusivity(unchecked) private var pendingStart = 0
    @exclusivity(unchecked) private var inputDone = false
    @exclusivity(unchecked) private var ended = false
    @exclusivity(unchecked) private var newline: LineEnd?
    @exclusivity(unchecked) private var unitCounter = 0
    @exclusivity(unchecked) private var lineNumber = 1
    private(set) var findings: [Finding] = []
    var declaredLanguage: String? { nil }

    // The paragraph being read.
    @exclusivity(unchecked) private var paragraph: [UInt8] = []
    @exclusivity(unchecked) private var paragraphUTF16 = 0
    @exclusivity(unchecked) private var paragraphOpen = false
    @exclusivity(unchecked) private var substitutions: [RawSubstitution] = []
    @exclusivity(unchecked) private var lastTerminator = LineEnd.none
    /// The paragraph's line breaks: where their `\n` is in `paragraph`, its UTF-16 offset, and the
    /// terminator the file has there.
    @exclusivity(unchecked) private var lineBreaks: [(byte: Int, utf16: Int, terminator: LineEnd)] = []
    /// The spaces before the paragraph's first line (skeleton), which line wrapping measures too.
    @exclusivity(unchecked) private var firstLineIndent: [UInt8] = []
    /// Skeleton text waiting to be written before the next unit (or at the end).
    @exclusivity(unchecked) private var skeletonPending: [UInt8] = []

    /// True when the decoder checked the text as UTF-8 (the usual case), so that strings are
    /// made from its bytes without a second check; iconv's output (other encodings) is checked.
    private let decodedIsChecked: Bool

    /// A line ending as the file writes it (none for a last line without one). A line's ending
    /// is kept as this, not as an array of its bytes: an allocation per line.
    private enum LineEnd: Equatable {
        case none, lf, cr, crlf

        /// The ending of the bytes `contentEnd..<end` of `bytes`.
        init(_ bytes: [UInt8], _ contentEnd: Int, _ end: Int) {
            switch end - contentEnd {
            case 0: self = .none
            case 2: self = .crlf
            default: self = bytes[contentEnd] == 0x0A ? .lf : .cr
            }
        }

        var text: String {
            switch self {
            case .none: return ""
            case .lf: return "\n"
            case .cr: return "\r"
            case .crlf: return "\r\n"
            }
        }

        func append(to bytes: inout [UInt8]) {
            switch self {
            case .none: break
            case .lf: bytes.append(0x0A)
            case .cr: bytes.append(0x0D)
            case .crlf: bytes.append(0x0D); bytes.append(0x0A)
            }
        }
    }

    var skeletonHeader: SkeletonHeader {
        SkeletonHeader(format: .plainText, encoding: encoding, hasByteOrderMark: hasByteOrderMark, newline: (newline ?? .lf).text)
    }

    /// Decoded text (complete UTF-8) as a string.
    private func string(_ bytes: ArraySlice<UInt8>) -> String {
        decodedIsChecked ? ValidUTF8.string(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    init(input: ChunkedInput, options: SourceReaderOptions, description: SourceDescription, skeleton: SkeletonSink) throws {
        self.input = input
        self.skeleton = skeleton
        var head = try input.read(atLeast: 1 << 16)
        var encoding = options.encoding ?? .utf8
        var bom = false
        var bomLength = 0
        if let (e, length) = TextEncoding.detectByteOrderMark(head) {
            encoding = e
            bom = true
            bomLength = length
            head.removeFirst(length)
        }
        self.encoding = encoding
        self.hasByteOrderMark = bom
        decodedIsChecked = encoding.isUTF8
        decoder = try StreamingTextDecoder(encoding: encoding, displayPath: input.displayPath, startOffset: bomLength)
        pending = try decoder.decode(head)
        switch options.textUnits {
        case .lines: lineMode = true
        case .paragraphs: lineMode = false
        case .auto: lineMode = Self.looksLikeOneParagraphPerLine(pending) && !Self.looksHardWrapped(pending)
        }
        queue.append(.startDocument(DocumentInfo(sourceLanguage: description.sourceLanguage, targetLanguage: description.targetLanguage)))
        queue.append(.startFile(FileInfo(id: description.fileID, original: description.original, datatype: SourceFormat.plainText.datatype)))
    }

    /// True when the text has at least two non-blank lines and no blank line between them.
    static func looksLikeOneParagraphPerLine(_ bytes: [UInt8]) -> Bool {
        var lines = 0
        var i = 0
        var lineStart = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                let blank = bytes[lineStart..<i].allSatisfy(isBlankByte)
                if blank {
                    if lines > 0 { return false } // a blank line after text: paragraphs
                } else {
                    lines += 1
                }
                if b == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                lineStart = i + 1
            }
            i += 1
        }
        if lineStart < n, !bytes[lineStart...].allSatisfy(isBlankByte) { lines += 1 }
        return lines >= 2
    }

    /// True when most line breaks of the complete lines of `bytes` are soft (`LineWrapping`):
    /// hard-wrapped prose without blank lines, which is read by paragraphs, not by lines.
    static func looksHardWrapped(_ bytes: [UInt8]) -> Bool {
        guard let lastBreak = bytes.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return false }
        let text = String(decoding: bytes[..<lastBreak], as: UTF8.self)
        let breaks = text.utf16.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let soft = LineWrapping.softLineBreaks(in: text).count
        return soft > 0 && soft * 2 >= breaks
    }

    /// Spaces, tabs, form feeds and the control characters XML cannot carry: a line of only
    /// these is blank.
    static func isBlankByte(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b < 0x20 && b != 0x0A && b != 0x0D
    }

    func next() throws -> DocumentEvent? {
        while queueIndex >= queue.count {
            queue.removeAll(keepingCapacity: true)
            queueIndex = 0
            if ended { return nil }
            try pump()
        }
        defer { queueIndex += 1 }
        return queue.takeEvent(at: queueIndex)
    }

    private func pump() throws {
        if !inputDone {
            let chunk = try input.read()
            if pendingStart > 0 { pending.removeFirst(pendingStart); pendingStart = 0 }
            if chunk.isEmpty {
                inputDone = true
                pending.append(contentsOf: try decoder.finish())
            } else {
                pending.append(contentsOf: try decoder.decode(chunk))
            }
        }
        try splitLines()
        if inputDone && pendingStart >= pending.count {
            try closeParagraph()
            if !skeletonPending.isEmpty {
                try skeleton.append(.text(string(skeletonPending[...])))
                skeletonPending = []
            }
            queue.append(.endFile)
            queue.append(.endDocument)
            ended = true
        }
    }

    /// Takes every complete line out of `pending` (and the last line at the end of the input).
    private func splitLines() throws {
        let n = pending.count
        var start = pendingStart
        var lastLinePlain = true
        while start < n {
            var plain = true
            let i = Self.lineBreak(in: pending, from: start, plain: &plain)
            guard i < n else { lastLinePlain = plain; break }
            var end = i + 1
            if pending[i] == 0x0D {
                if i + 1 >= n && !inputDone { break } // a CR at the end of a chunk: wait for a possible LF
                if i + 1 < n && pending[i + 1] == 0x0A { end = i + 2 }
            }
            try line(start, i, end, plain: plain)
            lineNumber += 1
            start = end
        }
        if inputDone && start < n {
            // A last line without a line break: the loop's last look scanned it to the end.
            try line(start, n, n, plain: lastLinePlain)
            start = n
        }
        pendingStart = start
    }

    /// The index of the first `\n` or `\r` at or after `from`, or `bytes.count`. Eight bytes
    /// at a time: a line is tens of words without either. Clears `plain` when the bytes before
    /// it hold a C0 control character other than a tab, or an 0xEF (the lead byte of U+FFFE
    /// and U+FFFF): what `appendContent` would look for in a second pass over the line. Both
    /// are found by the same test of a word (line breaks are C0 controls too).
    private static func lineBreak(in bytes: [UInt8], from: Int, plain: inout Bool) -> Int {
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var i = from
            if let base = UnsafeRawPointer(p.baseAddress) {
                while i + 8 <= n {
                    let w = UTF8Words.load(base, i)
                    if UTF8Words.hasLess(w, than: 0x20) || UTF8Words.has(w, 0xEF) {
                        for k in i..<(i + 8) {
                            let b = p[k]
                            if b == 0x0A || b == 0x0D { return k }
                            if isSpecial(b) { plain = false }
                        }
                    }
                    i += 8
                }
            }
            while i < n {
                let b = p[i]
                if b == 0x0A || b == 0x0D { return i }
                if isSpecial(b) { plain = false }
                i += 1
            }
            return n
        }
    }

    /// A byte that may need more than copying into a unit: a C0 control character other than
    /// a tab (not a line break, which ends the line first), or 0xEF, which may start U+FFFE or
    /// U+FFFF.
    @inline(__always)
    private static func isSpecial(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0xEF }

    /// Handles one line: content `start..<contentEnd`, terminator `contentEnd..<end`.
    private func line(_ start: Int, _ contentEnd: Int, _ end: Int, plain: Bool) throws {
        let terminator = LineEnd(pending, contentEnd, end)
        if newline == nil && terminator != .none { newline = terminator }
        var blank = true
        for k in start..<contentEnd where !Self.isBlankByte(pending[k]) { blank = false; break }
        if blank {
            try closeParagraph()
            skeletonPending.append(contentsOf: pending[start..<end])
            return
        }
        if paragraphOpen && (lineMode || paragraph.count >= Self.paragraphLimit) {
            if !lineMode {
                findings.append(Finding(.warning, "paragraph longer than 1 MiB: cut at this line break", at: SourceLocation(file: input.displayPath, line: lineNumber), code: "text.long-paragraph"))
            }
            try closeParagraph()
        }
        var k = start
        if paragraphOpen {
            // The previous line's ending becomes "\n" inside the unit.
            if lastTerminator != (newline ?? .lf) {
                substitutions.append(RawSubstitution(utf16Offset: paragraphUTF16, utf16Length: 1, codesBefore: 0, raw: lastTerminator.text))
            }
            lineBreaks.append((paragraph.count, paragraphUTF16, lastTerminator))
            paragraph.append(0x0A)
            paragraphUTF16 += 1
        } else {
            paragraphOpen = true
            while k < contentEnd && Self.isBlankByte(pending[k]) { k += 1 }
            skeletonPending.append(contentsOf: pending[start..<k])
            firstLineIndent = Array(pending[start..<k])
        }
        appendContent(k, contentEnd, knownPlain: plain)
        lastTerminator = terminator
    }

    /// Appends text to the paragraph; characters XML cannot carry are kept for merge only.
    private func appendContent(_ start: Int, _ end: Int, knownPlain: Bool) {
        var utf16 = paragraphUTF16
        var inserted: [RawSubstitution] = []
        var runStart = start
        pending.withUnsafeBufferPointer { bytes in
            // Nearly every line has no control character and no U+FFFE/U+FFFF (whose lead byte
            // is 0xEF): `lineBreak` says so as it finds the line's end, and such a line is only
            // measured. The others go byte by byte (which counts a stretch without such
            // characters as the measure would).
            if knownPlain {
                utf16 += UTF8Words.utf16Length(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                return
            }
            var k = start
            while k < end {
                let b = bytes[k]
                if b < 0x20 && b != 0x09 {
                    paragraph.append(contentsOf: bytes[runStart..<k])
                    inserted.append(RawSubstitution(utf16Offset: utf16, utf16Length: 0, codesBefore: 0, raw: String(UnicodeScalar(b))))
                    k += 1
                    runStart = k
                    continue
                }
                if b == 0xEF && k + 2 < end && bytes[k + 1] == 0xBF && (bytes[k + 2] == 0xBE || bytes[k + 2] == 0xBF) {
                    paragraph.append(contentsOf: bytes[runStart..<k])
                    inserted.append(RawSubstitution(utf16Offset: utf16, utf16Length: 0, codesBefore: 0, raw: String(decoding: bytes[k..<(k + 3)], as: UTF8.self)))
                    k += 3
                    runStart = k
                    continue
                }
                // One UTF-16 unit per lead byte, two for a four-byte sequence.
                if b & 0xC0 != 0x80 { utf16 += b >= 0xF0 ? 2 : 1 }
                k += 1
            }
        }
        paragraph.append(contentsOf: pending[runStart..<end])
        paragraphUTF16 = utf16
        substitutions.append(contentsOf: inserted)
    }

    private func closeParagraph() throws {
        guard paragraphOpen else { return }
        paragraphOpen = false
        // Trailing spaces and tabs go to the skeleton, unless original text is recorded after them.
        var cut = paragraph.count
        var utf16 = paragraphUTF16
        let lastRecorded = substitutions.last?.utf16Offset ?? 0
        while cut > 0, paragraph[cut - 1] == 0x20 || paragraph[cut - 1] == 0x09, utf16 - 1 >= lastRecorded {
            cut -= 1
            utf16 -= 1
        }
        if cut == 0 {
            lineBreaks.removeAll()
            firstLineIndent = []
            // Nothing XML can carry (a line of U+FFFE…): all of it is skeleton.
            skeletonPending.append(contentsOf: substitutions.flatMap { Array($0.raw.utf8) })
            skeletonPending.append(contentsOf: paragraph)
            lastTerminator.append(to: &skeletonPending)
            paragraph.removeAll()
            paragraphUTF16 = 0
            substitutions.removeAll()
            lastTerminator = .none
            return
        }
        if !lineMode { softenWrappedLineBreaks(upTo: cut) }
        if !skeletonPending.isEmpty {
            try skeleton.append(.text(string(skeletonPending[...])))
        }
        unitCounter += 1
        let id = UnitIDs.make(unitCounter)
        let text = string(paragraph[..<cut])
        try skeleton.append(.unit(UnitLayout(unitID: id, sourceUTF16Length: utf16, substitutions: substitutions)))
        // Made in place in the event (a copy of a local `Unit` retained each of its fields).
        queue.append(.unit(Unit(id: id, preserveSpace: true, parts: [.segment(Segment(source: Content(text)))])))
        // The spaces after the paragraph and its line ending wait for what comes next, in the
        // same buffer (no array per paragraph).
        skeletonPending.removeAll(keepingCapacity: true)
        skeletonPending.append(contentsOf: paragraph[cut...])
        lastTerminator.append(to: &skeletonPending)
        paragraph.removeAll(keepingCapacity: paragraph.count < 1 << 16)
        paragraphUTF16 = 0
        substitutions.removeAll()
        lastTerminator = .none
        lineBreaks.removeAll()
    }

    /// Hard-wrapped prose (`LineWrapping`, the same decision `verso segment` makes): each soft
    /// line break becomes a space for the translator, and the skeleton keeps the original line
    /// ending, so an untranslated paragraph merges back byte for byte and a translated one is
    /// written as one line.
    private func softenWrappedLineBreaks(upTo cut: Int) {
        defer { lineBreaks.removeAll(); firstLineIndent = [] }
        guard !lineBreaks.isEmpty else { return }
        let indent = firstLineIndent.filter { $0 == 0x20 || $0 == 0x09 }
        let text = String(decoding: indent + paragraph[..<cut], as: UTF8.self)
        let soft = Set(LineWrapping.softLineBreaks(in: text).map { $0.lowerBound - indent.count })
        guard !soft.isEmpty else { return }
        var added = false
        for lineBreak in lineBreaks where soft.contains(lineBreak.utf16) {
            paragraph[lineBreak.byte] = 0x20
            if !substitutions.contains(where: { $0.utf16Offset == lineBreak.utf16 && $0.utf16Length == 1 }) {
                substitutions.append(RawSubstitution(utf16Offset: lineBreak.utf16, utf16Length: 1, codesBefore: 0, raw: lineBreak.terminator.text))
                added = true
            }
        }
        if added {
            // In offset order; at one offset, text that stands for no character comes first.
            substitutions = substitutions.enumerated().sorted { a, b in
                (a.element.utf16Offset, a.element.utf16Length, a.offset) < (b.element.utf16Offset, b.element.utf16Length, b.offset)
            }.map(\.element)
        }
    }
}
