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
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix("-extra.jsonl") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 13)
        var segmenters: [String: Segmenter] = [:]
        var total = 0
        var failures: [String] = []
        for file in files {
            for c in try GoldCase.load(file) {
                XCTAssertFalse(c.language.isEmpty || c.language.contains("-"), "\(c.id): no language")
                let segmenter = try segmenters[c.language] ?? Segmenter(language: c.language)
                segmenters[c.language] = segmenter
                let (ok, got) = c.passes(with: segmenter)
                total += 1
                if !ok { failures.append("\(c.id): expected \(c.sentences), got \(got)") }
            }
        }
        XCTAssertGreaterThanOrEqual(total, 250)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(total) cases fail:\n" + failures.joined(separator: "\n"))
    }
}
