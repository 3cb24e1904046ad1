import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// `<languagemap>` patterns of the simple kind are matched without ICU: the answer must be
/// ICU's for every pattern of the SRX files we ship or test against, and for edge cases.
final class LanguageCodePatternTests: XCTestCase {
    private let codes = ["fr", "FR", "fr-CA", "fr_ca", "fra", "fr-", "f", "", "en", "EN-us", "en-GB-oxendict", "de", "de-CH",
                         "qaa", "zh-Hant-TW", "ja", "no", "nb", "nn", "khm", "km", "kHM", "sr-Latn", "a-b", "-", "_", "aB",
                         "ab", "abc", "x", "ZH_tw", "xx-one", "xxx_one", "abcd_two", "german", "c", "ca", "it", "IT", "pt-BR", "ro"]

    private func icuMatches(_ pattern: String, _ code: String) throws -> Bool {
        let regex = try ICURegex.compile("(?:\(pattern))$")
        let units = Array(code.utf16)
        return units.withUnsafeBufferPointer { buffer in
            regex.setText(buffer.baseAddress, count: buffer.count)
            defer { regex.setText(nil, count: 0) }
            return regex.matchEnd(at: 0) == buffer.count
        }
    }

    func testSimplePatternsMatchAsICUDoes() throws {
        var patterns: [(String, SRXRegexDialect)] = []
        var files = [try SRXRules.builtIn()]
        for name in ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"] {
            files.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path))
        }
        for rules in files { patterns += rules.languageMaps.map { ($0.languagePattern, rules.regexDialect) } }
        patterns += [".*", "", "fr|de", "^en$", "x?y+z*", "[^a-c]+", "(?i)[A-C]x", "a-b", "[-_]", "[a-]x?", "(?i)[^a]",
                     "(?i)(?!(?:en|fr)(?:[-_].*)?$).*", "(?!fr).*", "(en)?(?:-[A-Z]+)*", "(?:)", "((a|b)c)+", "[A-z]+"]
            .map { ($0, SRXRegexDialect.icu) }
        var simple = 0
        for (raw, dialect) in patterns {
            let pattern = try RegexTranslator(dialect: dialect).translate(raw).pattern
            guard let parsed = LanguageCodePattern(pattern) else { continue }
            simple += 1
            for code in codes {
                XCTAssertEqual(parsed.matches(code), try icuMatches(pattern, code), "\(pattern) on \"\(code)\"")
            }
        }
        XCTAssertGreaterThan(simple, 90, "the maps of real files are simple")
        // Verso's own maps all are: choosing a language's rules compiles no ICU pattern.
        XCTAssertTrue(try SRXRules.builtIn().languageMaps.allSatisfy { LanguageCodePattern($0.languagePattern) != nil })
    }

    func testOtherSyntaxIsLeftToICU() {
        for pattern in ["[a-z]{2,3}_one", "(?i:fr)", "\\p{L}+", "a+?", "a*+", "(?=a)a", "[[a]]", "fr.*\\b", "(?<=a)"] {
            XCTAssertNil(LanguageCodePattern(pattern), pattern)
        }
        // A code outside printable ASCII is ICU's to match.
        XCTAssertNil(LanguageCodePattern(".*")?.matches("fré"))
    }

    func testLanguageMapsStillChooseTheSameRules() throws {
        let rules = try SRXRules.builtIn()
        XCTAssertEqual(try rules.languageRuleNames(for: "fr-CA"), ["Lines", "French", "Common"])
        XCTAssertEqual(try rules.languageRuleNames(for: "ZH_tw"), ["CJK", "Lines", "CJKNoBreak", "Generic", "Common"])
        XCTAssertEqual(try rules.languageRuleNames(for: "xx"), try rules.languageRuleNames(for: "qaa"))
    }
}
