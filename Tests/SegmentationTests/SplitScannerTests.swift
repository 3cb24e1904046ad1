import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// A break rule written as `P(?:B1|…|Bn)` is scanned as `P` then each branch alone (ICU copies a
/// frame sized by the whole pattern at every backtracking step, so one branch alone is far
/// cheaper). That must find exactly the matches of the whole pattern.
final class SplitScannerTests: XCTestCase {
    /// End of the match at each position of `text`: the whole pattern's, and the split one's.
    private func ends(_ pattern: String, prefix: String, branches: [String], in text: String) throws -> (whole: [Int?], split: [Int?]) {
        let units = Array(text.utf16)
        let whole = try ICURegex.compile(pattern)
        let head = try ICURegex.compile(prefix.isEmpty ? "(?:)" : prefix)
        let parts = try branches.map { try ICURegex.compile("(?:\($0))") }
        return units.withUnsafeBufferPointer { buffer in
            for r in [whole, head] + parts { r.setText(buffer.baseAddress, count: buffer.count) }
            var w: [Int?] = [], s: [Int?] = []
            for i in 0...buffer.count {
                w.append(whole.matchEnd(at: i))
                var found: Int? = nil
                if let p = head.matchEnd(at: i) {
                    for part in parts { if let e = part.matchEnd(at: p) { found = e; break } }
                }
                s.append(found)
            }
            return (w, s)
        }
    }

    /// Texts with lists in running text, markers that are not lists, and none at all.
    private var texts: [String] {
        get throws {
            var result = [
                "Il faut : 1. acheter du pain 2. rentrer 3. Manger. Voir p. 12 et q. 4.",
                "Options: a) the first b) the second c) the third. Then (i) one (ii) two (iii) three.",
                "Steps: 1.) Open it 2.) Close it. See (e) and f) above; A) First B) Second.",
                "Punkte: • 1. Erstens • 2. Zweitens (vgl. S. 5) v. Chr. und ii. iii.",
                "Le chapitre (voir p. 45), la note e) puis f), x) et y) z).",
            ]
            let cases = try GoldCase.load(TestPaths.sharedFile("data/segmentation/golden/en.jsonl")).prefix(60)
            result += cases.map(\.text)
            return result
        }
    }

    func testBuiltInListRuleIsSplitAndFindsTheSameMatches() throws {
        let sets = RegexCharacterSets()
        var split = 0
        for languageRule in try SRXRules.builtIn().languageRules {
            for rule in languageRule.rules where rule.isBreak && !rule.beforeBreak.isEmpty {
                guard let (prefix, branches) = sets.splitAlternatives(of: rule.beforeBreak, minimumBranches: 8) else { continue }
                split += 1
                XCTAssertGreaterThan(branches.count, 50)
                for text in try texts {
                    let (whole, parts) = try ends("(?:\(rule.beforeBreak))", prefix: prefix, branches: branches, in: text)
                    XCTAssertEqual(whole, parts, text)
                    if text.hasPrefix("Il faut") { XCTAssertTrue(whole.contains { $0 != nil }, "the list rule should fire in: \(text)") }
                }
            }
        }
        XCTAssertEqual(split, 1, "the Common list rule is the one long alternation of verso.srx")
    }

    func testSplitsOnlyWhenThePrefixMatchesOneWay() {
        let sets = RegexCharacterSets()
        let branches = (0..<8).map { "x\($0)" }.joined(separator: "|")
        // A run the branches can start with, or a lazy run, could be matched in several ways.
        XCTAssertNil(sets.splitAlternatives(of: "a\\)?(?:\\)b|\(branches))", minimumBranches: 8))
        XCTAssertNil(sets.splitAlternatives(of: "a\\)*?(?:\(branches))", minimumBranches: 8))
        // Groups, back-references, inline flags and too few branches are left alone.
        XCTAssertNil(sets.splitAlternatives(of: "(a|b)c(?:\(branches))", minimumBranches: 8))
        XCTAssertNil(sets.splitAlternatives(of: "(a)(?:\\1|\(branches))", minimumBranches: 8))
        XCTAssertNil(sets.splitAlternatives(of: "(?i)a(?:\(branches))", minimumBranches: 8))
        XCTAssertNil(sets.splitAlternatives(of: "a(?:x|y)", minimumBranches: 8))
        // The alternation must end the pattern.
        XCTAssertNil(sets.splitAlternatives(of: "a(?:\(branches))b", minimumBranches: 8))
        let ok = sets.splitAlternatives(of: "[.)](?<=[a-z].)\\)?(?:\(branches))", minimumBranches: 8)
        XCTAssertEqual(ok?.prefix, "[.)](?<=[a-z].)\\)?")
        XCTAssertEqual(ok?.branches, (0..<8).map { "x\($0)" })
    }

    /// A branch is tried with ICU only when the units before it can end its look-behind (last
    /// two, then its program) and the two units it must read ahead (`requiredPair`) stand within
    /// reach: wherever ICU finds a match of a branch, at every position of the texts, of every
    /// split rule of every SRX file we ship or test against, `branchMayMatch` must say so.
    func testBranchFiltersHoldWhereverABranchMatches() throws {
        var rulesFiles = [try SRXRules.builtIn()]
        for name in ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"] {
            rulesFiles.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path))
        }
        var texts = try texts
        for language in ["fr", "de", "ru", "el", "hy", "ja"] {
            texts += try GoldCase.load(TestPaths.sharedFile("data/segmentation/golden/\(language).jsonl")).prefix(30).map(\.text)
        }
        texts.append("Liste : 1. un 𝐀 2. deux 😀 3. trois. Puis a) x b) y 𝓍) et i. ii. iii. iv. Fin.")
        let unitTexts = texts.map { Array($0.utf16) }
        var checked = 0, matches = 0
        var seen = Set<String>()
        for rules in rulesFiles {
            for language in ["fr", "en", "de", "ru", "pl", "ja"] {
                guard let compiled = try? CompiledSRX(rules: rules, language: language, options: SRXCompileOptions()) else { continue }
                // Each split rule's branch tests are a table of their own (analysed when asked).
                for r in compiled.rules.indices where !compiled.rules[r].scanBranches.isEmpty {
                  let table = compiled.branchTable(forRule: r)
                  let start = Int(compiled.table.entries[r].scanBranchStart)
                  for b in compiled.rules[r].scanBranches.indices {
                    let pattern = compiled.branchPatterns[start + b]
                    guard seen.insert(pattern).inserted else { continue }
                    let regex = try ICURegex.compile(pattern)
                    checked += 1
                    for units in unitTexts {
                        units.withUnsafeBufferPointer { buffer in
                            regex.setText(buffer.baseAddress, count: buffer.count)
                            for p in 0..<buffer.count where regex.matches(at: p) {
                                matches += 1
                                XCTAssertTrue(table.branchMayMatch(b, at: p, in: buffer), "\(pattern) matches at \(p) of \(String(decoding: units, as: UTF16.self))")
                            }
                            regex.setText(nil, count: 0)
                        }
                    }
                  }
                }
            }
        }
        XCTAssertGreaterThan(checked, 50, "the list rule has 88 branches")
        let french = try Segmenter(language: "fr").compiled
        let listRule = try XCTUnwrap(french.rules.firstIndex { !$0.scanBranches.isEmpty })
        let list = french.branchTable(forRule: listRule)
        XCTAssertEqual(french.rules[listRule].scanBranches.count, 88)
        XCTAssertGreaterThan((0..<88).filter { list.branchPairReach[$0] >= 0 }.count, 80, "most branches of the list rule should have a required pair")
        XCTAssertGreaterThan((0..<88).filter { list.branchSecondLastSets[$0] == -2 }.count, 80, "most branches of the list rule should have their item marker second to last")
        XCTAssertGreaterThan(matches, 5, "the texts should hold lists")
    }

    /// The list rule's 88 branches are analysed only when a text first reaches them (a one-file
    /// run whose text has no list pays nothing for them), once for all matchers, and the breaks
    /// are the same either way.
    func testListRuleBranchesAreAnalysedOnlyWhenATextReachesThem() throws {
        let rules = try SRXRules.builtIn()
        let compiled = try CompiledSRX(rules: rules, language: "fr", options: SRXCompileOptions(), patternsKnownValid: true)
        func breaks(_ text: String) -> [Int] {
            let units = Array(text.utf16)
            return units.withUnsafeBufferPointer { buffer in compiled.withMatcher { $0.breaks(in: buffer) } }
        }
        XCTAssertEqual(breaks("Bonjour. Au revoir. Il est parti !"), [8, 19])
        XCTAssertEqual(compiled.analysedBranchTableCount, 0, "no item marker: the branches are not needed")
        let list = "Il faut : 1. un 2. deux 3. trois. Puis a) x b) y. Fin."
        let expected = breaks(list)
        XCTAssertEqual(compiled.analysedBranchTableCount, 1)
        let eager = try CompiledSRX(rules: rules, language: "fr", options: SRXCompileOptions())
        let units = Array(list.utf16)
        XCTAssertEqual(units.withUnsafeBufferPointer { buffer in eager.withMatcher { $0.breaks(in: buffer) } }, expected)
        XCTAssertEqual(breaks(list), expected)
        XCTAssertEqual(compiled.analysedBranchTableCount, 1, "analysed once")
    }

    /// The compiler reuses parses: a scanner's is built from its beforebreak's and afterbreak's
    /// (`noteScanner`), a split rule's prefix and branches are taken from the rule's. Every
    /// question the compiler asks of them must get the answer their own text gives, for every
    /// break rule of every SRX file we ship or test against.
    func testReusedParsesAnswerLikeTheirText() throws {
        var rulesFiles = [try SRXRules.builtIn()]
        for name in ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"] {
            rulesFiles.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path))
        }
        var scanners = 0, branches = 0
        for rules in rulesFiles {
            let translator = RegexTranslator(dialect: rules.regexDialect)
            for languageRule in rules.languageRules {
                for rule in languageRule.rules where rule.isBreak && !rule.beforeBreak.isEmpty {
                    guard let before = try? translator.translate(rule.beforeBreak).pattern,
                          let after = try? translator.translate(rule.afterBreak).pattern else { continue }
                    let scanner = rule.afterBreak.isEmpty ? "(?:\(before))" : "(?:\(before))(?=\(after))"
                    let reused = RegexCharacterSets(), fresh = RegexCharacterSets()
                    let split = reused.splitAlternatives(of: before, minimumBranches: 8)
                    reused.noteScanner(scanner, before: before, after: rule.afterBreak.isEmpty ? nil : after)
                    XCTAssertEqual(reused.first(of: scanner), fresh.first(of: scanner), scanner)
                    XCTAssertEqual(reused.prefix(of: scanner, count: 3), fresh.prefix(of: scanner, count: 3), scanner)
                    XCTAssertEqual(reused.guardLookBehind(of: before, atEnd: false), fresh.guardLookBehind(of: before, atEnd: false), before)
                    scanners += 1
                    guard let (prefix, parts) = split else { continue }
                    XCTAssertEqual(reused.first(of: prefix), fresh.first(of: prefix), prefix)
                    for branch in parts {
                        XCTAssertEqual(reused.leadingLookBehind(of: branch), fresh.leadingLookBehind(of: branch), branch)
                        let (a, b) = (reused.requiredPair(of: branch), fresh.requiredPair(of: branch))
                        XCTAssertEqual(a?.first, b?.first, branch)
                        XCTAssertEqual(a?.second, b?.second, branch)
                        XCTAssertEqual(a?.maxOffset, b?.maxOffset, branch)
                        XCTAssertEqual(reused.first(of: branch), fresh.first(of: branch), branch)
                        branches += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(scanners, 50)
        XCTAssertGreaterThan(branches, 80, "the list rule has 88 branches")
    }

    func testRequiredPairIsTakenFromAtomsThatMustFollowOneAnother() throws {
        let sets = RegexCharacterSets()
        // The list rule's shape: "q" then "." or ")" in the look-ahead, after a run of at most
        // 250 characters (500 units) and two single characters, the second optional.
        let pair = try XCTUnwrap(sets.requiredPair(of: "[ \\t][^\\n]{0,250}?(?=[ \\t]\\(?q(?:\\.\\)?|[)）])[ \\t])"))
        XCTAssertEqual(pair.first, sets.exactAtomSet("q"))
        XCTAssertEqual(pair.second, sets.exactAtomSet("[.)）]"))
        XCTAssertEqual(pair.maxOffset, 1 + 500 + 1 + 1)
        // Case-insensitive atoms stand for both cases.
        let folded = try XCTUnwrap(sets.requiredPair(of: "(?i)ab"))
        XCTAssertTrue(folded.first.contains(0x41) && folded.first.contains(0x61), "A and a")
        // Nothing certain: an optional second item, an alternation, an unbounded run before
        // the pair, a negative look-ahead, a supplementary character as the first atom.
        XCTAssertNil(sets.requiredPair(of: "ab?"))
        XCTAssertNil(sets.requiredPair(of: "(?:ab|cd)"))
        XCTAssertNil(sets.requiredPair(of: "x*ab"))
        XCTAssertNil(sets.requiredPair(of: "(?!ab)"))
        XCTAssertNil(sets.requiredPair(of: "\\x{1D400}b"))
        // Inside a plain group it still counts.
        XCTAssertEqual(sets.requiredPair(of: "x{2}(?:ab)")?.maxOffset, 2)
    }
}
