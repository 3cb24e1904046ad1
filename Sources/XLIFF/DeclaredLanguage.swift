import Diagnostics
import TranslationModel

/// The check of a language a document declares itself (HTML `lang`, XLIFF `source-language` or
/// `srcLang`) before it is written into an XLIFF's language attributes: a malformed tag there
/// makes the output invalid, so it is refused like a malformed `--source` (the same
/// `LanguageTag` check `verso align` applies to declared languages).
public enum DeclaredLanguage {
    /// Nil when `value` is a well-formed BCP 47 tag; else the error message, naming where the
    /// document declares it (`declaration`, e.g. "HTML lang") and asking for `--source`.
    public static func problem(_ value: String, declaration: String) -> String? {
        do {
            _ = try LanguageTag(parsing: value)
            return nil
        } catch {
            return "the document declares its language as '\(value)' (\(declaration)), which is not a well-formed BCP 47 tag (\(error.reason)): name the source language with --source (e.g. --source fr)"
        }
    }

    /// The source languages an XLIFF event declares: the document's and a `<file>`'s own, with
    /// the attribute each comes from.
    public static func sourceLanguages(of event: DocumentEvent) -> [(value: String, attribute: String)] {
        switch event {
        case .startDocument(let info):
            return [(info.sourceLanguage, info.version?.isVersion2 == true ? "srcLang" : "source-language")]
        case .startFile(let info):
            return info.sourceLanguage.map { [($0, "source-language")] } ?? []
        default:
            return []
        }
    }

    /// Throws an `XLIFFError` at `location` when `event` declares a malformed source language.
    public static func check(_ event: DocumentEvent, at location: SourceLocation) throws {
        for (value, attribute) in sourceLanguages(of: event) {
            if let message = problem(value, declaration: attribute) {
                throw XLIFFError(location: location, message: message)
            }
        }
    }

    /// Makes `event` safe to write back: a malformed source language it declares (the
    /// document's or a `<file>`'s) is replaced by `replacement` (`--source`), or refused with an
    /// `XLIFFError` at `location` when there is none. Other events are left untouched (no copy
    /// of a unit), and `location` is only worked out for a malformed one.
    public static func resolve(_ event: inout DocumentEvent, replacement: String?, at location: @autoclosure () -> SourceLocation) throws {
        switch event {
        case .startDocument(var info) where !LanguageTag.isWellFormed(info.sourceLanguage):
            guard let replacement else { return try check(event, at: location()) }
            info.sourceLanguage = replacement
            event = .startDocument(info)
        case .startFile(var info) where info.sourceLanguage.map(LanguageTag.isWellFormed) == false:
            guard let replacement else { return try check(event, at: location()) }
            info.sourceLanguage = replacement
            event = .startFile(info)
        default:
            return
        }
    }
}
