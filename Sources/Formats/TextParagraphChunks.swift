import Diagnostics
import TranslationModel

/// Plain text handed out a piece at a time for tools that work paragraph by paragraph
/// (`verso segment`): each piece is decoded to UTF-16 and ends at a blank line (a line holding
/// only spaces, tabs or a carriage return) or at the end of the input, so a paragraph is never
/// split between two pieces and memory stays flat however long the file is (bounded by the
/// piece size plus the longest paragraph).
///
/// Input is UTF-8 (a byte-order mark is allowed and skipped), UTF-16 with a byte-order mark, or
/// the encoding given. Offsets count UTF-16 code units from the start of the decoded text (after
/// the byte-order mark). An invalid byte sequence is thrown as a `FormatsError` naming the line
/// and column where it is, only after every piece that ends before that line's paragraph.
public final class TextParagraphChunks {
    /// A run of whole paragraphs.
    public struct Chunk: Sendable {
        /// The text, in UTF-16 code units.
        public var utf16: [UInt16]
        /// Where `utf16` starts in the whole decoded text (UTF-16 code units).
        public var utf16Offset: UTF16Offset
        /// The 1-based line of the input that the chunk starts on.
        public var line: Int
    }

    /// The path errors name (`<stdin>` for standard input).
    public let displayPath: String
    /// The encoding the input is decoded from (from its byte-order mark, or as given).
    public let encoding: TextEncoding

    private let input: ChunkedInput
    private let decoder: StreamingTextDecoder
    private let chunkSize: Int
    /// Decoded UTF-8 not handed out yet.
    private var pending: [UInt8] = []
    /// `pending` holds no blank line ending before this index (a search resumes from there).
    private var searchedUpTo = 0
    private var inputDone = false
    private var failure: FormatsError?
    private var nextUTF16Offset = 0
    private var nextLine = 1

    /// Opens `path` ("-" reads standard input, named `<stdin>` unless `displayPath` says
    /// otherwise). `encoding` overrides UTF-8 when the input has no byte-order mark; pieces are
    /// cut at the first blank line ending at or past `chunkSize` bytes.
    public init(path: String, displayPath: String? = nil, encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) throws {
        let shown = displayPath ?? (path == "-" ? "<stdin>" : path)
        if path == "-" {
            input = ChunkedInput(standardInputNamed: shown)
        } else {
            input = try ChunkedInput(path: path, displayPath: shown)
        }
        self.displayPath = shown
        self.chunkSize = max(1, chunkSize)
        var head = try input.read(atLeast: 4)
        var encoding = encoding ?? .utf8
        var bomLength = 0
        if let (e, length) = TextEncoding.detectByteOrderMark(head) {
            encoding = e
            bomLength = length
            head.removeFirst(length)
        }
        guard encoding.isSupported else {
            throw FormatsError(file: shown, "unknown encoding '\(encoding.name)'")
        }
        self.encoding = encoding
        decoder = try StreamingTextDecoder(encoding: encoding, displayPath: shown, startOffset: bomLength)
        try feed(head)
    }

    /// The whole decoded text of `path` (UTF-8, BOM-marked UTF-16, or `encoding`), for tools that
    /// need all of it at once (`verso terms`, `verso align`). Errors are the same as the pieces'
    /// (`path:line:column: error: invalid UTF-8 byte sequence at byte offset N; …`), so every
    /// command reports bad input in the same words.
    public static func text(path: String, displayPath: String? = nil, encoding: TextEncoding? = nil) throws -> String {
        let source = try TextParagraphChunks(path: path, displayPath: displayPath, encoding: encoding)
        var utf16: [UInt16] = []
        while let chunk = try source.next() {
            if utf16.isEmpty { utf16 = chunk.utf16 } else { utf16.append(contentsOf: chunk.utf16) }
        }
        return String(decoding: utf16, as: UTF16.self)
    }

    /// The next piece, or nil at the end of the input. Throws the decoding error, if any, once
    /// the paragraphs before it have been handed out.
    public func next() throws -> Chunk? {
        while true {
            if let end = failure != nil ? lastBlankLineEnd() : firstBlankLineEndPastChunkSize() {
                return take(end)
            }
            if let failure {
                // The paragraph holding the bad bytes is dropped: it cannot be decoded whole.
                pending = []
                self.failure = nil
                inputDone = true
                throw failure
            }
            if inputDone {
                guard !pending.isEmpty else { return nil }
                return take(pending.count)
            }
            let bytes = try input.read()
            if bytes.isEmpty {
                inputDone = true
                do {
                    pending.append(contentsOf: try decoder.finish())
                } catch let error as FormatsError {
                    fail(error)
                }
            } else {
                try feed(bytes)
            }
        }
    }

    private func feed(_ bytes: [UInt8]) throws {
        do {
            pending.append(contentsOf: try decoder.decode(bytes))
        } catch let error as FormatsError {
            fail(error)
        }
    }

    /// Keeps what was decoded before the bad sequence, and the error (the decoder locates it).
    private func fail(_ error: FormatsError) {
        pending.append(contentsOf: decoder.decodedBeforeFailure)
        failure = error
    }

    /// Hands out `pending[..<end]`.
    private func take(_ end: Int) -> Chunk {
        let utf16 = Self.utf16(fromValidUTF8: pending[..<end])
        let chunk = Chunk(utf16: utf16, utf16Offset: nextUTF16Offset, line: nextLine)
        nextUTF16Offset += utf16.count
        for b in pending[..<end] where b == 0x0A { nextLine += 1 }
        pending.removeFirst(end)
        searchedUpTo = 0
        return chunk
    }

    /// True when `pending[i]` is a line feed that ends a blank line: the line before it holds only
    /// spaces, tabs or carriage returns and follows another line feed.
    private func endsBlankLine(_ i: Int) -> Bool {
        guard pending[i] == 0x0A else { return false }
        var j = i - 1
        while j >= 0 && (pending[j] == 0x20 || pending[j] == 0x09 || pending[j] == 0x0D) { j -= 1 }
        return j >= 0 && pending[j] == 0x0A
    }

    /// The end (after its line feed) of the first blank line ending at or past `chunkSize` bytes.
    private func firstBlankLineEndPastChunkSize() -> Int? {
        var i = max(searchedUpTo, chunkSize - 1)
        defer { searchedUpTo = max(searchedUpTo, i) }
        while i < pending.count {
            if endsBlankLine(i) { return i + 1 }
            i += 1
        }
        return nil
    }

    /// The end of the last blank line in `pending`, or nil.
    private func lastBlankLineEnd() -> Int? {
        var i = pending.count - 1
        while i > 0 {
            if endsBlankLine(i) { return i + 1 }
            i -= 1
        }
        return nil
    }

    /// UTF-16 code units of bytes already checked to be well-formed UTF-8.
    static func utf16(fromValidUTF8 bytes: ArraySlice<UInt8>) -> [UInt16] {
        // At most one UTF-16 unit per byte: write through a pointer into a buffer of that size.
        [UInt16](unsafeUninitializedCapacity: bytes.count) { out, written in
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                var k = 0
                let n = b.count
                while i < n {
                    let c0 = b[i]
                    if c0 < 0x80 {
                        out[k] = UInt16(c0)
                        k += 1
                        i += 1
                    } else if c0 < 0xE0 {
                        out[k] = UInt16(c0 & 0x1F) << 6 | UInt16(b[i + 1] & 0x3F)
                        k += 1
                        i += 2
                    } else if c0 < 0xF0 {
                        out[k] = UInt16(c0 & 0x0F) << 12 | UInt16(b[i + 1] & 0x3F) << 6 | UInt16(b[i + 2] & 0x3F)
                        k += 1
                        i += 3
                    } else {
                        let scalar = UInt32(c0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                        let v = scalar - 0x10000
                        out[k] = UInt16(0xD800 + (v >> 10))
                        out[k + 1] = UInt16(0xDC00 + (v & 0x3FF))
                        k += 2
                        i += 4
                    }
                }
                written = k
            }
        }
    }
}
