import XCTest
import TestSupport
import Diagnostics
import TranslationModel
@testable import XLIFF

final class XLIFF2ReaderTests: XCTestCase {
    private func conformance(_ relative: String) -> String {
        TestPaths.sharedFile("standards/conformance/\(relative)").path
    }

    func testPairedCodeBecomesOpeningAndClosingRunsWithTheirData() throws {
        let doc = try XLIFF2Reader.document(atPath: conformance("xliff21/core/valid/everything-core.xlf"))
        let unit = try XCTUnwrap(doc.allUnits.first { $0.id == "tu2" })
        let codes = unit.source.codes
        XCTAssertEqual(codes.map(\.kind), [.opening, .closing, .standalone])
        XCTAssertEqual(codes[0].originalData, "[b [#$tu3]   ]")
        XCTAssertEqual(codes[0].subFlows, "tu3")
        XCTAssertEqual(codes[1].originalData, "[/b [#t3end]   ]")
        XCTAssertEqual(codes[1].subFlows, "tu3end")
        XCTAssertEqual(codes[2].canReorder, .firstNo)
        XCTAssertEqual(codes[2].dataDirection, "rtl")
        XCTAssertEqual(unit.source.plainText, "special text and more\n.")
    }

    func testUnitInheritsTranslateFromItsFile() throws {
        let doc = try XLIFF2Reader.document(atPath: TestPaths.fixture("xliff2/translate-inheritance.xlf").path)
        XCTAssertEqual(doc.files[0].info.translate, false)
        XCTAssertEqual(doc.allUnits.map(\.id), ["inherits-no", "inherits-yes", "says-no", "says-yes"])
        XCTAssertEqual(doc.allUnits.map(\.translate), [false, true, false, true])
    }

    func testModulesMapToMatchesGlossaryAndMetadata() throws {
        let matches = try XLIFF2Reader.document(atPath: conformance("xliff21/core/valid/withMatches.xlf")).allUnits[0].matches
        XCTAssertEqual(matches.map(\.ref), ["#m1", "#t=m2"])
        XCTAssertEqual(matches[0].metadata, [MetaGroup(items: [.meta(type: "mytype", value: "data")])])
        XCTAssertEqual(matches[0].source.codes.first?.originalData, "[code]")
        XCTAssertEqual(matches[0].extensions.elements.first?.name, "element")
        let glossary = try XLIFF2Reader.document(atPath: conformance("xliff21/core/valid/withGlossary.xlf")).allUnits[0].glossary
        XCTAssertEqual(glossary.first?.term, "doppelgänger")
        XCTAssertEqual(glossary.first?.translations.map(\.text), ["double", "alter-ego"])
        XCTAssertEqual(glossary.first?.definitionSource, "dictionary.com")
        XCTAssertEqual(glossary.first?.termExtensionAttributes.first?.value, "value2")
    }

    func testCodePointElementBecomesTheCharacter() throws {
        let doc = try XLIFF2Reader.document(atPath: conformance("xliff21/core/valid/allExtensions.xlf"))
        XCTAssertTrue(doc.allUnits[0].source.plainText.contains("\u{1}"))
    }

    func testXLIFF12DocumentIsRefusedWithItsLocation() throws {
        let path = conformance("okapi/xliff12/" + (try FileManager.default.contentsOfDirectory(atPath: conformance("okapi/xliff12")).sorted().first { $0.hasSuffix(".xlf") })!)
        XCTAssertThrowsError(try XLIFF2Reader.document(atPath: path)) { error in
            guard let e = error as? LocatedError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.location.file, path)
            XCTAssertNotNil(e.location.line)
            XCTAssertTrue(e.message.contains("not an XLIFF 2 document"), e.message)
        }
    }

    func testHostileFilesStopWithALocatedError() throws {
        let folder = TestPaths.fixture("xml")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 5)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            XCTAssertThrowsError(try XLIFF2Reader.document(atPath: path), name) { error in
                guard let e = error as? LocatedError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(e.location.file, path, name)
            }
        }
    }

    func testMissingFileIsALocatedError() {
        XCTAssertThrowsError(try XLIFF2Reader.document(atPath: "/nonexistent/file.xlf")) { error in
            XCTAssertEqual((error as? LocatedError)?.location.file, "/nonexistent/file.xlf")
        }
    }

    func testEventLocationIsTheLineOfTheElementThatProducedTheEvent() throws {
        let path = conformance("xliff21/core/valid/everything-core.xlf")
        let reader = try XLIFF2Reader(path: path)
        var lines: [String: Int] = [:]
        while let event = try reader.next() {
            if case .unit(let u) = event { lines[u.id] = reader.eventLocation.line }
            if case .startFile = event { lines["file"] = reader.eventLocation.line }
        }
        XCTAssertEqual(lines["file"], 3)
        XCTAssertEqual(lines["tu1"], 18)
        XCTAssertEqual(lines["tu2"], 45)
    }
}
