/// A light check that a text is in the language the user named, so that swapped files or a wrong
/// `--target` are caught before they turn into a poor alignment: the script of the letters, and
/// for Latin-script languages the share of their most frequent function words.
public enum LanguageCheck {
    /// Frequent function words per language (lower case, accents kept).
    static let functionWords: [String: Set<String>] = [
        "en": ["the", "and", "of", "to", "is", "was", "that", "in", "it", "with", "for", "he", "she", "his", "her", "you", "not", "be", "on", "are"],
        "fr": ["le", "la", "les", "de", "des", "et", "est", "une", "un", "il", "elle", "que", "qui", "dans", "pas", "du", "au", "pour", "sur", "ne"],
        "de": ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "den", "dem", "sich", "auf", "für", "von", "es", "im", "war", "auch"],
        "es": ["el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "es", "por", "con", "para", "se", "no", "lo", "su", "al"],
        "it": ["il", "la", "di", "che", "e", "un", "una", "è", "per", "non", "con", "del", "della", "le", "gli", "si", "da", "sono", "nel", "lo"],
        "pt": ["o", "a", "os", "as", "de", "do", "da", "que", "e", "um", "uma", "é", "não", "para", "com", "em", "no", "na", "se", "por"],
        "nl": ["de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "zijn", "met", "voor", "die", "er", "ik", "je", "hij", "ze", "maar"],
        "sv": ["och", "att", "det", "som", "en", "är", "av", "för", "på", "med", "den", "till", "inte", "har", "de", "jag", "om", "ett", "var", "men"],
        "da": ["og", "at", "det", "er", "en", "af", "til", "på", "med", "den", "for", "ikke", "har", "de", "som", "jeg", "et", "var", "han", "men"],
        "pl": ["i", "w", "nie", "się", "na", "jest", "to", "że", "z", "do", "jak", "co", "ale", "od", "za", "po", "tak", "był", "dla", "ten"],
        "ro": ["și", "în", "de", "la", "nu", "cu", "pe", "este", "o", "un", "care", "din", "să", "mai", "ce", "pentru", "sunt", "a", "fost", "se"],
    ]

    /// The writing system of a language's usual script.
    enum Script: String { case latin = "Latin", cyrillic = "Cyrillic", greek = "Greek", arabic = "Arabic", hebrew = "Hebrew", han = "Han", kana = "Japanese kana", hangul = "Hangul", thai = "Thai", devanagari = "Devanagari" }

    static func script(of language: String) -> Script? {
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        switch primary {
        case "ru", "uk", "bg", "be", "mk", "kk", "ky", "mn", "tg": return .cyrillic
        case "sr": return language.lowercased().contains("latn") ? .latin : nil
        case "el": return .greek
        case "ar", "fa", "ur", "ps": return .arabic
        case "he", "yi": return .hebrew
        case "zh": return .han
        case "ja": return .kana
        case "ko": return .hangul
        case "th": return .thai
        case "hi", "mr", "ne", "sa": return .devanagari
        case "en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi", "pl", "cs", "sk", "sl", "hr", "bs", "ro",
             "hu", "tr", "et", "lv", "lt", "ca", "eu", "gl", "ga", "cy", "is", "mt", "sq", "id", "ms", "vi", "sw", "af", "la", "eo":
            return .latin
        default: return nil
        }
    }

    static func script(of scalar: Unicode.Scalar) -> Script? {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: return .latin
        case 0x400...0x52F: return .cyrillic
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x600...0x6FF, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x590...0x5FF: return .hebrew
        case 0x3040...0x30FF: return .kana
        case 0x4E00...0x9FFF, 0x3400...0x4DBF: return .han
        case 0xAC00...0xD7AF, 0x1100...0x11FF: return .hangul
        case 0xE00...0xE7F: return .thai
        case 0x900...0x97F: return .devanagari
        default: return nil
        }
    }

    /// Language names for messages.
    static let names: [String: String] = ["en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                                          "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "pl": "Polish", "ro": "Romanian"]

    /// Nil when `sentences` may well be in `language`; otherwise a sentence saying what they look like.
    public static func mismatch(_ sentences: [String], declared language: String) -> String? {
        let sample = sentences.prefix(400)
        var scripts: [Script: Int] = [:]
        var letters = 0
        for sentence in sample {
            for scalar in sentence.unicodeScalars where scalar.properties.isAlphabetic {
                letters += 1
                if let s = script(of: scalar) { scripts[s, default: 0] += 1 }
            }
        }
        guard letters >= 50 else { return nil }
        let declaredScript = script(of: language)
        if let (dominant, count) = scripts.max(by: { $0.value < $1.value }), Double(count) / Double(letters) > 0.8,
           let declaredScript, dominant != declaredScript {
            // Japanese mixes kana with Han; Chinese text has no kana.
            let compatible = declaredScript == .kana && dominant == .han && (scripts[.kana] ?? 0) > letters / 20
            if !compatible { return "the text is written in \(dominant.rawValue) script, not in the \(declaredScript.rawValue) script of '\(language)'" }
        }
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? language
        guard declaredScript == .latin, functionWords[primary] != nil else { return nil }
        var counts: [String: Int] = [:]
        var tokens = 0
        for sentence in sample {
            for word in sentence.lowercased().split(whereSeparator: { !$0.isLetter }) {
                tokens += 1
                let w = String(word)
                for (lang, words) in functionWords where words.contains(w) { counts[lang, default: 0] += 1 }
            }
        }
        guard tokens >= 100 else { return nil }
        let ownShare = Double(counts[primary] ?? 0) / Double(tokens)
        guard let (best, bestCount) = counts.max(by: { $0.value < $1.value }), best != primary else { return nil }
        let bestShare = Double(bestCount) / Double(tokens)
        if bestShare > 0.12 && bestShare > 3 * ownShare {
            return "the text looks \(names[best] ?? best), not \(names[primary] ?? primary) ('\(language)')"
        }
        return nil
    }
}
