import Foundation
import TestSupport
import XCTest

/// Small things that must agree across commands and outputs: JSON paths unescaped, help text
/// without a doubled default, sentence numbers counted the same way in every alignment output.
final class CLIConsistencyTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("cli-consistency")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func testConvertJSONWritesPathsWithPlainSlashes() throws {
        let input = TestPaths.sharedFile("standards/conformance/okapi/xliff12/segsource.xlf").path
        let output = folder.appendingPathComponent("bad/ok.xlf").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bad"), withIntermediateDirectories: true)
        let result = try VersoCommand.run(["convert", input, "--to", "xliff2.1", "-o", output, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("\\/"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"output\" : \"\(output)\""), result.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["input"] as? String, input)
        XCTAssertEqual(object["to"] as? String, "2.1")
        XCTAssertNotNil(object["units"] as? Int)
    }

    func testAlignHelpStatesTheReviewThresholdDefaultOnce() throws {
        let result = try VersoCommand.run(["align", "--help"])
        XCTAssertEqual(result.status, 0)
        // The option's entry: its line and the indented lines after it.
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("  --review-threshold") })
        var entry = [lines[start]]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("      ") else { break }
            entry.append(line)
        }
        let text = entry.joined(separator: " ")
        XCTAssertEqual(text.components(separatedBy: "0.9").count - 1, 1, text)
        XCTAssertTrue(text.contains("(default: 0.9)"), text)
    }

    func testXLIFFNotesNumberSentencesLikeTheTSV() throws {
        let fr = TestPaths.sample("seed-article.fr.txt").path, en = TestPaths.sample("seed-article.en.txt").path
        let xlf = folder.appendingPathComponent("a.xlf").path, tsv = folder.appendingPathComponent("a.tsv").path
        for out in [xlf, tsv] {
            let r = try VersoCommand.run(["align", fr, en, "--source", "fr", "--target", "en", "--no-terms", "-o", out])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let beads = try String(contentsOfFile: tsv, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let xliff = try String(contentsOfFile: xlf, encoding: .utf8)
        XCTAssertGreaterThan(beads.count, 10)
        func phrase(_ column: Substring, _ word: String) -> String {
            let numbers = column.split(separator: ",").compactMap { Int($0) }
            guard let first = numbers.first, let last = numbers.last else { return "no \(word) sentence" }
            return numbers.count == 1 ? "\(word) sentence \(first)" : "\(word) sentences \(first)–\(last)"
        }
        for bead in beads {
            let columns = bead.split(separator: "\t", omittingEmptySubsequences: false)
            let expected = "(\(phrase(columns[0], "source")), \(phrase(columns[1], "target")))"
            XCTAssertTrue(xliff.contains(expected), "no note says \(expected) for TSV line \(bead.prefix(40))")
        }
        XCTAssertTrue(xliff.contains("source sentence 0,") || xliff.contains("source sentences 0–"), "the first bead starts at sentence 0, as in the TSV")
    }

    func testEveryCommandSaysAnEmptyXLIFFIsEmpty() throws {
        let empty = folder.appendingPathComponent("empty.xlf").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        let runs: [[String]] = [
            ["validate", empty],
            ["prepare", empty, "--source", "en", "--target", "fr", "--no-terms", "-o", folder.appendingPathComponent("p").path],
            ["merge", empty, "-o", folder.appendingPathComponent("m").path],
            ["convert", empty, "--to", "xliff2.1", "-o", folder.appendingPathComponent("c.xlf").path],
        ]
        for arguments in runs {
            let result = try VersoCommand.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(empty): error: the file is empty"), "\(arguments[0]): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Extra content"), "\(arguments[0]): \(result.stderr)")
        }
    }

    func testATextFileGivenAsXLIFFIsNotXML() throws {
        let text = folder.appendingPathComponent("notes.xlf").path
        try "Hello world.\nThis is text.\n".write(toFile: text, atomically: true, encoding: .utf8)
        for arguments in [["validate", text], ["merge", text, "-o", folder.appendingPathComponent("m").path]] {
            let result = try VersoCommand.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(text): error: not XML: the file starts with \"Hello world.\\nThis is text.\\n\" (first bytes 48 65 6C 6C 6F 20 77 6F …)"), "\(arguments[0]): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Document is empty"), result.stderr)
        }
    }

    func testATruncatedXLIFFSaysItEndsBeforeItsRootIsClosed() throws {
        let source = try String(contentsOf: TestPaths.sharedFile("standards/conformance/xliff21/core/valid/allExtensions.xlf"), encoding: .utf8)
        let cut = try XCTUnwrap(source.range(of: "</unit>"))
        let truncated = folder.appendingPathComponent("cut.xlf").path
        try (String(source[..<cut.upperBound]) + "\n").write(toFile: truncated, atomically: true, encoding: .utf8)
        // libxml2 stops right after the last </unit>: its line and column are kept.
        let kept = source[..<cut.upperBound].utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        let result = try VersoCommand.run(["validate", truncated])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(truncated):\(kept.count):\(kept.last!.count + 1): error: the file ends before the root element <xliff> is closed (truncated?)"), result.stderr)
    }
}
