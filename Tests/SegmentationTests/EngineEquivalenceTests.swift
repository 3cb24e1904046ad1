import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// The engine's shortcuts (trigger table, character prefilters, guards, word lists) must give the
/// breaks that SRX's definition gives: at each position, the first rule whose `beforebreak`
/// matches before it and whose `afterbreak` matches after it decides. This test checks that
/// definition position by position, with plain ICU regexes, on real text.
final class EngineEquivalenceTests: XCTestCase {
    private typealias Check = (isBreak: Bool, before: ICURegex?, after: ICURegex?)

    /// Each rule of `language` as a look-behind and a look-ahead, in cascade order.
    private func referenceChecks(rules: SRXRules, language: String) throws -> [Check] {
        var checks: [Check] = []
        for languageRule in try rules.languageRules(for: language) {
            for rule in languageRule.rules {
                let translator = RegexTranslator(dialect: rules.regexDialect)
                var before: ICURegex? = nil
                if !rule.beforeBreak.isEmpty {
                    let t = try translator.translate(rule.beforeBreak)
                    if let unbounded = try? ICURegex.compile("(?<=\(t.pattern))") {
                        before = unbounded
                    } else {
                        before = try ICURegex.compile("(?<=\(RegexTranslator.bounded(t, limit: 100).pattern))")
                    }
                }
                let after = rule.afterBreak.isEmpty ? nil : try ICURegex.compile(try translator.translate(rule.afterBreak).pattern)
                checks.append((rule.isBreak, before, after))
            }
        }
        return checks
    }

    /// Breaks by the definition: every position, every rule, in order.
    private func referenceBreaks(_ text: [UInt16], checks: [Check]) -> [Int] {
        var result: [Int] = []
        text.withUnsafeBufferPointer { buffer in
            for c in checks {
                c.before?.setText(buffer.baseAddress, count: buffer.count)
                c.after?.setText(buffer.baseAddress, count: buffer.count)
            }
            for p in 1..<max(1, buffer.count) {
                for c in checks {
                    if let before = c.before, !before.matches(at: p) { continue }
                    if let after = c.after, !after.matches(at: p) { continue }
                    if c.isBreak { result.append(p) }
                    break
                }
            }
        }
        return result
    }

    private func compare(language: String, paragraphs: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let rules = try SRXRules.builtIn()
        let segmenter = try Segmenter(language: language)
        let checks = try referenceChecks(rules: rules, language: language)
        var differences: [String] = []
        for paragraph in paragraphs {
            let units = Array(paragraph.utf16)
            let fast = segmenter.breakPositions(in: paragraph)
            let slow = referenceBreaks(units, checks: checks)
            // A break rule found by a forward search can hide a second match inside its own
            // (leftmost matches do not overlap), as in Okapi; compare trimmed sentences, which is
            // what segmentation yields.
            let trim = { (breaks: [Int]) in units.withUnsafeBufferPointer { Segmenter.trimmedRanges($0, breaks: breaks) } }
            if trim(fast) != trim(slow) {
                differences.append("\(paragraph.prefix(120))… fast \(fast) reference \(slow)")
            }
        }
        XCTAssertTrue(differences.isEmpty, "\(differences.count) paragraphs differ:\n" + differences.prefix(10).joined(separator: "\n"), file: file, line: line)
    }

    func testFrenchCorpusSample() throws {
        let paragraphs = try UnitSegmentationTests.corpusParagraphs(limit: 25_000)
        try compare(language: "fr", paragraphs: paragraphs)
    }

    func testGoldenTextsInSeveralLanguages() throws {
        // The definition costs (text length × rules) regex calls: short cases only.
        for language in ["en", "de", "es", "ru", "ja", "hy"] {
            let cases = try GoldCase.load(TestPaths.sharedFile("data/segmentation/golden/\(language).jsonl")).filter { $0.text.utf16.count < 600 }
            try compare(language: language, paragraphs: cases.flatMap { c in
                TextParagraphs.ranges(in: c.text).map { String(decoding: Array(c.text.utf16)[$0], as: UTF16.self) }
            })
        }
    }

    func testFrenchNewsFixtures() throws {
        let cases = try GoldCase.load(TestPaths.fixture("segmentation/fr-news.jsonl"))
        try compare(language: "fr", paragraphs: cases.map(\.text))
    }

    func testEnglishAndFrenchExtraFixtures() throws {
        for language in ["en", "fr"] {
            let cases = try GoldCase.load(TestPaths.fixture("segmentation/\(language)-extra.jsonl"))
            try compare(language: language, paragraphs: cases.flatMap { c in
                TextParagraphs.ranges(in: c.text).map { String(decoding: Array(c.text.utf16)[$0], as: UTF16.self) }
            })
        }
    }
}
