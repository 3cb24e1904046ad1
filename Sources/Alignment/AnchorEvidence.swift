import Foundation

/// Per sentence, the anchor features that can find a counterpart on the other side, with the
/// evidence a match brings (at most 64 a sentence, the most telling ones, so that a bit mask
/// covers them).
///
/// A token can match through three channels, each with its own match probability estimated on
/// the document: itself (cognates, names, numbers, punctuation, glossary concepts), the
/// dictionary, and the lexicon learned on a previous pass. Each channel has its own copy of the
/// key space ("virtual keys" `key + channel × V`), so one token can be a feature in each.
struct AnchorEvidence {
    /// Matching channels: itself, dictionary, learned lexicon.
    static let channels = 3
    /// Feature kinds: the four token kinds matched as themselves, then dictionary and learned.
    static let kinds = 6

    /// One side's features.
    struct Side {
        /// Features of sentence `i`: `start[i]..<start[i + 1]`.
        var start: [Int32] = [0]
        /// Each feature's virtual key (source side: whose match set is tried).
        var key: [Int32] = []
        /// Each feature's kind (index into `ScoringModel.matchProbability`).
        var kind: [UInt8] = []
        /// Log-likelihood gain of a match over a miss, for 1 to `maximumSentences` sentences on the
        /// other side.
        var gain: [Float] = []
        /// Sum of the miss log-likelihoods of the sentence's features (what it scores when
        /// nothing matches).
        var base: [Float] = []
        /// Chance probability of a match of each feature against one sentence.
        var chance: [Float] = []
    }

    var source = Side()
    var target = Side()
    /// Match sets of source virtual keys: `setKeys[setStart[k]..<setStart[k + 1]]` (target virtual keys).
    var setStart: [Int32] = []
    var setKeys: [Int32] = []

    static let maximumFeatures = 64
    /// The most sentences a side of a bead may hold.
    static let maximumSentences = BeadShape.maximumSide

    /// Builds the evidence tables of `bitext` under `model`.
    init(bitext: Bitext, model: ScoringModel) {
        let v = Int(bitext.vocabulary.count)
        let virtualCount = v * Self.channels
        setStart = [Int32](repeating: 0, count: virtualCount + 1)
        for channel in 0..<Self.channels {
            for k in 0..<v {
                let vk = channel * v + k
                if bitext.inSource[k] {
                    switch channel {
                    case 0:
                        if bitext.matchesItself[k] && bitext.inTarget[k] { setKeys.append(Int32(k)) }
                    case 1:
                        for t in bitext.dictionary[k] where bitext.inTarget[Int(t)] { setKeys.append(Int32(v) + t) }
                    default:
                        for t in bitext.learned[k] where bitext.inTarget[Int(t)] { setKeys.append(Int32(2 * v) + t) }
                    }
                }
                setStart[vk + 1] = Int32(setKeys.count)
            }
        }
        // Document frequencies: target sentences holding a key; source sentences whose match
        // sets reach a virtual key.
        var targetFrequency = [Int32](repeating: 0, count: v)
        for k in bitext.target.keys { targetFrequency[Int(k)] += 1 }
        var reach = [Int32](repeating: 0, count: virtualCount)
        var lastSentence = [Int32](repeating: -1, count: virtualCount)
        for i in 0..<bitext.source.count {
            for k in bitext.source.keys(of: i) {
                for channel in 0..<Self.channels {
                    let vk = channel * v + Int(k)
                    for m in setKeys[Int(setStart[vk])..<Int(setStart[vk + 1])] where lastSentence[Int(m)] != Int32(i) {
                        lastSentence[Int(m)] = Int32(i)
                        reach[Int(m)] += 1
                    }
                }
            }
        }
        let sourceCount = Double(max(bitext.source.count, 1)), targetCount = Double(max(bitext.target.count, 1))

        // Chance that a random target sentence holds any key of a source feature's match set.
        var sourceChance = [Float](repeating: 0, count: virtualCount)
        for vk in 0..<virtualCount where setStart[vk + 1] > setStart[vk] {
            var miss = 1.0
            for m in setKeys[Int(setStart[vk])..<Int(setStart[vk + 1])] {
                miss *= 1 - Double(targetFrequency[Int(m) % v]) / targetCount
            }
            sourceChance[vk] = Float(1 - miss)
        }
        func kind(_ vk: Int32) -> UInt8 {
            let channel = Int(vk) / v
            return channel == 0 ? bitext.kind[Int(vk)].rawValue : UInt8(3 + channel)
        }
        source = Self.side(bitext.source, virtualKeys: v, model: model, kind: kind) { sourceChance[Int($0)] }
        target = Self.side(bitext.target, virtualKeys: v, model: model, kind: kind) { Float(Double(reach[Int($0)]) / sourceCount) }
    }

    private static func side(_ text: Bitext.Side, virtualKeys v: Int, model: ScoringModel,
                             kind: (Int32) -> UInt8, chance: (Int32) -> Float) -> Side {
        var out = Side()
        out.start.reserveCapacity(text.count + 1)
        out.base.reserveCapacity(text.count)
        var candidates: [(key: Int32, chance: Float)] = []
        for i in 0..<text.count {
            candidates.removeAll(keepingCapacity: true)
            for k in text.keys(of: i) {
                for channel in 0..<channels {
                    let vk = Int32(channel * v) + k
                    let p = chance(vk)
                    if p > 0 { candidates.append((vk, p)) }
                }
            }
            if candidates.count > maximumFeatures {
                // Keep the rarest anchors: they carry the evidence.
                candidates.sort { $0.chance < $1.chance }
                candidates.removeLast(candidates.count - maximumFeatures)
            }
            var base: Double = 0
            for (k, p0) in candidates {
                let featureKind = kind(k)
                let p1 = model.matchProbability[Int(featureKind)]
                let miss = log(1 - p1)
                base += miss
                out.key.append(k)
                out.kind.append(featureKind)
                out.chance.append(min(p0, 0.999))
                for b in 1...Self.maximumSentences {
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
