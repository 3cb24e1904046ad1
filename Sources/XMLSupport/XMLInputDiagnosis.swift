#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// Rewords the libxml2 errors that say the wrong thing about a whole input, so every reader built
/// on `XMLStreamReader` (XLIFF, TMX, TBX, SRX…) tells the user what is really wrong:
///
/// - an empty file (or only white space): libxml2's reader says "Extra content at the end of the
///   document" at 1:1 (or "Document is empty") → `the file is empty`, with no position;
/// - a file that is not XML at all (a text file, a PDF, a zip): "Document is empty" at 1:1 →
///   `not XML: the file starts with "Hello world." (first bytes 48 65 6C …)`;
/// - a file cut off before its root element is closed: the reader says "Extra content at the end
///   of the document" where xmllint says "Premature end of data" → `the file ends before the root
///   element <xliff> is closed (truncated?)`, at libxml2's line and column.
///
/// Everything else is left as libxml2 said it. Only the error path reads the input again.
enum XMLInputDiagnosis {
    /// libxml2's `XML_ERR_DOCUMENT_EMPTY` and `XML_ERR_DOCUMENT_END`.
    static let documentEmpty = 4
    static let documentEnd = 5

    /// How the diagnosis sees the input.
    struct Input {
        /// Up to `count` bytes from `offset`; fewer at the end, empty past it.
        var read: (_ offset: Int, _ count: Int) -> [UInt8]
    }

    /// The error to report instead of `error`, or `error` itself.
    static func refine(_ error: XMLError, input: Input) -> XMLError {
        guard error.code == documentEmpty || error.code == documentEnd else { return error }
        let head = input.read(0, 4096)
        let content = significantStart(head)
        if content == nil, head.count < 4096 || allWhitespace(input, from: head.count) {
            return XMLError(location: SourceLocation(file: error.location.file), message: "the file is empty", code: error.code)
        }
        if let start = content, head[start] != UInt8(ascii: "<") {
            return XMLError(location: SourceLocation(file: error.location.file), message: "not XML: the file starts with \(preview(head, from: start)) (first bytes \(hex(head))), not with '<'", code: error.code)
        }
        if error.code == documentEnd, let line = error.location.line, endsBefore(input, line: line, column: error.location.column ?? 1) {
            let root = rootName(head).map { "the root element <\($0)>" } ?? "the root element"
            return XMLError(location: error.location, message: "the file ends before \(root) is closed (truncated?)", code: error.code)
        }
        return error
    }

    /// Index of the first byte that is not white space, a byte-order mark, the XML declaration,
    /// a comment or a processing instruction — where content must start with `<`; nil when there
    /// is none in `head`.
    static func significantStart(_ head: [UInt8]) -> Int? {
        var i = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < head.count {
            let b = head[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
            return i
        }
        return nil
    }

    /// The name of the first element's start tag, skipping declarations, comments and PIs.
    static func rootName(_ head: [UInt8]) -> String? {
        var i = 0
        while i + 1 < head.count {
            guard head[i] == UInt8(ascii: "<") else { i += 1; continue }
            let next = head[i + 1]
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") { i += 2; continue }
            var j = i + 1
            while j < head.count, !(head[j] == 0x20 || head[j] == 0x09 || head[j] == 0x0A || head[j] == 0x0D || head[j] == UInt8(ascii: ">") || head[j] == UInt8(ascii: "/")) { j += 1 }
            guard j > i + 1 else { return nil }
            return String(decoding: head[(i + 1)..<j], as: UTF8.self)
        }
        return nil
    }

    /// True when nothing but white space follows position (`line`, `column`): libxml2 reported
    /// the error at the very end of the input, so the document was cut off rather than followed by
    /// extra content.
    static func endsBefore(_ input: Input, line: Int, column: Int) -> Bool {
        var currentLine = 1, currentColumn = 1
        var offset = 0
        while true {
            let chunk = input.read(offset, 1 << 16)
            if chunk.isEmpty { return true }
            for b in chunk {
                let atOrAfter = currentLine > line || (currentLine == line && currentColumn >= column)
                if atOrAfter, !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { return false }
                if b == 0x0A { currentLine += 1; currentColumn = 1 } else if b & 0xC0 != 0x80 { currentColumn += 1 }
            }
            offset += chunk.count
        }
    }

    private static func allWhitespace(_ input: Input, from offset: Int) -> Bool {
        var offset = offset
        while true {
            let chunk = input.read(offset, 1 << 16)
            if chunk.isEmpty { return true }
            if chunk.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) { return false }
            offset += chunk.count
        }
    }

    /// The start of the text, quoted, control characters shown as `\n`, `\u{…}`.
    private static func preview(_ head: [UInt8], from start: Int) -> String {
        let text = String(decoding: head[start..<min(head.count, start + 120)], as: UTF8.self)
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 30 { out += "…"; break }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}" { out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(scalar) }
            }
            count += 1
        }
        return "\"\(out)\""
    }

    private static func hex(_ head: [UInt8]) -> String {
        let shown = head.prefix(8).map { b -> String in
            let h = String(b, radix: 16, uppercase: true)
            return h.count == 1 ? "0" + h : h
        }.joined(separator: " ")
        return head.count > 8 ? shown + " …" : shown
    }
}

extension XMLInputDiagnosis.Input {
    /// An open file descriptor, read with `pread` (the reader's own position is left alone).
    static func fileDescriptor(_ fd: Int32) -> Self {
        Self { offset, count in
            var buffer = [UInt8](repeating: 0, count: count)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return n > 0 ? Array(buffer.prefix(n)) : []
        }
    }

    /// Bytes in memory.
    static func bytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Self {
        Self { offset, count in
            guard offset < bytes.count else { return [] }
            return Array(bytes[offset..<min(bytes.count, offset + count)])
        }
    }
}
