import Segmentation

/// Cuts plain text into paragraphs and sentences for `verso align`, with the SRX rules of the
/// language (`Segmentation.Segmenter`: Verso's built-in rules, or those of `--srx FILE`).
struct SentenceSplitter {
    private let segmenter: Segmenter

    /// The splitter for `language`; `rules` replaces the built-in rules.
    init(language: String, rules: SRXRules? = nil) throws {
        if let rules {
            segmenter = try Segmenter(rules: rules, language: language)
        } else {
            segmenter = try Segmenter(language: language)
        }
    }

    /// Set when the rules have nothing for the language (`--source xx`): the warning to print.
    var missingLanguageRulesWarning: String? { segmenter.missingLanguageRulesWarning }

    /// Sentences as UTF-16 ranges, paragraph by paragraph (a blank line always ends a paragraph).
    func sentencesByParagraph(_ text: String) -> [[Range<Int>]] {
        segmenter.sentencesByParagraph(in: text)
    }

    /// Sentences of one paragraph as UTF-16 ranges.
    func sentences(_ text: String) -> [Range<Int>] {
        segmenter.sentences(in: text)
    }
}
