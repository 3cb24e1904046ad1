import Alignment
import Diagnostics
import FileAccess
import Foundation
import TMX
import Terminology
import TranslationModel
import XLIFF
import XMLSupport

/// The formats `verso align` writes, chosen by the output's extension.
enum AlignmentOutputFormat: String {
    case tmx, xliff, tsv

    init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "tmx": self = .tmx
        case "xlf", "xliff": self = .xliff
        case "tsv", "tab": self = .tsv
        default: return nil
        }
    }
}

/// Writes an alignment as TMX, bilingual XLIFF or TSV, atomically.
enum AlignmentOutput {
    /// Writes `aligned` to `path`; returns what the writer reported.
    static func write(_ aligned: AlignedText, format: AlignmentOutputFormat, to path: String, sourcePath: String, targetPath: String,
                      reviewThreshold: Double, xliffVersion: XLIFFVersion, protectedInputs: [String]) throws -> [Finding] {
        switch format {
        case .tsv:
            let comments = ["verso align \(VersoVersion.current): \(sourcePath) (\(aligned.sourceLanguage)) → \(targetPath) (\(aligned.targetLanguage))",
                            "source sentences<TAB>target sentences (0-based)<TAB>confidence<TAB>source text<TAB>target text"]
            try AtomicFile.write(Array(aligned.tsv(comments: comments).utf8), to: path, protectedInputs: protectedInputs)
            return []
        case .xliff:
            let document = xmlSafe(aligned).xliffDocument(original: (sourcePath as NSString).lastPathComponent, reviewThreshold: reviewThreshold)
            if xliffVersion == .v1_2 {
                return try XLIFF12Writer.write(document, to: path, protectedInputs: protectedInputs)
            }
            return try XLIFF2Writer.write(document, to: path, version: xliffVersion, protectedInputs: protectedInputs)
        case .tmx:
            try writeTMX(xmlSafe(aligned), to: path, sourcePath: sourcePath, targetPath: targetPath, reviewThreshold: reviewThreshold, protectedInputs: protectedInputs)
            return []
        }
    }

    /// TMX: one translation unit per bead that pairs sentences (unaligned sentences have no
    /// translation to remember), with the bead's confidence, shape and sentence numbers as
    /// properties and a note on the beads to review.
    static func writeTMX(_ aligned: AlignedText, to path: String, sourcePath: String, targetPath: String,
                         reviewThreshold: Double, protectedInputs: [String]) throws {
        let now = TMXWriter.timestamp()
        let header = TMXHeader(creationTool: "Verso", creationToolVersion: VersoVersion.current, segmentType: "sentence",
                               originalFormat: "verso align", adminLanguage: "en", sourceLanguage: aligned.sourceLanguage,
                               dataType: "plaintext", attributes: ["creationdate": now],
                               properties: [TMXProperty(type: "x-source-document", value: sourcePath),
                                            TMXProperty(type: "x-target-document", value: targetPath)])
        let file = try AtomicFile(destination: path, protectedInputs: protectedInputs)
        do {
            let writer = try TMXWriter(header: header, file: file)
            var number = 0
            for bead in aligned.beads where !bead.isNull {
                number += 1
                var unit = TMXUnit(id: String(number), attributes: ["creationdate": now, "creationtool": "Verso", "creationtoolversion": VersoVersion.current])
                unit.properties = [
                    TMXProperty(type: "x-alignment-confidence", value: AlignedText.format(bead.confidence)),
                    TMXProperty(type: "x-alignment-bead", value: bead.shape),
                    TMXProperty(type: "x-source-sentences", value: bead.source.map(String.init).joined(separator: ",")),
                    TMXProperty(type: "x-target-sentences", value: bead.target.map(String.init).joined(separator: ",")),
                ]
                if bead.confidence < reviewThreshold {
                    unit.notes = [TMXNote("needs review: \(aligned.describe(bead))", language: "en")]
                }
                unit.variants = [TMXVariant(language: aligned.sourceLanguage, content: Content(aligned.sourceText(bead))),
                                 TMXVariant(language: aligned.targetLanguage, content: Content(aligned.targetText(bead)))]
                try writer.write(unit)
            }
            try writer.finish()
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// The text with the characters XML 1.0 cannot hold (control characters) replaced by
    /// U+FFFD, so that one stray byte does not lose the whole output.
    static func xmlSafe(_ aligned: AlignedText) -> AlignedText {
        func clean(_ s: String) -> String {
            guard s.unicodeScalars.contains(where: { !XMLCharacters.isAllowed($0) }) else { return s }
            return String(String.UnicodeScalarView(s.unicodeScalars.map { XMLCharacters.isAllowed($0) ? $0 : "\u{FFFD}" }))
        }
        var out = aligned
        for k in out.source.indices { out.source[k].text = clean(out.source[k].text) }
        for k in out.target.indices { out.target[k].text = clean(out.target[k].text) }
        return out
    }

    /// True when some sentence holds a character XML cannot.
    static func hasXMLForbiddenCharacters(_ sentences: [AlignedSentence]) -> Bool {
        sentences.contains { $0.text.unicodeScalars.contains { !XMLCharacters.isAllowed($0) } }
    }
}

/// Glossary terms as alignment anchors: a concept recognised in a source sentence and in a
/// target sentence links them.
struct TermAnchors: AnchorRecognizer {
    let source: TermRecognizer
    let target: TermRecognizer

    func sourceAnchors(in sentence: String) -> [String] { ids(source, sentence) }
    func targetAnchors(in sentence: String) -> [String] { ids(target, sentence) }

    private func ids(_ recognizer: TermRecognizer, _ sentence: String) -> [String] {
        guard let matches = try? recognizer.matches(in: sentence) else { return [] }
        return matches.map { "\($0.store):\($0.ref.concept)" }
    }
}
