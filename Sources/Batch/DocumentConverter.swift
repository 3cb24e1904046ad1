import Diagnostics
import FileAccess
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

    /// Creates settings.
    public init(sourceLanguage: String? = nil, targetLanguage: String? = nil, version: XLIFFVersion? = nil, keepExtensions: Bool = false) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.version = version
        self.keepExtensions = keepExtensions
    }
}

/// The converter `verso convert` uses: each action calls the library step that does it — the
/// XLIFF version change (`XLIFFConverter`), the prepare pipeline, merge — set up once and shared
/// by every job.
public struct DocumentConverter: BatchFileConverter {
    /// The run's settings.
    public let settings: ConversionSettings

    /// Creates the converter.
    public init(settings: ConversionSettings) {
        self.settings = settings
    }

    public func convert(_ job: BatchJob) throws -> BatchFileOutcome {
        switch job.action {
        case .changeVersion:
            guard let version = settings.version else {
                throw FileAccessError(path: job.input, "no XLIFF version to convert to (--to)")
            }
            let options = XLIFFConverter.Options(version: version, keepExtensions: settings.keepExtensions)
            let result = try XLIFFConverter.convert(input: job.input, output: job.output, options: options)
            return BatchFileOutcome(findings: result.findings, units: result.unitCount, from: result.sourceVersion.rawValue, to: version.rawValue)
        case .prepare:
            throw FileAccessError(path: job.input, "preparing \(job.kind == .html ? "HTML" : "text") files is not in this build yet (the prepare pipeline has not landed)")
        case .merge:
            throw FileAccessError(path: job.input, "merging is not in this build yet (the merge pipeline has not landed)")
        }
    }
}
