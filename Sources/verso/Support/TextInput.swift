#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import FileAccess
import Foundation

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

/// Buffered writing to stdout (one `fwrite` per 64 KiB), for commands that print a lot.
final class StandardOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    deinit { flush() }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends UTF-16 text as UTF-8; with `oneLine`, every run of whitespace holding a line break
    /// becomes one space, so that the text fits on one line.
    func write(utf16 text: UnsafeBufferPointer<UInt16>, range: Range<Int>, oneLine: Bool) {
        // Work on a local array: appending to a stored property byte by byte would pay an
        // exclusivity check per byte.
        var out: [UInt8] = []
        swap(&out, &buffer)
        defer {
            swap(&out, &buffer)
            if buffer.count >= 1 << 16 { flush() }
        }
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let u = text[i]
            if u < 0x80 {
                if oneLine && (u == 0x0A || u == 0x0D) {
                    // A line break (and the spaces around it) becomes one space.
                    while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                    while i < end && TextWhitespaceASCII.isSpaceOrBreak(text[i]) { i += 1 }
                    out.append(0x20)
                    continue
                }
                out.append(UInt8(u))
            } else if oneLine && (u == 0x2028 || u == 0x2029 || u == 0x85) {
                while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                while i < end && TextWhitespaceASCII.isSpaceOrBreak(text[i]) { i += 1 }
                out.append(0x20)
                continue
            } else if u < 0x800 {
                out.append(UInt8(0xC0 | (u >> 6)))
                out.append(UInt8(0x80 | (u & 0x3F)))
            } else if u >= 0xD800 && u <= 0xDBFF && i + 1 < end && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF {
                let scalar = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(text[i + 1]) - 0xDC00)
                out.append(UInt8(0xF0 | (scalar >> 18)))
                out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
                i += 1
            } else if u >= 0xD800 && u <= 0xDFFF {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD]) // lone surrogate
            } else {
                out.append(UInt8(0xE0 | (u >> 12)))
                out.append(UInt8(0x80 | ((u >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (u & 0x3F)))
            }
            i += 1
        }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = writeToStandardOutput(raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `write(2)` on stdout (a free function: inside `StandardOutput`, `write` names its methods).
private func writeToStandardOutput(_ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(1, pointer, count)
}

private enum TextWhitespaceASCII {
    @inline(__always)
    static func isSpaceOrBreak(_ u: UInt16) -> Bool {
        u == 0x20 || u == 0x09 || u == 0x0A || u == 0x0D || u == 0x0B || u == 0x0C || u == 0x2028 || u == 0x2029 || u == 0x85
    }
}
