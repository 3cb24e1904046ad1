import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// What the tests that hold a bitmap program to ICU walk over: every SRX file we ship or test
/// against, compiled for every language of the golden data, and sample texts, each position of
/// each text (`LookBehindProgramTests`, `AnchoredProgramTests`).
enum RuleSweep {
    static let languages = ["am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr", "my", "nl", "pl", "ru", "sk", "ur", "zh"]

    /// Golden texts of every language (the first `perLanguage` cases of each), plus lists,
    /// initials, abbreviations, quotes and supplementary characters (where a program must give
    /// way to ICU), and `extra`.
    static func texts(_ extra: [String] = [], perLanguage: Int = 40) throws -> [String] {
        var result = [
            "Il faut : 1. acheter du pain 2. rentrer 3. Manger. Voir p. 12 et q. 4. « Oui ! » Non.",
            "Options: a) the first b) the second (c) the third. J. Smith and J.-P. Sartre, U.S.A. i.e. Ph.D. XIXe s. Fin.",
            "Math 𝐀. 𝐁. and 😀. Next 𝓍) (ii) iii. Then 12.) and x.) end. Emoji 👍🏽! ok.",
            "\n. a.\tb.\u{00A0}c.» d.” 1. 22. 333. (1) 1) A) B. b)",
        ] + extra
        for language in languages {
            let cases = try GoldCase.load(TestPaths.sharedFile("data/segmentation/golden/\(language).jsonl")).prefix(perLanguage)
            result += cases.map(\.text)
        }
        return result
    }

    /// The built-in rules and the third-party SRX files of the shared data.
    static func ruleSets() throws -> [SRXRules] {
        var sets = [try SRXRules.builtIn()]
        for name in ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"] {
            sets.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path))
        }
        return sets
    }

    /// Calls `body` with each rule file compiled for each language (those ICU accepts: some
    /// third-party files have rules ICU rejects for some languages, LanguageTool's Polish).
    static func forEachCompiled(_ body: (CompiledSRX) throws -> Void) throws {
        for rules in try ruleSets() {
            for language in languages {
                guard let compiled = try? CompiledSRX(rules: rules, language: language, options: SRXCompileOptions()) else { continue }
                try body(compiled)
            }
        }
    }

    /// Calls `body` at every position (0 through the length) of every text, with `regex`
    /// pointed at the text's units for the duration.
    static func forEachPosition(of regex: ICURegex, in texts: [String], _ body: (_ units: UnsafeBufferPointer<UInt16>, _ position: Int, _ text: String) -> Void) {
        for text in texts {
            let units = Array(text.utf16)
            units.withUnsafeBufferPointer { buffer in
                regex.setText(buffer.baseAddress, count: buffer.count)
                for p in 0...buffer.count { body(buffer, p, text) }
                regex.setText(nil, count: 0)
            }
        }
    }
}
