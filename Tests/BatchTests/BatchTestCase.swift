import Batch
import Foundation
import TestSupport
import XCTest

/// Shared set-up for batch tests: a tree of real documents generated once from the French
/// corpus, copied into a fresh folder for each test.
class BatchTestCase: XCTestCase {
    nonisolated(unsafe) private static var generated: [Int: URL] = [:]
    var work: URL!

    override func setUp() {
        super.setUp()
        work = TestPaths.temporaryFolder("verso-batch")
    }

    override func tearDown() {
        if let work {
            // Undo permission changes so the folder can be removed.
            _ = try? VersoCommand.runProcess(URL(fileURLWithPath: "/bin/chmod"), ["-R", "u+rwx", work.path])
            try? FileManager.default.removeItem(at: work)
        }
        super.tearDown()
    }

    /// A fresh copy of a generated tree of `count` documents, at `work/<name>`.
    func documentTree(count: Int, name: String = "in") throws -> URL {
        let source: URL
        if let done = Self.generated[count] {
            source = done
        } else {
            source = TestPaths.temporaryFolder("verso-batch-generated-\(count)").appendingPathComponent("tree")
            try GeneratedInputs.batchTree(count: count, into: source)
            Self.generated[count] = source
        }
        let copy = work.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: copy)
        // Inputs an hour old: the file system's clock is coarse here (its timestamps move in
        // steps of tens of milliseconds), so an output written right after the copy could get
        // the inputs' own time, and "newer than its input" (up to date) would depend on timing.
        for file in files(under: copy) {
            try setModificationTime(copy.appendingPathComponent(file), secondsFromNow: -3600)
        }
        return copy
    }

    /// Every regular file under `folder`, as paths relative to it, sorted.
    func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue {
                found.append(rel)
            }
        }
        return found.sorted()
    }

    /// Sets a file's modification time `seconds` from now.
    func setModificationTime(_ url: URL, secondsFromNow seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(seconds)], ofItemAtPath: url.path)
    }

    func run(_ request: BatchRequest, _ converter: some BatchFileConverter = CheckingConverter(), observer: (any BatchObserver)? = nil) -> BatchSummary {
        BatchEngine(request: request, converter: converter, observer: observer).run()
    }
}
