/// Scores an alignment against a reference (gold) alignment with the measures of Sennrich & Volk
/// (2011), as Bleualign and vecalign compute them, so figures compare with published ones.
///
/// - precision: over the predicted beads (null beads included); *strict* when the reference has
///   exactly that bead, *lax* when some source sentence of it is aligned in the reference to some
///   target sentence of it;
/// - recall: the same with the roles swapped, over the reference beads with both sides non-empty
///   against the predicted beads with both sides non-empty.
public struct AlignmentEvaluation: Sendable, Hashable {
    /// A bead as sets of sentence numbers (the reference may hold non-contiguous beads).
    public struct Link: Sendable, Hashable {
        /// Source sentence numbers.
        public var source: [Int]
        /// Target sentence numbers.
        public var target: [Int]
        /// Creates a link.
        public init(source: [Int], target: [Int]) {
            self.source = source
            self.target = target
        }
        /// `"2-1"`.
        public var shape: String { "\(source.count)-\(target.count)" }
    }

    /// Strict hits, lax hits and number of predicted beads (precision side).
    public var precisionCounts: (strict: Int, lax: Int, total: Int) { (pStrict, pLax, pTotal) }
    /// Strict hits, lax hits and number of reference beads (recall side).
    public var recallCounts: (strict: Int, lax: Int, total: Int) { (rStrict, rLax, rTotal) }
    private var pStrict = 0, pLax = 0, pTotal = 0, rStrict = 0, rLax = 0, rTotal = 0
    /// Per reference bead shape: (found exactly, total), null beads included.
    public private(set) var recallByShape: [String: (found: Int, total: Int)] = [:]

    /// An empty evaluation; `add` documents to it (counts are summed: micro average).
    public init() {}

    /// Adds one document's prediction and reference.
    public mutating func add(reference: [Link], prediction: [Link]) {
        let ref = reference.filter { !$0.source.isEmpty || !$0.target.isEmpty }
        let pred = prediction.filter { !$0.source.isEmpty || !$0.target.isEmpty }
        let p = Self.hits(reference: ref, candidates: pred)
        pStrict += p.strict; pLax += p.lax; pTotal += p.total
        let r = Self.hits(reference: pred.filter { !$0.source.isEmpty && !$0.target.isEmpty },
                          candidates: ref.filter { !$0.source.isEmpty && !$0.target.isEmpty })
        rStrict += r.strict; rLax += r.lax; rTotal += r.total
        let predicted = Set(pred)
        for link in ref {
            var entry = recallByShape[link.shape] ?? (0, 0)
            entry.total += 1
            if predicted.contains(link) { entry.found += 1 }
            recallByShape[link.shape] = entry
        }
    }

    private static func hits(reference: [Link], candidates: [Link]) -> (strict: Int, lax: Int, total: Int) {
        let refSet = Set(reference)
        var linked: [Int: Set<Int>] = [:]
        for link in reference { for s in link.source { linked[s, default: []].formUnion(link.target) } }
        var strict = 0, lax = 0
        let unique = Set(candidates)
        for link in unique {
            if refSet.contains(link) {
                strict += 1
                lax += 1
            } else {
                var reachable = Set<Int>()
                for s in link.source { reachable.formUnion(linked[s] ?? []) }
                if !reachable.isDisjoint(with: link.target) { lax += 1 }
            }
        }
        return (strict, lax, unique.count)
    }

    private static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
    private static func f1(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }

    /// Strict precision.
    public var strictPrecision: Double { Self.ratio(pStrict, pTotal) }
    /// Strict recall.
    public var strictRecall: Double { Self.ratio(rStrict, rTotal) }
    /// Strict F1.
    public var strictF1: Double { Self.f1(strictPrecision, strictRecall) }
    /// Lax precision.
    public var laxPrecision: Double { Self.ratio(pLax, pTotal) }
    /// Lax recall.
    public var laxRecall: Double { Self.ratio(rLax, rTotal) }
    /// Lax F1.
    public var laxF1: Double { Self.f1(laxPrecision, laxRecall) }

    /// Two evaluations are equal when their counts are.
    public static func == (lhs: AlignmentEvaluation, rhs: AlignmentEvaluation) -> Bool {
        lhs.pStrict == rhs.pStrict && lhs.pLax == rhs.pLax && lhs.pTotal == rhs.pTotal
            && lhs.rStrict == rhs.rStrict && lhs.rLax == rhs.rLax && lhs.rTotal == rhs.rTotal
    }

    /// Hashes the counts.
    public func hash(into hasher: inout Hasher) {
        for v in [pStrict, pLax, pTotal, rStrict, rLax, rTotal] { hasher.combine(v) }
    }

    /// Reads links in the gold.tsv format: `src_ids<TAB>tgt_ids`, comma-separated 0-based
    /// numbers, one side possibly empty; `#` lines are comments; extra columns are ignored.
    public static func links(tsv text: String) -> [Link] {
        var out: [Link] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 2 else { continue }
            func ids(_ s: Substring) -> [Int] { s.split(separator: ",").compactMap { Int($0.trimmingWhitespace()) } }
            let link = Link(source: ids(columns[0]), target: ids(columns[1]))
            if !link.source.isEmpty || !link.target.isEmpty { out.append(link) }
        }
        return out
    }
}
