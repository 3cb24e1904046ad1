import Batch
import Foundation
import TestSupport
import XCTest

final class BatchPlanTests: BatchTestCase {
    private let converter = ClosureConverter { _ in [] }

    private func plan(_ inputs: [URL], _ output: URL, mode: BatchMode = .convert, include: [String] = [], exclude: [String] = []) throws -> BatchPlan {
        let request = BatchRequest(inputs: inputs.map(\.path), output: output.path, mode: mode, filter: try FileFilter(include: include, exclude: exclude))
        return BatchPlan.make(request, converter: converter)
    }

    private func write(_ rel: String, in folder: URL, _ text: String = "Bonjour.\n") throws -> URL {
        let url = folder.appendingPathComponent(rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testOneInputFileWritesTheFileNamedByO() throws {
        let file = try write("article.txt", in: work)
        let p = try plan([file], work.appendingPathComponent("result.xlf"))
        XCTAssertEqual(p.layout, .file(work.appendingPathComponent("result.xlf").path))
        XCTAssertEqual(p.jobs.map(\.output), [work.appendingPathComponent("result.xlf").path])
        XCTAssertEqual(p.jobs.first?.action, .prepare)
        XCTAssertFalse(p.skipsUpToDateOutputs, "a single named output is always written")
    }

    func testOneInputFileIntoAnExistingFolderKeepsTheOutputName() throws {
        let file = try write("article.txt", in: work)
        let folder = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let p = try plan([file], folder)
        XCTAssertEqual(p.jobs.map(\.output), [folder.appendingPathComponent("article.txt.xlf").path])
        XCTAssertEqual(p.layout, .file(folder.appendingPathComponent("article.txt.xlf").path))
        XCTAssertFalse(p.skipsUpToDateOutputs)
    }

    func testAFolderIsMirroredUnderTheOutputFolder() throws {
        let input = try documentTree(count: 24)
        let out = work.appendingPathComponent("out")
        let p = try plan([input], out)
        XCTAssertEqual(p.layout, .folder(out.path))
        XCTAssertEqual(p.jobs.count, 24)
        XCTAssertTrue(p.skipsUpToDateOutputs)
        for job in p.jobs {
            XCTAssertTrue(job.input.hasPrefix(input.path + "/"))
            let expected = job.kind == .xliff ? job.relativePath : job.relativePath + ".xlf"
            XCTAssertEqual(job.output, out.path + "/" + expected)
            XCTAssertEqual(job.action, job.kind == .xliff ? .changeVersion : .prepare)
        }
        XCTAssertEqual(p.jobs.map(\.relativePath), p.jobs.map(\.relativePath).sorted(), "stable walk order")
    }

    func testSeveralInputsEachKeepTheirNameUnderTheOutputFolder() throws {
        let fr = try write("fr/a.txt", in: work)
        _ = try write("en/sub/b.html", in: work)
        let out = work.appendingPathComponent("out")
        let p = try plan([fr, work.appendingPathComponent("en")], out)
        XCTAssertEqual(p.jobs.map(\.output), [out.path + "/a.txt.xlf", out.path + "/en/sub/b.html.xlf"])
    }

    func testHiddenAndUnsupportedFilesAreLeftAlone() throws {
        let input = work.appendingPathComponent("in")
        _ = try write("page.html", in: input)
        _ = try write(".DS_Store", in: input)
        _ = try write(".git/config.txt", in: input)
        _ = try write("logo.png", in: input)
        _ = try write("README", in: input)
        let p = try plan([input], work.appendingPathComponent("out"))
        XCTAssertEqual(p.jobs.map(\.relativePath), ["page.html"])
        XCTAssertEqual(p.ignored.map { ($0.path as NSString).lastPathComponent }.sorted(), ["README", "logo.png"])
        XCTAssertTrue(p.failures.isEmpty)
    }

    func testExtensionsAreRecognisedWhateverTheirCase() throws {
        XCTAssertEqual(BatchFileKind.detect("INDEX.HTM"), .html)
        XCTAssertEqual(BatchFileKind.detect("a.XLIFF"), .xliff)
        XCTAssertEqual(BatchFileKind.detect("notes.Txt"), .plainText)
        XCTAssertNil(BatchFileKind.detect(".txt"))
        XCTAssertNil(BatchFileKind.detect("archive.txt.gz"))
    }

    func testIncludeAndExcludeChooseTheFiles() throws {
        let input = try documentTree(count: 24)
        let p = try plan([input], work.appendingPathComponent("out"), include: ["*.html", "*.xlf"], exclude: ["doc-0000?.*"])
        XCTAssertFalse(p.jobs.isEmpty)
        XCTAssertTrue(p.jobs.allSatisfy { $0.kind != .plainText && !$0.relativePath.contains("doc-0000") })
        let all = try plan([input], work.appendingPathComponent("out"))
        XCTAssertEqual(p.jobs.count, all.jobs.filter { $0.kind != .plainText && !$0.relativePath.contains("doc-0000") }.count)
        XCTAssertTrue(p.ignored.isEmpty, "files left out by a filter are not reported as ignored")
    }

    func testMergeTakesXLIFFAndRestoresTheDocumentName() throws {
        let input = work.appendingPathComponent("in")
        _ = try write("site/index.html.xlf", in: input)
        _ = try write("site/index.html", in: input)
        let out = work.appendingPathComponent("out")
        let p = try plan([input], out, mode: .merge)
        XCTAssertEqual(p.jobs.map(\.output), [out.path + "/site/index.html"])
        XCTAssertEqual(p.jobs.map(\.action), [.merge])
        XCTAssertEqual(p.ignored.count, 1)
        let named = try plan([input.appendingPathComponent("site/index.html")], out, mode: .merge)
        XCTAssertEqual(named.failures.first?.error?.message, "--merge takes translated XLIFF files (.xlf, .xliff), not HTML")
    }

    func testARecordedOriginalNeverLeavesTheOutputFolder() {
        XCTAssertEqual(BatchNaming.safeFileName(fromRecorded: "../../etc/passwd"), "passwd")
        XCTAssertEqual(BatchNaming.safeFileName(fromRecorded: "C:\\docs\\page.html"), "page.html")
        XCTAssertNil(BatchNaming.safeFileName(fromRecorded: ".."))
        XCTAssertNil(BatchNaming.safeFileName(fromRecorded: ""))
    }

    func testMissingAndUnsupportedNamedInputsFailWithTheirPath() throws {
        let good = try write("a.txt", in: work)
        let missing = work.appendingPathComponent("nope.txt")
        let pdf = try write("b.pdf", in: work)
        let folderNamedLikeAFile = work.appendingPathComponent("c.txt")
        try FileManager.default.createDirectory(at: folderNamedLikeAFile, withIntermediateDirectories: true)
        let p = try plan([good, missing, pdf], work.appendingPathComponent("out"))
        XCTAssertEqual(p.jobs.map(\.input), [good.path])
        XCTAssertEqual(p.failures.map { $0.error?.description }, [
            "\(missing.path): error: no such file or directory",
            "\(pdf.path): error: unsupported format: Verso converts .txt, .html/.htm and .xlf/.xliff files",
        ])
    }

    func testTwoInputsWithTheSameOutputFailInsteadOfOverwriting() throws {
        let a = try write("a/x.txt", in: work)
        let b = try write("b/x.txt", in: work)
        let out = work.appendingPathComponent("out")
        let p = try plan([a, b], out)
        XCTAssertEqual(p.jobs.map(\.input), [a.path])
        XCTAssertEqual(p.failures.count, 1)
        XCTAssertEqual(p.failures.first?.input, b.path)
        XCTAssertTrue(p.failures.first?.error?.message.contains("is also the output of \(a.path)") ?? false)
    }

    func testTheSameFileNamedTwiceIsConvertedOnce() throws {
        let input = work.appendingPathComponent("in")
        let a = try write("a.txt", in: input)
        let p = try plan([input, a], work.appendingPathComponent("out"))
        XCTAssertEqual(p.jobs.count, 1)
        XCTAssertTrue(p.failures.isEmpty)
    }
}
