import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class LookupTests: XCTestCase {
    private var glossary: Glossary { RecognitionTests.builtIn }

    private func first(_ query: String, from: String?) throws -> LookupResult? { try glossary.lookup(query, from: from).first }

    func testCaseAndAccentsAreFolded() throws {
        let r = try XCTUnwrap(first("bielorussie", from: "fr"))
        XCTAssertEqual(r.concept.id, "country-BY")
        XCTAssertEqual(r.kind, .exact)
        XCTAssertEqual(r.terms(in: "en").map(\.text).first, "Belarus")
        XCTAssertEqual(try first("BIÉLORUSSIE", from: "fr")?.concept.id, "country-BY")
    }

    func testElidedArticlesAreSetAside() throws {
        for q in ["l'OTAN", "l’OTAN", "L'Otan"] {
            let r = try XCTUnwrap(first(q, from: "fr"), q)
            XCTAssertEqual(r.concept.id, "org-NATO", q)
            XCTAssertEqual(r.kind, .exact)
            XCTAssertEqual(r.concept.preferredTerm(in: "en")?.text, "NATO")
        }
        XCTAssertEqual(try first("d'Ukraine", from: "fr")?.concept.id, "country-UA")
        XCTAssertEqual(try first("NATO's", from: "en")?.concept.id, "org-NATO")
    }

    func testInflectedFormsAreFoundAndMarked() throws {
        let r = try XCTUnwrap(first("biélorusses", from: "fr"))
        XCTAssertEqual(r.concept.id, "term-Belarusian")
        XCTAssertEqual(r.kind, .inflected)
        XCTAssertEqual(r.matchedTerm.text, "biélorusse")
        XCTAssertEqual(try first("mobilisations partielles", from: "fr")?.concept.id, "term-partial-mobilisation")
        XCTAssertEqual(try first("Белоруссии", from: "ru")?.concept.id, "country-BY")
    }

    func testHyphenAndSpaceVariantsMatch() throws {
        XCTAssertEqual(try first("cessez le feu", from: "fr")?.concept.id, "term-ceasefire")
        XCTAssertEqual(try first("cessezlefeu", from: "fr")?.kind, .variant)
        let (tb, _) = try TBXReader.read(path: TestPaths.fixture("terminology/tbx2019-dca.tbx").path)
        let g = Glossary(stores: [InMemoryTermStore(tb)])
        XCTAssertEqual(try g.lookup("cessez le feu", from: "fr").first?.kind, .exact)
        XCTAssertEqual(try g.lookup("cessezlefeu", from: "fr").first?.kind, .variant)
        XCTAssertEqual(try g.lookup("cease-fire", from: "en").first?.kind, .variant)
    }

    func testNearMissesAreFuzzyAndRankedBelowExactMatches() throws {
        let r = try XCTUnwrap(first("Loukachneko", from: "fr"))
        XCTAssertEqual(r.concept.id, "person-Lukashenko")
        XCTAssertEqual(r.kind, .fuzzy)
        XCTAssertEqual(r.distance, 1)
        // An exact hit suppresses fuzzy ones.
        XCTAssertTrue(try glossary.lookup("Russie", from: "fr").allSatisfy { $0.kind == .exact })
        XCTAssertTrue(try glossary.lookup("xq", from: "fr").isEmpty)
        XCTAssertTrue(try glossary.lookup("Loukachneko", from: "fr", fuzzy: false).isEmpty)
    }

    func testAnyLanguageToAnyLanguage() throws {
        let r = try XCTUnwrap(first("Лукашенко", from: "ru"))
        XCTAssertEqual(r.concept.preferredTerm(in: "es")?.text, "Alexandr Lukashenko")
        XCTAssertEqual(try first("Weißrussland", from: "de")?.concept.preferredTerm(in: "fr")?.text, "Biélorussie")
        XCTAssertEqual(try first("Organizacja Traktatu Północnoatlantyckiego", from: "pl")?.concept.preferredTerm(in: "uk")?.text, "НАТО")
        // Without a source language every language is searched.
        XCTAssertEqual(try first("Kremlchef", from: nil)?.concept.id, "term-Kremlin-leader")
    }

    func testStatusesComeFromTheMergedBuiltInGlossaries() throws {
        let by = try XCTUnwrap(first("Bélarus", from: "fr")).concept
        XCTAssertEqual(by.terms(in: "fr").first { $0.text == "Biélorussie" }?.status, .preferred)
        XCTAssertEqual(by.terms(in: "fr").first { $0.text == "Bélarus" }?.status, .admitted)
        XCTAssertEqual(by.terms(in: "en").first { $0.text == "White Russia" }?.status, .forbidden)
        // The country is one concept, not one per glossary.
        XCTAssertEqual(try glossary.lookup("Biélorussie", from: "fr").count, 1)
        // The CLDR names of the other languages are merged in.
        XCTAssertEqual(by.preferredTerm(in: "pl")?.text, "Białoruś")
    }
}
