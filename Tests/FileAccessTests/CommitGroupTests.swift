#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
import TestSupport
@testable import FileAccess

final class CommitGroupTests: XCTestCase {
    private func write(_ text: String, to dest: String) throws -> AtomicFile {
        let file = try AtomicFile(destination: dest)
        try file.write(text)
        try file.commit()
        return file
    }

    /// Inside a group, committed outputs stay under their temporary names until the group is
    /// flushed; then all of them are in place, whole, and no temporary is left.
    func testOutputsAppearOnlyWhenTheGroupIsFlushed() throws {
        let dir = TestPaths.temporaryFolder()
        let group = CommitGroup()
        let names = (0..<5).map { dir.appendingPathComponent("sub/out-\($0).xlf").path }
        let files = try CommitGroup.$current.withValue(group) {
            try names.enumerated().map { try write("content \($0.offset)", to: $0.element) }
        }
        XCTAssertEqual(group.count, 5)
        for (name, file) in zip(names, files) {
            XCTAssertFalse(FileManager.default.fileExists(atPath: name), "\(name) appeared before the flush")
            XCTAssertTrue(FileManager.default.fileExists(atPath: file.temporaryPath))
        }
        let outcomes = group.flush()
        XCTAssertEqual(outcomes.map(\.entry.destination), names, "renamed in the order committed")
        XCTAssertTrue(outcomes.allSatisfy { $0.error == nil })
        XCTAssertEqual(outcomes.map(\.entry.bytes), names.indices.map { Int64("content \($0)".utf8.count) })
        for (i, name) in names.enumerated() {
            XCTAssertEqual(try String(contentsOfFile: name, encoding: .utf8), "content \(i)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sub").path).sorted(),
                       names.map { ($0 as NSString).lastPathComponent }.sorted())
        XCTAssertEqual(group.count, 0)
        XCTAssertTrue(group.flush().isEmpty)
    }

    /// Several groups flushed together (one sync): each gets back its own outputs' outcomes, in
    /// its own order, and every output is in place; an empty group gets an empty list.
    func testGroupsFlushedTogetherGetTheirOwnOutcomes() throws {
        let dir = TestPaths.temporaryFolder()
        let groups = [CommitGroup(), CommitGroup(), CommitGroup()]
        let sizes = [3, 0, 4]
        var names: [[String]] = []
        for (g, group) in groups.enumerated() {
            let list = (0..<sizes[g]).map { dir.appendingPathComponent("g\(g)/out-\($0).xlf").path }
            _ = try CommitGroup.$current.withValue(group) {
                try list.map { try write("from \(g): \($0)", to: $0) }
            }
            names.append(list)
        }
        let outcomes = CommitGroup.flush(groups)
        XCTAssertEqual(outcomes.map { $0.map(\.entry.destination) }, names)
        for (g, list) in names.enumerated() {
            for name in list {
                XCTAssertEqual(try String(contentsOfFile: name, encoding: .utf8), "from \(g): \(name)")
            }
        }
        XCTAssertTrue(outcomes.joined().allSatisfy { $0.error == nil })
        XCTAssertEqual(groups.map(\.count), [0, 0, 0])
    }

    /// A group that is never flushed (the process was killed) leaves only `.verso-tmp-*` files,
    /// never a partial file under a final name; the next run removes them.
    func testAnUnflushedGroupLeavesOnlyTemporariesThatTheNextRunRemoves() throws {
        let dir = TestPaths.temporaryFolder()
        let group = CommitGroup()
        let old = dir.appendingPathComponent("kept.xlf").path
        try AtomicFile.write(Array("previous run".utf8), to: old)
        try CommitGroup.$current.withValue(group) {
            _ = try write("new", to: old)
            _ = try write("other", to: dir.appendingPathComponent("other.xlf").path)
        }
        XCTAssertEqual(try String(contentsOfFile: old, encoding: .utf8), "previous run", "the old output stays whole until the flush")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(names.filter { $0.hasPrefix(AtomicFile.temporaryPrefix) }.count, 2)
        XCTAssertEqual(names.filter { !$0.hasPrefix(AtomicFile.temporaryPrefix) }, ["kept.xlf"])
        // This process is alive, so its temporaries are kept; a run of another (dead) process
        // is simulated by renaming one to a pid above Linux's pid_max.
        let temporary = try XCTUnwrap(names.first { $0.hasPrefix(AtomicFile.temporaryPrefix) })
        let dead = dir.appendingPathComponent(".verso-tmp-4194305-x-other.xlf").path
        XCTAssertEqual(rename(dir.appendingPathComponent(temporary).path, dead), 0)
        XCTAssertEqual(AtomicFile.removeStaleTemporaries(in: dir.path), [dead])
    }

    /// Outside a group, a commit syncs and renames at once, as before.
    func testWithoutAGroupACommitIsImmediate() throws {
        let dir = TestPaths.temporaryFolder()
        let dest = dir.appendingPathComponent("now.xlf").path
        _ = try write("at once", to: dest)
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "at once")
        XCTAssertNil(CommitGroup.current)
    }

    /// An output that cannot be moved into place (its folder vanished) is reported with its
    /// path and reason; the others of the group are still renamed.
    func testAFailedRenameIsReportedAndTheOthersAreStillInPlace() throws {
        let dir = TestPaths.temporaryFolder()
        let group = CommitGroup()
        let doomed = dir.appendingPathComponent("gone/a.xlf").path
        let fine = (0..<3).map { dir.appendingPathComponent("ok-\($0).xlf").path }
        let file = try CommitGroup.$current.withValue(group) { () -> AtomicFile in
            let f = try write("a", to: doomed)
            for name in fine { _ = try write("b", to: name) }
            return f
        }
        // The folder is replaced by a file: the rename cannot succeed.
        XCTAssertEqual(unlink(file.temporaryPath), 0)
        try FileManager.default.removeItem(atPath: dir.appendingPathComponent("gone").path)
        let outcomes = group.flush()
        let failure = try XCTUnwrap(outcomes.first { $0.entry.destination == doomed }?.error)
        XCTAssertEqual(failure.location.file, doomed)
        XCTAssertTrue(failure.message.hasPrefix("cannot"), failure.message)
        for name in fine { XCTAssertEqual(try String(contentsOfFile: name, encoding: .utf8), "b") }
    }
}
