/// Which regular-expression language an SRX file's patterns are written in.
public enum SRXRegexDialect: String, Sendable, Hashable, Codable {
    /// `java.util.regex`, what Okapi and LanguageTool rule files are tested against (the default
    /// when the file does not say: Okapi treats every file as Java since its ICU mode was removed).
    case java
    /// ICU regular expressions, as the SRX 2.0 specification says (`okpsrx:options useJavaRegex="no"`).
    case icu
}

/// A pattern rewritten for ICU, with a map back to the original for error messages.
struct TranslatedPattern: Sendable, Hashable {
    /// The ICU pattern.
    var pattern: String
    /// For each UTF-16 unit of `pattern`, the UTF-16 offset in the original it came from.
    var originalOffsets: [Int]

    /// The original offset for an offset in the translated pattern.
    func originalOffset(_ translated: Int) -> Int {
        guard !originalOffsets.isEmpty else { return 0 }
        return originalOffsets[max(0, min(translated, originalOffsets.count - 1))]
    }
}

/// Why a pattern could not be translated (an unterminated class or group, a dangling escape).
struct RegexTranslationError: Error, Sendable {
    var message: String
    /// UTF-16 offset in the original pattern.
    var offset: Int
}

/// Rewrites Java regular expressions (the language real SRX files are written in) into ICU's.
///
/// What differs and how it is handled (docs/segmentation.md has the table):
/// - `(?U)` (UNICODE_CHARACTER_CLASS) is not an ICU flag: removed, and from there on `\s \d \w`
///   and the POSIX classes keep their Unicode meaning.
/// - without `(?U)`, Java's `\s \d \w` and `\p{Lower}`… are ASCII-only: spelled out as ASCII sets,
///   so `\s` does not match a no-break space, exactly as in Java.
/// - `u` (UNICODE_CASE) and `d` (UNIX_LINES) inline flags are dropped (ICU folds Unicode case).
/// - `\h \H \v \V` become Java's explicit sets; `\p{IsLatin}`, `\p{InGreek}`, `\p{javaLowerCase}`,
///   `\p{IsAlphabetic}` become ICU property names.
/// - `[:` inside a class is a literal colon in Java but starts a POSIX class in ICU: escaped.
/// - possessive quantifiers, atomic groups, `\Q…\E`, `\uXXXX`, nested classes, `&&`: same in ICU.
/// In the ICU dialect only the ICU-invalid `(?U)`/`(?u)` flags are removed.
struct RegexTranslator {
    let dialect: SRXRegexDialect

    private static let asciiSpace = "\\t\\n\\x{0B}\\f\\r\\x{20}"
    private static let asciiDigit = "0-9"
    private static let asciiWord = "a-zA-Z_0-9"
    // Java 8+: \h = [ \t\xA0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000], \v = [\n\x0B\f\r\x85\u2028\u2029]
    private static let javaHorizontal = "\\x{20}\\t\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}"
    private static let javaVertical = "\\n\\x{0B}\\f\\r\\x{85}\\x{2028}\\x{2029}"

    /// Translates `pattern`; throws when it is malformed in a way found before ICU sees it.
    func translate(_ pattern: String) throws(RegexTranslationError) -> TranslatedPattern {
        let src = Array(pattern.utf16)
        var out: [UInt16] = []
        var map: [Int] = []
        out.reserveCapacity(src.count + 16)
        map.reserveCapacity(src.count + 16)

        func emit(_ s: String, from offset: Int) {
            for u in s.utf16 { out.append(u); map.append(offset) }
        }
        func emit(unit: UInt16, from offset: Int) { out.append(unit); map.append(offset) }

        // Unicode mode per group depth: (?U) applies to the rest of the enclosing group.
        var unicodeStack: [Bool] = [dialect == .icu]
        var classDepth = 0
        var i = 0
        let n = src.count

        func isASCIILetter(_ u: UInt16) -> Bool { (u >= 65 && u <= 90) || (u >= 97 && u <= 122) }

        while i < n {
            let c = src[i]
            let unicode = unicodeStack[unicodeStack.count - 1]
            switch c {
            case 0x5C: // backslash
                guard i + 1 < n else { throw RegexTranslationError(message: "the pattern ends with a lone backslash", offset: i) }
                let e = src[i + 1]
                switch e {
                case 0x51: // \Q … \E: copied verbatim
                    var j = i + 2
                    var end = n
                    while j + 1 < n {
                        if src[j] == 0x5C && src[j + 1] == 0x45 { end = j; break }
                        j += 1
                    }
                    if classDepth > 0 {
                        // ICU has no \Q inside a set: escape each character instead.
                        for k in (i + 2)..<end {
                            emit(unit: 0x5C, from: k)
                            emit(unit: src[k], from: k)
                        }
                    } else {
                        for k in i..<min(n, end + 2) { emit(unit: src[k], from: k) }
                    }
                    i = min(n, end + 2)
                    continue
                case 0x73, 0x53, 0x64, 0x44, 0x77, 0x57: // s S d D w W
                    if dialect == .icu || unicode {
                        emit(unit: c, from: i); emit(unit: e, from: i + 1)
                    } else {
                        let body: String
                        switch e {
                        case 0x73, 0x53: body = Self.asciiSpace
                        case 0x64, 0x44: body = Self.asciiDigit
                        default: body = Self.asciiWord
                        }
                        let negated = (e == 0x53 || e == 0x44 || e == 0x57)
                        if classDepth > 0 && !negated {
                            emit(body, from: i)
                        } else {
                            emit(negated ? "[^\(body)]" : "[\(body)]", from: i)
                        }
                    }
                    i += 2
                    continue
                case 0x68, 0x48, 0x76, 0x56: // h H v V
                    if dialect == .icu {
                        emit(unit: c, from: i); emit(unit: e, from: i + 1)
                    } else {
                        let body = (e == 0x68 || e == 0x48) ? Self.javaHorizontal : Self.javaVertical
                        let negated = (e == 0x48 || e == 0x56)
                        if classDepth > 0 && !negated {
                            emit(body, from: i)
                        } else {
                            emit(negated ? "[^\(body)]" : "[\(body)]", from: i)
                        }
                    }
                    i += 2
                    continue
                case 0x70, 0x50: // p P
                    // \pL or \p{Name}
                    var j = i + 2
                    var name = ""
                    if j < n && src[j] == 0x7B {
                        guard let close = src[j...].firstIndex(of: 0x7D) else {
                            throw RegexTranslationError(message: "unterminated \\p{…} property", offset: i)
                        }
                        name = String(decoding: src[(j + 1)..<close], as: UTF16.self)
                        j = close + 1
                    } else if j < n {
                        name = String(decoding: src[j...j], as: UTF16.self)
                        j += 1
                    } else {
                        throw RegexTranslationError(message: "\\p at the end of the pattern", offset: i)
                    }
                    let negated = e == 0x50
                    emit(translateProperty(name, negated: negated, unicode: unicode || dialect == .icu, inClass: classDepth > 0), from: i)
                    i = j
                    continue
                default:
                    emit(unit: c, from: i); emit(unit: e, from: i + 1)
                    i += 2
                    continue
                }
            case 0x5B: // [
                classDepth += 1
                emit(unit: c, from: i)
                i += 1
                if i < n && src[i] == 0x5E { emit(unit: 0x5E, from: i); i += 1 } // ^
                // ICU reads "[:" as the start of a POSIX class; Java reads a literal colon.
                if dialect == .java && i < n && src[i] == 0x3A {
                    emit(unit: 0x5C, from: i); emit(unit: 0x3A, from: i); i += 1
                }
                continue
            case 0x5D: // ]
                if classDepth > 0 { classDepth -= 1 }
                emit(unit: c, from: i)
                i += 1
                continue
            case 0x28 where classDepth == 0: // (
                if i + 1 < n && src[i + 1] == 0x3F { // (?
                    // Inline flags: (?flags) or (?flags:
                    var j = i + 2
                    var flags: [UInt16] = []
                    while j < n, isASCIILetter(src[j]) || src[j] == 0x2D { flags.append(src[j]); j += 1 }
                    if !flags.isEmpty, j < n, src[j] == 0x29 || src[j] == 0x3A {
                        let isGroup = src[j] == 0x3A
                        var kept: [UInt16] = []
                        var negative = false
                        var setsUnicode: Bool? = nil
                        for f in flags {
                            switch f {
                            case 0x2D: negative = true; kept.append(f)
                            case 0x55: setsUnicode = !negative // U
                            case 0x75, 0x64: break // u, d: no ICU equivalent needed
                            default: kept.append(f)
                            }
                        }
                        if kept.last == 0x2D { kept.removeLast() }
                        if isGroup {
                            unicodeStack.append(setsUnicode ?? unicode)
                            emit("(?", from: i)
                            for f in kept { emit(unit: f, from: i) }
                            emit(":", from: j)
                        } else {
                            if let setsUnicode { unicodeStack[unicodeStack.count - 1] = setsUnicode }
                            if !kept.isEmpty {
                                emit("(?", from: i)
                                for f in kept { emit(unit: f, from: i) }
                                emit(")", from: j)
                            }
                        }
                        i = j + 1
                        continue
                    }
                }
                unicodeStack.append(unicode)
                emit(unit: c, from: i)
                i += 1
                continue
            case 0x29 where classDepth == 0: // )
                if unicodeStack.count > 1 { unicodeStack.removeLast() }
                emit(unit: c, from: i)
                i += 1
                continue
            default:
                emit(unit: c, from: i)
                i += 1
            }
        }
        if classDepth > 0 {
            throw RegexTranslationError(message: "unterminated character class (missing ']')", offset: n)
        }
        // Most patterns come out unchanged (ICU-dialect files always but for `\p{IsLatin}`-style
        // names): keep the original string rather than decode the units into a new one, which
        // for a long non-ASCII pattern (the list rule's 17 KB) was half the translation.
        if out == src { return TranslatedPattern(pattern: pattern, originalOffsets: map) }
        return TranslatedPattern(pattern: String(decoding: out, as: UTF16.self), originalOffsets: map)
    }

    /// Java-only property names, in ICU spelling (static: built once, not at every `\p{…}`).
    private static let javaNames: [String: String] = [
        "javaLowerCase": "Lowercase", "javaUpperCase": "Uppercase", "javaWhitespace": "White_Space",
        "javaMirrored": "Bidi_Mirrored", "javaLetter": "L", "javaDigit": "Nd",
        "javaLetterOrDigit": "[\\p{L}\\p{Nd}]", "javaAlphabetic": "Alphabetic",
        "javaSpaceChar": "Z", "javaTitleCase": "Lt", "javaISOControl": "Cc",
    ]
    /// POSIX classes: ASCII in Java unless (?U).
    private static let posixASCII: [String: String] = [
        "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x{00}-\\x{7F}", "Alpha": "a-zA-Z", "Digit": "0-9",
        "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": "\\x{20}-~",
        "Blank": "\\x{20}\\t", "Cntrl": "\\x{00}-\\x{1F}\\x{7F}", "XDigit": "0-9a-fA-F",
        "Space": "\\x{20}\\t\\n\\x{0B}\\f\\r",
    ]
    /// POSIX classes with (?U), and in the ICU dialect.
    private static let posixUnicode: [String: String] = [
        "Lower": "Lowercase", "Upper": "Uppercase", "Alpha": "Alphabetic", "Digit": "Nd",
        "Alnum": "[\\p{Alphabetic}\\p{Nd}]", "Punct": "P", "Graph": "[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]",
        "Print": "[[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]\\p{Zs}]", "Blank": "[\\p{Zs}\\t]", "Cntrl": "Cc",
        "XDigit": "[\\p{Nd}\\p{Hex_Digit}]", "Space": "White_Space", "ASCII": "[\\x{00}-\\x{7F}]",
    ]

    /// `\p{…}` in ICU spelling.
    private func translateProperty(_ rawName: String, negated: Bool, unicode: Bool, inClass: Bool) -> String {
        let p = negated ? "\\P" : "\\p"
        var name = rawName
        if let mapped = Self.javaNames[name] {
            if mapped.hasPrefix("[") { return negated ? "[^\(mapped.dropFirst().dropLast())]" : (inClass ? String(mapped.dropFirst().dropLast()) : mapped) }
            return "\(p){\(mapped)}"
        }
        if let range = Self.posixASCII[name] {
            if unicode, let u = Self.posixUnicode[name] {
                if u.hasPrefix("[") { return negated ? "[^\(u.dropFirst().dropLast())]" : u }
                return "\(p){\(u)}"
            }
            if inClass && !negated { return range }
            return negated ? "[^\(range)]" : "[\(range)]"
        }
        if name.hasPrefix("In") && name.count > 2 { // block
            return "\(p){Block=\(name.dropFirst(2))}"
        }
        if name.hasPrefix("Is") && name.count > 2 { // script, category or binary property
            name = String(name.dropFirst(2))
            if name == "White_Space" || name == "WhiteSpace" { name = "White_Space" }
        }
        return "\(p){\(name)}"
    }

    /// Rewrites unbounded quantifiers (`*`, `+`, `{n,}`) as bounded ones (`{0,limit}`…), so that a
    /// `beforebreak` pattern can be used as an ICU look-behind, which must have a bounded length.
    static func bounded(_ translated: TranslatedPattern, limit: Int) -> TranslatedPattern {
        let src = Array(translated.pattern.utf16)
        var out: [UInt16] = []
        var map: [Int] = []
        var classDepth = 0
        var i = 0
        var previousWasQuantifier = false
        func emit(_ s: String, _ at: Int) { for u in s.utf16 { out.append(u); map.append(translated.originalOffset(at)) } }
        while i < src.count {
            let c = src[i]
            if c == 0x5C { // escape: copy two units (\Q…\E copied whole)
                if i + 1 < src.count && src[i + 1] == 0x51 && classDepth == 0 {
                    var j = i + 2
                    while j + 1 < src.count && !(src[j] == 0x5C && src[j + 1] == 0x45) { j += 1 }
                    let end = min(src.count, j + 2)
                    for k in i..<end { out.append(src[k]); map.append(translated.originalOffset(k)) }
                    i = end
                } else {
                    var end = min(src.count, i + 2)
                    // \x{…}, \p{…}, \N{…}, \k<…>: copy through the closing brace.
                    if end < src.count, src[end] == 0x7B || (src[i + 1] == 0x6B && src[end] == 0x3C) {
                        let close: UInt16 = src[end] == 0x7B ? 0x7D : 0x3E
                        while end < src.count && src[end] != close { end += 1 }
                        end = min(src.count, end + 1)
                    }
                    for k in i..<end { out.append(src[k]); map.append(translated.originalOffset(k)) }
                    i = end
                }
                previousWasQuantifier = false
                continue
            }
            if classDepth > 0 {
                if c == 0x5B { classDepth += 1 } else if c == 0x5D { classDepth -= 1 }
                out.append(c); map.append(translated.originalOffset(i)); i += 1
                previousWasQuantifier = false
                continue
            }
            switch c {
            case 0x5B:
                classDepth += 1
                out.append(c); map.append(translated.originalOffset(i)); i += 1
                previousWasQuantifier = false
            case 0x2A where !previousWasQuantifier: // *
                emit("{0,\(limit)}", i); i += 1; previousWasQuantifier = true
            case 0x2B where !previousWasQuantifier: // +
                emit("{1,\(limit)}", i); i += 1; previousWasQuantifier = true
            case 0x7B: // {n,} or {n,m}
                var j = i + 1
                var digits = ""
                while j < src.count, src[j] >= 0x30 && src[j] <= 0x39 { digits.append(Character(Unicode.Scalar(UInt8(src[j])))); j += 1 }
                if !digits.isEmpty, j + 1 < src.count, src[j] == 0x2C, src[j + 1] == 0x7D {
                    let low = Int(digits) ?? 0
                    emit("{\(low),\(max(low, limit))}", i)
                    i = j + 2
                } else {
                    // copy through the closing brace
                    while i < src.count {
                        out.append(src[i]); map.append(translated.originalOffset(i))
                        i += 1
                        if src[i - 1] == 0x7D { break }
                    }
                }
                previousWasQuantifier = true
            case 0x3F where previousWasQuantifier: // lazy suffix
                out.append(c); map.append(translated.originalOffset(i)); i += 1
                previousWasQuantifier = false
            case 0x2A, 0x2B, 0x3F:
                // possessive suffix after a quantifier, or ? as a quantifier
                out.append(c); map.append(translated.originalOffset(i)); i += 1
                previousWasQuantifier = (c == 0x3F) // `x?` may take a lazy/possessive suffix
            default:
                out.append(c); map.append(translated.originalOffset(i)); i += 1
                previousWasQuantifier = false
            }
        }
        if out == src { return translated }
        return TranslatedPattern(pattern: String(decoding: out, as: UTF16.self), originalOffsets: map)
    }
}
