import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// Anchored matches of afterbreaks, scanners and look-behinds are found by a bitmap program
/// instead of ICU when the pattern allows (`AnchoredProgram`). Where the program answers, its
/// answer must be ICU's, at every position of real text, for every such pattern of every SRX
/// file we ship or test against.
final class AnchoredProgramTests: XCTestCase {
    /// The regexes of `compiled` the matcher matches anchored at one place.
    private func anchoredRegexes(_ compiled: CompiledSRX) -> [Int] {
        var ids: [Int] = []
        for rule in compiled.rules {
            ids += [rule.afterRegex, rule.scannerRegex, rule.scanPrefixRegex].compactMap { $0 }
            switch rule.before {
            case .lookBehind(let regex): ids.append(regex)
            case .wordList(_, let tail, _): if let tail { ids.append(tail) }
            case .always: break
            }
        }
        return ids
    }

    func testProgramsAgreeWithICUAtEveryPosition() throws {
        let texts = try RuleSweep.texts([
            "M. Dupont arrive. Mme Durand, av. J.-C. 52 ; p. ex. Aujourd’hui. Cf. art. L. 121-1 et vol. III, c.-à-d. rien.",
            "« Il faut agir ! » Il est parti. « Vraiment ? » demanda-t-il. Fin.» ) x. Oui.” ] Non.[12] Puis.[3-4, 7] Et. [1,] Là.",
            "Étape 1. Retirez le capot. Étape 2. Dévissez. XIXe s. Le N.B. et le P.-S. suivent. Ph. D. sept. 1620. 1. -2 n° 5",
            "a.\u{2028}b. c!\u{0085}d? e…\r\nF. g.\n\n  h. www.example.com/a. x@y.fr. Wait... . . . And . . . . Yes. U.S.A. Inc. Ltd. Mr. Smith.",
            "1) un 2) deux 3) trois. a) x b) y. i. un ii. deux. (1) un (2) deux. 12.) et 13.)",
        ], perLanguage: 12) // (over 2,000 patterns: fewer texts than the guards' test)
        var programs = 0, answered = 0, gaveUp = 0
        var seen = Set<String>()
        try RuleSweep.forEachCompiled { compiled in
            for id in anchoredRegexes(compiled) {
                let pattern = compiled.regexes.sources[id].pattern
                guard seen.insert(pattern).inserted, let table = compiled.anchoredTable(forRegex: id) else { continue }
                // Every pattern given a program is one ICU compiles (bounded look-behinds need no fallback).
                let regex = try ICURegex.compile(pattern)
                programs += 1
                let root = table.anchoredPrograms[0]
                RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                    let end = table.anchoredEnd(root, in: buffer, at: p, limit: buffer.count)
                    if end == -2 {
                        gaveUp += 1
                    } else {
                        answered += 1
                        XCTAssertEqual(end, regex.matchEnd(at: p) ?? -1, "\(pattern) at \(p) in \(text)")
                    }
                    // With a look-ahead limit (ICU's region) a few units on.
                    let limit = p + 3
                    guard limit < buffer.count else { return }
                    let bounded = table.anchoredEnd(root, in: buffer, at: p, limit: limit)
                    if bounded != -2 {
                        XCTAssertEqual(bounded, regex.matchEnd(at: p, limit: limit) ?? -1, "\(pattern) at \(p) before \(limit) in \(text)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(programs, 100, "most afterbreaks and scanners should get a program")
        XCTAssertGreaterThan(answered, 50 * gaveUp, "programs should rarely leave the answer to ICU")
        print("anchored programs checked:", programs, "answers:", answered, "left to ICU:", gaveUp)
    }

    func testProofAcceptsOnlyPatternsItCanMatchWithoutBacktracking() {
        let sets = RegexCharacterSets()
        let accepted = [
            "\\s++\\p{Lu}", "[ \\t]*+[»”)]", "[0-9]{1,3}[.)]", "\\s?D\\.", "(?:\\r?\\n|\\r(?!\\n)|[\\u2028])",
            "(?:[.!?…]++(?:[\"»)]|\\[[0-9]{1,3}(?:[-–,][0-9]{1,3})*\\])*+)(?=\\s)",
            // Branches that may both match: decided when the text is read.
            "(?:ab|a)(?=[\\s,])", "(?:[»”][»”]*+(?:\\s*+[)\\]])?)(?=\\s++[A-Z])", "(?:ab)*a",
            "\\.(?<=[0-9]\\.)", "(?!x)[a-z]", "\\.(?<=\\bc\\.)",
        ]
        for pattern in accepted {
            XCTAssertNotNil(AnchoredProgram(pattern: pattern, sets: sets), pattern)
        }
        let refused = [
            // Giving back a unit could let what follows match.
            "a*a", "[a-z]{1,3}[a-c]", "[^\\n]{0,300}?\\s2",
            // Two passes or more required: what follows each would need a proof too.
            "(?:ab){2}c",
            // Lazy: ICU's first match is the shortest.
            "a+?", "(?:ab)*?",
            // Outside the syntax.
            "\\ba", "a.", "(?i)a", "^a", "a$", "(a)\\1", "(?<=a+)b", "(?<=a(?=b))b",
        ]
        for pattern in refused {
            XCTAssertNil(AnchoredProgram(pattern: pattern, sets: sets), pattern)
        }
    }

    /// Texts made to take every way through the patterns above, including the places where two
    /// branches or two loop counts could go on (the program gives up there).
    func testCraftedPatternsAgreeWithICU() throws {
        let sets = RegexCharacterSets()
        let patterns = [
            "(?:ab|a)(?=[\\s,])", "(?:a|ab)(?=[\\s,b])", "(?:[»”][»”]*+(?:\\s*+[)\\]])?)(?=\\s++[A-Z])",
            "(?:[.!?…]++(?:[\"»)]|\\[[0-9]{1,3}(?:[-–,][0-9]{1,3})*\\])*+)(?=\\s)",
            "(?:x[0-9])*(?=\\s|x)", "\\s++(?:[-–—]+\\s*+)?[\"“(]*+(?![a-z][.)][ \\t])[a-z0-9]",
            "[0-9]{1,3}[.)]", "(?!x)[a-z]++(?<=[a-c]{2})", "(?:ab)*a", "[.)](?<=\\b[a-z][.)])",
        ]
        let texts = ["ab, a b ab a,b abb", "» ) A »  ] B ”) c »» D", "x. .» ok! [12] .[1-2,3] x.[1,] y?? z…) ", "x1x2 x3x x4\tx5", " - (a. b  -- \"1 x) q", "12) 1234. 7.", "abc bca cab 𝐀bc", "x\u{00A0}y", "ababa abab aab", "a. b) é.\u{0301}a\u{0301}. x\u{200E}y. 1a."]
        for pattern in patterns {
            let program = try XCTUnwrap(AnchoredProgram(pattern: pattern, sets: sets), pattern)
            let table = RuleTable(rules: [], wordLists: [], triggered: [], searched: [], anchored: [0: program], regexCount: 1)
            let regex = try ICURegex.compile(pattern)
            RuleSweep.forEachPosition(of: regex, in: texts) { buffer, p, text in
                let end = table.anchoredEnd(table.anchoredPrograms[0], in: buffer, at: p, limit: buffer.count)
                if end != -2 { XCTAssertEqual(end, regex.matchEnd(at: p) ?? -1, "\(pattern) at \(p) in \(text)") }
            }
        }
    }

    /// The sentence-end rule's scanner and the afterbreaks a French text reaches are matched by
    /// their programs: ICU never compiles them.
    func testPatternsWithProgramsAreNotCompiledByICU() throws {
        let compiled = try CompiledSRX(rules: SRXRules.builtIn(), language: "fr", options: SRXCompileOptions(), patternsKnownValid: true)
        let text = Array("M. Dupont arrive. « Il faut agir ! » Il est parti. Mme Durand aussi ; c’est tout.[12] Fin.".utf16)
        let breaks = text.withUnsafeBufferPointer { buffer in compiled.withMatcher { $0.breaks(in: buffer) } }
        XCTAssertFalse(breaks.isEmpty)
        let sentenceEnd = try XCTUnwrap(compiled.rules.firstIndex { $0.isBreak && $0.source.beforeBreak.hasPrefix("[.!?…") })
        let scanner = try XCTUnwrap(compiled.rules[sentenceEnd].scannerRegex)
        XCTAssertNotNil(compiled.anchoredTable(forRegex: scanner))
        XCTAssertFalse(compiled.regexes.isCompiled(scanner))
        for rule in compiled.rules {
            guard let after = rule.afterRegex, compiled.anchoredTable(forRegex: after) != nil else { continue }
            XCTAssertFalse(compiled.regexes.isCompiled(after), compiled.regexes.sources[after].pattern)
        }
    }
}
