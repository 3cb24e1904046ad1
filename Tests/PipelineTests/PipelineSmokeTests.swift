import XCTest
@testable import Pipeline

final class PipelineSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
