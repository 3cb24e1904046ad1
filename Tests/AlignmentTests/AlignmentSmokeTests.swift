import XCTest
@testable import Alignment

final class AlignmentSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertEqual(BeadShape.all.count, 8)
    }
}
