import Foundation

/// Per sentence, the anchors that can find a counterpart on the other side, with the evidence a
/// match brings (at most 64 a sentence, the most telling ones, so a bit mask covers them).
struct AnchorEvidence {
    /// One side's features.
    struct Side {
        /// Features of sentence `i`: `start[i]..<start[i + 1]`.
        var start: [Int32] = [0]
        /// Each feature's key (source side: the key whose match set is tried).
        var key: [Int32] = []
        /// Each feature's kind.
        var kind: [UInt8] = []
        /// Log-likelihood gain of a match over a miss, for 1, 2 and 3 sentences on the other side.
        var gain: [Float] = []
        /// Sum of the miss log-likelihoods of the sentence's features (what it scores when
        /// nothing matches).
        var base: [Float] = []
        /// Chance probability of a match of each feature against one sentence.
        var chance: [Float] = []
    }

    var source = Side()
    var target = Side()
    /// Flat match sets of source keys: `matchKeys[matchStart[k]..<matchStart[k+1]]`.
    var matchStart: [Int32] = []
    var matchKeys: [Int32] = []

    static let maximumFeatures = 64

    /// Builds the evidence tables of `bitext` under `model`.
    init(bitext: Bitext, model: ScoringModel) {
        let keyCount = Int(bitext.vocabulary.count)
        // Match sets of source keys, flattened.
        matchStart = [Int32](repeating: 0, count: keyCount + 1)
        var scratch: [Int32] = []
        for k in 0..<keyCount {
            if bitext.inSource[k] {
                bitext.matchSet(Int32(k), into: &scratch)
                for t in scratch where bitext.inTarget[Int(t)] { matchKeys.append(t) }
            }
            matchStart[k + 1] = Int32(matchKeys.count)
        }
        // Document frequencies: target sentences holding a key; source sentences whose match
        // sets reach a key.
        var targetFrequency = [Int32](repeating: 0, count: keyCount)
        for k in bitext.target.keys { targetFrequency[Int(k)] += 1 }
        var reach = [Int32](repeating: 0, count: keyCount)
        var lastSentence = [Int32](repeating: -1, count: keyCount)
        for i in 0..<bitext.source.count {
            for k in bitext.source.keys(of: i) {
                for m in matchKeys[Int(matchStart[Int(k)])..<Int(matchStart[Int(k) + 1])] where lastSentence[Int(m)] != Int32(i) {
                    lastSentence[Int(m)] = Int32(i)
                    reach[Int(m)] += 1
                }
            }
        }
        let sourceCount = Double(max(bitext.source.count, 1)), targetCount = Double(max(bitext.target.count, 1))

        // Source features: chance of a match = chance that a random target sentence holds any
        // key of the match set.
        var chanceOfSourceKey = [Float](repeating: 0, count: keyCount)
        for k in 0..<keyCount where bitext.inSource[k] {
            var miss = 1.0
            for m in matchKeys[Int(matchStart[k])..<Int(matchStart[k + 1])] {
                miss *= 1 - Double(targetFrequency[Int(m)]) / targetCount
            }
            chanceOfSourceKey[k] = Float(1 - miss)
        }
        source = Self.side(bitext.source, bitext: bitext, model: model) { chanceOfSourceKey[Int($0)] }
        target = Self.side(bitext.target, bitext: bitext, model: model) { Float(Double(reach[Int($0)]) / sourceCount) }
    }

    private static func side(_ text: Bitext.Side, bitext: Bitext, model: ScoringModel, chance: (Int32) -> Float) -> Side {
        var out = Side()
        out.start.reserveCapacity(text.count + 1)
        out.base.reserveCapacity(text.count)
        var candidates: [(key: Int32, chance: Float)] = []
        for i in 0..<text.count {
            candidates.removeAll(keepingCapacity: true)
            for k in text.keys(of: i) {
                let p = chance(k)
                if p > 0 { candidates.append((k, p)) }
            }
            if candidates.count > maximumFeatures {
                // Keep the rarest anchors: they carry the evidence.
                candidates.sort { $0.chance < $1.chance }
                candidates.removeLast(candidates.count - maximumFeatures)
            }
            var base: Double = 0
            for (k, p0) in candidates {
                let kind = bitext.kind[Int(k)]
                let p1 = model.matchProbability[Int(kind.rawValue)]
                let miss = log(1 - p1)
                base += miss
                out.key.append(k)
                out.kind.append(kind.rawValue)
                out.chance.append(min(p0, 0.999))
                for b in 1...3 {
                    let chanceB = 1 - pow(1 - min(Double(p0), 0.999), Double(b))
                    let hit = log(chanceB + (1 - chanceB) * p1) - log(chanceB)
                    out.gain.append(Float((hit - miss) * model.anchorWeight))
                }
            }
            out.base.append(Float(base * model.anchorWeight))
            out.start.append(Int32(out.key.count))
        }
        return out
    }
}
