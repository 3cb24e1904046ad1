import Diagnostics
import FileAccess
import Foundation

/// Reads a plain-text input as CLI.md's input policy says: UTF-8 (BOM allowed) or UTF-16 with
/// a BOM; invalid UTF-8 is an error naming the byte offset and line.
enum TextInput {
    static func read(_ path: String) throws -> String {
        let bytes = try InputFile.readBytes(path)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let s = String(validating: body, as: UTF8.self) { return s }
        // Find the first invalid byte for the message.
        var iterator = body.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += String(s).utf8.count
                if s == "\n" { line += 1 }
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        let shift = bytes.count - body.count
        throw TextInputError(location: SourceLocation(file: path, line: line), message: "invalid UTF-8 at byte offset \(offset + shift); convert the file to UTF-8")
    }
}

/// A text input that is not valid in its encoding.
struct TextInputError: LocatedError {
    var location: SourceLocation
    var message: String
}

/// Converts UTF-16 offsets of a text into 1-based lines and columns (columns count characters
/// as Unicode scalars), for `path:line:column` output.
struct LineIndex {
    private var lineStarts: [Int] = [0] // UTF-16 offsets
    private let units: [UInt16]

    init(_ text: String) {
        units = Array(text.utf16)
        for (i, u) in units.enumerated() where u == 0x0A { lineStarts.append(i + 1) }
    }

    func position(ofUTF16Offset offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < offset {
            if !(units[i] >= 0xDC00 && units[i] < 0xE000) { column += 1 }
            i += 1
        }
        return (lo + 1, column)
    }
}
