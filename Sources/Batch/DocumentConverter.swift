import Diagnostics
import FileAccess
import Formats
import Foundation
import Pipeline
import TranslationModel
import XLIFF

/// What `verso convert` was told about the files it converts.
public struct ConversionSettings: Sendable, Hashable {
    /// `--source`: language of text inputs (HTML defaults to its `lang`).
    public var sourceLanguage: String?
    /// `--target`.
    public var targetLanguage: String?
    /// `--to`: the XLIFF version written (prepared documents default to 1.2, as `prepare` does).
    public var version: XLIFFVersion?
    /// `--keep-extensions`: keep other tools' markup in XLIFF 1.2 output.
    public var keepExtensions: Bool
    /// `--glossary` files (TBX, CSV/TSV, `.sqlite`); empty: the built-in glossaries.
    public var glossaries: [String]
    /// False with `--no-terms`.
    public var recogniseTerms: Bool
    /// `--copy-source`: pre-fill each target with its source (OmegaT reads only units with one).
    public var copySource: Bool
    /// `--encoding`: how documents without a byte-order mark are decoded (default UTF-8).
    public var encoding: String?

    /// Creates settings.
    public init(sourceLanguage: String? = nil, targetLanguage: String? = nil, version: XLIFFVersion? = nil, keepExtensions: Bool = false, glossaries: [String] = [], recogniseTerms: Bool = true, copySource: Bool = false, encoding: String? = nil) {
        self.copySource = copySource
        self.encoding = encoding
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.version = version
        self.keepExtensions = keepExtensions
        self.glossaries = glossaries
        self.recogniseTerms = recogniseTerms
    }
}

/// The converter `verso convert` uses: each action calls the library step that does it —
/// `DocumentPreparer` (the `prepare` pipeline, `StandardPipeline`) for documents,
/// `XLIFFConverter` for a version change, `TranslationMerge` for `--merge`. The pipeline
/// (glossaries loaded, recognisers built) and the preparers are set up once and shared by every job.
public struct DocumentConverter: BatchFileConverter {
    /// The run's settings.
    public let settings: ConversionSettings
    /// Problems found while loading the glossaries (the run goes on).
    public let setupFindings: [Finding]
    private let textPreparer: DocumentPreparer?
    private let htmlPreparer: DocumentPreparer?

    /// Creates the converter; throws when a glossary cannot be read (preparing without the terms
    /// the user asked for would silently produce the wrong XLIFF). Without `needsPipeline` (no
    /// document to prepare) nothing is loaded.
    public init(settings: ConversionSettings, needsPipeline: Bool = true) throws {
        self.settings = settings
        guard needsPipeline else {
            setupFindings = []
            textPreparer = nil
            htmlPreparer = nil
            return
        }
        var pipelineOptions = PipelineOptions(recognizeTerms: settings.recogniseTerms, glossaryPaths: settings.glossaries, copySource: settings.copySource)
        pipelineOptions.recordTermUsage = false
        pipelineOptions.expectedSourceLanguage = settings.sourceLanguage
        pipelineOptions.expectedTargetLanguage = settings.targetLanguage
        let assembled = try StandardPipeline.make(pipelineOptions)
        setupFindings = assembled.findings
        func preparer(_ format: InputFormat) -> DocumentPreparer {
            var options = PrepareOptions(
                sourceLanguage: settings.sourceLanguage,
                targetLanguage: settings.targetLanguage,
                xliffVersion: settings.version ?? .v1_2,
                readerOptions: SourceReaderOptions(encoding: settings.encoding.map(TextEncoding.init)),
                format: format,
                countRepetitions: false
            )
            options.countWords = false
            // The plan refused every output that is one of the inputs.
            options.outputsCheckedAgainstInputs = true
            return DocumentPreparer(options: options, pipeline: assembled.pipeline)
        }
        textPreparer = preparer(.plainText)
        htmlPreparer = preparer(.html)
    }

    /// CLI.md's names, and for a merge the name recorded in the XLIFF's first `original`.
    public func outputName(forInput path: String, kind: BatchFileKind, action: BatchAction) throws -> String {
        guard action == .merge else { return BatchNaming.defaultOutputName(forInput: path, action: action) }
        try InputFile.checkReadable(path)
        return try TranslationMerge.outputName(forXLIFF: path)
    }

    public func convert(_ job: BatchJob) throws -> BatchFileOutcome {
        switch job.action {
        case .changeVersion:
            guard let version = settings.version else {
                throw FileAccessError(path: job.input, "no XLIFF version to convert to (--to)")
            }
            let options = XLIFFConverter.Options(version: version, keepExtensions: settings.keepExtensions, sourceLanguage: settings.sourceLanguage)
            let result = try XLIFFConverter.convert(input: job.input, output: job.output, options: options)
            return BatchFileOutcome(findings: result.findings, units: result.unitCount, from: result.sourceVersion.rawValue, to: version.rawValue)

        case .prepare:
            guard let preparer = job.kind == .html ? htmlPreparer : textPreparer else {
                throw FileAccessError(path: job.input, "internal error: the prepare pipeline was not set up")
            }
            let prepared = try preparer.prepare(input: job.input, output: job.output, inputBytes: job.inputBytes)
            return BatchFileOutcome(findings: prepared.findings, units: prepared.statistics.units, from: prepared.format.rawValue, to: prepared.xliffVersion.rawValue)

        case .merge:
            var claimed: Set<String> = []
            let folder = PathNames.folder(of: job.output)
            let merged = try TranslationMerge.merge(xliff: job.input, into: folder, claimedOutputs: &claimed, singleOutput: job.outputIsNamed ? job.output : nil)
            let format = BatchFileKind.detect(PathNames.lastComponent(job.output)).map(\.rawValue)
            return BatchFileOutcome(findings: merged.findings, units: merged.units, from: "xliff", to: format)
        }
    }
}
