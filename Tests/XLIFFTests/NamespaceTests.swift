import XCTest
@testable import XLIFF

final class NamespaceTests: XCTestCase {
    func testVersionNamespaces() {
        XCTAssertEqual(XLIFFNamespace.v1_2, "urn:oasis:names:tc:xliff:document:1.2")
        XCTAssertNotEqual(XLIFFNamespace.v2_0, XLIFFNamespace.v2_2)
    }
}
