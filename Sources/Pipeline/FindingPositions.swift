import Diagnostics
import Formats
import Synchronization

/// Findings about a place inside a unit (a deprecated term), whose line and column in the input
/// are found after the run, only when there are some: while streaming, a unit does not know
/// where it came from, and keeping that for every unit would cost memory on huge inputs.
public final class PendingPositions: Sendable {
    /// One finding to place.
    public struct Request: Sendable {
        /// The finding, located at the file only.
        public var finding: Finding
        /// The unit it is about (the fallback: "in unit u3").
        public var unitID: String
        /// The text found, as the source spells it (searched for in the input, in order).
        public var text: String
    }

    private let storage = Mutex<[Request]>([])

    /// Creates an empty list.
    public init() {}

    /// Adds a finding about `text` in unit `unitID`; requests are resolved in the order added,
    /// which is the order of the document.
    public func add(_ finding: Finding, unit unitID: String, text: String) {
        storage.withLock { $0.append(Request(finding: finding, unitID: unitID, text: text)) }
    }

    /// The requests, in order.
    public var requests: [Request] { storage.withLock { $0 } }
}

/// Places pending findings in their input: `path:line:column`.
enum FindingPositions {
    /// Text and HTML: each finding's text is looked for in the decoded input, after the place of
    /// the one before (findings come in document order); one that cannot be found keeps
    /// "in unit ID" instead. The input is read again, a paragraph run at a time.
    static func locateInDocument(_ requests: [PendingPositions.Request], path: String, encoding: TextEncoding?) -> [Finding] {
        guard !requests.isEmpty else { return [] }
        var located: [Finding] = []
        var index = 0
        if let chunks = try? TextParagraphChunks(path: path, encoding: encoding) {
            var searchFrom = 0
            while index < requests.count, let chunk = try? chunks.next() {
                let units = chunk.utf16
                searchFrom = 0
                // A chunk starts a line; positions advance from there to each match.
                var position = 0
                var line = chunk.line, column = 1
                while index < requests.count {
                    let needle = Array(requests[index].text.utf16)
                    guard let found = firstIndex(of: needle, in: units, from: searchFrom) else { break }
                    while position < found {
                        if units[position] == 0x0A { line += 1; column = 1 }
                        else if !(units[position] >= 0xDC00 && units[position] < 0xE000) && units[position] != 0x0D { column += 1 }
                        position += 1
                    }
                    var f = requests[index].finding
                    f.location = SourceLocation(file: f.location?.file ?? path, line: line, column: column)
                    located.append(f)
                    searchFrom = found + needle.count
                    index += 1
                }
            }
        }
        return located + requests[index...].map(unitFallback)
    }

    /// XLIFF: the line and column of each finding's unit (`<trans-unit id="…">`, `<unit id="…">`).
    static func locateInXLIFF(_ requests: [PendingPositions.Request], path: String) -> [Finding] {
        guard !requests.isEmpty else { return [] }
        var lines: [String: (line: Int, column: Int)] = [:]
        let wanted = Set(requests.map(\.unitID))
        if let chunks = try? TextParagraphChunks(path: path) {
            while lines.count < wanted.count, let chunk = try? chunks.next() {
                let text = String(decoding: chunk.utf16, as: UTF16.self)
                var line = chunk.line
                for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    defer { line += 1 }
                    guard row.contains("unit") else { continue }
                    for id in unitIDs(in: row) where wanted.contains(id.id) && lines[id.id] == nil {
                        lines[id.id] = (line, id.column)
                    }
                }
            }
        }
        return requests.map { r in
            guard let place = lines[r.unitID] else { return unitFallback(r) }
            var f = r.finding
            f.location = SourceLocation(file: f.location?.file ?? path, line: place.line, column: place.column)
            f.message += " in unit \(r.unitID)"
            return f
        }
    }

    /// The finding without a position: it names its unit.
    static func unitFallback(_ r: PendingPositions.Request) -> Finding {
        var f = r.finding
        f.message += " in unit \(r.unitID)"
        return f
    }

    /// `id` values of `<trans-unit` / `<unit` start tags (any prefix) on one line, with the
    /// 1-based column of the tag's `<`.
    private static func unitIDs(in row: Substring) -> [(id: String, column: Int)] {
        var out: [(String, Int)] = []
        var rest = row[...]
        while let open = rest.firstIndex(of: "<") {
            let tagStart = open
            var nameEnd = rest.index(after: open)
            while nameEnd < rest.endIndex, !" \t\r/>".contains(rest[nameEnd]) { nameEnd = rest.index(after: nameEnd) }
            let name = rest[rest.index(after: open)..<nameEnd]
            let local = name.split(separator: ":").last.map(String.init) ?? ""
            let tagEnd = rest[nameEnd...].firstIndex(of: ">") ?? rest.endIndex
            if local == "trans-unit" || local == "unit" {
                let tag = rest[nameEnd..<tagEnd]
                if let id = attribute("id", in: tag) {
                    out.append((id, row.unicodeScalars.distance(from: row.startIndex, to: tagStart) + 1))
                }
            }
            rest = rest[(tagEnd < rest.endIndex ? rest.index(after: tagEnd) : rest.endIndex)...]
        }
        return out
    }

    private static func attribute(_ name: String, in tag: Substring) -> String? {
        var search = tag[...]
        while let r = search.range(of: name) {
            let before = r.lowerBound == tag.startIndex ? " " : tag[tag.index(before: r.lowerBound)]
            var i = r.upperBound
            while i < tag.endIndex, tag[i] == " " { i = tag.index(after: i) }
            if (before == " " || before == "\t"), i < tag.endIndex, tag[i] == "=" {
                i = tag.index(after: i)
                while i < tag.endIndex, tag[i] == " " { i = tag.index(after: i) }
                guard i < tag.endIndex, tag[i] == "\"" || tag[i] == "'" else { return nil }
                let quote = tag[i]
                let valueStart = tag.index(after: i)
                guard let valueEnd = tag[valueStart...].firstIndex(of: quote) else { return nil }
                return String(tag[valueStart..<valueEnd])
            }
            search = tag[r.upperBound...]
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt16], in haystack: [UInt16], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
