import Foundation

extension SentenceAligner {
    /// Visits every anchor feature of the aligned (non-null) beads: its kind, whether it found its
    /// counterpart inside the bead, its chance probability, and how many sentences the other side
    /// of the bead holds.
    static func visitFeatures(bitext: Bitext, evidence: AnchorEvidence, beads: [ScoredBead], sourceOnly: Bool = false,
                              _ visit: (_ kind: Int, _ matched: Bool, _ chance: Double, _ others: Int) -> Void) {
        let keyCount = Int(bitext.vocabulary.count) * AnchorEvidence.channels
        var targetMark = [Int32](repeating: -1, count: keyCount)
        var sourceReach = [Int32](repeating: -1, count: keyCount)
        let src = evidence.source, tgt = evidence.target
        for (index, bead) in beads.enumerated() {
            let a = bead.sourceEnd - bead.sourceStart, b = bead.targetEnd - bead.targetStart
            guard a > 0, b > 0 else { continue }
            let mark = Int32(index)
            for t in bead.targetStart..<bead.targetEnd {
                for g in Int(tgt.start[t])..<Int(tgt.start[t + 1]) { targetMark[Int(tgt.key[g])] = mark }
            }
            for s in bead.sourceStart..<bead.sourceEnd {
                for f in Int(src.start[s])..<Int(src.start[s + 1]) {
                    let k = Int(src.key[f])
                    var matched = false
                    for mk in Int(evidence.setStart[k])..<Int(evidence.setStart[k + 1]) {
                        let key = Int(evidence.setKeys[mk])
                        sourceReach[key] = mark
                        if targetMark[key] == mark { matched = true }
                    }
                    visit(Int(src.kind[f]), matched, Double(src.chance[f]), b)
                }
            }
            if sourceOnly { continue }
            for t in bead.targetStart..<bead.targetEnd {
                for g in Int(tgt.start[t])..<Int(tgt.start[t + 1]) {
                    visit(Int(tgt.kind[g]), sourceReach[Int(tgt.key[g])] == mark, Double(tgt.chance[g]), a)
                }
            }
        }
    }

    /// The model re-estimated on an alignment: length ratio and variance from its beads, match
    /// probabilities per anchor kind corrected for chance.
    static func reestimate(_ model: ScoringModel, bitext: Bitext, evidence: AnchorEvidence, beads: [ScoredBead], shapes: [BeadShape]) -> ScoringModel {
        var out = model
        var sumS = 0.0, sumT = 0.0
        for bead in beads where bead.sourceEnd > bead.sourceStart && bead.targetEnd > bead.targetStart {
            sumS += Double(bitext.source.length(bead.sourceStart, bead.sourceEnd))
            sumT += Double(bitext.target.length(bead.targetStart, bead.targetEnd))
        }
        if sumS > 0, sumT > 0 { out.ratio = sumT / sumS }
        var normalized: [Double] = []
        for bead in beads where bead.sourceEnd - bead.sourceStart == 1 && bead.targetEnd - bead.targetStart == 1 {
            let l1 = Double(bitext.source.lengths[bead.sourceStart]), l2 = Double(bitext.target.lengths[bead.targetStart])
            let expected = out.ratio * l1
            let d = l2 - expected
            normalized.append(d * d / max((expected + l2) / 2, 1))
        }
        if normalized.count >= 20 {
            normalized.sort()
            // The median of a χ²(1) variable is 0.455 times its mean; the median resists the
            // misaligned beads a first pass always has.
            let median = normalized[normalized.count / 2]
            out.variance = min(40, max(2, median / 0.455))
        }
        do {
            // Shape priors: the counts of this alignment, smoothed towards the defaults (the
            // defaults weigh as much as 300 beads, so a short text barely moves them).
            let defaults = ScoringModel.defaultShapeCosts(shapes).map { exp(-$0) }
            var counts = [Double](repeating: 0, count: shapes.count)
            for bead in beads {
                if let index = shapes.firstIndex(where: { $0.source == bead.sourceEnd - bead.sourceStart && $0.target == bead.targetEnd - bead.targetStart }) {
                    counts[index] += 1
                }
            }
            let alpha = 300.0
            let total = counts.reduce(0, +) + alpha
            out.shapeCost = zip(counts, defaults).map { -log(($0 + alpha * $1) / total) }
            // Runs of unaligned sentences: how often a null bead follows one of its kind.
            var nulls = 0.0, continued = 0.0
            for k in beads.indices {
                let a = beads[k].sourceEnd - beads[k].sourceStart, b = beads[k].targetEnd - beads[k].targetStart
                guard a == 0 || b == 0, k + 1 < beads.count else { continue }
                nulls += 1
                let na = beads[k + 1].sourceEnd - beads[k + 1].sourceStart, nb = beads[k + 1].targetEnd - beads[k + 1].targetStart
                if (a == 0 && na == 0) || (b == 0 && nb == 0) { continued += 1 }
            }
            let weight = 20.0
            out.nullContinuation = min(0.9, max(0.1, (continued + weight * 0.5) / (nulls + weight)))
        }
        var hits = [Double](repeating: 0, count: AnchorEvidence.kinds)
        var trials = [Double](repeating: 0, count: AnchorEvidence.kinds)
        visitFeatures(bitext: bitext, evidence: evidence, beads: beads) { kind, matched, chance, others in
            let p0 = 1 - pow(1 - chance, Double(others))
            hits[kind] += (matched ? 1 : 0) - p0
            trials[kind] += 1 - p0
        }
        // The learned lexicon was read off this very alignment, so its matches here are
        // self-fulfilling: keep its prior.
        for kind in 0..<hits.count - 1 where trials[kind] >= 30 {
            // Shrink towards the prior so a small document does not swing the estimate.
            let prior = model.matchProbability[kind], weight = 30.0
            let p = (hits[kind] + prior * weight) / (trials[kind] + weight)
            out.matchProbability[kind] = min(0.95, max(0.05, p))
        }
        return out
    }

    /// Raw share of anchor features matched inside aligned beads.
    static func matchRate(bitext: Bitext, evidence: AnchorEvidence, beads: [ScoredBead]) -> Double {
        var hit = 0, total = 0
        visitFeatures(bitext: bitext, evidence: evidence, beads: beads) { _, matched, _, _ in
            total += 1
            if matched { hit += 1 }
        }
        return total == 0 ? 0 : Double(hit) / Double(total)
    }
}

/// Learns word translations from an alignment of the document itself: words that keep turning
/// up in the same beads (log-likelihood ratio over beads) become anchors of the next pass, as
/// hunalign's realign step does without a dictionary.
enum LexiconLearner {
    /// Pairs must co-occur in at least this many beads.
    static let minimumCount = 3
    /// Minimum association (Dunning's G²; 20 is far beyond chance, p < 10⁻⁵), which adapts to
    /// the document's size where a fixed count or Dice threshold would not.
    static let minimumG2 = 20.0
    /// At most this many translations per source word.
    static let maximumPerWord = 3
    /// Beads sampled at most (statistics settle long before; keeps long documents linear).
    static let maximumBeads = 40_000

    /// Adds the learned pairs to `bitext.learned`; returns how many were added.
    static func learn(into bitext: inout Bitext, beads: [ScoredBead]) -> Int {
        let aligned = beads.filter { $0.sourceEnd > $0.sourceStart && $0.targetEnd > $0.targetStart }
        guard aligned.count >= 10 else { return 0 }
        let step = max(1, aligned.count / maximumBeads)
        let keyCount = Int(bitext.vocabulary.count)
        var sourceCount = [Int32](repeating: 0, count: keyCount)
        var targetCount = [Int32](repeating: 0, count: keyCount)
        var mark = [Int32](repeating: -1, count: keyCount)
        var beadSource: [[Int32]] = [], beadTarget: [[Int32]] = []
        var index: Int32 = 0
        for bead in stride(from: 0, to: aligned.count, by: step).map({ aligned[$0] }) {
            index += 1
            var s: [Int32] = [], t: [Int32] = []
            for i in bead.sourceStart..<bead.sourceEnd {
                for k in bitext.source.keys(of: i) where bitext.kind[Int(k)] == .word && mark[Int(k)] != index {
                    mark[Int(k)] = index
                    s.append(k)
                }
            }
            index += 1
            for j in bead.targetStart..<bead.targetEnd {
                for k in bitext.target.keys(of: j) where bitext.kind[Int(k)] == .word && mark[Int(k)] != index {
                    mark[Int(k)] = index
                    t.append(k)
                }
            }
            for k in s { sourceCount[Int(k)] += 1 }
            for k in t { targetCount[Int(k)] += 1 }
            beadSource.append(s)
            beadTarget.append(t)
        }
        var pairs: [UInt64: Int32] = [:]
        for (s, t) in zip(beadSource, beadTarget) {
            let sf = s.filter { sourceCount[Int($0)] >= minimumCount }
            let tf = t.filter { targetCount[Int($0)] >= minimumCount }
            for a in sf {
                for b in tf where a != b {
                    pairs[UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)), default: 0] += 1
                }
            }
        }
        var best: [Int32: [(Int32, Double)]] = [:]
        let total = Double(beadSource.count)
        for (pair, count) in pairs where Int(count) >= minimumCount {
            let a = Int32(truncatingIfNeeded: pair >> 32), b = Int32(truncatingIfNeeded: pair & 0xFFFF_FFFF)
            let cs = Double(sourceCount[Int(a)]), ct = Double(targetCount[Int(b)]), k = Double(count)
            guard k * total > cs * ct else { continue } // attraction, not repulsion
            let g2 = logLikelihoodRatio(k, cs - k, ct - k, total - cs - ct + k)
            if g2 >= minimumG2 { best[a, default: []].append((b, g2)) }
        }
        var added = 0
        for (a, candidates) in best {
            let top = candidates.sorted { $0.1 > $1.1 }.prefix(maximumPerWord)
            for (b, _) in top where !bitext.learned[Int(a)].contains(b) && !bitext.dictionary[Int(a)].contains(b)
                && !(bitext.matchesItself[Int(a)] && a == b) {
                bitext.learned[Int(a)].append(b)
                added += 1
            }
        }
        return added
    }

    /// Dunning's log-likelihood ratio (G²) of a 2×2 contingency table.
    static func logLikelihoodRatio(_ k11: Double, _ k12: Double, _ k21: Double, _ k22: Double) -> Double {
        func h(_ values: Double...) -> Double {
            let n = values.reduce(0, +)
            return values.reduce(0) { $0 + ($1 > 0 ? $1 * log($1 / n) : 0) }
        }
        return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))
    }
}
