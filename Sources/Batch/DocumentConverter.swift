import Diagnostics
import FileAccess
import TranslationModel

/// What `verso convert` was told about the files it converts.
public struct ConversionSettings: Sendable, Hashable {
    /// `--source`: language of text inputs (HTML defaults to its `lang`).
    public var sourceLanguage: String?
    /// `--target`.
    public var targetLanguage: String?
    /// `--to`: the XLIFF version written (prepared documents default to 1.2, as `prepare` does).
    public var version: XLIFFVersion?

    /// Creates settings.
    public init(sourceLanguage: String? = nil, targetLanguage: String? = nil, version: XLIFFVersion? = nil) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.version = version
    }
}

/// The converter `verso convert` uses: each action calls the library that does it (the prepare
/// pipeline, the XLIFF readers and writers, merge), set up once and shared by every job.
public struct DocumentConverter: BatchFileConverter {
    /// The run's settings.
    public let settings: ConversionSettings

    /// Creates the converter.
    public init(settings: ConversionSettings) {
        self.settings = settings
    }

    public func convert(_ job: BatchJob) throws -> [Finding] {
        throw FileAccessError(path: job.input, "\(job.action.rawValue) is not available in this build")
    }
}
