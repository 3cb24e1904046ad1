#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the column of a start tag (or of one of its attributes) in a document's text, for
/// diagnostics: libxml2 gives a node's line (the line where its start tag ends) but no column.
///
/// Requests are collected first and resolved in one pass over the lines they need, so that a
/// huge file is read once and only when there is something to report.
public struct XMLStartTagLocator {
    /// One start tag to find.
    public struct Request: Hashable, Sendable {
        /// 1-based line libxml2 reported for the element.
        public var line: Int
        /// The tag's name as written (`unit`, `mtc:match`).
        public var qualifiedName: String
        /// 0-based index among the start tags with this name reported on the same line.
        public var occurrence: Int
        /// An attribute of the tag to point at instead of the tag itself.
        public var attribute: String?
        /// `qualifiedName` is a local name that may appear with any prefix.
        public var anyPrefix: Bool

        /// Creates a request.
        public init(line: Int, qualifiedName: String, occurrence: Int, attribute: String? = nil, anyPrefix: Bool = false) {
            self.line = line
            self.qualifiedName = qualifiedName
            self.occurrence = occurrence
            self.attribute = attribute
            self.anyPrefix = anyPrefix
        }
    }

    /// How many lines before the reported one a start tag may begin (tags spanning lines).
    private static let lookBehind = 40

    /// Resolves requests against a file; returns (line, column) per request (the line may move
    /// back to where the tag begins). Requests that cannot be found are absent.
    public static func locate(_ requests: [Request], inFile path: String) -> [Request: (line: Int, column: Int)] {
        guard !requests.isEmpty, let file = fopen(path, "rb") else { return [:] }
        defer { fclose(file) }
        let needed = neededLines(requests)
        var lines: [Int: [UInt8]] = [:]
        var current: [UInt8] = []
        var number = 1
        let maxLine = needed.max() ?? 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        reading: while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            for i in 0..<n {
                let b = buffer[i]
                if b == 0x0A {
                    if needed.contains(number) { lines[number] = current }
                    current.removeAll(keepingCapacity: true)
                    number += 1
                    if number > maxLine { break reading }
                } else if needed.contains(number) {
                    current.append(b)
                }
            }
        }
        if needed.contains(number) && lines[number] == nil { lines[number] = current }
        return resolve(requests, lines: lines)
    }

    /// Resolves requests against a document held in memory.
    public static func locate(_ requests: [Request], inBytes bytes: [UInt8]) -> [Request: (line: Int, column: Int)] {
        guard !requests.isEmpty else { return [:] }
        let needed = neededLines(requests)
        var lines: [Int: [UInt8]] = [:]
        var start = 0
        var number = 1
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if needed.contains(number) { lines[number] = Array(bytes[start..<i]) }
            start = i + 1
            number += 1
        }
        if needed.contains(number) { lines[number] = Array(bytes[start...]) }
        return resolve(requests, lines: lines)
    }

    private static func neededLines(_ requests: [Request]) -> Set<Int> {
        var needed = Set<Int>()
        for r in requests where r.line > 0 {
            for l in max(1, r.line - lookBehind)...r.line { needed.insert(l) }
        }
        return needed
    }

    private static func resolve(_ requests: [Request], lines: [Int: [UInt8]]) -> [Request: (line: Int, column: Int)] {
        var out: [Request: (line: Int, column: Int)] = [:]
        for r in requests {
            guard r.line > 0, let found = findTag(r, lines: lines) else { continue }
            if let attribute = r.attribute, let a = findAttribute(attribute, after: found, lines: lines, lastLine: r.line) {
                out[r] = a
            } else {
                out[r] = found
            }
        }
        return out
    }

    /// Byte offsets of `<name` (or `<prefix:name` when `anyPrefix`) followed by a delimiter on one line.
    private static func tagStarts(_ name: [UInt8], in line: [UInt8], anyPrefix: Bool = false) -> [Int] {
        var out: [Int] = []
        guard line.count > name.count else { return out }
        var i = 0
        while i + name.count < line.count {
            if line[i] == UInt8(ascii: "<") {
                var start = i + 1
                if anyPrefix {
                    // Skip a prefix (name characters up to ':') if there is one.
                    var j = start
                    while j < line.count, !isDelimiter(line[j]), line[j] != UInt8(ascii: ":") { j += 1 }
                    if j < line.count, line[j] == UInt8(ascii: ":") { start = j + 1 }
                }
                var match = start + name.count <= line.count
                if match { for (k, c) in name.enumerated() where line[start + k] != c { match = false; break } }
                if match {
                    let after = start + name.count
                    if after >= line.count || isDelimiter(line[after]) { out.append(i) }
                }
            }
            i += 1
        }
        return out
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
    }

    private static func findTag(_ r: Request, lines: [Int: [UInt8]]) -> (line: Int, column: Int)? {
        let name = Array(r.qualifiedName.utf8)
        if let line = lines[r.line] {
            let starts = tagStarts(name, in: line, anyPrefix: r.anyPrefix)
            if r.occurrence < starts.count { return (r.line, column(line, starts[r.occurrence])) }
        }
        // The tag began on an earlier line: take the last one found before.
        var l = r.line - 1
        while l >= max(1, r.line - lookBehind) {
            if let line = lines[l], let last = tagStarts(name, in: line, anyPrefix: r.anyPrefix).last { return (l, column(line, last)) }
            l -= 1
        }
        return nil
    }

    private static func findAttribute(_ attribute: String, after tag: (line: Int, column: Int), lines: [Int: [UInt8]], lastLine: Int) -> (line: Int, column: Int)? {
        let name = Array(attribute.utf8)
        var l = tag.line
        while l <= lastLine {
            guard let line = lines[l] else { l += 1; continue }
            var i = 0
            if l == tag.line {
                // Skip to the byte after the tag's '<'.
                var col = 1
                while i < line.count && col < tag.column { if line[i] & 0xC0 != 0x80 { col += 1 }; i += 1 }
                i += 1
            }
            while i + name.count <= line.count {
                if (i == 0 || line[i - 1] == 0x20 || line[i - 1] == 0x09) && Array(line[i..<(i + name.count)]) == name {
                    var j = i + name.count
                    while j < line.count && (line[j] == 0x20 || line[j] == 0x09) { j += 1 }
                    if j < line.count && line[j] == UInt8(ascii: "=") { return (l, column(line, i)) }
                }
                if line[i] == UInt8(ascii: ">") { return nil }
                i += 1
            }
            l += 1
        }
        return nil
    }

    /// 1-based column in characters (UTF-8 continuation bytes do not count).
    private static func column(_ line: [UInt8], _ offset: Int) -> Int {
        var col = 1
        for i in 0..<offset where line[i] & 0xC0 != 0x80 { col += 1 }
        return col
    }
}
