@testable import Batch
import Diagnostics
import Foundation
import TestSupport
import XCTest

final class BatchReportTests: BatchTestCase {
    private func runWithOneBrokenFile() throws -> (BatchSummary, URL) {
        let input = try documentTree(count: 24)
        let bad = input.appendingPathComponent("section-00/broken.xlf")
        try Data("<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n  <file>\n".utf8).write(to: bad)
        let summary = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path, jobs: 2))
        return (summary, bad)
    }

    func testReportHasCountsTimingsAndAnEntryPerFile() throws {
        let (summary, bad) = try runWithOneBrokenFile()
        let path = work.appendingPathComponent("reports/run.json")
        try BatchReport(summary, started: Date(), version: "test").write(to: path.path)

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        let counts = try XCTUnwrap(json["counts"] as? [String: Int])
        XCTAssertEqual(counts["converted"], 24)
        XCTAssertEqual(counts["failed"], 1)
        XCTAssertEqual(counts["total"], 25)
        XCTAssertEqual(json["succeeded"] as? Bool, false)
        XCTAssertEqual(json["jobs"] as? Int, 2)
        XCTAssertGreaterThan(try XCTUnwrap(json["wallSeconds"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(json["inputBytes"] as? Int), 0)
        let files = try XCTUnwrap(json["files"] as? [[String: Any]])
        XCTAssertEqual(files.count, 25)
        let failed = try XCTUnwrap(files.first { $0["input"] as? String == bad.path })
        XCTAssertEqual(failed["status"] as? String, "failed")
        XCTAssertEqual(failed["action"] as? String, "change-version")
        let error = try XCTUnwrap(failed["error"] as? [String: Any])
        XCTAssertEqual(error["file"] as? String, bad.path)
        XCTAssertNotNil(error["line"] as? Int)
        XCTAssertFalse((error["message"] as? String ?? "").isEmpty)
        let converted = try XCTUnwrap(files.first { $0["status"] as? String == "converted" })
        XCTAssertNotNil(converted["seconds"] as? Double)
        XCTAssertNotNil(converted["outputBytes"] as? Int)
    }

    func testPlainLinesNameEveryFileAndEndWithASummary() throws {
        let log = work.appendingPathComponent("log.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let input = try documentTree(count: 24)
        try Data([0xFF]).write(to: input.appendingPathComponent("section-00/bad.txt"))
        _ = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path), observer: BatchConsole(style: .lines, fd: handle.fileDescriptor))
        try handle.close()
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "converting 25 files with \(min(25, ProcessInfo.processInfo.activeProcessorCount)) jobs")
        XCTAssertEqual(lines.filter { $0.contains("] converted ") }.count, 24)
        XCTAssertTrue(lines.contains("\(input.path)/section-00/bad.txt: error: invalid UTF-8 at byte offset 0"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("[") && $0.hasSuffix("] failed \(input.path)/section-00/bad.txt") })
        XCTAssertTrue(try XCTUnwrap(lines.last).hasPrefix("24 converted, 1 failed in "), lines.last ?? "")
    }

    func testQuietPrintsOnlyErrors() throws {
        let log = work.appendingPathComponent("log.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let input = try documentTree(count: 24)
        try Data([0x41, 0xFF]).write(to: input.appendingPathComponent("section-00/bad.txt"))
        _ = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path), observer: BatchConsole(style: .quiet, fd: handle.fileDescriptor))
        try handle.close()
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "\(input.path)/section-00/bad.txt: error: invalid UTF-8 at byte offset 1\n")
    }

    func testProgressBarShowsCountsRateAndFailures() {
        let bar = BatchConsole.bar(completed: 500, total: 2000, failed: 3, elapsed: .seconds(2), width: 100)
        XCTAssertTrue(bar.hasPrefix("[#"), bar)
        XCTAssertTrue(bar.contains("500/2000 files  25%  250 files/s  3 failed  ETA 0:06"), bar)
        XCTAssertLessThanOrEqual(bar.count, 100)
        let done = BatchConsole.bar(completed: 10, total: 10, failed: 0, elapsed: .seconds(1), width: 60)
        XCTAssertFalse(done.contains("ETA"))
        XCTAssertFalse(done.contains("."), "a full bar: \(done)")
    }
}
