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

    /// How far ahead (in UTF-16 units) a no-break rule's `afterbreak` match may reach.
    ///
    /// An `afterbreak` such as `[^\]\r\n]*\]` (LanguageTool: no break inside brackets) scans to
    /// the end of the paragraph when no `]` follows; tried at every candidate break of a long
    /// paragraph, that is quadratic. Bounding the match keeps segmentation linear; a pattern
    /// that would need more than this many units to match does not match.
    public var lookAheadLimit: Int

    /// Creates options.
    public init(lookBehindLimit: Int = 100, lookAheadLimit: Int = 1000) {
        self.lookBehindLimit = lookBehindLimit
        self.lookAheadLimit = lookAheadLimit
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
    /// Test the `beforebreak` before the `afterbreak` (it is cheap: a word list or a look-behind
    /// that needed no bounding), since most rules fail on the text before the candidate.
    var beforeFirst = false
    /// Code units that can end a `beforebreak` match (nil: any), to skip the rule cheaply.
    var beforeLast: UnitSet? = nil
    /// Code units that can stand just before that last one (nil: any).
    var beforeSecondLast: UnitSet? = nil
    /// Code units at offset 1 of an `afterbreak` match (nil: any).
    var afterSecond: UnitSet? = nil
    /// An `afterbreak` starting with a run of spaces: the run's units, and those that must follow.
    var afterSkipRun: UnitSet? = nil
    var afterSkipNext: UnitSet? = nil
    /// Break rules: code units at offsets 1 and 2 of a scanner match (nil: any).
    var scanSecond: UnitSet? = nil
    var scanThird: UnitSet? = nil
    /// A small look-behind regex that must hold for the rule to match: at the candidate for
    /// a no-break rule, one unit after the start for a break rule's scanner.
    var guardRegex: Int? = nil
    /// The guard as a bitmap program, when its syntax allows (see `LookBehindProgram`).
    var guardProgram: LookBehindProgram? = nil
    /// Code units that can start an `afterbreak` match (nil: any).
    var afterFirst: UnitSet? = nil
    /// Break rules whose scanner is `P(?:B1|…|Bn)(?=after)` with a prefix that matches in one
    /// way only: `P` alone, then each `(?:Bi)(?=after)` in order (see
    /// `RegexCharacterSets.splitAlternatives`). Same matches as the scanner, far cheaper.
    var scanPrefixRegex: Int? = nil
    /// The branches' patterns `(?:Bi)(?=after)`, compiled by each matcher when first needed
    /// (most texts need a few of them; compiling them all cost more than the run saved).
    var scanBranchPatterns: [String] = []
    /// For each branch, the units that must stand last and second to last before it (its
    /// leading look-behind's), nil: any — most branches are skipped without calling ICU.
    var scanBranchLast: [UnitSet?] = []
    var scanBranchSecondLast: [UnitSet?] = []
    /// For each branch, two adjacent units it must read not far from where it starts
    /// (`RegexCharacterSets.requiredPair`), nil: none known — most branches that pass the units
    /// before them are then ruled out without ICU's long scan of the text ahead.
    var scanBranchPairs: [(first: UnitSet, second: UnitSet, maxOffset: Int)?] = []
    /// For each branch, its leading look-behind as a program (nil: none): read from the units
    /// before the branch, it rules out all but the branch or two that can follow the item
    /// marker found, where the two units before it (`scanBranchLast`) often cannot.
    var scanBranchPrograms: [LookBehindProgram?] = []
    /// The branches `Bi` themselves, which the four lists above are analysed from: only when
    /// a matcher first needs them (`CompiledSRX.branchTable(forRule:)`), since that analysis was
    /// a third of compiling French and most texts never reach the branches of a list rule.
    var scanBranches: [String] = []
    /// A split scanner whose whole pattern was not compiled up front (`patternsKnownValid`):
    /// where that pattern is in `CompiledSRX.branchPatterns`, compiled only if a branch will not.
    var scanFallbackPattern: Int? = nil
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

    private struct LanguageMatch: Hashable {
        var pattern: String
        var dialect: SRXRegexDialect
        var language: String
    }

    /// Answers of `languagePattern(_:dialect:matches:)` so far. Choosing a language's rules asks
    /// every map of the file, several times (the rules, their names, the missing-rules probe),
    /// and compiling each pattern every time was a twentieth of compiling the rules.
    private static let languageMatches = Mutex<[LanguageMatch: Bool]>([:])

    /// True when `language` matches a map rule's pattern (the whole code must match).
    static func languagePattern(_ map: SRXLanguageMap, dialect: SRXRegexDialect, matches language: String) throws(SRXError) -> Bool {
        let key = LanguageMatch(pattern: map.languagePattern, dialect: dialect, language: language)
        if let known = languageMatches.withLock({ $0[key] }) { return known }
        // Only answers are kept: an invalid pattern throws each time, with the map's location.
        let answer = try matchLanguagePattern(map, dialect: dialect, matches: language)
        languageMatches.withLock { cache in
            // Bounded: a long-running process asking about ever new language codes.
            if cache.count >= 4096 { cache.removeAll() }
            cache[key] = answer
        }
        return answer
    }

    private struct LanguagePattern: Hashable {
        var pattern: String
        var dialect: SRXRegexDialect
    }

    /// Language patterns compiled so far: the rules for a language and the missing-rules probe
    /// (`qaa`) ask every map of the file, and compiling each pattern for each was most of choosing
    /// a language's rules. Matched under the lock (an ICU matcher is single-threaded).
    private static let languageRegexes = Mutex<[LanguagePattern: ICURegex]>([:])

    /// Language patterns parsed so far as `LanguageCodePattern`s (nil: outside that subset, for ICU).
    private static let languageCodePatterns = Mutex<[LanguagePattern: LanguageCodePattern?]>([:])

    private static func matchLanguagePattern(_ map: SRXLanguageMap, dialect: SRXRegexDialect, matches language: String) throws(SRXError) -> Bool {
        let key = LanguagePattern(pattern: map.languagePattern, dialect: dialect)
        let units = Array(language.utf16)
        let known: Bool? = languageRegexes.withLock { cache in
            cache[key].map { regex in Self.matchesWhole(regex, units) }
        }
        if let known { return known }
        let simple = languageCodePatterns.withLock { $0[key] }
        if let simple, let answer = simple?.matches(language) { return answer }
        let translated: TranslatedPattern
        do {
            translated = try RegexTranslator(dialect: dialect).translate(map.languagePattern)
        } catch {
            throw SRXError(location: map.location, message: "languagepattern \"\(map.languagePattern)\" is not a valid regular expression: \(error.message)")
        }
        if simple == nil {
            // The simple patterns of real files are matched without ICU (see `LanguageCodePattern`).
            let parsed = LanguageCodePattern(translated.pattern)
            languageCodePatterns.withLock { cache in
                if cache.count >= 1024 { cache.removeAll() }
                cache[key] = .some(parsed)
            }
            if let answer = parsed?.matches(language) { return answer }
        }
        let pattern = "(?:\(translated.pattern))$"
        // Compiled inside the lock that keeps it; ICU's complaint, if any, comes out as text.
        let outcome: Result<Bool, SRXError> = languageRegexes.withLock { cache in
            if let regex = cache[key] { return .success(Self.matchesWhole(regex, units)) }
            do throws(ICURegexError) {
                let regex = try ICURegex.compile(pattern)
                let answer = Self.matchesWhole(regex, units)
                if cache.count < 1024 { cache[key] = regex }
                return .success(answer)
            } catch {
                return .failure(SRXError(location: map.location, message: "languagepattern \"\(map.languagePattern)\" is not a valid regular expression (ICU: \(error.explanation))"))
            }
        }
        return try outcome.get()
    }

    /// True when `regex` matches all of `units` (the text is let go again).
    private static func matchesWhole(_ regex: ICURegex, _ units: [UInt16]) -> Bool {
        units.withUnsafeBufferPointer { buffer in
            regex.setText(buffer.baseAddress, count: buffer.count)
            defer { regex.setText(nil, count: 0) }
            return regex.matchEnd(at: 0) == buffer.count
        }
    }
}

/// The rules for one language, compiled: ICU regex templates (never matched directly, only
/// cloned into per-thread `SRXMatcher`s, and compiled when first needed: `RegexTemplates`)
/// and word lists.
final class CompiledSRX: @unchecked Sendable {
    // @unchecked: everything is immutable after init; the ICU templates are compiled and
    // cloned under `RegexTemplates`' lock.
    let rules: [CompiledRule]
    /// Every ICU regex of the rules, by id (`CompiledRule`'s regex fields, `RuleEntry`'s).
    let regexes: RegexTemplates
    /// The branch patterns of split scanners (`CompiledRule.scanBranchPatterns`, one run per
    /// rule, then the whole patterns kept as fallbacks), compiled lazily like every regex.
    let branchPatterns: [String]
    /// The regex id of `branchPatterns[0]`: branch `b` is regex `branchBase + b`.
    let branchBase: Int
    let wordLists: [WordListMatcher]
    let maskRegex: Int?
    let useICUBreakRules: Bool
    let icuLocale: String
    /// See `SRXCompileOptions.lookAheadLimit`.
    let lookAheadLimit: Int
    let codePlacement: SRXCodePlacement
    let breakInsideCodeSpans: Bool
    /// Positions in `rules` of the break rules and of the no-break rules.
    let breakRuleIndexes: [Int]
    let noBreakRuleIndexes: [Int]
    /// The rules laid out for the matcher's hot loop (break rules found through a trigger table
    /// of their first characters, or with ICU's search when those are unknown).
    let table: RuleTable

    private let pool = MatcherPool()
    /// By rule position: the branch tests of split scanners, once analysed (`branchTable(forRule:)`).
    private let branchTables = Mutex<[Int: RuleTable]>([:])

    /// The anchored programs made so far (`anchoredTable(forRegex:)`), and the atom sets
    /// measured while compiling the rules, which they are made from.
    private struct AnchoredPrograms {
        var tables: [Int: RuleTable?] = [:]
        let sets: RegexCharacterSets
    }
    private let anchored: Mutex<AnchoredPrograms>

    /// Compiles the rules of `srx` for `language`. `patternsKnownValid` (Verso's own rules, which
    /// the tests compile whole for every language) leaves every ICU pattern to be compiled when a
    /// matcher first needs it (`RegexTemplates`), and lets a break rule split into a prefix and
    /// branches skip its whole pattern, needed only if a branch does not compile. Otherwise the
    /// patterns a rule needs are compiled here, to report the invalid ones; guards and branches
    /// (derived from them, and with a fallback) are lazy either way.
    init(rules srx: SRXRules, language: String, options: SRXCompileOptions, patternsKnownValid: Bool = false) throws(SRXError) {
        var sources: [RegexTemplates.Source] = []
        var precompiled: [Int: ICURegex] = [:]
        self.lookAheadLimit = max(1, options.lookAheadLimit)
        var byPattern: [PatternKey: Int] = [:]
        var wordLists: [WordListMatcher] = []
        var compiled: [CompiledRule] = []
        let dialect = srx.regexDialect

        /// A regex compiled when first needed.
        func internLazy(_ icu: String, boundedFallback: (content: String, limit: Int)? = nil) -> Int {
            if let id = byPattern[PatternKey(icu)] {
                if sources[id].boundedFallback == nil { sources[id].boundedFallback = boundedFallback }
                return id
            }
            sources.append(RegexTemplates.Source(pattern: icu, boundedFallback: boundedFallback))
            byPattern[PatternKey(icu)] = sources.count - 1
            return sources.count - 1
        }

        /// A regex compiled already.
        func internCompiled(_ icu: String, _ regex: ICURegex) -> Int {
            let id = internLazy(icu)
            if precompiled[id] == nil { precompiled[id] = regex }
            return id
        }

        /// A regex of a rule: compiled when first needed if the rules are known valid, otherwise
        /// by `make` now, which throws an error naming the rule when ICU refuses it.
        func intern(_ icu: String, make: () throws(SRXError) -> ICURegex) throws(SRXError) -> Int {
            if patternsKnownValid { return internLazy(icu) }
            if let id = byPattern[PatternKey(icu)], precompiled[id] != nil { return id }
            return internCompiled(icu, try make())
        }

        let sets = RegexCharacterSets()
        var scannerPatterns: [Int: String] = [:]
        var fallbackPatterns: [String] = []
        // Break rules whose first units are known so far: the first 64 get a trigger bit (see
        // below), the others are searched for with ICU and need their whole scanner.
        var triggerable = 0
        var index = 0
        for languageRule in try srx.languageRules(for: language) {
            for rule in languageRule.rules {
                defer { index += 1 }
                let name = languageRule.name
                let before = try SRXCompiler.translate(rule.beforeBreak, dialect: dialect, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                let after = try SRXCompiler.translate(rule.afterBreak, dialect: dialect, rule: rule, languageRule: name, part: "afterbreak", location: rule.afterBreakLocation)
                var afterRegex: Int? = nil
                // A break rule's afterbreak is matched inside its scanner, never alone.
                if !rule.afterBreak.isEmpty && !rule.isBreak {
                    afterRegex = try intern(after.pattern) { () throws(SRXError) in
                        try SRXCompiler.compile(after.pattern, translated: after, original: rule.afterBreak, rule: rule, languageRule: name, part: "afterbreak", location: rule.afterBreakLocation)
                    }
                }
                var beforeTest = BeforeTest.always
                var cheapBefore = false
                if !rule.beforeBreak.isEmpty && !rule.isBreak {
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
                        cheapBefore = true
                    } else {
                        let lookBehind = "(?<=\(before.pattern))"
                        var id: Int
                        var bounded = false
                        if patternsKnownValid {
                            // ICU refuses a look-behind whose length it cannot bound: the bounded
                            // form is compiled instead, when the regex is first needed. Whether it
                            // will be only orders the tests (`cheapBefore`): guessed from the syntax.
                            bounded = sets.mayHaveUnboundedQuantifier(before.pattern)
                            id = internLazy(lookBehind, boundedFallback: bounded ? (before.pattern, options.lookBehindLimit) : nil)
                        } else if let existing = byPattern[PatternKey(lookBehind)], precompiled[existing] != nil {
                            id = existing
                        } else {
                            var limit = false
                            do throws(ICURegexError) {
                                id = internCompiled(lookBehind, try ICURegex.compile(lookBehind))
                            } catch {
                                // Report other errors against the rule's own text.
                                guard error.name == "U_REGEX_LOOK_BEHIND_LIMIT" else {
                                    _ = try SRXCompiler.compile(before.pattern, translated: before, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                                    throw SRXError(location: rule.beforeBreakLocation ?? rule.location, message: "\(SRXCompiler.describe(rule, in: name, part: "beforebreak")) cannot be used as a look-behind (ICU: \(error.explanation)): \(rule.beforeBreak)")
                                }
                                limit = true
                                id = -1
                            }
                            if limit {
                                // Unbounded: bound the quantifiers (see SRXCompileOptions.lookBehindLimit).
                                bounded = true
                                let boundedPattern = RegexTranslator.bounded(before, limit: options.lookBehindLimit)
                                let boundedLookBehind = "(?<=\(boundedPattern.pattern))"
                                id = try intern(boundedLookBehind) { () throws(SRXError) in
                                    try SRXCompiler.compile(boundedLookBehind, translated: nil, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                                }
                            }
                        }
                        beforeTest = .lookBehind(regex: id)
                        cheapBefore = !bounded
                    }
                }
                var scanner: Int? = nil
                var deferredScanner: String? = nil
                let split = rule.isBreak && !rule.beforeBreak.isEmpty ? sets.splitAlternatives(of: before.pattern, minimumBranches: 8) : nil
                if rule.isBreak {
                    let forward: String
                    switch (rule.beforeBreak.isEmpty, rule.afterBreak.isEmpty) {
                    case (true, true): forward = "(?:)"
                    case (false, true): forward = "(?:\(before.pattern))"
                    case (true, false): forward = "(?=\(after.pattern))"
                    case (false, false): forward = "(?:\(before.pattern))(?=\(after.pattern))"
                    }
                    scannerPatterns[compiled.count] = forward
                    if !rule.beforeBreak.isEmpty { sets.noteScanner(forward, before: before.pattern, after: rule.afterBreak.isEmpty ? nil : after.pattern) }
                    let isTriggerable = sets.first(of: forward) != nil
                    if patternsKnownValid, split != nil, isTriggerable, triggerable < 64, byPattern[PatternKey(forward)] == nil {
                        deferredScanner = forward
                    } else {
                        scanner = try intern(forward) { () throws(SRXError) in
                            do {
                                return try ICURegex.compile(forward)
                            } catch {
                                // Report the error against the rule's own text: its afterbreak
                                // first (as for no-break rules), then its beforebreak.
                                if !rule.afterBreak.isEmpty {
                                    _ = try SRXCompiler.compile(after.pattern, translated: after, original: rule.afterBreak, rule: rule, languageRule: name, part: "afterbreak", location: rule.afterBreakLocation)
                                }
                                if !rule.beforeBreak.isEmpty {
                                    _ = try SRXCompiler.compile(before.pattern, translated: before, original: rule.beforeBreak, rule: rule, languageRule: name, part: "beforebreak", location: rule.beforeBreakLocation)
                                }
                                return try SRXCompiler.compile(forward, translated: nil, original: rule.beforeBreak + " / " + rule.afterBreak, rule: rule, languageRule: name, part: "rule", location: rule.location)
                            }
                        }
                    }
                    if isTriggerable { triggerable += 1 }
                }
                var compiledRule = CompiledRule(index: index, isBreak: rule.isBreak, afterRegex: afterRegex, before: beforeTest, scannerRegex: scanner, source: rule, languageRuleName: name)
                if !rule.isBreak {
                    compiledRule.beforeFirst = cheapBefore
                    if !rule.beforeBreak.isEmpty {
                        let (last, secondLast) = sets.lastTwo(of: before.pattern)
                        compiledRule.beforeLast = last
                        compiledRule.beforeSecondLast = last == nil ? nil : secondLast
                    }
                    if !rule.afterBreak.isEmpty {
                        compiledRule.afterFirst = sets.first(of: after.pattern)
                        let prefix = sets.prefix(of: after.pattern, count: 2)
                        if compiledRule.afterFirst != nil { compiledRule.afterSecond = prefix[1] }
                        if let (run, next) = sets.afterSkip(of: after.pattern) {
                            compiledRule.afterSkipRun = run
                            compiledRule.afterSkipNext = next
                        }
                    }
                    if !rule.beforeBreak.isEmpty, let guardPattern = sets.guardLookBehind(of: before.pattern, atEnd: true) {
                        // Lazily: the program answers most tests (a guard ICU refuses holds).
                        compiledRule.guardRegex = internLazy(guardPattern)
                        compiledRule.guardProgram = LookBehindProgram(lookBehind: guardPattern, sets: sets)
                    }
                } else if let scannerPattern = scannerPatterns[compiled.count] {
                    let prefix = sets.prefix(of: scannerPattern, count: 3)
                    compiledRule.scanSecond = prefix[1]
                    compiledRule.scanThird = prefix[1] == nil ? nil : prefix[2]
                    if !rule.beforeBreak.isEmpty, let guardPattern = sets.guardLookBehind(of: before.pattern, atEnd: false) {
                        compiledRule.guardRegex = internLazy(guardPattern)
                        compiledRule.guardProgram = LookBehindProgram(lookBehind: guardPattern, sets: sets)
                    }
                    if let (prefix, branches) = split {
                        let lookahead = rule.afterBreak.isEmpty ? "" : "(?=\(after.pattern))"
                        let prefixPattern = prefix.isEmpty ? "(?:)" : prefix
                        // Known valid rules (the tests compile them with `patternsKnownValid`
                        // false, which compiles every prefix here): compiled when first needed,
                        // as the prefix's anchored program nearly always answers (the list
                        // rule's prefix took ICU 4.5M instructions, before the first file).
                        let prefixRegex = patternsKnownValid ? internLazy(prefixPattern) : (try? ICURegex.compile(prefixPattern)).map { internCompiled(prefixPattern, $0) }
                        if let prefixRegex {
                            compiledRule.scanPrefixRegex = prefixRegex
                            if let deferredScanner {
                                // Offset by the branches of every rule once they are all known.
                                compiledRule.scanFallbackPattern = fallbackPatterns.count
                                fallbackPatterns.append(deferredScanner)
                            }
                            compiledRule.scanBranchPatterns = branches.map { "(?:\($0))" + lookahead }
                            // Their tests are analysed when a matcher first reaches them
                            // (`CompiledSRX.branchTable(forRule:)`).
                            compiledRule.scanBranches = branches
                        }
                    }
                    if let deferredScanner, compiledRule.scanPrefixRegex == nil {
                        // The prefix would not compile alone: the whole scanner it is (valid).
                        compiledRule.scannerRegex = (try? ICURegex.compile(deferredScanner)).map { internCompiled(deferredScanner, $0) }
                    }
                }
                compiled.append(compiledRule)
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

        let branches = compiled.flatMap(\.scanBranchPatterns)
        for i in compiled.indices where compiled[i].scanFallbackPattern != nil { compiled[i].scanFallbackPattern! += branches.count }
        self.rules = compiled
        self.branchPatterns = branches + fallbackPatterns
        self.branchBase = sources.count
        sources += branchPatterns.map { RegexTemplates.Source(pattern: $0) }
        self.regexes = RegexTemplates(sources: sources, precompiled: precompiled)
        self.wordLists = wordLists
        self.maskRegex = mask
        self.useICUBreakRules = srx.useICUBreakRules
        self.icuLocale = String(language.map { $0 == "-" ? "_" : $0 })
        self.codePlacement = srx.codePlacement
        self.breakInsideCodeSpans = srx.breakInsideCodeSpans
        self.breakRuleIndexes = compiled.indices.filter { compiled[$0].isBreak }
        self.noBreakRuleIndexes = compiled.indices.filter { !compiled[$0].isBreak }
        var triggered: [(rule: Int, first: UnitSet)] = []
        var searched: [Int] = []
        for r in breakRuleIndexes {
            guard triggered.count < 64, let pattern = scannerPatterns[r], let first = sets.first(of: pattern) else {
                searched.append(r)
                continue
            }
            triggered.append((r, first))
        }
        self.table = RuleTable(rules: compiled, wordLists: wordLists, triggered: triggered, searched: searched)
        self.anchored = Mutex(AnchoredPrograms(sets: sets))

    }

    /// The tests of split scanner `rule`'s branches (`CompiledRule.scanBranchLast` …), as a table
    /// of that one rule whose branch `k` is the rule's `k`-th: analysed the first time a matcher
    /// asks, then shared (the analysis of the built-in list rule's 88 branches took 3-4 ms, and
    /// a run whose texts never reach them — most one-file runs — no longer pays it).
    func branchTable(forRule rule: Int) -> RuleTable {
        branchTables.withLock { tables in
            if let table = tables[rule] { return table }
            var analysed = rules[rule]
            // With the atom sets measured while compiling the rules (under their lock, taken
            // here only after this one): the branches' classes (`[^\s•◦▪‣⁃·(]`, `\p{L}`) were
            // measured again, through ICU, for every table.
            anchored.withLock { state in Self.analyseBranches(of: &analysed, sets: state.sets) }
            let table = RuleTable(rules: [analysed], wordLists: [], triggered: [], searched: [])
            tables[rule] = table
            return table
        }
    }

    /// How many split scanners have had their branches analysed (for tests).
    var analysedBranchTableCount: Int { branchTables.withLock { $0.count } }

    /// For regex `id`, matched anchored at a place (an `afterbreak`, a scanner, a `beforebreak`
    /// look-behind, a word list's tail, a split scanner's prefix): a table whose one anchored
    /// program (`RuleTable.anchoredPrograms[0]`) finds its match exactly as ICU would, or nil
    /// when the pattern has none (see `AnchoredProgram`). Made the first time a matcher asks,
    /// then shared, like the ICU regexes: a program is far cheaper to make than ICU's compile
    /// (which it spares, unless the program gives up on some text), but most of the rules'
    /// patterns never meet a text that reaches them, and analysing them all up front cost more
    /// than a run of one file saved.
    func anchoredTable(forRegex id: Int) -> RuleTable? {
        anchored.withLock { state in
            if let known = state.tables[id] { return known }
            let table = AnchoredProgram(pattern: regexes.sources[id].pattern, sets: state.sets).map {
                RuleTable(rules: [], wordLists: [], triggered: [], searched: [], anchored: [0: $0], regexCount: 1)
            }
            state.tables[id] = .some(table)
            return table
        }
    }

    /// Fills the per-branch tests of a split scanner from its branches.
    static func analyseBranches(of rule: inout CompiledRule, sets: RegexCharacterSets) {
        for branch in rule.scanBranches {
            let program = sets.leadingLookBehind(of: branch).flatMap { LookBehindProgram(lookBehind: "(?<=\($0))", sets: sets) }
            rule.scanBranchPrograms.append(program)
            // With a program, its own analysis (cheaper, and it sees past an
            // alternation of endings: `p(?:\.\)?|\))` has "p" or "." second to last).
            let (last, secondLast) = program.map { ($0.units(atDistance: 1), $0.units(atDistance: 2)) } ?? sets.leadingLookBehindLastTwo(of: branch)
            rule.scanBranchLast.append(last)
            rule.scanBranchSecondLast.append(secondLast)
            rule.scanBranchPairs.append(sets.requiredPair(of: branch))
        }
    }

    /// Runs `body` with a fresh matcher that times every rule.
    func profiled(_ body: (SRXMatcher) -> Void) -> SRXMatcher.RuleProfile {
        let matcher = SRXMatcher(compiled: self)
        let profile = SRXMatcher.RuleProfile(rules: rules.count)
        matcher.profile = profile
        body(matcher)
        return profile
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
