import Diagnostics
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class CSVTermbaseTests: XCTestCase {
    private func fixture(_ name: String) -> String { TestPaths.fixture("terminology/\(name)").path }

    /// A glossary in make_inputs.py's own layout, written by make_inputs.py from the sample article.
    static let generated: String = {
        let folder = TestPaths.temporaryFolder("verso-csv")
        let out = folder.appendingPathComponent("glossary-40.csv").path
        let script = TestPaths.sharedFile("data/perf/make_inputs.py").path
        let python = VersoCommand.which("python3")!
        let r = try! VersoCommand.runProcess(python, [script, "--corpus", TestPaths.sample("seed-article.fr.txt").path, "glossary", "--terms", "40", "--format", "csv", "--out", out])
        precondition(r.status == 0, r.stderr)
        return out
    }()

    func testMakeInputsLayoutIsRead() throws {
        let reader = try CSVTermbaseReader(path: Self.generated)
        XCTAssertEqual(reader.languages, ["fr", "en"])
        let concepts = try reader.readAll()
        XCTAssertEqual(concepts.count, 40)
        XCTAssertEqual(concepts[0].id, "c1")
        XCTAssertEqual(concepts[0].terms(in: "fr").first?.text, "Biélorussie")
        XCTAssertEqual(concepts[0].preferredTerm(in: "en")?.text, "Belarus")
        XCTAssertEqual(concepts[2].terms(in: "fr").first?.text, "l'OTAN")
        XCTAssertNotNil(concepts[0].subjectField)
        XCTAssertNotNil(concepts[0].terms(in: "fr").first?.partOfSpeech)
        // fr_variant holds accent-less variants: admitted terms.
        for c in concepts {
            let fr = c.terms(in: "fr")
            for v in fr where v.status == .admitted { XCTAssertEqual(TextFolding.fold(v.text), TextFolding.fold(fr[0].text)) }
        }
        XCTAssertTrue(reader.findings.isEmpty, "\(reader.findings)")
    }

    func testQuotedFieldsLineBreaksBOMAndCRLF() throws {
        let (tb, findings) = try CSVTermbaseReader.read(path: fixture("quoted.csv"))
        XCTAssertTrue(findings.isEmpty, "\(findings)")
        XCTAssertEqual(tb.concepts.count, 3)
        let eu = tb.concepts[0]
        XCTAssertEqual(eu.id, "c1")
        XCTAssertEqual(eu.terms(in: "fr").map(\.text), ["Union européenne", "UE", "Union"])
        XCTAssertEqual(eu.terms(in: "fr").map(\.status), [.preferred, .admitted, .admitted])
        XCTAssertEqual(eu.notes, ["Note with \"quotes\", a comma\r\nand a line break"])
        XCTAssertEqual(eu.subjectField, "politique")
        XCTAssertEqual(tb.concepts[2].terms(in: "en").first?.text, "partial mobilisation")
    }

    func testSemicolonsAreGuessedAndTSVIsTabSeparated() throws {
        let (semi, _) = try CSVTermbaseReader.read(path: fixture("semicolon.csv"))
        XCTAssertEqual(semi.concepts.map { $0.preferredTerm(in: "en")?.text }, ["head of state", "counterpart"])
        XCTAssertEqual(semi.concepts[0].terms(in: "fr").first?.partOfSpeech, "noun")
        let (tsv, _) = try CSVTermbaseReader.read(path: fixture("glossary.tsv"))
        let kyiv = try XCTUnwrap(tsv.concepts.first)
        XCTAssertEqual(kyiv.terms(in: "en").map(\.text), ["Kyiv", "Kiev"])
        XCTAssertEqual(kyiv.terms(in: "en").last?.status, .deprecated)
        XCTAssertEqual(kyiv.terms(in: "de").first?.text, "Kiew")
    }

    func testUnterminatedQuoteNamesTheLineAndColumnWhereItOpened() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: fixture("unterminated-quote.csv"))) { error in
            let e = error as? TermbaseError
            XCTAssertEqual(e?.location.line, 3)
            XCTAssertEqual(e?.location.column, 4)
            XCTAssertTrue(e?.message.contains("unterminated") ?? false, "\(error)")
        }
    }

    func testTooManyFieldsIsAnErrorWithTheLine() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: fixture("too-many-fields.csv"))) { error in
            XCTAssertEqual((error as? TermbaseError)?.location.line, 3, "\(error)")
        }
    }

    func testJunkAfterAClosingQuoteIsAnError() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: fixture("junk-after-quote.csv"))) { error in
            let e = error as? TermbaseError
            XCTAssertEqual(e?.location.line, 2)
            XCTAssertEqual(e?.location.column, 10)
        }
    }

    func testInvalidUTF8IsAnErrorWithTheLine() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: fixture("invalid-utf8.csv"))) { error in
            XCTAssertEqual((error as? TermbaseError)?.location.line, 2, "\(error)")
            XCTAssertTrue("\(error)".contains("UTF-8"))
        }
    }

    func testHeaderWithoutLanguageIsRefused() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: fixture("no-language.csv"))) { error in
            XCTAssertEqual((error as? TermbaseError)?.location.line, 1)
            XCTAssertTrue("\(error)".contains("no language column"), "\(error)")
        }
    }

    func testMissingFileNamesThePath() {
        XCTAssertThrowsError(try CSVTermbaseReader.read(path: "/nonexistent/glossary.csv")) { error in
            XCTAssertEqual((error as? LocatedError)?.location.file, "/nonexistent/glossary.csv")
        }
    }

    func testWriterRoundTripsStatusesDefinitionsAndQuoting() throws {
        var c = Concept(id: "x,1", subjectField: "geo", definition: "Line one\nline two", notes: ["n1"])
        c.add(Term("Biélorussie", status: .preferred, partOfSpeech: "properNoun"), language: "fr")
        c.add(Term("Bélarus", status: .admitted, partOfSpeech: "properNoun"), language: "fr")
        c.add(Term("Russie blanche", status: .deprecated, partOfSpeech: "properNoun"), language: "fr")
        c.add(Term("Belarus", status: .preferred, partOfSpeech: "properNoun"), language: "en")
        c.add(Term("White Russia", status: .forbidden, partOfSpeech: "properNoun"), language: "en")
        c.languageSections[1].definition = "Country, \"Eastern\" Europe"
        for ext in ["csv", "tsv"] {
            let out = TestPaths.temporaryFolder().appendingPathComponent("g.\(ext)").path
            try CSVTermbaseWriter.write([c], to: out)
            let (tb, findings) = try CSVTermbaseReader.read(path: out)
            XCTAssertTrue(findings.isEmpty)
            XCTAssertEqual(tb.concepts, [c], ext)
        }
    }
}
