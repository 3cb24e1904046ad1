import Foundation

/// The rows of the search: for each number `i` of source sentences consumed, the numbers of
/// target sentences `lower[i]...upper[i]` the search considers (a band around the diagonal).
struct Band {
    var lower: [Int]
    var upper: [Int]

    /// A band of half-width `radius` around `center` (one entry per row, non-decreasing,
    /// from 0 to `targetCount`).
    init(center: [Int], radius: Int, targetCount: Int) {
        lower = center.map { max(0, $0 - radius) }
        upper = center.map { min(targetCount, $0 + radius) }
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

    /// Pair masks of one source sentence against its window of target sentences.
    private struct PairRow {
        var windowStart = 0
        var sourceMasks: [UInt64] = []
        var targetMasks: [UInt64] = []
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

    /// Runs the search in `band`; with `posteriors`, also computes each chosen bead's posterior
    /// probability (a second, backward pass).
    func run(band: Band, posteriors: Bool) -> Result {
        let n = bitext.source.count, m = bitext.target.count
        var rowOffset = [Int](repeating: 0, count: n + 2)
        for i in 0...n { rowOffset[i + 1] = rowOffset[i] + band.upper[i] - band.lower[i] + 1 }
        let cells = rowOffset[n + 1]
        var cost = [Double](repeating: .infinity, count: cells)
        var back = [UInt8](repeating: 255, count: cells)
        var forward: [Double] = posteriors ? [Double](repeating: -.infinity, count: cells) : []
        var rows = [PairRow](repeating: PairRow(), count: Self.ring)
        var table = MaskTable(capacity: 4096)
        let shapeCosts = model.shapeCost
        let shapeCount = shapes.count

        // Unaligned-sentence costs.
        let unalignedSource = (0..<n).map { model.unalignedLengthCost(Double(bitext.source.lengths[$0]), side: 0) }
        let unalignedTarget = (0..<m).map { model.unalignedLengthCost(Double(bitext.target.lengths[$0]), side: 1) }

        for i in 0...n {
            if i >= 1 { fillPairRow(&rows[(i - 1) & Self.ringMask], sentence: i - 1, band: band, table: &table) }
            let lo = band.lower[i], hi = band.upper[i]
            for j in lo...hi {
                let cell = rowOffset[i] + j - lo
                if i == 0 && j == 0 {
                    cost[cell] = 0
                    if posteriors { forward[cell] = 0 }
                    continue
                }
                var best = Double.infinity
                var bestShape: UInt8 = 255
                var logSum = -Double.infinity
                for s in 0..<shapeCount {
                    let a = shapes[s].source, b = shapes[s].target
                    let pi = i - a, pj = j - b
                    if pi < 0 || pj < 0 { continue }
                    if pj < band.lower[pi] || pj > band.upper[pi] { continue }
                    let prevCell = rowOffset[pi] + pj - band.lower[pi]
                    let prev = cost[prevCell]
                    if prev == .infinity && !posteriors { continue }
                    let c = beadCost(pi, i, pj, j, shapeCost: shapeCosts[s], rows: rows, unalignedSource: unalignedSource, unalignedTarget: unalignedTarget)
                    if prev + c < best { best = prev + c; bestShape = UInt8(s) }
                    if posteriors {
                        let f = forward[prevCell]
                        if f > -.infinity { logSum = logAdd(logSum, f - c) }
                    }
                }
                cost[cell] = best
                back[cell] = bestShape
                if posteriors { forward[cell] = logSum }
            }
        }

        // Trace back the best path.
        var beads: [ScoredBead] = []
        var touched: [(Int, Bool)] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            let cell = rowOffset[i] + j - band.lower[i]
            let s = Int(back[cell])
            guard s != 255 else { break }
            let pi = i - shapes[s].source, pj = j - shapes[s].target
            let prevCell = rowOffset[pi] + pj - band.lower[pi]
            beads.append(ScoredBead(sourceStart: pi, sourceEnd: i, targetStart: pj, targetEnd: j,
                                    cost: cost[cell] - cost[prevCell]))
            if j == band.lower[i] && band.lower[i] > 0 && i < n { touched.append((i, true)) }
            if j == band.upper[i] && band.upper[i] < m && i > 0 { touched.append((i, false)) }
            i = pi
            j = pj
        }
        beads.reverse()
        let total = cost[rowOffset[n] + m - band.lower[n]]

        if posteriors, !beads.isEmpty {
            // Backward pass restricted to what the chosen beads need: log-sum of all paths from
            // each cell to the end.
            var backward = [Double](repeating: -.infinity, count: cells)
            backward[rowOffset[n] + m - band.lower[n]] = 0
            rows = [PairRow](repeating: PairRow(), count: Self.ring)
            var ringFilled = [Int](repeating: -1, count: Self.ring)
            for i in stride(from: n, through: 0, by: -1) {
                // Beads starting at row i use source sentences i, i+1, i+2.
                for s in i..<min(n, i + maxSource) where ringFilled[s & Self.ringMask] != s {
                    fillPairRow(&rows[s & Self.ringMask], sentence: s, band: band, table: &table)
                    ringFilled[s & Self.ringMask] = s
                }
                let lo = band.lower[i], hi = band.upper[i]
                for j in stride(from: hi, through: lo, by: -1) {
                    let cell = rowOffset[i] + j - lo
                    if i == n && j == m { continue }
                    var logSum = -Double.infinity
                    for s in 0..<shapeCount {
                        let a = shapes[s].source, b = shapes[s].target
                        let ni = i + a, nj = j + b
                        if ni > n || nj > m { continue }
                        if nj < band.lower[ni] || nj > band.upper[ni] { continue }
                        let nextCell = rowOffset[ni] + nj - band.lower[ni]
                        let bw = backward[nextCell]
                        if bw == -.infinity { continue }
                        let c = beadCost(i, ni, j, nj, shapeCost: shapeCosts[s], rows: rows, unalignedSource: unalignedSource, unalignedTarget: unalignedTarget)
                        logSum = logAdd(logSum, bw - c)
                    }
                    backward[cell] = logSum
                }
            }
            let z = forward[rowOffset[n] + m - band.lower[n]]
            for k in beads.indices {
                let bead = beads[k]
                let startCell = rowOffset[bead.sourceStart] + bead.targetStart - band.lower[bead.sourceStart]
                let endCell = rowOffset[bead.sourceEnd] + bead.targetEnd - band.lower[bead.sourceEnd]
                let logP = forward[startCell] - bead.cost + backward[endCell] - z
                beads[k].posterior = Double(min(1, max(0, exp(logP))))
            }
        }
        return Result(beads: beads, touchedRows: touched, totalCost: total)
    }

    @inline(__always) private func logAdd(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity { return y }
        if y == -.infinity { return x }
        return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y))
    }

    /// Cost of the bead of source sentences `i0..<i1` and target sentences `j0..<j1`.
    @inline(__always)
    private func beadCost(_ i0: Int, _ i1: Int, _ j0: Int, _ j1: Int, shapeCost: Double, rows: [PairRow],
                          unalignedSource: [Double], unalignedTarget: [Double]) -> Double {
        let a = i1 - i0, b = j1 - j0
        if a == 0 {
            var c = shapeCost
            for t in j0..<j1 { c += unalignedTarget[t] }
            return c
        }
        if b == 0 {
            var c = shapeCost
            for s in i0..<i1 { c += unalignedSource[s] }
            return c
        }
        let l1 = Double(bitext.source.length(i0, i1)), l2 = Double(bitext.target.length(j0, j1))
        var c = shapeCost + model.lengthCost(l1, l2, sourceCount: a, targetCount: b)
        var evidence: Float = 0
        let src = evidence_source, tgt = evidence_target
        for s in i0..<i1 {
            let row = rows[s & Self.ringMask]
            var mask: UInt64 = 0
            for t in j0..<j1 { mask |= row.sourceMasks[t - row.windowStart] }
            evidence += src.base[s]
            let first = Int(src.start[s])
            while mask != 0 {
                let f = first + mask.trailingZeroBitCount
                evidence += src.gain[f * AnchorEvidence.maximumSentences + b - 1]
                mask &= mask &- 1
            }
        }
        for t in j0..<j1 {
            var mask: UInt64 = 0
            for s in i0..<i1 {
                let row = rows[s & Self.ringMask]
                mask |= row.targetMasks[t - row.windowStart]
            }
            evidence += tgt.base[t]
            let first = Int(tgt.start[t])
            while mask != 0 {
                let f = first + mask.trailingZeroBitCount
                evidence += tgt.gain[f * AnchorEvidence.maximumSentences + a - 1]
                mask &= mask &- 1
            }
        }
        c -= Double(evidence)
        return c
    }

    private var evidence_source: AnchorEvidence.Side { evidence.source }
    private var evidence_target: AnchorEvidence.Side { evidence.target }

    /// Which features of source sentence `s` and of each target sentence of its window match.
    private func fillPairRow(_ row: inout PairRow, sentence s: Int, band: Band, table: inout MaskTable) {
        let n = bitext.source.count
        let windowStart = band.lower[max(0, s - maxSource + 1)]
        let windowEnd = band.upper[min(n, s + maxSource)]
        row.windowStart = windowStart
        let width = max(0, windowEnd - windowStart)
        row.sourceMasks.removeAll(keepingCapacity: true)
        row.targetMasks.removeAll(keepingCapacity: true)
        row.sourceMasks.append(contentsOf: repeatElement(0, count: width))
        row.targetMasks.append(contentsOf: repeatElement(0, count: width))
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
            row.sourceMasks[t - windowStart] = sm
            row.targetMasks[t - windowStart] = tm
        }
    }
}
