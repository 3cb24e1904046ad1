import Foundation
import Segmentation
import TestSupport
import XCTest

/// Verso's own segmentation cases for languages other than English and French
/// (`Tests/Fixtures/segmentation/<lang>-extra.jsonl`): abbreviations, ordinals, quotes in each
/// language's style, enumerations that end a sentence, addresses, CJK punctuation. The public
/// golden set has few cases for most of these languages; these keep the rules general.
final class ExtraLanguageCasesTests: XCTestCase {
    func testExtraLanguageCasesAllPass() throws {
        let folder = TestPaths.fixture("segmentation")
        // English and French (`en-extra`, `fr-extra`) are asserted in full by
        // `GoldenAccuracyTests.testEnglishAndFrenchExtraCasesAllPass`.
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix("-extra.jsonl") && !["en-extra.jsonl", "fr-extra.jsonl"].contains($0.lastPathComponent) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 13)
        let cases = try files.flatMap(GoldCase.load)
        for c in cases {
            XCTAssertFalse(c.language.isEmpty || c.language.contains("-"), "\(c.id): no language")
        }
        XCTAssertGreaterThanOrEqual(cases.count, 250)
        let (_, _, failures) = try GoldCase.run(cases)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(cases.count) cases fail:\n" + failures.joined(separator: "\n"))
    }
}
