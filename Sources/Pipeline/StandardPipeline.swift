import Diagnostics
import Foundation
import Segmentation
import Terminology

/// What the prepare pipeline should do, as `verso prepare` and `verso convert` flags say it.
public struct PipelineOptions: Sendable {
    /// Split units into sentences (`--no-segment` turns it off).
    public var segment: Bool
    /// SRX rules to segment with (`--srx`); nil means Verso's built-in rules.
    public var srxPath: String?
    /// Recognise glossary terms (`--no-terms` turns it off).
    public var recognizeTerms: Bool
    /// Glossary files (`--glossary`); empty means the built-in glossaries.
    public var glossaryPaths: [String]
    /// Pre-fill targets with the source (`--copy-source`).
    public var copySource: Bool
    /// Keep a log of the concepts found per file (`AssembledPipeline.termUsage`), for reports and
    /// glossary subsets. `verso convert` writes neither: without the log, a run of thousands of
    /// files neither takes a lock per term found nor keeps every file's concepts until the end.
    public var recordTermUsage: Bool = true
    /// The language most documents will be in, when known (`--source`): its segmentation rules
    /// are compiled on another thread while the glossaries load, and its term recogniser is
    /// built on a third once they are loaded, so that the first document waits for neither in
    /// turn. Nil builds both when the first document asks.
    public var expectedSourceLanguage: String? = nil
    /// The target language most documents will have, when known (`--target`): with
    /// `expectedSourceLanguage`, the built-in glossaries are read for these two languages only.
    public var expectedTargetLanguage: String? = nil

    /// Creates options; the defaults are `verso prepare`'s.
    public init(segment: Bool = true, srxPath: String? = nil, recognizeTerms: Bool = true, glossaryPaths: [String] = [], copySource: Bool = false) {
        self.segment = segment
        self.srxPath = srxPath
        self.recognizeTerms = recognizeTerms
        self.glossaryPaths = glossaryPaths
        self.copySource = copySource
    }
}

/// A pipeline assembled from options, with what its stages report about the run.
public struct AssembledPipeline: Sendable {
    /// The stages, in order.
    public var pipeline: Pipeline
    /// The concepts term recognition found, per file (nil without term recognition).
    public var termUsage: TermUsageLog?
    /// The glossary files in use.
    public var glossaries: [String]
    /// Problems found while loading glossaries or rules (warnings).
    public var findings: [Finding]
}

/// Assembles the standard prepare pipeline: segment → recognise terms → copy source.
///
/// Terms are marked after segmentation so that a term marker never spans two sentences.
public enum StandardPipeline {
    /// Builds the stages `options` ask for. Throws when a glossary or rule file cannot be read:
    /// preparing without what the user asked for would silently give the wrong XLIFF.
    public static func make(_ options: PipelineOptions) throws -> AssembledPipeline {
        var stages: [any Stage] = []
        var usage: TermUsageLog?
        var glossaries: [String] = []
        var findings: [Finding] = []
        if options.segment {
            let segmenters = try options.srxPath.map { try Segmenters(srxFile: $0) } ?? Segmenters()
            stages.append(SegmentationStage(segmenters: segmenters))
            if let language = options.expectedSourceLanguage, options.recognizeTerms {
                // Errors are not reported here: the first document asks again and reports them.
                Thread.detachNewThread { _ = try? segmenters.segmenter(for: language) }
            }
        }
        if options.recognizeTerms {
            let recognizers: TermRecognizers
            if options.glossaryPaths.isEmpty {
                glossaries = BuiltInGlossaries.files.map(\.path)
                // Read now, so that a glossary that cannot be read stops the run before any
                // document: for the expected languages only when they are known (a document in
                // another pair reads its own), else with every language.
                if let source = options.expectedSourceLanguage {
                    _ = try BuiltInGlossaries.glossary(scope: LanguageScope([source] + (options.expectedTargetLanguage.map { [$0] } ?? [])))
                } else {
                    _ = try BuiltInGlossaries.glossary()
                }
                recognizers = TermRecognizers(builtInGlossaries: glossaries)
            } else {
                let (g, f) = try Glossary.open(paths: options.glossaryPaths)
                glossaries = options.glossaryPaths
                findings += f
                recognizers = TermRecognizers(glossary: g, names: glossaries)
            }
            let log = options.recordTermUsage ? TermUsageLog() : nil
            usage = log
            if let language = options.expectedSourceLanguage {
                // Built while the rules compile, not by the first document after them (errors
                // are not reported here: the first document asks again and reports them).
                let target = options.expectedTargetLanguage
                Thread.detachNewThread { _ = try? recognizers.recognizer(for: language, target: target) }
            }
            stages.append(TermRecognitionStage(recognizers: recognizers, usage: log))
        }
        if options.copySource { stages.append(CopySourceStage()) }
        return AssembledPipeline(pipeline: Pipeline(stages), termUsage: usage, glossaries: glossaries, findings: findings)
    }
}
