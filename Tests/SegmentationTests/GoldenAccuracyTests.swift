import Foundation
import Segmentation
import TestSupport
import XCTest

/// One gold case: a text and the sentences it must give.
struct GoldCase {
    var id: String
    var language: String
    var text: String
    var sentences: [String]

    /// Reads a JSONL file of cases (the format of `../shared/data/segmentation/golden`).
    static func load(_ url: URL) throws -> [GoldCase] {
        let fileLanguage = url.deletingPathExtension().lastPathComponent.split(separator: "_").first.map(String.init) ?? ""
        let data = try String(contentsOf: url, encoding: .utf8)
        var cases: [GoldCase] = []
        for line in data.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            cases.append(GoldCase(id: object["id"] as! String, language: (object["lang"] as? String) ?? fileLanguage,
                                  text: object["text"] as! String, sentences: object["sentences"] as! [String]))
        }
        return cases
    }

    /// Whitespace runs collapsed to one space, trimmed: how the reference scorer compares.
    static func normalized(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// True when `segmenter` gives exactly the expected sentences (paragraphs split at blank
    /// lines, as `verso segment` does).
    func passes(with segmenter: Segmenter) -> (Bool, [String]) {
        let units = Array(text.utf16)
        let got = segmenter.sentencesByParagraph(in: text).flatMap { $0 }
            .map { GoldCase.normalized(String(decoding: units[$0], as: UTF16.self)) }
            .filter { !$0.isEmpty }
        let expected = sentences.map(GoldCase.normalized).filter { !$0.isEmpty }
        return (got == expected, got)
    }

    /// Runs `cases` with the built-in rules (one segmenter per language): cases passed and
    /// run per language, and a line for each failure.
    static func run(_ cases: [GoldCase]) throws -> (passed: [String: Int], total: [String: Int], failures: [String]) {
        var segmenters: [String: Segmenter] = [:]
        var passed: [String: Int] = [:], total: [String: Int] = [:]
        var failures: [String] = []
        for c in cases {
            let segmenter = try segmenters[c.language] ?? Segmenter(language: c.language)
            segmenters[c.language] = segmenter
            let (ok, got) = c.passes(with: segmenter)
            total[c.language, default: 0] += 1
            if ok { passed[c.language, default: 0] += 1 } else { failures.append("\(c.id): expected \(c.sentences), got \(got)") }
        }
        return (passed, total, failures)
    }
}

/// Accuracy of the built-in rules on the gold set (Pragmatic Segmenter + pySBD cases), in
/// process. The bars are the issue's: 440/473 overall, 48/52 English Golden Rules, and no
/// language with 20 cases or more below 85%.
final class GoldenAccuracyTests: XCTestCase {
    func testGoldenSetMeetsTheBars() throws {
        let folder = TestPaths.sharedFile("data/segmentation/golden")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "jsonl" }
        XCTAssertEqual(files.count, 23)
        let cases = try files.flatMap(GoldCase.load)
        XCTAssertEqual(cases.count, 473)
        let (passed, total, failures) = try GoldCase.run(cases)
        let all = passed.values.reduce(0, +)
        var table = "lang  pass  total\n"
        for language in total.keys.sorted() {
            table += "\(language)  \(passed[language] ?? 0)  \(total[language]!)\n"
        }
        print(table + "ALL  \(all)  \(cases.count)")
        XCTAssertGreaterThanOrEqual(all, 440, "golden accuracy below the bar; failures:\n" + failures.joined(separator: "\n"))
        for (language, count) in total where count >= 20 {
            let accuracy = Double(passed[language] ?? 0) / Double(count)
            XCTAssertGreaterThanOrEqual(accuracy, 0.85, "\(language): \(passed[language] ?? 0)/\(count)")
        }
    }

    func testEnglishGoldenRulesMeetTheBar() throws {
        let cases = try GoldCase.load(TestPaths.sharedFile("data/segmentation/golden/en.jsonl")).filter { $0.id.hasPrefix("en-gr") }
        XCTAssertEqual(cases.count, 52)
        let (passed, _, failures) = try GoldCase.run(cases)
        XCTAssertGreaterThanOrEqual(passed["en"] ?? 0, 48, failures.joined(separator: "\n"))
    }

    func testFrenchNewsCasesAllPass() throws {
        let cases = try GoldCase.load(TestPaths.fixture("segmentation/fr-news.jsonl"))
        XCTAssertGreaterThanOrEqual(cases.count, 40)
        let (passed, _, failures) = try GoldCase.run(cases)
        XCTAssertEqual(passed["fr"] ?? 0, cases.count, failures.joined(separator: "\n"))
    }

    /// Verso's own English and French cases (titles, abbreviations, initials, acronyms, times,
    /// numbers, quotes and guillemets with no-break spaces, URLs, e-mail addresses, file names,
    /// headings, dialogue dashes): every one must pass.
    func testEnglishAndFrenchExtraCasesAllPass() throws {
        for (file, language) in [("segmentation/en-extra.jsonl", "en"), ("segmentation/fr-extra.jsonl", "fr")] {
            let cases = try GoldCase.load(TestPaths.fixture(file))
            XCTAssertGreaterThanOrEqual(cases.count, 60, file)
            XCTAssertTrue(cases.allSatisfy { $0.language == language }, file)
            let (passed, _, failures) = try GoldCase.run(cases)
            XCTAssertEqual(passed[language] ?? 0, cases.count, "\(file):\n" + failures.joined(separator: "\n"))
        }
    }
}
