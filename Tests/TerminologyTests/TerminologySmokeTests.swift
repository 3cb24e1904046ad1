import XCTest
@testable import Terminology

final class TerminologySmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertFalse(TBXFormat.namespace2019.isEmpty)
    }
}
