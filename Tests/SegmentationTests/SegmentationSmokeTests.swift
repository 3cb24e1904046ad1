import XCTest
@testable import Segmentation

final class SegmentationSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertEqual(SRXNamespace.uri, "http://www.lisa.org/srx20")
    }
}
