import Foundation

/// Cuts plain text into paragraphs (at blank lines) and sentences, for `verso align`.
///
/// A fallback until the `Segmentation` module (SRX rules per language) is on main, when this type
/// becomes a thin wrapper over `Segmenter`: a sentence ends at `.`, `!`, `?` or `…` (and the
/// closing quotes or brackets after it) followed by a space and a capital, a digit or an opening
/// quote or dash — not after an initial (`G. O. Dyhrenfurth`) or a common abbreviation (`M.`,
/// `Dr.`, `etc.`, `z. B.`).
struct SentenceSplitter {
    let language: String

    init(language: String) throws {
        self.language = language
    }

    /// Abbreviations after which a period does not end a sentence (lower-cased, without the period).
    static let abbreviations: Set<String> = [
        "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "st", "ste", "etc", "cf", "p", "pp", "vol", "n", "no",
        "nr", "mr", "mrs", "ms", "prof", "sr", "jr", "vs", "fig", "ch", "art", "av", "bd", "env", "ca", "bzw", "usw", "vgl",
        "z", "b", "d", "h", "s", "u", "a", "e", "i", "jan", "feb", "févr", "janv", "sept", "oct", "nov", "déc", "dec", "approx",
        "sig", "gen", "col", "capt", "lt", "sgt", "gén", "mgr", "hr", "fr", "sra", "sr", "dña", "sig.ra",
    ]

    /// Sentences as UTF-16 ranges, paragraph by paragraph.
    func sentencesByParagraph(_ text: String) -> [[Range<Int>]] {
        let units = Array(text.utf16)
        var paragraphs: [[Range<Int>]] = []
        var start = 0
        var i = 0
        while i < units.count {
            if units[i] == 0x0A {
                var j = i + 1
                while j < units.count, units[j] == 0x20 || units[j] == 0x09 || units[j] == 0x0D { j += 1 }
                if j < units.count, units[j] == 0x0A {
                    let ranges = sentences(units, start, i)
                    if !ranges.isEmpty { paragraphs.append(ranges) }
                    start = j + 1
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        let ranges = sentences(units, start, units.count)
        if !ranges.isEmpty { paragraphs.append(ranges) }
        return paragraphs
    }

    /// Sentences of one paragraph as UTF-16 ranges.
    func sentences(_ text: String) -> [Range<Int>] {
        let units = Array(text.utf16)
        return sentences(units, 0, units.count)
    }

    private static let closers: Set<UInt16> = [0x22, 0x27, 0xBB, 0x201D, 0x2019, 0x29, 0x5D]
    private static func isSpace(_ u: UInt16) -> Bool { u == 0x20 || u == 0x0A || u == 0x0D || u == 0x09 || u == 0xA0 || u == 0x202F }

    private func sentences(_ units: [UInt16], _ start: Int, _ end: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var sentenceStart = start
        var i = start
        while i < end {
            let u = units[i]
            guard u == 0x2E || u == 0x21 || u == 0x3F || u == 0x2026 else { i += 1; continue }
            var j = i + 1
            while j < end, units[j] == 0x2E || units[j] == 0x21 || units[j] == 0x3F || units[j] == 0x2026 { j += 1 }
            // French puts a space before closing guillemets and marks: « … ! »
            var k = j
            while k < end, Self.isSpace(units[k]) || Self.closers.contains(units[k]) {
                if Self.closers.contains(units[k]) { j = k + 1 }
                k += 1
            }
            guard j < end, Self.isSpace(units[j]) || j < k else { i = j; continue }
            var next = j
            while next < end, Self.isSpace(units[next]) { next += 1 }
            guard next < end else { i = next; continue }
            if u == 0x2E && !endsSentence(units, sentenceStart, i) { i = j; continue }
            let after = units[next]
            let startsSentence = Self.isUpper(after) || (after >= 0x30 && after <= 0x39)
                || [0x22, 0xAB, 0x201C, 0x2018, 0x27, 0x28, 0x2014, 0x2013, 0x2D, 0xBF, 0xA1].contains(after)
            if startsSentence {
                out.append(sentenceStart..<j)
                sentenceStart = next
            }
            i = next
        }
        if sentenceStart < end {
            let rest = String(decoding: units[sentenceStart..<end], as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !rest.isEmpty { out.append(sentenceStart..<end) }
        }
        return out
    }

    private static func isUpper(_ u: UInt16) -> Bool {
        guard let scalar = Unicode.Scalar(u) else { return false }
        return scalar.properties.isUppercase
    }

    /// False when the period at `dot` closes an initial or an abbreviation.
    private func endsSentence(_ units: [UInt16], _ sentenceStart: Int, _ dot: Int) -> Bool {
        var w = dot
        while w > sentenceStart, let s = Unicode.Scalar(units[w - 1]), s.properties.isAlphabetic { w -= 1 }
        guard w < dot else { return true } // "3." or ")." end sentences
        let word = String(decoding: units[w..<dot], as: UTF16.self)
        if word.count == 1, word.uppercased() == word { return false } // an initial
        return !Self.abbreviations.contains(word.lowercased())
    }
}
