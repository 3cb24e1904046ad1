import Diagnostics
import TranslationModel

/// A sentence to align, with where it came from.
public struct AlignedSentence: Sendable, Hashable {
    /// The sentence's text.
    public var text: String
    /// Where it starts in its input (file, line, column), when known.
    public var location: SourceLocation?
    /// True for the first sentence of a paragraph (or of any unit of the input): paragraph
    /// breaks that line up on both sides are anchors too.
    public var startsParagraph: Bool

    /// Creates a sentence.
    public init(_ text: String, location: SourceLocation? = nil, startsParagraph: Bool = false) {
        self.text = text
        self.location = location
        self.startsParagraph = startsParagraph
    }
}

/// A text aligned with its translation: both sentence lists and the beads that pair them, with
/// the renderings `verso align` writes (TSV, bilingual XLIFF).
public struct AlignedText: Sendable {
    /// Source language (BCP 47).
    public var sourceLanguage: String
    /// Target language (BCP 47).
    public var targetLanguage: String
    /// The source sentences.
    public var source: [AlignedSentence]
    /// The target sentences.
    public var target: [AlignedSentence]
    /// The beads, in order, covering every sentence once.
    public var beads: [Bead]

    /// Creates an aligned text.
    public init(sourceLanguage: String, targetLanguage: String, source: [AlignedSentence], target: [AlignedSentence], beads: [Bead]) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.source = source
        self.target = target
        self.beads = beads
    }

    /// The text of a bead's source side: its sentences joined by a space (by nothing in
    /// languages written without spaces).
    public func sourceText(_ bead: Bead) -> String {
        Self.join(bead.source.map { source[$0].text }, language: sourceLanguage)
    }

    /// The text of a bead's target side.
    public func targetText(_ bead: Bead) -> String {
        Self.join(bead.target.map { target[$0].text }, language: targetLanguage)
    }

    /// Languages whose sentences follow each other without a space.
    static let unspaced: Set<String> = ["zh", "ja", "th", "lo", "km", "my", "bo"]

    static func join(_ sentences: [String], language: String) -> String {
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        let trimmed = sentences.map { $0.trimmingSpaces() }
        return trimmed.joined(separator: unspaced.contains(primary) ? "" : " ")
    }

    /// TSV, one bead per line: 0-based source sentence numbers, tab, target sentence numbers
    /// (comma-separated, as in the `gold.tsv` files of alignment gold sets), tab, confidence,
    /// tab, source text, tab, target text. `comments` come first as `#` lines. Tabs and line
    /// breaks inside sentences become spaces.
    public func tsv(comments: [String] = []) -> String {
        var out = ""
        for comment in comments { out += "# " + comment.replacingLineBreaks() + "\n" }
        for bead in beads {
            out += bead.source.map(String.init).joined(separator: ",") + "\t"
            out += bead.target.map(String.init).joined(separator: ",") + "\t"
            out += Self.format(bead.confidence) + "\t"
            out += sourceText(bead).replacingTabsAndLineBreaks() + "\t"
            out += targetText(bead).replacingTabsAndLineBreaks() + "\n"
        }
        return out
    }

    /// A confidence with three decimals (`0.973`).
    public static func format(_ confidence: Double) -> String {
        let thousandths = Int((min(1, max(0, confidence)) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A one-line description of a bead for notes and reports: shape, sentence numbers (1-based,
    /// as people count), confidence.
    public func describe(_ bead: Bead) -> String {
        func numbers(_ r: Range<Int>, _ word: String) -> String {
            if r.isEmpty { return "no \(word) sentence" }
            // 0-based, as the TSV, the TMX properties, the report and gold.tsv number them.
            return r.count == 1 ? "\(word) sentence \(r.lowerBound)" : "\(word) sentences \(r.lowerBound)–\(r.upperBound - 1)"
        }
        return "\(bead.shape) bead (\(numbers(bead.source, "source")), \(numbers(bead.target, "target"))), confidence \(Self.format(bead.confidence))"
    }

    /// A bilingual document: one unit per bead, its source and target sentences as one segment.
    /// Beads at or above `reviewThreshold` get state `translated`; below it, and unaligned
    /// sentences, get `needs-review-translation` (XLIFF 2: `translated` with that 1.2 state as
    /// `subState`). A sentence without counterpart has an empty source or no target, and a note
    /// saying so.
    public func xliffDocument(original: String, reviewThreshold: Double) -> Document {
        var units: [FileItem] = []
        for (index, bead) in beads.enumerated() {
            let sourceText = self.sourceText(bead), targetText = self.targetText(bead)
            var segment = Segment(id: "s1", source: Content(sourceText))
            var notes = [Note(describe(bead), appliesTo: .general)]
            if bead.target.isEmpty {
                segment.state = .initial
                segment.xliff12State = "needs-translation"
                notes.append(Note("no target sentence matches this source sentence", appliesTo: .source))
            } else {
                segment.target = Content(targetText)
                let review = bead.source.isEmpty || bead.confidence < reviewThreshold
                segment.state = .translated
                segment.xliff12State = review ? "needs-review-translation" : "translated"
                if review { segment.subState = "xliff1.2:needs-review-translation" }
                if bead.source.isEmpty { notes.append(Note("no source sentence matches this target sentence", appliesTo: .target)) }
            }
            units.append(.unit(Unit(id: "b\(index + 1)", parts: [.segment(segment)], notes: notes)))
        }
        let info = FileInfo(id: "f1", original: original, sourceLanguage: nil, targetLanguage: nil, datatype: "plaintext")
        return Document(info: DocumentInfo(sourceLanguage: sourceLanguage, targetLanguage: targetLanguage),
                        files: [File(info: info, items: units)])
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }

    func replacingLineBreaks() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }

    func replacingTabsAndLineBreaks() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
    }
}

extension SentenceAligner {
    /// Aligns sentences that carry their paragraph starts (used as anchors too).
    public func align(_ source: [AlignedSentence], _ target: [AlignedSentence]) -> SentenceAlignment {
        align(source: source.map(\.text), target: target.map(\.text),
              sourceParagraphStarts: source.map(\.startsParagraph), targetParagraphStarts: target.map(\.startsParagraph))
    }
}
