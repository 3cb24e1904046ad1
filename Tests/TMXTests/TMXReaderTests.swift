import Diagnostics
import TestSupport
import TranslationModel
import XCTest
import XMLSupport
@testable import TMX

/// Reading real TMX files from other tools (Okapi's test data, the LISA compliance kit).
final class TMXReaderTests: XCTestCase {
    private func okapi(_ name: String) -> String {
        TestPaths.sharedFile("standards/conformance/okapi/tmx/\(name)").path
    }

    func testEveryOkapiSampleReadsWithoutError() throws {
        let folder = TestPaths.sharedFile("standards/conformance/okapi/tmx")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmx") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20)
        var totalUnits = 0
        for name in names {
            let (header, units, _) = try TMXReader.read(path: folder.appendingPathComponent(name).path)
            XCTAssertFalse(header.sourceLanguage.isEmpty, name)
            for unit in units {
                XCTAssertFalse(unit.variants.isEmpty, "\(name): unit at line \(unit.line) has no variant")
                for variant in unit.variants { XCTAssertFalse(variant.language.isEmpty, name) }
            }
            totalUnits += units.count
        }
        XCTAssertGreaterThan(totalUnits, 50)
    }

    func testUTF16FileWithPairedCodes() throws {
        let (header, units, findings) = try TMXReader.read(path: okapi("ImportTest2A.tmx"))
        XCTAssertEqual(header.creationTool, "XYZTool")
        XCTAssertEqual(header.sourceLanguage, "en-us")
        XCTAssertEqual(header.dataType, "html")
        XCTAssertEqual(units.count, 7)
        XCTAssertTrue(findings.isEmpty, "\(findings)")
        let first = units[0]
        XCTAssertEqual(first.id, "1")
        let en = try XCTUnwrap(first.variant(for: "en-US"))
        XCTAssertEqual(en.content.plainText, "The big black cat sleeps.")
        let codes = en.content.codes
        XCTAssertEqual(codes.map(\.kind), [.opening, .closing, .opening, .closing])
        XCTAssertEqual(codes.map(\.originalData), ["<b>", "</b>", "<u>", "</u>"])
        XCTAssertEqual(codes[0].id, codes[1].id)
        XCTAssertEqual(codes[0].ctype, "bold")
        let fr = try XCTUnwrap(first.variant(for: "fr"), "fr matches fr-ca")
        XCTAssertEqual(fr.content.plainText, "Le gros chat noir dors.")
    }

    func testIsolatedStandaloneSubAndHighlight() throws {
        let (header, units, _) = try TMXReader.read(path: okapi("header_with_prop_and_note.tmx"))
        XCTAssertEqual(header.properties, [TMXProperty(type: "x", value: "prop")])
        XCTAssertEqual(header.notes, [TMXNote("note")])
        XCTAssertEqual(units.count, 1)
        let en = try XCTUnwrap(units[0].variant(for: "en-us")).content
        XCTAssertEqual(en.plainText, "Click  to start.")
        let codes = en.codes
        XCTAssertEqual(codes.count, 4)
        XCTAssertTrue(codes[0].isolated)
        XCTAssertEqual(codes[0].kind, .opening)
        XCTAssertEqual(codes[0].id, "1")
        XCTAssertEqual(codes[2].kind, .standalone)
        XCTAssertEqual(codes[2].originalData, "<IMG SRC=\"here.png\" ALT=\"Start Here!\">", "sub text is part of the native data")
        let markers = en.runs.compactMap { if case .marker(let m) = $0 { return m } else { return nil } }
        XCTAssertEqual(markers.map(\.boundary), [.start, .end])
        XCTAssertEqual(markers[0].type, "verb")
    }

    func testWhitespaceInSegmentsIsKept() throws {
        let (_, units, _) = try TMXReader.read(path: okapi("compkit_ImportTest1A.tmx"))
        XCTAssertEqual(units.count, 2)
        XCTAssertEqual(units[0].variant(for: "en-us")?.content.plainText, "First segment with [\t\t   ]")
        XCTAssertEqual(units[1].variant(for: "fr-ca")?.content.plainText, "Second segment avec [  \t\t]")
    }

    func testCommentsDoctypeNotesAndPropertiesEverywhere() throws {
        let (header, units, findings) = try TMXReader.read(path: okapi("compkit_ImportTest1L.tmx"))
        XCTAssertTrue(findings.isEmpty, "\(findings)")
        XCTAssertEqual(header.attributes["creationdate"], "20020523T091200Z")
        XCTAssertEqual(header.segmentType, "block")
        XCTAssertEqual(header.notes.map(\.text), ["Text of header note 1", "Text of header note 2"])
        XCTAssertEqual(header.notes.first?.language, "en-us")
        let unit = try XCTUnwrap(units.first)
        XCTAssertEqual(unit.id, "tu001")
        XCTAssertEqual(unit.attributes["usagecount"], "100")
        XCTAssertEqual(unit.notes.count, 2)
        XCTAssertEqual(unit.properties.first?.type, "myPropeType")
        XCTAssertFalse(unit.variants.isEmpty)
        XCTAssertEqual(unit.variants[0].attributes["creationtool"], "myTool")
    }

    func testPropertyWithoutTypeIsAWarningNotAFailure() throws {
        // Trados Translator's Workbench wrote `<prop type2="…">`, which the DTD forbids.
        let (_, units, findings) = try TMXReader.read(path: okapi("html_test.tmx"), displayPath: "html_test.tmx")
        XCTAssertEqual(units.count, 11)
        let warning = try XCTUnwrap(findings.first { $0.message.contains("'type'") })
        XCTAssertEqual(warning.severity, .warning)
        XCTAssertEqual(warning.location?.file, "html_test.tmx")
        XCTAssertNotNil(warning.location?.line)
    }

    func testReaderStreamsUnitByUnit() throws {
        let reader = try TMXReader(path: okapi("compkit_ImportTest2A.tmx"))
        XCTAssertEqual(reader.header.creationTool, "XYZTool")
        var ids: [String] = []
        while let unit = try reader.next() { ids.append(unit.id ?? "") }
        XCTAssertEqual(ids.count, 7)
        XCTAssertNil(try reader.next(), "stays at the end")
    }

    func testWrongRootIsAnErrorWithItsLine() throws {
        let bytes = Array("<?xml version=\"1.0\"?>\n<!-- memory -->\n<xliff version=\"1.2\"/>\n".utf8)
        XCTAssertThrowsError(try TMXReader(bytes: bytes, displayPath: "memory.tmx")) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.file, "memory.tmx")
            XCTAssertEqual(located?.location.line, 3)
            XCTAssertTrue(located?.message.contains("<xliff>") ?? false)
        }
    }

    func testTruncatedFileIsAnErrorWithLineAndColumn() throws {
        let text = "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body><tu><tuv xml:lang=\"en\"><seg>Hello"
        let reader = try TMXReader(bytes: Array(text.utf8), displayPath: "cut.tmx")
        XCTAssertThrowsError(try reader.next()) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.file, "cut.tmx")
            XCTAssertEqual(located?.location.line, 2)
            XCTAssertNotNil(located?.location.column)
        }
    }

    func testExternalEntitiesAreRefused() throws {
        let reader = try TMXReader(path: TestPaths.fixture("tmx/xxe.tmx").path, displayPath: "xxe.tmx")
        XCTAssertThrowsError(try reader.next()) { error in
            let located = error as? LocatedError
            XCTAssertEqual(located?.location.file, "xxe.tmx")
            XCTAssertTrue(located?.message.contains("secret") ?? false, located?.message ?? "")
        }
    }
}
