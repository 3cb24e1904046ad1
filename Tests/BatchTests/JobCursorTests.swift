@testable import Batch
import Synchronization
import Foundation
import XCTest

final class JobCursorTests: XCTestCase {
    /// Each worker first runs its own stretch of the plan in order (so that workers write into
    /// different folders); one that is done takes the others' remaining jobs from their end;
    /// every job is handed out exactly once and the unclaimed count goes down to zero.
    func testWorkersTakeTheirOwnStretchThenTheRestOfTheLargest() {
        let cursor = JobCursor(count: 10, workers: 3) // stretches 0..<3, 3..<6, 6..<10
        XCTAssertEqual(cursor.next(for: 0)?.index, 0)
        XCTAssertEqual(cursor.next(for: 1)?.index, 3)
        XCTAssertEqual(cursor.next(for: 2)?.index, 6)
        XCTAssertEqual(cursor.next(for: 0)?.index, 1)
        let last = cursor.next(for: 0)
        XCTAssertEqual(last?.index, 2)
        XCTAssertEqual(last?.unclaimed, 5, "4, 5 and 7, 8, 9 are left")
        // Worker 0's stretch is done: it takes from the end of the one with most left (6..<10).
        XCTAssertEqual(cursor.next(for: 0)?.index, 9)
        XCTAssertEqual(cursor.next(for: 2)?.index, 7, "the owner goes on where it was")
        var rest: [Int] = []
        while let next = cursor.next(for: 1) { rest.append(next.index) }
        XCTAssertEqual(rest.sorted(), [4, 5, 8])
        XCTAssertNil(cursor.next(for: 0))
        XCTAssertNil(cursor.next(for: 2))
    }

    /// Under contention from real threads every index is handed out once, whatever the split.
    func testEveryJobIsHandedOutOnceAcrossThreads() {
        for (count, workers) in [(0, 2), (1, 4), (7, 2), (1_000, 3), (513, 8)] {
            let cursor = JobCursor(count: count, workers: workers)
            let seen = Mutex([Int]())
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var mine: [Int] = []
                while let next = cursor.next(for: worker) { mine.append(next.index) }
                seen.withLock { $0 += mine }
            }
            XCTAssertEqual(seen.withLock { $0.sorted() }, Array(0..<count), "\(count) jobs, \(workers) workers")
        }
    }
}
