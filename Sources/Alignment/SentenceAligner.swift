import Diagnostics
import Foundation
import TranslationModel

/// Settings of a `SentenceAligner`.
public struct AlignerConfiguration: Sendable {
    /// The bead shapes the search may use.
    public var shapes: [BeadShape]
    /// A bilingual word list whose pairs count as anchors (either orientation; the one that fits
    /// the texts is used).
    public var dictionary: BilingualDictionary?
    /// Glossary terms (or other shared anchors) recognised in the sentences.
    public var anchors: (any AnchorRecognizer)?
    /// Learn word translations from a first alignment of the document and realign with them.
    public var learnsLexicon: Bool
    /// Half-width of the search band, in sentences, around the expected path; widened where the
    /// best path runs along its edge.
    public var bandRadius: Int
    /// The band is never widened beyond this half-width.
    public var maximumBandRadius: Int
    /// A warning names every run of at least this many consecutive unaligned sentences.
    public var unalignedRunWarning: Int = 5
    /// Beads with a confidence below this are reported as needing review. On the development
    /// sets, about 97% of the beads at or above 0.9 are exactly right and about half of those
    /// below.
    public var reviewThreshold: Double

    /// Creates a configuration; the defaults suit documents and their translations of any length.
    public init(shapes: [BeadShape] = BeadShape.extended, dictionary: BilingualDictionary? = nil,
                anchors: (any AnchorRecognizer)? = nil, learnsLexicon: Bool = true,
                bandRadius: Int = 30, maximumBandRadius: Int = 480, reviewThreshold: Double = 0.9) {
        self.shapes = shapes
        self.dictionary = dictionary
        self.anchors = anchors
        self.learnsLexicon = learnsLexicon
        self.bandRadius = bandRadius
        self.maximumBandRadius = maximumBandRadius
        self.reviewThreshold = reviewThreshold
    }
}

/// What an alignment run produced: the beads in order, and what the user should know about it.
public struct SentenceAlignment: Sendable {
    /// The beads, in document order; every sentence of both sides is in exactly one bead.
    public var beads: [Bead]
    /// Problems that did not stop the alignment (an empty side, very different lengths, texts
    /// that share almost no anchors). Locations are left for the caller to fill in.
    public var warnings: [Finding]
    /// Figures about the run.
    public var statistics: AlignmentStatistics
    /// Runs of at least `AlignerConfiguration.unalignedRunWarning` consecutive sentences of one
    /// side left unaligned (a passage missing from the other side): side (0 source, 1 target)
    /// and sentence numbers.
    public var unalignedRuns: [(side: Int, sentences: Range<Int>)]
}

/// Figures about an alignment run, for reports.
public struct AlignmentStatistics: Sendable, Hashable, Codable {
    /// Source sentences.
    public var sourceSentences: Int
    /// Target sentences.
    public var targetSentences: Int
    /// Target letters per source letter, as estimated on the aligned beads.
    public var lengthRatio: Double
    /// Dictionary pairs that occur in the texts (0 without a dictionary).
    public var dictionaryPairsUsed: Int
    /// True when the dictionary was used with its columns swapped.
    public var dictionaryReversed: Bool
    /// Word translations learned from the document.
    public var learnedPairs: Int
    /// Share of the aligned sentences' anchors that found their counterpart.
    public var anchorMatchRate: Double
    /// Glossary concepts found on both sides of a bead (occurrences on the source side).
    public var glossaryAnchorsMatched: Int = 0
    /// Half-width of the widest band row searched.
    public var bandRadius: Int
    /// Beads below the review threshold.
    public var lowConfidenceBeads: Int
}

/// Aligns a text with its translation sentence by sentence.
///
/// Dynamic programming over beads (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1, and by default
/// 2-3, 3-2, 1-4, 4-1) scored by the length
/// model of Gale & Church combined with anchors — numbers, punctuation, names and cognates
/// (words sharing a stem after folding case and accents), glossary concepts, dictionary pairs and
/// word translations learned from a first pass over the document itself. The search runs in a
/// band around the expected path, so time and memory grow linearly with the document, and is
/// widened where the best path meets the band's edge. Each bead's confidence is its posterior
/// probability over all alignments in the band.
public struct SentenceAligner: Sendable {
    /// The settings.
    public var configuration: AlignerConfiguration

    /// Creates an aligner.
    public init(configuration: AlignerConfiguration = AlignerConfiguration()) {
        self.configuration = configuration
    }

    /// Aligns `source` with `target` (one sentence per element). `sourceParagraphStarts` and
    /// `targetParagraphStarts`, when given, flag the sentences that start a paragraph: breaks
    /// that line up on both sides count as anchors.
    public func align(source: [String], target: [String],
                      sourceParagraphStarts: [Bool]? = nil, targetParagraphStarts: [Bool]? = nil) -> SentenceAlignment {
        var warnings: [Finding] = []
        let n = source.count, m = target.count
        var statistics = AlignmentStatistics(sourceSentences: n, targetSentences: m, lengthRatio: 0,
                                             dictionaryPairsUsed: 0, dictionaryReversed: false, learnedPairs: 0,
                                             anchorMatchRate: 0, bandRadius: 0, lowConfidenceBeads: 0)
        if n == 0 || m == 0 {
            if n == 0 && m == 0 {
                warnings.append(Finding(.warning, "both texts are empty: nothing to align", code: "align.empty"))
            } else {
                let side = n == 0 ? "source" : "target"
                warnings.append(Finding(.warning, "the \(side) text is empty: every sentence of the other side is left unaligned", code: "align.empty-side"))
            }
            let beads = (0..<n).map { Bead(source: $0..<$0 + 1, target: 0..<0, confidence: 1) }
                + (0..<m).map { Bead(source: 0..<0, target: $0..<$0 + 1, confidence: 1) }
            return SentenceAlignment(beads: beads, warnings: warnings, statistics: statistics, unalignedRuns: [])
        }

        var bitext = Bitext(source: source, target: target, anchors: configuration.anchors,
                            sourceParagraphStarts: sourceParagraphStarts, targetParagraphStarts: targetParagraphStarts)
        if let dictionary = configuration.dictionary {
            let (used, reversed) = bitext.addDictionary(dictionary)
            statistics.dictionaryPairsUsed = used
            statistics.dictionaryReversed = reversed
            if used == 0 {
                warnings.append(Finding(.warning, "no pair of the dictionary occurs in the texts: is it for these languages?", code: "align.dictionary-unused"))
            }
        }
        let shapes = configuration.shapes
        var model = ScoringModel()
        model.shapeCost = ScoringModel.defaultShapeCosts(shapes)
        let sourceLetters = Double(bitext.source.cumulative[n]), targetLetters = Double(bitext.target.cumulative[m])
        model.ratio = sourceLetters > 0 && targetLetters > 0 ? targetLetters / sourceLetters : 1
        let countRatio = Double(m) / Double(n)
        if sourceLetters > 0, targetLetters > 0, countRatio > 1.5 || countRatio < 1 / 1.5 {
            // Far more sentences on one side: part of a text is probably missing, so the letters
            // of whole texts say little about how long a translation is; the mean sentence
            // lengths do (and the first pass corrects either estimate).
            model.ratio = (targetLetters / Double(m)) / (sourceLetters / Double(n))
        }
        model.logLengthMean.0 = Self.logMean(bitext.source.lengths)
        model.logLengthMean.1 = Self.logMean(bitext.target.lengths)
        model.logLengthDeviation.0 = Self.logDeviation(bitext.source.lengths, mean: model.logLengthMean.0)
        model.logLengthDeviation.1 = Self.logDeviation(bitext.target.lengths, mean: model.logLengthMean.1)
        let letterRatio = sourceLetters > 0 ? targetLetters / sourceLetters : 1
        if sourceLetters > 0, targetLetters > 0, letterRatio > 2.5 || letterRatio < 0.4 {
            let longer = letterRatio > 1 ? "target" : "source"
            warnings.append(Finding(.warning, String(format: "the texts differ much in length (the %@ is %.1f times longer): parts may be missing or the files may not be translations of each other", longer, max(letterRatio, 1 / letterRatio)), code: "align.length-mismatch"))
        }

        // Pass 1: length and surface anchors, in a band around the chain of confident anchors
        // (the length diagonal between them).
        var (center, corners) = AnchorPath.center(bitext)
        var evidence = AnchorEvidence(bitext: bitext, model: model)
        var (result, band) = search(bitext: bitext, evidence: evidence, model: model, center: center,
                                    radius: configuration.bandRadius, corners: corners, posteriors: false)

        // Pass 2: re-estimate the model on pass 1, learn word translations, realign in a band
        // around the first path, with posteriors for the confidences.
        model = Self.reestimate(model, bitext: bitext, evidence: evidence, beads: result.beads, shapes: shapes)
        if configuration.learnsLexicon {
            statistics.learnedPairs = LexiconLearner.learn(into: &bitext, beads: result.beads)
        }
        evidence = AnchorEvidence(bitext: bitext, model: model)
        center = Self.pathCenter(result.beads, sourceCount: n)
        (result, band) = search(bitext: bitext, evidence: evidence, model: model, center: center,
                                radius: max(10, configuration.bandRadius / 2), posteriors: true)

        statistics.lengthRatio = model.ratio
        statistics.bandRadius = zip(band.lower, band.upper).map { ($1 - $0 + 1) / 2 }.max() ?? 0
        statistics.anchorMatchRate = Self.matchRate(bitext: bitext, evidence: evidence, beads: result.beads)
        var glossaryMatches = 0
        Self.visitFeatures(bitext: bitext, evidence: evidence, beads: result.beads, sourceOnly: true) { kind, matched, _, _ in
            if kind == Int(Bitext.Kind.anchor.rawValue) && matched { glossaryMatches += 1 }
        }
        statistics.glossaryAnchorsMatched = glossaryMatches
        let beads = result.beads.map {
            Bead(source: $0.sourceStart..<$0.sourceEnd, target: $0.targetStart..<$0.targetEnd, confidence: $0.posterior)
        }
        statistics.lowConfidenceBeads = beads.filter { $0.confidence < configuration.reviewThreshold }.count

        // Texts that are not translations of each other leave many sentences of *both* sides
        // unaligned (a passage missing from one side leaves only that side's) and pair the rest
        // with little confidence.
        let unalignedSource = Double(beads.filter { $0.target.isEmpty }.reduce(0) { $0 + $1.source.count }) / Double(n)
        let unalignedTarget = Double(beads.filter { $0.source.isEmpty }.reduce(0) { $0 + $1.target.count }) / Double(m)
        let paired = beads.filter { !$0.isNull }
        let unsure = Double(paired.filter { $0.confidence < configuration.reviewThreshold }.count) / Double(max(paired.count, 1))
        if min(n, m) >= 5, min(unalignedSource, unalignedTarget) > 0.3 || (statistics.anchorMatchRate < 0.25 && unsure > 0.5) || paired.isEmpty {
            warnings.append(Finding(.warning, String(format: "the texts share few anchors (names, numbers, cognates) and leave %.0f%% of the source and %.0f%% of the target sentences unaligned: check that they are translations of each other, in the languages given", unalignedSource * 100, unalignedTarget * 100), code: "align.weak-evidence"))
        }
        let runs = Self.unalignedRuns(beads, minimum: configuration.unalignedRunWarning)
        // The longest passages, in document order; the rest in one line (texts that are not
        // translations of each other would otherwise print hundreds).
        let shown = Set(runs.indices.sorted { runs[$0].sentences.count > runs[$1].sentences.count }.prefix(Self.passagesShown))
        for (index, run) in runs.enumerated() where shown.contains(index) {
            let side = run.side == 0 ? "source" : "target"
            let other = run.side == 0 ? "target" : "source"
            warnings.append(Finding(.warning, "\(run.sentences.count) consecutive \(side) sentences (\(run.sentences.lowerBound + 1)–\(run.sentences.upperBound)) have no counterpart in the \(other): a passage may be missing", code: "align.unaligned-passage"))
        }
        if runs.count > shown.count {
            let rest = runs.count - shown.count
            warnings.append(Finding(.warning, "\(rest) more passage\(rest == 1 ? "" : "s") of \(configuration.unalignedRunWarning) or more sentences have no counterpart (see the report)", code: "align.unaligned-passages"))
        }
        let identical = zip(source, target).filter { $0 == $1 && !$0.isEmpty }.count
        if identical * 2 > min(n, m), min(n, m) >= 3 {
            warnings.append(Finding(.warning, "most sentences are identical on both sides: the target looks untranslated or in the source language", code: "align.same-text"))
        }
        return SentenceAlignment(beads: beads, warnings: warnings, statistics: statistics, unalignedRuns: runs)
    }

    /// At most this many missing passages are named one by one.
    static let passagesShown = 10

    /// Runs of consecutive null beads of one side, at least `minimum` sentences long.
    static func unalignedRuns(_ beads: [Bead], minimum: Int) -> [(side: Int, sentences: Range<Int>)] {
        var out: [(Int, Range<Int>)] = []
        var side = -1, start = 0, end = 0
        func close() { if side >= 0, end - start >= minimum { out.append((side, start..<end)) } }
        for bead in beads {
            let beadSide = bead.source.isEmpty ? 1 : (bead.target.isEmpty ? 0 : -1)
            let range = beadSide == 1 ? bead.target : bead.source
            if beadSide >= 0, beadSide == side, range.lowerBound == end {
                end = range.upperBound
                continue
            }
            close()
            side = beadSide
            if beadSide >= 0 { start = range.lowerBound; end = range.upperBound }
        }
        close()
        return out
    }

    /// Runs the band search; where the best path runs along the band's edge, the band is moved
    /// onto that path (which leans towards the better one outside) and doubled in width around
    /// the places it touched, and the search runs again, until the path stays inside.
    private func search(bitext: Bitext, evidence: AnchorEvidence, model: ScoringModel, center initialCenter: [Int],
                        radius: Int, corners: [(Int, Int)] = [], posteriors: Bool) -> (BandSearch.Result, Band) {
        let m = bitext.target.count
        var center = initialCenter
        var rowRadius = [Int](repeating: radius, count: center.count)
        func makeBand() -> Band {
            var band = Band(center: center, radius: rowRadius, targetCount: m)
            AnchorPath.addBoxes(corners, to: &band, pad: 3, targetCount: m)
            return band
        }
        var band = makeBand()
        let searcher = BandSearch(bitext: bitext, evidence: evidence, model: model, shapes: configuration.shapes)
        for attempt in 0..<10 {
            let result = searcher.run(band: band, posteriors: posteriors)
            if result.touchedRows.isEmpty || attempt == 9 { return (result, band) }
            let previous = rowRadius
            var widened = false
            for (row, _) in result.touchedRows {
                let r = previous[row]
                guard r < configuration.maximumBandRadius else { continue }
                for i in max(0, row - 2 * r)...min(center.count - 1, row + 2 * r) {
                    let grown = min(configuration.maximumBandRadius, 2 * previous[i])
                    if grown > rowRadius[i] { rowRadius[i] = grown; widened = true }
                }
            }
            let moved = Self.pathCenter(result.beads, sourceCount: bitext.source.count)
            if !widened && moved == center { return (result, band) }
            center = moved
            band = makeBand()
        }
        return (searcher.run(band: band, posteriors: posteriors), band)
    }

    /// The target position of a path at every source row.
    static func pathCenter(_ beads: [ScoredBead], sourceCount n: Int) -> [Int] {
        var center = [Int](repeating: 0, count: n + 1)
        for bead in beads {
            center[bead.sourceEnd] = bead.targetEnd
            let a = bead.sourceEnd - bead.sourceStart
            if a > 1 {
                for k in 1..<a {
                    center[bead.sourceStart + k] = bead.targetStart + (bead.targetEnd - bead.targetStart) * k / a
                }
            }
        }
        return center
    }

    static func logMean(_ lengths: [Int32]) -> Double {
        guard !lengths.isEmpty else { return 4 }
        return lengths.reduce(0.0) { $0 + log(Double(max($1, 1))) } / Double(lengths.count)
    }

    static func logDeviation(_ lengths: [Int32], mean: Double) -> Double {
        guard lengths.count > 1 else { return 1 }
        let v = lengths.reduce(0.0) { let d = log(Double(max($1, 1))) - mean; return $0 + d * d } / Double(lengths.count - 1)
        return max(0.3, sqrt(v))
    }
}
