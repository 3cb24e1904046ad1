#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Batch
import Diagnostics
import FileAccess
import Foundation
import TestSupport
import XCTest

final class BatchEngineTests: BatchTestCase {
    /// Breaks copies of real documents in the ways files break in the field. Returns the bad
    /// inputs' relative paths. Unreadable files: root reads through `chmod 000`, so the tree also
    /// holds files no one can read as documents whoever runs the tests: a FIFO and a dangling link.
    private func addBrokenFiles(to input: URL) throws -> [String: String] {
        let fm = FileManager.default
        var broken: [String: String] = [:]
        let sample = try XCTUnwrap(files(under: input).first { $0.hasSuffix(".xlf") })
        let xliff = try Data(contentsOf: input.appendingPathComponent(sample))
        try xliff.prefix(xliff.count / 2).write(to: input.appendingPathComponent("section-01/truncated.xlf"))
        broken["section-01/truncated.xlf"] = "truncated.xlf:"
        let text = try Data(contentsOf: TestPaths.sample("seed-article.fr.txt"))
        var bad = Data(text.prefix(200))
        bad.append(contentsOf: [0xC3, 0x28, 0xFF])
        bad.append(text.dropFirst(200))
        try bad.write(to: input.appendingPathComponent("section-02/latin1.txt"))
        broken["section-02/latin1.txt"] = "invalid UTF-8 at byte offset"
        try fm.createDirectory(at: input.appendingPathComponent("damaged"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(input.appendingPathComponent("damaged/pipe.txt").path, 0o644), 0)
        broken["damaged/pipe.txt"] = "not a regular file (it is a FIFO"
        try fm.createSymbolicLink(atPath: input.appendingPathComponent("damaged/moved.html").path, withDestinationPath: "no-such-page.html")
        broken["damaged/moved.html"] = "broken symbolic link"
        return broken
    }

    func testConvertsEveryGoodFileAndReportsEveryBadOneWithoutStopping() throws {
        let input = try documentTree(count: 300)
        let good = files(under: input)
        XCTAssertEqual(good.count, 300)
        let broken = try addBrokenFiles(to: input)
        let out = work.appendingPathComponent("out")

        let summary = run(BatchRequest(inputs: [input.path], output: out.path, jobs: 3))

        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(summary.counts.converted, good.count)
        XCTAssertEqual(summary.counts.failed, broken.count)
        for rel in good {
            let expected = rel.hasSuffix(".xlf") ? rel : rel + ".xlf"
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(expected).path), "missing output for \(rel)")
        }
        for (rel, reason) in broken {
            let result = try XCTUnwrap(summary.results.first { $0.input == input.appendingPathComponent(rel).path }, rel)
            XCTAssertEqual(result.status, .failed, rel)
            let error = try XCTUnwrap(result.error, rel)
            XCTAssertEqual(error.location?.file, input.appendingPathComponent(rel).path)
            XCTAssertTrue(error.description.contains(reason), "\(rel): \(error)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(rel.hasSuffix(".xlf") ? rel : rel + ".xlf").path), "no output for a failed file: \(rel)")
        }
        let truncated = try XCTUnwrap(summary.results.first { $0.input.hasSuffix("truncated.xlf") }?.error)
        XCTAssertNotNil(truncated.location?.line, "a truncated XLIFF is reported with its line: \(truncated)")
        XCTAssertFalse(files(under: out).contains { $0.contains(AtomicFile.temporaryPrefix) }, "no temporary file survives a run")
    }

    func testAFileNooneCanReadIsReportedAndTheOthersConverted() throws {
        let input = try documentTree(count: 24)
        let locked = input.appendingPathComponent("section-00/locked.txt")
        try Data("Bonjour.\n".utf8).write(to: locked)
        XCTAssertEqual(chmod(locked.path, 0), 0)
        let summary = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path))
        let result = try XCTUnwrap(summary.results.first { $0.input == locked.path })
        if getuid() == 0 {
            // Root reads through permissions: the file is an ordinary input then.
            XCTAssertEqual(result.status, .converted)
        } else {
            XCTAssertEqual(result.status, .failed)
            XCTAssertTrue(result.error?.message.contains("permission denied") ?? false, "\(String(describing: result.error))")
        }
        XCTAssertEqual(summary.counts.converted + summary.counts.failed, 25)
    }

    func testRunsFilesInParallelUpToTheJobCount() throws {
        let input = try documentTree(count: 24)
        let parallel = CheckingConverter(delay: .milliseconds(30))
        _ = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("p").path, jobs: 4), parallel)
        XCTAssertGreaterThan(parallel.maxConcurrency, 1)
        XCTAssertLessThanOrEqual(parallel.maxConcurrency, 4)
        let serial = CheckingConverter(delay: .milliseconds(1))
        _ = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("s").path, jobs: 1), serial)
        XCTAssertEqual(serial.maxConcurrency, 1)
        XCTAssertEqual(serial.converted.count, 24)
    }

    func testReRunSkipsOutputsNewerThanTheirInputsAndForceRedoesThem() throws {
        let input = try documentTree(count: 24)
        let out = work.appendingPathComponent("out")
        let first = run(BatchRequest(inputs: [input.path], output: out.path))
        XCTAssertEqual(first.counts.converted, 24)

        let touched = try XCTUnwrap(files(under: input).first)
        try setModificationTime(input.appendingPathComponent(touched), secondsFromNow: 60)
        let again = CheckingConverter()
        let second = run(BatchRequest(inputs: [input.path], output: out.path), again)
        XCTAssertEqual(second.counts.upToDate, 23)
        XCTAssertEqual(second.counts.converted, 1)
        XCTAssertEqual(again.converted, [input.appendingPathComponent(touched).path])
        XCTAssertTrue(second.succeeded)

        let forced = run(BatchRequest(inputs: [input.path], output: out.path, force: true))
        XCTAssertEqual(forced.counts.converted, 24)
        XCTAssertEqual(forced.counts.upToDate, 0)
    }

    func testAFailedFileIsRetriedOnTheNextRun() throws {
        let input = try documentTree(count: 24)
        let bad = input.appendingPathComponent("section-00/bad.txt")
        try Data([0x41, 0xFF, 0x42]).write(to: bad)
        let out = work.appendingPathComponent("out")
        XCTAssertEqual(run(BatchRequest(inputs: [input.path], output: out.path)).counts.failed, 1)
        try Data("Réparé.\n".utf8).write(to: bad)
        let second = run(BatchRequest(inputs: [input.path], output: out.path))
        XCTAssertEqual(second.counts.converted, 1)
        XCTAssertEqual(second.counts.upToDate, 24)
        XCTAssertTrue(second.succeeded)
    }

    func testStaleTemporariesOfDeadProcessesAreRemovedAndThoseOfLiveOnesKept() throws {
        let input = try documentTree(count: 24)
        let out = work.appendingPathComponent("out")
        let nested = out.appendingPathComponent("section-00")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        // A process that has exited (and been reaped): its pid is free.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let live = Process()
        live.executableURL = URL(fileURLWithPath: "/bin/sleep")
        live.arguments = ["30"]
        try live.run()
        defer { live.terminate(); live.waitUntilExit() }
        let stale = nested.appendingPathComponent(".verso-tmp-\(finished.processIdentifier)-abc-doc.txt.xlf")
        let inUse = nested.appendingPathComponent(".verso-tmp-\(live.processIdentifier)-def-doc.txt.xlf")
        let noPid = out.appendingPathComponent(".verso-tmp-old-format.xlf")
        for url in [stale, inUse, noPid] { try Data("<half".utf8).write(to: url) }

        let summary = run(BatchRequest(inputs: [input.path], output: out.path))

        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: noPid.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: inUse.path), "a running verso's temporary file is left alone")
        XCTAssertEqual(Set(summary.removedTemporaries), [stale.path, noPid.path])
    }

    func testTheOutputFolderInsideTheInputFolderIsNotTakenAsInput() throws {
        let input = try documentTree(count: 24)
        let out = input.appendingPathComponent("xliff")
        XCTAssertEqual(run(BatchRequest(inputs: [input.path], output: out.path)).counts.converted, 24)
        let second = run(BatchRequest(inputs: [input.path], output: out.path, force: true))
        XCTAssertEqual(second.counts.converted, 24, "outputs of the first run are not inputs of the second")
        XCTAssertFalse(files(under: out).contains { $0.hasPrefix("xliff/") })
    }

    func testInputsAreNeverModified() throws {
        let input = try documentTree(count: 24)
        func snapshot() throws -> [String: Data] {
            var all: [String: Data] = [:]
            for rel in files(under: input) { all[rel] = try Data(contentsOf: input.appendingPathComponent(rel)) }
            return all
        }
        let before = try snapshot()
        // Writing the outputs into the input folder itself: XLIFF inputs would be replaced by
        // their own outputs, so they fail instead; documents get their .xlf beside them.
        let summary = run(BatchRequest(inputs: [input.path], output: input.path))
        let xliffCount = before.keys.filter { $0.hasSuffix(".xlf") }.count
        XCTAssertEqual(summary.counts.failed, xliffCount)
        XCTAssertTrue(summary.results.filter { $0.status == .failed }.allSatisfy { $0.error?.message.contains("refusing to overwrite the input file") ?? false })
        var after = try snapshot()
        after = after.filter { before[$0.key] != nil }
        XCTAssertEqual(after, before)
    }

    func testAnErrorWithoutLocationNamesTheInput() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "converter exploded" } }
        let input = try documentTree(count: 24)
        let summary = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path), ClosureConverter { _ in throw Boom() })
        XCTAssertEqual(summary.counts.failed, 24)
        for result in summary.results {
            XCTAssertEqual(result.error?.description, "\(result.input): error: converter exploded")
        }
    }

    func testCancelFinishesRunningFilesAndReportsTheRestAsCancelled() throws {
        let input = try documentTree(count: 24)
        let out = work.appendingPathComponent("out")
        // Cancelled as soon as the first file is converted (as Ctrl-C would, from another
        // thread): the files being converted then finish, whole; none is started after.
        final class EngineBox: @unchecked Sendable { weak var engine: BatchEngine? }
        let box = EngineBox()
        let checking = CheckingConverter(delay: .milliseconds(5))
        let converter = ClosureConverter { job in
            let outcome = try checking.convert(job)
            box.engine?.cancel()
            return outcome.findings
        }
        let engine = BatchEngine(request: BatchRequest(inputs: [input.path], output: out.path, jobs: 2), converter: converter)
        box.engine = engine
        let summary = engine.run()
        XCTAssertTrue(summary.wasCancelled)
        XCTAssertFalse(summary.succeeded)
        XCTAssertGreaterThanOrEqual(summary.counts.converted, 1)
        XCTAssertLessThanOrEqual(summary.counts.converted, 2)
        XCTAssertEqual(summary.counts.converted + summary.counts.cancelled, 24)
        // The finished files' outputs are in place (their group was flushed), and only those.
        XCTAssertEqual(files(under: out).count, summary.counts.converted)
        for result in summary.results where result.status == .converted {
            XCTAssertTrue(FileManager.default.fileExists(atPath: try XCTUnwrap(result.output)))
        }
    }

    func testWarningsAreReportedAndTheFileStillCounts() throws {
        let input = work.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try Data(#"<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>"#.utf8)
            .write(to: input.appendingPathComponent("empty.xlf"))
        let summary = run(BatchRequest(inputs: [input.path], output: work.appendingPathComponent("out").path))
        XCTAssertTrue(summary.succeeded)
        XCTAssertEqual(summary.counts.converted, 1)
        XCTAssertEqual(summary.counts.warnings, 1)
        XCTAssertEqual(summary.results[0].warnings.first?.message, "almost empty XLIFF")
    }
}
