import Foundation
import TestSupport
import XCTest

/// `verso segment` and `verso prepare` on hard-wrapped text: a wrapped line break does not cut
/// a sentence, and prepare → merge still gives the file back byte for byte.
final class HardWrappedTextCLITests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("hard-wrapped")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The first paragraph of Project Gutenberg's Pride and Prejudice (#1342), as the e-text wraps it.
    private let gutenberg = try! String(contentsOf: TestPaths.fixture("text/pride-and-prejudice-wrapped.txt"), encoding: .utf8)
        .components(separatedBy: "\n\n")[0] + "\n"

    func testSegmentJoinsASentenceWrappedOntoTheNextLine() throws {
        let result = try VersoCommand.runProcess(VersoCommand.executable, ["segment", "--lang", "fr"], stdin: Data("Ceci est une phrase\nqui continue ici.".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Ceci est une phrase qui continue ici.\n")
    }

    func testSegmentPrintsGutenbergSentencesWhole() throws {
        let result = try VersoCommand.runProcess(VersoCommand.executable, ["segment", "--lang", "en"], stdin: Data(gutenberg.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n"), [
            "Mr. Bennet was so odd a mixture of quick parts, sarcastic humour, reserve, and caprice, that the experience of three-and-twenty years had been insufficient to make his wife understand his character.",
            "Her mind was less difficult to develop.",
            "She was a woman of mean understanding, little information, and uncertain temper.",
            "When she was discontented, she fancied herself nervous.",
            "The business of her life was to get her daughters married; its solace was visiting and news.",
        ])
    }

    func testSegmentKeepsTheLinesOfAList() throws {
        let result = try VersoCommand.runProcess(VersoCommand.executable, ["segment", "--lang", "en"], stdin: Data("apples\ngreen pears\nplums, cherries\n".utf8))
        XCTAssertEqual(result.stdout, "apples\ngreen pears\nplums, cherries\n")
    }

    func testPrepareGivesWholeSentencesAndMergeRestoresTheFile() throws {
        let input = folder.appendingPathComponent("chapter.txt")
        let original = Data(gutenberg.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        try original.write(to: input)
        let out = folder.appendingPathComponent("out")
        let prepared = try VersoCommand.run(["prepare", input.path, "--source", "en", "--target", "fr", "--copy-source", "--no-terms", "-o", out.path, "--quiet"])
        XCTAssertEqual(prepared.status, 0, prepared.stderr)
        let xliff = try String(contentsOf: out.appendingPathComponent("chapter.txt.xlf"), encoding: .utf8)
        XCTAssertTrue(xliff.contains(">Mr. Bennet was so odd a mixture of quick parts, sarcastic humour, reserve, and caprice, that the experience of three-and-twenty years had been insufficient to make his wife understand his character.<"), xliff)
        XCTAssertTrue(xliff.contains(">Her mind was less difficult to develop.<"), xliff)
        let merged = folder.appendingPathComponent("merged")
        let merge = try VersoCommand.run(["merge", out.appendingPathComponent("chapter.txt.xlf").path, "-o", merged.path, "--quiet"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent("chapter.txt")), original)
    }
}
