import TranslationModel
import XCTest

/// `LanguageTag`: RFC 5646 well-formedness, on the RFC's own examples (Appendix A) and on the
/// kinds of mistakes people type.
final class LanguageTagTests: XCTestCase {
    func testAcceptsTheRFCExamplesOfEveryProduction() {
        let wellFormed = [
            // Simple language, extlang, script, region, variants (RFC 5646 Appendix A).
            "de", "fr", "ja", "i-enochian", "zh-Hant", "zh-Hans", "sr-Cyrl", "sr-Latn",
            "zh-cmn-Hans-CN", "cmn-Hans-CN", "zh-yue-HK", "yue-HK", "zh-Hans-CN", "sr-Latn-RS",
            "sl-rozaj", "sl-rozaj-biske", "sl-nedis", "de-CH-1901", "sl-IT-nedis", "hy-Latn-IT-arevela",
            "de-DE", "en-US", "es-419", "de-CH-x-phonebk", "az-Arab-x-AZE-derbend", "x-whatever",
            "qaa-Qaaa-QM-x-southern", "de-Qaaa", "sr-Latn-QM", "sr-Qaaa-RS", "en-US-u-islamcal",
            "zh-CN-a-myext-x-private", "en-a-myext-b-another", "en-GB", "EN-gb", "en-Latn-GB-boont-r-extended-sequence-x-private",
            // Grandfathered, irregular and regular.
            "en-GB-oed", "i-klingon", "I-KLINGON", "sgn-BE-FR", "sgn-CH-DE", "zh-min-nan", "art-lojban", "no-bok",
            // Well-formed though not registered (validity needs the IANA registry).
            "qq-QQ", "abcdefgh", "ab-abc-abc-abc",
        ]
        for tag in wellFormed {
            XCTAssertTrue(LanguageTag.isWellFormed(tag), tag)
        }
    }

    func testRejectsMalformedTagsWithTheReason() {
        let malformed: [(String, String)] = [
            ("xx-!!", "'!!' is not a subtag"),
            ("", "empty"),
            ("en-", "empty subtag"),
            ("-en", "empty subtag"),
            ("en--GB", "empty subtag"),
            ("fr_FR", "separated by '-', not '_' (fr-FR)"),
            ("xlf2.1", "'xlf2.1' is not a subtag"),
            ("en US", "'en US' is not a subtag"),
            ("français", "is not a subtag"),
            ("abcdefghi", "is not a subtag"),
            ("1en", "must be letters only"),
            ("e", "must have 2 to 8 letters"),
            ("i-foo", "must have 2 to 8 letters"),
            ("de-419-DE", "'DE' cannot follow 'de-419'"),
            ("a-DE", "must have 2 to 8 letters"),
            ("ar-a-aaa-b-bbb-a-ccc-x", "'x' (private use) must be followed"),
            ("x", "'x' (private use) must be followed"),
            ("en-a", "the extension 'a' must be followed"),
            ("en-a-b-cc", "the extension 'a' must be followed"),
            ("en-GB-US", "'US' cannot follow 'en-GB'"),
            ("zh-Hant-Latn", "'Latn' cannot follow 'zh-Hant'"),
            ("abcd-abc", "'abc' cannot follow 'abcd'"),
            ("ab-abc-abc-abc-abc", "'abc' cannot follow 'ab-abc-abc-abc'"),
        ]
        for (tag, reason) in malformed {
            XCTAssertFalse(LanguageTag.isWellFormed(tag), tag)
            do {
                _ = try LanguageTag(parsing: tag)
            } catch {
                XCTAssertTrue(error.description.hasPrefix("'\(tag)' is not a well-formed BCP 47 language tag: "), error.description)
                XCTAssertTrue(error.reason.contains(reason), "\(tag): \(error.reason)")
            }
        }
    }

    func testSplitsATagIntoItsSubtags() throws {
        let tag = try LanguageTag(parsing: "zh-yue-Hant-HK-1996-fonipa-u-co-pinyin-x-Priv")
        XCTAssertEqual(tag.kind, .langtag)
        XCTAssertEqual(tag.language, "zh")
        XCTAssertEqual(tag.extendedLanguages, ["yue"])
        XCTAssertEqual(tag.script, "hant")
        XCTAssertEqual(tag.region, "hk")
        XCTAssertEqual(tag.variants, ["1996", "fonipa"])
        XCTAssertEqual(tag.extensions, [LanguageTag.Extension(singleton: "u", subtags: ["co", "pinyin"])])
        XCTAssertEqual(tag.privateUse, ["priv"])
        XCTAssertEqual(tag.description, "zh-yue-Hant-HK-1996-fonipa-u-co-pinyin-x-Priv")
        XCTAssertEqual(try LanguageTag(parsing: "x-foo").kind, .privateUse)
        XCTAssertEqual(try LanguageTag(parsing: "i-klingon").kind, .grandfathered)
        XCTAssertEqual(LanguageTag("es-419")?.region, "419")
        XCTAssertNil(LanguageTag("es-41"))
    }

    func testRepeatedVariantsAndExtensionsAreWellFormedButFlagged() throws {
        XCTAssertTrue(try LanguageTag(parsing: "de-DE-1901-1901").hasRepeatedSubtags)
        XCTAssertTrue(try LanguageTag(parsing: "en-a-bbb-a-ccc").hasRepeatedSubtags)
        XCTAssertFalse(try LanguageTag(parsing: "de-DE-1901-1996-a-bbb-b-ccc").hasRepeatedSubtags)
    }

    func testTermbaseComparisonsStillWork() {
        XCTAssertEqual(LanguageTag.primary("fr-CA"), "fr")
        XCTAssertTrue(LanguageTag.serves("fr-CA", request: "fr"))
        XCTAssertTrue(LanguageTag.same("en_GB", "en-gb"))
    }
}
