import TestSupport
import XCTest
@testable import Terminology

final class FoldingTests: XCTestCase {
    func testFoldsCaseAccentsLigaturesAndApostrophes() {
        XCTAssertEqual(TextFolding.fold("Biélorussie"), "bielorussie")
        XCTAssertEqual(TextFolding.fold("L’OTAN"), "l otan")
        XCTAssertEqual(TextFolding.fold("d'Ukraine"), "d ukraine")
        XCTAssertEqual(TextFolding.fold("Œuvre ÆSIR Straße"), "oeuvre aesir strasse")
        XCTAssertEqual(TextFolding.fold("Saint-Pétersbourg"), "saint petersbourg")
        XCTAssertEqual(TextFolding.fold("Łódź"), "lodz")
        XCTAssertEqual(TextFolding.fold("ΣΟΦΟΣ"), "σοφοσ")
        XCTAssertEqual(TextFolding.fold("Объединённых"), "объединенных")
        // й is a letter of its own in Russian and Ukrainian, not an accented и.
        XCTAssertEqual(TextFolding.fold("Белорусский"), "белорусский")
        XCTAssertEqual(TextFolding.fold("e\u{301}te\u{301}"), "ete") // decomposed accents
        XCTAssertEqual(TextFolding.fold("anti\u{AD}corruption"), "anticorruption") // soft hyphen
    }

    func testTokensCarryUTF16OffsetsCaseAndGaps() {
        let tokens = Tokenizer.tokens(of: "😀 l’OTAN, Saint-Pétersbourg")
        XCTAssertEqual(tokens.map(\.folded), ["l", "otan", "saint", "petersbourg"])
        XCTAssertEqual(tokens.map(\.utf16Offset), [3, 5, 11, 17])
        XCTAssertEqual(tokens.map(\.letterCase), [.lower, .upper, .title, .title])
        XCTAssertEqual(tokens.map(\.gapBefore), [.start, .apostrophe, .barrier, .hyphen])
    }

    func testScriptsWithoutCaseAreTokenizedAsWritten() {
        XCTAssertEqual(Tokenizer.tokens(of: "北約 와 NATO").map(\.folded), ["北約", "와", "nato"])
    }

    func testNonBMPLettersStayInsideTokens() {
        let tokens = Tokenizer.tokens(of: "𝒜bc 𠀀x")
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens[1].utf16Offset, 5)
        XCTAssertEqual(tokens[1].utf16Length, 3)
    }

    func testLightStemmingMapsInflectionsToOneKey() {
        let fr = LightStemmer(language: "fr")
        XCTAssertEqual(fr.stem("bielorusses"), fr.stem("bielorusse"))
        XCTAssertEqual(fr.stem("partielles"), fr.stem("partielle"))
        XCTAssertEqual(fr.stem("alliees"), fr.stem("allie"))
        XCTAssertEqual(fr.stem("ukrainienne"), fr.stem("ukrainien"))
        XCTAssertEqual(fr.stem("chevaux"), "cheval")
        XCTAssertNotEqual(fr.stem("russie"), fr.stem("russe"))
        let en = LightStemmer(language: "en-GB")
        XCTAssertEqual(en.stem("countries"), "country")
        XCTAssertEqual(en.stem("counterparts"), "counterpart")
        XCTAssertEqual(en.stem("press"), "press")
        XCTAssertEqual(en.stem("crisis"), "crisis")
        let de = LightStemmer(language: "de")
        XCTAssertEqual(de.stem("verbundeten"), de.stem("verbundeter"))
        let es = LightStemmer(language: "es")
        XCTAssertEqual(es.stem("bielorrusas"), es.stem("bielorruso"))
        XCTAssertEqual(es.stem("naciones"), es.stem("nacion"))
        let ru = LightStemmer(language: "ru")
        XCTAssertEqual(ru.stem("белоруссии"), ru.stem("белоруссия"))
        XCTAssertEqual(ru.stem("путина"), ru.stem("путин"))
        XCTAssertNil(LightStemmer(language: "ja").rules)
    }

    func testEditDistanceCountsTranspositions() {
        XCTAssertEqual(editDistance(Array("loukachenko".utf16), Array("loukachneko".utf16), limit: 2), 1)
        XCTAssertEqual(editDistance(Array("otan".utf16), Array("nato".utf16), limit: 1), 2)
        XCTAssertEqual(fuzzyLimit(forLength: 3), 0)
        XCTAssertEqual(fuzzyLimit(forLength: 11), 2)
    }
}
