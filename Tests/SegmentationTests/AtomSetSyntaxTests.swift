import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// The character sets of rule atoms (`[.!?…]`, `[^\s•(]`, `\p{Lu}`) are worked out from their
/// syntax where it is simple; they must be exactly what ICU itself matches, measured over the BMP.
final class AtomSetSyntaxTests: XCTestCase {
    /// True when the atom's set worked out from its syntax equals ICU's; nil when the syntax is
    /// left to ICU.
    private func agrees(_ atom: String, _ sets: RegexCharacterSets) -> Bool? {
        guard let composed = sets.composedAtomSet(Array(atom.unicodeScalars)) else { return nil }
        return composed == RegexCharacterSets.scannedAtomSet(atom)
    }

    func testAtomsOfEveryRealSRXFileAgreeWithICU() throws {
        let files = ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi_default_icu4j.srx"]
        var all = [try SRXRules.builtIn()]
        for name in files { all.append(try SRXRules(contentsOf: TestPaths.sharedFile("data/segmentation/srx/\(name)").path)) }
        let sets = RegexCharacterSets()
        for rules in all {
            let translator = RegexTranslator(dialect: rules.regexDialect)
            for languageRule in rules.languageRules {
                for rule in languageRule.rules {
                    for pattern in [rule.beforeBreak, rule.afterBreak] where !pattern.isEmpty {
                        guard let icu = try? translator.translate(pattern).pattern else { continue }
                        _ = sets.first(of: icu)
                        _ = sets.lastTwo(of: icu)
                        _ = sets.prefix(of: icu, count: 3)
                        _ = sets.afterSkip(of: icu)
                    }
                }
            }
        }
        var composed = 0
        var differing: [String] = []
        for atom in sets.measuredAtoms where !atom.hasPrefix("(?i)") {
            guard let same = agrees(atom, sets) else { continue }
            composed += 1
            if !same { differing.append(atom) }
        }
        XCTAssertEqual(differing, [], "sets worked out from the syntax differ from ICU's")
        // Most atoms of real rules are simple classes: the comparison must have covered them.
        XCTAssertGreaterThan(composed, 60)
    }

    func testEdgeCasesAgreeWithICU() {
        let sets = RegexCharacterSets()
        let atoms = [#"[^\s•◦▪‣⁃·(]"#, #"[-a]"#, #"[a-]"#, #"[\-–—]"#, #"[\p{L}\p{N}._%+\-]"#, #"[\P{L}]"#, #"\P{Lu}"#,
                     #"[\t\n\r\f\a\e]"#, #"\x41"#, #"\x{41}"#, #"[\x{1F600}]"#, #"[\\\]]"#, #"[^\d]"#, #"[\w']"#, #"\S"#,
                     #"[\u00C0-\u00FF]"#, #"[^a-z]"#, #"[{}$.*+?|()]"#, #"\u2028"#, "[ \u{A0}]"]
        for atom in atoms {
            XCTAssertEqual(agrees(atom, sets), true, atom)
        }
        // Shapes left to ICU as a whole (ICU rejects `\pL`: it wants braces).
        for atom in [#"[a-z&&[^aeiou]]"#, #"[[:alpha:]]"#, #"[\p{L}--[a]]"#, #"[a-\x{10FFFF}]"#, #"\Qa\E"#, #"[\s-x]"#, #"\0101"#, #"\pL"#] {
            XCTAssertNil(sets.composedAtomSet(Array(atom.unicodeScalars)), atom)
        }
    }
}
