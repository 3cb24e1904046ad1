import Segmentation
import TestSupport
import XCTest

/// A language the rules know nothing about (`german`, `xx`) falls back to the rules every
/// language gets; the segmenter says so, so that commands can warn.
final class MissingLanguageRulesTests: XCTestCase {
    func testUnknownLanguagesGetAWarningNamingThemAndTheRules() throws {
        XCTAssertEqual(try Segmenter(language: "german").missingLanguageRulesWarning, "no rules for 'german' in verso.srx; using the default rules")
        XCTAssertEqual(try Segmenter(language: "xx").missingLanguageRulesWarning, "no rules for 'xx' in verso.srx; using the default rules")
    }

    func testLanguagesWithRulesGetNoWarningAlsoThroughTheirPrimarySubtag() throws {
        for language in ["de", "de-CH", "fr-CA", "en-GB", "pt-BR", "zh-Hant-TW", "ja", "sr-Latn", "nb"] {
            XCTAssertNil(try Segmenter(language: language).missingLanguageRulesWarning, language)
        }
    }

    func testUserSRXFilesNameTheirFile() throws {
        let okapi = TestPaths.sharedFile("standards/conformance/okapi/srx/defaultSegmentation.srx").path
        let rules = try SRXRules(contentsOf: okapi)
        let warning = try Segmenter(rules: rules, language: "xx").missingLanguageRulesWarning
        XCTAssertEqual(warning, "no rules for 'xx' in defaultSegmentation.srx; using the default rules")
    }

    func testAFileWithoutLanguageSpecificRulesNeverWarns() throws {
        let rules = SRXRules(languageRules: [SRXLanguageRule(name: "All", rules: [])],
                             languageMaps: [SRXLanguageMap(languagePattern: ".*", languageRuleName: "All")])
        XCTAssertNil(try Segmenter(rules: rules, language: "xx").missingLanguageRulesWarning)
    }
}
