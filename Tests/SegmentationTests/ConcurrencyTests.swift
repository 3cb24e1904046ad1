import Dispatch
import Foundation
import Segmentation
import XCTest

/// A Segmenter is shared between threads (the pipeline segments units in parallel).
final class ConcurrencyTests: XCTestCase {
    func testConcurrentCallsGiveTheSameBreaks() throws {
        let segmenter = try Segmenter(language: "fr")
        let paragraphs = Array(try UnitSegmentationTests.corpusParagraphs(limit: 300_000).prefix(600))
        let expected = paragraphs.map { segmenter.breakPositions(in: $0) }
        let results = Results(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let breaks = paragraphs.map { segmenter.breakPositions(in: $0) }
            results.set(worker, breaks)
        }
        for worker in 0..<4 {
            XCTAssertEqual(results.get(worker), expected, "worker \(worker)")
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class Results: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var slots: [[[Int]]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [[Int]]) { lock.lock(); slots[i] = value; lock.unlock() }
    func get(_ i: Int) -> [[Int]] { lock.lock(); defer { lock.unlock() }; return slots[i] }
}
