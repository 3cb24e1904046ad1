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

    /// Segments one unit with the rules for the document's source language.
    public func process(_ unit: Unit, in context: StageContext) throws -> Unit {
        try segmenters.segmenter(for: context.sourceLanguage).segment(unit)
    }
}

/// One compiled segmenter per source language, from Verso's built-in SRX rules or a user's SRX
/// file (`--srx`), built when first needed. Safe to share between threads.
public final class Segmenters: Sendable {
    private let rules: SRXRules?
    private let cache = Mutex<[String: Segmenter]>([:])

    /// `rules` nil uses the built-in rules.
    public init(rules: SRXRules? = nil) {
        self.rules = rules
    }

    /// Reads an SRX file (throws `SRXError` naming the file, line and rule when it is wrong).
    public convenience init(srxFile path: String) throws {
        self.init(rules: try SRXRules(contentsOf: path))
    }

    /// The segmenter for `language` (BCP 47).
    public func segmenter(for language: String) throws -> Segmenter {
        if let s = cache.withLock({ $0[language] }) { return s }
        let s = try rules.map { try Segmenter(rules: $0, language: language) } ?? Segmenter(language: language)
        cache.withLock { $0[language] = s }
        return s
    }
}
