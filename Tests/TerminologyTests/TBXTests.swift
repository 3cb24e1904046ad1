import Diagnostics
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class TBXReaderTests: XCTestCase {
    private func okapi(_ name: String) -> String { TestPaths.sharedFile("standards/conformance/okapi/tbx/\(name)").path }
    private func fixture(_ name: String) -> String { TestPaths.fixture("terminology/\(name)").path }

    func testReadsEveryOkapiFileWithoutLoadingItsDTD() throws {
        // Each file starts with <!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">, absent beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.sharedFile("standards/conformance/okapi/tbx").path).filter { $0.hasSuffix(".tbx") }
        XCTAssertEqual(names.count, 7)
        for name in names {
            let (tb, _) = try TBXReader.read(path: okapi(name))
            XCTAssertFalse(tb.concepts.isEmpty, name)
            XCTAssertTrue(tb.concepts.allSatisfy { !$0.languageSections.isEmpty }, name)
        }
        let (maryland, _) = try TBXReader.read(path: okapi("maryland.tbx"))
        XCTAssertEqual(maryland.concepts.count, 1)
    }

    func testNtigTermGroupsAndDefinitionsAreRead() throws {
        let (tb, _) = try TBXReader.read(path: okapi("maryland.tbx"))
        let c = try XCTUnwrap(tb.concepts.first)
        XCTAssertEqual(c.id, "eid-VocCod-211.01")
        XCTAssertEqual(c.subjectField, "personnel")
        XCTAssertEqual(c.definition, "personne qui accomplit un travail copie ou d'écriture")
        XCTAssertEqual(c.terms(in: "fr").map(\.text), ["copiste", "scribe", "écrivain"])
        XCTAssertEqual(c.sections(for: "fr").first?.terms.first?.termType, "entryTerm")
        XCTAssertEqual(tb.language, "EN")
    }

    func testStatusesPartOfSpeechAndTermIDsAreRead() throws {
        let (tb, _) = try TBXReader.read(path: okapi("test01.tbx"))
        let c = try XCTUnwrap(tb.concepts.first)
        XCTAssertEqual(c.terms(in: "hu").first?.text, "Alfa simítási tényező")
        XCTAssertEqual(c.terms(in: "en").first?.partOfSpeech, "noun")
        XCTAssertEqual(c.terms(in: "en").first?.id, "tid-Oracle-67-en1")
        var statuses: [TermStatus] = []
        for name in ["ibm_tbx.tbx", "medtronic_TBX.tbx", "oracle_TBX.tbx", "sdl_tbx.tbx"] {
            let (t, _) = try TBXReader.read(path: okapi(name))
            statuses += t.concepts.flatMap { $0.languageSections.flatMap { $0.terms.compactMap(\.status) } }
        }
        XCTAssertTrue(statuses.contains(.preferred))
        XCTAssertTrue(statuses.contains(.deprecated))
    }

    func testWindows1254EncodingIsDecoded() throws {
        let (tb, _) = try TBXReader.read(path: okapi("test02_win1254.tbx"))
        let tr = try XCTUnwrap(tb.concepts.first?.terms(in: "tr").first?.text)
        XCTAssertTrue(tr.hasPrefix("tr term with: "), tr)
        XCTAssertFalse(tr.contains("\u{FFFD}"))
    }

    func testTBX2019DCAIsRead() throws {
        let (tb, _) = try TBXReader.read(path: fixture("tbx2019-dca.tbx"))
        XCTAssertEqual(tb.concepts.count, 2)
        XCTAssertEqual(tb.sourceDescription, "Hand-written TBX 2019 DCA sample for Verso's tests.")
        let press = tb.concepts[0]
        XCTAssertEqual(press.subjectField, "media")
        XCTAssertEqual(press.sections(for: "en").first?.definition, "Official statement issued to the press.")
        XCTAssertEqual(press.terms(in: "en").map(\.text), ["press release", "news release"])
        XCTAssertEqual(press.terms(in: "en").map(\.status), [.preferred, .admitted])
        let fr = try XCTUnwrap(press.terms(in: "fr").first)
        XCTAssertEqual(fr.grammaticalGender, "masculine")
        XCTAssertEqual(fr.context, "Le ministère a publié un communiqué de presse.")
        XCTAssertEqual(tb.concepts[1].notes, ["Hyphenated in British usage."])
        XCTAssertEqual(tb.concepts[1].terms(in: "en").last?.status, .deprecated)
    }

    func testTBX2019DCTNamespacedCategoriesAreRead() throws {
        let reader = try TBXReader(path: fixture("tbx2019-dct.tbx"))
        XCTAssertEqual(reader.format, .tbx2019)
        let c = try XCTUnwrap(reader.next())
        XCTAssertEqual(c.subjectField, "politics")
        XCTAssertEqual(c.sections(for: "en").first?.definition, "A formal agreement between states.")
        XCTAssertEqual(c.terms(in: "en").first?.status, .preferred)
        XCTAssertEqual(c.terms(in: "de").first?.grammaticalGender, "masculine")
        XCTAssertNil(try reader.next())
    }

    func testLanguageSectionWithoutLanguageIsAnErrorWithItsLine() throws {
        XCTAssertThrowsError(try TBXReader.read(path: fixture("langset-without-lang.tbx"))) { error in
            let e = error as? TermbaseError
            XCTAssertEqual(e?.location.line, 10, "\(error)")
            XCTAssertTrue(e?.location.file.hasSuffix("langset-without-lang.tbx") ?? false)
            XCTAssertTrue(e?.message.contains("xml:lang") ?? false)
        }
    }

    func testOtherXMLIsRefusedNamingTheRoot() throws {
        XCTAssertThrowsError(try TBXReader.read(path: fixture("not-tbx.xml"))) { error in
            XCTAssertTrue("\(error)".contains("<xliff>"), "\(error)")
            XCTAssertEqual((error as? LocatedError)?.location.line, 2)
        }
    }

    func testTruncatedFileIsAnErrorWithLocation() throws {
        XCTAssertThrowsError(try TBXReader.read(path: fixture("truncated.tbx"))) { error in
            let loc = (error as? LocatedError)?.location
            XCTAssertNotNil(loc?.line, "\(error)")
            XCTAssertTrue(loc?.file.hasSuffix("truncated.tbx") ?? false)
        }
    }

    func testExternalEntityIsNeverExpanded() throws {
        XCTAssertThrowsError(try TBXReader.read(path: fixture("external-entity.tbx"))) { error in
            XCTAssertFalse("\(error)".contains("root:"), "\(error)")
        }
    }

    func testStatusValuesOfToolsAreMapped() {
        XCTAssertEqual(TBXReader.status(from: "preferredTerm-admn-sts"), .preferred)
        XCTAssertEqual(TBXReader.status(from: "admittedTerm-admn-sts"), .admitted)
        XCTAssertEqual(TBXReader.status(from: "supersededTerm"), .deprecated)
        XCTAssertEqual(TBXReader.status(from: "deprecatedTerm-admn-sts"), .deprecated)
        XCTAssertEqual(TBXReader.status(from: "forbiddenTerm-admn-sts"), .forbidden)
        XCTAssertEqual(TBXReader.status(from: "Do not use"), .forbidden)
        XCTAssertNil(TBXReader.status(from: "whatever"))
    }
}

final class TBXWriterTests: XCTestCase {
    private func okapi(_ name: String) -> String { TestPaths.sharedFile("standards/conformance/okapi/tbx/\(name)").path }

    private func sample() -> Termbase {
        var c = Concept(id: "1", subjectField: "geography", definition: "Country in Eastern Europe.", notes: ["A note."])
        c.add(Term("Biélorussie", id: "t1", status: .preferred, partOfSpeech: "properNoun"), language: "fr")
        c.add(Term("Bélarus", status: .admitted), language: "fr")
        c.add(Term("Russie blanche", status: .deprecated), language: "fr")
        c.add(Term("Belarus", status: .preferred, termType: "fullForm", grammaticalGender: "other", context: "Belarus & Russia <allies>"), language: "en")
        c.add(Term("White Russia", status: .forbidden, notes: ["Do not use."]), language: "en")
        c.languageSections[0].definition = "Pays d'Europe de l'Est."
        var d = Concept(id: "1", notes: [])
        d.add(Term("OTAN"), language: "fr")
        d.add(Term("NATO"), language: "en")
        return Termbase(name: "sample", language: "fr", sourceDescription: "Test termbase.", concepts: [c, d])
    }

    private func xmllint(_ args: [String]) throws -> CommandResult {
        let tool = try XCTUnwrap(VersoCommand.which("xmllint"), "xmllint is installed by .ci/setup")
        return try VersoCommand.runProcess(tool, args)
    }

    func testTBX2008OutputValidatesAgainstTheDTD() throws {
        let folder = TestPaths.temporaryFolder()
        let out = folder.appendingPathComponent("out.tbx").path
        try TBXWriter.write(sample().concepts, to: out, language: "fr")
        let dtd = TestPaths.sharedFile("standards/schemas/tbx/TBXcoreStructV02.dtd").path
        let r = try xmllint(["--nonet", "--noout", "--dtdvalid", dtd, out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("validity error"), r.stderr)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE martif SYSTEM \"TBXcoreStructV02.dtd\">"))
    }

    func testOkapiFilesRewrittenAsTBXBasicStillValidate() throws {
        let folder = TestPaths.temporaryFolder()
        let dtd = TestPaths.sharedFile("standards/schemas/tbx/TBXcoreStructV02.dtd").path
        for name in ["ibm_tbx.tbx", "maryland.tbx", "medtronic_TBX.tbx", "oracle_TBX.tbx", "sdl_tbx.tbx"] {
            let (tb, _) = try TBXReader.read(path: okapi(name))
            let out = folder.appendingPathComponent(name).path
            try TBXWriter.write(tb.concepts, to: out, language: tb.language)
            let r = try xmllint(["--nonet", "--noout", "--dtdvalid", dtd, out])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            let (again, _) = try TBXReader.read(path: out)
            XCTAssertEqual(again.concepts, tb.concepts, name)
        }
    }

    func testRoundTripKeepsEveryFieldIn2008And2019() throws {
        for format in TBXFormat.allCases {
            let tb = sample()
            let bytes = try TBXWriter.data(tb, format: format)
            let reader = try TBXReader(bytes: bytes, displayPath: "mem.tbx")
            XCTAssertEqual(reader.format, format)
            let concepts = try reader.readAll()
            XCTAssertEqual(concepts.count, 2)
            var expected = tb.concepts
            // Identifiers must be XML names, unique in the file.
            expected[0].id = "c-1"
            expected[1].id = "c-1-2"
            XCTAssertEqual(concepts, expected, "\(format)")
            XCTAssertEqual(reader.sourceDescription, "Test termbase.")
        }
    }

    func testForbiddenStatusSurvivesTheRoundTrip() throws {
        let bytes = try TBXWriter.data(sample())
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("forbiddenTerm-admn-sts"))
        let c = try XCTUnwrap(try TBXReader(bytes: bytes, displayPath: "m").next())
        XCTAssertEqual(c.terms(in: "en").last?.status, .forbidden)
    }

    func testAFailedWriteLeavesNoFile() throws {
        let folder = TestPaths.temporaryFolder()
        let out = folder.appendingPathComponent("bad.tbx").path
        var c = Concept(id: "x")
        c.add(Term("bell \u{7} character"), language: "en")
        XCTAssertThrowsError(try TBXWriter.write([c], to: out, language: "en"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}
