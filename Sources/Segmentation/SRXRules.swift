import Diagnostics

/// The SRX namespaces and the extension namespaces Verso reads.
public enum SRXNamespace {
    /// The SRX 2.0 namespace.
    public static let uri = "http://www.lisa.org/srx20"
    /// The SRX 1.0 namespace (same structure, read for compatibility).
    public static let srx10 = "http://www.lisa.org/srx10"
    /// Okapi's extensions (`okpsrx:options`, `okpsrx:rangeRule`).
    public static let okapi = "http://okapi.sf.net/srx-extensions"
    /// Verso's extensions (`verso:options`).
    public static let verso = "urn:verso:srx-extensions"
}

/// One `<rule>`: a break or no-break decision for positions where `beforeBreak` matches the text
/// just before and `afterBreak` the text just after.
public struct SRXRule: Sendable, Hashable {
    /// `break="yes"` (the default) or `break="no"`.
    public var isBreak: Bool
    /// The `<beforebreak>` pattern ("" when absent: matches everywhere).
    public var beforeBreak: String
    /// The `<afterbreak>` pattern ("" when absent).
    public var afterBreak: String
    /// Where the `<rule>` element starts.
    public var location: SourceLocation
    /// Where the `<beforebreak>` text starts, to point errors at the offending character.
    public var beforeBreakLocation: SourceLocation?
    /// Where the `<afterbreak>` text starts.
    public var afterBreakLocation: SourceLocation?

    /// Creates a rule.
    public init(isBreak: Bool, beforeBreak: String, afterBreak: String, location: SourceLocation = SourceLocation(file: "<rules>"), beforeBreakLocation: SourceLocation? = nil, afterBreakLocation: SourceLocation? = nil) {
        self.isBreak = isBreak
        self.beforeBreak = beforeBreak
        self.afterBreak = afterBreak
        self.location = location
        self.beforeBreakLocation = beforeBreakLocation
        self.afterBreakLocation = afterBreakLocation
    }
}

/// A `<languagerule>`: a named, ordered list of rules.
public struct SRXLanguageRule: Sendable, Hashable {
    /// `languagerulename`.
    public var name: String
    /// The rules in document order (the first one matching at a position decides).
    public var rules: [SRXRule]
    /// Where the element starts.
    public var location: SourceLocation

    /// Creates a language rule.
    public init(name: String, rules: [SRXRule], location: SourceLocation = SourceLocation(file: "<rules>")) {
        self.name = name
        self.rules = rules
        self.location = location
    }
}

/// A `<languagemap>`: language codes matching `languagePattern` use the rules named `languageRuleName`.
public struct SRXLanguageMap: Sendable, Hashable {
    /// A regular expression matched against the whole language code (`(EN|en).*`).
    public var languagePattern: String
    /// The `languagerulename` it selects.
    public var languageRuleName: String
    /// Where the element is.
    public var location: SourceLocation

    /// Creates a map rule.
    public init(languagePattern: String, languageRuleName: String, location: SourceLocation = SourceLocation(file: "<rules>")) {
        self.languagePattern = languagePattern
        self.languageRuleName = languageRuleName
        self.location = location
    }
}

/// Where inline codes standing at a segment boundary go (SRX `<formathandle>`): `true` keeps
/// them at the end of the segment before the break, `false` moves them to the next segment.
public struct SRXCodePlacement: Sendable, Hashable {
    /// Opening codes (`formathandle type="start"`; SRX default: next segment).
    public var includeStartCodes: Bool
    /// Closing codes (`type="end"`; default: previous segment).
    public var includeEndCodes: Bool
    /// Standalone and isolated codes (`type="isolated"`; default: next segment).
    public var includeIsolatedCodes: Bool

    /// Creates a placement; the defaults are SRX 2.0's.
    public init(includeStartCodes: Bool = false, includeEndCodes: Bool = true, includeIsolatedCodes: Bool = false) {
        self.includeStartCodes = includeStartCodes
        self.includeEndCodes = includeEndCodes
        self.includeIsolatedCodes = includeIsolatedCodes
    }
}

/// A parsed SRX document: everything needed to segment any language it covers.
///
/// Load one with `SRXRules(contentsOf:)`, or use `SRXRules.builtIn()` (Verso's own rules).
public struct SRXRules: Sendable, Hashable {
    /// The path errors name.
    public var displayPath: String
    /// `version` on `<srx>` ("2.0"; "1.0" is read too).
    public var version: String
    /// `segmentsubflows`: whether text inside inline codes (subflows) is segmented. Verso keeps
    /// subflows as references in its model, so this is kept for round trip only.
    public var segmentSubflows: Bool
    /// `cascade`: a language uses the rules of every matching `<languagemap>`, in order, not only
    /// the first one.
    public var cascade: Bool
    /// `<formathandle>` settings.
    public var codePlacement: SRXCodePlacement
    /// The language the patterns are written in (`okpsrx:options useJavaRegex`).
    public var regexDialect: SRXRegexDialect
    /// `okpsrx:options useIcu4jBreakRules="yes"`: ICU's sentence break iterator proposes breaks
    /// that the SRX rules may veto (they are tried after every SRX rule).
    public var useICUBreakRules: Bool
    /// `okpsrx:rangeRule`: text matching it is never broken, and is a segment of its own.
    public var maskPattern: String?
    /// Where the mask pattern is, for errors.
    public var maskPatternLocation: SourceLocation?
    /// `verso:options breakInsideCodeSpans="yes"`: allow breaks between a paired code's opening
    /// and closing (by default a span such as `<b>…</b>` is never split).
    public var breakInsideCodeSpans: Bool
    /// The `<languagerule>` elements, in document order.
    public var languageRules: [SRXLanguageRule]
    /// The `<languagemap>` elements, in document order.
    public var languageMaps: [SRXLanguageMap]

    /// Creates rules in code (tests, tools that build SRX).
    public init(displayPath: String = "<rules>", version: String = "2.0", segmentSubflows: Bool = true, cascade: Bool = false, codePlacement: SRXCodePlacement = SRXCodePlacement(), regexDialect: SRXRegexDialect = .java, useICUBreakRules: Bool = false, maskPattern: String? = nil, breakInsideCodeSpans: Bool = false, languageRules: [SRXLanguageRule], languageMaps: [SRXLanguageMap]) {
        self.displayPath = displayPath
        self.version = version
        self.segmentSubflows = segmentSubflows
        self.cascade = cascade
        self.codePlacement = codePlacement
        self.regexDialect = regexDialect
        self.useICUBreakRules = useICUBreakRules
        self.maskPattern = maskPattern
        self.breakInsideCodeSpans = breakInsideCodeSpans
        self.languageRules = languageRules
        self.languageMaps = languageMaps
    }

    /// The language rules that apply to `language`, in the order their rules are tried: the
    /// first matching map rule, or with `cascade` every matching map rule in document order.
    ///
    /// Throws when a language pattern is not a valid regular expression.
    public func languageRules(for language: String) throws(SRXError) -> [SRXLanguageRule] {
        var byName: [String: SRXLanguageRule] = [:]
        for rule in languageRules where byName[rule.name] == nil { byName[rule.name] = rule }
        var result: [SRXLanguageRule] = []
        var used = Set<String>()
        for map in languageMaps {
            guard try SRXCompiler.languagePattern(map, dialect: regexDialect, matches: language) else { continue }
            if let rule = byName[map.languageRuleName], !used.contains(rule.name) {
                result.append(rule)
                used.insert(rule.name)
            }
            if !cascade { break }
        }
        return result
    }

    /// A code no SRX file has rules for (ISO 639's private-use range): the maps that match it
    /// are the file's catch-all maps (`.*`, Verso's "Generic").
    static let unknownLanguageProbe = "qaa"

    /// The warning to give when `language` gets only the rules every language gets — the file
    /// has language-specific maps, but none for `language` (`german`, `xx`): "no rules for
    /// 'german' in verso.srx; using the default rules". Nil when the language has rules of its
    /// own (also through its primary subtag: `de-CH` uses `de`'s), or when the file has no
    /// language-specific rules at all (then nobody expects any).
    public func missingLanguageRulesWarning(for language: String) -> String? {
        guard let own = try? languageRuleNames(for: language),
              let fallback = try? languageRuleNames(for: Self.unknownLanguageProbe) else { return nil }
        guard own == fallback else { return nil }
        let specific = languageMaps.contains { map in
            (try? SRXCompiler.languagePattern(map, dialect: regexDialect, matches: Self.unknownLanguageProbe)) == false
        }
        guard specific else { return nil }
        let file = displayPath == Self.builtInDisplayPath ? "verso.srx" : (displayPath.split(separator: "/").last.map(String.init) ?? displayPath)
        let using = own.isEmpty ? "no rule applies, so the text is not split into sentences" : "using the default rules"
        return "no rules for '\(language)' in \(file); \(using)"
    }

    /// The names of the language rules that apply to `language` (see `languageRules(for:)`).
    public func languageRuleNames(for language: String) throws(SRXError) -> [String] {
        try languageRules(for: language).map(\.name)
    }
}

/// A malformed SRX file or a rule that is not a valid regular expression.
public struct SRXError: LocatedError, Equatable {
    /// Where: the file, and the line and column of the offending element or character.
    public var location: SourceLocation
    /// What is wrong, naming the rule.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }
}
