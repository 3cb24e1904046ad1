import Foundation
import XCTest
import Diagnostics
import TestSupport
import XLIFF
import Pipeline

/// The version sniffing shared by `prepare` and `convert`: the same rules as the converter's.
final class XLIFFDocumentsTests: XCTestCase {
    private func file(_ text: String) throws -> String {
        let url = TestPaths.temporaryFolder("xliff-documents").appendingPathComponent("doc.xlf")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        return url.path
    }

    func testVersionsOfTheRealConformanceFilesAgreeWithTheConverter() throws {
        let okapi = TestPaths.sharedFile("standards/conformance/okapi/xliff12")
        for name in try FileManager.default.contentsOfDirectory(atPath: okapi.path) where name.hasSuffix(".xlf") {
            let path = okapi.appendingPathComponent(name).path
            XCTAssertEqual(try XLIFFDocuments.version(ofFile: path), try XLIFFConverter.detectVersion(ofFile: path), name)
        }
        let v2 = try file(#"<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr"><file id="f"/></xliff>"#)
        XCTAssertEqual(try XLIFFDocuments.version(ofFile: v2), .v2_0)
    }

    func testAnotherRootElementIsNotXLIFF() throws {
        XCTAssertNil(try XLIFFDocuments.version(ofFile: try file("<html><body/></html>")))
    }

    func testAnXLIFFOfAnUnknownKindIsAnErrorNamingFileAndLine() throws {
        let foreign = try file("<?xml version=\"1.0\"?>\n<xliff xmlns=\"urn:example:other\" version=\"9.0\"><file/></xliff>\n")
        XCTAssertThrowsError(try XLIFFDocuments.version(ofFile: foreign)) { error in
            XCTAssertEqual("\(error)", "\(foreign):2: error: not an XLIFF document: <xliff> is in namespace 'urn:example:other'")
        }
        let unnamespaced = try file("<?xml version=\"1.0\"?>\n<xliff version=\"2.1\"><file id=\"f\"/></xliff>\n")
        XCTAssertThrowsError(try XLIFFDocuments.version(ofFile: unnamespaced)) { error in
            XCTAssertEqual("\(error)", "\(unnamespaced):2: error: unknown XLIFF version '2.1' (no namespace)")
        }
    }
}
