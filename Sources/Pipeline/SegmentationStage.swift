import Diagnostics
import Segmentation
import Synchronization
import TranslationModel

/// Splits each unit into sentences with SRX rules (`Segmentation.Segmenter`): segments, with the
/// whitespace between sentences as ignorables and inline codes kept intact. Units that are
/// translated already, or marked `canResegment="no"`, are left as they are.
public struct SegmentationStage: Stage {
    /// "segment".
    public var name: String { "segment" }

    private let segmenters: Segmenters

    /// Creates the stage.
    public init(segmenters: Segmenters) {
        self.segmenters = segmenters
    }

    /// Segments one unit with the rules for the document's source language. The unit is handed
    /// on to the segmenter, which returns it with new parts rather than a copy.
    public func process(_ unit: consuming Unit, in context: StageContext) throws -> Unit {
        let segmenter = try segmenters.segmenter(for: context.sourceLanguage)
        if segmenter.missingLanguageRulesWarning != nil, let warning = segmenters.warningOnce(for: context.sourceLanguage) {
            context.findings.report(.warning, warning, at: SourceLocation(file: context.file), code: "segment.no-language-rules")
        }
        return segmenter.segment(unit)
    }
}

/// One compiled segmenter per source language, from Verso's built-in SRX rules or a user's SRX
/// file (`--srx`), built when first needed. Safe to share between threads.
public final class Segmenters: Sendable {
    private let rules: SRXRules?
    private let cache = Mutex<Cache>(Cache())
    private let warned = Mutex<Set<String>>([])

    /// `rules` nil uses the built-in rules.
    public init(rules: SRXRules? = nil) {
        self.rules = rules
    }

    /// Reads an SRX file (throws `SRXError` naming the file, line and rule when it is wrong).
    public convenience init(srxFile path: String) throws {
        self.init(rules: try SRXRules(contentsOf: path))
    }

    /// The warning that the rules have nothing for `language` (`xx`, `german`), the first time
    /// it is asked for in this run; nil after that, or when the language has rules.
    public func warningOnce(for language: String) -> String? {
        guard let warning = try? segmenter(for: language).missingLanguageRulesWarning else { return nil }
        return warned.withLock { $0.insert(language).inserted } ? warning : nil
    }

    /// The segmenter for `language` (BCP 47).
    ///
    /// Compiled under the lock: the workers of a batch all ask for the same language as they
    /// start, and compiling it once while the others wait costs less than each compiling it.
    public func segmenter(for language: String) throws -> Segmenter {
        try cache.withLock { cache in
            if let last = cache.last, last.language == language { return last.segmenter }
            let s: Segmenter
            if let known = cache.byLanguage[language] {
                s = known
            } else {
                s = try rules.map { try Segmenter(rules: $0, language: language) } ?? Segmenter(language: language)
                cache.byLanguage[language] = s
            }
            cache.last = (language, s)
            return s
        }
    }

    /// The segmenters built so far, and the one asked for last: the stage asks once per unit,
    /// nearly always for the language it asked for before, and comparing that (short) code
    /// costs much less than hashing it for the dictionary.
    private struct Cache {
        var byLanguage: [String: Segmenter] = [:]
        var last: (language: String, segmenter: Segmenter)?
    }
}
