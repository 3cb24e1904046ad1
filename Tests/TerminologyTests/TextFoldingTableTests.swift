import Foundation
import XCTest
@testable import Terminology

/// The folding table is generated into TextFoldingTable.swift rather than computed at start-up;
/// these tests keep the generated file equal to what the Unicode data of the toolchain gives.
final class TextFoldingTableTests: XCTestCase {
    private var tableFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Terminology/TextFoldingTable.swift")
    }

    /// Fails when TextFoldingTable.swift is out of date (a change to `computeEntry` or to the
    /// toolchain's Unicode data); `VERSO_REGENERATE=1` rewrites it instead.
    func testGeneratedTableFileIsUpToDate() throws {
        let expected = TextFolding.tableSource()
        if ProcessInfo.processInfo.environment["VERSO_REGENERATE"] == "1" {
            try expected.write(to: tableFile, atomically: true, encoding: .utf8)
        }
        let actual = try String(contentsOf: tableFile, encoding: .utf8)
        XCTAssertTrue(actual == expected, "Sources/Terminology/TextFoldingTable.swift is out of date: run VERSO_REGENERATE=1 swift test --filter TextFoldingTableTests")
    }

    /// The table the tokenizer reads holds, for every covered code point, the entry computed
    /// from the Unicode data (the compiled-in copy, not only the file on disk).
    func testTableEntriesEqualComputedEntries() {
        let computed = TextFolding.computedEntries()
        XCTAssertEqual(TextFolding.precomputedEntries.count, computed.count)
        var k = 0
        for r in TextFolding.coveredRanges {
            for v in r {
                XCTAssertEqual(TextFolding.table[Int(v)], computed[k], "U+\(String(v, radix: 16, uppercase: true))")
                k += 1
            }
        }
    }
}
