import TranslationModel

/// The languages a termbase is read for: every one, or those whose primary subtag is in a set.
///
/// Recognising French terms for an English translation needs the French and English sections of
/// a multilingual termbase and nothing else: every comparison recognition, translation look-up
/// and glossary subsets make is by primary subtag (`LanguageTag.serves`), so a concept read with
/// only `fr` and `en` gives the same results for that pair. Reading the built-in glossaries for
/// two of their ten languages spares converting the other eight on every run.
public struct LanguageScope: Sendable, Hashable {
    /// Primary subtags kept (normalized, `fr`); nil: every language.
    public let primaryLanguages: Set<String>?

    /// Every language.
    public static let all = LanguageScope(primaryLanguages: nil)

    private init(primaryLanguages: Set<String>?) {
        self.primaryLanguages = primaryLanguages
    }

    /// The languages of `tags` and their regional variants (`fr` keeps `fr`, `fr-CA`, `fr-FR`).
    public init(_ tags: [String]) {
        primaryLanguages = Set(tags.map(LanguageTag.primary))
    }

    /// True when the scope is every language.
    public var isAll: Bool { primaryLanguages == nil }

    /// True when sections written in `tag` are kept.
    public func includes(_ tag: String) -> Bool {
        guard let primaryLanguages else { return true }
        return primaryLanguages.contains(LanguageTag.primary(tag))
    }

    /// True when everything this scope keeps, `other` keeps too.
    public func isSubset(of other: LanguageScope) -> Bool {
        guard let mine = primaryLanguages else { return other.isAll }
        guard let theirs = other.primaryLanguages else { return true }
        return mine.isSubset(of: theirs)
    }
}
