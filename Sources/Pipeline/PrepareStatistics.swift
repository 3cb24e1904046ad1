import TranslationModel

/// What a project manager wants to know about a prepared file: how much there is to translate.
///
/// Words are counted as CAT tools do: runs of letters and digits (an apostrophe or hyphen between
/// letters does not split a word: `aujourd'hui`, `Laisse-les`), each Chinese, Japanese or Korean
/// ideograph or kana counting as one word. Characters are counted without whitespace, in
/// Unicode extended grapheme clusters (what a reader sees as one character).
public struct PrepareStatistics: Sendable, Hashable, Codable {
    /// Translatable units.
    public var units = 0
    /// Segments (sentences) to translate.
    public var segments = 0
    /// Words in the segments' source text.
    public var words = 0
    /// Characters in the segments' source text, whitespace excluded.
    public var characters = 0
    /// Characters including whitespace.
    public var charactersWithSpaces = 0
    /// Segments whose text already appeared earlier in the same file.
    public var repeatedSegments = 0
    /// Words in those segments.
    public var repeatedWords = 0
    /// Term occurrences found.
    public var termOccurrences = 0

    /// Creates empty statistics.
    public init() {}

    /// Adds another file's figures.
    public mutating func add(_ other: PrepareStatistics) {
        units += other.units
        segments += other.segments
        words += other.words
        characters += other.characters
        charactersWithSpaces += other.charactersWithSpaces
        repeatedSegments += other.repeatedSegments
        repeatedWords += other.repeatedWords
        termOccurrences += other.termOccurrences
    }

    /// Number of words in `text`.
    public static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        var previousWasJoiner = false
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            if isIdeographic(scalar) {
                count += 1
                inWord = false
                previousWasJoiner = false
            } else if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark {
                if !inWord { count += 1 }
                inWord = true
                previousWasJoiner = false
            } else if inWord && !previousWasJoiner && (scalar == "'" || scalar == "’" || scalar == "-" || scalar == "\u{2011}" || scalar == "." || scalar == ",") {
                // Joins `aujourd'hui`, `Laisse-les`, `3.14`, `260,5` — only between two word characters.
                previousWasJoiner = true
            } else {
                inWord = false
                previousWasJoiner = false
            }
        }
        return count
    }

    private static func isIdeographic(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF, 0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }
}

/// Accumulates the statistics of one file as its units stream past (keeps only a 64-bit hash
/// per distinct segment, to count repetitions).
public struct StatisticsCounter: Sendable {
    /// The figures so far.
    public private(set) var statistics = PrepareStatistics()
    private var seen = Set<UInt64>()
    private let countRepetitions: Bool

    /// Creates a counter; without `countRepetitions` memory stays constant whatever the file's size.
    public init(countRepetitions: Bool = true) {
        self.countRepetitions = countRepetitions
    }

    /// Counts one unit (after the pipeline ran).
    public mutating func count(_ unit: Unit) {
        guard unit.translate else { return }
        statistics.units += 1
        for segment in unit.segments {
            let text = segment.source.plainText
            let words = PrepareStatistics.wordCount(text)
            statistics.segments += 1
            statistics.words += words
            var all = 0, visible = 0
            for ch in text {
                all += 1
                if !ch.isWhitespace { visible += 1 }
            }
            statistics.characters += visible
            statistics.charactersWithSpaces += all
            for run in segment.source.runs {
                if case .marker(let m) = run, m.boundary == .start, m.type == "term" { statistics.termOccurrences += 1 }
            }
            if countRepetitions && !text.isEmpty {
                if !seen.insert(Self.fingerprint(text)).inserted {
                    statistics.repeatedSegments += 1
                    statistics.repeatedWords += words
                }
            }
        }
    }

    /// FNV-1a over the UTF-8 bytes: stable across runs, unlike `Hasher`.
    static func fingerprint(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        return h
    }
}
