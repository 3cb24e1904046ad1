import TranslationModel

/// What a project manager wants to know about a prepared file: how much there is to translate.
///
/// Words are counted as CAT tools do: runs of letters and digits (an apostrophe or hyphen between
/// letters does not split a word: `aujourd'hui`, `Laisse-les`), each Chinese, Japanese or Korean
/// ideograph or kana counting as one word. Characters are counted as a reader sees them:
/// combining marks and invisible format characters add none; `characters` leaves whitespace out.
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
    public static func wordCount(_ text: String) -> Int { measure(text).words }

    /// Words, characters without and with whitespace, in one pass.
    static func measure(_ text: String) -> (words: Int, characters: Int, charactersWithSpaces: Int) {
        var words = 0, visible = 0, all = 0
        var inWord = false
        var previousWasJoiner = false
        for scalar in text.unicodeScalars {
            let c = classify(scalar)
            switch c {
            case .mark: continue // combining marks and format characters add no character
            case .space: all += 1
            default: all += 1; visible += 1
            }
            switch c {
            case .ideograph:
                words += 1
                inWord = false
                previousWasJoiner = false
            case .wordCharacter:
                if !inWord { words += 1 }
                inWord = true
                previousWasJoiner = false
            case .joiner where inWord && !previousWasJoiner:
                // Joins `aujourd'hui`, `Laisse-les`, `3.14`, `260,5` — only between two word characters.
                previousWasJoiner = true
            default:
                inWord = false
                previousWasJoiner = false
            }
        }
        return (words, visible, all)
    }

    enum ScalarClass { case wordCharacter, ideograph, joiner, space, mark, other }

    /// A cheap classification: ASCII and Latin letters by range, the rest by Unicode properties.
    static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        let v = s.value
        if v < 0x80 {
            switch v {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .wordCharacter
            case 0x27, 0x2D, 0x2E, 0x2C: return .joiner
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: return .space
            default: return .other
            }
        }
        if (0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7 { return .wordCharacter }
        if v == 0x2019 || v == 0x2011 { return .joiner }
        if v == 0xA0 || v == 0x202F || v == 0x2009 || v == 0x3000 { return .space }
        if isIdeographic(s) { return .ideograph }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return .mark
        case .format: return .mark
        default: break
        }
        if p.isWhitespace { return .space }
        if p.isAlphabetic || p.numericType != nil { return .wordCharacter }
        return .other
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
    private let countWords: Bool

    /// Creates a counter; without `countRepetitions` memory stays constant whatever the file's
    /// size; without `countWords`, words and characters are not counted (a folder conversion
    /// reports units only, and measuring every segment was a twentieth of its time).
    public init(countRepetitions: Bool = true, countWords: Bool = true) {
        self.countRepetitions = countRepetitions
        self.countWords = countWords
    }

    /// Counts one unit (after the pipeline ran).
    public mutating func count(_ unit: borrowing Unit) {
        guard unit.translate else { return }
        statistics.units += 1
        if !countWords && !countRepetitions {
            statistics.segments += unit.segmentCount
            return
        }
        for segment in unit.segments {
            let text = segment.source.plainText
            let (words, visible, all) = countWords ? PrepareStatistics.measure(text) : (0, 0, 0)
            statistics.segments += 1
            statistics.words += words
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
