import Synchronization
import TranslationModel

/// Splits text into sentences with SRX rules for one language.
///
/// ```swift
/// let segmenter = try Segmenter(language: "fr")           // Verso's built-in rules
/// let ranges = segmenter.sentences(in: "M. Dupont est là. Il parle.")   // UTF-16 offsets
/// let unit = segmenter.segment(unit)                      // segments + ignorables, codes intact
/// ```
///
/// A value type that is cheap to copy and safe to share between threads: the compiled rules are
/// shared, and each call borrows ICU matcher state of its own.
public struct Segmenter: Sendable {
    /// The language the rules were selected for (BCP 47, as given).
    public var language: String { shared.language }
    /// Where inline codes standing at a boundary go (the SRX file's `<formathandle>`s).
    public var codePlacement: SRXCodePlacement { compiled.codePlacement }
    /// Whether a break may fall between a paired code's opening and closing.
    public var breakInsideCodeSpans: Bool { compiled.breakInsideCodeSpans }
    /// The names of the SRX language rules in use, in the order they are tried.
    public var languageRuleNames: [String] { shared.languageRuleNames }
    /// Set when the rules have nothing specific to `language` (`german`, `xx`): the warning to
    /// show the user, once per run (see `SRXRules.missingLanguageRulesWarning(for:)`).
    public var missingLanguageRulesWarning: String? { shared.missingLanguageRulesWarning }

    var compiled: CompiledSRX { shared.compiled }

    /// Everything a segmenter holds, in one immutable object: a pipeline takes a copy of its
    /// segmenter for every unit, and a copy is then one reference count rather than one per
    /// field (four, with the language's strings).
    private final class Shared: Sendable {
        let language: String
        let languageRuleNames: [String]
        let missingLanguageRulesWarning: String?
        let compiled: CompiledSRX

        init(language: String, languageRuleNames: [String], missingLanguageRulesWarning: String?, compiled: CompiledSRX) {
            self.language = language
            self.languageRuleNames = languageRuleNames
            self.missingLanguageRulesWarning = missingLanguageRulesWarning
            self.compiled = compiled
        }
    }
    private let shared: Shared

    /// Compiles the rules of `rules` that apply to `language` (all matching map rules when the file
    /// cascades). Throws `SRXError` naming the file, line and rule when a pattern is invalid.
    public init(rules: SRXRules, language: String, options: SRXCompileOptions = SRXCompileOptions()) throws(SRXError) {
        let names = try rules.languageRuleNames(for: language)
        let warning = rules.missingLanguageRulesWarning(for: language)
        shared = Shared(language: language, languageRuleNames: names, missingLanguageRulesWarning: warning, compiled: try CompiledSRX(rules: rules, language: language, options: options))
    }

    /// Verso's built-in rules (`Sources/Segmentation/Resources/verso.srx`) for `language`.
    /// Compiled once per language and process.
    public init(language: String) throws {
        let compiled = try BuiltInCache.shared.compiled(for: language)
        shared = Shared(language: language, languageRuleNames: compiled.names, missingLanguageRulesWarning: compiled.warning, compiled: compiled.rules)
    }

    /// Break positions in `text`, UTF-16 offsets strictly between 0 and its length, in order.
    public func breakPositions(in text: String) -> [UTF16Offset] {
        var units = Array(text.utf16)
        return units.withUnsafeMutableBufferPointer { buffer in
            breakPositions(inUTF16: UnsafeBufferPointer(buffer))
        }
    }

    /// Break positions in UTF-16 text (see `breakPositions(in:)`).
    public func breakPositions(inUTF16 text: UnsafeBufferPointer<UInt16>) -> [UTF16Offset] {
        compiled.withMatcher { $0.breaks(in: text) }
    }

    /// The sentences of `text` as UTF-16 ranges, trimmed of surrounding whitespace; the whitespace
    /// between them belongs to no sentence. A text with no break is one sentence (none when blank).
    public func sentences(in text: String) -> [Range<UTF16Offset>] {
        var units = Array(text.utf16)
        return units.withUnsafeMutableBufferPointer { buffer in
            sentences(inUTF16: UnsafeBufferPointer(buffer))
        }
    }

    /// The sentences of UTF-16 text (see `sentences(in:)`).
    public func sentences(inUTF16 text: UnsafeBufferPointer<UInt16>) -> [Range<UTF16Offset>] {
        let breaks = breakPositions(inUTF16: text)
        return Self.trimmedRanges(text, breaks: breaks)
    }

    /// The sentences of `text` as strings (trimmed).
    public func sentenceStrings(in text: String) -> [String] {
        let units = Array(text.utf16)
        return sentences(in: text).map { String(decoding: units[$0], as: UTF16.self) }
    }

    /// Cuts `text` at `breaks` and trims each piece of whitespace; blank pieces are dropped.
    static func trimmedRanges(_ text: UnsafeBufferPointer<UInt16>, breaks: [Int]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(breaks.count + 1)
        trimmedRanges(text, breaks: breaks, into: &result)
        return result
    }

    /// `trimmedRanges(_:breaks:)` appended to `result`.
    static func trimmedRanges(_ text: UnsafeBufferPointer<UInt16>, breaks: [Int], into result: inout [Range<Int>]) {
        var start = 0
        for k in 0...breaks.count {
            let end = k < breaks.count ? breaks[k] : text.count
            var s = start, e = end
            while s < e && TextWhitespace.isWhitespace(text[s]) { s += 1 }
            while e > s && TextWhitespace.isWhitespace(text[e - 1]) { e -= 1 }
            if s < e { result.append(s..<e) }
            start = end
        }
    }
}

/// Where segmentation time goes, rule by rule (see `Segmenter.profile(paragraphsOf:)`).
public struct SRXRuleCost: Sendable, Hashable {
    /// The rule.
    public var rule: SRXRule
    /// The language rule it belongs to.
    public var languageRuleName: String
    /// Time spent scanning for it (break rules) or testing it at candidate breaks (no-break rules).
    public var nanoseconds: UInt64
    /// Scans (break rules) or tests (no-break rules).
    public var evaluations: Int
    /// Times a no-break rule vetoed a break.
    public var vetoes: Int
}

extension Segmenter {
    /// Segments `text` paragraph by paragraph while timing every rule, for maintainers of SRX
    /// files who want to know which rule makes segmentation slow. Sorted by time, slowest first.
    public func profile(paragraphsOf text: String) -> [SRXRuleCost] {
        var units = Array(text.utf16)
        let counts = units.withUnsafeMutableBufferPointer { buffer -> SRXMatcher.RuleProfile in
            let text = UnsafeBufferPointer(buffer)
            return compiled.profiled { matcher in
                for paragraph in TextParagraphs.ranges(in: text) {
                    _ = matcher.breaks(in: UnsafeBufferPointer(rebasing: text[paragraph]))
                }
            }
        }
        var result: [SRXRuleCost] = []
        for (i, rule) in compiled.rules.enumerated() where counts.calls[i] > 0 || counts.nanoseconds[i] > 0 {
            result.append(SRXRuleCost(rule: rule.source, languageRuleName: rule.languageRuleName, nanoseconds: counts.nanoseconds[i], evaluations: counts.calls[i], vetoes: counts.fired[i]))
        }
        return result.sorted { $0.nanoseconds > $1.nanoseconds }
    }
}

/// Unicode White_Space, on UTF-16 code units (every such character is in the BMP).
public enum TextWhitespace {
    /// True for spaces, tabs, line breaks, no-break spaces (U+00A0, U+202F) and the other
    /// White_Space characters.
    @inline(__always)
    public static func isWhitespace(_ u: UInt16) -> Bool {
        if u <= 0x20 { return u == 0x20 || (u >= 0x09 && u <= 0x0D) }
        if u < 0x85 { return false }
        switch u {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

/// Verso's built-in rules, parsed once and compiled once per language.
final class BuiltInCache: Sendable {
    static let shared = BuiltInCache()

    private let parsed = Mutex<Result<SRXRules, SRXBuiltInError>?>(nil)
    private let compiledByLanguage = Mutex<[String: (CompiledSRX, [String], String?)]>([:])

    func rules() throws -> SRXRules {
        try parsed.withLock { s in
            if s == nil { s = Self.load() }
            return try s!.get()
        }
    }

    /// Compiled under the lock, so that threads asking for the same language at once (the
    /// workers of a batch as they start) compile it once rather than each compiling it.
    func compiled(for language: String) throws -> (rules: CompiledSRX, names: [String], warning: String?) {
        let srx = try rules()
        return try compiledByLanguage.withLock { (cache: inout [String: (CompiledSRX, [String], String?)]) throws -> (rules: CompiledSRX, names: [String], warning: String?) in
            if let hit = cache[language] { return hit }
            // Verso's own rules: every language's patterns compile (SRXRulesTests checks them whole).
            let compiled = try CompiledSRX(rules: srx, language: language, options: SRXCompileOptions(), patternsKnownValid: true)
            let names = try srx.languageRuleNames(for: language)
            let warning = srx.missingLanguageRulesWarning(for: language)
            cache[language] = (compiled, names, warning)
            return (compiled, names, warning)
        }
    }

    private static func load() -> Result<SRXRules, SRXBuiltInError> {
        do {
            return .success(try SRXRules(bytes: PackageResources.verso_srx, displayPath: SRXRules.builtInDisplayPath))
        } catch {
            return .failure(SRXBuiltInError(underlying: String(describing: error)))
        }
    }
}

/// The built-in rules failed to load (a build with a broken `verso.srx`; tests catch it).
struct SRXBuiltInError: Error, Sendable, CustomStringConvertible {
    var underlying: String
    var description: String { underlying }
}

extension SRXRules {
    /// The name errors use for the built-in rules.
    public static let builtInDisplayPath = "<built-in verso.srx>"

    /// Verso's own rules (`Sources/Segmentation/Resources/verso.srx`, compiled into the binary).
    public static func builtIn() throws -> SRXRules {
        try BuiltInCache.shared.rules()
    }

    /// The text of the built-in SRX file, e.g. to write it out as a starting point.
    public static var builtInSource: String {
        String(decoding: PackageResources.verso_srx, as: UTF8.self)
    }
}
