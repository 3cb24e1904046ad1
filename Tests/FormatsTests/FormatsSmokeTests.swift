import XCTest
@testable import Formats

final class FormatsSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertEqual(SourceFormat.allCases.count, 2)
    }
}
