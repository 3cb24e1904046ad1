import Diagnostics
import Synchronization

/// Options for compiling SRX rules.
public struct SRXCompileOptions: Sendable, Hashable {
    /// How far back (in UTF-16 units) an unbounded `*`/`+` in a `beforebreak` pattern may reach.
    ///
    /// A `beforebreak` pattern is evaluated as an ICU look-behind, which must have a bounded length:
    /// `\([^\)]*?\.\s` becomes `\([^\)]{0,N}?\.\s`. LanguageTool's segment library bounds them the
    /// same way (100 by default). The bound also keeps segmentation linear on long paragraphs.
    public var lookBehindLimit: Int

    /// Creates options.
    public init(lookBehindLimit: Int = 100) {
        self.lookBehindLimit = lookBehindLimit
    }
}

/// How the text just before a position is tested.
enum BeforeTest: Sendable {
    /// Empty `beforebreak`: always true.
    case always
    /// A word list (see `WordListMatcher`); `tailRegex` indexes the ICU tail pattern, if any.
    case wordList(matcher: Int, tailRegex: Int?, tailAtoms: Int)
    /// An ICU look-behind `(?<=before)` tried with an anchored match at the position.
    case lookBehind(regex: Int)
}

/// One rule ready to be evaluated.
struct CompiledRule: Sendable {
    /// Position in the cascaded rule list (lower is tried first).
    var index: Int
    var isBreak: Bool
    /// The `afterbreak` pattern's regex (nil when empty).
    var afterRegex: Int?
    var before: BeforeTest
    /// Break rules: the forward pattern `(?:before)(?=after)` that finds where they fire.
    var scannerRegex: Int?
    /// The source rule, for diagnostics.
    var source: SRXRule
    var languageRuleName: String
}

/// Compiles SRX rules into ICU regexes; reports errors that name the file, line, column and rule.
enum SRXCompiler {
    /// A compiled pattern plus how to describe it in errors.
    struct Pattern {
        var icu: String
        var caseInsensitive = false
    }

    static func describe(_ rule: SRXRule, in languageRule: String, part: String) -> String {
        let kind = rule.isBreak ? "break" : "no-break"
        return "\(part) of \(kind) rule in languagerule \"\(languageRule)\""
    }

    /// Translates a pattern of `rule`, turning translation errors into located SRX errors.
    static func translate(_ pattern: String, dialect: SRXRegexDialect, rule: SRXRule, languageRule: String, part: String, location: SourceLocation?) throws(SRXError) -> TranslatedPattern {
        do {
            return try RegexTranslator(dialect: dialect).translate(pattern)
        } catch {
            let where_ = (location ?? rule.location).advanced(inPattern: pattern, byUTF16Offset: error.offset)
            throw SRXError(location: where_, message: "\(describe(rule, in: languageRule, part: part)) is not a valid regular expression: \(error.message): \(pattern)")
        }
    }

    /// Compiles an ICU pattern built from a rule, mapping ICU's error offset back to the SRX file.
    static func compile(_ icu: String, translated: TranslatedPattern?, original: String, rule: SRXRule, languageRule: String, part: String, location: SourceLocation?) throws(SRXError) -> ICURegex {
        do {
            return try ICURegex.compile(icu)
        } catch {
            var where_ = location ?? rule.location
            if let offset = error.offset, let translated {
                where_ = where_.advanced(inPattern: original, byUTF16Offset: translated.originalOffset(offset))
            }
            throw SRXError(location: where_, message: "\(describe(rule, in: languageRule, part: part)) is not a valid regular expression (ICU: \(error.explanation)): \(original)")
        }
    }

    /// True when `language` matches a map rule's pattern (the whole code must match).
    static func languagePattern(_ map: SRXLanguageMap, dialect: SRXRegexDialect, matches language: String) throws(SRXError) -> Bool {
        let translated: TranslatedPattern
        do {
            translated = try RegexTranslator(dialect: dialect).translate(map.languagePattern)
        } catch {
            throw SRXError(location: map.location, message: "languagepattern \"\(map.languagePattern)\" is not a valid regular expression: \(error.message)")
        }
        let regex: ICURegex
        do {
            regex = try ICURegex.compile("(?:\(translated.pattern))$")
        } catch {
            throw SRXError(location: map.location, message: "languagepattern \"\(map.languagePattern)\" is not a valid regular expression (ICU: \(error.explanation))")
        }
        let units = Array(language.utf16)
        return units.withUnsafeBufferPointer { buffer in
            regex.setText(buffer.baseAddress, count: buffer.count)
            return regex.matchEnd(at: 0) == buffer.count
        }
    }
}

/// The rules for one language, compiled: ICU regex templates (never matched directly, only
/// cloned into per-thread `SRXMatcher`s) and word lists.
final class CompiledSRX: @unchecked Sendable {
    // @unchecked: everything is immutable after init; the ICU templates are only read by
    // `uregex_clone`, which copies the shared compiled pattern, and that is done under `poolLock`.
    let rules: [CompiledRule]
    let templates: [ICURegex]
    let wordLists: [WordListMatcher]
    let maskRegex: Int?
    let useICUBreakRules: Bool
    let icuLocale: String
    let codePlacement: SRXCodePlacement
    let breakInsideCodeSpans: Bool
    /// For each break rule (by position in `rules`): the no-break rules before it.
    let breakRuleIndexes: [Int]
    let noBreakRuleIndexes: [Int]

    private let pool = MatcherPool()

    init(rules srx: SRXRules, language: String, options: SRXCompileOptions) throws(SRXError) {
        var templates: [ICURegex] = []
        var byPattern: [String: Int] = [:]
        var wordLists: [WordListMatcher] = []
        var compiled: [CompiledRule] = []
        let dialect = srx.regexDialect

        func intern(_ icu: String, make: () throws(SRXError) -> ICURegex) throws(SRXError) -> Int {
            if let id = byPattern[icu] { return id }
            let regex = try make()
            templates.append(regex)
            byPattern[icu] = templates.count - 1
            return templates.count - 1
        }

        var index = 0
        for languageRule in try srx.languageRules(for: language) {
            for rule in languageRule.rules {
                defer { index += 1 }
                let name = languageRule.name
                let before = try SRXCompiler.translate(rule.beforeBreak, dialect: dialect, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                let after = try SRXCompiler.translate(rule.afterBreak, dialect: dialect, rule: rule, languageRule: name, part: "afterbreak", location: rule.afterBreakLocation)
                // Each pattern must compile alone, so errors point at the rule's own text.
                if !rule.beforeBreak.isEmpty {
                    _ = try intern(before.pattern) { () throws(SRXError) in
                        try SRXCompiler.compile(before.pattern, translated: before, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                    }
                }
                var afterRegex: Int? = nil
                if !rule.afterBreak.isEmpty {
                    afterRegex = try intern(after.pattern) { () throws(SRXError) in
                        try SRXCompiler.compile(after.pattern, translated: after, original: rule.afterBreak, rule: rule, languageRule: name, part: "afterbreak", location: rule.afterBreakLocation)
                    }
                }
                var beforeTest = BeforeTest.always
                if !rule.beforeBreak.isEmpty {
                    if let shape = WordListPattern.recognise(before.pattern) {
                        var tailRegex: Int? = nil
                        if shape.literalTail == nil {
                            let tail = (shape.caseInsensitive ? "(?i)" : "") + shape.tailAtoms.joined()
                            tailRegex = try intern(tail) { () throws(SRXError) in
                                try SRXCompiler.compile(tail, translated: nil, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                            }
                        }
                        wordLists.append(WordListMatcher(words: shape.words, caseInsensitive: shape.caseInsensitive, literalTail: shape.literalTail ?? [], tailPattern: tailRegex == nil ? nil : shape.tailAtoms.joined(), tailWidth: shape.tailAtoms.count, requiresBoundary: shape.requiresBoundary))
                        beforeTest = .wordList(matcher: wordLists.count - 1, tailRegex: tailRegex, tailAtoms: shape.tailAtoms.count)
                    } else {
                        let lookBehind = "(?<=\(before.pattern))"
                        let id: Int
                        do {
                            id = try intern(lookBehind) { () throws(SRXError) in
                                try SRXCompiler.compile(lookBehind, translated: nil, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                            }
                        } catch {
                            // Unbounded: bound the quantifiers (see SRXCompileOptions.lookBehindLimit).
                            let bounded = RegexTranslator.bounded(before, limit: options.lookBehindLimit)
                            let boundedLookBehind = "(?<=\(bounded.pattern))"
                            id = try intern(boundedLookBehind) { () throws(SRXError) in
                                try SRXCompiler.compile(boundedLookBehind, translated: nil, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                            }
                        }
                        beforeTest = .lookBehind(regex: id)
                    }
                }
                var scanner: Int? = nil
                if rule.isBreak {
                    let forward: String
                    switch (rule.beforeBreak.isEmpty, rule.afterBreak.isEmpty) {
                    case (true, true): forward = "(?:)"
                    case (false, true): forward = "(?:\(before.pattern))"
                    case (true, false): forward = "(?=\(after.pattern))"
                    case (false, false): forward = "(?:\(before.pattern))(?=\(after.pattern))"
                    }
                    scanner = try intern(forward) { () throws(SRXError) in
                        try SRXCompiler.compile(forward, translated: nil, original: rule.beforeBreak + " / " + rule.afterBreak, rule: rule, languageRule: name, part: "rule", location: rule.location)
                    }
                }
                compiled.append(CompiledRule(index: index, isBreak: rule.isBreak, afterRegex: afterRegex, before: beforeTest, scannerRegex: scanner, source: rule, languageRuleName: name))
            }
        }

        var mask: Int? = nil
        if let maskPattern = srx.maskPattern {
            let rule = SRXRule(isBreak: true, beforeBreak: maskPattern, afterBreak: "", location: srx.maskPatternLocation ?? SourceLocation(file: srx.displayPath))
            let translated = try SRXCompiler.translate(maskPattern, dialect: dialect, rule: rule, languageRule: "okpsrx:rangeRule", part: "mask pattern", location: srx.maskPatternLocation)
            mask = try intern(translated.pattern) { () throws(SRXError) in
                try SRXCompiler.compile(translated.pattern, translated: translated, original: maskPattern, rule: rule, languageRule: "okpsrx:rangeRule", part: "mask pattern", location: srx.maskPatternLocation)
            }
        }

        self.rules = compiled
        self.templates = templates
        self.wordLists = wordLists
        self.maskRegex = mask
        self.useICUBreakRules = srx.useICUBreakRules
        self.icuLocale = String(language.map { $0 == "-" ? "_" : $0 })
        self.codePlacement = srx.codePlacement
        self.breakInsideCodeSpans = srx.breakInsideCodeSpans
        self.breakRuleIndexes = compiled.indices.filter { compiled[$0].isBreak }
        self.noBreakRuleIndexes = compiled.indices.filter { !compiled[$0].isBreak }
    }

    /// Runs `body` with a matcher owned by the calling thread for its duration.
    func withMatcher<T>(_ body: (SRXMatcher) throws -> T) rethrows -> T {
        let matcher = pool.take() ?? SRXMatcher(compiled: self)
        defer { pool.give(matcher) }
        return try body(matcher)
    }
}

/// Idle matchers, so that concurrent callers each get their own ICU matcher state.
final class MatcherPool: Sendable {
    private let idle = Mutex<[SRXMatcher]>([])

    func take() -> SRXMatcher? { idle.withLock { $0.popLast() } }

    func give(_ matcher: SRXMatcher) {
        idle.withLock { list in
            if list.count < 64 { list.append(matcher) }
        }
    }
}
