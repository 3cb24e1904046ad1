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
        // As bytes, like the entries' lines: a dozen string concatenations cost 11,000
        // instructions per document.
        var out: [UInt8] = []
        out.reserveCapacity(128)
        append("{\"skeleton\":\"verso\",\"version\":", to: &out)
        appendDecimal(version, to: &out)
        append(",\"format\":", to: &out)
        appendQuoted(header.format.rawValue, to: &out)
        append(",\"encoding\":", to: &out)
        appendQuoted(header.encoding.name, to: &out)
        append(header.hasByteOrderMark ? ",\"bom\":true" : ",\"bom\":false", to: &out)
        append(",\"newline\":", to: &out)
        appendQuoted(header.newline, to: &out)
        if !header.preferredReferences.isEmpty {
            append(",\"references\":{", to: &out)
            let pairs = header.preferredReferences.sorted { $0.key.value < $1.key.value }
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(0x2C) } // ,
                appendQuoted(String(pair.key), to: &out)
                out.append(0x3A) // :
                appendQuoted(pair.value, to: &out)
            }
            out.append(0x7D)
        }
        out.append(0x7D) // }
        return ValidUTF8.string(out)
    }

    /// An entry's line (without the line break).
    public static func line(for entry: SkeletonEntry) -> String {
        var out: [UInt8] = []
        appendLine(for: entry, to: &out)
        return ValidUTF8.string(out)
    }

    /// Appends an entry's line (without the line break) to `out` as UTF-8: what `line(for:)`
    /// returns, written where the caller collects its output instead of as a string of its own
    /// (the skeleton spool writes every entry of every document so).
    public static func appendLine(for entry: SkeletonEntry, to out: inout [UInt8]) {
        switch entry {
        case .text(let t):
            append("{\"t\":", to: &out)
            appendQuoted(t, to: &out)
            out.append(0x7D) // }
        case .unit(let layout): appendLayoutLine(key: "{\"u\":", layout, to: &out)
        case .nestedUnit(let layout): appendLayoutLine(key: "{\"n\":", layout, to: &out)
        case .unitRun(let r):
            append("{\"r\":", to: &out)
            appendQuoted(r.prefix, to: &out)
            append(",\"from\":", to: &out)
            appendDecimal(r.first, to: &out)
            append(",\"count\":", to: &out)
            appendDecimal(r.count, to: &out)
            append(",\"sep\":", to: &out)
            appendQuoted(r.separator, to: &out)
            out.append(0x7D)
        }
    }

    private static func appendLayoutLine(key: StaticString, _ l: UnitLayout, to out: inout [UInt8]) {
        append(key, to: &out)
        appendQuoted(l.unitID, to: &out)
        append(",\"len\":", to: &out)
        appendDecimal(l.sourceUTF16Length, to: &out)
        if let q = l.attributeQuote {
            append(",\"q\":", to: &out)
            appendQuoted(q, to: &out)
        }
        if !l.substitutions.isEmpty {
            append(",\"sub\":[", to: &out)
            for (i, s) in l.substitutions.enumerated() {
                if i > 0 { out.append(0x2C) }
                out.append(0x5B) // [
                appendDecimal(s.utf16Offset, to: &out)
                out.append(0x2C)
                appendDecimal(s.utf16Length, to: &out)
                out.append(0x2C)
                appendDecimal(s.codesBefore, to: &out)
                out.append(0x2C)
                appendQuoted(s.raw, to: &out)
                out.append(0x5D) // ]
            }
            out.append(0x5D)
        }
        if !l.nestedUnits.isEmpty {
            append(",\"in\":[", to: &out)
            for (i, n) in l.nestedUnits.enumerated() {
                if i > 0 { out.append(0x2C) }
                out.append(0x5B)
                appendQuoted(n.codeID, to: &out)
                out.append(0x2C)
                appendDecimal(n.utf16Start, to: &out)
                out.append(0x2C)
                appendDecimal(n.utf16End, to: &out)
                out.append(0x2C)
                appendQuoted(n.unitID, to: &out)
                out.append(0x5D)
            }
            out.append(0x5D)
        }
        out.append(0x7D)
    }

    @inline(__always)
    private static func append(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// An integer in decimal, as string interpolation writes it.
    private static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        if n >= 0 && n < 10 { out.append(0x30 + UInt8(n)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for any Int
        var magnitude = n.magnitude
        if n < 0 { out.append(0x2D) }
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = buffer.count
            repeat {
                i -= 1
                buffer[i] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
        }
    }

    /// The whole skeleton text.
    public static func text(for skeleton: SkeletonDocument) -> String {
        var out = line(for: skeleton.header) + "\n"
        for e in skeleton.entries { out += line(for: e) + "\n" }
        return out
    }

    /// A JSON string literal that contains only characters XML 1.0 allows and no raw line breaks.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return ValidUTF8.string(out)
    }

    /// Appends `quote(s)` to `out` as UTF-8. Works on the bytes: spans of characters written
    /// as themselves (nearly all text) are copied at once, instead of a string append per
    /// character.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        out.reserveCapacity(out.count + s.utf8.count + 2)
        out.append(0x22)
        s.withUTF8 { bytes in
            let n = bytes.count
            var start = 0
            var i = 0
            while i < n {
                let b = bytes[i]
                // The characters escaped: C0 controls, `"`, `\`, DEL, and U+FEFF (EF BB BF),
                // U+FFFE/U+FFFF (EF BF BE/BF), U+2028/U+2029 (E2 80 A8/A9). Valid UTF-8 (a
                // String), so a lead byte is followed by its continuation bytes.
                let escape: UInt32
                var length = 1
                if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
                    i += 1
                    continue
                } else if b < 0x80 {
                    escape = UInt32(b)
                } else if b == 0xEF, i + 2 < n, (bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF) || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE) {
                    escape = 0xF000 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    length = 3
                } else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                    escape = 0x2000 | UInt32(bytes[i + 2] & 0x3F)
                    length = 3
                } else {
                    i += 1
                    continue
                }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                i += length
                start = i
                out.append(0x5C) // \
                switch escape {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(0x6E) // n
                case 0x0D: out.append(0x72) // r
                case 0x09: out.append(0x74) // t
                default:
                    // \u and four lower-case hex digits, as `String(v, radix: 16)` padded.
                    out.append(0x75)
                    for shift in stride(from: 12, through: 0, by: -4) {
                        let d = UInt8((escape >> UInt32(shift)) & 0xF)
                        out.append(d < 10 ? 0x30 + d : 0x57 + d)
                    }
                }
            }
            if n > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<n])) }
        }
        out.append(0x22)
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
    // The run being gathered, field by field (`runPrefix` nil when there is none): extending a
    // run adds one to `runCount` in place, where a tuple of strings and a layout was copied out
    // and back for every unit. Unchecked exclusivity: one reader drives the compactor, and no
    // access spans a call that could reach it again.
    @exclusivity(unchecked) private var runPrefix: String?
    /// True when `runPrefix` is ASCII, whose ids `isID` can tell (`simple`'s first case).
    @exclusivity(unchecked) private var runPrefixIsASCII = false
    @exclusivity(unchecked) private var runFirst = 0
    @exclusivity(unchecked) private var runCount = 0
    @exclusivity(unchecked) private var runSeparator: String?
    @exclusivity(unchecked) private var runFirstLayout: UnitLayout?
    @exclusivity(unchecked) private var gap = ""

    /// Creates a compactor in front of `sink`; call `finish()` at the end.
    public init(_ sink: SkeletonSink) {
        self.sink = sink
    }

    /// Adds an entry.
    public func append(_ entry: SkeletonEntry) throws {
        switch entry {
        case .text(let t):
            if runPrefix != nil { gap += t } else { try sink.append(entry) }
        case .unit(let layout):
            // The next unit of the run (nearly always): told from its id's bytes, without
            // splitting the id into a new prefix string and a number.
            if let p = runPrefix, runPrefixIsASCII, layout.substitutions.isEmpty, layout.nestedUnits.isEmpty, layout.attributeQuote == nil,
               runSeparator == nil || runSeparator == gap, Self.isID(layout.unitID, prefix: p, number: runFirst + runCount) {
                if runSeparator == nil { runSeparator = gap }
                runCount += 1
                gap = ""
                return
            }
            if let (prefix, number) = Self.simple(layout) {
                if let p = runPrefix, p == prefix, runFirst + runCount == number, runSeparator == nil || runSeparator == gap {
                    if runSeparator == nil { runSeparator = gap }
                    runCount += 1
                    gap = ""
                    return
                }
                try flush()
                runPrefix = prefix
                runPrefixIsASCII = prefix.utf8.allSatisfy { $0 < 0x80 }
                runFirst = number
                runCount = 1
                runSeparator = nil
                runFirstLayout = layout
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
        if let prefix = runPrefix {
            runPrefix = nil
            if runCount == 1, let layout = runFirstLayout {
                try sink.append(.unit(layout))
            } else {
                try sink.append(.unitRun(UnitRun(prefix: prefix, first: runFirst, count: runCount, separator: runSeparator ?? "")))
            }
            runFirstLayout = nil
            runSeparator = nil
        }
        if !gap.isEmpty {
            try sink.append(.text(gap))
            gap = ""
        }
    }

    /// True when `id` is `prefix` followed by `number` in decimal (no leading zero): what
    /// `simple` splits into that prefix and number, for an ASCII prefix (which never ends with
    /// a digit: `simple` takes them all into the number).
    private static func isID(_ id: String, prefix: String, number: Int) -> Bool {
        var id = id, prefix = prefix
        return id.withUTF8 { idBytes in
            prefix.withUTF8 { prefixBytes in
                let p = prefixBytes.count
                // `simple` takes 17 digits at most.
                guard idBytes.count > p, number >= 0, number < 100_000_000_000_000_000 else { return false }
                for k in 0..<p where idBytes[k] != prefixBytes[k] { return false }
                // The digits from the last: each must be the number's next lowest digit.
                var rest = number
                var k = idBytes.count
                repeat {
                    k -= 1
                    guard k >= p, idBytes[k] == UInt8(truncatingIfNeeded: 0x30 + rest % 10) else { return false }
                    rest /= 10
                } while rest > 0
                return k == p
            }
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
