import TranslationModel

/// How a term was found: ranked in this order (exact first).
public enum MatchKind: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// Same words after folding case and accents (`bielorussie` = `Biélorussie`), elision and
    /// possessive set aside (`l'OTAN`, `NATO's`).
    case exact
    /// Another form of the same words: plural, feminine, case ending (`biélorusses`).
    case inflected
    /// The same letters written with or without hyphens or spaces (`e-mail` / `email`).
    case variant
    /// A near miss within a small edit distance (`Loukachneko`).
    case fuzzy

    private var rank: Int {
        switch self {
        case .exact: return 0
        case .inflected: return 1
        case .variant: return 2
        case .fuzzy: return 3
        }
    }

    /// Better matches first.
    public static func < (lhs: MatchKind, rhs: MatchKind) -> Bool { lhs.rank < rhs.rank }
}

/// The normalised forms under which a term is filed and looked up.
public struct SearchKeys: Sendable, Hashable {
    /// Folded words joined by one space: `l'OTAN` → `l otan`.
    public var exact: String
    /// Every word stemmed: `mobilisations partielles` → `mobilisation partiel`.
    public var stem: String
    /// Folded words with nothing between them: `e-mail` → `email`.
    public var compact: String

    /// The keys of `text` in `language`.
    public init(_ text: String, language: String) {
        self.init(tokens: Tokenizer.tokens(of: text).map(\.folded), stemmer: LightStemmer(language: language))
    }

    /// The keys of already folded words.
    public init(tokens: [String], stemmer: LightStemmer) {
        exact = tokens.joined(separator: " ")
        stem = tokens.map { stemmer.stem($0) }.joined(separator: " ")
        compact = tokens.joined()
    }
}

/// Words that languages glue to the next word with an apostrophe and that a glossary does
/// not list: `l'OTAN` is looked up as `OTAN`, `d'Ukraine` as `Ukraine`.
enum Elision {
    static let prefixes: [String: Set<String>] = [
        "fr": ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"],
        "it": ["l", "d", "un", "dell", "all", "dall", "nell", "sull", "coll", "quest", "quell", "c", "s", "v", "m", "t", "n"],
        "ca": ["l", "d", "s", "m", "t", "n"],
        "oc": ["l", "d", "s", "m", "t", "n"],
        "ga": ["d", "m", "b"],
    ]
    /// English possessive and contracted endings that follow an apostrophe.
    static let suffixes: [String: Set<String>] = [
        "en": ["s"],
        "de": ["s"],
        "nl": ["s"],
    ]

    /// The query's words with a leading elided article or a trailing possessive removed,
    /// when the language has them; nil when nothing applies.
    static func strip(_ tokens: [Token], language: String) -> [Token]? {
        let lang = LanguageTag.primary(language)
        var t = tokens
        var changed = false
        if t.count > 1, t[1].gapBefore == .apostrophe, Elision.prefixes[lang]?.contains(t[0].folded) == true {
            t.removeFirst()
            changed = true
        }
        if t.count > 1, t[t.count - 1].gapBefore == .apostrophe, Elision.suffixes[lang]?.contains(t[t.count - 1].folded) == true {
            t.removeLast()
            changed = true
        }
        return changed ? t : nil
    }
}

/// Damerau–Levenshtein distance (optimal string alignment) between two UTF-16 strings,
/// giving up early once it exceeds `limit`.
func editDistance(_ a: [UInt16], _ b: [UInt16], limit: Int) -> Int {
    let n = a.count, m = b.count
    if abs(n - m) > limit { return limit + 1 }
    if n == 0 { return m }
    if m == 0 { return n }
    var prev2 = [Int](repeating: 0, count: m + 1)
    var prev = Array(0...m)
    var cur = [Int](repeating: 0, count: m + 1)
    for i in 1...n {
        cur[0] = i
        var rowMin = cur[0]
        for j in 1...m {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
            rowMin = min(rowMin, v)
        }
        if rowMin > limit { return limit + 1 }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[m]
}

/// The largest edit distance accepted for a fuzzy match of a key of this length: none under
/// four characters (too many short words are one edit apart), one up to seven, two beyond.
func fuzzyLimit(forLength n: Int) -> Int {
    n < 4 ? 0 : (n < 8 ? 1 : 2)
}
