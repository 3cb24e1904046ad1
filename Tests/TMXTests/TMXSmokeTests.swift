import XCTest
@testable import TMX

final class TMXSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertEqual(TMXFormat.version, "1.4")
    }
}
