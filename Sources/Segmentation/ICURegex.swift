internal import CICU

/// Why ICU refused a pattern.
struct ICURegexError: Error, Sendable {
    /// ICU's symbolic error name (`U_REGEX_RULE_SYNTAX`).
    var name: String
    /// UTF-16 offset in the pattern where ICU saw the problem, when it says.
    var offset: Int?

    /// A readable explanation of the common ICU regex errors.
    var explanation: String {
        switch name {
        case "U_REGEX_RULE_SYNTAX": return "syntax error"
        case "U_REGEX_LOOK_BEHIND_LIMIT": return "look-behind without a bounded length"
        case "U_REGEX_MISMATCHED_PAREN": return "unbalanced parentheses"
        case "U_REGEX_MISSING_CLOSE_BRACKET": return "missing ']'"
        case "U_REGEX_BAD_ESCAPE_SEQUENCE": return "unknown escape sequence"
        case "U_REGEX_PROPERTY_SYNTAX", "U_ILLEGAL_ARGUMENT_ERROR": return "unknown Unicode property"
        case "U_REGEX_INVALID_FLAG": return "unknown inline flag"
        case "U_REGEX_BAD_INTERVAL", "U_REGEX_MAX_LT_MIN", "U_REGEX_NUMBER_TOO_BIG": return "bad {min,max} interval"
        case "U_REGEX_INVALID_RANGE": return "bad range in a character class"
        case "U_REGEX_INVALID_BACK_REF": return "reference to a group that does not exist"
        default: return name
        }
    }
}

/// A compiled ICU regular expression with its own matcher state.
///
/// Not `Sendable`: ICU matchers are single-threaded. Each thread gets its own `clone()`.
final class ICURegex {
    private let handle: OpaquePointer
    /// The pattern it was compiled from (for diagnostics).
    let pattern: String

    private init(handle: OpaquePointer, pattern: String) {
        self.handle = handle
        self.pattern = pattern
    }

    deinit { cicu_regex_close(handle) }

    /// The C handle, for the segmenter's hot loop (valid while this object lives).
    var rawHandle: OpaquePointer { handle }

    /// Compiles an ICU pattern.
    static func compile(_ pattern: String, caseInsensitive: Bool = false) throws(ICURegexError) -> ICURegex {
        let units = Array(pattern.utf16)
        var status: Int32 = 0, line: Int32 = -1, offset: Int32 = -1
        let flags: UInt32 = caseInsensitive ? UInt32(CICU_REGEX_CASE_INSENSITIVE) : 0
        let handle = units.withUnsafeBufferPointer { buffer in
            cicu_regex_open(buffer.baseAddress, Int32(buffer.count), flags, &status, &line, &offset)
        }
        guard let handle else {
            let name = String(cString: cicu_error_name(status))
            var absolute: Int? = nil
            if offset >= 0 {
                // ICU counts lines from 1 and offsets within the line.
                var lineStart = 0
                if line > 1 {
                    var seen: Int32 = 1
                    for (k, u) in units.enumerated() where u == 0x0A {
                        seen += 1
                        if seen == line { lineStart = k + 1; break }
                    }
                }
                absolute = lineStart + Int(offset)
            }
            throw ICURegexError(name: name, offset: absolute)
        }
        return ICURegex(handle: handle, pattern: pattern)
    }

    /// An independent matcher for the same compiled pattern.
    func clone() -> ICURegex {
        guard let copy = cicu_regex_clone(handle) else {
            // Only fails when memory is exhausted; recompiling gives the same pattern.
            return (try? ICURegex.compile(pattern)) ?? self
        }
        return ICURegex(handle: copy, pattern: pattern)
    }

    /// Points the matcher at `text`, which must stay alive and unchanged while it is used.
    func setText(_ text: UnsafePointer<UInt16>?, count: Int) {
        _ = cicu_regex_set_text(handle, text, Int32(count))
    }

    /// End of an anchored match starting at `index`, or nil.
    @inline(__always)
    func matchEnd(at index: Int) -> Int? {
        let end = cicu_regex_looking_at(handle, Int32(index))
        return end < 0 ? nil : Int(end)
    }

    /// End of an anchored match starting at `index` that takes no unit at or past `limit`
    /// (look-arounds still see the whole text, as `SRXMatcher` matches afterbreaks), or nil.
    func matchEnd(at index: Int, limit: Int) -> Int? {
        let end = cicu_regex_looking_at_within(handle, Int32(index), Int32(limit))
        return end < 0 ? nil : Int(end)
    }

    /// True when the pattern matches starting exactly at `index`.
    @inline(__always)
    func matches(at index: Int) -> Bool {
        cicu_regex_looking_at(handle, Int32(index)) >= 0
    }

    /// The first match starting at or after `index`.
    @inline(__always)
    func firstMatch(from index: Int) -> Range<Int>? {
        var start: Int32 = 0, end: Int32 = 0
        guard cicu_regex_find(handle, Int32(index), &start, &end) != 0 else { return nil }
        return Int(start)..<Int(end)
    }
}

/// ICU's sentence break iterator (`ubrk_open(UBRK_SENTENCE)`), for SRX files that ask for it
/// (`okpsrx:options useIcu4jBreakRules="yes"`). Not `Sendable`, like `ICURegex`.
final class ICUSentenceBreaker {
    private let handle: OpaquePointer

    /// Opens an iterator for an ICU locale id (`fr`, `en_US`); nil when ICU cannot.
    init?(locale: String) {
        var status: Int32 = 0
        guard let h = cicu_sentence_break_open(locale, &status) else { return nil }
        handle = h
    }

    deinit { cicu_break_close(handle) }

    /// The boundaries of `text`, excluding 0 and including the end.
    func boundaries(_ text: UnsafePointer<UInt16>?, count: Int) -> [Int] {
        guard cicu_break_set_text(handle, text, Int32(count)) == 0 else { return [] }
        var result: [Int] = []
        while true {
            let b = cicu_break_next(handle)
            if b < 0 { break }
            result.append(Int(b))
        }
        return result
    }
}

/// Small wrappers over ICU character functions.
enum ICUCharacters {
    /// ICU's simple case folding, as its case-insensitive matching uses.
    @inline(__always)
    static func fold(_ codePoint: UInt32) -> UInt32 { cicu_fold_case(codePoint) }

    /// The BMP code points of an ICU UnicodeSet pattern (`[\p{Lu}]`), surrogates included when
    /// the set has them; nil when ICU rejects the pattern or the set holds strings.
    static func bmpSet(ofSetPattern pattern: String) -> UnitSet? {
        let units = Array(pattern.utf16)
        var set = UnitSet()
        let status = units.withUnsafeBufferPointer { buffer in
            set.withUnsafeMutableWords { cicu_set_bmp_bits(buffer.baseAddress, Int32(buffer.count), $0) }
        }
        return status == 0 ? set : nil
    }

    /// The linked ICU's version ("72.1").
    static var version: String { String(cString: cicu_version()) }
}
