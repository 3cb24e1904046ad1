#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import FileAccess
import Foundation

/// Reads RFC 4180 records (quoted fields, `""` inside quotes, line breaks inside quotes, CRLF
/// or LF) from a file in fixed-size chunks, so memory stays flat for a million-row glossary.
///
/// Written here rather than taken from a package: the mirror's CSV readers either load the
/// whole file into one `String` (SwiftCSV) or decode one character at a time without
/// reporting where a record is malformed (CSV.swift); a termbase import must say
/// `file:line:column` for an unterminated quote, and must be fast on 60 MB inputs.
struct CSVRecordReader {
    /// A record and where it starts.
    struct Record {
        var fields: [String]
        /// 1-based line of the record's first character.
        var line: Int
    }

    let displayPath: String
    /// The field separator (`,`, `;` or TAB).
    private(set) var delimiter: UInt8
    private let fd: Int32
    private var chunk: [UInt8] = []
    private var pos = 0
    private var eof = false
    private var line = 1
    private var column = 1
    private var fieldBytes: [UInt8] = []
    private var started = false
    /// Bytes asked of each read: 1 MB, or the file's size (and one byte, to see its end) when
    /// smaller. A glossary of a few kilobytes, read by every run, then never clears a megabyte.
    private var readSize = 1 << 20

    /// Opens `path`. `delimiter` nil: TAB for `.tsv`/`.tab`, else guessed from the first line.
    init(path: String, displayPath: String, delimiter: UInt8? = nil) throws {
        try InputFile.checkReadable(path)
        self.displayPath = displayPath
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: displayPath, InputFile.describe(errno: errno)) }
        self.delimiter = 0x2C
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < readSize {
            readSize = Int(info.st_size) + 1
        }
        try fill()
        // Byte order marks: UTF-8 is skipped; UTF-16 is refused with a clear message.
        if chunk.count >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF { pos = 3 }
        else if chunk.count >= 2 && ((chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF)) {
            close(fd)
            throw TermbaseError("UTF-16 text is not supported for CSV glossaries; save the file as UTF-8", file: displayPath, line: 1, column: 1)
        }
        if let delimiter {
            self.delimiter = delimiter
        } else {
            let ext = (path as NSString).pathExtension.lowercased()
            self.delimiter = (ext == "tsv" || ext == "tab") ? 0x09 : guessDelimiter()
        }
    }

    /// Closes the file (also done when the reader is dropped by its owner).
    func closeFile() { close(fd) }

    private func guessDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        var i = pos
        while i < chunk.count {
            let b = chunk[i]
            if b == 0x22 { inQuotes.toggle() }
            else if !inQuotes && (b == 0x0A || b == 0x0D) { break }
            else if !inQuotes, counts[b] != nil { counts[b]! += 1 }
            i += 1
        }
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!
        return best.value > 0 ? best.key : 0x2C
    }

    private mutating func fill() throws {
        if pos > 0 {
            chunk.removeFirst(pos)
            pos = 0
        }
        let size = readSize
        let old = chunk.count
        chunk.reserveCapacity(old + size)
        var got = 0
        chunk.append(contentsOf: repeatElement(0, count: size))
        got = chunk.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress! + old, size) }
        if got < 0 {
            chunk.removeLast(size)
            throw FileAccessError(path: displayPath, "read failed: \(InputFile.describe(errno: errno))")
        }
        chunk.removeLast(size - got)
        if got == 0 { eof = true }
    }

    @inline(__always) private mutating func peek() throws -> UInt8? {
        if pos >= chunk.count {
            if eof { return nil }
            try fill()
            if pos >= chunk.count { return nil }
        }
        return chunk[pos]
    }

    @inline(__always) private mutating func advance(_ b: UInt8) {
        pos += 1
        if b == 0x0A { line += 1; column = 1 }
        else if b & 0xC0 != 0x80 { column += 1 } // count characters, not UTF-8 continuation bytes
    }

    private func string(_ bytes: [UInt8], line: Int) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw TermbaseError("invalid UTF-8 in a field; the file must be UTF-8", file: displayPath, line: line)
        }
        return s
    }

    /// The next record, or nil at the end of the file.
    mutating func next() throws -> Record? {
        guard try peek() != nil else { return nil }
        var fields: [String] = []
        let recordLine = line
        fieldBytes.removeAll(keepingCapacity: true)
        var fieldLine = line
        while true {
            guard let b = try peek() else {
                fields.append(try string(fieldBytes, line: fieldLine))
                return Record(fields: fields, line: recordLine)
            }
            if b == 0x22 && fieldBytes.isEmpty {
                // Quoted field.
                let quoteLine = line, quoteColumn = column
                advance(b)
                while true {
                    guard let q = try peek() else {
                        throw TermbaseError("unterminated quoted field (the quote opened here is never closed)", file: displayPath, line: quoteLine, column: quoteColumn)
                    }
                    advance(q)
                    if q == 0x22 {
                        if try peek() == 0x22 {
                            advance(0x22)
                            fieldBytes.append(0x22)
                        } else {
                            break
                        }
                    } else {
                        fieldBytes.append(q)
                    }
                }
                if let after = try peek(), after != delimiter, after != 0x0A, after != 0x0D {
                    throw TermbaseError("unexpected character after a closing quote; a quote inside a quoted field is written \"\"", file: displayPath, line: line, column: column)
                }
                continue
            }
            advance(b)
            if b == delimiter {
                fields.append(try string(fieldBytes, line: fieldLine))
                fieldBytes.removeAll(keepingCapacity: true)
                fieldLine = line
            } else if b == 0x0A {
                fields.append(try string(fieldBytes, line: fieldLine))
                return Record(fields: fields, line: recordLine)
            } else if b == 0x0D {
                if try peek() == 0x0A { advance(0x0A) }
                else { line += 1; column = 1 } // a lone CR ends a line too
                fields.append(try string(fieldBytes, line: fieldLine))
                return Record(fields: fields, line: recordLine)
            } else {
                fieldBytes.append(b)
            }
        }
    }
}
