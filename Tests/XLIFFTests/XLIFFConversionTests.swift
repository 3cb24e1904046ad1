import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// Version changes through `XLIFFConverter`: every output validates, what is lost is reported,
/// and what both versions hold survives the trip there and back.
final class XLIFFConversionTests: XCTestCase {
    /// The valid files of the OASIS 2.1 and 2.2 suites (minus the three broken 2.2 drafts).
    private var xliff2Valid: [URL] {
        let broken: Set<String> = ["Good-itsm_text-analytics.xlf", "Good-mda_top-level.xlf", "Good-pgs_plural.xlf"]
        var out: [URL] = []
        for suite in ["xliff21", "xliff22"] {
            for folder in ["core/valid", "modules/valid"] {
                let dir = TestPaths.sharedFile("standards/conformance/\(suite)/\(folder)")
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                out += names.filter { $0.hasSuffix(".xlf") && !(suite == "xliff22" && broken.contains($0)) }.sorted().map { dir.appendingPathComponent($0) }
            }
        }
        return out
    }

    private func schemaFailures(_ files: [URL], schema: String) throws -> [String: String] {
        guard let xmllint = VersoCommand.which("xmllint"), !files.isEmpty else { return [:] }
        let standards = TestPaths.sharedFile("standards")
        var failures: [String: String] = [:]
        for start in stride(from: 0, to: files.count, by: 50) {
            let batch = Array(files[start..<min(start + 50, files.count)])
            let r = try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path] + batch.map(\.path),
                                                environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
            for f in batch where !r.stderr.contains("\(f.path) validates") {
                failures[f.lastPathComponent] = r.stderr.split(separator: "\n").filter { $0.hasPrefix(f.path) }.prefix(3).joined(separator: "\n")
            }
        }
        return failures
    }

    /// Version detection reads a few KiB first: a root element further in, or cut by the end
    /// of that first read, is still found (the rest is read in full chunks).
    func testVersionIsFoundWhateverHowFarTheRootElementIs() throws {
        let folder = TestPaths.temporaryFolder("rootfar")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = #"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="fr"><file id="f"><unit id="u"><segment><source>a</source></segment></unit></file></xliff>"#
        for padding in [0, 4000, 4090, XLIFFConverter.rootElementReadSize - 30, 70_000] {
            let text = "<?xml version=\"1.0\"?>\n<!--" + String(repeating: "x", count: padding) + "-->\n" + root
            let path = folder.appendingPathComponent("pad-\(padding).xlf").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(try XLIFFConverter.detectVersion(ofFile: path), .v2_1, "padding \(padding)")
        }
        let notXLIFF = folder.appendingPathComponent("other.xml").path
        try Data(("<!--" + String(repeating: "y", count: 5000) + "--><html/>").utf8).write(to: URL(fileURLWithPath: notXLIFF))
        XCTAssertThrowsError(try XLIFFConverter.detectVersion(ofFile: notXLIFF)) { error in
            XCTAssertTrue("\(error)".contains("root element is <html>"), "\(error)")
        }
    }

    func testEveryValidXLIFF2SuiteFileConvertsToStrictXLIFF12() throws {
        let folder = TestPaths.temporaryFolder("x2to12")
        defer { try? FileManager.default.removeItem(at: folder) }
        var strictOut: [URL] = [], keptOut: [URL] = []
        for (i, input) in xliff2Valid.enumerated() {
            let strict = folder.appendingPathComponent("\(i)-strict-\(input.lastPathComponent)")
            let kept = folder.appendingPathComponent("\(i)-kept-\(input.lastPathComponent)")
            do {
                try XLIFFConverter.convert(input: input.path, output: strict.path, options: .init(version: .v1_2))
                try XLIFFConverter.convert(input: input.path, output: kept.path, options: .init(version: .v1_2, keepExtensions: true))
            } catch {
                XCTFail("\(input.lastPathComponent): \(error)")
                continue
            }
            strictOut.append(strict)
            keptOut.append(kept)
        }
        XCTAssertGreaterThan(strictOut.count, 100)
        XCTAssertEqual(try schemaFailures(strictOut, schema: "xliff12/xliff-core-1.2-strict.xsd"), [:])
        XCTAssertEqual(try schemaFailures(keptOut, schema: "xliff12/xliff-core-1.2-transitional.xsd"), [:])
        if TranslateToolkit.available {
            let r = try TranslateToolkit.check(strictOut)
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        }
        print("XLIFF 2 → 1.2: \(strictOut.count) suite files converted, strict and transitional outputs valid")
    }

    /// Big inputs are read on a second thread (`readAheadThreshold`): the output, the findings
    /// and the errors must be exactly those of reading on the writing thread.
    /// Writes a one-`<file>` XLIFF 1.2 document into `folder`: `body` inside `<body>`, `header`
    /// (when given) inside `<header>`.
    private func xliff12(_ name: String, in folder: URL, sourceLanguage: String = "fr", targetLanguage: String = "en", header: String? = nil, body: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
        <file original="a.txt" source-language="\(sourceLanguage)" target-language="\(targetLanguage)" datatype="plaintext">
        \(header.map { "<header>\($0)</header>\n" } ?? "")<body>
        \(body)
        </body></file></xliff>
        """.utf8).write(to: url)
        return url
    }

    func testReadingOnASecondThreadChangesNothing() throws {
        let folder = TestPaths.temporaryFolder("readahead")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = XLIFF12Fixtures.corpus + ConformanceSuite.validFiles("xliff21") + ConformanceSuite.invalidFiles("xliff21").prefix(20)
        var compared = 0, failed = 0
        for (n, input) in inputs.enumerated() {
            for version in [XLIFFVersion.v1_2, .v2_1] {
                // The same output path both times: findings name it.
                let output = folder.appendingPathComponent("\(n).xlf").path
                let a = Result { try XLIFFConverter.convert(input: input.path, output: output, options: .init(version: version, readAheadThreshold: .max)) }
                let first = FileManager.default.contents(atPath: output)
                try? FileManager.default.removeItem(atPath: output)
                let b = Result { try XLIFFConverter.convert(input: input.path, output: output, options: .init(version: version, readAheadThreshold: 0)) }
                let second = FileManager.default.contents(atPath: output)
                try? FileManager.default.removeItem(atPath: output)
                switch (a, b) {
                case (.success(let r1), .success(let r2)):
                    XCTAssertEqual(r1, r2, input.lastPathComponent)
                    XCTAssertNotNil(first)
                    XCTAssertEqual(first, second, input.lastPathComponent)
                    compared += 1
                case (.failure(let e1), .failure(let e2)):
                    XCTAssertEqual("\(e1)", "\(e2)", input.lastPathComponent)
                    XCTAssertNil(second, "no output after an error")
                    failed += 1
                default:
                    XCTFail("\(input.lastPathComponent): \(a) against \(b)")
                }
            }
        }
        XCTAssertGreaterThan(compared, 100)
        XCTAssertGreaterThan(failed, 0, "some inputs should fail, to compare the errors")
    }

    /// A 1.2 file that declares its source language malformed (`en_US`, as some tools write it):
    /// refused, naming the 1.2 attribute, unless --source gives the language; the content's
    /// `xml:lang` is then judged against the replacement, so the 2.1 output is valid.
    func testMalformedSourceLanguageIsReplacedBeforeTheVersionChange() throws {
        let folder = TestPaths.temporaryFolder("srclang")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try xliff12("en_US.xlf", in: folder, sourceLanguage: "en_US", targetLanguage: "fr", body: """
        <trans-unit id="1"><source xml:lang="en_US">Hello</source><target xml:lang="fr">Bonjour</target></trans-unit>
        """)
        for threshold in [Int.max, 0] {
            let output = folder.appendingPathComponent("out-\(threshold).xlf")
            XCTAssertThrowsError(try XLIFFConverter.convert(input: input.path, output: output.path, options: .init(version: .v2_1, readAheadThreshold: threshold))) { error in
                XCTAssertTrue("\(error)".contains("source-language"), "\(error)")
                XCTAssertFalse("\(error)".contains("srcLang"), "\(error)")
            }
            _ = try XLIFFConverter.convert(input: input.path, output: output.path, options: .init(version: .v2_1, readAheadThreshold: threshold, sourceLanguage: "en-US"))
            let written = try String(contentsOf: output, encoding: .utf8)
            XCTAssertTrue(written.contains("srcLang=\"en-US\""), written)
            XCTAssertFalse(written.contains("en_US"), written)
            XCTAssertTrue(XLIFF2Validator().validate(path: output.path).filter { $0.severity == .error }.isEmpty, written)
        }
    }

    func testEveryRealXLIFF12FileConvertsToValidXLIFF21And22() throws {
        let folder = TestPaths.temporaryFolder("x12to2")
        defer { try? FileManager.default.removeItem(at: folder) }
        var out21: [URL] = [], out22: [URL] = []
        for input in XLIFF12Fixtures.corpus where !XLIFF12Fixtures.malformed.contains(input.lastPathComponent) {
            let o21 = folder.appendingPathComponent("21-" + input.lastPathComponent)
            let o22 = folder.appendingPathComponent("22-" + input.lastPathComponent)
            try XLIFFConverter.convert(input: input.path, output: o21.path, options: .init(version: .v2_1))
            try XLIFFConverter.convert(input: input.path, output: o22.path, options: .init(version: .v2_2))
            out21.append(o21)
            out22.append(o22)
        }
        XCTAssertEqual(try schemaFailures(out21, schema: "xliff21-all-modules.xsd"), [:])
        XCTAssertEqual(try schemaFailures(out22, schema: "xliff22-all-modules.xsd"), [:])
    }

    func testXLIFF12DataSurvivesATripThroughXLIFF2() throws {
        // Attributes XLIFF 2 has no place for travel in the xliff1.2 metadata group and come back.
        let folder = TestPaths.temporaryFolder("x12rt")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["Typo3Draft.xlf", "segmented.xlf", "Balancing_MultipleSegments.xlf", "alttrans.xlf", "SF-12-Test02.xlf", "JMP-11-Test01.xlf"] {
            let input = XLIFF12Fixtures.file(name)
            let mid = folder.appendingPathComponent("2-" + name), back = folder.appendingPathComponent("back-" + name)
            let there = try XLIFFConverter.convert(input: input.path, output: mid.path, options: .init(version: .v2_1))
            try XLIFFConverter.convert(input: mid.path, output: back.path, options: .init(version: .v1_2))
            let (original, _) = try XLIFF12Fixtures.read(input)
            let (returned, _) = try XLIFF12Fixtures.read(back)
            let lost = Set(there.findings.map(\.message))
            for (a, b) in zip(original.allUnits, returned.allUnits) {
                XCTAssertEqual(a.id, b.id, name)
                XCTAssertEqual(a.parts.map { $0.source.plainText }, b.parts.map { $0.source.plainText }, "\(name) \(a.id)")
                XCTAssertEqual(a.parts.map { $0.target?.plainText }, b.parts.map { $0.target?.plainText }, "\(name) \(a.id)")
                XCTAssertEqual(a.segments.map(\.xliff12State), b.segments.map(\.xliff12State), "\(name) \(a.id): 1.2 state comes back through state/subState")
                XCTAssertEqual(a.segments.map(\.stateQualifier), b.segments.map(\.stateQualifier), "\(name) \(a.id)")
                XCTAssertEqual(a.xliff12Attributes, b.xliff12Attributes, "\(name) \(a.id)")
                XCTAssertEqual(a.approved, b.approved, "\(name) \(a.id)")
                XCTAssertEqual(a.name, b.name, name)
                XCTAssertEqual(a.type, b.type, name)
                XCTAssertEqual(a.translate, b.translate, name)
                XCTAssertEqual(a.matches.map(\.target.plainText), b.matches.map(\.target.plainText), name)
                XCTAssertEqual(a.matches.map(\.similarity), b.matches.map(\.similarity), name)
                XCTAssertEqual(a.matches.map(\.origin), b.matches.map(\.origin), name)
                XCTAssertEqual(a.matches.map { $0.xliff12Attributes["alttranstype"] }, b.matches.map { $0.xliff12Attributes["alttranstype"] }, name)
                XCTAssertEqual(a.notes.map(\.text), b.notes.map(\.text), name)
                XCTAssertEqual(a.notes.map(\.from), b.notes.map(\.from), name)
                XCTAssertEqual(a.notes.map(\.language), b.notes.map(\.language), name)
                XCTAssertEqual(a.notes.map(\.id), b.notes.map(\.id), name)
                XCTAssertEqual(a.segments.map(\.id), b.segments.map(\.id), "\(name) \(a.id): no segmentation is added or removed")
            }
            XCTAssertEqual(original.allUnits.count, returned.allUnits.count, name)
            XCTAssertEqual(original.files.map(\.info.original), returned.files.map(\.info.original), name)
            XCTAssertEqual(original.files.map(\.info.datatype), returned.files.map(\.info.datatype), name)
            XCTAssertEqual(original.files.map { $0.info.tools.map(\.id) }, returned.files.map { $0.info.tools.map(\.id) }, name)
            XCTAssertEqual(original.files.map { $0.info.tools.map(\.version) }, returned.files.map { $0.info.tools.map(\.version) }, name)
            _ = lost
        }
    }

    /// XLIFF 2 notes have no author or language: they travel in the xliff1.2 metadata group
    /// (keyed by a note id given for the trip), the 2.1 file stays valid, and 1.2 gets them back.
    func testNoteAuthorsAndLanguagesSurviveATripThroughXLIFF2() throws {
        let folder = TestPaths.temporaryFolder("notes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try xliff12("notes.xlf", in: folder, header: #"<note from="pm">Deadline Friday</note>"#, body: """
        <group id="g1"><note from="reviewer" xml:lang="en">Check names</note>
        <trans-unit id="1"><source>Bonjour</source>
        <note from="translator" xml:lang="fr">Formel</note><note>No author</note><note from="Ana">Second author</note></trans-unit>
        </group>
        """)
        let mid = folder.appendingPathComponent("notes-21.xlf"), back = folder.appendingPathComponent("notes-12.xlf")
        let there = try XLIFFConverter.convert(input: input.path, output: mid.path, options: .init(version: .v2_1))
        XCTAssertFalse(there.findings.contains { $0.message.contains("note") }, "nothing about notes is lost: \(there.findings)")
        XCTAssertEqual(XLIFF2Validator().validate(path: mid.path).filter { $0.severity == .error }, [])
        try XLIFFConverter.convert(input: mid.path, output: back.path, options: .init(version: .v1_2))
        let (original, _) = try XLIFF12Fixtures.read(input)
        let (returned, _) = try XLIFF12Fixtures.read(back)
        let notes = { (d: Document) in d.allUnits.flatMap(\.notes).map { "\($0.id ?? "-")|\($0.from ?? "-")|\($0.language ?? "-")|\($0.text)" } }
        XCTAssertEqual(notes(returned), notes(original))
        XCTAssertEqual(notes(returned), ["-|translator|fr|Formel", "-|-|-|No author", "-|Ana|-|Second author"])
        let written = try String(contentsOf: back, encoding: .utf8)
        XCTAssertTrue(written.contains("<note from=\"pm\">Deadline Friday</note>"), written)
        XCTAssertTrue(written.contains("from=\"reviewer\""), written)
        XCTAssertFalse(written.contains("id=\"n1\""), "the ids given for the trip are taken back: \(written)")
    }

    /// A ctype XLIFF 2 has no value for (`x-placeholder`, `x-html-span`) becomes type `other` with
    /// subType `xliff1.2:<ctype>` (valid against the 2.1 schema) and comes back as that ctype.
    func testUserDefinedCtypesSurviveATripThroughXLIFF2() throws {
        let folder = TestPaths.temporaryFolder("ctypes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try xliff12("ct.xlf", in: folder, body: """
        <trans-unit id="1"><source>A <x id="1" ctype="x-placeholder"/> B <g id="2" ctype="x-html-span">C</g> <ph id="3" ctype="image">&lt;img/&gt;</ph> <g id="4" ctype="bold">D</g></source></trans-unit>
        """)
        let mid = folder.appendingPathComponent("ct-21.xlf"), back = folder.appendingPathComponent("ct-12.xlf")
        let there = try XLIFFConverter.convert(input: input.path, output: mid.path, options: .init(version: .v2_1))
        XCTAssertFalse(there.findings.contains { $0.message.contains("ctype") }, "\(there.findings)")
        let written = try String(contentsOf: mid, encoding: .utf8)
        XCTAssertTrue(written.contains("type=\"other\" subType=\"xliff1.2:x-placeholder\""), written)
        // A <g> pair stays one element: the type belongs to both halves.
        XCTAssertTrue(written.contains("<pc id=\"2\" type=\"other\" subType=\"xliff1.2:x-html-span\">C</pc>"), written)
        XCTAssertTrue(written.contains("<pc id=\"4\" type=\"fmt\" subType=\"xlf:b\">D</pc>"), written)
        XCTAssertEqual(try schemaFailures([mid], schema: "xliff21-all-modules.xsd"), [:])
        try XLIFFConverter.convert(input: mid.path, output: back.path, options: .init(version: .v1_2))
        let ctypes = { (url: URL) in try XLIFF12Fixtures.read(url).0.allUnits.flatMap { $0.source.codes.compactMap(\.ctype) } }
        XCTAssertEqual(try ctypes(back), try ctypes(input))
        XCTAssertEqual(try ctypes(back), ["x-placeholder", "x-html-span", "image", "bold"])
    }

    func testStatesMapToXLIFF2StateAndSubState() throws {
        let xml = """
        <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" target-language="fr" datatype="plaintext"><body>
        <trans-unit id="1"><source>a</source><target state="needs-review-l10n">A</target></trans-unit>
        <trans-unit id="2"><source>b</source><target state="translated">B</target></trans-unit>
        <trans-unit id="3"><source>c</source><target state="signed-off" state-qualifier="exact-match">C</target></trans-unit>
        <trans-unit id="4"><source>d</source><target state="new"/></trans-unit>
        <trans-unit id="5"><source>e</source><target state="x-custom">E</target></trans-unit>
        </body></file></xliff>
        """
        let (doc, _) = try XLIFF12Fixtures.read(string: xml)
        let segs = doc.allUnits.map { $0.segments[0] }
        XCTAssertEqual(segs.map(\.state), [.translated, .translated, .reviewed, .initial, nil])
        XCTAssertEqual(segs.map(\.subState), ["xliff1.2:needs-review-l10n", nil, nil, "xliff1.2:new", nil])
        XCTAssertEqual(segs.map(\.xliff12State), ["needs-review-l10n", "translated", "signed-off", "new", "x-custom"])
        XCTAssertEqual(segs[2].stateQualifier, "exact-match")
        // And back: a segment changed by a later stage writes its new state, not the stale 1.2 one.
        var unit = doc.allUnits[0]
        if case .segment(var s) = unit.parts[0] { s.state = .final; s.subState = nil; unit.parts[0] = .segment(s) }
        XCTAssertEqual(XLIFFStateMapping.xliff12State(of: unit.segments[0]), "final")
        XCTAssertEqual(XLIFFStateMapping.xliff12State(of: Segment(source: "x", state: .translated, subState: "xliff1.2:needs-review-adaptation")), "needs-review-adaptation")
        XCTAssertEqual(XLIFFStateMapping.xliff12State(of: Segment(source: "x", state: .reviewed)), "signed-off")
    }
}
