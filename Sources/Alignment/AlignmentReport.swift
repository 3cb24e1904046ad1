import Diagnostics

/// The JSON report of an alignment run (`verso align --report FILE`): inputs, figures, the beads
/// to review and the warnings.
public struct AlignmentReport: Codable, Sendable {
    /// One input.
    public struct Input: Codable, Sendable {
        /// The path as given.
        public var path: String
        /// Its language.
        public var language: String
        /// Its number of sentences.
        public var sentences: Int
    }

    /// A bead that needs review (confidence below the threshold, or a sentence left unaligned).
    public struct ReviewedBead: Codable, Sendable {
        /// 0-based source sentence numbers.
        public var source: [Int]
        /// 0-based target sentence numbers.
        public var target: [Int]
        /// `"2-1"`.
        public var shape: String
        /// The bead's confidence.
        public var confidence: Double
        /// The source text.
        public var sourceText: String
        /// The target text.
        public var targetText: String
        /// Where the source side starts (`path:line:column`), when known.
        public var sourceLocation: String?
        /// Where the target side starts, when known.
        public var targetLocation: String?
    }

    /// A warning of the run.
    public struct Warning: Codable, Sendable {
        /// `warning` or `note`.
        public var severity: String
        /// The message.
        public var message: String
        /// Where, when it concerns a place (`path:line`).
        public var location: String?
        /// Stable identifier (`align.length-mismatch`…).
        public var code: String?
    }

    /// The source document.
    public var source: Input
    /// The target document.
    public var target: Input
    /// The output written.
    public var output: String
    /// Number of beads.
    public var beads: Int
    /// Beads per shape (`"1-1": 812`).
    public var shapes: [String: Int]
    /// Source sentences left without counterpart.
    public var unalignedSourceSentences: Int
    /// Target sentences left without counterpart.
    public var unalignedTargetSentences: Int
    /// Beads below this confidence are listed for review.
    public var reviewThreshold: Double
    /// Mean confidence of the beads.
    public var meanConfidence: Double
    /// Figures of the aligner (length ratio, anchors matched…).
    public var statistics: AlignmentStatistics
    /// The beads to review, in document order.
    public var lowConfidence: [ReviewedBead]
    /// The warnings.
    public var warnings: [Warning]

    /// Builds the report of `aligned`.
    public init(aligned: AlignedText, sourcePath: String, targetPath: String, output: String,
                statistics: AlignmentStatistics, reviewThreshold: Double, warnings: [Finding]) {
        source = Input(path: sourcePath, language: aligned.sourceLanguage, sentences: aligned.source.count)
        target = Input(path: targetPath, language: aligned.targetLanguage, sentences: aligned.target.count)
        self.output = output
        beads = aligned.beads.count
        var shapes: [String: Int] = [:]
        for bead in aligned.beads { shapes[bead.shape, default: 0] += 1 }
        self.shapes = shapes
        unalignedSourceSentences = aligned.beads.filter { $0.target.isEmpty }.reduce(0) { $0 + $1.source.count }
        unalignedTargetSentences = aligned.beads.filter { $0.source.isEmpty }.reduce(0) { $0 + $1.target.count }
        self.reviewThreshold = reviewThreshold
        meanConfidence = aligned.beads.isEmpty ? 0 : aligned.beads.reduce(0) { $0 + $1.confidence } / Double(aligned.beads.count)
        self.statistics = statistics
        lowConfidence = aligned.beads.filter { $0.isNull || $0.confidence < reviewThreshold }.map { bead in
            ReviewedBead(source: Array(bead.source), target: Array(bead.target), shape: bead.shape,
                         confidence: (bead.confidence * 1000).rounded() / 1000,
                         sourceText: aligned.sourceText(bead), targetText: aligned.targetText(bead),
                         sourceLocation: bead.source.first.flatMap { aligned.source[$0].location?.description },
                         targetLocation: bead.target.first.flatMap { aligned.target[$0].location?.description })
        }
        self.warnings = warnings.map { Warning(severity: $0.severity.rawValue, message: $0.message, location: $0.location?.description, code: $0.code) }
    }
}
