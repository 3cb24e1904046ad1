import Foundation

/// The probabilistic model that scores a bead, re-estimated on the document after each pass.
///
/// A bead's cost is its negative log-likelihood, in nats, against the alternative of leaving its
/// sentences unaligned:
/// - **shape**: −log P(shape), the prior of 1-1, 2-1, 1-0 … beads;
/// - **length** (Gale & Church 1993): the letters of one side are normally distributed around
///   `ratio ×` the letters of the other, with a variance proportional to the length. The model is
///   averaged over both directions, so neither side is assumed to be the original; a sentence left
///   unaligned pays the marginal density of its length instead;
/// - **anchors**: each anchor (stem, number, punctuation mark, glossary concept, dictionary word)
///   of a sentence that *could* find a counterpart on the other side adds the log-likelihood ratio
///   of being matched (or not) inside the bead, against chance: a match of a rare anchor weighs a
///   lot, a match of a common one little, a missing one a constant penalty.
struct ScoringModel {
    /// Target letters per source letter.
    var ratio: Double = 1
    /// Variance of the length difference per letter (Gale & Church's s², in target letters).
    var variance: Double = 6.8
    /// Log-normal fit of single-sentence lengths, per side, for unaligned sentences.
    var logLengthMean: (Double, Double) = (4, 4)
    var logLengthDeviation: (Double, Double) = (1, 1)
    /// −log P(shape) per shape of the search.
    var shapeCost: [Double] = []
    /// Probability that an anchor that could match does match its counterpart in the right bead,
    /// per feature kind: word, number, punctuation, glossary anchor (matched as themselves),
    /// dictionary translation, learned translation.
    var matchProbability: [Double] = [0.35, 0.7, 0.6, 0.8, 0.3, 0.3]
    /// Probability that an unaligned sentence is followed by another on the same side: omitted
    /// passages and blocks of debris come in runs.
    var nullContinuation: Double = 0.5
    /// Cost of each paragraph break inside a bead (when the input says where paragraphs start).
    var paragraphBreakCost: Double = 3
    /// Scale of the anchor evidence (anchors are not independent: a name and its initial, a
    /// number and its unit), tuned on development data of two language pairs.
    var anchorWeight: Double = 0.6

    /// Gale & Church's bead priors, with 1-3/3-1 and 2-2 rare.
    static func defaultShapeCosts(_ shapes: [BeadShape]) -> [Double] {
        shapes.map { shape -> Double in
            let p: Double
            switch (shape.source, shape.target) {
            case (1, 1): p = 0.89
            case (1, 0), (0, 1): p = 0.005
            case (2, 1), (1, 2): p = 0.0445
            case (2, 2): p = 0.011
            case (3, 1), (1, 3): p = 0.002
            default: p = 0.001
            }
            return -log(p)
        }
    }

    /// Cost of aligning `l1` source letters (in `sourceCount` sentences) with `l2` target letters.
    @inline(__always)
    func lengthCost(_ l1: Double, _ l2: Double, sourceCount: Int, targetCount: Int) -> Double {
        let expected = ratio * l1
        let v = variance * max((expected + l2) * 0.5, 1)
        let d = l2 - expected
        // Both directions: target given source (variance v, target letters) and source given
        // target (variance v / ratio², source letters); the squared terms are equal.
        var cost = d * d / (2 * v) + 0.5 * log(2 * Double.pi * v) - 0.5 * log(ratio)
        // Where a side holds several sentences, how its letters split between them is one more
        // outcome: uniform over the split points.
        if sourceCount > 1 { cost += 0.5 * Double(sourceCount - 1) * log(max(l1, 2)) }
        if targetCount > 1 { cost += 0.5 * Double(targetCount - 1) * log(max(l2, 2)) }
        return cost
    }

    /// Cost of one sentence of `letters` left unaligned: half (the half of the averaged model in
    /// which that side is generated on its own) of the negative log density of its length.
    /// Unaligned sentences are more often short (headings, OCR debris, separators) than sentences
    /// in general, so the density mixes the side's log-normal fit with a log-uniform spread.
    @inline(__always)
    func unalignedLengthCost(_ letters: Double, side: Int) -> Double {
        let l = max(letters, 1)
        let mu = side == 0 ? logLengthMean.0 : logLengthMean.1
        let sigma = side == 0 ? logLengthDeviation.0 : logLengthDeviation.1
        let z = (log(l) - mu) / sigma
        let logNormal = exp(-z * z / 2) / (l * sigma * (2 * Double.pi).squareRoot())
        let logUniform = 1 / (l * log(2000.0))
        return -0.5 * log(unalignedMix * logNormal + (1 - unalignedMix) * logUniform)
    }

    /// Weight of the log-normal part of the unaligned-length density.
    var unalignedMix = 0.5
}
