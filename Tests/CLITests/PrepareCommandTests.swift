import Foundation
import TestSupport
import XCTest

/// `verso prepare` and `verso merge` as a user runs them, checked with the tools translators use.
final class PrepareCommandTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("prepare-cli")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private var seed: String { TestPaths.sample("seed-article.fr.txt").path }
    private var page: String { TestPaths.sample("actualite.fr.html").path }
    private var standards: URL { TestPaths.sharedFile("standards") }

    /// The interop checks are part of what must hold: a missing tool fails the test (.ci/setup installs them all).
    private struct MissingTool: Error, CustomStringConvertible {
        var description: String
    }

    private func tool(_ name: String) throws -> URL {
        guard let url = VersoCommand.which(name) else {
            throw MissingTool(description: "\(name) is not installed (.ci/setup installs it)")
        }
        return url
    }

    private func xmllint(_ file: String, schema: String) throws -> CommandResult {
        try VersoCommand.runProcess(try tool("xmllint"), ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path, file],
                                    environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    private func prepare(_ arguments: [String]) throws -> CommandResult {
        try VersoCommand.run(["prepare"] + arguments)
    }

    func testPreparesTheSampleArticleWithTheBuiltInGlossary() throws {
        let out = folder.appendingPathComponent("out")
        let result = try prepare([seed, "--source", "fr", "--target", "en", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("seed-article.fr.txt.xlf: 4 units"), result.stdout)
        let xliff = out.appendingPathComponent("seed-article.fr.txt.xlf").path
        let text = try String(contentsOfFile: xliff, encoding: .utf8)
        XCTAssertTrue(text.contains("<mrk mtype=\"term\" mid=\"t17\" comment=\"NATO\">OTAN</mrk>") || text.range(of: "<mrk mtype=\"term\"[^>]*>OTAN</mrk>", options: .regularExpression) != nil, "OTAN is marked")
        XCTAssertNotNil(text.range(of: "<mrk mtype=\"term\"[^>]*>Biélorussie</mrk>", options: .regularExpression), "Biélorussie is marked")
        XCTAssertTrue(text.contains("<note from=\"Verso glossary\" annotates=\"source\">Biélorussie → Belarus"), "the glossary entry is a note")
        let lint = try xmllint(xliff, schema: "xliff12/xliff-core-1.2-strict.xsd")
        XCTAssertEqual(lint.status, 0, lint.stderr)
        // The glossary subset beside it.
        let tbx = out.appendingPathComponent("seed-article.fr.txt.glossary.tbx").path
        let csv = try String(contentsOfFile: out.appendingPathComponent("seed-article.fr.txt.glossary.csv").path, encoding: .utf8)
        XCTAssertTrue(csv.contains("Biélorussie") && csv.contains("Belarus"), csv)
        let dtd = try VersoCommand.runProcess(try tool("xmllint"), ["--nonet", "--noout", "--dtdvalid", standards.appendingPathComponent("schemas/tbx/TBXcoreStructV02.dtd").path, tbx])
        XCTAssertEqual(dtd.status, 0, dtd.stderr)
        // Nothing else is written.
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)), ["seed-article.fr.txt.xlf", "seed-article.fr.txt.glossary.tbx", "seed-article.fr.txt.glossary.csv"])
    }

    func testPreparedFilesOpenInTranslateToolkit() throws {
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try prepare([seed, page, "--source", "fr", "--target", "en", "-o", out.path, "--quiet"]).status, 0)
        let python = try tool("python3")
        let files = ["seed-article.fr.txt.xlf", "actualite.fr.html.xlf"].map { out.appendingPathComponent($0).path }
        let check = try VersoCommand.runProcess(python, [standards.appendingPathComponent("tools/tt_check.py").path, "--roundtrip", "--require-units"] + files)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("units=4"), check.stdout)
    }

    func testCopySourceOpensInOmegaTWithEverySegmentLoaded() throws {
        let out = folder.appendingPathComponent("out")
        let result = try prepare([seed, page, "--source", "fr", "--target", "en", "--copy-source", "-o", out.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        guard FileManager.default.fileExists(atPath: "/usr/share/omegat/OmegaT.jar") || ProcessInfo.processInfo.environment["OMEGAT_JAR"] != nil else {
            throw MissingTool(description: "OmegaT is not installed (.ci/setup installs it)")
        }
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        for file in report["files"] as! [[String: Any]] {
            let xliff = file["output"] as! String
            let segments = file["segments"] as! Int, units = file["units"] as! Int
            XCTAssertGreaterThan(segments, units, "paragraphs are split into sentences")
            XCTAssertTrue(try String(contentsOfFile: xliff, encoding: .utf8).contains("<target state=\"needs-translation\">"))
            let check = try VersoCommand.runProcess(try tool("sh"), [standards.appendingPathComponent("tools/omegat_check.sh").path, xliff, "fr", "en"], environment: ["KEEP": "1"])
            XCTAssertEqual(check.status, 0, check.stdout)
            XCTAssertTrue(check.stdout.contains("\(segments) segments from \(units) trans-units"), "OmegaT loads every segment: \(check.stdout)")
            // The XLIFF as OmegaT saved it still merges back into the original, byte for byte.
            guard let kept = check.stdout.components(separatedBy: "project kept in ").last?.trimmingCharacters(in: .whitespacesAndNewlines), !kept.isEmpty else {
                return XCTFail("omegat_check did not keep its project: \(check.stdout)")
            }
            defer { try? FileManager.default.removeItem(atPath: kept) }
            let saved = URL(fileURLWithPath: kept).appendingPathComponent("proj/target").appendingPathComponent(URL(fileURLWithPath: xliff).lastPathComponent)
            let merged = folder.appendingPathComponent("from-omegat")
            let merge = try VersoCommand.run(["merge", saved.path, "-o", merged.path, "--quiet"])
            XCTAssertEqual(merge.status, 0, merge.stderr)
            let original = URL(fileURLWithPath: file["input"] as! String)
            XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent(original.lastPathComponent)), try Data(contentsOf: original), "merged from OmegaT's XLIFF")
        }
    }

    func testXLIFF21OutputValidatesWithItsModules() throws {
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try prepare([seed, page, "--source", "fr", "--target", "en", "--xliff", "2.1", "-o", out.path, "--quiet"]).status, 0)
        for name in ["seed-article.fr.txt.xlf", "actualite.fr.html.xlf"] {
            let xliff = out.appendingPathComponent(name).path
            let lint = try xmllint(xliff, schema: "xliff21-all-modules.xsd")
            XCTAssertEqual(lint.status, 0, lint.stderr)
            // Processing requirements too (ids, references, code pairing), which XSD cannot check.
            let validate = try VersoCommand.run(["validate", xliff])
            XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
            let text = try String(contentsOfFile: xliff, encoding: .utf8)
            XCTAssertTrue(text.contains("version=\"2.1\""))
            XCTAssertTrue(text.contains("<gls:glossEntry"), "terms go into the glossary module")
            XCTAssertNotNil(text.range(of: "<mrk id=\"t[0-9]+\" type=\"term\"", options: .regularExpression), "terms are marked")
        }
    }

    func testHTMLLangIsTheDefaultSourceLanguage() throws {
        let out = folder.appendingPathComponent("out")
        let result = try prepare([page, "--target", "en", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: out.appendingPathComponent("actualite.fr.html.xlf").path, encoding: .utf8)
        XCTAssertTrue(text.contains("source-language=\"fr\""))
    }

    func testMissingSourceOrTargetIsAUsageError() throws {
        let out = folder.appendingPathComponent("out")
        let noSource = try prepare([seed, "--target", "en", "-o", out.path])
        XCTAssertEqual(noSource.status, 64)
        XCTAssertTrue(noSource.stderr.contains("--source"), noSource.stderr)
        let noTarget = try prepare([seed, "--source", "fr", "-o", out.path])
        XCTAssertEqual(noTarget.status, 64)
        XCTAssertTrue(noTarget.stderr.contains("--target"), noTarget.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("seed-article.fr.txt.xlf").path))
    }

    func testBadInputsAreReportedAndTheOthersStillPrepared() throws {
        let bad = folder.appendingPathComponent("bad.txt")
        try Data([0x4F, 0x6B, 0x0A, 0xC3, 0x28, 0x0A]).write(to: bad)
        let missing = folder.appendingPathComponent("missing.txt").path
        let out = folder.appendingPathComponent("out")
        let result = try prepare([missing, bad.path, seed, folder.path, "--source", "fr", "--target", "en", "-o", out.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(missing): error: no such file or directory"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(bad.path):2:1: error: invalid UTF-8 byte sequence at byte offset 3"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(folder.path): error: is a directory"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("seed-article.fr.txt.xlf").path), "the good input is prepared")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("bad.txt.xlf").path))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: out.path).contains { $0.hasPrefix(".verso-tmp-") }, "no temporary file left")
        XCTAssertTrue(result.stdout.contains("Prepared 1 of 4 files"), result.stdout)
    }

    func testMalformedXLIFFInputIsAnErrorWithItsLine() throws {
        let broken = folder.appendingPathComponent("broken.xlf")
        try Data("<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"a\" source-language=\"fr\" datatype=\"plaintext\"><body>\n<trans-unit id=\"1\"><source>Un</target></trans-unit>\n</body></file></xliff>\n".utf8).write(to: broken)
        let out = folder.appendingPathComponent("out")
        let result = try prepare([broken.path, seed, "--source", "fr", "--target", "en", "-o", out.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertNotNil(result.stderr.range(of: "\(broken.path):4:[0-9]+: error: ", options: .regularExpression), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("seed-article.fr.txt.xlf").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("broken.xlf").path))
    }

    func testJobsPrepareInParallelWithTheSameResult() throws {
        let one = folder.appendingPathComponent("one"), two = folder.appendingPathComponent("two")
        let inputs = [seed, page] + HTMLFixtures.all
        let a = try prepare(inputs + ["--source", "fr", "--target", "en", "-o", one.path, "--json"])
        let b = try prepare(inputs + ["--source", "fr", "--target", "en", "-o", two.path, "--json", "--jobs", "3"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(a.stdout.replacingOccurrences(of: one.path, with: "OUT"), b.stdout.replacingOccurrences(of: two.path, with: "OUT"), "same report, in input order")
        for name in try FileManager.default.contentsOfDirectory(atPath: one.path) {
            XCTAssertEqual(try Data(contentsOf: one.appendingPathComponent(name)), try Data(contentsOf: two.appendingPathComponent(name)), name)
        }
    }

    func testReportAndJSONGiveCountsPerFile() throws {
        let out = folder.appendingPathComponent("out")
        let report = folder.appendingPathComponent("report.json")
        let result = try prepare([seed, page, "--source", "fr", "--target", "en", "-o", out.path, "--report", report.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fromFile = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        let fromStdout = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((fromFile["files"] as! [Any]).count, 2)
        XCTAssertEqual((fromStdout["totals"] as! [String: Any])["prepared"] as? Int, 2)
        let first = (fromFile["files"] as! [[String: Any]])[0]
        XCTAssertEqual(first["units"] as? Int, 4)
        XCTAssertEqual(first["status"] as? String, "prepared")
        XCTAssertGreaterThan(first["words"] as? Int ?? 0, 300)
        XCTAssertNotNil(first["characters"] as? Int)
        XCTAssertNotNil(first["repetitions"] as? [String: Any])
        let terms = first["terms"] as! [[String: Any]]
        XCTAssertTrue(terms.contains { $0["term"] as? String == "Biélorussie" && ($0["translations"] as? [String])?.first == "Belarus" }, "\(terms)")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: out.path).contains("report.json"))
    }

    func testNoTermsLeavesTermsOut() throws {
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "--no-terms", "-o", out.path, "--quiet"]).status, 0)
        let text = try String(contentsOfFile: out.appendingPathComponent("seed-article.fr.txt.xlf").path, encoding: .utf8)
        XCTAssertFalse(text.contains("mtype=\"term\""))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["seed-article.fr.txt.xlf"])
    }

    func testAGlossaryFileReplacesTheBuiltInOnes() throws {
        let glossary = folder.appendingPathComponent("mine.csv")
        try Data("fr,en\nmobilisation partielle,partial call-up\n".utf8).write(to: glossary)
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "--glossary", glossary.path, "-o", out.path, "--quiet"]).status, 0)
        let text = try String(contentsOfFile: out.appendingPathComponent("seed-article.fr.txt.xlf").path, encoding: .utf8)
        XCTAssertTrue(text.contains("comment=\"partial call-up\">mobilisation partielle</mrk>"), "terms from the given glossary")
        XCTAssertFalse(text.contains(">OTAN</mrk>"), "the built-in glossaries are not used")
    }

    // MARK: - merge

    func testPrepareCopySourceMergeGivesBackTheOriginalsByteForByte() throws {
        let out = folder.appendingPathComponent("xlf")
        XCTAssertEqual(try prepare([seed, page, "--source", "fr", "--target", "en", "--copy-source", "-o", out.path, "--quiet"]).status, 0)
        let merged = folder.appendingPathComponent("merged")
        let result = try VersoCommand.run(["merge", out.appendingPathComponent("seed-article.fr.txt.xlf").path, out.appendingPathComponent("actualite.fr.html.xlf").path, "-o", merged.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "no warning when every target is there")
        XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent("seed-article.fr.txt")), try Data(contentsOf: URL(fileURLWithPath: seed)))
        XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent("actualite.fr.html")), try Data(contentsOf: URL(fileURLWithPath: page)))
    }

    func testMergeWithoutTranslationsWarnsAndStrictFails() throws {
        let out = folder.appendingPathComponent("xlf")
        XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "-o", out.path, "--quiet"]).status, 0)
        let xliff = out.appendingPathComponent("seed-article.fr.txt.xlf").path
        let result = try VersoCommand.run(["merge", xliff, "-o", folder.appendingPathComponent("m").path])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(xliff): warning: 4 units u1, u2, u3, u4 not translated: the source text is used"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("m/seed-article.fr.txt")), try Data(contentsOf: URL(fileURLWithPath: seed)))
        let strict = try VersoCommand.run(["merge", xliff, "-o", folder.appendingPathComponent("m2").path, "--strict"])
        XCTAssertEqual(strict.status, 1)
    }

    func testMergeRefusesXLIFFWithoutSkeletonAndGoesOn() throws {
        let foreign = TestPaths.sharedFile("standards/conformance/okapi/xliff12/segmented.xlf").path
        let out = folder.appendingPathComponent("xlf")
        XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "--copy-source", "-o", out.path, "--quiet"]).status, 0)
        let merged = folder.appendingPathComponent("merged")
        let result = try VersoCommand.run(["merge", foreign, out.appendingPathComponent("seed-article.fr.txt.xlf").path, "-o", merged.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(foreign): error:") && result.stderr.contains("no Verso skeleton"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: merged.appendingPathComponent("seed-article.fr.txt").path))
    }
}

/// The HTML test files (Tests/Fixtures/html).
enum HTMLFixtures {
    static var all: [String] {
        ["crlf-uppercase.html", "bom-no-final-newline.html", "entities-comments.html", "odd-markup.html", "latin1-meta.html"]
            .map { TestPaths.fixture("html/\($0)").path }
    }
}
