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

    func testReportJSONKeepsAnyPathAndMessageAndSortsItsKeys() throws {
        // Paths and messages with quotes, backslashes, control characters and non-ASCII text
        // come back as written; absent values are left out; empty lists are empty arrays.
        let odd = "dossier \"a\"\\b/été\tnotes\n.txt"
        var failed = BatchFileResult(input: odd, output: nil, action: .prepare, status: .failed,
                                     findings: [Finding(.error, "bad byte \u{1} in \"\(odd)\"", at: SourceLocation(file: odd, line: 3, column: 7))])
        failed.seconds = 0.00004
        let converted = BatchFileResult(input: "a.txt", output: "out/a.txt.xlf", action: .prepare, status: .converted, seconds: 1.5, inputBytes: 10, outputBytes: 20)
        var counts = BatchCounts()
        counts.add(failed)
        counts.add(converted)
        let summary = BatchSummary(results: [failed, converted], ignored: [IgnoredFile(path: "x.pdf", reason: "not a format Verso converts")],
                                   removedTemporaries: [], counts: counts, wallSeconds: 0, workers: 1, wasCancelled: false)
        let data = try BatchReport(summary, started: Date(timeIntervalSince1970: 0), version: "test").jsonData()
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try XCTUnwrap(json["files"] as? [[String: Any]])
        XCTAssertEqual(files[0]["input"] as? String, odd)
        XCTAssertNil(files[0]["output"])
        let error = try XCTUnwrap(files[0]["error"] as? [String: Any])
        XCTAssertEqual(error["message"] as? String, "bad byte \u{1} in \"\(odd)\"")
        XCTAssertEqual(error["file"] as? String, odd)
        XCTAssertEqual(error["line"] as? Int, 3)
        XCTAssertEqual(error["column"] as? Int, 7)
        XCTAssertEqual(try XCTUnwrap(files[0]["seconds"] as? Double), 0.00004, accuracy: 1e-12)
        XCTAssertEqual(files[1]["outputBytes"] as? Int, 20)
        XCTAssertEqual(files[1]["seconds"] as? Double, 1.5)
        XCTAssertEqual((files[1]["warnings"] as? [Any])?.count, 0)
        XCTAssertEqual(json["removedTemporaries"] as? [String], [])
        XCTAssertEqual(json["filesPerSecond"] as? Double, 0)
        XCTAssertEqual((json["ignored"] as? [[String: String]])?.first?["reason"], "not a format Verso converts")
        XCTAssertEqual(json["started"] as? String, "1970-01-01T00:00:00Z")
        // Keys in sorted order, at every level (stable diffs between runs).
        let text = String(decoding: data, as: UTF8.self)
        let topKeys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        XCTAssertEqual(topKeys, topKeys.sorted())
        XCTAssertEqual(topKeys.count, 14)
        XCTAssertTrue(text.hasSuffix("}\n"))
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
