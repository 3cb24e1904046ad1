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
}
