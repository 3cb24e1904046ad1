import Alignment
import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest

/// What the aligner does with awkward input: empty sides, texts of very different lengths,
/// texts that are not translations of each other, missing passages, glossary anchors.
final class AlignerBehaviourTests: XCTestCase {
    private func document(_ set: String, _ name: String) throws -> (source: [String], target: [String], gold: [AlignmentEvaluation.Link]) {
        let gold = try GoldSetTests.load(set)
        let doc = try XCTUnwrap(gold.documents.first { $0.name == name })
        let links = gold.gold.compactMap { link -> AlignmentEvaluation.Link? in
            let inside = link.source.allSatisfy { doc.source.contains($0) } && link.target.allSatisfy { doc.target.contains($0) }
                && !(link.source.isEmpty && link.target.isEmpty)
            let touches = link.source.contains { doc.source.contains($0) } || link.target.contains { doc.target.contains($0) }
            guard inside && touches else { return nil }
            return AlignmentEvaluation.Link(source: link.source.map { $0 - doc.source.lowerBound }, target: link.target.map { $0 - doc.target.lowerBound })
        }
        return (Array(gold.source[doc.source]), Array(gold.target[doc.target]), links)
    }

    private func links(_ beads: [Bead]) -> [AlignmentEvaluation.Link] {
        beads.map { AlignmentEvaluation.Link(source: Array($0.source), target: Array($0.target)) }
    }

    private func assertPartition(_ beads: [Bead], _ n: Int, _ m: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(beads.flatMap { Array($0.source) }, Array(0..<n), file: file, line: line)
        XCTAssertEqual(beads.flatMap { Array($0.target) }, Array(0..<m), file: file, line: line)
        for bead in beads { XCTAssertTrue((0...1).contains(bead.confidence), file: file, line: line) }
    }

    func testEmptySourceWarnsAndLeavesEveryTargetSentenceUnaligned() throws {
        let (_, target, _) = try document("fr-en-literary-dev", "emma")
        let result = SentenceAligner().align(source: [], target: target)
        XCTAssertEqual(result.beads.count, target.count)
        XCTAssertTrue(result.beads.allSatisfy { $0.source.isEmpty && $0.target.count == 1 })
        XCTAssertEqual(result.warnings.map(\.code), ["align.empty-side"])
        XCTAssertTrue(result.warnings[0].message.contains("source"))
        assertPartition(result.beads, 0, target.count)
    }

    func testBothSidesEmpty() {
        let result = SentenceAligner().align(source: [], target: [])
        XCTAssertTrue(result.beads.isEmpty)
        XCTAssertEqual(result.warnings.map(\.code), ["align.empty"])
    }

    func testVeryDifferentLengthsWarnAndStillAlignWhatMatches() throws {
        let (source, target, gold) = try document("fr-en-literary-dev", "mohicans")
        let shortTarget = Array(target.prefix(40))
        let result = SentenceAligner().align(source: source, target: shortTarget)
        XCTAssertTrue(result.warnings.contains { $0.code == "align.length-mismatch" }, "\(result.warnings)")
        XCTAssertTrue(result.warnings.contains { $0.code == "align.unaligned-passage" && $0.message.contains("source") })
        assertPartition(result.beads, source.count, shortTarget.count)
        // The part that has a translation is still aligned right.
        let keptGold = gold.filter { $0.target.allSatisfy { $0 < 35 } && !$0.target.isEmpty && !$0.source.isEmpty }
        let predicted = Set(links(result.beads))
        let found = keptGold.filter { predicted.contains($0) }.count
        XCTAssertGreaterThan(Double(found) / Double(keptGold.count), 0.85)
    }

    func testTextsThatAreNotTranslationsOfEachOtherWarn() throws {
        let (french, _, _) = try document("fr-en-literary-dev", "abbe-mouret")
        let german = try GoldSetTests.load("de-fr-textberg-dev").source
        let result = SentenceAligner().align(source: Array(french.prefix(150)), target: Array(german.prefix(150)))
        XCTAssertTrue(result.warnings.contains { $0.code == "align.weak-evidence" }, "\(result.warnings.map(\.message))")
        assertPartition(result.beads, 150, 150)
        XCTAssertLessThan(result.statistics.anchorMatchRate, 0.2)
    }

    func testUntranslatedTargetWarns() throws {
        let (source, _, _) = try document("fr-en-literary-dev", "emma")
        let result = SentenceAligner().align(source: source, target: source)
        XCTAssertTrue(result.warnings.contains { $0.code == "align.same-text" })
        XCTAssertTrue(result.beads.allSatisfy { $0.source == $0.target }, "identical texts align 1-1")
    }

    func testMissingPassageIsReportedAndTheRestAligned() throws {
        let (source, target, gold) = try document("fr-en-literary-dev", "alice")
        let removed = 300..<500
        var shortened = target
        shortened.removeSubrange(removed)
        let result = SentenceAligner().align(source: source, target: shortened)
        assertPartition(result.beads, source.count, shortened.count)
        let run = try XCTUnwrap(result.unalignedRuns.max { $0.sentences.count < $1.sentences.count })
        XCTAssertEqual(run.side, 0)
        XCTAssertGreaterThan(run.sentences.count, 150, "the source sentences of the missing passage")
        XCTAssertTrue(result.warnings.contains { $0.code == "align.unaligned-passage" })
        // Outside the gap, the beads are those of the gold alignment.
        let outside = gold.filter { !$0.target.isEmpty && !$0.source.isEmpty && $0.target.allSatisfy { !removed.contains($0) } }
            .map { AlignmentEvaluation.Link(source: $0.source, target: $0.target.map { $0 >= removed.upperBound ? $0 - removed.count : $0 }) }
        let predicted = Set(links(result.beads))
        let found = outside.filter { predicted.contains($0) }.count
        XCTAssertGreaterThan(Double(found) / Double(outside.count), 0.9)
    }

    func testLongDocumentStaysInANarrowBand() throws {
        // Ten copies of the Text+Berg document: 4,680 source sentences.
        let set = try GoldSetTests.load("de-fr-textberg-dev")
        let copies = 10
        let source = Array(repeating: set.source, count: copies).flatMap { $0 }
        let target = Array(repeating: set.target, count: copies).flatMap { $0 }
        let result = SentenceAligner().align(source: source, target: target)
        assertPartition(result.beads, source.count, target.count)
        XCTAssertLessThanOrEqual(result.statistics.bandRadius, 100, "the band does not grow with the document")
        var gold: [AlignmentEvaluation.Link] = []
        for k in 0..<copies {
            gold += set.gold.map { AlignmentEvaluation.Link(source: $0.source.map { $0 + k * set.source.count }, target: $0.target.map { $0 + k * set.target.count }) }
        }
        var evaluation = AlignmentEvaluation()
        evaluation.add(reference: gold, prediction: links(result.beads))
        XCTAssertGreaterThan(evaluation.strictF1, 0.8)
    }

    func testConfidenceSeparatesRightBeadsFromWrongOnes() throws {
        let set = try GoldSetTests.load("de-fr-textberg-dev")
        let result = SentenceAligner().align(source: set.source, target: set.target)
        let gold = Set(set.gold)
        var right: [Double] = [], wrong: [Double] = []
        for bead in result.beads {
            let link = AlignmentEvaluation.Link(source: Array(bead.source), target: Array(bead.target))
            if gold.contains(link) { right.append(bead.confidence) } else { wrong.append(bead.confidence) }
        }
        let meanRight = right.reduce(0, +) / Double(right.count), meanWrong = wrong.reduce(0, +) / Double(wrong.count)
        XCTAssertGreaterThan(meanRight, meanWrong + 0.1)
        let threshold = AlignerConfiguration().reviewThreshold
        let confident = result.beads.filter { $0.confidence >= threshold }
        let confidentRight = confident.filter { gold.contains(AlignmentEvaluation.Link(source: Array($0.source), target: Array($0.target))) }
        XCTAssertGreaterThan(Double(confidentRight.count) / Double(confident.count), 0.85)
        XCTAssertEqual(result.statistics.lowConfidenceBeads, result.beads.count - confident.count)
    }

    /// Recognises made-up concepts by word, as a termbase would.
    struct WordAnchors: AnchorRecognizer {
        var source: [String: String]
        var target: [String: String]
        func sourceAnchors(in sentence: String) -> [String] { sentence.split(separator: " ").compactMap { source[String($0)] } }
        func targetAnchors(in sentence: String) -> [String] { sentence.split(separator: " ").compactMap { target[String($0)] } }
    }

    func testGlossaryAnchorsDecideWhereLengthCannot() {
        // Three source sentences of equal length, two target sentences one and a half times as
        // long: joining the first two or the last two fits the lengths equally well.
        let source = ["aaaa bbbb cccc dddd eeee", "ffff gggg hhhh iiii jjjj", "kkkk llll mmmm nnnn oooo"]
        let target = ["pppppp qqqqqq rrrrrr ssssss tttttt", "uuuuuu vvvvvv wwwwww xxxxxx yyyyyy"]
        let withSecond = SentenceAligner(configuration: AlignerConfiguration(
            anchors: WordAnchors(source: ["gggg": "c1"], target: ["vvvvvv": "c1"])))
        XCTAssertEqual(withSecond.align(source: source, target: target).beads.map(\.shape), ["1-1", "2-1"])
        let withFirst = SentenceAligner(configuration: AlignerConfiguration(
            anchors: WordAnchors(source: ["gggg": "c1"], target: ["qqqqqq": "c1"])))
        XCTAssertEqual(withFirst.align(source: source, target: target).beads.map(\.shape), ["2-1", "1-1"])
    }

    func testDictionaryErrorsNameTheLineAndColumn() {
        XCTAssertThrowsError(try BilingualDictionary(tsv: "# fr\ten\nchat\tcat\nchien dog\n", path: "d.tsv")) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.description, "d.tsv:3:1")
            XCTAssertTrue(located?.message.contains("tab") ?? false)
        }
        XCTAssertThrowsError(try BilingualDictionary(tsv: "chat\t\n", path: "d.tsv")) { error in
            XCTAssertEqual((error as? LocatedError)?.location.description, "d.tsv:1:6")
        }
        XCTAssertEqual(try BilingualDictionary(tsv: "\u{FEFF}chat\tcat\r\n\r\n# c\nchien\tdog", path: "d.tsv").count, 2)
    }

    func testDictionaryGivenTheOtherWayRoundIsTurned() throws {
        let (source, target, _) = try document("fr-en-literary-dev", "mohicans")
        let url = TestPaths.sharedFile("data/alignment/dict/fr-en.tsv")
        let dictionary = try BilingualDictionary(tsv: String(contentsOf: url, encoding: .utf8), path: url.path)
        let forward = SentenceAligner(configuration: AlignerConfiguration(dictionary: dictionary)).align(source: source, target: target)
        let backward = SentenceAligner(configuration: AlignerConfiguration(dictionary: dictionary.reversed)).align(source: source, target: target)
        XCTAssertFalse(forward.statistics.dictionaryReversed)
        XCTAssertTrue(backward.statistics.dictionaryReversed)
        XCTAssertGreaterThan(forward.statistics.dictionaryPairsUsed, 500)
        XCTAssertEqual(forward.beads, backward.beads)
    }

    func testEvaluationAgreesWithTheReferenceScorer() throws {
        let python = try XCTUnwrap(VersoCommand.which("python3"))
        let set = try GoldSetTests.load("de-fr-textberg-dev")
        let predicted = GoldSetTests.align(set)
        var evaluation = AlignmentEvaluation()
        evaluation.add(reference: set.gold, prediction: predicted)
        let folder = TestPaths.temporaryFolder("align-eval")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pred.tsv")
        try predicted.map { "\($0.source.map(String.init).joined(separator: ","))\t\($0.target.map(String.init).joined(separator: ","))" }
            .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let scorer = TestPaths.sharedFile("data/alignment/score_alignment.py").path
        let gold = TestPaths.sharedFile("data/alignment/de-fr-textberg-dev/gold.tsv").path
        let run = try VersoCommand.runProcess(python, [scorer, gold, file.path, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["f1_strict"] as? Double ?? -1, evaluation.strictF1, accuracy: 1e-9)
        XCTAssertEqual(json["f1_lax"] as? Double ?? -1, evaluation.laxF1, accuracy: 1e-9)
        XCTAssertEqual(json["precision_strict"] as? Double ?? -1, evaluation.strictPrecision, accuracy: 1e-9)
        XCTAssertEqual(json["recall_lax"] as? Double ?? -1, evaluation.laxRecall, accuracy: 1e-9)
    }
}

/// The language check that catches a wrong `--source`/`--target` or swapped files.
final class LanguageCheckTests: XCTestCase {
    func testTextsInTheDeclaredLanguagePass() throws {
        let fr = try GoldSetTests.load("fr-en-literary-dev"), de = try GoldSetTests.load("de-fr-textberg-dev")
        XCTAssertNil(LanguageCheck.mismatch(fr.source, declared: "fr"))
        XCTAssertNil(LanguageCheck.mismatch(fr.target, declared: "en-GB"))
        XCTAssertNil(LanguageCheck.mismatch(de.source, declared: "de"))
        XCTAssertNil(LanguageCheck.mismatch(de.target, declared: "fr-CH"))
        XCTAssertNil(LanguageCheck.mismatch(fr.target, declared: "fi"), "no word list for Finnish: no guess")
    }

    func testWrongLanguageIsNamed() throws {
        let fr = try GoldSetTests.load("fr-en-literary-dev"), de = try GoldSetTests.load("de-fr-textberg-dev")
        XCTAssertEqual(LanguageCheck.mismatch(fr.target, declared: "fr"), "the text looks English, not French ('fr')")
        XCTAssertEqual(LanguageCheck.mismatch(de.source, declared: "en"), "the text looks German, not English ('en')")
        XCTAssertEqual(LanguageCheck.mismatch(fr.source, declared: "ru"), "the text is written in Latin script, not in the Cyrillic script of 'ru'")
    }
}
