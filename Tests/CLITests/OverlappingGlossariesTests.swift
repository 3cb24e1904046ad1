import Foundation
import TestSupport
import XCTest

/// Explicit glossaries that share concept ids (`countries.tbx` and `news-fr-en.csv` both hold
/// `country-BY`, `country-RU`) describe one concept each, as the built-in set does.
final class OverlappingGlossariesTests: XCTestCase {
    private var folder: URL!
    private let glossaryFiles = ["countries.tbx", "news-fr-en.csv"].map { TestPaths.repository.appendingPathComponent("Glossaries").appendingPathComponent($0).path }

    override func setUpWithError() throws {
        folder = TestPaths.temporaryFolder("verso-overlap")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func text() throws -> String {
        let path = folder.appendingPathComponent("belarus.fr.txt").path
        try "La Biélorussie et la Russie ont signé un accord à Minsk.\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func glossaryArguments() -> [String] { glossaryFiles.flatMap { ["--glossary", $0] } }

    /// A SQLite index built from both files.
    private func index() throws -> String {
        let path = folder.appendingPathComponent("both.sqlite").path
        let r = try VersoCommand.run(["glossary", "index"] + glossaryFiles + ["-o", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return path
    }

    /// `place: text → …  {concept-id, kind}` lines: (place, concept id) pairs.
    private func hits(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").compactMap { line -> String? in
            guard let brace = line.range(of: "  {", options: .backwards), let colon = line.range(of: ": ") else { return nil }
            let id = line[brace.upperBound...].split(separator: ",").first.map(String.init) ?? ""
            return "\(line[..<colon.lowerBound]) \(id)"
        }
    }

    func testTermsListsAConceptSharedByTwoGlossaryFilesOnce() throws {
        let input = try text()
        let r = try VersoCommand.run(["terms", input, "--source", "fr", "--target", "en"] + glossaryArguments())
        XCTAssertEqual(r.status, 0, r.stderr)
        let hits = hits(r.stdout)
        XCTAssertEqual(hits.count, Set(hits).count, "one occurrence per concept id and position: \(r.stdout)")
        XCTAssertEqual(hits.filter { $0.hasSuffix(" country-BY") }.count, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("\(input): 3 occurrences of 3 concepts"), r.stdout)
        // Merged, not dropped: the admitted English name from countries.tbx stays listed.
        XCTAssertTrue(r.stdout.contains("Russie → Russia; Russian Federation (admitted)"), r.stdout)
    }

    func testTermsOnAnIndexOfBothFilesMatchesTheFiles() throws {
        let input = try text()
        let files = try VersoCommand.run(["terms", input, "--source", "fr", "--target", "en"] + glossaryArguments())
        let indexed = try VersoCommand.run(["terms", input, "--source", "fr", "--target", "en", "--glossary", try index()])
        XCTAssertEqual(indexed.status, 0, indexed.stderr)
        XCTAssertTrue(indexed.stdout.contains("\(input): 3 occurrences of 3 concepts"), indexed.stdout)
        XCTAssertEqual(indexed.stdout, files.stdout)
    }

    func testTermsOnTheWholeSampleGivesNoDuplicateConceptAtAPosition() throws {
        let r = try VersoCommand.run(["terms", TestPaths.sample("seed-article.fr.txt").path, "--source", "fr", "--target", "en"] + glossaryArguments())
        XCTAssertEqual(r.status, 0, r.stderr)
        let hits = hits(r.stdout)
        XCTAssertFalse(hits.isEmpty, r.stdout)
        XCTAssertEqual(hits.count, Set(hits).count, r.stdout)
    }

    func testPrepareWritesOneNoteAndOneSubsetEntryPerSharedConcept() throws {
        let input = try text()
        for (label, glossary) in [("files", glossaryArguments()), ("index", ["--glossary", try index()])] {
            let out = folder.appendingPathComponent("out-\(label)")
            let r = try VersoCommand.run(["prepare", input, "--source", "fr", "--target", "en", "-o", out.path] + glossary)
            XCTAssertEqual(r.status, 0, "\(label): \(r.stderr)")
            let xliff = try String(contentsOf: out.appendingPathComponent("belarus.fr.txt.xlf"), encoding: .utf8)
            XCTAssertEqual(xliff.components(separatedBy: "annotates=\"source\">Biélorussie → ").count - 1, 1, "\(label): \(xliff)")
            XCTAssertEqual(xliff.components(separatedBy: "<note from=\"Verso glossary\"").count - 1, 3, "\(label): \(xliff)")
            XCTAssertTrue(xliff.contains("Russie → Russia | Russian Federation"), "\(label): merged entry: \(xliff)")
            let csv = try String(contentsOf: out.appendingPathComponent("belarus.fr.txt.glossary.csv"), encoding: .utf8)
            XCTAssertEqual(csv.split(separator: "\n").filter { $0.hasPrefix("country-BY,") }.count, 1, "\(label): \(csv)")
            XCTAssertEqual(csv.split(separator: "\n").count, 4, "\(label): header + 3 concepts: \(csv)")
            let tbx = try String(contentsOf: out.appendingPathComponent("belarus.fr.txt.glossary.tbx"), encoding: .utf8)
            XCTAssertEqual(tbx.components(separatedBy: "<termEntry id=\"country-BY").count - 1, 1, "\(label): \(tbx)")
        }
    }
}
