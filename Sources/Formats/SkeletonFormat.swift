import Foundation
import Diagnostics
import TranslationModel

/// What a merge needs to know about the original document as a whole.
public struct SkeletonHeader: Sendable, Hashable {
    /// The original document's format.
    public var format: SourceFormat
    /// Its character encoding.
    public var encoding: TextEncoding
    /// Whether it started with a byte-order mark.
    public var hasByteOrderMark: Bool
    /// The line ending translated text gets for `\n` (the first line ending of the original).
    public var newline: String
    /// Characters the original wrote as references more often than literally (`U+00A0` → `&nbsp;`),
    /// so that translated text is written the same way (HTML only).
    public var preferredReferences: [Unicode.Scalar: String]

    /// Creates a header.
    public init(format: SourceFormat, encoding: TextEncoding = .utf8, hasByteOrderMark: Bool = false, newline: String = "\n", preferredReferences: [Unicode.Scalar: String] = [:]) {
        self.format = format
        self.encoding = encoding
        self.hasByteOrderMark = hasByteOrderMark
        self.newline = newline
        self.preferredReferences = preferredReferences
    }
}

/// One step of the skeleton, in document order.
public enum SkeletonEntry: Sendable, Hashable {
    /// Original text written as is (markup, blank lines, anything not translated).
    case text(String)
    /// The translation of a unit goes here.
    case unit(UnitLayout)
    /// A unit whose translation goes inside an inline code of another unit (an `alt` attribute
    /// of an `<img>` in a paragraph); listed before that unit.
    case nestedUnit(UnitLayout)
    /// Consecutive units written as they are, each separated from the next by the same text
    /// (the paragraphs of a plain-text file): keeps the skeleton of a big file small.
    case unitRun(UnitRun)
}

/// Units `<prefix><first>` … `<prefix><first + count - 1>`, in order, with `separator` between
/// each and the next, and no original spelling to restore.
public struct UnitRun: Sendable, Hashable {
    /// The id prefix (`u`).
    public var prefix: String
    /// The number of the first unit.
    public var first: Int
    /// How many units.
    public var count: Int
    /// The text between two units of the run.
    public var separator: String

    /// Creates a run.
    public init(prefix: String, first: Int, count: Int, separator: String) {
        self.prefix = prefix
        self.first = first
        self.count = count
        self.separator = separator
    }

    /// The unit ids, in order.
    public var unitIDs: [String] { (first..<(first + count)).map { "\(prefix)\($0)" } }
}

/// How the original wrote a unit's source text, where that differs from what the merge would
/// write for the same text: the difference is what makes an untranslated unit come back exactly.
public struct UnitLayout: Sendable, Hashable {
    /// The unit's id in the XLIFF.
    public var unitID: String
    /// For an attribute value: the quote around it (`"`, `'`, or "" when unquoted); nil for content.
    public var attributeQuote: String?
    /// Length of the unit's source plain text in UTF-16 code units, to detect a source changed on the way.
    public var sourceUTF16Length: Int
    /// Original spellings that differ from the default one, by position in the source plain text.
    public var substitutions: [RawSubstitution]
    /// Units translated inside this unit's inline codes.
    public var nestedUnits: [NestedUnitPlacement]

    /// Creates a layout.
    public init(unitID: String, attributeQuote: String? = nil, sourceUTF16Length: Int = 0, substitutions: [RawSubstitution] = [], nestedUnits: [NestedUnitPlacement] = []) {
        self.unitID = unitID
        self.attributeQuote = attributeQuote
        self.sourceUTF16Length = sourceUTF16Length
        self.substitutions = substitutions
        self.nestedUnits = nestedUnits
    }
}

/// "At this place of the source plain text, the original had this text": an entity for a
/// character (`&eacute;` for é), a line ending other than the file's usual one, a run of
/// whitespace the reader collapsed to one space, or bytes the parser dropped (length 0).
public struct RawSubstitution: Sendable, Hashable {
    /// Start in the unit's source plain text (UTF-16).
    public var utf16Offset: UTF16Offset
    /// Length replaced (UTF-16); 0 for original text that stands for no character at all.
    public var utf16Length: Int
    /// Number of inline codes before this place in the unit's source (orders a zero-length
    /// substitution relative to codes at the same offset).
    public var codesBefore: Int
    /// The original text.
    public var raw: String

    /// Creates a substitution.
    public init(utf16Offset: Int, utf16Length: Int, codesBefore: Int, raw: String) {
        self.utf16Offset = utf16Offset
        self.utf16Length = utf16Length
        self.codesBefore = codesBefore
        self.raw = raw
    }
}

/// Where a nested unit's translation goes inside an inline code's original data.
public struct NestedUnitPlacement: Sendable, Hashable {
    /// The inline code's id in the unit.
    public var codeID: String
    /// Start of the replaced range in the code's original data (UTF-16).
    public var utf16Start: Int
    /// End of the replaced range (UTF-16).
    public var utf16End: Int
    /// The unit whose translation replaces the range.
    public var unitID: String

    /// Creates a placement.
    public init(codeID: String, utf16Start: Int, utf16End: Int, unitID: String) {
        self.codeID = codeID
        self.utf16Start = utf16Start
        self.utf16End = utf16End
        self.unitID = unitID
    }
}

/// A whole skeleton: the header and the entries.
public struct SkeletonDocument: Sendable, Hashable {
    /// The header.
    public var header: SkeletonHeader
    /// The entries, in document order.
    public var entries: [SkeletonEntry]

    /// Creates a skeleton.
    public init(header: SkeletonHeader, entries: [SkeletonEntry]) {
        self.header = header
        self.entries = entries
    }
}

/// The skeleton's text form: JSON Lines (one JSON value per line), first the header, then one
/// line per entry. Only printable characters appear (everything else is a JSON escape), so the
/// text can travel inside XLIFF 1.2 `<internal-file>` and XLIFF 2 `<skeleton>` as plain
/// character data. See docs/prepare-merge.md.
public enum SkeletonFormat {
    /// `<internal-file form="…">` value that marks a Verso skeleton.
    public static let form = "application/x-verso-skeleton+jsonl"
    /// The format version written in the header.
    public static let version = 1

    /// The header line (without the line break).
    public static func line(for header: SkeletonHeader) -> String {
        var out = "{\"skeleton\":\"verso\",\"version\":\(version),\"format\":"
        out += quote(header.format.rawValue)
        out += ",\"encoding\":" + quote(header.encoding.name)
        out += ",\"bom\":" + (header.hasByteOrderMark ? "true" : "false")
        out += ",\"newline\":" + quote(header.newline)
        if !header.preferredReferences.isEmpty {
            let pairs = header.preferredReferences.sorted { $0.key.value < $1.key.value }
                .map { quote(String($0.key)) + ":" + quote($0.value) }
            out += ",\"references\":{" + pairs.joined(separator: ",") + "}"
        }
        return out + "}"
    }

    /// An entry's line (without the line break).
    public static func line(for entry: SkeletonEntry) -> String {
        switch entry {
        case .text(let t): return "{\"t\":" + quote(t) + "}"
        case .unit(let layout): return layoutLine(key: "u", layout)
        case .nestedUnit(let layout): return layoutLine(key: "n", layout)
        case .unitRun(let r): return "{\"r\":" + quote(r.prefix) + ",\"from\":\(r.first),\"count\":\(r.count),\"sep\":" + quote(r.separator) + "}"
        }
    }

    private static func layoutLine(key: String, _ l: UnitLayout) -> String {
        var out = "{\"\(key)\":" + quote(l.unitID) + ",\"len\":\(l.sourceUTF16Length)"
        if let q = l.attributeQuote { out += ",\"q\":" + quote(q) }
        if !l.substitutions.isEmpty {
            out += ",\"sub\":[" + l.substitutions.map { "[\($0.utf16Offset),\($0.utf16Length),\($0.codesBefore)," + quote($0.raw) + "]" }.joined(separator: ",") + "]"
        }
        if !l.nestedUnits.isEmpty {
            out += ",\"in\":[" + l.nestedUnits.map { "[" + quote($0.codeID) + ",\($0.utf16Start),\($0.utf16End)," + quote($0.unitID) + "]" }.joined(separator: ",") + "]"
        }
        return out + "}"
    }

    /// The whole skeleton text.
    public static func text(for skeleton: SkeletonDocument) -> String {
        var out = line(for: skeleton.header) + "\n"
        for e in skeleton.entries { out += line(for: e) + "\n" }
        return out
    }

    /// A JSON string literal that contains only characters XML 1.0 allows and no raw line breaks.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                // U+FEFF too: Foundation's JSON parser drops it where a string (or the text after
                // an escape) starts, taking it for a byte-order mark (fuzzing found it).
                if v < 0x20 || v == 0x7F || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF || v == 0x2028 || v == 0x2029 {
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Parses a skeleton's text. `location` names the XLIFF it came from in errors.
    public static func parse(_ text: String, location: SourceLocation) throws -> SkeletonDocument {
        var header: SkeletonHeader?
        var entries: [SkeletonEntry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            func fail(_ message: String) -> FormatsError {
                FormatsError(location: location, message: "skeleton line \(lineNumber): \(message)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as? [String: Any] else {
                throw fail("not a JSON object")
            }
            if header == nil {
                guard object["skeleton"] as? String == "verso" else { throw fail("not a Verso skeleton") }
                guard let v = object["version"] as? Int, v <= version else { throw fail("skeleton version \(object["version"] ?? "?") is newer than this Verso understands") }
                guard let f = (object["format"] as? String).flatMap(SourceFormat.init(rawValue:)) else { throw fail("unknown source format \(object["format"] ?? "?")") }
                var refs: [Unicode.Scalar: String] = [:]
                for (k, v) in (object["references"] as? [String: String]) ?? [:] {
                    if let s = k.unicodeScalars.first, k.unicodeScalars.count == 1 { refs[s] = v }
                }
                header = SkeletonHeader(
                    format: f,
                    encoding: TextEncoding((object["encoding"] as? String) ?? "UTF-8"),
                    hasByteOrderMark: (object["bom"] as? Bool) ?? false,
                    newline: (object["newline"] as? String) ?? "\n",
                    preferredReferences: refs
                )
                continue
            }
            if let t = object["t"] as? String {
                entries.append(.text(t))
            } else if let id = object["u"] as? String {
                entries.append(.unit(try layout(id, object, fail)))
            } else if let id = object["n"] as? String {
                entries.append(.nestedUnit(try layout(id, object, fail)))
            } else if let prefix = object["r"] as? String {
                guard let from = object["from"] as? Int, let count = object["count"] as? Int, count >= 0, let sep = object["sep"] as? String else {
                    throw fail("malformed unit run")
                }
                entries.append(.unitRun(UnitRun(prefix: prefix, first: from, count: count, separator: sep)))
            } else {
                throw fail("unknown entry")
            }
        }
        guard let header else { throw FormatsError(location: location, message: "the skeleton is empty") }
        return SkeletonDocument(header: header, entries: entries)
    }

    private static func layout(_ id: String, _ o: [String: Any], _ fail: (String) -> FormatsError) throws -> UnitLayout {
        var l = UnitLayout(unitID: id, attributeQuote: o["q"] as? String, sourceUTF16Length: (o["len"] as? Int) ?? 0)
        for item in (o["sub"] as? [[Any]]) ?? [] {
            guard item.count == 4, let off = item[0] as? Int, let len = item[1] as? Int, let codes = item[2] as? Int, let raw = item[3] as? String else {
                throw fail("malformed substitution in unit \(id)")
            }
            l.substitutions.append(RawSubstitution(utf16Offset: off, utf16Length: len, codesBefore: codes, raw: raw))
        }
        for item in (o["in"] as? [[Any]]) ?? [] {
            guard item.count == 4, let code = item[0] as? String, let s = item[1] as? Int, let e = item[2] as? Int, let unit = item[3] as? String else {
                throw fail("malformed nested unit in unit \(id)")
            }
            l.nestedUnits.append(NestedUnitPlacement(codeID: code, utf16Start: s, utf16End: e, unitID: unit))
        }
        return l
    }
}

/// Receives skeleton entries as a reader produces them.
public protocol SkeletonSink: AnyObject {
    /// Adds the next entry.
    func append(_ entry: SkeletonEntry) throws
}

/// Turns consecutive plain unit placements with the same text between them into one
/// `.unitRun`, and passes everything else on: a plain-text file of any size then has a skeleton
/// of a few lines (an XML text node above 10 MB is refused by secure parsers).
public final class SkeletonCompactor: SkeletonSink {
    private let sink: SkeletonSink
    private var run: (prefix: String, first: Int, count: Int, separator: String?, firstLayout: UnitLayout)?
    private var gap = ""

    /// Creates a compactor in front of `sink`; call `finish()` at the end.
    public init(_ sink: SkeletonSink) {
        self.sink = sink
    }

    /// Adds an entry.
    public func append(_ entry: SkeletonEntry) throws {
        switch entry {
        case .text(let t):
            if run != nil { gap += t } else { try sink.append(entry) }
        case .unit(let layout):
            if let (prefix, number) = Self.simple(layout) {
                if var r = run, r.prefix == prefix, r.first + r.count == number, r.separator == nil || r.separator == gap {
                    r.separator = gap
                    r.count += 1
                    run = r
                    gap = ""
                    return
                }
                try flush()
                run = (prefix, number, 1, nil, layout)
                return
            }
            try flush()
            try sink.append(entry)
        default:
            try flush()
            try sink.append(entry)
        }
    }

    /// Writes what is pending.
    public func finish() throws {
        try flush()
    }

    private func flush() throws {
        if let r = run {
            if r.count == 1 {
                try sink.append(.unit(r.firstLayout))
            } else {
                try sink.append(.unitRun(UnitRun(prefix: r.prefix, first: r.first, count: r.count, separator: r.separator ?? "")))
            }
            run = nil
        }
        if !gap.isEmpty {
            try sink.append(.text(gap))
            gap = ""
        }
    }

    /// `(prefix, number)` of a unit that needs nothing but its id (`u12` → `("u", 12)`).
    private static func simple(_ l: UnitLayout) -> (String, Int)? {
        guard l.substitutions.isEmpty, l.nestedUnits.isEmpty, l.attributeQuote == nil else { return nil }
        // Ids are ASCII in practice (`u12`): split on the bytes, without classifying characters.
        var id = l.unitID
        let split: (String, Int)?? = id.withUTF8 { bytes in
            var k = bytes.count
            while k > 0 && bytes[k - 1] >= 0x30 && bytes[k - 1] <= 0x39 { k -= 1 }
            // A non-ASCII character before the digits could form one character with the first
            // of them: left to the general case below.
            if k > 0 && bytes[k - 1] >= 0x80 { return nil }
            let count = bytes.count - k
            guard count > 0, count < 18 else { return .some(nil) }
            // Digits that write the number back as they stand: no leading zero (`u07`), which
            // is what comparing "\(prefix)\(n)" with the id said, without building the string.
            guard count == 1 || bytes[k] != 0x30 else { return .some(nil) }
            var n = 0
            for b in bytes[k...] { n = n * 10 + Int(b - 0x30) }
            return .some((String(decoding: bytes[..<k], as: UTF8.self), n))
        }
        if let split {
            guard let (prefix, n) = split else { return nil }
            return (prefix, n)
        }
        let digits = l.unitID.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < 18, let n = Int(String(digits.reversed())) else { return nil }
        let prefix = String(l.unitID.dropLast(digits.count))
        guard "\(prefix)\(n)" == l.unitID else { return nil }
        return (prefix, n)
    }
}

/// Keeps skeleton entries in memory, merging adjacent text (for small documents and tests).
public final class SkeletonCollector: SkeletonSink {
    /// The entries so far.
    public private(set) var entries: [SkeletonEntry] = []

    /// Creates an empty collector.
    public init() {}

    /// Adds an entry.
    public func append(_ entry: SkeletonEntry) {
        if case .text(let t) = entry, case .text(let previous)? = entries.last {
            entries[entries.count - 1] = .text(previous + t)
        } else {
            entries.append(entry)
        }
    }
}

/// Drops skeleton entries (when only the units are wanted).
public final class DiscardingSkeletonSink: SkeletonSink {
    /// Creates the sink.
    public init() {}
    /// Does nothing.
    public func append(_ entry: SkeletonEntry) {}
}
