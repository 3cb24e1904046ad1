import ArgumentParser
import TranslationModel

/// The one check every language option goes through (`--source`/`--target`/`--from`/`--to`/
/// `--lang` of every command): a well-formed BCP 47 tag (`TranslationModel.LanguageTag`), else a
/// usage error. Used as the options' `transform`, so swift-argument-parser reports it as
/// `The value 'xx-!!' is invalid for '--source <lang>': …` and exits 64 before anything is read
/// or written.
enum LanguageArgument {
    /// Thrown for a malformed tag; its description is the reason ArgumentParser prints.
    struct Malformed: Error, CustomStringConvertible {
        var error: LanguageTag.SyntaxError
        var description: String {
            "not a well-formed BCP 47 language tag: \(error.reason) (e.g. fr, en-GB, zh-Hant-TW, es-419)"
        }
    }

    /// Returns `value` unchanged when it is a well-formed tag; throws `Malformed` otherwise.
    @Sendable
    static func check(_ value: String) throws -> String {
        do {
            _ = try LanguageTag(parsing: value)
        } catch {
            throw Malformed(error: error)
        }
        return value
    }
}

/// `convert --to`: an XLIFF version (`xliff1.2`, `xliff-2.1`, `XLIFF2.2`, `2.0`) or, as CLI.md's
/// alias of `--target`, a language tag checked like every language option.
enum VersionOrLanguageArgument {
    /// Thrown when the value is neither; lists the versions accepted.
    struct Unknown: Error, CustomStringConvertible {
        var value: String
        var reason: String?
        var description: String {
            let names = XLIFFVersion.allCases.map { "xliff\($0.rawValue)" }
            let versions = names.dropLast().joined(separator: ", ") + " or " + names.last!
            var text = "neither an XLIFF version (\(versions)) nor a BCP 47 language tag (the target language, e.g. en-GB)"
            if let reason { text += "; as a language tag: \(reason)" }
            return text
        }
    }

    /// The version `text` names (`xliff1.2`, `xliff-2.1`, `XLIFF 2.2`, `2.0`), or nil.
    static func version(_ text: String) -> XLIFFVersion? {
        var s = text.lowercased()
        if s.hasPrefix("xliff") { s.removeFirst(5) }
        if s.hasPrefix("-") || s.hasPrefix(" ") { s.removeFirst() }
        return XLIFFVersion(rawValue: s)
    }

    /// Returns `value` when it names a version or is a well-formed language tag. A value that
    /// looks like a version (`xliff…`, `xlf…`, a number) but is not one is an error even when it
    /// happens to be well-formed as a tag (`xliff`), so a misspelt version never becomes a
    /// target language.
    @Sendable
    static func check(_ value: String) throws -> String {
        if version(value) != nil { return value }
        let lower = value.lowercased()
        if lower.hasPrefix("xliff") || lower.hasPrefix("xlf") || value.first?.isNumber == true {
            throw Unknown(value: value, reason: nil)
        }
        do {
            _ = try LanguageTag(parsing: value)
        } catch {
            throw Unknown(value: value, reason: error.reason)
        }
        return value
    }
}
