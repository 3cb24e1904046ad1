import XCTest
import TestSupport
@testable import FileAccess

final class AtomicFileTests: XCTestCase {
    func testOutputAppearsOnlyOnCommit() throws {
        let dir = TestPaths.temporaryFolder()
        let dest = dir.appendingPathComponent("sub/out.xlf").path
        let file = try AtomicFile(destination: dest)
        try file.write("partial")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest))
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.temporaryPath))
        XCTAssertTrue((file.temporaryPath as NSString).lastPathComponent.hasPrefix(".verso-tmp-"))
        try file.commit()
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "partial")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.temporaryPath))
    }

    /// Large raw pieces go to the file where they are (after what is buffered), small ones
    /// through the buffer: the file holds them all in order either way.
    func testLargeAndSmallRawPiecesKeepTheirOrder() throws {
        let dir = TestPaths.temporaryFolder()
        let dest = dir.appendingPathComponent("mixed.bin").path
        let file = try AtomicFile(destination: dest)
        var expected: [UInt8] = []
        for (k, size) in [10, 5_000, 3, 70_000, 4_095, 4_096, 1, 200_000, 17].enumerated() {
            let piece = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) }
            try piece.withUnsafeBytes { try file.write($0) }
            expected += piece
            if k == 4 {
                try file.write("text")
                expected += Array("text".utf8)
            }
        }
        XCTAssertEqual(file.bytesWritten, Int64(expected.count))
        try file.commit()
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: dest))), expected)
    }

    func testDiscardedOutputLeavesTheOldFileAlone() throws {
        let dir = TestPaths.temporaryFolder()
        let dest = dir.appendingPathComponent("out.txt").path
        try AtomicFile.write(Array("old".utf8), to: dest)
        let file = try AtomicFile(destination: dest)
        try file.write("new but unfinished")
        file.discard()
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.txt"])
    }

    func testRefusesToOverwriteAnInput() throws {
        let dir = TestPaths.temporaryFolder()
        let input = dir.appendingPathComponent("in.txt").path
        try AtomicFile.write(Array("source".utf8), to: input)
        XCTAssertThrowsError(try AtomicFile(destination: dir.appendingPathComponent("./in.txt").path, protectedInputs: [input]))
        XCTAssertEqual(try String(contentsOfFile: input, encoding: .utf8), "source")
    }

    func testStaleTemporariesOfDeadRunsAreRemovedButLiveOnesKept() throws {
        let dir = TestPaths.temporaryFolder()
        // pid 2^22+1 is above Linux's default pid_max, so no such process runs.
        let stale = dir.appendingPathComponent(".verso-tmp-4194305-abc-out.xlf").path
        FileManager.default.createFile(atPath: stale, contents: Data("x".utf8))
        let live = try AtomicFile(destination: dir.appendingPathComponent("live.xlf").path)
        // Another live run: pid 1 is always alive. Our own open temporary (`live`) stays too.
        let other = dir.appendingPathComponent(".verso-tmp-1-abc-other.xlf").path
        FileManager.default.createFile(atPath: other, contents: Data("x".utf8))
        let removed = AtomicFile.removeStaleTemporaries(in: dir.path)
        XCTAssertEqual(removed, [stale])
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.temporaryPath))
        live.discard()
    }

    func testMissingInputNamesThePath() {
        XCTAssertThrowsError(try InputFile.readBytes("/no/such/file.txt")) { error in
            XCTAssertEqual((error as? FileAccessError)?.location.file, "/no/such/file.txt")
            XCTAssertEqual((error as? FileAccessError)?.message, "no such file or directory")
        }
    }
}
