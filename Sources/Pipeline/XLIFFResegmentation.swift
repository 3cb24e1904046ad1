import Diagnostics
import FileAccess
import Segmentation
import TranslationModel
import XLIFF

/// Re-segments the units of an XLIFF file (1.2 or 2.x, written back in the same version): the
/// XLIFF mode of `verso segment`.
///
/// Streams the file one unit at a time. Units that are not translated yet are joined and split
/// again into sentences (`Segmenter.segment(_:)`); translated units, units with
/// `canResegment="no"` and units not to be translated are copied unchanged. The output is written
/// atomically and never over the input.
public enum XLIFFResegmentation {
    /// What a run did.
    public struct Result: Sendable, Hashable {
        /// The version read (and written).
        public var version: XLIFFVersion
        /// Units read.
        public var unitCount: Int
        /// Units whose segmentation changed.
        public var resegmentedCount: Int
        /// Segments written.
        public var segmentCount: Int
        /// Warnings from the reader and the writer.
        public var findings: [Finding]
    }

    /// Re-segments `input` into `output`. The language of each `<file>` (or of the document) picks
    /// the rules unless `language` forces one. `rules` nil means Verso's built-in rules.
    @discardableResult
    public static func resegment(input: String, output: String, displayInput: String? = nil, language: String? = nil, rules: SRXRules? = nil) throws -> Result {
        let shownInput = displayInput ?? input
        try InputFile.checkReadable(input)
        let version = try XLIFFConverter.detectVersion(ofFile: input, displayPath: shownInput)
        let out = try AtomicFile(destination: output, protectedInputs: [input])
        do {
            let result = try run(input: input, displayInput: shownInput, version: version, into: out, language: language, rules: rules)
            try out.commit()
            return result
        } catch {
            out.discard()
            throw error
        }
    }

    private static func run(input: String, displayInput: String, version: XLIFFVersion, into out: AtomicFile, language forced: String?, rules: SRXRules?) throws -> Result {
        let next: () throws -> DocumentEvent?
        let readerFindings: () -> [Finding]
        if version == .v1_2 {
            let reader = try XLIFF12Reader(path: input, displayPath: displayInput)
            next = reader.next
            readerFindings = { reader.findings }
        } else {
            let reader = try XLIFF2Reader(path: input, displayPath: displayInput)
            next = reader.next
            readerFindings = { reader.findings }
        }
        let write: (DocumentEvent) throws -> Void
        let finish: () throws -> [Finding]
        if version == .v1_2 {
            let writer = try XLIFF12Writer(file: out, options: .init(keepExtensions: true))
            write = writer.write
            finish = { try writer.finish(); return writer.findings }
        } else {
            let writer = try XLIFF2Writer(version: version, file: out, checksUnitIDs: false)
            write = writer.write
            finish = { writer.findings }
        }

        var segmenters: [String: Segmenter] = [:]
        var rulesWarnings: [Finding] = []
        func segmenter(for language: String) throws -> Segmenter {
            if let s = segmenters[language] { return s }
            let s = try rules.map { try Segmenter(rules: $0, language: language) } ?? Segmenter(language: language)
            segmenters[language] = s
            if let warning = s.missingLanguageRulesWarning {
                rulesWarnings.append(Finding(.warning, warning, at: SourceLocation(file: input), code: "segment.no-language-rules"))
            }
            return s
        }
        var documentLanguage = ""
        var fileLanguage = ""
        var units = 0, changed = 0, segments = 0
        while let event = try next() {
            switch event {
            case .startDocument(let info):
                documentLanguage = info.sourceLanguage
                try write(event)
            case .startFile(let info):
                fileLanguage = info.sourceLanguage ?? documentLanguage
                try write(event)
            case .unit(let unit):
                units += 1
                let language = forced ?? (fileLanguage.isEmpty ? documentLanguage : fileLanguage)
                let result = language.isEmpty ? unit : try segmenter(for: language).segment(unit)
                if result != unit { changed += 1 }
                segments += result.segments.count
                try write(.unit(result))
            default:
                try write(event)
            }
        }
        let writerFindings = try finish()
        return Result(version: version, unitCount: units, resegmentedCount: changed, segmentCount: segments, findings: rulesWarnings + readerFindings() + writerFindings)
    }
}
