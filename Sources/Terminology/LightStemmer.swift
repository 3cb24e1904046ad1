import TranslationModel

/// Light, conservative stemming of folded words, so that `biélorusses` finds `biélorusse`,
/// `partielles` finds `partielle`, `NATO's` … `countries` finds `country`.
///
/// "Light" means inflection only (plural, feminine, the commonest case endings), never
/// derivation: a recall gain for glossary matching with few false friends. Rules work on the
/// folded form (lower case, no accents), the same on the termbase side and the text side, so
/// they only need to map the forms of one word to one key, not to a real stem.
public struct LightStemmer: Sendable, Hashable {
    /// The languages with rules.
    public enum Rules: Sendable, Hashable {
        case french, english, german, spanish, portuguese, italian, dutch, russian, ukrainian, polish
    }

    /// The rules in use; nil for a language without rules (folding only).
    public let rules: Rules?

    /// The last units of a word that some rule of `rules` may remove or replace, as bits (ASCII
    /// units 0–63, 64–127), and whether a unit above ASCII may be one: a word ending in any
    /// other unit is its own stem. Most words of a text end so (`chat`, `pour`, `mot`), and
    /// the recognizer's word loop asks this before it calls `stem`, which costs more.
    private let finalUnitsLow: UInt64
    private let finalUnitsHigh: UInt64
    private let finalUnitsBeyondASCII: Bool

    /// The shortest word whose stem keeps its first three units unchanged (and so has three
    /// units at least); `Int.max` without rules. The recognizer then rules out the stem of a
    /// longer word from the vocabulary's words by their first three units and their lengths
    /// before it stems the word (`FoldingTests` checks this bound against the rules).
    /// Every rule below removes or replaces a suffix; the bound is where the earliest unit a
    /// rule may change is the fourth: from three units for rules that only remove units or
    /// rewrite a suffix's first unit as itself (French `aux` → `al`, `trice` → `teur`), from
    /// six for English `ies` → `y` and Spanish/Portuguese `ces` → `z` (`flies`, `paces`).
    let keepsFirstThreeUnitsFrom: Int

    /// The stemmer for a BCP 47 language tag.
    public init(language: String) {
        let rules: Rules?
        switch LanguageTag.primary(language) {
        case "fr": rules = .french
        case "en": rules = .english
        case "de": rules = .german
        case "es", "ca", "gl": rules = .spanish
        case "pt": rules = .portuguese
        case "it": rules = .italian
        case "nl": rules = .dutch
        case "ru", "be": rules = .russian
        case "uk": rules = .ukrainian
        case "pl": rules = .polish
        default: rules = nil
        }
        self.rules = rules
        switch rules {
        case .english, .spanish, .portuguese: keepsFirstThreeUnitsFrom = 6
        case .french, .german, .italian, .dutch, .russian, .ukrainian, .polish: keepsFirstThreeUnitsFrom = 3
        case nil: keepsFirstThreeUnitsFrom = .max
        }
        // The last unit of every suffix the rules below test first (a rule that fires changes
        // the word's end, so later rules only see a word some earlier rule already matched).
        let finals: [UInt16]
        switch rules {
        case .french: finals = Array("sxe".utf16)          // -aux, -s, -x; feminines in -e
        case .english: finals = Array("s".utf16)           // -ies, -sses … -s
        case .german: finals = Array("nmrse".utf16)        // -ern, -em, -en, -er, -es, -e, -s, -n
        case .spanish, .portuguese: finals = Array("sao".utf16) // plurals in -s, then -a, -o
        case .italian: finals = Array("aeioy".utf16)       // vowels but u
        case .dutch: finals = Array("ns".utf16)            // -en, -s
        case .russian, .ukrainian, .polish: finals = Self.slavicEndings[rules!]?.map { $0.last! } ?? []
        case nil: finals = []
        }
        var low: UInt64 = 0, high: UInt64 = 0, beyond = false
        for u in finals {
            if u < 64 { low |= 1 << UInt64(u) } else if u < 128 { high |= 1 << UInt64(u - 64) } else { beyond = true }
        }
        finalUnitsLow = low
        finalUnitsHigh = high
        finalUnitsBeyondASCII = beyond
    }

    /// False when `stem` leaves every word that ends in `last` as it is (no rule, or no rule
    /// for a word ending so); true when it may shorten it.
    @inline(__always) func mayShorten(endingIn last: UInt16) -> Bool {
        if last >= 128 { return finalUnitsBeyondASCII }
        let bits = last < 64 ? finalUnitsLow : finalUnitsHigh
        return bits & (1 << UInt64(last & 63)) != 0
    }

    /// Whether a term written with a capital should be stemmed: in German every noun is
    /// capitalised and in Russian or Polish names decline (`Путина`), while elsewhere a
    /// capitalised term is a name whose plural is rare and whose stem would catch other words.
    public var stemsCapitalisedTerms: Bool {
        switch rules {
        case .german, .russian, .ukrainian, .polish: return true
        default: return false
        }
    }

    /// The stem of a folded word.
    public func stem(_ folded: String) -> String {
        var units: [UInt16] = []
        folded.appendUTF16(to: &units)
        let n = stem(&units, count: units.count)
        return String(transcodingUTF16: units[..<n])
    }

    /// Stems `units[0..<count]` in place and returns the new length.
    func stem(_ u: inout [UInt16], count: Int) -> Int {
        guard rules != nil, count > 2 else { return count }
        return u.withUnsafeMutableBufferPointer { stem($0.baseAddress!, count: count) }
    }

    /// Stems the `count` units at `u` in place and returns the new length. Rules only
    /// shorten a word (a suffix is replaced by a shorter one), so nothing is written at or past
    /// `count`; and they keep at least its first two units, which recognition relies on.
    /// (Inlined: the recognizer's word loop then calls its language's rules directly.)
    @inline(__always) func stem(_ u: UnsafeMutablePointer<UInt16>, count: Int) -> Int {
        guard let rules, count > 2 else { return count }
        switch rules {
        case .french: return french(u, count)
        case .english: return english(u, count)
        case .german: return german(u, count)
        case .spanish, .portuguese: return iberian(u, count)
        case .italian: return italian(u, count)
        case .dutch: return dutch(u, count)
        case .russian, .ukrainian, .polish: return slavic(u, count, rules)
        }
    }

    // MARK: helpers on ASCII-folded units

    @inline(__always) private func ends(_ u: UnsafeMutablePointer<UInt16>, _ n: Int, _ suffix: StaticString) -> Bool {
        let len = suffix.utf8CodeUnitCount
        guard n >= len else { return false }
        let s = suffix.utf8Start
        // The last unit first: most words are tested against many suffixes and fail there.
        guard u[n - 1] == UInt16(s[len - 1]) else { return false }
        for k in 0..<(len - 1) where u[n - len + k] != UInt16(s[k]) { return false }
        return true
    }

    @inline(__always) private func isVowel(_ c: UInt16) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }

    /// Replaces the last `drop` units by `s`, which is never longer than `drop`.
    private func replace(_ u: UnsafeMutablePointer<UInt16>, _ n: Int, drop: Int, with s: StaticString) -> Int {
        var m = n - drop
        let b = s.utf8Start
        for k in 0..<s.utf8CodeUnitCount {
            u[m] = UInt16(b[k])
            m += 1
        }
        return m
    }

    // MARK: languages

    private func french(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        var n = count
        // Plural.
        if n > 4 && ends(u, n, "aux") { n = replace(u, n, drop: 3, with: "al") }
        else if n > 3 && (u[n - 1] == 0x73 || u[n - 1] == 0x78) && u[n - 2] != 0x73 { n -= 1 } // -s, -x but not -ss
        // Feminine of adjectives and nouns of agent: every ending below ends in `e`, which
        // most words do not (one test instead of nine), and the unit before it tells which
        // endings can apply (a French text has many words in `-e`: testing them against every
        // ending cost as much as the rest of the stemming).
        guard u[n - 1] == 0x65 else { return n }
        switch u[n - 2] {
        case 0x6E: // n
            if n > 6 && ends(u, n, "ienne") { n -= 2 }            // ukrainienne → ukrainien
            else if n > 5 && ends(u, n, "enne") { n -= 2 }        // européenne → europeen
            else if n > 5 && ends(u, n, "onne") { n -= 2 }        // bretonne → breton
        case 0x6C: // l
            if n > 5 && ends(u, n, "elle") { n -= 2 }             // partielle → partiel
            else if n > 4 && ends(u, n, "ale") { n -= 1 }         // nationale → national
        case 0x73: // s
            if n > 5 && ends(u, n, "euse") { n = replace(u, n, drop: 4, with: "eur") }
        case 0x63: // c
            if n > 6 && ends(u, n, "trice") { n = replace(u, n, drop: 5, with: "teur") }
        case 0x76: // v
            if n > 5 && ends(u, n, "ive") { n = replace(u, n, drop: 3, with: "if") }
        case 0x65: // e
            if n > 4 { n -= 1 }                                   // alliée → allie
        default:
            break
        }
        return n
    }

    private func english(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        let n = count
        if n > 4 && ends(u, n, "ies") && !ends(u, n, "eies") && !ends(u, n, "aies") { return replace(u, n, drop: 3, with: "y") }
        if n > 4 && (ends(u, n, "sses") || ends(u, n, "xes") || ends(u, n, "ches") || ends(u, n, "shes") || ends(u, n, "zzes")) { return n - 2 }
        if n > 3 && u[n - 1] == 0x73 {
            let p = u[n - 2]
            if p == 0x73 || p == 0x75 || p == 0x69 { return n } // -ss, -us, -is: not plurals
            return n - 1
        }
        return n
    }

    private func german(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        let n = count
        if n > 6 && ends(u, n, "ern") { return n - 3 }
        if n > 5 && (ends(u, n, "em") || ends(u, n, "en") || ends(u, n, "er") || ends(u, n, "es")) { return n - 2 }
        if n > 4 && (u[n - 1] == 0x65 || u[n - 1] == 0x73 || u[n - 1] == 0x6E) { return n - 1 }
        return n
    }

    private func iberian(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        var n = count
        if n > 5 && ends(u, n, "oes") { n = replace(u, n, drop: 3, with: "ao") }   // naçoes → nacao
        else if n > 5 && ends(u, n, "aes") { n = replace(u, n, drop: 3, with: "ao") }
        else if n > 4 && ends(u, n, "ces") { n = replace(u, n, drop: 3, with: "z") }  // paces → paz
        else if n > 4 && ends(u, n, "es") && !isVowel(u[n - 3]) { n -= 2 }            // naciones → nacion
        else if n > 3 && u[n - 1] == 0x73 { n -= 1 }
        // Gender: ruso/rusa, bielorruso/bielorrusa.
        if n > 4 && (u[n - 1] == 0x61 || u[n - 1] == 0x6F) { n -= 1 }
        return n
    }

    private func italian(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        let n = count
        if n > 4 && isVowel(u[n - 1]) && u[n - 1] != 0x75 { return n - 1 } // -a -e -i -o
        return n
    }

    private func dutch(_ u: UnsafeMutablePointer<UInt16>, _ count: Int) -> Int {
        let n = count
        if n > 5 && ends(u, n, "en") { return n - 2 }
        if n > 4 && u[n - 1] == 0x73 && u[n - 2] != 0x73 { return n - 1 }
        return n
    }

    /// Case and number endings of Russian, Ukrainian and Polish nouns and adjectives, longest first.
    private static let slavicEndings: [Rules: [[UInt16]]] = {
        func list(_ s: [String]) -> [[UInt16]] { s.map { Array($0.utf16) }.sorted { $0.count > $1.count } }
        return [
            .russian: list(["ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ах", "ях", "ов", "ев", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ую", "юю", "ом", "ем", "ам", "ям", "ых", "их", "ию", "ия", "ие", "ии", "а", "я", "о", "е", "ы", "и", "ь", "й", "у", "ю"]),
            .ukrainian: list(["ами", "ями", "ого", "ому", "ими", "ах", "ях", "ів", "ою", "ею", "ий", "ій", "ая", "ої", "ом", "ем", "ам", "ям", "их", "іх", "ія", "ії", "ію", "ка", "ки", "ку", "а", "я", "о", "е", "и", "і", "ї", "ь", "й", "у", "ю"]),
            .polish: list(["ami", "ach", "owi", "ego", "emu", "ymi", "imi", "om", "ow", "em", "ie", "ii", "ia", "ym", "im", "ej", "a", "e", "i", "o", "u", "y"]),
        ]
    }()

    private func slavic(_ u: UnsafeMutablePointer<UInt16>, _ count: Int, _ rules: Rules) -> Int {
        guard let endings = Self.slavicEndings[rules] else { return count }
        for e in endings where count - e.count >= 3 {
            var match = true
            for k in 0..<e.count where u[count - e.count + k] != e[k] { match = false; break }
            if match { return count - e.count }
        }
        return count
    }
}
