import Alignment
import ArgumentParser
import Diagnostics
import FileAccess
import Formats
import Foundation
import Segmentation
import TranslationModel
import XLIFF

/// Reads one side of `verso align` into sentences: plain text (segmented, or one sentence per
/// line with `--presegmented`), HTML (its text units, segmented) or XLIFF (its segments; units
/// holding one unsegmented paragraph are segmented).
struct AlignmentInput {
    /// What kind of file a side is.
    enum Kind: String {
        case text, html, xliff
    }

    var path: String
    var kind: Kind
    /// The language the document declares (HTML `lang`, XLIFF `srcLang`/`source-language`).
    var declaredLanguage: String?
    /// Its sentences, with their locations and paragraph starts.
    var sentences: [AlignedSentence] = []
    /// Problems the reader recovered from.
    var findings: [Finding] = []
    /// SRX rules replacing the built-in ones (`--srx`).
    var rules: SRXRules?

    /// The kind of `path`: by extension, else by its first bytes.
    static func kind(of path: String) throws -> Kind {
        let ext = (path as NSString).pathExtension.lowercased()
        if ["xlf", "xliff", "sdlxliff", "mqxliff", "xlz"].contains(ext) { return .xliff }
        if let format = SourceFormat.guess(fileName: path) { return format == .html ? .html : .text }
        try InputFile.checkReadable(path)
        let head = Array((try InputFile.readBytes(path)).prefix(2048))
        let text = String(decoding: head, as: UTF8.self)
        if text.contains("<xliff") { return .xliff }
        return SourceFormat.sniff(head) == .html ? .html : .text
    }

    /// Opens `path` and reads its sentences; `language` (from `--source`/`--target`, else the
    /// document's own) picks the segmentation rules.
    init(path: String, language: String?, presegmented: Bool, encoding: String?, rules: SRXRules? = nil) throws {
        self.rules = rules
        self.path = path
        try InputFile.checkReadable(path)
        kind = presegmented ? .text : try Self.kind(of: path)
        switch kind {
        case .text:
            let text = try Self.readText(path, encoding: encoding)
            if presegmented {
                sentences = Self.lines(text, path: path)
            } else {
                guard let language else { throw ValidationError("missing --source or --target: plain text (\(path)) does not say its language") }
                let splitter = try SentenceSplitter(language: language, rules: rules)
                noteMissingRules(splitter)
                sentences = try Self.segment(text, path: path, splitter: splitter)
            }
        case .html:
            try readHTML(language: language, encoding: encoding)
        case .xliff:
            try readXLIFF(language: language)
        }
    }

    /// A warning when the segmentation rules have nothing for the language (`--source xx`).
    private mutating func noteMissingRules(_ splitter: SentenceSplitter) {
        if let warning = splitter.missingLanguageRulesWarning {
            findings.append(Finding(.warning, warning, at: SourceLocation(file: path), code: "segment.no-language-rules"))
        }
    }

    static func readText(_ path: String, encoding: String?) throws -> String {
        // The library's reader: the same decoding and error messages as `verso segment`.
        guard let encoding, !encoding.isEmpty else { return try TextParagraphChunks.text(path: path) }
        let codec = TextEncoding(encoding)
        guard codec.isSupported else { throw FileAccessError(path: path, "unknown encoding '\(encoding)'") }
        // A byte-order mark says more than the option (CLI.md: BOM files need no --encoding).
        return try TextParagraphChunks.text(path: path, encoding: codec)
    }

    /// One sentence per line (empty lines included, so line numbers are sentence numbers); a
    /// final line break does not start another sentence.
    static func lines(_ text: String, path: String) -> [AlignedSentence] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        var previousBlank = true
        return lines.enumerated().map { index, line in
            let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
            defer { previousBlank = blank }
            return AlignedSentence(line, location: SourceLocation(file: path, line: index + 1, column: 1), startsParagraph: previousBlank && !blank)
        }
    }

    /// Sentences of plain text, paragraph by paragraph.
    static func segment(_ text: String, path: String, splitter: SentenceSplitter) throws -> [AlignedSentence] {
        let index = LineIndex(text)
        let utf16 = Array(text.utf16)
        var out: [AlignedSentence] = []
        for paragraph in splitter.sentencesByParagraph(text) {
            for (k, range) in paragraph.enumerated() {
                let sentence = String(decoding: utf16[range], as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if sentence.isEmpty { continue }
                let p = index.position(ofUTF16Offset: range.lowerBound)
                out.append(AlignedSentence(sentence.replacingOccurrences(of: "\n", with: " "),
                                           location: SourceLocation(file: path, line: p.line, column: p.column), startsParagraph: k == 0))
            }
        }
        return out
    }

    private mutating func readHTML(language: String?, encoding: String?) throws {
        let options = SourceReaderOptions(encoding: encoding.map(TextEncoding.init))
        let description = SourceDescription(sourceLanguage: language ?? "und", original: path)
        var reader = try SourceDocuments.reader(path: path, format: .html, options: options, description: description, skeleton: DiscardingSkeletonSink())
        var units: [TranslationModel.Unit] = []
        while let event = try reader.next() {
            if case .unit(let unit) = event, unit.translate { units.append(unit) }
        }
        declaredLanguage = reader.declaredLanguage
        findings = reader.findings
        guard let lang = language ?? declaredLanguage else {
            throw ValidationError("missing language for \(path): the HTML has no lang attribute; give --source/--target")
        }
        let splitter = try SentenceSplitter(language: lang, rules: rules)
        noteMissingRules(splitter)
        for unit in units {
            sentences += splitter.sentences(of: unit.source.plainText, path: path)
        }
    }

    private mutating func readXLIFF(language: String?) throws {
        let version = try XLIFFConverter.detectVersion(ofFile: path)
        var reader: any DocumentReader = version == .v1_2 ? try XLIFF12Reader(path: path) : try XLIFF2Reader(path: path)
        var units: [TranslationModel.Unit] = []
        while let event = try reader.next() {
            switch event {
            case .startDocument(let info): declaredLanguage = info.sourceLanguage.isEmpty ? nil : info.sourceLanguage
            case .unit(let unit) where unit.translate: units.append(unit)
            default: break
            }
        }
        let lang = language ?? declaredLanguage
        var splitter: SentenceSplitter?
        for unit in units {
            let segments = unit.segments
            if segments.count == 1, let lang {
                // One segment for the whole unit: the XLIFF was not segmented.
                if splitter == nil {
                    splitter = try SentenceSplitter(language: lang, rules: rules)
                    noteMissingRules(splitter!)
                }
                var split = splitter!.sentences(of: segments[0].source.plainText, path: path)
                for k in split.indices { split[k].location = SourceLocation(file: path) }
                sentences += split
                continue
            }
            for (k, segment) in segments.enumerated() {
                let text = segment.source.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { continue }
                sentences.append(AlignedSentence(text, location: SourceLocation(file: path), startsParagraph: k == 0))
            }
        }
    }
}

extension SentenceSplitter {
    /// The sentences of one unit's text (the first starts a paragraph).
    func sentences(of text: String, path: String) -> [AlignedSentence] {
        let utf16 = Array(text.utf16)
        var out: [AlignedSentence] = []
        for range in sentences(text) {
            let sentence = String(decoding: utf16[range], as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if sentence.isEmpty { continue }
            out.append(AlignedSentence(sentence.replacingOccurrences(of: "\n", with: " "), location: SourceLocation(file: path), startsParagraph: out.isEmpty))
        }
        return out
    }
}
