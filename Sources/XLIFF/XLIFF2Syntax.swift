import TranslationModel
import XMLSupport

/// Value syntax XLIFF 2 prescribes (shared by the writer, which must produce it, and the
/// validator, which checks it).
enum XLIFF2Syntax {
    /// `type` values of `pc`, `sc`, `ec`, `ph`.
    static let codeTypes: Set<String> = ["fmt", "ui", "quote", "link", "image", "other"]
    /// `type` values of `mtc:match`.
    static let matchTypes: Set<String> = ["am", "mt", "icm", "idm", "tb", "tm", "other"]
    /// `subType` values reserved by XLIFF (`xlf:` prefix) and the `type` each one requires.
    static let reservedSubTypes: [String: String] = [
        "xlf:lb": "fmt", "xlf:pb": "fmt", "xlf:b": "fmt", "xlf:i": "fmt", "xlf:u": "fmt", "xlf:var": "ui",
    ]

    /// The `type` a reserved `subType` requires (nil for user-defined ones).
    static func requiredType(forSubType subType: String) -> String? {
        reservedSubTypes[subType]
    }

    /// `prefix:value` with no white space and exactly one colon (XLIFF `userDefinedValue`).
    static func isUserDefinedValue(_ s: String) -> Bool {
        var colons = 0
        var before = 0
        var after = 0
        for u in s.utf8 {
            switch u {
            case 0x20, 0x09, 0x0A, 0x0D: return false
            case UInt8(ascii: ":"): colons += 1
            default: if colons == 0 { before += 1 } else { after += 1 }
            }
        }
        return colons == 1 && before > 0 && after > 0
    }

    /// `mrk`/`sm` `type`: generic, comment, term, or a user-defined value.
    static func isMarkerType(_ s: String) -> Bool {
        s == "generic" || s == "comment" || s == "term" || isUserDefinedValue(s)
    }

    /// XML 1.0 (fifth edition) NameChar.
    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        switch v {
        case 0x30...0x39, 0x2D, 0x2E, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return isNameStartChar(c)
        }
    }

    /// XML 1.0 (fifth edition) NameStartChar.
    static func isNameStartChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        switch v {
        case 0x3A, 0x5F, 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF,
             0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF,
             0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    /// An XML name token (`xs:NMTOKEN`): one or more name characters.
    static func isNMTOKEN(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        var nonASCII = false
        for u in s.utf8 {
            if u >= 0x80 { nonASCII = true; continue }
            let ok = (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A) || u == 0x2D || u == 0x2E || u == 0x3A || u == 0x5F
            if !ok { return false }
        }
        guard nonASCII else { return true }
        for c in s.unicodeScalars where c.value >= 0x80 && !isNameChar(c) { return false }
        return true
    }

    /// An XML name without colon (`xs:NCName`).
    static func isNCName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isNameStartChar(first), first != ":" else { return false }
        return isNMTOKEN(s) && !s.contains(":")
    }

    /// A well-formed BCP 47 language tag (RFC 5646 syntax: `LanguageTag`) with no variant or
    /// extension repeated.
    static func isBCP47(_ s: String) -> Bool {
        guard let tag = LanguageTag(s) else { return false }
        return !tag.hasRepeatedSubtags
    }
}

/// Text helpers of the XLIFF 2 writer.
enum XLIFF2Text {
    /// True when `s` holds a character XML 1.0 cannot carry.
    @inline(__always)
    static func needsEncoding(_ s: String) -> Bool {
        !XMLCharacters.allAllowed(s)
    }

    /// `hex` value of `<cp>`: upper-case, at least four digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A decimal without exponent, as `xs:decimal` requires (at most six fraction digits).
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(.towardZero) && abs(rounded) < 1e15 {
            return String(Int64(rounded))
        }
        let whole = Int64(rounded.rounded(.towardZero))
        var fraction = Int64((abs(rounded - Double(whole)) * 1_000_000).rounded())
        var digits = 6
        while fraction % 10 == 0 && digits > 0 { fraction /= 10; digits -= 1 }
        let fractionText = String(fraction)
        let padded = String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
        let sign = rounded < 0 && whole == 0 ? "-" : ""
        return "\(sign)\(whole).\(padded)"
    }
}
