import Foundation
import TestSupport
import XCTest

/// `verso align` as a user runs it: the sample article and its translation, gold documents, every
/// output format checked with xmllint and translate-toolkit, awkward inputs and usage errors.
final class AlignCommandTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("align-cli")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private var frenchSample: String { TestPaths.sample("seed-article.fr.txt").path }
    private var englishSample: String { TestPaths.sample("seed-article.en.txt").path }
    private var standards: URL { TestPaths.sharedFile("standards") }

    private struct MissingTool: Error, CustomStringConvertible {
        var description: String
    }

    private func tool(_ name: String) throws -> URL {
        guard let url = VersoCommand.which(name) else { throw MissingTool(description: "\(name) is not installed (.ci/setup installs it)") }
        return url
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func align(_ arguments: [String]) throws -> CommandResult {
        try VersoCommand.run(["align"] + arguments)
    }

    /// The bead lines of a TSV output: (source numbers, target numbers, confidence, source text, target text).
    private func beads(_ file: String) throws -> [(source: [Int], target: [Int], confidence: Double, sourceText: String, targetText: String)] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(c.count, 5, "five columns: \(line)")
            func ids(_ s: String) -> [Int] { s.split(separator: ",").compactMap { Int($0) } }
            return (ids(c[0]), ids(c[1]), Double(c[2]) ?? -1, c[3], c[4])
        }
    }

    private func xmllintDTD(_ file: String) throws -> CommandResult {
        try VersoCommand.runProcess(try tool("xmllint"), ["--nonet", "--noout", "--dtdvalid", standards.appendingPathComponent("schemas/tmx/tmx14.dtd").path, file])
    }

    private func xmllintSchema(_ file: String, _ schema: String) throws -> CommandResult {
        try VersoCommand.runProcess(try tool("xmllint"), ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path, file],
                                    environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    func testSampleArticleAlignsWithNoError() throws {
        let out = path("article.tsv")
        let result = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("error"), result.stderr)
        XCTAssertFalse(result.stderr.contains("warning"), result.stderr)
        let rows = try beads(out)
        XCTAssertGreaterThanOrEqual(rows.count, 15)
        // Every sentence once, in order, on both sides.
        let sourceIDs = rows.flatMap(\.source), targetIDs = rows.flatMap(\.target)
        XCTAssertEqual(sourceIDs, Array(0..<(sourceIDs.last! + 1)))
        XCTAssertEqual(targetIDs, Array(0..<(targetIDs.last! + 1)))
        // The article is translated sentence for sentence: every bead pairs sentences, confidently.
        XCTAssertTrue(rows.allSatisfy { !$0.source.isEmpty && !$0.target.isEmpty }, "no unaligned sentence")
        XCTAssertGreaterThan(rows.filter { $0.confidence >= 0.9 }.count, rows.count * 9 / 10)
        let nato = try XCTUnwrap(rows.first { $0.sourceText.contains("OTAN") })
        XCTAssertTrue(nato.targetText.contains("NATO"), nato.targetText)
        let numbers = try XCTUnwrap(rows.first { $0.sourceText.contains("260 000") })
        XCTAssertTrue(numbers.targetText.contains("260,000"), numbers.targetText)
        XCTAssertTrue(result.stdout.contains("article.tsv:"), result.stdout)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".verso-tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testTMXOutputIsValidAndOpensInTranslateToolkit() throws {
        let out = path("article.tmx")
        let result = try align([frenchSample, englishSample, "--from", "fr", "--to", "en", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lint = try xmllintDTD(out)
        XCTAssertEqual(lint.status, 0, lint.stderr)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.contains("srclang=\"fr\""))
        XCTAssertTrue(text.contains("<prop type=\"x-alignment-confidence\">"))
        XCTAssertTrue(text.contains("<tuv xml:lang=\"en\"><seg>“They will come back”</seg></tuv>"), "the heading is its own unit")
        let check = try VersoCommand.runProcess(try tool("python3"), [standards.appendingPathComponent("tools/tt_check.py").path, "--roundtrip", "--require-units", out])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testBilingualXLIFFMarksLowConfidenceBeadsForReview() throws {
        // A threshold of 1 sends every bead that is not certain to review.
        for (version, schema) in [("1.2", "xliff12/xliff-core-1.2-strict.xsd"), ("2.0", "xliff20-all-modules.xsd"), ("2.1", "xliff21-all-modules.xsd"), ("2.2", "xliff22-all-modules.xsd")] {
            let out = path("article-\(version).xlf")
            let result = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", out, "--xliff", version, "--review-threshold", "0.9995", "--quiet"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let lint = try xmllintSchema(out, schema)
            XCTAssertEqual(lint.status, 0, "\(version): \(lint.stderr)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            if version == "1.2" {
                XCTAssertTrue(text.contains("state=\"needs-review-translation\""), "some bead is below 0.9995")
                XCTAssertTrue(text.contains("state=\"translated\""))
            } else {
                XCTAssertTrue(text.contains("subState=\"xliff1.2:needs-review-translation\""))
            }
            XCTAssertTrue(text.contains("Belarus"))
        }
        let check = try VersoCommand.runProcess(try tool("python3"), [standards.appendingPathComponent("tools/tt_check.py").path, "--roundtrip", "--require-units", path("article-1.2.xlf"), path("article-2.1.xlf")])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testPresegmentedGoldDocumentMatchesTheLibrary() throws {
        // The Last of the Mohicans, one sentence per line, as in the gold set.
        let set = TestPaths.sharedFile("data/alignment/fr-en-literary-dev")
        let source = try String(contentsOf: set.appendingPathComponent("source.txt"), encoding: .utf8).components(separatedBy: "\n")
        let target = try String(contentsOf: set.appendingPathComponent("target.txt"), encoding: .utf8).components(separatedBy: "\n")
        try (source[1722..<1954].joined(separator: "\n") + "\n").write(toFile: path("mohicans.fr.txt"), atomically: true, encoding: .utf8)
        try (target[1656..<1861].joined(separator: "\n") + "\n").write(toFile: path("mohicans.en.txt"), atomically: true, encoding: .utf8)
        let result = try align([path("mohicans.fr.txt"), path("mohicans.en.txt"), "--source", "fr", "--target", "en", "--presegmented", "--no-terms", "-o", path("mohicans.tsv")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try beads(path("mohicans.tsv"))
        XCTAssertEqual(rows.flatMap(\.source), Array(0..<232))
        XCTAssertEqual(rows.flatMap(\.target), Array(0..<205))
        // Scored by the set's own scorer, against the gold of that document.
        let gold = try String(contentsOf: set.appendingPathComponent("gold.tsv"), encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            let c = line.split(separator: "\t", omittingEmptySubsequences: false)
            let s = c[0].split(separator: ",").compactMap { Int($0) }, t = c[1].split(separator: ",").compactMap { Int($0) }
            guard (s.first ?? 1722) >= 1722 && (s.first ?? 0) < 1954 && (t.first ?? 1656) >= 1656 && (t.first ?? 0) < 1861 else { return nil }
            return s.map { String($0 - 1722) }.joined(separator: ",") + "\t" + t.map { String($0 - 1656) }.joined(separator: ",")
        }
        try (gold.joined(separator: "\n") + "\n").write(toFile: path("mohicans.gold.tsv"), atomically: true, encoding: .utf8)
        let score = try VersoCommand.runProcess(try tool("python3"), [TestPaths.sharedFile("data/alignment/score_alignment.py").path, path("mohicans.gold.tsv"), path("mohicans.tsv"), "--json"])
        XCTAssertEqual(score.status, 0, score.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThan(json["f1_strict"] as? Double ?? 0, 0.93, score.stdout)
    }

    func testHTMLInputsTakeTheirLanguagesFromTheirLangAttribute() throws {
        let fr = TestPaths.fixture("align/seed-article.fr.html").path, en = TestPaths.fixture("align/seed-article.en.html").path
        let out = path("html.tsv")
        let result = try align([fr, en, "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try beads(out)
        XCTAssertTrue(rows.contains { $0.sourceText == "Biélorussie" && $0.targetText == "Belarus" }, "the titles pair")
        XCTAssertTrue(rows.allSatisfy { !$0.source.isEmpty && !$0.target.isEmpty })
    }

    func testXLIFFInputsFromVersoPrepare() throws {
        let prepared = path("prepared")
        for (file, from, to) in [(frenchSample, "fr", "en"), (englishSample, "en", "fr")] {
            let p = try VersoCommand.run(["prepare", file, "--source", from, "--target", to, "-o", prepared, "--no-terms", "--quiet"])
            XCTAssertEqual(p.status, 0, p.stderr)
        }
        let out = path("xliff.tsv")
        let result = try align([prepared + "/seed-article.fr.txt.xlf", prepared + "/seed-article.en.txt.xlf", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try beads(out)
        XCTAssertGreaterThanOrEqual(rows.count, 15)
        XCTAssertTrue(rows.allSatisfy { !$0.source.isEmpty && !$0.target.isEmpty })
    }

    func testReportListsTheBeadsToReview() throws {
        let report = path("report.json")
        let result = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("a.tmx"), "--report", report, "--review-threshold", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let beads = try XCTUnwrap(json["beads"] as? Int)
        let low = try XCTUnwrap(json["lowConfidence"] as? [[String: Any]])
        XCTAssertGreaterThan(low.count, 0)
        XCTAssertLessThanOrEqual(low.count, beads)
        let first = low[0]
        for key in ["source", "target", "shape", "confidence", "sourceText", "targetText", "sourceLocation"] { XCTAssertNotNil(first[key], key) }
        XCTAssertTrue((first["sourceLocation"] as? String)?.hasPrefix(frenchSample + ":") ?? false, "\(first)")
        XCTAssertEqual((json["source"] as? [String: Any])?["language"] as? String, "fr")
        XCTAssertNotNil(json["statistics"] as? [String: Any])
        // --json prints the same report on stdout.
        let printed = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("b.tsv"), "--json"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
    }

    func testGlossaryTermsAreAnchors() throws {
        // The built-in glossary knows Biélorussie/Belarus, OTAN/NATO, Kremlin…
        func glossaryMatches(_ extra: [String]) throws -> Int {
            let run = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("g.tsv"), "--json"] + extra)
            XCTAssertEqual(run.status, 0, run.stderr)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return try XCTUnwrap((json["statistics"] as? [String: Any])?["glossaryAnchorsMatched"] as? Int)
        }
        XCTAssertGreaterThan(try glossaryMatches([]), 10)
        XCTAssertEqual(try glossaryMatches(["--no-terms"]), 0)
        let glossary = TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv").path
        XCTAssertGreaterThan(try glossaryMatches(["--glossary", glossary]), 5)
    }

    func testEmptySideWarnsAndStillWritesValidTMX() throws {
        try "".write(toFile: path("empty.txt"), atomically: true, encoding: .utf8)
        let out = path("empty.tmx")
        let result = try align([path("empty.txt"), englishSample, "--source", "fr", "--target", "en", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(path("empty.txt")): warning: the source text is empty"), result.stderr)
        let lint = try xmllintDTD(out)
        XCTAssertEqual(lint.status, 0, lint.stderr)
        XCTAssertFalse(try String(contentsOfFile: out, encoding: .utf8).contains("<tu "), "no unit without a pair")
        let strict = try align([path("empty.txt"), englishSample, "--source", "fr", "--target", "en", "-o", out, "--strict"])
        XCTAssertEqual(strict.status, 1, "--strict turns the warning into a failure")
    }

    func testVeryDifferentLengthsWarnAndAlignWhatThereIs() throws {
        // Only the first paragraph of the French article against the whole English one.
        let french = try String(contentsOfFile: frenchSample, encoding: .utf8)
        try String(french.prefix { $0 != "\n" }).write(toFile: path("part.fr.txt"), atomically: true, encoding: .utf8)
        let out = path("part.tsv")
        let result = try align([path("part.fr.txt"), englishSample, "--source", "fr", "--target", "en", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: the texts differ much in length"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(englishSample):"), "the passage without counterpart is located in the English file: \(result.stderr)")
        let rows = try beads(out)
        let paired = rows.filter { !$0.source.isEmpty && !$0.target.isEmpty }
        XCTAssertGreaterThanOrEqual(paired.count, 4)
        XCTAssertTrue(paired.allSatisfy { $0.target.allSatisfy { $0 < 6 } }, "the first paragraph pairs with the first English paragraph")
    }

    func testMismatchedLanguagesWarn() throws {
        let result = try align([frenchSample, englishSample, "--source", "de", "--target", "en", "-o", path("m.tsv")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(frenchSample): warning: the text looks French, not German ('de')"), result.stderr)
        let swapped = try align([englishSample, frenchSample, "--source", "fr", "--target", "en", "-o", path("s.tsv")])
        XCTAssertEqual(swapped.status, 0)
        XCTAssertTrue(swapped.stderr.contains("looks English, not French"), swapped.stderr)
        XCTAssertTrue(swapped.stderr.contains("looks French, not English"), swapped.stderr)
    }

    func testControlCharactersDoNotLoseTheOutput() throws {
        try "Le chat dort.\u{7} Le chien aboie.\n".write(toFile: path("c.fr.txt"), atomically: true, encoding: .utf8)
        try "The cat sleeps. The dog barks.\n".write(toFile: path("c.en.txt"), atomically: true, encoding: .utf8)
        let out = path("c.tmx")
        let result = try align([path("c.fr.txt"), path("c.en.txt"), "--source", "fr", "--target", "en", "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("control characters"), result.stderr)
        let lint = try xmllintDTD(out)
        XCTAssertEqual(lint.status, 0, lint.stderr)
    }

    func testDictionaryErrorsAndUse() throws {
        try "chat\tcat\nchien dog\n".write(toFile: path("bad.tsv"), atomically: true, encoding: .utf8)
        let bad = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("d.tsv"), "--dictionary", path("bad.tsv")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("\(path("bad.tsv")):2:1: error:"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("d.tsv")), "nothing written")
        let dictionary = TestPaths.sharedFile("data/alignment/dict/fr-en.tsv").path
        let good = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("d.tsv"), "--dictionary", dictionary, "--json"])
        XCTAssertEqual(good.status, 0, good.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThan((json["statistics"] as? [String: Any])?["dictionaryPairsUsed"] as? Int ?? 0, 10)
    }

    func testUsageErrors() throws {
        let unknown = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("out.doc")])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains(".tmx, .xlf or .tsv"), unknown.stderr)
        let noSource = try align([frenchSample, englishSample, "--target", "en", "-o", path("out.tsv")])
        XCTAssertEqual(noSource.status, 64)
        XCTAssertTrue(noSource.stderr.contains("--source"), noSource.stderr)
        let overwrite = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", frenchSample])
        XCTAssertEqual(overwrite.status, 64, "an input is never overwritten")
        let threshold = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("o.tsv"), "--review-threshold", "2"])
        XCTAssertEqual(threshold.status, 64)
    }

    func testCustomSRXRules() throws {
        let okapi = TestPaths.sharedFile("standards/conformance/okapi/srx/defaultSegmentation.srx").path
        let good = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("srx.tsv"), "--srx", okapi])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertGreaterThanOrEqual(try beads(path("srx.tsv")).count, 15)
        try "<srx version=\"2.0\"><header".write(toFile: path("broken.srx"), atomically: true, encoding: .utf8)
        let bad = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("srx2.tsv"), "--srx", path("broken.srx")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("\(path("broken.srx")):1:"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("srx2.tsv")))
    }

    func testInvalidUTF8IsReportedAsEveryCommandReportsIt() throws {
        // "Hi.\n ü" with a broken second byte: line 2, column 2, byte offset 5 — the words and
        // position `verso segment` gives for the same bytes.
        let bytes: [UInt8] = [0x48, 0x69, 0x2E, 0x0A, 0x20, 0xC3, 0x28, 0x2E]
        try Data(bytes).write(to: URL(fileURLWithPath: path("bad.fr.txt")))
        let result = try align([path("bad.fr.txt"), englishSample, "--source", "fr", "--target", "en", "-o", path("bad.tsv")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(path("bad.fr.txt")):2:2: error: invalid UTF-8 byte sequence at byte offset 5; give the file's encoding with --encoding"), result.stderr)
        let segment = try VersoCommand.run(["segment", "--lang", "fr", path("bad.fr.txt")])
        let alignLine = result.stderr.split(separator: "\n").first { $0.contains("byte offset") }
        let segmentLine = segment.stderr.split(separator: "\n").first { $0.contains("byte offset") }
        XCTAssertEqual(alignLine, segmentLine)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.tsv")))
        // A dictionary is read the same way.
        try Data([0x63, 0x68, 0x61, 0x74, 0x09, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path("bad.tsv.dict")))
        let dictionary = try align([frenchSample, englishSample, "--source", "fr", "--target", "en", "-o", path("d2.tsv"), "--dictionary", path("bad.tsv.dict")])
        XCTAssertEqual(dictionary.status, 1)
        XCTAssertTrue(dictionary.stderr.contains("\(path("bad.tsv.dict")):1:6: error: invalid UTF-8 byte sequence at byte offset 5"), dictionary.stderr)
    }

    func testMissingInputIsAnErrorNamingIt() throws {
        let result = try align([path("nope.txt"), englishSample, "--source", "fr", "--target", "en", "-o", path("o.tsv")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(path("nope.txt")): error:"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("o.tsv")))
    }
}
