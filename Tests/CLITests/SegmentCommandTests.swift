import Foundation
import TestSupport
import XCTest

/// `verso segment`: text in, one sentence per line (or JSON) out.
final class SegmentCommandTests: XCTestCase {
    func testStdinGivesOneSentencePerLineAndBlankLinesBetweenParagraphs() throws {
        let input = "M. Dupont est arrivé à 15 h 30. Il a parlé.\n\nLa séance est levée.\n"
        let result = try VersoCommand.run(["segment", "--lang", "fr"], stdin: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "M. Dupont est arrivé à 15 h 30.\nIl a parlé.\n\nLa séance est levée.\n")
    }

    func testSourceIsAnAliasOfLangAndLineBreaksInsideASentenceBecomeSpaces() throws {
        let result = try VersoCommand.run(["segment", "--source", "en"], stdin: "It was a cold \nnight in the city. Then\nit rained.")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "It was a cold night in the city.\nThen\nit rained.\n")
    }

    func testFilesAreReadInOrder() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.txt"), b = folder.appendingPathComponent("b.txt")
        try "One. Two.".write(to: a, atomically: true, encoding: .utf8)
        try "Three.".write(to: b, atomically: true, encoding: .utf8)
        let result = try VersoCommand.run(["segment", "--lang", "en", a.path, b.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "One.\nTwo.\n\nThree.\n")
    }

    func testJSONGivesUTF16Offsets() throws {
        let text = "Le café coûte 2 €. 😀 Très cher !"
        let result = try VersoCommand.run(["segment", "--lang", "fr", "--json"], stdin: text)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["offsetUnit"] as? String, "utf16")
        let files = object["files"] as! [[String: Any]]
        XCTAssertEqual(files.first?["path"] as? String, "<stdin>")
        let segments = files[0]["segments"] as! [[String: Any]]
        XCTAssertEqual(segments.count, 2)
        let units = Array(text.utf16)
        for segment in segments {
            let start = segment["utf16Start"] as! Int, end = segment["utf16End"] as! Int
            XCTAssertEqual(String(decoding: units[start..<end], as: UTF16.self), segment["text"] as? String)
        }
        XCTAssertEqual(segments[1]["text"] as? String, "😀 Très cher !")
        XCTAssertEqual(segments[1]["utf16Start"] as? Int, 19)
    }

    func testMissingLanguageIsAUsageError() throws {
        let result = try VersoCommand.run(["segment"], stdin: "Hello.")
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--lang"), result.stderr)
    }

    func testInvalidUTF8NamesTheFileAndByteOffset() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.txt")
        try Data([0x48, 0x69, 0x2E, 0x0A, 0x20, 0xC3, 0x28, 0x2E]).write(to: bad)
        let good = folder.appendingPathComponent("good.txt")
        try "Fine. Really.".write(to: good, atomically: true, encoding: .utf8)
        let result = try VersoCommand.run(["segment", "--lang", "en", bad.path, good.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("\(bad.path):2: error: invalid UTF-8 at byte offset 5"), result.stderr)
        // The other file is still segmented.
        XCTAssertEqual(result.stdout, "Fine.\nReally.\n")
    }

    func testMissingFileIsAnErrorNamingIt() throws {
        let result = try VersoCommand.run(["segment", "--lang", "en", "/nonexistent/input.txt"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("/nonexistent/input.txt: error: "), result.stderr)
    }

    func testInvalidSRXRuleIsReportedWithLineAndColumn() throws {
        let srx = TestPaths.fixture("segmentation/bad-regex.srx").path
        let result = try VersoCommand.run(["segment", "--lang", "en", "--srx", srx], stdin: "Hello.")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("\(srx):12:23: error: beforebreak of no-break rule in languagerule \"Broken\""), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testUTF16InputWithBOM() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("utf16.txt")
        var data = Data([0xFF, 0xFE])
        data.append("Un. Deux.".data(using: .utf16LittleEndian)!)
        try data.write(to: file)
        let result = try VersoCommand.run(["segment", "--lang", "fr", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Un.\nDeux.\n")
    }

    func testOtherSRXFileWithItsOwnLanguageCode() throws {
        let srx = TestPaths.sharedFile("data/segmentation/srx/languagetool-segment.srx").path
        let result = try VersoCommand.run(["segment", "--lang", "en_two", "--srx", srx], stdin: "Mr. Smith came. He sat.")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Mr. Smith came.\nHe sat.\n")
    }
}

/// `verso segment FILE.xlf -o OUT.xlf`: XLIFF re-segmented in the same version.
final class SegmentXLIFFCommandTests: XCTestCase {
    private func resegment(_ fixture: String) throws -> (String, CommandResult, URL) {
        let folder = TestPaths.temporaryFolder()
        let output = folder.appendingPathComponent("out.xlf")
        let result = try VersoCommand.run(["segment", TestPaths.fixture("segmentation/\(fixture)").path, "-o", output.path])
        let written = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return (written, result, folder)
    }

    func testXLIFF12UnitsAreSplitWithSegSource() throws {
        let (xliff, result, folder) = try resegment("unsegmented-1.2.xlf")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(xliff.contains(#"<seg-source><mrk mtype="seg" mid="1">M. Dupont est arrivé à 15 h 30.</mrk> <mrk mtype="seg" mid="2">Il a parlé <g id="1">longtemps. Trop</g> longtemps.</mrk> <mrk mtype="seg" mid="3">Fin.</mrk></seg-source>"#), xliff)
        // The translated unit and the one not to translate are copied unchanged.
        XCTAssertFalse(xliff.contains("Déjà traduit.</mrk>"), xliff)
        XCTAssertFalse(xliff.contains("Ne pas toucher.</mrk>"), xliff)
        let validation = try VersoCommand.run(["validate", folder.appendingPathComponent("out.xlf").path])
        XCTAssertEqual(validation.status, 0, validation.stdout + validation.stderr)
    }

    func testXLIFF2UnitsGetSegmentsAndIgnorables() throws {
        let (xliff, result, folder) = try resegment("unsegmented-2.1.xlf")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(xliff.contains("<source>M. Dupont est arrivé à 15 h 30.</source>"), xliff)
        XCTAssertTrue(xliff.contains("<ignorable>"), xliff)
        XCTAssertTrue(xliff.contains(#"<source>Il a parlé <pc id="1">longtemps. Trop</pc> longtemps.</source>"#), xliff)
        XCTAssertTrue(xliff.contains("<source>Déjà traduit. Oui.</source>"), xliff)
        let validation = try VersoCommand.run(["validate", folder.appendingPathComponent("out.xlf").path])
        XCTAssertEqual(validation.status, 0, validation.stdout + validation.stderr)
    }

    func testXLIFFWithoutOutputIsAUsageError() throws {
        let result = try VersoCommand.run(["segment", TestPaths.fixture("segmentation/unsegmented-1.2.xlf").path])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("-o"), result.stderr)
    }

    func testOutputNeverOverwritesTheInput() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.xlf")
        try FileManager.default.copyItem(at: TestPaths.fixture("segmentation/unsegmented-1.2.xlf"), to: input)
        let before = try Data(contentsOf: input)
        let result = try VersoCommand.run(["segment", input.path, "-o", input.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(try Data(contentsOf: input), before)
    }
}
