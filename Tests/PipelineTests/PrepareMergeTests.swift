import Foundation
import XCTest
import Diagnostics
import FileAccess
import Formats
import Segmentation
import Terminology
import TestSupport
import TranslationModel
import XLIFF
@testable import Pipeline

/// prepare → (translate) → merge through the library, on real documents.
final class PrepareMergeTests: XCTestCase {
    static let segmenters = Segmenters()

    static let builtInTerms: TermRecognizers = {
        TermRecognizers(glossary: try! BuiltInGlossaries.glossary(), names: [])
    }()

    private func preparer(version: XLIFFVersion = .v1_2, copySource: Bool = true, terms: Bool = true, source: String? = "fr", usage: TermUsageLog? = nil) -> DocumentPreparer {
        var stages: [any Stage] = [SegmentationStage(segmenters: Self.segmenters)]
        if terms { stages.append(TermRecognitionStage(recognizers: Self.builtInTerms, usage: usage)) }
        if copySource { stages.append(CopySourceStage()) }
        return DocumentPreparer(options: PrepareOptions(sourceLanguage: source, targetLanguage: "en", xliffVersion: version), pipeline: Pipeline(stages))
    }

    private func roundTrip(_ input: URL, version: XLIFFVersion = .v1_2, terms: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = TestPaths.temporaryFolder("prepare")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prepared = try preparer(version: version, terms: terms).prepare(input: input.path, into: folder.path)
        var claimed = Set<String>()
        let merged = try TranslationMerge.merge(xliff: prepared.output, into: folder.appendingPathComponent("merged").path, claimedOutputs: &claimed)
        XCTAssertEqual(merged.outputs.count, 1, file: file, line: line)
        let original = try Data(contentsOf: input)
        let back = try Data(contentsOf: URL(fileURLWithPath: merged.outputs[0]))
        XCTAssertEqual(URL(fileURLWithPath: merged.outputs[0]).lastPathComponent, input.lastPathComponent, file: file, line: line)
        XCTAssertTrue(back == original, "\(input.lastPathComponent) (XLIFF \(version.rawValue)) does not come back byte for byte", file: file, line: line)
    }

    static var documents: [URL] {
        ["seed-article.fr.txt", "seed-article.en.txt", "actualite.fr.html"].map(TestPaths.sample)
            + ["crlf-uppercase.html", "bom-no-final-newline.html", "entities-comments.html", "odd-markup.html", "latin1-meta.html"].map { TestPaths.fixture("html/\($0)") }
    }

    func testDocumentsComeBackByteForByteThroughXLIFF12() throws {
        for d in Self.documents { try roundTrip(d, version: .v1_2) }
    }

    func testDocumentsComeBackByteForByteThroughXLIFF2() throws {
        for d in Self.documents {
            try roundTrip(d, version: .v2_1)
            try roundTrip(d, version: .v2_2)
        }
    }

    func testLargeDocumentComesBackByteForByte() throws {
        // Several MB: the skeleton spool and the splice go through many buffers.
        let folder = TestPaths.temporaryFolder("large")
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = try String(contentsOf: TestPaths.sample("seed-article.fr.txt"), encoding: .utf8)
        var text = ""
        // Separators that change every paragraph: no unit run, a skeleton line per unit.
        for i in 0..<700 { text += "\(i). " + seed + (i % 2 == 0 ? "\r\n\r\n" : "\n\n\n") }
        let input = folder.appendingPathComponent("large.txt")
        try Data(text.utf8).write(to: input)
        try roundTrip(input, terms: false)
        try roundTrip(input, version: .v2_1, terms: false)
    }

    func testGeneratedCorpusDocumentsComeBackByteForByte() throws {
        let tree = TestPaths.temporaryFolder("corpus-docs")
        defer { try? FileManager.default.removeItem(at: tree) }
        try GeneratedInputs.batchTree(count: 150, into: tree)
        let files = FileManager.default.enumerator(at: tree, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { ["txt", "html"].contains($0.pathExtension) }
        XCTAssertGreaterThan(files.count, 100)
        for f in files { try roundTrip(f) }
    }

    func testTranslationIsMergedWithCodesAndEscaping() throws {
        let folder = TestPaths.temporaryFolder("translate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prepared = try preparer(copySource: false).prepare(input: TestPaths.sample("actualite.fr.html").path, into: folder.path)
        // A "translator" upper-cases every text run and keeps the codes where they are.
        let document = try Self.read12(prepared.output)
        var translated = document
        translated.files[0].items = document.files[0].items.map { item in
            guard case .unit(var u) = item else { return item }
            u.parts = u.parts.map { part in
                guard case .segment(var s) = part else { return part }
                var t = Content()
                for run in s.source.runs {
                    switch run {
                    case .text(let x): t.append(text: x.uppercased())
                    case .code: t.append(run)
                    case .marker: break
                    }
                }
                s.target = t
                return .segment(s)
            }
            return .unit(u)
        }
        let xliff = folder.appendingPathComponent("translated.xlf").path
        _ = try XLIFF12Writer.write(translated, to: xliff)
        var claimed = Set<String>()
        let merged = try TranslationMerge.merge(xliff: xliff, into: folder.appendingPathComponent("out").path, claimedOutputs: &claimed)
        XCTAssertEqual(merged.findings.filter { $0.severity == .warning }, [])
        let html = try String(contentsOfFile: merged.outputs[0], encoding: .utf8)
        XCTAssertTrue(html.contains("<title>BIÉLORUSSIE : LOUKACHENKO RASSURE POUTINE | L’ACTUALITÉ INTERNATIONALE</title>"), html)
        XCTAssertTrue(html.contains("PAR <b>MARIE DUPONT</b>, PUBLIÉ LE <time datetime=\"2022-09-27\">27&nbsp;SEPTEMBRE&nbsp;2022</time>"), "codes keep their exact markup; nbsp keeps its entity")
        XCTAssertTrue(html.contains("alt=\"LE PRÉSIDENT BIÉLORUSSE ALEXANDRE LOUKACHENKO À MINSK\" title=\"MINSK, SEPTEMBRE 2022\""), "attribute units go back into their tags")
        XCTAssertTrue(html.contains("<a href=\"/economie/\" title=\"ÉCONOMIE ET FINANCES\">ÉCONOMIE</a>"), "an attribute inside an inline code is translated in place")
        XCTAssertTrue(html.contains("S’ABONNER</a> &lt;SANS ENGAGEMENT&gt;."), "< and > are escaped in translated text")
        XCTAssertTrue(html.contains("<span translate=\"no\">BelTA</span>"), "translate=no content is untouched")
        XCTAssertTrue(html.contains("console.log(\"<p>mobile</p>\")"), "scripts are untouched")
        XCTAssertTrue(html.contains("<p class=\"code\" translate=\"no\">Réf. dépêche : AFP-2022-0927-MSK &amp; TASS/BelTA</p>"))
    }

    /// XLIFF 2 lets a translator copy a code (`copyOf`): merge writes the copied code's markup
    /// again, and refuses a copy of a code the source marks `canCopy="no"`.
    func testCopiedCodeIsMergedAsTheCodeItCopies() throws {
        let folder = TestPaths.temporaryFolder("copyof")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("page.html")
        try Data("<html lang=\"fr\"><body><p>Un<br>deux</p></body></html>".utf8).write(to: page)
        let prepared = try preparer(version: .v2_1, terms: false).prepare(input: page.path, into: folder.appendingPathComponent("xlf").path)
        func translated(canCopy: Bool) throws -> String {
            var document = try Self.read2(prepared.output)
            document.files[0].items = document.files[0].items.map { item in
                guard case .unit(var u) = item, u.source.hasCodes else { return item }
                u.parts = u.parts.map { part in
                    guard case .segment(var s) = part else { return part }
                    var source = Content()
                    var target = Content()
                    for run in s.source.runs {
                        switch run {
                        case .text(let x): source.append(run); target.append(text: x.uppercased())
                        case .code(var c):
                            c.canCopy = canCopy
                            source.append(.code(c))
                            target.append(.code(c))
                            target.append(text: "+")
                            target.append(.code(InlineCode(kind: c.kind, id: "copy-\(c.id)", copyOf: c.id)))
                        case .marker: break
                        }
                    }
                    s.source = source
                    s.target = target
                    return .segment(s)
                }
                return .unit(u)
            }
            let xliff = folder.appendingPathComponent("translated-\(canCopy).xlf").path
            _ = try XLIFF2Writer.write(document, to: xliff)
            XCTAssertTrue(try String(contentsOfFile: xliff, encoding: .utf8).contains("copyOf="))
            return xliff
        }
        var claimed = Set<String>()
        let merged = try TranslationMerge.merge(xliff: try translated(canCopy: true), into: folder.appendingPathComponent("out").path, claimedOutputs: &claimed)
        XCTAssertEqual(merged.findings, [])
        guard merged.outputs.count == 1 else { return XCTFail("no output: \(merged.findings)") }
        let html = try String(contentsOfFile: merged.outputs[0], encoding: .utf8)
        XCTAssertTrue(html.contains("<p>UN<br>+<br>DEUX</p>"), html)

        var claimedAgain = Set<String>()
        let refused = try TranslationMerge.merge(xliff: try translated(canCopy: false), into: folder.appendingPathComponent("out2").path, claimedOutputs: &claimedAgain, writeDocumentsWithUnitErrors: true)
        XCTAssertTrue(refused.findings.contains { $0.severity == .error && $0.message.contains("may not be copied") }, "\(refused.findings)")
        guard refused.outputs.count == 1 else { return XCTFail("no output: \(refused.findings)") }
        XCTAssertTrue(try String(contentsOfFile: refused.outputs[0], encoding: .utf8).contains("<p>Un<br>deux</p>"), "the unit stays in the source")
    }

    func testSourceLanguageComesFromHTMLLang() throws {
        let folder = TestPaths.temporaryFolder("lang")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prepared = try preparer(terms: false, source: nil).prepare(input: TestPaths.sample("actualite.fr.html").path, into: folder.path)
        XCTAssertEqual(prepared.sourceLanguage, "fr")
        let page = folder.appendingPathComponent("nolang.html")
        try Data("<p>Bonjour</p>".utf8).write(to: page)
        XCTAssertThrowsError(try preparer(terms: false, source: nil).prepare(input: page.path, into: folder.appendingPathComponent("out").path)) { error in
            XCTAssertTrue(String(describing: error).contains("--source"), String(describing: error))
        }
    }

    func testInvalidInputLeavesNoOutputBehind() throws {
        let folder = TestPaths.temporaryFolder("invalid")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.txt")
        try Data([0x41, 0x0A, 0xFF, 0x0A]).write(to: bad)
        let out = folder.appendingPathComponent("out")
        XCTAssertThrowsError(try preparer().prepare(input: bad.path, into: out.path)) { error in
            XCTAssertTrue(String(describing: error).contains("byte offset 2"), String(describing: error))
        }
        // The output folder is created only once the input has been read whole.
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no output, no temporary file, no folder")
    }

    func testInvalidUTF8InHTMLIsLocatedByLineAndColumn() throws {
        let folder = TestPaths.temporaryFolder("invalid-html")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Line 3, after "<p>Évé" (6 characters, 8 bytes): a Latin-1 "è" (0xE8) in a UTF-8 page.
        let page = folder.appendingPathComponent("bad.html")
        let head = Array("<html lang=\"fr\">\n<body>\n<p>Évé".utf8)
        try Data(head + [0xE8] + Array("nement</p></body></html>\n".utf8)).write(to: page)
        XCTAssertThrowsError(try preparer().prepare(input: page.path, into: folder.appendingPathComponent("out").path)) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.line, 3, "\(error)")
            XCTAssertEqual(located?.location.column, 7, "\(error)")
            XCTAssertTrue(located?.message.contains("invalid UTF-8 byte sequence at byte offset \(head.count)") ?? false, "\(error)")
        }
        // A character cut short by the end of the file: located after the last complete one.
        let cut = folder.appendingPathComponent("cut.html")
        try Data(Array("<p>a\nbc".utf8) + [0xC3]).write(to: cut)
        XCTAssertThrowsError(try preparer().prepare(input: cut.path, into: folder.appendingPathComponent("out2").path)) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.line, 2, "\(error)")
            XCTAssertEqual(located?.location.column, 3, "\(error)")
        }
    }

    func testXLIFFInputIsPreparedAgainOnlyWhereUntranslated() throws {
        let folder = TestPaths.temporaryFolder("reprepare")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try preparer(copySource: false, terms: false).prepare(input: TestPaths.sample("seed-article.fr.txt").path, into: folder.path)
        // Translate the second unit only.
        var document = try Self.read12(first.output)
        guard case .unit(var u) = document.files[0].items[1] else { return XCTFail() }
        u.parts = u.parts.map { if case .segment(var s) = $0 { s.target = Content("« They will come back »"); return .segment(s) } else { return $0 } }
        document.files[0].items[1] = .unit(u)
        let input = folder.appendingPathComponent("in/seed.xlf")
        try FileManager.default.createDirectory(at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try XLIFF12Writer.write(document, to: input.path)

        let again = try preparer(copySource: true, terms: true).prepare(input: input.path, into: folder.appendingPathComponent("out").path)
        XCTAssertEqual(URL(fileURLWithPath: again.output).lastPathComponent, "seed.xlf", "an XLIFF input keeps its name")
        let units = try Self.read12(again.output).allUnits
        XCTAssertEqual(units[1].target?.plainText, "« They will come back »", "translated units are kept")
        XCTAssertTrue(units[1].notes.isEmpty, "translated units are not prepared again")
        XCTAssertEqual(units[3].target?.plainText, units[3].source.plainText, "untranslated units get the copy-source stage")
        XCTAssertTrue(units[3].source.runs.contains { if case .marker(let m) = $0 { return m.type == "term" } else { return false } })
        XCTAssertThrowsError(try preparer().prepare(input: input.path, into: input.deletingLastPathComponent().path), "never writes over its input")
    }

    func testTermsAreMarkedAndGlossaryEntriesAttached() throws {
        let folder = TestPaths.temporaryFolder("terms")
        defer { try? FileManager.default.removeItem(at: folder) }
        let usage = TermUsageLog()
        let input = TestPaths.sample("seed-article.fr.txt").path
        let prepared = try preparer(copySource: false, usage: usage).prepare(input: input, into: folder.path)
        let units = try Self.read12(prepared.output).allUnits
        let marked = units.flatMap { u in u.segments.flatMap { Self.markedTexts($0.source) } }
        XCTAssertTrue(marked.contains("OTAN"))
        XCTAssertTrue(marked.contains("Biélorussie"))
        let notes = units.flatMap(\.notes).map(\.text)
        XCTAssertTrue(notes.contains { $0.hasPrefix("OTAN → NATO") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.hasPrefix("Biélorussie → Belarus") }, "\(notes)")
        let used = usage.usage(for: input)
        XCTAssertEqual(used.first { $0.term == "OTAN" || $0.term == "l'OTAN" }?.translations.first, "NATO")
        XCTAssertEqual(prepared.statistics.termOccurrences, marked.count)

        let v2 = try preparer(version: .v2_1, copySource: false).prepare(input: input, into: folder.appendingPathComponent("v2").path)
        let units2 = try Self.read2(v2.output).allUnits
        let entries = units2.flatMap(\.glossary)
        XCTAssertTrue(entries.contains { $0.term == "Biélorussie" && $0.translations.map(\.text).contains("Belarus") })
        XCTAssertTrue(units2.flatMap(\.notes).isEmpty, "XLIFF 2 uses the glossary module, not notes")
    }

    static func read12(_ path: String) throws -> Document {
        var reader = try XLIFF12Reader(path: path)
        return try Document(reading: &reader)
    }

    static func read2(_ path: String) throws -> Document {
        var reader = try XLIFF2Reader(path: path)
        return try Document(reading: &reader)
    }

    static func markedTexts(_ content: Content) -> [String] {
        var out: [String] = []
        var current: (id: String, text: String)?
        for run in content.runs {
            switch run {
            case .marker(let m) where m.boundary == .start && m.type == "term": current = (m.id, "")
            case .marker(let m) where m.boundary == .end && m.id == current?.id: out.append(current!.text); current = nil
            case .text(let t): current?.text += t
            default: break
            }
        }
        return out
    }

    func testStatisticsCountWordsCharactersAndRepetitions() throws {
        XCTAssertEqual(PrepareStatistics.wordCount("Aujourd'hui, « Laisse-les fuir » : 260 000 hommes."), 6)
        XCTAssertEqual(PrepareStatistics.wordCount("3,14 et 2.5"), 3)
        XCTAssertEqual(PrepareStatistics.wordCount("東京は日本"), 5)
        var counter = StatisticsCounter()
        for text in ["Un deux.", "Trois.", "Un deux."] { counter.count(Unit(id: "u", source: Content(text))) }
        XCTAssertEqual(counter.statistics.units, 3)
        XCTAssertEqual(counter.statistics.words, 5)
        XCTAssertEqual(counter.statistics.characters, 20)
        XCTAssertEqual(counter.statistics.charactersWithSpaces, 22)
        XCTAssertEqual(counter.statistics.repeatedSegments, 1)
        XCTAssertEqual(counter.statistics.repeatedWords, 2)
    }

    func testCopySourceFillsTargetsWithoutMarkers() throws {
        var unit = Unit(id: "u1", source: Content([.text("l'"), .marker(Marker(boundary: .start, id: "t1", type: "term")), .text("OTAN"), .marker(Marker(boundary: .end, id: "t1", type: "term"))]))
        unit = try CopySourceStage().process(unit, in: StageContext(file: "x", sourceLanguage: "fr", targetLanguage: "en"))
        XCTAssertEqual(unit.segments[0].target, Content("l'OTAN"))
        XCTAssertEqual(unit.segments[0].xliff12State, "needs-translation")
        XCTAssertEqual(unit.segments[0].state, .initial)
    }
}
