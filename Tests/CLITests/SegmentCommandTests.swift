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
        // "Then" goes on in lower case on the next line of a paragraph that ends like a sentence.
        XCTAssertEqual(result.stdout, "It was a cold night in the city.\nThen it rained.\n")
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
        XCTAssertTrue(result.stderr.hasPrefix("\(bad.path):2:2: error: invalid UTF-8 byte sequence at byte offset 5"), result.stderr)
        // The other file is still segmented.
        XCTAssertEqual(result.stdout, "Fine.\nReally.\n")
    }

    func testInvalidUTF8IsReportedAfterTheParagraphsBeforeItArePrinted() throws {
        let file = TestPaths.fixture("segmentation/invalid-utf8-third-paragraph.txt").path
        let result = try VersoCommand.run(["segment", "--lang", "fr", file])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "Première phrase.\nDeuxième.\n\nBon paragraphe ici.\n")
        XCTAssertTrue(result.stderr.hasPrefix("\(file):5:9: error: invalid UTF-8 byte sequence at byte offset 59"), result.stderr)
    }

    func testInvalidUTF8OnStdinNamesStdin() throws {
        let input = try Data(contentsOf: TestPaths.fixture("segmentation/invalid-utf8-third-paragraph.txt"))
        let result = try VersoCommand.runProcess(VersoCommand.executable, ["segment", "--lang", "fr", "--json"], stdin: input)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("<stdin>:5:9: error: "), result.stderr)
        // The JSON is still complete, with the sentences before the error.
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let segments = (object?["files"] as? [[String: Any]])?.first?["segments"] as? [[String: Any]]
        XCTAssertEqual(segments?.compactMap { $0["text"] as? String }, ["Première phrase.", "Deuxième.", "Bon paragraphe ici."])
    }

    func testEncodingOptionDecodesOtherCharsets() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("latin1.txt")
        try Data([0x43, 0x61, 0x66, 0xE9, 0x2E, 0x20, 0x54, 0x68, 0xE9, 0x2E]).write(to: file) // "Café. Thé." in ISO-8859-1
        let result = try VersoCommand.run(["segment", "--lang", "fr", "--encoding", "iso-8859-1", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Café.\nThé.\n")
        let unknown = try VersoCommand.run(["segment", "--lang", "fr", "--encoding", "klingon-8", file.path])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
    }

    /// Several MB are read a piece at a time: offsets stay relative to the whole file (after the
    /// BOM), in UTF-16, and every sentence is printed once, in order.
    func testLongFileIsStreamedWithFileRelativeUTF16Offsets() throws {
        let gzip = try XCTUnwrap(VersoCommand.which("gzip"))
        let corpus = try VersoCommand.runProcess(gzip, ["-dc", TestPaths.sharedFile("data/corpus/fr.txt.gz").path]).stdout
        var text = String(corpus.utf8.prefix(2_600_000)) ?? ""
        text = String(text[..<text.range(of: "\n\n", options: .backwards)!.lowerBound])
        text += "\n\nUn emoji 😀 au milieu. Puis la fin."
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("long.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: file)

        let result = try VersoCommand.run(["segment", "--lang", "fr", "--json", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let segments = try XCTUnwrap((object["files"] as? [[String: Any]])?.first?["segments"] as? [[String: Any]])
        let units = Array(text.utf16)
        var previousEnd = 0, previousParagraph = 0
        for segment in segments {
            let start = try XCTUnwrap(segment["utf16Start"] as? Int), end = try XCTUnwrap(segment["utf16End"] as? Int)
            let paragraph = try XCTUnwrap(segment["paragraph"] as? Int)
            XCTAssertGreaterThanOrEqual(start, previousEnd)
            XCTAssertTrue(paragraph == previousParagraph || paragraph == previousParagraph + 1)
            XCTAssertEqual(String(decoding: units[start..<end], as: UTF16.self), segment["text"] as? String)
            previousEnd = end
            previousParagraph = paragraph
        }
        XCTAssertEqual(segments.last?["text"] as? String, "Puis la fin.")
        XCTAssertEqual(previousParagraph + 1, text.components(separatedBy: "\n\n").filter { !$0.allSatisfy(\.isWhitespace) }.count)
        let lines = try VersoCommand.run(["segment", "--lang", "fr", file.path])
        XCTAssertEqual(lines.stdout.split(separator: "\n").count, segments.count)
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

    /// The OASIS schemas, offline through the shared catalog.
    private func xmllint(_ file: URL, schema: String) throws -> CommandResult {
        let standards = TestPaths.sharedFile("standards")
        let xmllint = try XCTUnwrap(VersoCommand.which("xmllint"), "xmllint (libxml2-utils) is installed by .ci/setup")
        return try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path, file.path],
                                           environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    func testResegmentedXLIFFValidatesAgainstTheOASISSchemas() throws {
        for (fixture, schema) in [("unsegmented-1.2.xlf", "xliff12/xliff-core-1.2-strict.xsd"), ("unsegmented-2.1.xlf", "xliff21-all-modules.xsd")] {
            let (xliff, result, folder) = try resegment(fixture)
            defer { try? FileManager.default.removeItem(at: folder) }
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertFalse(xliff.isEmpty)
            let check = try xmllint(folder.appendingPathComponent("out.xlf"), schema: schema)
            XCTAssertEqual(check.status, 0, "\(fixture): \(check.stderr)")
        }
    }

    /// A segment that a match refers to (`<mtc:match ref="#m1">`) keeps its id, so the reference
    /// still resolves (OASIS 2.1 suite file; the unit is one sentence, segmented the same way).
    func testSegmentIDsThatMatchesReferToAreKept() throws {
        let input = TestPaths.sharedFile("standards/conformance/xliff21/modules/valid/Good-mtc_match-with-inlines.xlf")
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.xlf")
        let result = try VersoCommand.run(["segment", input.path, "-o", output.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("1 unit, 0 re-segmented"), result.stderr)
        let xliff = try String(contentsOf: output, encoding: .utf8)
        XCTAssertTrue(xliff.contains(#"<segment id="m1">"#), xliff)
        let validation = try VersoCommand.run(["validate", output.path])
        XCTAssertEqual(validation.status, 0, validation.stdout + validation.stderr)
        XCTAssertEqual(try xmllint(output, schema: "xliff20-all-modules.xsd").status, 0)
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
