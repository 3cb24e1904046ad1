import Foundation
import TestSupport
import XCTest

/// `verso prepare` on what users run into after the first run: preparing its own output again,
/// inputs with the same name, other tools' XLIFF, usage errors, where warnings point.
final class PrepareCommandEdgeTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("prepare-edge")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private var seed: String { TestPaths.sample("seed-article.fr.txt").path }
    private var standards: URL { TestPaths.sharedFile("standards") }

    private func prepare(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        try VersoCommand.run(["prepare"] + arguments, in: directory)
    }

    private func xmllint(_ file: String, schema: String) throws -> CommandResult {
        guard let xmllint = VersoCommand.which("xmllint") else { throw MissingTool() }
        return try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path, file],
                                           environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    /// The interop checks are part of what must hold: a missing tool fails the test.
    private struct MissingTool: Error, CustomStringConvertible {
        var description: String { "xmllint is not installed (.ci/setup installs it)" }
    }

    private func count(_ pattern: String, in text: String) -> Int {
        (try? NSRegularExpression(pattern: pattern))?.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) ?? -1
    }

    /// The units of an XLIFF, from the first unit on (the skeleton before them is escaped
    /// differently once the file has been read and written again, meaning the same).
    private func units(_ text: String, version: String) -> Substring {
        let tag = version == "1.2" ? "<trans-unit " : "<unit "
        guard let start = text.range(of: tag) else { return "" }
        return text[start.lowerBound...]
    }

    // MARK: - preparing a prepared XLIFF again

    func testPreparingItsOwnOutputAgainMarksEachTermOnceAndKeepsTheVersion() throws {
        for version in ["1.2", "2.1"] {
            let first = folder.appendingPathComponent("first-\(version)"), second = folder.appendingPathComponent("second-\(version)")
            XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "--xliff", version, "-o", first.path, "--quiet"]).status, 0)
            let once = first.appendingPathComponent("seed-article.fr.txt.xlf").path
            let again = try prepare([once, "-o", second.path])
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertTrue(again.stdout.contains("(XLIFF \(version), → en)"), "the header names the version written: \(again.stdout)")
            XCTAssertTrue(again.stdout.contains(": 4 units, 21 segments, 354 words, 1821 characters, 48 terms"), again.stdout)
            XCTAssertFalse(again.stdout.contains("96 term"), again.stdout)

            let twice = second.appendingPathComponent("seed-article.fr.txt.xlf").path
            let before = try String(contentsOfFile: once, encoding: .utf8), after = try String(contentsOfFile: twice, encoding: .utf8)
            // XLIFF 1.2 has each marker twice: in <source> and in <seg-source>.
            XCTAssertEqual(count("<mrk (mtype=\"term\"|id=\"t[0-9]+\" type=\"term\")", in: after), version == "1.2" ? 96 : 48, version)
            XCTAssertEqual(count("<mrk mtype=\"term\"[^>]*><mrk mtype=\"term\"", in: after), 0, "no nested term markers (\(version))")
            XCTAssertEqual(count("<note from=\"Verso glossary\"", in: after), count("<note from=\"Verso glossary\"", in: before))
            XCTAssertEqual(count("<gls:glossEntry ", in: after), count("<gls:glossEntry ", in: before))
            XCTAssertEqual(units(after, version: version), units(before, version: version), "preparing again changes nothing in the units (\(version))")

            let validate = try VersoCommand.run(["validate", twice])
            XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
            let lint = try xmllint(twice, schema: version == "1.2" ? "xliff12/xliff-core-1.2-strict.xsd" : "xliff21-all-modules.xsd")
            XCTAssertEqual(lint.status, 0, lint.stderr)
        }
    }

    func testPreparingAgainWithAnotherGlossaryReplacesTheEarlierTerms() throws {
        let first = folder.appendingPathComponent("first"), second = folder.appendingPathComponent("second")
        XCTAssertEqual(try prepare([seed, "--source", "fr", "--target", "en", "--xliff", "2.1", "-o", first.path, "--quiet"]).status, 0)
        let glossary = folder.appendingPathComponent("mine.csv")
        try Data("fr,en\nmobilisation partielle,partial call-up\n".utf8).write(to: glossary)
        let result = try prepare([first.appendingPathComponent("seed-article.fr.txt.xlf").path, "--glossary", glossary.path, "--xliff", "1.2", "-o", second.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("(XLIFF 1.2, → en)"), result.stdout)
        let text = try String(contentsOfFile: second.appendingPathComponent("seed-article.fr.txt.xlf").path, encoding: .utf8)
        XCTAssertFalse(text.contains(">OTAN</mrk>"), "terms of the earlier glossary are gone")
        XCTAssertFalse(text.contains("gls:"), "XLIFF 2 glossary entries of the earlier run are gone")
        // The two occurrences of the new glossary's term, in <source> and in <seg-source>.
        XCTAssertEqual(count("<mrk mtype=\"term\"", in: text), 4)
        XCTAssertEqual(count("<mrk mtype=\"term\" mid=\"t[12]\" comment=\"partial call-up\">mobilisation partielle</mrk>", in: text), 4)
        XCTAssertTrue(text.contains("comment=\"partial call-up\">mobilisation partielle</mrk>"))
        let lint = try xmllint(second.appendingPathComponent("seed-article.fr.txt.xlf").path, schema: "xliff12/xliff-core-1.2-strict.xsd")
        XCTAssertEqual(lint.status, 0, lint.stderr)
    }

    // MARK: - inputs with the same name

    func testTwoInputsWithTheSameNameDoNotOverwriteEachOther() throws {
        let a = folder.appendingPathComponent("a/x.txt"), b = folder.appendingPathComponent("b/x.txt")
        for file in [a, b] { try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true) }
        try FileManager.default.copyItem(at: URL(fileURLWithPath: seed), to: a)
        try FileManager.default.copyItem(at: TestPaths.sample("seed-article.en.txt"), to: b)
        let other = TestPaths.sample("actualite.fr.html").path
        for jobs in ["1", "3"] {
            let out = folder.appendingPathComponent("out-\(jobs)")
            let result = try prepare([a.path, b.path, other, "--source", "fr", "--target", "en", "-o", out.path, "--jobs", jobs])
            XCTAssertEqual(result.status, 1, "a colliding input is an error")
            XCTAssertTrue(result.stderr.contains("\(b.path): error: its output \(out.path)/x.txt.xlf is also the output of \(a.path)"), result.stderr)
            XCTAssertTrue(result.stdout.contains("Prepared 2 of 3 files"), result.stdout)
            let written = try String(contentsOf: out.appendingPathComponent("x.txt.xlf"), encoding: .utf8)
            XCTAssertTrue(written.contains("Biélorussie"), "the first input keeps the output")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("actualite.fr.html.xlf").path), "the others are still prepared")
        }
    }

    // MARK: - other tools' XLIFF

    func testASourceWithPreservedSpaceKeepsItWhenATermIsMarked() throws {
        // XLIFF 2 `<source xml:space="preserve">` with a glossary term in it: marking the term
        // rebuilt the content and dropped the flag, so the output's source lost xml:space and a
        // tool could collapse the spaces.
        let input = folder.appendingPathComponent("preserve.xlf")
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="fr" trgLang="en">
          <file id="f1">
            <unit id="u1">
              <segment>
                <source xml:space="preserve">La  Biélorussie   et l’OTAN.</source>
              </segment>
            </unit>
          </file>
        </xliff>
        """.write(to: input, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let result = try prepare([input.path, "--source", "fr", "--target", "en", "-o", out.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let xliff = try String(contentsOf: out.appendingPathComponent("preserve.xlf"), encoding: .utf8)
        XCTAssertTrue(xliff.contains("<mrk"), "the term is marked: \(xliff)")
        XCTAssertTrue(xliff.contains("<source xml:space=\"preserve\">La  <"), xliff)
    }

    func testKeepExtensionsKeepsSDLXLIFFMarkupValidAgainstTheTransitionalSchema() throws {
        let input = standards.appendingPathComponent("conformance/okapi/sdlxliff/test1.docx.sdlxliff").path
        let original = try String(contentsOfFile: input, encoding: .utf8)
        let sdlNames = Set(matches("<sdl:[a-z-]+|sdl:[a-z-]+=", in: original))
        XCTAssertFalse(sdlNames.isEmpty)

        let dropped = try prepare([input, "-o", folder.appendingPathComponent("dropped").path])
        XCTAssertEqual(dropped.status, 0, dropped.stderr)
        XCTAssertTrue(dropped.stderr.contains("(sdl:) left out") && dropped.stderr.contains("use --keep-extensions"), dropped.stderr)
        let droppedOut = folder.appendingPathComponent("dropped/test1.docx.sdlxliff").path
        XCTAssertFalse(try String(contentsOfFile: droppedOut, encoding: .utf8).contains("<sdl:"))
        XCTAssertEqual(try xmllint(droppedOut, schema: "xliff12/xliff-core-1.2-strict.xsd").status, 0)

        let kept = try prepare([input, "--keep-extensions", "-o", folder.appendingPathComponent("kept").path])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertFalse(kept.stderr.contains("left out"), kept.stderr)
        let keptOut = folder.appendingPathComponent("kept/test1.docx.sdlxliff").path
        let text = try String(contentsOfFile: keptOut, encoding: .utf8)
        XCTAssertEqual(Set(matches("<sdl:[a-z-]+|sdl:[a-z-]+=", in: text)), sdlNames, "every sdl: element and attribute is kept")
        let lint = try xmllint(keptOut, schema: "xliff12/xliff-core-1.2-transitional.xsd")
        XCTAssertEqual(lint.status, 0, lint.stderr)
    }

    private func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    // MARK: - usage errors

    func testUsageErrorsFoundAfterParsingShowTheSubcommandsUsage() throws {
        let cases: [([String], String)] = [
            (["prepare", seed, "--target", "en", "-o", folder.path], "verso prepare"),
            (["prepare", seed, "--source", "fr", "-o", folder.path], "verso prepare"),
            (["convert", seed, "-o", folder.appendingPathComponent("x.xlf").path, "--to", "xliff1.2"], "verso convert"),
            (["terms", seed], "verso terms"),
            (["align", seed, TestPaths.sample("seed-article.en.txt").path, "-o", folder.appendingPathComponent("a.tmx").path], "verso align"),
        ]
        for (arguments, command) in cases {
            let result = try VersoCommand.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains("Usage: \(command) "), result.stderr)
            XCTAssertTrue(result.stderr.contains("See '\(command) --help'"), result.stderr)
            XCTAssertFalse(result.stderr.contains("<subcommand>"), result.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing written")
    }

    // MARK: - report

    func testReportPathsAreAsTheOutputFolderWasGiven() throws {
        let result = try prepare([seed, "--source", "fr", "--target", "en", "-o", "out", "--json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let file = (report["files"] as! [[String: Any]])[0]
        XCTAssertEqual(file["output"] as? String, "out/seed-article.fr.txt.xlf")
        XCTAssertEqual(file["glossaryFiles"] as? [String], ["out/seed-article.fr.txt.glossary.tbx", "out/seed-article.fr.txt.glossary.csv"])
        XCTAssertEqual(report["xliffVersion"] as? String, "1.2")
    }
}

/// Where prepare's warnings about terms point.
final class PrepareFindingLocationTests: XCTestCase {
    func testDiscouragedTermWarningsGiveLineAndColumnForTextAndTheUnitsLineForXLIFF() throws {
        let folder = TestPaths.temporaryFolder("prepare-locations")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = TestPaths.fixture("terminology/second-article.en.txt").path
        // The same places `verso terms` gives (TerminologyCLITests).
        let text = try VersoCommand.run(["prepare", path, "--source", "en", "--target", "fr", "-o", folder.appendingPathComponent("a").path, "--quiet"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.contains("\(path):1:14: warning: deprecated term 'Kiev' (use 'Kyiv')\n"), text.stderr)
        XCTAssertTrue(text.stderr.contains("\(path):3:218: warning: forbidden term 'White Russia' (use 'Belarus')\n"), text.stderr)

        // An XLIFF input: the line and column of the unit's start tag.
        let plain = folder.appendingPathComponent("b")
        XCTAssertEqual(try VersoCommand.run(["prepare", path, "--source", "en", "--target", "fr", "--no-terms", "-o", plain.path, "--quiet"]).status, 0)
        let xliff = plain.appendingPathComponent("second-article.en.txt.xlf").path
        let lines = try String(contentsOfFile: xliff, encoding: .utf8).components(separatedBy: "\n")
        func place(of unit: String) -> String? {
            guard let i = lines.firstIndex(where: { $0.contains("<trans-unit id=\"\(unit)\"") }) else { return nil }
            let column = lines[i].distance(from: lines[i].startIndex, to: lines[i].range(of: "<trans-unit")!.lowerBound) + 1
            return "\(i + 1):\(column)"
        }
        let u1 = try XCTUnwrap(place(of: "u1")), u2 = try XCTUnwrap(place(of: "u2"))
        let again = try VersoCommand.run(["prepare", xliff, "-o", folder.appendingPathComponent("c").path, "--quiet"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("\(xliff):\(u1): warning: deprecated term 'Kiev' (use 'Kyiv') in unit u1\n"), again.stderr)
        XCTAssertTrue(again.stderr.contains("\(xliff):\(u2): warning: forbidden term 'White Russia' (use 'Belarus') in unit u2\n"), again.stderr)
    }
}
