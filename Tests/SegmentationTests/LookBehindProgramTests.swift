import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// Guards are read from the units before a position by a bitmap program instead of ICU
/// (`LookBehindProgram`). Its answer must be ICU's at every position of real text, for every
/// guard of every SRX file we ship or test against.
final class LookBehindProgramTests: XCTestCase {
    func testGuardProgramsAgreeWithICUAtEveryPosition() throws {
        let texts = try RuleSweep.texts()
        var programs = 0
        var seen = Set<String>()
        try RuleSweep.forEachCompiled { compiled in
            for (i, rule) in compiled.rules.enumerated() {
                let entry = compiled.table.entries[i]
                guard entry.guardProgram >= 0 else { continue }
                // Guards are compiled lazily, and one ICU refuses would hold everywhere (see
                // SRXMatcher.guardHolds) while its program still answered: none may be refused.
                let pattern = compiled.regexes.sources[Int(entry.guardRegex)].pattern
                guard let regex = try? ICURegex.compile(pattern) else {
                    XCTFail("ICU refuses guard \(pattern) (\(rule.source.location))")
                    continue
                }
                guard seen.insert(regex.pattern).inserted else { continue }
                programs += 1
                RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                    var gaveUp = false
                    let found = compiled.table.lookBehind(entry.guardProgram, 1, in: buffer, at: p, gaveUp: &gaveUp) != 0
                    if gaveUp { return }
                    let icu = regex.matches(at: p)
                    if entry.guardExact {
                        XCTAssertEqual(found, icu, "\(regex.pattern) at \(p) in \(text) (\(rule.source.location))")
                    } else if icu {
                        XCTAssertTrue(found, "\(regex.pattern) at \(p) in \(text) (\(rule.source.location))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(programs, 10, "most guards should get a program")
        print("guard programs checked:", programs)
    }

    /// The branches of a split break rule are ruled out by the program of the look-behind each
    /// starts with: wherever ICU finds that look-behind, the program must not say "no".
    func testBranchProgramsNeverRuleOutWhatICUFinds() throws {
        let texts = try RuleSweep.texts(["Il faut : A) un B) deux C) trois. Puis (M) et N.) puis x) y) z) (iv) v. vi. Fin."])
        let sets = RegexCharacterSets()
        var programs = 0
        var seen = Set<String>()
        try RuleSweep.forEachCompiled { compiled in
            for r in compiled.rules.indices where !compiled.rules[r].scanBranches.isEmpty {
                let branches = compiled.branchTable(forRule: r)
                let start = Int(compiled.table.entries[r].scanBranchStart)
                for k in compiled.rules[r].scanBranches.indices {
                    let pattern = compiled.branchPatterns[start + k]
                    let program = branches.branchPrograms[k]
                    guard program >= 0, seen.insert(pattern).inserted else { continue }
                    let lookBehind = "(?<=\(try XCTUnwrap(sets.leadingLookBehind(of: pattern), pattern)))"
                    let regex = try ICURegex.compile(lookBehind)
                    programs += 1
                    RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                        guard regex.matches(at: p) else { return }
                        var gaveUp = false
                        let found = branches.lookBehind(program, 1, in: buffer, at: p, gaveUp: &gaveUp) != 0
                        XCTAssertTrue(found || gaveUp, "\(lookBehind) at \(p) in \(text)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(programs, 80, "every branch of the built-in list rule should get a program")
    }

    /// A guard's windows rule out places before its program runs (`SRXMatcher.guardHolds`):
    /// wherever ICU finds the guard, some window must let the units before it through.
    func testGuardWindowsNeverRuleOutWhatICUFinds() throws {
        let texts = try RuleSweep.texts(["a. b. 1. 22. iv. I. J.-P. (a) x) 12.) « Il dit. » ”. Étape 3. M. Mme. av. J.-C. U.S.A. c.-à-d. P.-S. s. t. n° 5."])
        var guards = 0
        var ruledOut = 0
        var seen = Set<String>()
        try RuleSweep.forEachCompiled { compiled in
            let table = compiled.table
            for (i, rule) in compiled.rules.enumerated() {
                let entry = table.entries[i]
                guard entry.guardWindowSlot >= 0 else { continue }
                XCTAssertTrue(entry.guardWindowCount > 0 && entry.guardWindowCount <= 8)
                let pattern = compiled.regexes.sources[Int(entry.guardRegex)].pattern
                let regex = try ICURegex.compile(pattern)
                guard seen.insert(regex.pattern).inserted else { continue }
                guards += 1
                let depth = RuleTable.guardWindowDepth
                RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                    guard p >= depth, !buffer[(p - depth)..<p].contains(where: { $0 & 0xF800 == 0xD800 }) else { return }
                    var passes = false
                    for k in 0..<Int(entry.guardWindowCount) {
                        let w = (Int(entry.guardWindowStart) + k) * depth
                        if (0..<depth).allSatisfy({ table.contains(table.guardWindows[w + $0], buffer[p - 1 - $0]) }) { passes = true }
                    }
                    if !passes {
                        ruledOut += 1
                        XCTAssertFalse(regex.matches(at: p), "\(regex.pattern) at \(p) in \(text) (\(rule.source.location))")
                    }
                    // The third-to-last test of the no-break rule masks is the windows' union.
                    if !rule.isBreak && !table.contains(entry.guardThirdLastSet, buffer[p - 3]) {
                        XCTAssertFalse(passes, "\(regex.pattern) at \(p) in \(text)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(guards, 10, "most guards should get windows")
        XCTAssertGreaterThan(ruledOut, 1000, "windows should rule out most places")
    }

    func testWindowsFollowEachWayThroughThePattern() throws {
        let sets = RegexCharacterSets()
        // Two ways: "x." after a space (the negative look-behind's class left out), and "xy)".
        let program = try XCTUnwrap(LookBehindProgram(lookBehind: "(?<=(?<![\\p{L}])x\\.|xy\\))", sets: sets))
        let windows = try XCTUnwrap(program.windows(depth: 3, limit: 32))
        XCTAssertEqual(windows.count, 2)
        var notLetters = try XCTUnwrap(sets.exactAtomSet("[\\p{L}]"))
        notLetters.invert()
        XCTAssertEqual(windows[0], [sets.exactAtomSet("\\."), sets.exactAtomSet("x"), notLetters])
        XCTAssertEqual(windows[1], [sets.exactAtomSet("\\)"), sets.exactAtomSet("y"), sets.exactAtomSet("x")])
        // A repetition: one or two digits, then whatever stands before (nothing is known there).
        let repeated = try XCTUnwrap(LookBehindProgram(lookBehind: "(?<=[0-9]{1,2}x)", sets: sets))
        XCTAssertEqual(repeated.windows(depth: 3, limit: 32)?.count, 2)
        XCTAssertNil(repeated.windows(depth: 3, limit: 1))
    }

    func testUnitsAtADistanceFollowEveryWayToEnd() throws {
        let sets = RegexCharacterSets()
        let program = try XCTUnwrap(LookBehindProgram(lookBehind: "(?<=(?<![^\\s(])\\(?p(?:\\.\\)?|[)）]))", sets: sets))
        XCTAssertEqual(program.units(atDistance: 1), sets.exactAtomSet("[.)）]"))
        XCTAssertEqual(program.units(atDistance: 2), sets.exactAtomSet("[p.]"))
        // Some matches ("p." or "p)") are two units long: nothing is certain three back.
        XCTAssertNil(program.units(atDistance: 3))
        let repeated = try XCTUnwrap(LookBehindProgram(lookBehind: "(?<=[0-9]{1,2}x)", sets: sets))
        XCTAssertEqual(repeated.units(atDistance: 2), sets.exactAtomSet("[0-9]"))
        XCTAssertNil(repeated.units(atDistance: 3))
    }

    func testUnsupportedSyntaxGetsNoProgram() {
        let sets = RegexCharacterSets()
        // A run longer than the bitmask reaches is read only where it ends a look-behind, and
        // not possessive.
        for pattern in ["(?<=a+)", "(?<=(?i)a\\.)", "(?<=(?<!a(?=b))c)", "(?<=.a)", "(?<=a$)", "(?<=\\1a)", "(?<=a{2,})", "(?<=a{70}b)",
                        "(?<=b|a{70})", "(?<=(?:a{70}))", "(?<=a{70}+)", "(?<=x(?<=b[a-z]{70}+))", "(?<=[a-z]{70}(?<=b[a-z]{70}))"] {
            XCTAssertNil(LookBehindProgram(lookBehind: pattern, sets: sets), pattern)
        }
        for pattern in ["(?<=\\s[0-9]{1,2}\\.)", "(?<=(?<![\\p{L}\\p{N}])\\p{L}\\.)", "(?<=(?:\\p{Ll}{2}|[)\\]])\\.)", "(?<=a(?<=\\sa))", "(?<=(?:^|\\s)a)", "(?<=\\ba\\.)",
                        "(?<=a{70})", "(?<=x(?<=b[a-z]{1,300}?))"] {
            XCTAssertNotNil(LookBehindProgram(lookBehind: pattern, sets: sets), pattern)
        }
        XCTAssertEqual(LookBehindProgram(lookBehind: "(?<=a{1,3}+b)", sets: sets)?.exact, false)
        // A look-ahead is left out: only "no match" is certain.
        XCTAssertEqual(LookBehindProgram(lookBehind: "(?<=a(?=b)[.)])", sets: sets)?.exact, false)
        XCTAssertEqual(LookBehindProgram(lookBehind: "(?<=a(?![a-z])\\.)", sets: sets)?.exact, false)
    }

    /// A look-behind that ends in a run of one class longer than the bitmask reaches (the list
    /// rules' `(?<=(?<![^\\s•(])1\\.[^\\n]{1,300})`, a URL rule's `[^\\s]{0,200}`) is read
    /// back unit by unit, what precedes the run tried wherever it may begin: ICU's answer at
    /// every position, or a hand-over to ICU (a surrogate in the run).
    func testLongRunLookBehindsAgreeWithICU() throws {
        let sets = RegexCharacterSets()
        let patterns = [
            "(?<=\\.(?<=\\s[0-9]{1,2}\\.)(?:(?<=(?<![\\p{L}\\p{N}])2(?:\\.\\)?|\\)))(?<=(?<![^\\s•(])1(?:\\.\\)?|[)）])[^\\n]{1,300})|(?<=(?<![\\p{L}\\p{N}])3(?:\\.\\)?|\\)))(?<=(?<![^\\s•(])2(?:\\.\\)?|[)）])[^\\n]{1,300})))",
            "(?<=\\)(?:(?<=b\\.\\)?|b\\))(?<=(?<![^\\s•(])\\(?a(?:\\.\\)?|\\))[^\\n]{1,300})))",
            "(?<=(?:\\b(?:https?|ftp)://|\\bwww\\.)[^\\s]{0,200})",
            "(?<=a(?<!b[^\\n]{2,80}?))",
            "(?<=x[a-z ]{70})",
            "(?<=[^\\n]{63,100})",
            "(?<=(?<=^[a-z]{0,64}) )",
        ]
        let long = String(repeating: "abc de ", count: 14)
        let texts = [
            "Voici 1. le premier point 2. le second 3) et le troisième.\n2. Non 1) oui (2) puis 3. fin 2.",
            "Liste : 1. " + long + " 2. " + long + long + long + " 3. trop loin. 1.\n 2. x",
            "Cas : a) un b) deux (a) trois b. quatre a. " + long + " b) cinq",
            "Voir https://example.org/a.b puis www.verso.fr/x. Fin. ftp://x.y z (www.a.b c)",
            "b" + long + "a a " + long + "b a ba",
            "x" + long + long + " x" + long,
            "1. un 𝐀 deux 2. trois 😀 www.a😀b.c 3. x",
            long + long + " " + long,
        ]
        for pattern in patterns {
            let program = try XCTUnwrap(LookBehindProgram(lookBehind: pattern, sets: sets), pattern)
            XCTAssertTrue(program.exact, pattern)
            let anchored = try XCTUnwrap(AnchoredProgram(pattern: pattern, sets: sets), pattern)
            let table = RuleTable(rules: [], wordLists: [], triggered: [], searched: [], anchored: [0: anchored], regexCount: 1)
            let regex = try ICURegex.compile(pattern)
            var answered = 0, matched = 0
            RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                let end = table.anchoredEnd(table.anchoredPrograms[0], in: buffer, at: p, limit: buffer.count)
                guard end != -2 else { return }
                answered += 1
                if end >= 0 { matched += 1 }
                XCTAssertEqual(end >= 0, regex.matches(at: p), "\(pattern) at \(p) in \(text)")
            }
            XCTAssertGreaterThan(answered, 100, pattern)
            XCTAssertGreaterThan(matched, 0, pattern)
        }
    }
}
