import TranslationModel
import XCTest

final class TermbaseTests: XCTestCase {
    private func belarus() -> Concept {
        var c = Concept(id: "country-BY")
        c.add(Term("Russie blanche", status: .deprecated), language: "fr")
        c.add(Term("Bélarus", status: .admitted), language: "fr")
        c.add(Term("Biélorussie", status: .preferred), language: "fr")
        c.add(Term("Belarus"), language: "en")
        c.add(Term("Bélarus (CA)", status: .preferred), language: "fr-CA")
        return c
    }

    func testTermsAreRankedPreferredFirstKeepingFileOrderAmongEquals() {
        XCTAssertEqual(belarus().terms(in: "fr-FR").map(\.text), ["Biélorussie", "Bélarus", "Russie blanche"])
        XCTAssertEqual(belarus().preferredTerm(in: "en")?.text, "Belarus")
    }

    func testRegionalSectionsServeTheirLanguageAndViceVersa() {
        let c = belarus()
        XCTAssertEqual(c.sections(for: "fr").count, 2)
        XCTAssertEqual(c.sections(for: "fr-CA").map(\.language), ["fr-CA"])
        XCTAssertEqual(c.sections(for: "FR_be").map(\.language), ["fr"])
        XCTAssertTrue(c.sections(for: "de").isEmpty)
        XCTAssertEqual(LanguageTag.primary("pt_BR"), "pt")
    }

    func testOnlyDeprecatedTermsGiveNoPreferredTerm() {
        var c = Concept(id: "x")
        c.add(Term("Byelorussia", status: .deprecated), language: "en")
        c.add(Term("White Russia", status: .forbidden), language: "en")
        XCTAssertNil(c.preferredTerm(in: "en"))
        XCTAssertTrue(TermStatus.forbidden.isDiscouraged)
        XCTAssertLessThan(TermStatus.preferred, TermStatus.admitted)
    }

    func testTermbaseListsLanguagesAndCountsTerms() {
        let tb = Termbase(name: "t", concepts: [belarus()])
        XCTAssertEqual(tb.languages, ["fr", "en", "fr-CA"])
        XCTAssertEqual(tb.termCount, 5)
    }
}
