import Foundation

/// Breaks sentences into the tokens the aligner compares, folded so that spelling differences
/// that do not matter across languages disappear: case, accents, ligatures (`Expédition` and
/// `Expedition`, `sœur` and `soeur`), and tokenisation (`l' eau` and `l'eau` give the same tokens).
///
/// Not `Sendable`: it caches folded characters; each alignment owns one.
final class TextFolder {
    /// A token of a sentence.
    struct Token {
        /// Lower-case, accent-free form.
        var folded: String
        /// Digits only (`1956`).
        var isNumber: Bool
        /// Starts with an upper-case letter in the original text.
        var isCapitalized: Bool
        /// Every letter is upper-case (`TASS`, `OTAN`).
        var isAllCaps: Bool
        /// Position among the sentence's tokens (0 = first).
        var position: Int
    }

    private var scalarCache: [UInt32: String] = [:]

    /// The number of letters and digits: the length measure of the length model, which ignores
    /// spaces and punctuation so that tokenised and running text measure the same.
    static func measure(_ sentence: String) -> Int {
        var n = 0
        for scalar in sentence.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if (v >= 0x30 && v <= 0x39) || ((v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A) { n += 1 }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                n += 1
            }
        }
        return n
    }

    /// The sentence's words and numbers; `punctuation` receives the anchor punctuation marks
    /// (`?`, `!`, `(`, `:`…) found in it.
    func tokens(_ sentence: String, punctuation: inout [Unicode.Scalar]) -> [Token] {
        var result: [Token] = []
        var current = ""
        var isNumber = true
        var capitalized = false
        var allCaps = true
        var letters = 0

        func flush() {
            guard !current.isEmpty else { return }
            result.append(Token(folded: current, isNumber: isNumber, isCapitalized: capitalized,
                                isAllCaps: allCaps && letters > 1, position: result.count))
            current = ""
            isNumber = true
            capitalized = false
            allCaps = true
            letters = 0
        }

        for scalar in sentence.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v >= 0x30 && v <= 0x39 {
                    // Digits split from letters: `20km` gives `20` and `km`.
                    if !isNumber && !current.isEmpty { flush() }
                    current.unicodeScalars.append(scalar)
                } else if (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A {
                    if isNumber && !current.isEmpty { flush() }
                    let upper = v < 0x61
                    if current.isEmpty { capitalized = upper }
                    if !upper { allCaps = false }
                    isNumber = false
                    letters += 1
                    current.unicodeScalars.append(Unicode.Scalar(v | 0x20)!)
                } else {
                    flush()
                    if Self.anchorPunctuation.contains(v) { punctuation.append(scalar) }
                }
                continue
            }
            let properties = scalar.properties
            if properties.isAlphabetic {
                if isNumber && !current.isEmpty { flush() }
                let upper = properties.isUppercase
                if current.isEmpty { capitalized = upper }
                if !upper { allCaps = false }
                isNumber = false
                letters += 1
                current += fold(scalar)
            } else if properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
                continue // a combining accent inside a word: folded away
            } else if let digit = properties.numericType, digit == .decimal, let value = properties.numericValue {
                if !isNumber && !current.isEmpty { flush() }
                current += String(Int(value))
            } else {
                flush()
                if Self.anchorPunctuation.contains(v) { punctuation.append(scalar) }
                else if v == 0xBF { punctuation.append("?") } // ¿ counts as a question
                else if v == 0xA1 { punctuation.append("!") }
                else if v == 0xFF1F { punctuation.append("?") } // full-width
                else if v == 0xFF01 { punctuation.append("!") }
            }
        }
        flush()
        return result
    }

    /// Marks whose presence tends to survive translation: questions, exclamations, brackets,
    /// colons, percent signs.
    static let anchorPunctuation: Set<UInt32> = [0x3F, 0x21, 0x28, 0x3A, 0x25, 0x26, 0x2B, 0x3D, 0x40, 0x24, 0x2A]

    /// A non-ASCII letter, lower-cased and without accents.
    private func fold(_ scalar: Unicode.Scalar) -> String {
        if let cached = scalarCache[scalar.value] { return cached }
        let folded: String
        switch scalar.value {
        case 0xDF, 0x1E9E: folded = "ss"
        case 0x153, 0x152: folded = "oe"
        case 0xE6, 0xC6: folded = "ae"
        case 0xF8, 0xD8: folded = "o"
        case 0x142, 0x141: folded = "l"
        case 0x111, 0x110: folded = "d"
        case 0xFE, 0xDE: folded = "th"
        case 0x131: folded = "i"
        default:
            folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        }
        scalarCache[scalar.value] = folded
        return folded
    }
}
