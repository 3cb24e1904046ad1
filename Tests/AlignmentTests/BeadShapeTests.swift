import XCTest
@testable import Alignment

final class BeadShapeTests: XCTestCase {
    func testStandardShapesAreThoseOfTheClassicAligners() {
        XCTAssertEqual(BeadShape.standard.map(\.description), ["1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "1-3", "3-1"])
        XCTAssertEqual(BeadShape.extended.count, 12)
        XCTAssertTrue(BeadShape(1, 0).isNull)
        XCTAssertFalse(BeadShape(2, 2).isNull)
    }
}
