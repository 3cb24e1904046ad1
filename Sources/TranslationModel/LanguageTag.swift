/// A BCP 47 language tag (RFC 5646), checked for well-formedness and split into its subtags.
///
/// Well-formed means the tag follows RFC 5646's ABNF (§2.1): a `langtag` (language with up to
/// three extended-language subtags, script, region, variants, extensions, private use), a
/// private-use tag (`x-…`) or one of the 26 grandfathered tags (`i-klingon`, `en-GB-oed`,
/// `zh-min-nan`…). Matching is case-insensitive, as the RFC says; `text` keeps the tag as
/// written. Whether the subtags are registered in the IANA registry is not checked (that is
/// "valid", §2.2.9, and needs the registry), so `qq-QQ` is well-formed.
///
/// The comparisons termbases need (`normalized`, `primary`, `serves`…) are static functions on
/// this type (Termbase.swift).
public struct LanguageTag: Sendable, Hashable, CustomStringConvertible {
    /// Which production of RFC 5646's `Language-Tag` the tag is.
    public enum Kind: String, Sendable, Hashable {
        /// `language[-script][-region]*(-variant)*(-extension)[-privateuse]`.
        case langtag
        /// `x-…` alone.
        case privateUse
        /// One of the tags registered before RFC 4646 that do not fit the syntax, or do but are
        /// listed as grandfathered (`i-klingon`, `zh-min-nan`).
        case grandfathered
    }

    /// An extension: a singleton (`u`, `t`, any letter or digit but `x`) and its subtags.
    public struct Extension: Sendable, Hashable {
        /// The singleton, lower case.
        public var singleton: Character
        /// Its subtags (2 to 8 characters each), lower case.
        public var subtags: [String]

        /// Creates an extension.
        public init(singleton: Character, subtags: [String]) {
            self.singleton = singleton
            self.subtags = subtags
        }
    }

    /// Why a string is not a well-formed tag; `description` says it for a person.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The string that was checked.
        public var tag: String
        /// What is wrong, as a phrase.
        public var reason: String
        /// `'xx-!!' is not a well-formed BCP 47 language tag: …`.
        public var description: String { "'\(tag)' is not a well-formed BCP 47 language tag: \(reason)" }
    }

    /// The tag as written.
    public let text: String
    /// Which kind of tag it is.
    public let kind: Kind
    /// Primary language subtag, lower case (`fr`); empty for private-use and grandfathered tags.
    public let language: String
    /// Extended language subtags (`yue` in `zh-yue`), lower case.
    public let extendedLanguages: [String]
    /// Script subtag (`hant`), lower case.
    public let script: String?
    /// Region subtag (`gb`, `419`), lower case.
    public let region: String?
    /// Variant subtags (`1996`, `fonipa`), lower case.
    public let variants: [String]
    /// Extensions in order.
    public let extensions: [Extension]
    /// Private-use subtags after `x` (without the `x`), lower case.
    public let privateUse: [String]

    /// Parses `text`; throws `SyntaxError` naming what is wrong.
    public init(parsing text: String) throws(SyntaxError) {
        self.text = text
        func fail(_ reason: String) -> SyntaxError { SyntaxError(tag: text, reason: reason) }

        if text.isEmpty { throw fail("it is empty") }
        if text.contains("_") {
            let hyphenated = String(text.map { $0 == "_" ? "-" : $0 })
            if (try? LanguageTag(parsing: hyphenated)) != nil {
                throw fail("subtags are separated by '-', not '_' (\(hyphenated))")
            }
        }
        let written = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        for subtag in written {
            if subtag.isEmpty { throw fail("empty subtag (a '-' at the start or end, or two in a row)") }
            guard subtag.utf8.count <= 8, subtag.utf8.allSatisfy(Self.isAlphanumeric) else {
                throw fail("'\(subtag)' is not a subtag (1 to 8 ASCII letters or digits)")
            }
        }
        let parts = written.map { $0.lowercased() }

        var language = ""
        var extended: [String] = []
        var script: String?
        var region: String?
        var variants: [String] = []
        var extensions: [Extension] = []
        var privateUse: [String] = []

        if Self.grandfathered.contains(parts.joined(separator: "-")) {
            self.kind = .grandfathered
        } else if parts[0] == "x" {
            guard parts.count > 1 else { throw fail("'x' (private use) must be followed by at least one subtag") }
            self.kind = .privateUse
            privateUse = Array(parts.dropFirst())
        } else {
            self.kind = .langtag
            let first = parts[0]
            guard first.utf8.allSatisfy(Self.isLetter) else {
                throw fail("the language subtag '\(written[0])' must be letters only")
            }
            guard first.count >= 2 else {
                throw fail("the language subtag '\(written[0])' must have 2 to 8 letters (a single letter starts only private use 'x-…' and grandfathered 'i-…' tags)")
            }
            language = first
            var i = 1
            func isLetters(_ s: String, _ n: Int) -> Bool { s.count == n && s.utf8.allSatisfy(Self.isLetter) }
            if first.count <= 3 {
                while i < parts.count, extended.count < 3, isLetters(parts[i], 3) {
                    extended.append(parts[i]); i += 1
                }
            }
            if i < parts.count, isLetters(parts[i], 4) {
                script = parts[i]; i += 1
            }
            if i < parts.count, isLetters(parts[i], 2) || (parts[i].count == 3 && parts[i].utf8.allSatisfy(Self.isDigit)) {
                region = parts[i]; i += 1
            }
            while i < parts.count, Self.isVariant(parts[i]) {
                variants.append(parts[i]); i += 1
            }
            while i < parts.count, parts[i].count == 1, parts[i] != "x" {
                let singleton = parts[i]
                i += 1
                var subtags: [String] = []
                while i < parts.count, parts[i].count >= 2 {
                    subtags.append(parts[i]); i += 1
                }
                guard !subtags.isEmpty else {
                    throw fail("the extension '\(singleton)' must be followed by at least one subtag of 2 to 8 characters")
                }
                extensions.append(Extension(singleton: Character(singleton), subtags: subtags))
            }
            if i < parts.count, parts[i] == "x" {
                i += 1
                guard i < parts.count else { throw fail("'x' (private use) must be followed by at least one subtag") }
                privateUse = Array(parts[i...])
                i = parts.count
            }
            if i < parts.count {
                let before = written[..<i].joined(separator: "-")
                throw fail("'\(written[i])' cannot follow '\(before)' (expected \(Self.expected(script: script, region: region, variants: variants, extensions: extensions, languageLength: first.count, extended: extended.count)))")
            }
        }
        self.language = language
        self.extendedLanguages = extended
        self.script = script
        self.region = region
        self.variants = variants
        self.extensions = extensions
        self.privateUse = privateUse
    }

    /// Parses `text`, or nil when it is not a well-formed tag.
    public init?(_ text: String) {
        guard let tag = try? LanguageTag(parsing: text) else { return nil }
        self = tag
    }

    /// True when `text` is a well-formed BCP 47 language tag.
    public static func isWellFormed(_ text: String) -> Bool {
        (try? LanguageTag(parsing: text)) != nil
    }

    /// The tag as written.
    public var description: String { text }

    /// True when a variant or an extension singleton appears twice (`de-1901-1901`,
    /// `en-a-bbb-a-ccc`): well-formed, but never a valid tag (RFC 5646 §2.2.9).
    public var hasRepeatedSubtags: Bool {
        Set(variants).count != variants.count || Set(extensions.map(\.singleton)).count != extensions.count
    }

    /// The grandfathered tags of RFC 5646 §2.1 (irregular and regular), lower case.
    public static let grandfathered: Set<String> = [
        "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
        "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de",
        "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
    ]

    /// What may come at the position where parsing stopped, for the error message.
    private static func expected(script: String?, region: String?, variants: [String], extensions: [Extension], languageLength: Int, extended: Int) -> String {
        var options: [String] = []
        if extensions.isEmpty {
            if script == nil && region == nil && variants.isEmpty {
                if languageLength <= 3 && extended < 3 { options.append("a 3-letter extended language") }
                options.append("a 4-letter script")
            }
            if region == nil && variants.isEmpty { options.append("a region of 2 letters or 3 digits") }
            options.append("a variant of 5 to 8 characters or of 4 starting with a digit")
        }
        options.append("a 1-character extension followed by subtags")
        options.append("'x-' and private-use subtags")
        return options.joined(separator: ", ")
    }

    private static func isVariant(_ p: String) -> Bool {
        guard p.utf8.allSatisfy(isAlphanumeric) else { return false }
        if (5...8).contains(p.count) { return true }
        if p.count == 4, let f = p.utf8.first, isDigit(f) { return true }
        return false
    }

    private static func isLetter(_ u: UInt8) -> Bool { (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A) }
    private static func isDigit(_ u: UInt8) -> Bool { u >= 0x30 && u <= 0x39 }
    private static func isAlphanumeric(_ u: UInt8) -> Bool { isLetter(u) || isDigit(u) }
}
