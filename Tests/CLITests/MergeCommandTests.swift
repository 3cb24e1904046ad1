import Foundation
import TestSupport
import XCTest

/// `verso merge` on documents prepared with `verso prepare`, whose targets a "translator" edited:
/// inline codes that do not match the source's, and segmented units translated in part.
final class MergeCommandTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("merge-cli")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    // Tests of a class run one after another (XCTest): the cache needs no lock.
    nonisolated(unsafe) private static var prepared: [String: String] = [:]

    /// The XLIFF `verso prepare` writes for a sample or fixture (prepared once per run).
    private func prepared(_ input: URL, xliff version: String, source: String = "fr") throws -> String {
        let key = "\(input.path)|\(version)"
        if let text = Self.prepared[key] { return text }
        let out = folder.appendingPathComponent("prepared-\(version)")
        let result = try VersoCommand.run(["prepare", input.path, "--source", source, "--target", "en", "--xliff", version, "--no-terms", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: out.appendingPathComponent(input.lastPathComponent + ".xlf").path, encoding: .utf8)
        Self.prepared[key] = text
        return text
    }

    private var page: URL { TestPaths.sample("actualite.fr.html") }
    private var article: URL { TestPaths.sample("seed-article.fr.txt") }

    /// Writes the edited XLIFF, merges it, and returns the result and the merged document.
    private func merge(_ xliff: String, name: String = "translated.xlf", strict: Bool = false) throws -> (result: CommandResult, output: String?, path: String) {
        let path = folder.appendingPathComponent(name).path
        try Data(xliff.utf8).write(to: URL(fileURLWithPath: path))
        let out = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let result = try VersoCommand.run(["merge", path, "-o", out.path] + (strict ? ["--strict"] : []))
        let documents = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        let output = documents.first.flatMap { try? String(contentsOfFile: out.appendingPathComponent($0).path, encoding: .utf8) }
        return (result, output, path)
    }

    /// The 1-based line where `<trans-unit id="…"` / `<unit id="…"` starts.
    private func line(ofUnit id: String, in xliff: String) -> Int {
        let lines = xliff.components(separatedBy: "\n")
        let index = lines.firstIndex { $0.contains("<trans-unit id=\"\(id)\"") || $0.contains("<unit id=\"\(id)\"") }
        return (index ?? -1) + 1
    }

    private func paragraph(_ html: String?, containing text: String) -> String {
        guard let html else { return "" }
        return html.components(separatedBy: "\n").first { $0.contains(text) } ?? ""
    }

    // MARK: - Inline codes that do not match the source's

    func testXLIFF12UnclosedCodeIsClosedAtTheEndOfTheUnitWithAWarning() throws {
        let xliff = try prepared(page, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "Several days after the announcement of <bpt id=\"1\">&lt;b&gt;</bpt>partial mobilisation in Russia, nearly 260,000 men reportedly left the country.")
        let (result, html, path) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(paragraph(html, containing: "Several days").contains("<p class=\"chapeau\">Several days after the announcement of <b>partial mobilisation in Russia, nearly 260,000 men reportedly left the country.</b></p>"), paragraph(html, containing: "Several days"))
        XCTAssertTrue(result.stderr.contains("\(path):\(line(ofUnit: "u14", in: edited)): warning: unit u14: closing code 1 (</b>) is missing from the translation: added at the end of the unit"), result.stderr)
        // --strict: the repair is an error.
        XCTAssertEqual(try merge(edited, strict: true).result.status, 1)
    }

    func testXLIFF12CodeNotInTheSourceIsAnErrorAndTheUnitKeepsItsSource() throws {
        let xliff = try prepared(page, xliff: "1.2")
        var edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "Several days after the announcement of <bpt id=\"1\">&lt;b&gt;</bpt>partial mobilisation<ept id=\"7\">&lt;/b&gt;</ept> in Russia.")
        edited = try XLIFFTargets.set(in: edited, unit: "u16", to: "No mobilisation in Belarus")
        let (result, html, path) = try merge(edited)
        XCTAssertEqual(result.status, 1, "an error finding fails the run")
        XCTAssertTrue(result.stderr.contains("\(path):\(line(ofUnit: "u14", in: edited)): error: unit u14: the inline codes of the translation do not match the source's (closing code 7 (</b>) is not in the source)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the unit is written in the source language"), result.stderr)
        // The document is still written: that unit from its source, the other translations merged.
        XCTAssertTrue(paragraph(html, containing: "Plusieurs jours").contains("l’annonce de la <b>mobilisation partielle</b> en Russie"), paragraph(html, containing: "Plusieurs jours"))
        XCTAssertFalse(html?.contains("partial mobilisation") ?? true)
        XCTAssertTrue(html?.contains("No mobilisation in Belarus") ?? false)
        XCTAssertTrue(result.stdout.contains("1 error"), result.stdout)
    }

    func testConvertMergeLeavesNoDocumentForAnXLIFFWithUnitErrors() throws {
        // A batch must not leave an output a later run would take for up to date.
        let xliff = try prepared(page, xliff: "1.2")
        let bad = try XLIFFTargets.set(in: xliff, unit: "u14", to: "After <bpt id=\"1\">&lt;b&gt;</bpt>partial<ept id=\"7\">&lt;/b&gt;</ept> mobilisation.")
        let good = try XLIFFTargets.set(in: try prepared(article, xliff: "1.2"), unit: "u2", to: "“They will come back”")
        let tree = folder.appendingPathComponent("translated")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try Data(bad.utf8).write(to: tree.appendingPathComponent("page.xlf"))
        try Data(good.utf8).write(to: tree.appendingPathComponent("article.xlf"))
        let out = folder.appendingPathComponent("site")
        let result = try VersoCommand.run(["convert", tree.path, "--merge", "-o", out.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("error: unit u14: the inline codes of the translation do not match"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("actualite.fr.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("seed-article.fr.txt").path))
    }

    func testXLIFF2StartCodeWithoutEndCodeIsClosedWithAWarning() throws {
        let xliff = try prepared(page, xliff: "2.1")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "Several days after the announcement of <sc id=\"1\" dataRef=\"d1\"/>partial mobilisation in Russia.")
        let (result, html, path) = try merge(edited)
        // verso validate rejects the file; merge repairs the unit and says so.
        let validate = try VersoCommand.run(["validate", path])
        XCTAssertEqual(validate.status, 1)
        XCTAssertTrue(validate.stderr.contains("has no <ec>"), validate.stderr)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(path):\(line(ofUnit: "u14", in: edited)): warning: unit u14: closing code 1 (</b>) is missing from the translation"), result.stderr)
        XCTAssertTrue(paragraph(html, containing: "Several days").contains("Several days after the announcement of <b>partial mobilisation in Russia.</b></p>"), paragraph(html, containing: "Several days"))
    }

    func testXLIFF2CodeNotInTheSourceIsAnError() throws {
        let xliff = try prepared(page, xliff: "2.1")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "After <pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d2\">partial</pc> <pc id=\"9\" dataRefStart=\"d1\" dataRefEnd=\"d2\">mobilisation</pc> in Russia.")
        let (result, html, path) = try merge(edited)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(path):\(line(ofUnit: "u14", in: edited)): error: unit u14: the inline codes of the translation do not match the source's (code 9 (<b>…</b>) is not in the source)"), result.stderr)
        XCTAssertTrue(paragraph(html, containing: "Plusieurs jours").contains("<b>mobilisation partielle</b>"))
    }

    func testDuplicatedCodeIsAnError() throws {
        let xliff = try prepared(page, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "After <bpt id=\"1\">&lt;b&gt;</bpt>partial<ept id=\"1\">&lt;/b&gt;</ept> <bpt id=\"1\">&lt;b&gt;</bpt>mobilisation<ept id=\"1\">&lt;/b&gt;</ept> in Russia.")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("code 1 (<b>…</b>) appears twice (the source has it once)"), result.stderr)
        XCTAssertTrue(paragraph(html, containing: "Plusieurs jours").contains("<b>mobilisation partielle</b>"))
    }

    func testClosingCodeBeforeItsOpeningIsAnError() throws {
        let xliff = try prepared(page, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "After <ept id=\"1\">&lt;/b&gt;</ept>partial mobilisation<bpt id=\"1\">&lt;b&gt;</bpt> in Russia.")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("closing code 1 (</b>) comes before its opening code"), result.stderr)
        XCTAssertFalse(html?.contains("</b>partial") ?? true)
    }

    func testOverlappingCodesAreAnError() throws {
        let xliff = try prepared(page, xliff: "1.2")
        // <b> and <time> nest one after the other in the source; the translation crosses them.
        let edited = try XLIFFTargets.set(in: xliff, unit: "u10", to: "By <bpt id=\"1\">&lt;b&gt;</bpt>Marie <bpt id=\"2\">&lt;time&gt;</bpt>Dupont<ept id=\"1\">&lt;/b&gt;</ept> 27 September 2022<ept id=\"2\">&lt;/time&gt;</ept> at 10:30")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("overlap"), result.stderr)
        XCTAssertTrue(paragraph(html, containing: "class=\"meta\"").contains("Par <b>Marie Dupont</b>, publié le"))
    }

    func testMissingOpeningCodeIsAddedWhereItsSpanStarts() throws {
        let xliff = try prepared(page, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u10", to: "By <bpt id=\"1\">&lt;b&gt;</bpt>Marie Dupont<ept id=\"1\">&lt;/b&gt;</ept>, published on 27 September 2022<ept id=\"2\">&lt;/time&gt;</ept> at 10:30")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: unit u10: opening code 2 (<time datetime=\"2022-09-27\">) is missing from the translation: added at the start of the unit"), result.stderr)
        XCTAssertTrue(paragraph(html, containing: "class=\"meta\"").contains("<p class=\"meta\"><time datetime=\"2022-09-27\">By <b>Marie Dupont</b>, published on 27 September 2022</time> at 10:30</p>"), paragraph(html, containing: "class=\"meta\""))
    }

    func testCodeDeletedByTheTranslatorIsLeftOutWithAWarning() throws {
        let xliff = try prepared(page, xliff: "1.2")
        // The search form: <label>…</label> <input placeholder=…> <input value=…>; both inputs
        // carry a nested unit (their attribute values). The translation drops one input.
        let edited = try XLIFFTargets.set(in: xliff, unit: "u22", to: "<bpt id=\"1\">&lt;label&gt;</bpt>Search<ept id=\"1\">&lt;/label&gt;</ept> <ph id=\"2\">&lt;input&gt;</ph>")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: unit u22: code 3 (<input type=\"submit\" value=\"Envoyer\">) is missing from the translation: left out"), result.stderr)
        XCTAssertFalse(result.stderr.contains("not in the original document"), "the nested unit of the dropped code is not unknown: \(result.stderr)")
        let form = paragraph(html, containing: "<label for=\"q\">")
        XCTAssertTrue(form.contains("<label for=\"q\">Search</label> <input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Rechercher un article\">"), form)
        XCTAssertFalse(form.contains("submit"), form)
    }

    func testCodesAreWrittenFromTheSourceNotFromTheTranslation() throws {
        let xliff = try prepared(page, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u14", to: "After <bpt id=\"1\">&lt;script&gt;</bpt>partial mobilisation<ept id=\"1\">&lt;/script&gt;</ept> in Russia.")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(paragraph(html, containing: "After").contains("After <b>partial mobilisation</b> in Russia."), paragraph(html, containing: "After"))
    }

    func testTranslationFollowingMisnestedSourceMarkupMergesWithoutError() throws {
        // odd-markup.html: <b>gras <i>et italique</b> mal imbriqués</i> — the parser keeps the <i>
        // as an isolated opening code (its end tag is dropped): nothing to pair, nothing to add.
        let fixture = TestPaths.fixture("html/odd-markup.html")
        let xliff = try prepared(fixture, xliff: "1.2")
        guard let unit = XLIFFTargets.unitID(in: xliff, containing: "mal imbriqués") else { return XCTFail("no unit with the misnested markup") }
        let source = try XCTUnwrap(XLIFFTargets.source(in: xliff, unit: unit))
        let translated = source.replacingOccurrences(of: "gras", with: "bold").replacingOccurrences(of: "mal imbriqués", with: "badly nested")
        let (result, html, _) = try merge(try XLIFFTargets.set(in: xliff, unit: unit, to: translated))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains(unit + ":"), result.stderr)
        XCTAssertTrue(html?.contains("<div>Un <b>bold <i>et italique</b> badly nested puis</div>") ?? false, html ?? "")
    }

    func testMissingClosingCodeIsAddedBeforeTheEnclosingClosingCode() throws {
        let fixture = TestPaths.fixture("html/nested-inline.html")
        let xliff = try prepared(fixture, xliff: "1.2")
        let unit = try XCTUnwrap(XLIFFTargets.unitID(in: xliff, containing: "complet"))
        let edited = try XLIFFTargets.set(in: xliff, unit: unit, to: "Read <bpt id=\"1\">&lt;a&gt;</bpt>the <bpt id=\"2\">&lt;b&gt;</bpt>full file<ept id=\"1\">&lt;/a&gt;</ept> on the site.")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(html?.contains("<p>Read <a href=\"/dossier/\">the <b>full file</b></a> on the site.</p>") ?? false, html ?? "")
        XCTAssertTrue(result.stderr.contains("unit \(unit): closing code 2 (</b>) is missing from the translation: added before closing code 1 (</a>)"), result.stderr)
    }

    func testMissingOpeningCodeIsAddedAfterTheEnclosingOpeningCode() throws {
        let fixture = TestPaths.fixture("html/nested-inline.html")
        let xliff = try prepared(fixture, xliff: "2.1")
        let unit = try XCTUnwrap(XLIFFTargets.unitID(in: xliff, containing: "complet"))
        let edited = try XLIFFTargets.set(in: xliff, unit: unit, to: "Read <sc id=\"1\" dataRef=\"d1\"/>the full file<ec id=\"2\" isolated=\"yes\" dataRef=\"d3\"/> too<ec startRef=\"1\" dataRef=\"d4\"/> on the site.")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(html?.contains("<p>Read <a href=\"/dossier/\"><b>the full file</b> too</a> on the site.</p>") ?? false, html ?? "")
        XCTAssertTrue(result.stderr.contains("unit \(unit): opening code 2 (<b>) is missing from the translation: added after opening code 1 (<a href=\"/dossier/\">)"), result.stderr)
    }

    func testMissingClosingCodeIsAddedAtTheEndOfItsSegment() throws {
        let fixture = TestPaths.fixture("html/nested-inline.html")
        let xliff = try prepared(fixture, xliff: "1.2")
        let unit = try XCTUnwrap(XLIFFTargets.unitID(in: xliff, containing: "phrase est courte"))
        let edited = try XLIFFTargets.set(in: xliff, unit: unit, to: "<mrk mtype=\"seg\" mid=\"1\">The <bpt id=\"1\">&lt;em&gt;</bpt>first sentence is short.</mrk> <mrk mtype=\"seg\" mid=\"2\">The second <bpt id=\"2\">&lt;b&gt;</bpt>too<ept id=\"2\">&lt;/b&gt;</ept>.</mrk>")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(html?.contains("<p>The <em>first sentence is short.</em> The second <b>too</b>.</p>") ?? false, html ?? "")
        XCTAssertTrue(result.stderr.contains("unit \(unit): closing code 1 (</em>) is missing from the translation: added at the end of the segment"), result.stderr)
    }

    // MARK: - Segmented units translated in part, or as a whole

    func testXLIFF12MissingTargetSegmentsKeepTheSpacesBetweenSentences() throws {
        let xliff = try prepared(article, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u1", to: "<mrk mtype=\"seg\" mid=\"1\">EN one.</mrk> <mrk mtype=\"seg\" mid=\"3\">EN three.</mrk>")
        let (result, text, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        let first = text?.components(separatedBy: "\n").first { $0.contains("EN one.") } ?? ""
        XCTAssertTrue(first.contains("EN one. Cette annonce a créé un tollé dans le pays, mais aussi dans le monde. EN three. Selon des chiffres"), first)
        XCTAssertTrue(result.stderr.contains("warning: unit u1 partly translated: segments 2, 4, 5 use the source text"), result.stderr)
        XCTAssertFalse(result.stderr.contains("u1,") || result.stderr.contains("units u1 "), "u1 is not listed as not translated: \(result.stderr)")
    }

    func testXLIFF12AndXLIFF2MergeAPartlyTranslatedUnitAlike() throws {
        let x12 = try XLIFFTargets.set(in: try prepared(article, xliff: "1.2"), unit: "u1", to: "<mrk mtype=\"seg\" mid=\"2\">EN two.</mrk>")
        let x2 = try XLIFFTargets.set(in: try prepared(article, xliff: "2.1"), unit: "u1", to: "EN two.", segment: 2)
        let a = try merge(x12, name: "a.xlf"), b = try merge(x2, name: "b.xlf")
        XCTAssertEqual(a.result.status, 0, a.result.stderr)
        XCTAssertEqual(b.result.status, 0, b.result.stderr)
        XCTAssertNotNil(a.output)
        XCTAssertEqual(a.output, b.output)
        XCTAssertTrue(a.output?.contains("des citoyens, en vue de combattre en Ukraine. EN two. En conséquence") ?? false, a.output ?? "")
    }

    func testXLIFF12PlainTargetOnASegmentedUnitTranslatesTheWholeUnit() throws {
        let xliff = try prepared(article, xliff: "1.2")
        let edited = try XLIFFTargets.set(in: xliff, unit: "u1", to: "The whole first paragraph, translated in one piece.")
        let (result, text, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = text?.components(separatedBy: "\n") ?? []
        let translated = lines.first { $0.contains("The whole first paragraph") } ?? ""
        XCTAssertEqual(translated.trimmingCharacters(in: .whitespaces), "The whole first paragraph, translated in one piece.", "no source sentence appended")
        XCTAssertFalse(text?.contains("Cette annonce a créé un tollé") ?? true)
        XCTAssertFalse(result.stderr.contains("attached to the first segment"), result.stderr)
        XCTAssertFalse(result.stderr.contains("partly"), result.stderr)
        // The other units are reported as not translated, u1 is not.
        XCTAssertTrue(result.stderr.contains("warning: 3 units u2, u3, u4 not translated: the source text is used"), result.stderr)
    }

    func testNotTranslatedAndPartlyTranslatedUnitsAreReportedApart() throws {
        let xliff = try prepared(page, xliff: "1.2")
        var edited = try XLIFFTargets.set(in: xliff, unit: "u15", to: "<mrk mtype=\"seg\" mid=\"2\">He compared it to 2020.</mrk>")
        edited = try XLIFFTargets.set(in: edited, unit: "u13", to: "<mrk mtype=\"seg\" mid=\"1\">Alexander Lukashenko at a press conference in Minsk.</mrk>")
        let (result, html, _) = try merge(edited)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: 2 units partly translated, their other segments use the source text: u13 (segment 2), u15 (segment 1)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("not translated: the source text is used"), result.stderr)
        XCTAssertFalse(result.stderr.range(of: "u13[,a-z ]* not translated", options: .regularExpression) != nil, result.stderr)
        XCTAssertTrue(html?.contains("<figcaption>Alexander Lukashenko at a press conference in Minsk.<br>Photo&nbsp;: BelTA</figcaption>") ?? false, html ?? "")
        XCTAssertTrue(html?.contains("fui la <em>Biélorussie</em>") == false)
        XCTAssertTrue(html?.contains("ils reviendront&nbsp;». He compared it to 2020.</p>") ?? false, html ?? "")
    }
}

/// Edits targets in an XLIFF file's text, as a translator's tool would.
enum XLIFFTargets {
    struct EditError: Error, CustomStringConvertible {
        var description: String
    }

    /// The unit element's range (`<trans-unit id=…>…</trans-unit>` or `<unit id=…>…</unit>`).
    private static func unitRange(_ xliff: String, _ id: String) throws -> Range<String.Index> {
        for element in ["trans-unit", "unit"] {
            if let start = xliff.range(of: "<\(element) id=\"\(id)\""), let end = xliff.range(of: "</\(element)>", range: start.upperBound..<xliff.endIndex) {
                return start.lowerBound..<end.upperBound
            }
        }
        throw EditError(description: "unit \(id) not found")
    }

    /// Sets the target of unit `id`: XLIFF 1.2, the whole `<target>` (after `<seg-source>` when
    /// there is one); XLIFF 2, the target of segment number `segment`.
    static func set(in xliff: String, unit id: String, to target: String, segment: Int = 1) throws -> String {
        let range = try unitRange(xliff, id)
        var block = String(xliff[range])
        if block.hasPrefix("<trans-unit") {
            let anchor = block.range(of: "</seg-source>") ?? block.range(of: "</source>")
            guard let anchor else { throw EditError(description: "no <source> in \(id)") }
            block.insert(contentsOf: "\n        <target>\(target)</target>", at: anchor.upperBound)
        } else {
            var searchFrom = block.startIndex
            for _ in 1..<segment {
                guard let next = block.range(of: "</segment>", range: searchFrom..<block.endIndex) else { throw EditError(description: "no segment \(segment) in \(id)") }
                searchFrom = next.upperBound
            }
            guard let seg = block.range(of: "<segment", range: searchFrom..<block.endIndex),
                  let end = block.range(of: "</source>", range: seg.upperBound..<block.endIndex) else { throw EditError(description: "no segment \(segment) in \(id)") }
            block.insert(contentsOf: "\n    <target>\(target)</target>", at: end.upperBound)
        }
        var out = xliff
        out.replaceSubrange(range, with: block)
        return out
    }

    /// The inner XML of the unit's `<source>`.
    static func source(in xliff: String, unit id: String) -> String? {
        guard let range = try? unitRange(xliff, id) else { return nil }
        let block = xliff[range]
        guard let open = block.range(of: "<source"), let close = block.range(of: ">", range: open.upperBound..<block.endIndex),
              let end = block.range(of: "</source>", range: close.upperBound..<block.endIndex) else { return nil }
        return String(block[close.upperBound..<end.lowerBound])
    }

    /// The id of the first unit whose text contains `text`.
    static func unitID(in xliff: String, containing text: String) -> String? {
        guard let hit = xliff.range(of: text) else { return nil }
        let before = xliff[..<hit.lowerBound]
        let starts = ["<trans-unit id=\"", "<unit id=\""].compactMap { before.range(of: $0, options: .backwards) }
        guard let start = starts.max(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        let rest = xliff[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
