import Diagnostics
import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// Loading SRX files: the three real files of ../shared/data/segmentation/srx, Verso's own, and
/// the errors a malformed file gets.
final class SRXRulesTests: XCTestCase {
    private func shared(_ name: String) -> String { TestPaths.sharedFile("data/segmentation/srx/\(name)").path }
    private func fixture(_ name: String) -> String { TestPaths.fixture("segmentation/\(name)").path }

    private func sentences(_ segmenter: Segmenter, _ text: String) -> [String] {
        segmenter.sentenceStrings(in: text)
    }

    func testLanguageToolRulesLoadAndCascade() throws {
        let rules = try SRXRules(contentsOf: shared("languagetool-segment.srx"))
        XCTAssertTrue(rules.cascade)
        XCTAssertEqual(rules.regexDialect, .java)
        XCTAssertFalse(rules.useICUBreakRules) // spelled useIcu4JBreakRules="no" in this file
        // 1701 <rule> tags, 3 of them inside comments.
        XCTAssertEqual(rules.languageRules.reduce(0) { $0 + $1.rules.count }, 1698)
        XCTAssertEqual(try rules.languageRuleNames(for: "fr_two"), ["GeneralImportant", "ByTwoLineBreaks", "French", "Default"])
        let segmenter = try Segmenter(rules: rules, language: "fr_two")
        XCTAssertEqual(sentences(segmenter, "M. Dupont est arrivé. Il parle."), ["M. Dupont est arrivé.", "Il parle."])
    }

    func testOkapiDefaultRulesLoadAndRun() throws {
        let rules = try SRXRules(contentsOf: shared("okapi-defaultSegmentation.srx"))
        XCTAssertFalse(rules.cascade)
        XCTAssertEqual(try rules.languageRuleNames(for: "en"), ["Default"])
        XCTAssertEqual(try rules.languageRuleNames(for: "th"), ["Thai"])
        let segmenter = try Segmenter(rules: rules, language: "en")
        XCTAssertEqual(sentences(segmenter, "Mr. Holmes is here. Is Dr. Watson there too?"), ["Mr. Holmes is here.", "Is Dr. Watson there too?"])
    }

    func testOkapiICU4JRulesUseTheICUBreakIterator() throws {
        let rules = try SRXRules(contentsOf: shared("okapi_default_icu4j.srx"))
        XCTAssertTrue(rules.useICUBreakRules)
        XCTAssertEqual(try rules.languageRuleNames(for: "en"), ["English", "Default"])
        let segmenter = try Segmenter(rules: rules, language: "en")
        // The file has almost no break rules of its own: the breaks come from ICU, the "Mr." and
        // "U.S." exceptions from the SRX rules.
        XCTAssertEqual(sentences(segmenter, "Mr. Holmes is from the U.K. not the U.S. He is here. Is it true? Yes."),
                       ["Mr. Holmes is from the U.K. not the U.S.", "He is here.", "Is it true?", "Yes."])
    }

    /// Compiles every rule of the built-in file (each rule set is used by one of these languages,
    /// "xx" gets "Generic") and checks that at least 20 languages have rules of their own. Each
    /// language is compiled whole too (`Segmenter(rules:language:)`): the built-in cache skips
    /// compiling split scanners' whole patterns on the strength of this test.
    func testVersoRulesCoverAtLeastTwentyLanguages() throws {
        let rules = try SRXRules.builtIn()
        XCTAssertEqual(rules.regexDialect, .icu)
        let languages = ["en", "fr", "de", "da", "sv", "nb", "nl", "es", "ca", "pt", "it", "ro", "ru", "uk", "bg", "kk",
                         "pl", "cs", "sk", "el", "fi", "hu", "tr", "hy", "ar", "fa", "hi", "am", "my", "ja", "zh", "xx"]
        for language in languages {
            let names = try rules.languageRuleNames(for: language)
            XCTAssertTrue(names.contains("Common"), language)
            XCTAssertNotNil(try Segmenter(language: language), language)
            XCTAssertNotNil(try Segmenter(rules: rules, language: language), language)
        }
        let specific = Set(languages.flatMap { (try? rules.languageRuleNames(for: $0)) ?? [] }).subtracting(["Lines", "Common", "Generic", "CJKNoBreak"])
        XCTAssertGreaterThanOrEqual(specific.count, 20)
    }

    /// The built-in rules compiled without the list rule's whole scanner (only its prefix and
    /// branches, the whole pattern kept to compile if a branch ever will not) find the breaks
    /// the fully compiled rules find.
    func testBuiltInRulesWithoutWholeSplitScannersBreakTheSame() throws {
        let rules = try SRXRules.builtIn()
        let texts = ["Il faut : 1. acheter du pain 2. rentrer 3. Manger. Fin.", "Options: a) the first b) the second c) the third. Then (i) one (ii) two.",
                     "Steps: 1.) Open it 2.) Close it. See (e) and f) above; A) First B) Second."]
        for language in ["fr", "en", "de"] {
            let lazy = try Segmenter(language: language)
            let whole = try Segmenter(rules: rules, language: language)
            XCTAssertTrue(lazy.compiled.rules.contains { $0.scanFallbackPattern != nil && $0.scannerRegex == nil }, language)
            XCTAssertFalse(whole.compiled.rules.contains { $0.scanFallbackPattern != nil }, language)
            for text in texts {
                XCTAssertEqual(lazy.breakPositions(in: text), whole.breakPositions(in: text), text)
            }
        }
    }

    /// verso.srx is written by scripts/segmentation/verso_srx.py: the two must agree.
    func testBuiltInRulesAreWhatTheirScriptWrites() throws {
        guard let python = VersoCommand.which("python3") else { throw XCTSkip("python3 not installed") }
        let script = TestPaths.repository.appendingPathComponent("scripts/segmentation/verso_srx.py").path
        let result = try VersoCommand.runProcess(python, [script, "--check"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testCascadeAppliesEveryMatchingMapInOrder() throws {
        let rules = try SRXRules(contentsOf: fixture("cascade.srx"))
        XCTAssertEqual(try rules.languageRuleNames(for: "en"), ["Titles", "Default"])
        XCTAssertEqual(try rules.languageRuleNames(for: "xx"), ["ForceBreak", "Titles", "Default"])
        XCTAssertEqual(try rules.languageRuleNames(for: "zz"), ["Titles"])
        let en = try Segmenter(rules: rules, language: "en")
        XCTAssertEqual(sentences(en, "Ask Dr. No. He knows."), ["Ask Dr. No.", "He knows."])
        // The first rule that matches decides: "ForceBreak" comes before "Titles" for xx.
        let xx = try Segmenter(rules: rules, language: "xx")
        XCTAssertEqual(sentences(xx, "Ask Dr. No. He knows."), ["Ask Dr.", "No.", "He knows."])
        // A single-letter initial is an exception only in "Default".
        XCTAssertEqual(sentences(en, "By J. Smith. Done."), ["By J. Smith.", "Done."])
    }

    func testJavaDialectKeepsJavaMeaningOfClasses() throws {
        let rules = try SRXRules(contentsOf: fixture("java-dialect.srx"))
        XCTAssertEqual(rules.regexDialect, .java)
        let nbsp = "\u{00A0}"
        // Without (?U), Java's \s does not match a no-break space.
        let ascii = try Segmenter(rules: rules, language: "a")
        XCTAssertEqual(sentences(ascii, "Oui.\(nbsp)Non. Peut-être."), ["Oui.\(nbsp)Non.", "Peut-être."])
        // With (?U) it does; (?iu) and \h are accepted.
        let unicode = try Segmenter(rules: rules, language: "u")
        XCTAssertEqual(sentences(unicode, "Oui.\(nbsp)Non. Voir Mme. Dupont."), ["Oui.", "Non.", "Voir Mme. Dupont."])
    }

    func testInvalidRegexErrorNamesFileLineColumnAndRule() throws {
        let rules = try SRXRules(contentsOf: fixture("bad-regex.srx"))
        XCTAssertThrowsError(try Segmenter(rules: rules, language: "en")) { error in
            guard let error = error as? SRXError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.location.file, fixture("bad-regex.srx"))
            XCTAssertEqual(error.location.line, 12)
            // The column points into the pattern (after "<beforebreak>", at the unclosed group's end).
            XCTAssertEqual(error.location.column, 23)
            XCTAssertTrue(error.message.contains("no-break rule in languagerule \"Broken\""), error.message)
            XCTAssertTrue(error.message.contains("\\b(Mr|Dr\\."), error.message)
            XCTAssertTrue(error.description.hasPrefix("\(fixture("bad-regex.srx")):12:23: error: "), error.description)
        }
    }

    func testUnknownLanguageRuleInAMapIsAnError() {
        XCTAssertThrowsError(try SRXRules(contentsOf: fixture("bad-map.srx"))) { error in
            guard let error = error as? SRXError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.location.line, 11)
            XCTAssertTrue(error.message.contains("\"French\""), error.message)
        }
    }

    /// Language patterns are compiled once and kept; an invalid one is still an error naming
    /// the map, every time it is asked about, while the valid maps keep answering.
    func testInvalidLanguagePatternIsAnErrorEveryTime() throws {
        let srx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <srx xmlns="http://www.lisa.org/srx20" version="2.0"><header segmentsubflows="yes" cascade="yes"/><body>
        <languagerules><languagerule languagerulename="A"><rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule></languagerules>
        <maprules><languagemap languagepattern="(?i)fr(?:[-_].*)?" languagerulename="A"/><languagemap languagepattern="(?i)de(" languagerulename="A"/></maprules></body></srx>
        """
        let rules = try SRXRules(bytes: Array(srx.utf8), displayPath: "bad-pattern.srx")
        for _ in 0..<2 {
            XCTAssertThrowsError(try rules.languageRules(for: "fr")) { error in
                guard let error = error as? SRXError else { return XCTFail("\(error)") }
                XCTAssertTrue(error.message.contains("languagepattern \"(?i)de(\""), error.message)
                XCTAssertEqual(error.location.file, "bad-pattern.srx")
            }
        }
        let valid = try SRXRules(bytes: Array(srx.replacingOccurrences(of: "(?i)de(", with: "(?i)de").utf8), displayPath: "good.srx")
        XCTAssertEqual(try valid.languageRuleNames(for: "FR-ca"), ["A"])
        XCTAssertEqual(try valid.languageRuleNames(for: "FR-ca"), ["A"])
        XCTAssertEqual(try valid.languageRuleNames(for: "it"), [])
    }

    func testBadBreakValueIsAnError() {
        XCTAssertThrowsError(try SRXRules(contentsOf: fixture("bad-break-value.srx"))) { error in
            guard let error = error as? SRXError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.location.line, 7)
            XCTAssertTrue(error.message.contains("break=\"maybe\""), error.message)
        }
    }

    func testTruncatedFileIsAnXMLErrorWithPosition() {
        XCTAssertThrowsError(try SRXRules(contentsOf: fixture("truncated.srx"))) { error in
            guard let error = error as? LocatedError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.location.file, fixture("truncated.srx"))
            XCTAssertNotNil(error.location.line)
        }
    }

    func testOtherXMLIsNotAnSRXFile() {
        XCTAssertThrowsError(try SRXRules(contentsOf: fixture("not-srx.srx"))) { error in
            guard let error = error as? SRXError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("not an SRX document"), error.message)
        }
    }

    func testEmptyFileIsAnErrorSayingSo() {
        for bytes: [UInt8] in [[], [0xEF, 0xBB, 0xBF, 0x0A], Array("  \n".utf8)] {
            XCTAssertThrowsError(try SRXRules(bytes: bytes, displayPath: "empty.srx")) { error in
                guard let error = error as? SRXError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.location.file, "empty.srx")
                XCTAssertTrue(error.message.contains("empty"), error.message)
            }
        }
    }

    func testMissingFileIsAnErrorNamingIt() {
        XCTAssertThrowsError(try SRXRules(contentsOf: "/nonexistent/rules.srx")) { error in
            XCTAssertEqual((error as? LocatedError)?.location.file, "/nonexistent/rules.srx")
        }
    }
}

/// `SRXCompileOptions.lookAheadLimit`: an `afterbreak` may not reach further than the limit, which
/// keeps rules such as LanguageTool's "no break inside brackets" linear on long paragraphs.
final class LookAheadLimitTests: XCTestCase {
    private let rules = """
    <?xml version="1.0" encoding="UTF-8"?>
    <srx xmlns="http://www.lisa.org/srx20" version="2.0">
    <header segmentsubflows="yes" cascade="no"/>
    <body><languagerules><languagerule languagerulename="Brackets">
    <rule break="no"><beforebreak>\\[[^\\]]*\\.</beforebreak><afterbreak>\\s[^\\]\\r\\n]*\\]</afterbreak></rule>
    <rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
    </languagerule></languagerules>
    <maprules><languagemap languagepattern=".*" languagerulename="Brackets"/></maprules></body></srx>
    """

    private func sentences(_ text: String, limit: Int? = nil) throws -> [String] {
        let srx = try SRXRules(bytes: Array(rules.utf8), displayPath: "brackets.srx")
        let options = limit.map { SRXCompileOptions(lookAheadLimit: $0) } ?? SRXCompileOptions()
        return try Segmenter(rules: srx, language: "en", options: options).sentenceStrings(in: text)
    }

    func testAnAfterbreakWithinTheLimitVetoesTheBreak() throws {
        XCTAssertEqual(try sentences("Text [see p. 5 here] more. Next."), ["Text [see p. 5 here] more.", "Next."])
        XCTAssertEqual(try sentences("Text [see p. 5 here] more. Next.", limit: 20), ["Text [see p. 5 here] more.", "Next."])
    }

    func testAnAfterbreakReachingPastTheLimitDoesNotMatch() throws {
        let long = "[see p. " + String(repeating: "x", count: 40) + "] more. Next."
        XCTAssertEqual(try sentences(long), [long.replacingOccurrences(of: " Next.", with: ""), "Next."])
        XCTAssertEqual(try sentences(long, limit: 20).count, 3, "the bracket closes 41 units after the break")
    }

    func testTheEndOfTheTextIsNotMovedToTheLimit() throws {
        // `$` must not match at the limit: only at the real end of the text.
        let srx = rules.replacingOccurrences(of: "<afterbreak>\\s[^\\]\\r\\n]*\\]</afterbreak>", with: "<afterbreak>\\s\\w+$</afterbreak>")
        let segmenter = try Segmenter(rules: SRXRules(bytes: Array(srx.utf8), displayPath: "end.srx"), language: "en", options: SRXCompileOptions(lookAheadLimit: 5))
        XCTAssertEqual(segmenter.sentenceStrings(in: "[a. bbbbbbbbbb cc. dd"), ["[a.", "bbbbbbbbbb cc. dd"])
    }
}
