/// The expected path of the alignment before any search: a chain of confident anchor points
/// (anchors found once on each side, such as a number, a name or a rare cognate), with the
/// length diagonal between consecutive points.
///
/// A band around the plain length diagonal drifts where a whole passage is missing on one side;
/// anchors on both sides of the gap pin the path so the band follows the jump.
enum AnchorPath {
    /// Boxes between consecutive anchors are searched whole when no side exceeds this many
    /// sentences, so any path between two anchors (an omission, a reordered passage) is
    /// reachable while the work stays linear.
    static let maximumBox = 400

    /// For each number of source sentences 0...n, the expected number of target sentences; and
    /// the corners of the anchor chain (from (0, 0) to (n, m)).
    static func center(_ bitext: Bitext) -> (center: [Int], corners: [(Int, Int)]) {
        let points = chain(supported(candidates(bitext), slope: Double(bitext.target.count) / Double(max(bitext.source.count, 1))))
        var corners: [(Int, Int)] = [(0, 0)]
        for (i, j) in points where i > corners.last!.0 && j > corners.last!.1 && i < bitext.source.count && j < bitext.target.count {
            corners.append((i, j))
        }
        corners.append((bitext.source.count, bitext.target.count))
        var center = [Int](repeating: 0, count: bitext.source.count + 1)
        for k in 1..<corners.count {
            let (i0, j0) = corners[k - 1], (i1, j1) = corners[k]
            let segment = lengthDiagonal(bitext, from: (i0, j0), to: (i1, j1))
            for i in i0...i1 { center[i] = segment[i - i0] }
        }
        return (center, corners)
    }

    /// Widens `band` to hold the box between each pair of consecutive corners (padded by `pad`
    /// sentences), where the box is small enough.
    static func addBoxes(_ corners: [(Int, Int)], to band: inout Band, pad: Int, targetCount m: Int) {
        guard corners.count >= 2 else { return }
        for k in 1..<corners.count {
            let (i0, j0) = corners[k - 1], (i1, j1) = corners[k]
            guard i1 - i0 <= maximumBox, j1 - j0 <= maximumBox else { continue }
            let lo = max(0, j0 - pad), hi = min(m, j1 + pad)
            for i in max(0, i0 - pad)...min(band.lower.count - 1, i1 + pad) {
                band.lower[i] = min(band.lower[i], lo)
                band.upper[i] = max(band.upper[i], hi)
            }
        }
        band.normalize(targetCount: m)
    }

    /// Between two corners, the target position holding the same share of letters as the source.
    static func lengthDiagonal(_ bitext: Bitext, from start: (Int, Int), to end: (Int, Int)) -> [Int] {
        let (i0, j0) = start, (i1, j1) = end
        let sourceLetters = Double(bitext.source.length(i0, i1)), targetLetters = Double(bitext.target.length(j0, j1))
        var out = [Int](repeating: j0, count: i1 - i0 + 1)
        var j = j0
        for i in i0...i1 {
            if sourceLetters <= 0 || targetLetters <= 0 {
                out[i - i0] = i1 == i0 ? j1 : j0 + (j1 - j0) * (i - i0) / (i1 - i0)
                continue
            }
            let share = Double(bitext.source.length(i0, i)) / sourceLetters
            while j < j1 && Double(bitext.target.length(j0, j + 1)) / targetLetters <= share { j += 1 }
            out[i - i0] = j
        }
        out[i1 - i0] = j1
        return out
    }

    /// Anchors found in no more than this many sentences, as many on each side, are paired in
    /// order (the k-th occurrence on one side with the k-th on the other).
    static let maximumOccurrences = 8
    /// In long texts, up to one occurrence per this many sentences.
    static let occurrenceSpacing = 500

    /// Sentence pairs that share an anchor found in as many sentences on each side (at most
    /// `maximumOccurrences`), paired in order: the row after the source sentence, the column
    /// after the target sentence. Numbers, names and rare cognates of a translation mostly
    /// appear as often as in the original.
    static func candidates(_ bitext: Bitext) -> [(Int, Int)] {
        let v = Int(bitext.vocabulary.count)
        let limit = Int32(max(maximumOccurrences, min(bitext.source.count, bitext.target.count) / occurrenceSpacing))
        func occurrences(_ side: Bitext.Side, keep: (Int) -> Bool) -> (start: [Int32], sentences: [Int32]) {
            var count = [Int32](repeating: 0, count: v)
            for i in 0..<side.count { for k in side.keys(of: i) where keep(Int(k)) { count[Int(k)] += 1 } }
            var start = [Int32](repeating: 0, count: v + 1)
            for k in 0..<v { start[k + 1] = start[k] + (count[k] <= limit ? count[k] : 0) }
            var fill = start
            var sentences = [Int32](repeating: 0, count: Int(start[v]))
            for i in 0..<side.count {
                for k in side.keys(of: i) where keep(Int(k)) && count[Int(k)] <= limit {
                    sentences[Int(fill[Int(k)])] = Int32(i)
                    fill[Int(k)] += 1
                }
            }
            return (start, sentences)
        }
        let usable = { (k: Int) in bitext.matchesItself[k] && bitext.kind[k] != .punctuation && bitext.inSource[k] && bitext.inTarget[k] }
        let source = occurrences(bitext.source, keep: usable)
        let target = occurrences(bitext.target, keep: usable)
        var points: [(Int, Int)] = []
        for k in 0..<v {
            let sCount = source.start[k + 1] - source.start[k], tCount = target.start[k + 1] - target.start[k]
            guard sCount > 0, sCount == tCount else { continue }
            for o in 0..<Int(sCount) {
                points.append((Int(source.sentences[Int(source.start[k]) + o]) + 1, Int(target.sentences[Int(target.start[k]) + o]) + 1))
            }
        }
        return points
    }

    /// The points that another point nearby agrees with (about the same offset from the
    /// diagonal): a word found once on each side by coincidence, or whose real counterpart sits
    /// in a passage missing from the other side, stands alone and would bend the chain.
    static func supported(_ points: [(Int, Int)], slope: Double) -> [(Int, Int)] {
        let sorted = points.sorted { $0.0 < $1.0 }
        let window = 40
        var out: [(Int, Int)] = []
        var lo = 0
        for (index, p) in sorted.enumerated() {
            while sorted[lo].0 < p.0 - window { lo += 1 }
            let offset = Double(p.1) - slope * Double(p.0)
            var k = lo
            while k < sorted.count, sorted[k].0 <= p.0 + window {
                let q = sorted[k]
                if k != index, q.1 != p.1 {
                    let distance = abs(q.0 - p.0)
                    if abs(Double(q.1) - slope * Double(q.0) - offset) <= 3 + 0.2 * Double(distance) {
                        out.append(p)
                        break
                    }
                }
                k += 1
            }
        }
        return out
    }

    /// The longest chain of points increasing in both coordinates (patience sorting).
    static func chain(_ points: [(Int, Int)]) -> [(Int, Int)] {
        guard !points.isEmpty else { return [] }
        // Sort by row, and by column descending within a row so a row contributes one point.
        let sorted = points.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 > $1.1 }
        var tails: [Int] = []            // index into sorted of the last point of a chain of each length
        var previous = [Int](repeating: -1, count: sorted.count)
        for (index, point) in sorted.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[tails[mid]].1 < point.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[index] = tails[lo - 1] }
            if lo == tails.count { tails.append(index) } else { tails[lo] = index }
        }
        var out: [(Int, Int)] = []
        var k = tails.last ?? -1
        while k >= 0 {
            out.append(sorted[k])
            k = previous[k]
        }
        return out.reversed()
    }
}

