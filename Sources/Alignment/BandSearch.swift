import Foundation

/// The rows of the search: for each number `i` of source sentences consumed, the numbers of
/// target sentences `lower[i]...upper[i]` the search considers (a band around the diagonal).
struct Band {
    var lower: [Int]
    var upper: [Int]

    /// A band of half-width `radius` around `center` (one entry per row, non-decreasing,
    /// from 0 to `targetCount`).
    init(center: [Int], radius: Int, targetCount: Int) {
        self.init(center: center, radius: [Int](repeating: radius, count: center.count), targetCount: targetCount)
    }

    /// A band with a half-width per row.
    init(center: [Int], radius: [Int], targetCount: Int) {
        lower = zip(center, radius).map { max(0, $0 - $1) }
        upper = zip(center, radius).map { min(targetCount, $0 + $1) }
        normalize(targetCount: targetCount)
    }

    /// Makes the band usable: starts at (0, 0), ends at (n, m), monotone, consecutive rows overlap.
    mutating func normalize(targetCount: Int) {
        let n = lower.count - 1
        lower[0] = 0
        upper[n] = targetCount
        for i in 1...max(n, 1) where i <= n { lower[i] = max(lower[i], lower[i - 1]) }
        if n >= 1 { for i in stride(from: n - 1, through: 0, by: -1) { upper[i] = min(upper[i], upper[i + 1]) } }
        for i in 0...n {
            if upper[i] < lower[i] { upper[i] = lower[i] }
            if i > 0, upper[i - 1] < lower[i] { upper[i - 1] = lower[i] }
        }
        // Widening rows may have broken monotonicity of the upper edge: restore it.
        for i in 1...max(n, 1) where i <= n { upper[i] = max(upper[i], upper[i - 1]) }
        upper[n] = targetCount
    }

    /// Number of cells.
    var cellCount: Int { zip(lower, upper).reduce(0) { $0 + $1.1 - $1.0 + 1 } }
}

/// One bead of the best path with its cost and the cost of leaving its sentences unaligned.
struct ScoredBead {
    var sourceStart: Int, sourceEnd: Int, targetStart: Int, targetEnd: Int
    var cost: Double
    /// Posterior probability of the bead (forward–backward over the band), when computed.
    var posterior: Double = 0
}

/// Dynamic programming over beads inside a band: the best path, and the rows where it touched
/// the band's edge (where a wider band might find a better one).
struct BandSearch {
    let bitext: Bitext
    let evidence: AnchorEvidence
    let model: ScoringModel
    let shapes: [BeadShape]
    /// Ring of pair rows: holds the source sentences a bead can span.
    static let ring = 8
    static let ringMask = ring - 1
    /// The most source sentences a shape holds.
    var maxSource: Int { shapes.map(\.source).max() ?? 1 }

    /// Pair masks of the last source sentences against their windows of target sentences, in
    /// flat buffers (one ring slot per sentence) so the inner loop reads them without reference
    /// counting. Not `Sendable`: one search owns it.
    final class PairStore {
        let stride: Int
        let windowStart: UnsafeMutablePointer<Int>
        let source: UnsafeMutablePointer<UInt64>
        let target: UnsafeMutablePointer<UInt64>
        /// Which sentence each slot holds (-1: none).
        var holds: [Int]

        init(stride: Int) {
            self.stride = max(stride, 1)
            windowStart = .allocate(capacity: BandSearch.ring)
            windowStart.initialize(repeating: 0, count: BandSearch.ring)
            source = .allocate(capacity: BandSearch.ring * self.stride)
            source.initialize(repeating: 0, count: BandSearch.ring * self.stride)
            target = .allocate(capacity: BandSearch.ring * self.stride)
            target.initialize(repeating: 0, count: BandSearch.ring * self.stride)
            holds = [Int](repeating: -1, count: BandSearch.ring)
        }

        deinit {
            windowStart.deallocate()
            source.deallocate()
            target.deallocate()
        }
    }

    /// What the cost of a bead reads, copied once into flat buffers.
    final class CostKernel {
        let sourceStart: UnsafeMutablePointer<Int32>, targetStart: UnsafeMutablePointer<Int32>
        let sourceGain: UnsafeMutablePointer<Float>, targetGain: UnsafeMutablePointer<Float>
        let sourceBase: UnsafeMutablePointer<Float>, targetBase: UnsafeMutablePointer<Float>
        let sourceCumulative: UnsafeMutablePointer<Int64>, targetCumulative: UnsafeMutablePointer<Int64>
        let sourceParagraphs: UnsafeMutablePointer<Int32>, targetParagraphs: UnsafeMutablePointer<Int32>
        let paragraphPenalty: Double
        let unalignedSource: UnsafeMutablePointer<Double>, unalignedTarget: UnsafeMutablePointer<Double>
        /// `halfLog[k]` = ½ log k, for the length model's normalising terms.
        let halfLog: UnsafeMutablePointer<Double>
        let halfLogCount: Int
        let ratio: Double, variance: Double, constant: Double
        private var allocations: [UnsafeMutableRawPointer] = []

        init(bitext: Bitext, evidence: AnchorEvidence, model: ScoringModel) {
            func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
                _ = UnsafeMutableBufferPointer(start: p, count: array.count).initialize(from: array)
                return p
            }
            sourceStart = copy(evidence.source.start); targetStart = copy(evidence.target.start)
            sourceGain = copy(evidence.source.gain); targetGain = copy(evidence.target.gain)
            sourceBase = copy(evidence.source.base); targetBase = copy(evidence.target.base)
            sourceCumulative = copy(bitext.source.cumulative); targetCumulative = copy(bitext.target.cumulative)
            sourceParagraphs = copy(bitext.source.paragraphs); targetParagraphs = copy(bitext.target.paragraphs)
            paragraphPenalty = model.paragraphBreakCost
            unalignedSource = copy((0..<bitext.source.count).map { model.unalignedLengthCost(Double(bitext.source.lengths[$0]), side: 0) })
            unalignedTarget = copy((0..<bitext.target.count).map { model.unalignedLengthCost(Double(bitext.target.lengths[$0]), side: 1) })
            let longest = Int(max(bitext.source.cumulative.last ?? 0, bitext.target.cumulative.last ?? 0))
            halfLogCount = min(1 << 16, longest + 2)
            halfLog = copy((0..<halfLogCount).map { $0 == 0 ? 0 : 0.5 * Foundation.log(Double($0)) })
            ratio = model.ratio
            variance = model.variance
            constant = 0.5 * Foundation.log(2 * Double.pi * model.variance) - 0.5 * Foundation.log(model.ratio)
            allocations = [UnsafeMutableRawPointer(sourceStart), UnsafeMutableRawPointer(targetStart),
                           UnsafeMutableRawPointer(sourceGain), UnsafeMutableRawPointer(targetGain),
                           UnsafeMutableRawPointer(sourceBase), UnsafeMutableRawPointer(targetBase),
                           UnsafeMutableRawPointer(sourceCumulative), UnsafeMutableRawPointer(targetCumulative),
                           UnsafeMutableRawPointer(sourceParagraphs), UnsafeMutableRawPointer(targetParagraphs),
                           UnsafeMutableRawPointer(unalignedSource), UnsafeMutableRawPointer(unalignedTarget),
                           UnsafeMutableRawPointer(halfLog)]
        }

        deinit { for p in allocations { p.deallocate() } }

        @inline(__always) func halfLogOf(_ x: Double) -> Double {
            let k = Int(x + 0.5)
            return k < halfLogCount ? halfLog[k] : 0.5 * Foundation.log(x)
        }

        /// `ScoringModel.lengthCost` with its logarithms read from the table.
        @inline(__always) func lengthCost(_ l1: Double, _ l2: Double, _ a: Int, _ b: Int) -> Double {
            let expected = ratio * l1
            let mean = max((expected + l2) * 0.5, 1)
            let v = variance * mean
            let d = l2 - expected
            var cost = d * d / (2 * v) + constant + halfLogOf(mean)
            if a > 1 { cost += Double(a - 1) * halfLogOf(max(l1, 2)) }
            if b > 1 { cost += Double(b - 1) * halfLogOf(max(l2, 2)) }
            return cost
        }
    }

    /// A small open-addressing table from key to mask, cleared cheaply between sentences.
    private struct MaskTable {
        var keys: [Int32]
        var masks: [UInt64]
        var used: [Int] = []
        let mask: Int

        init(capacity: Int) {
            var size = 64
            while size < capacity * 2 { size <<= 1 }
            keys = [Int32](repeating: -1, count: size)
            masks = [UInt64](repeating: 0, count: size)
            mask = size - 1
        }

        mutating func clear() {
            for slot in used { keys[slot] = -1; masks[slot] = 0 }
            used.removeAll(keepingCapacity: true)
        }

        @inline(__always) mutating func add(_ key: Int32, _ bits: UInt64) {
            var slot = Int(UInt32(bitPattern: key) &* 2654435761) & mask
            while true {
                let k = keys[slot]
                if k == key { masks[slot] |= bits; return }
                if k == -1 { keys[slot] = key; masks[slot] = bits; used.append(slot); return }
                slot = (slot + 1) & mask
            }
        }

        @inline(__always) func find(_ key: Int32) -> UInt64 {
            var slot = Int(UInt32(bitPattern: key) &* 2654435761) & mask
            while true {
                let k = keys[slot]
                if k == key { return masks[slot] }
                if k == -1 { return 0 }
                slot = (slot + 1) & mask
            }
        }
    }

    struct Result {
        var beads: [ScoredBead]
        var touchedRows: [(row: Int, lowerEdge: Bool)]
        var totalCost: Double
    }

    /// Search states: after an aligned bead (or at the start), after a 0-n bead, after an n-0
    /// bead. Unaligned sentences come in runs (an untranslated passage, a block of OCR debris):
    /// the states let a run continue at a lower cost than it starts.
    static let stateCount = 3

    /// The state a shape leads to.
    @inline(__always) static func nextState(_ shape: BeadShape) -> Int {
        shape.source == 0 ? 1 : (shape.target == 0 ? 2 : 0)
    }

    /// −log P(shape | state), per state and shape.
    func transitionCosts() -> [[Double]] {
        let q = model.nullContinuation
        return (0..<Self.stateCount).map { state in
            shapes.indices.map { s in
                let shape = shapes[s]
                if state != 0 {
                    // After a null bead: the same kind of null bead continues the run with
                    // probability q; everything else shares 1 − q in its usual proportions.
                    let continuing = (state == 1 && shape.source == 0) || (state == 2 && shape.target == 0)
                    if continuing { return -log(q) }
                    let runShape = shapes.firstIndex { state == 1 ? $0.source == 0 : $0.target == 0 }
                    let pRun = runShape.map { exp(-model.shapeCost[$0]) } ?? 0
                    return model.shapeCost[s] - log(1 - q) + log(max(1 - pRun, 1e-9))
                }
                return model.shapeCost[s]
            }
        }
    }

    /// Runs the search in `band`; with `posteriors`, also computes each chosen bead's posterior
    /// probability (forward–backward over the band).
    func run(band: Band, posteriors: Bool) -> Result {
        let n = bitext.source.count, m = bitext.target.count
        let states = Self.stateCount
        var rowOffset = [Int](repeating: 0, count: n + 2)
        for i in 0...n { rowOffset[i + 1] = rowOffset[i] + band.upper[i] - band.lower[i] + 1 }
        let cells = rowOffset[n + 1]
        // Best-path costs: only the rows a bead can reach back to are kept.
        var costRing = [[Double]](repeating: [], count: Self.ring)
        var back = [UInt8](repeating: 255, count: cells * states)
        // Forward log-sums, stored per row relative to the row's maximum (fits a Float).
        var forward: [Float] = posteriors ? [Float](repeating: -.infinity, count: cells * states) : []
        var forwardScale = [Double](repeating: 0, count: posteriors ? n + 1 : 0)
        var forwardRow: [Double] = []
        let kernel = CostKernel(bitext: bitext, evidence: evidence, model: model)
        var pairs = PairStore(stride: pairStride(band))
        var table = MaskTable(capacity: 4096)
        let transitions = transitionCosts()
        let nextState = shapes.map(Self.nextState)
        let shapeCount = shapes.count

        for i in 0...n {
            if i >= 1 { ensurePairs(i - 1, pairs, band: band, table: &table) }
            let lo = band.lower[i], hi = band.upper[i]
            let width = hi - lo + 1
            let slot = i & Self.ringMask
            costRing[slot] = [Double](repeating: .infinity, count: width * states)
            if posteriors { forwardRow = [Double](repeating: -.infinity, count: width * states) }
            for j in lo...hi {
                let local = (j - lo) * states
                let cell = rowOffset[i] + j - lo
                if i == 0 && j == 0 {
                    costRing[slot][0] = 0
                    if posteriors { forwardRow[0] = 0 }
                    continue
                }
                for s in 0..<shapeCount {
                    let a = shapes[s].source, b = shapes[s].target
                    let pi = i - a, pj = j - b
                    if pi < 0 || pj < 0 { continue }
                    if pj < band.lower[pi] || pj > band.upper[pi] { continue }
                    let prevLocal = (pj - band.lower[pi]) * states
                    let prevSlot = pi & Self.ringMask
                    var anyReachable = false
                    for st in 0..<states where costRing[prevSlot][prevLocal + st] < .infinity { anyReachable = true; break }
                    if !anyReachable { continue }
                    let c = beadCost(pi, i, pj, j, kernel, pairs)
                    let ns = nextState[s]
                    for st in 0..<states {
                        let prev = costRing[prevSlot][prevLocal + st]
                        if prev == .infinity { continue }
                        let total = prev + transitions[st][s] + c
                        if total < costRing[slot][local + ns] {
                            costRing[slot][local + ns] = total
                            back[cell * states + ns] = UInt8(s) | UInt8(st << 5)
                        }
                        if posteriors {
                            let f = pi == i ? forwardRow[prevLocal + st]
                                : forwardScale[pi] + Double(forward[(rowOffset[pi]) * states + prevLocal + st])
                            if f > -.infinity { forwardRow[local + ns] = logAdd(forwardRow[local + ns], f - (transitions[st][s] + c)) }
                        }
                    }
                }
            }
            if posteriors {
                let scale = forwardRow.max() ?? 0
                forwardScale[i] = scale.isFinite ? scale : 0
                let base = rowOffset[i] * states
                for k in 0..<(width * states) { forward[base + k] = Float(forwardRow[k] - forwardScale[i]) }
            }
        }

        // Trace back the best path from the best final state.
        let lastSlot = n & Self.ringMask, lastLocal = (m - band.lower[n]) * states
        var state = 0
        for st in 1..<states where costRing[lastSlot][lastLocal + st] < costRing[lastSlot][lastLocal + state] { state = st }
        let total = costRing[lastSlot][lastLocal + state]
        var path: [(bead: ScoredBead, shape: Int, before: Int)] = []
        var touched: [(Int, Bool)] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            let cell = rowOffset[i] + j - band.lower[i]
            let code = back[cell * states + state]
            guard code != 255 else { break }
            let s = Int(code & 31), before = Int(code >> 5)
            let pi = i - shapes[s].source, pj = j - shapes[s].target
            path.append((ScoredBead(sourceStart: pi, sourceEnd: i, targetStart: pj, targetEnd: j, cost: 0), s, before))
            if j == band.lower[i] && band.lower[i] > 0 && i < n { touched.append((i, true)) }
            if j == band.upper[i] && band.upper[i] < m && i > 0 { touched.append((i, false)) }
            i = pi
            j = pj
            state = before
        }
        path.reverse()
        // Each bead's own cost (transition included), recomputed in document order.
        pairs = PairStore(stride: pairs.stride)
        for k in path.indices {
            let bead = path[k].bead
            for sentence in bead.sourceStart..<bead.sourceEnd { ensurePairs(sentence, pairs, band: band, table: &table) }
            path[k].bead.cost = transitions[path[k].before][path[k].shape]
                + beadCost(bead.sourceStart, bead.sourceEnd, bead.targetStart, bead.targetEnd, kernel, pairs)
        }
        var beads = path.map(\.bead)

        if posteriors, !beads.isEmpty {
            // Backward log-sums of all paths from each cell and state to the end, stored like
            // the forward ones.
            var backward = [Float](repeating: -.infinity, count: cells * states)
            var backwardScale = [Double](repeating: 0, count: n + 1)
            var backwardRow: [Double] = []
            pairs = PairStore(stride: pairs.stride)
            for i in stride(from: n, through: 0, by: -1) {
                for s in i..<min(n, i + maxSource) { ensurePairs(s, pairs, band: band, table: &table) }
                let lo = band.lower[i], hi = band.upper[i]
                let width = hi - lo + 1
                backwardRow = [Double](repeating: -.infinity, count: width * states)
                for j in stride(from: hi, through: lo, by: -1) {
                    let local = (j - lo) * states
                    if i == n && j == m {
                        for st in 0..<states { backwardRow[local + st] = 0 }
                        continue
                    }
                    for s in 0..<shapeCount {
                        let a = shapes[s].source, b = shapes[s].target
                        let ni = i + a, nj = j + b
                        if ni > n || nj > m { continue }
                        if nj < band.lower[ni] || nj > band.upper[ni] { continue }
                        let ns = nextState[s]
                        let nextLocal = (nj - band.lower[ni]) * states + ns
                        let bw = ni == i ? backwardRow[nextLocal]
                            : backwardScale[ni] + Double(backward[rowOffset[ni] * states + nextLocal])
                        if bw == -.infinity { continue }
                        let c = beadCost(i, ni, j, nj, kernel, pairs)
                        for st in 0..<states {
                            backwardRow[local + st] = logAdd(backwardRow[local + st], bw - (transitions[st][s] + c))
                        }
                    }
                }
                let scale = backwardRow.max() ?? 0
                backwardScale[i] = scale.isFinite ? scale : 0
                let base = rowOffset[i] * states
                for k in 0..<(width * states) { backward[base + k] = Float(backwardRow[k] - backwardScale[i]) }
            }
            let endLocal = rowOffset[n] * states + (m - band.lower[n]) * states
            var z = -Double.infinity
            for st in 0..<states { z = logAdd(z, forwardScale[n] + Double(forward[endLocal + st])) }
            for k in beads.indices {
                let bead = beads[k], s = path[k].shape
                let startBase = rowOffset[bead.sourceStart] * states + (bead.targetStart - band.lower[bead.sourceStart]) * states
                let endIndex = rowOffset[bead.sourceEnd] * states + (bead.targetEnd - band.lower[bead.sourceEnd]) * states + nextState[s]
                let own = bead.cost - transitions[path[k].before][s]
                let after = backwardScale[bead.sourceEnd] + Double(backward[endIndex])
                var logP = -Double.infinity
                for st in 0..<states {
                    let f = forwardScale[bead.sourceStart] + Double(forward[startBase + st])
                    logP = logAdd(logP, f - (transitions[st][s] + own) + after - z)
                }
                beads[k].posterior = min(1, max(0, exp(logP)))
            }
        }
        return Result(beads: beads, touchedRows: touched, totalCost: total)
    }

    @inline(__always) private func logAdd(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity { return y }
        if y == -.infinity { return x }
        return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y))
    }

    /// Cost of the bead of source sentences `i0..<i1` and target sentences `j0..<j1`, without
    /// its shape's cost (see `transitionCosts`).
    @inline(__always)
    private func beadCost(_ i0: Int, _ i1: Int, _ j0: Int, _ j1: Int, _ k: CostKernel, _ pairs: PairStore) -> Double {
        let a = i1 - i0, b = j1 - j0
        if a == 0 {
            var c = 0.0
            for t in j0..<j1 { c += k.unalignedTarget[t] }
            return c
        }
        if b == 0 {
            var c = 0.0
            for s in i0..<i1 { c += k.unalignedSource[s] }
            return c
        }
        let l1 = Double(k.sourceCumulative[i1] - k.sourceCumulative[i0])
        let l2 = Double(k.targetCumulative[j1] - k.targetCumulative[j0])
        var c = k.lengthCost(l1, l2, a, b)
        // A paragraph break inside a bead: the sentences on either side of it rarely belong to one
        // translation unit.
        let inside = (k.sourceParagraphs[i1] - k.sourceParagraphs[i0 + 1]) + (k.targetParagraphs[j1] - k.targetParagraphs[j0 + 1])
        if inside > 0 { c += Double(inside) * k.paragraphPenalty }
        var evidence: Float = 0
        let stride = pairs.stride, step = AnchorEvidence.maximumSentences
        for s in i0..<i1 {
            let slot = s & Self.ringMask
            let base = slot * stride - pairs.windowStart[slot]
            var mask: UInt64 = 0
            for t in j0..<j1 { mask |= pairs.source[base + t] }
            evidence += k.sourceBase[s]
            let first = Int(k.sourceStart[s])
            while mask != 0 {
                evidence += k.sourceGain[(first + mask.trailingZeroBitCount) * step + b - 1]
                mask &= mask &- 1
            }
        }
        for t in j0..<j1 {
            var mask: UInt64 = 0
            for s in i0..<i1 {
                let slot = s & Self.ringMask
                mask |= pairs.target[slot * stride - pairs.windowStart[slot] + t]
            }
            evidence += k.targetBase[t]
            let first = Int(k.targetStart[t])
            while mask != 0 {
                evidence += k.targetGain[(first + mask.trailingZeroBitCount) * step + a - 1]
                mask &= mask &- 1
            }
        }
        return c - Double(evidence)
    }

    /// The widest window of target sentences a source sentence is compared with in `band`.
    func pairStride(_ band: Band) -> Int {
        let n = bitext.source.count
        var widest = 1
        for s in 0..<max(n, 1) where n > 0 {
            widest = max(widest, band.upper[min(n, s + maxSource)] - band.lower[max(0, s - maxSource + 1)])
        }
        return widest
    }

    /// Fills the ring slot of source sentence `s` unless it already holds it.
    @inline(__always)
    private func ensurePairs(_ s: Int, _ pairs: PairStore, band: Band, table: inout MaskTable) {
        let slot = s & Self.ringMask
        if pairs.holds[slot] != s {
            fillPairs(slot: slot, sentence: s, pairs, band: band, table: &table)
            pairs.holds[slot] = s
        }
    }

    /// Which features of source sentence `s` and of each target sentence of its window match.
    private func fillPairs(slot: Int, sentence s: Int, _ pairs: PairStore, band: Band, table: inout MaskTable) {
        let n = bitext.source.count
        let windowStart = band.lower[max(0, s - maxSource + 1)]
        let windowEnd = band.upper[min(n, s + maxSource)]
        pairs.windowStart[slot] = windowStart
        let width = max(0, windowEnd - windowStart)
        let sourceRow = pairs.source + slot * pairs.stride, targetRow = pairs.target + slot * pairs.stride
        sourceRow.update(repeating: 0, count: width)
        targetRow.update(repeating: 0, count: width)
        let src = evidence.source
        let first = Int(src.start[s]), last = Int(src.start[s + 1])
        guard first < last else { return }
        table.clear()
        for f in first..<last {
            let k = Int(src.key[f])
            let bit = UInt64(1) << UInt64(f - first)
            for mk in Int(evidence.setStart[k])..<Int(evidence.setStart[k + 1]) {
                table.add(evidence.setKeys[mk], bit)
            }
        }
        let tgt = evidence.target
        for t in windowStart..<windowEnd {
            let tFirst = Int(tgt.start[t]), tLast = Int(tgt.start[t + 1])
            var sm: UInt64 = 0, tm: UInt64 = 0
            for g in tFirst..<tLast {
                let bits = table.find(tgt.key[g])
                if bits != 0 {
                    sm |= bits
                    tm |= UInt64(1) << UInt64(g - tFirst)
                }
            }
            sourceRow[t - windowStart] = sm
            targetRow[t - windowStart] = tm
        }
    }
}
