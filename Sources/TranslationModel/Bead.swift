/// One link of a sentence alignment: up to a few consecutive source sentences paired with up to a
/// few consecutive target sentences (1-1, 2-1, 1-0 …), with how sure the aligner is of it.
///
/// Sentences are numbered from 0 in document order on each side. A bead with an empty side is a
/// sentence left unaligned (an omission or an addition in the translation).
public struct Bead: Sendable, Hashable, Codable {
    /// The source sentences, as a range of 0-based indices (empty for a 0-n bead).
    public var source: Range<Int>
    /// The target sentences, as a range of 0-based indices (empty for an n-0 bead).
    public var target: Range<Int>
    /// How sure the aligner is that this bead is right, from 0 to 1.
    public var confidence: Double

    /// Creates a bead.
    public init(source: Range<Int>, target: Range<Int>, confidence: Double = 1) {
        self.source = source
        self.target = target
        self.confidence = confidence
    }

    /// The bead's shape as `"source count-target count"` (`"2-1"`), the notation of the literature.
    public var shape: String { "\(source.count)-\(target.count)" }

    /// True when one side is empty: the sentences on the other side have no counterpart.
    public var isNull: Bool { source.isEmpty || target.isEmpty }
}
