import Foundation
@testable import Segmentation
import TestSupport
import XCTest

/// Found by fuzzing the SRX reader under LeakSanitizer (docs/fuzzing.md).
final class SegmenterLifetimeTests: XCTestCase {
    func testASegmenterFromAnSRXFileIsFreedWithItsMatchers() throws {
        let rules = try SRXRules(contentsOf: TestPaths.sharedFile("standards/conformance/okapi/srx/defaultSegmentation.srx").path)
        weak var compiled: CompiledSRX?
        do {
            let segmenter = try Segmenter(rules: rules, language: "en")
            XCTAssertEqual(segmenter.sentenceStrings(in: "One sentence. Another one.").count, 2)
            compiled = segmenter.compiled
            XCTAssertNotNil(compiled)
        }
        XCTAssertNil(compiled, "the compiled rules and their pooled matchers must not keep each other alive")
    }
}
