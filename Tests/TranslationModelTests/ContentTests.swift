import XCTest
@testable import TranslationModel

final class ContentTests: XCTestCase {
    func testAppendMergesAdjacentTextAndKeepsCodes() {
        var c = Content()
        c.append(text: "Le ")
        c.append(text: "président ")
        c.append(.code(InlineCode(kind: .opening, id: "1", originalData: "<b>")))
        c.append(text: "Poutine")
        c.append(.code(InlineCode(kind: .closing, id: "1", originalData: "</b>")))
        XCTAssertEqual(c.runs.count, 4)
        XCTAssertEqual(c.plainText, "Le président Poutine")
        XCTAssertEqual(c.codes.map(\.kind), [.opening, .closing])
    }

    func testUnitJoinsPartsBackToItsText() {
        let unit = Unit(id: "1", parts: [
            .segment(Segment(source: "Une phrase.", target: "A sentence.")),
            .ignorable(Ignorable(source: " ")),
            .segment(Segment(source: "Une autre.")),
        ])
        XCTAssertEqual(unit.source.plainText, "Une phrase. Une autre.")
        XCTAssertEqual(unit.target?.plainText, "A sentence. ")
        XCTAssertFalse(unit.isTranslated)
    }

    func testDocumentEventsRoundTrip() throws {
        let doc = Document(info: DocumentInfo(sourceLanguage: "fr", targetLanguage: "en"), files: [
            File(info: FileInfo(id: "f1", original: "a.txt"), items: [
                .unit(Unit(id: "1", source: "Bonjour.")),
                .group(Group(info: GroupInfo(id: "g"), items: [.unit(Unit(id: "2", source: "Salut."))])),
            ]),
        ])
        var reader = EventListReader(doc.events)
        XCTAssertEqual(try Document(reading: &reader), doc)
        XCTAssertEqual(doc.allUnits.map(\.id), ["1", "2"])
    }
}
