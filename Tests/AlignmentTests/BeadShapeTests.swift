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

/// The search's cost kernel reads logarithms from a table; it must agree with the model.
final class CostKernelTests: XCTestCase {
    func testKernelLengthCostMatchesTheModel() {
        let bitext = Bitext(source: ["Un deux trois.", "Quatre cinq six sept."], target: ["One two three.", "Four five six seven."], anchors: nil)
        var model = ScoringModel()
        model.ratio = 0.93
        model.variance = 5.2
        model.shapeCost = ScoringModel.defaultShapeCosts(BeadShape.extended)
        let kernel = BandSearch.CostKernel(bitext: bitext, evidence: AnchorEvidence(bitext: bitext, model: model), model: model)
        for (l1, l2, a, b) in [(40.0, 37.0, 1, 1), (120.0, 80.0, 2, 1), (3.0, 9.0, 1, 3), (900.0, 1020.0, 4, 2), (0.0, 12.0, 1, 1)] {
            XCTAssertEqual(kernel.lengthCost(l1, l2, a, b), model.lengthCost(l1, l2, sourceCount: a, targetCount: b), accuracy: 0.01)
        }
    }
}
