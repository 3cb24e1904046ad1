@testable import Segmentation
import TestSupport
import XCTest

/// Java regular expressions (the language of real SRX files) rewritten for ICU.
final class RegexTranslatorTests: XCTestCase {
    private func java(_ pattern: String) throws -> String {
        try RegexTranslator(dialect: .java).translate(pattern).pattern
    }

    /// Whether the translated pattern matches all of `text` in ICU.
    private func matches(_ pattern: String, _ text: String, dialect: SRXRegexDialect = .java) throws -> Bool {
        let translated = try RegexTranslator(dialect: dialect).translate(pattern).pattern
        let regex = try ICURegex.compile("(?:\(translated))$")
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { buffer in
            regex.setText(buffer.baseAddress, count: buffer.count)
            return regex.matchEnd(at: 0) == buffer.count
        }
    }

    func testUnicodeFlagIsRemovedAndMakesClassesUnicode() throws {
        XCTAssertEqual(try java("(?U)\\s"), "\\s")
        XCTAssertTrue(try matches("(?U)\\s", "\u{00A0}"))
        XCTAssertTrue(try matches("(?U)\\d", "٣"))
    }

    func testJavaClassesAreASCIIWithoutTheUnicodeFlag() throws {
        XCTAssertFalse(try matches("\\s", "\u{00A0}"))
        XCTAssertFalse(try matches("\\s", "\u{202F}"))
        XCTAssertTrue(try matches("\\s", "\u{0B}"))
        XCTAssertFalse(try matches("\\d", "٣"))
        XCTAssertFalse(try matches("\\w", "é"))
        XCTAssertTrue(try matches("[\\s\\u00A0]", "\u{00A0}"))
        XCTAssertFalse(try matches("[^\\S]", "\u{00A0}"))
        // In the ICU dialect \s is Unicode White_Space.
        XCTAssertTrue(try matches("\\s", "\u{00A0}", dialect: .icu))
    }

    func testUnicodeCaseAndUnixLinesFlagsAreDropped() throws {
        XCTAssertEqual(try java("(?iu)abc"), "(?i)abc")
        XCTAssertEqual(try java("(?u)abc"), "abc")
        XCTAssertEqual(try java("(?iu:abc)d"), "(?i:abc)d")
        XCTAssertTrue(try matches("(?iu)FRITZ!", "fritz!"))
    }

    func testHorizontalAndVerticalWhitespaceFollowJava() throws {
        XCTAssertTrue(try matches("\\h", "\u{180E}"))
        XCTAssertTrue(try matches("\\h", "\u{202F}"))
        XCTAssertFalse(try matches("\\h", "\n"))
        XCTAssertTrue(try matches("\\v", "\u{2028}"))
        XCTAssertTrue(try matches("[\\h\\v]+", " \n\t"))
    }

    func testJavaPropertyNames() throws {
        XCTAssertTrue(try matches("\\p{IsLatin}", "é"))
        XCTAssertFalse(try matches("\\p{IsLatin}", "я"))
        XCTAssertTrue(try matches("\\p{InGreek}", "λ"))
        XCTAssertTrue(try matches("\\p{javaLowerCase}", "ß"))
        XCTAssertTrue(try matches("\\p{IsAlphabetic}", "ж"))
        XCTAssertFalse(try matches("\\p{Lower}", "é"))
        XCTAssertTrue(try matches("(?U)\\p{Lower}", "é"))
        XCTAssertTrue(try matches("\\p{Lu}\\p{Ll}", "Éa"))
    }

    func testColonAtClassStartIsLiteral() throws {
        XCTAssertTrue(try matches("[:;]", ";"))
        XCTAssertTrue(try matches("[^:]", "a"))
    }

    func testQuotedLiteralsAndPossessiveQuantifiers() throws {
        XCTAssertTrue(try matches("\\Qa.b\\E", "a.b"))
        XCTAssertFalse(try matches("\\Qa.b\\E", "axb"))
        XCTAssertTrue(try matches("[\\Q].\\E]+", "]."))
        XCTAssertFalse(try matches("a*+a", "aaa"))
        XCTAssertTrue(try matches("(?>ab|a)c", "abc"))
    }

    func testUnboundedQuantifiersAreBoundedForLookBehind() throws {
        let translated = try RegexTranslator(dialect: .java).translate("\\([^\\)]*?[\\.:]\\s+\\w{2,}")
        let bounded = RegexTranslator.bounded(translated, limit: 100).pattern
        XCTAssertEqual(bounded, "\\([^\\)]{0,100}?[\\.:][\\t\\n\\x{0B}\\f\\r\\x{20}]{1,100}[a-zA-Z_0-9]{2,100}")
        XCTAssertNoThrow(try ICURegex.compile("(?<=\(bounded))"))
        XCTAssertThrowsError(try ICURegex.compile("(?<=\(translated.pattern))"))
    }

    /// The compiler guesses from the syntax whether a look-behind will need bounding (to order
    /// its tests; ICU has the last word): "no unbounded quantifier" must mean `bounded` changes
    /// nothing, for every rule of every SRX file we ship or test against.
    func testNoUnboundedQuantifierMeansBoundingChangesNothing() throws {
        let sets = RegexCharacterSets()
        XCTAssertFalse(sets.mayHaveUnboundedQuantifier("a{1,3}b?c{2}"))
        XCTAssertTrue(sets.mayHaveUnboundedQuantifier("a(?<=b+)"))
        XCTAssertTrue(sets.mayHaveUnboundedQuantifier("a(?!b*)"))
        XCTAssertTrue(sets.mayHaveUnboundedQuantifier("a{2,}"))
        var files = [try SRXRules.builtIn()]
        for name in ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"] {
            files.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path))
        }
        var checked = 0
        for rules in files {
            let translator = RegexTranslator(dialect: rules.regexDialect)
            for languageRule in rules.languageRules {
                for rule in languageRule.rules where !rule.beforeBreak.isEmpty {
                    guard let translated = try? translator.translate(rule.beforeBreak) else { continue }
                    if !sets.mayHaveUnboundedQuantifier(translated.pattern) {
                        XCTAssertEqual(RegexTranslator.bounded(translated, limit: 100).pattern, translated.pattern)
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testTranslationErrorsKeepTheOriginalOffset() throws {
        XCTAssertThrowsError(try RegexTranslator(dialect: .java).translate("abc[def")) { error in
            XCTAssertEqual((error as? RegexTranslationError)?.offset, 7)
        }
        XCTAssertThrowsError(try RegexTranslator(dialect: .java).translate("abc\\")) { error in
            XCTAssertEqual((error as? RegexTranslationError)?.offset, 3)
        }
        // Offsets in the translated pattern map back to the original.
        let t = try RegexTranslator(dialect: .java).translate("\\s(x")
        XCTAssertEqual(t.originalOffset(t.pattern.utf16.count - 2), 2)
    }
}

/// The UTF-16 unit of a one-character string.
private func u(_ s: String) -> UInt16 { s.utf16.first! }

/// The character sets the engine computes from patterns to skip rules cheaply: they must be
/// supersets of what ICU matches.
final class RegexCharacterSetsTests: XCTestCase {
    /// `\s \S \d \D \w \W` are read from the UnicodeSets ICU's regex compiler uses for them:
    /// the same units as ICU's regexes match, scanned over the whole BMP (alone and in a class).
    func testClassEscapesReadAsSetsAreWhatICUMatches() throws {
        for (escape, _) in RegexCharacterSets.classEscapeSets {
            for atom in [escape, "[^a" + escape + "]"] {
                let read = try XCTUnwrap(RegexCharacterSets().exactAtomSet(atom), atom)
                let scanned = try XCTUnwrap(RegexCharacterSets.scannedAtomSet(atom), atom)
                // (Surrogates are added to both alike when the atom may match a supplementary character.)
                let differing = (0...0xFFFF).filter { !(0xD800...0xDFFF).contains($0) && read.contains(UInt16($0)) != scanned.contains(UInt16($0)) }
                XCTAssertEqual(differing.count, 0, "\(atom): \(differing.prefix(8).map { String($0, radix: 16) })")
            }
        }
    }

    func testFirstAndLastCharacters() {
        let sets = RegexCharacterSets()
        let first = sets.first(of: "[.!?]+(?=\\s)")
        XCTAssertTrue(first?.contains(u(".")) ?? false)
        XCTAssertFalse(first?.contains(u("a")) ?? true)
        XCTAssertNil(sets.first(of: "a*"), "a pattern that can match nothing starts anywhere")
        let last = sets.last(of: "\\b(?:Mr|Dr)\\.")
        XCTAssertEqual(last?.count, 1)
        XCTAssertTrue(last?.contains(u(".")) ?? false)
    }

    func testLastTwoUnderstandsTrailingLookBehinds() {
        let (last, second) = RegexCharacterSets().lastTwo(of: "\\.(?<=\\s[0-9]{1,2}\\.)(?:(?<=1\\.)|(?<=2\\.))")
        XCTAssertTrue(last?.contains(u(".")) ?? false)
        XCTAssertTrue(second?.contains(u("7")) ?? false)
        XCTAssertFalse(second?.contains(u("a")) ?? true)
    }

    func testPrefixFollowsLookAheads() {
        let prefix = RegexCharacterSets().prefix(of: "(?:\\.(?<=\\p{L}\\.))(?=\\s\\.\\s)", count: 3)
        XCTAssertTrue(prefix[0]?.contains(u(".")) ?? false)
        XCTAssertTrue(prefix[1]?.contains(u(" ")) ?? false)
        XCTAssertTrue(prefix[2]?.contains(u(".")) ?? false)
        XCTAssertFalse(prefix[2]?.contains(u("A")) ?? true)
    }

    func testCaseInsensitiveAtomsIncludeBothCases() {
        let first = RegexCharacterSets().first(of: "(?i)abc")
        XCTAssertTrue(first?.contains(u("A")) ?? false)
        XCTAssertTrue(first?.contains(u("a")) ?? false)
    }

    func testSupplementaryCharactersKeepSetsConservative() {
        let first = RegexCharacterSets().first(of: "\\p{L}x")
        XCTAssertTrue(first?.contains(0xD835) ?? false) // high surrogate of 𝒜
    }
}
