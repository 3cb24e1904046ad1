/// The anchors of a bitext, as small integers: every word stem, number, punctuation mark and
/// glossary concept of both texts gets one key, so that "does this target word answer that
/// source word?" is a lookup of integers.
///
/// A target token has exactly one key (its stem). A source token has a *set* of keys: its own
/// stem when it may be a cognate or a name, plus the stems of its translations from the
/// dictionary and from the lexicon learned on the document itself. A source token matches a
/// target token when the target's key is in the source's set.
struct AnchorVocabulary {
    private(set) var ids: [String: Int32] = [:]
    private(set) var count: Int32 = 0

    /// The key of `string`, created on first use.
    mutating func key(_ string: String) -> Int32 {
        if let id = ids[string] { return id }
        let id = count
        ids[string] = id
        count += 1
        return id
    }

    /// The key of `string` if it exists.
    func existingKey(_ string: String) -> Int32? { ids[string] }
}

/// How tokens become anchor keys.
enum AnchorKeys {
    /// Letters of a word's stem: words sharing this prefix (after folding) count as cognates.
    /// Five letters join inflected forms and most French/English/German cognates
    /// (`expédition`/`Expedition`, `Russie`/`Russia`) without joining unrelated words often.
    static let stemLength = 5
    /// Shorter words are cognates only when they look like names or acronyms.
    static let minimumCognateLength = 4

    /// The stem key string of a folded word.
    static func stem(_ folded: String) -> String {
        var out = "w"
        var n = 0
        for scalar in folded.unicodeScalars {
            if n == stemLength { break }
            out.unicodeScalars.append(scalar)
            n += 1
        }
        return out
    }

    /// Number key (`#1956`): leading zeros dropped so `07` and `7` meet.
    static func number(_ digits: String) -> String {
        var s = Substring(digits)
        while s.count > 1, s.first == "0" { s = s.dropFirst() }
        return "#" + s
    }

    /// Punctuation key.
    static func punctuation(_ scalar: Unicode.Scalar) -> String { "p" + String(scalar) }

    /// Glossary concept key.
    static func anchor(_ id: String) -> String { "t" + id }
}
