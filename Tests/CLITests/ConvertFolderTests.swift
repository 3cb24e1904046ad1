#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import XCTest

/// `verso convert FOLDER -o OUT` on folders of real documents, as a release's overnight run uses it.
final class ConvertFolderTests: XCTestCase {
    private var work: URL!

    override func setUp() {
        super.setUp()
        work = TestPaths.temporaryFolder("convert-folder")
    }

    override func tearDown() {
        if let work { try? FileManager.default.removeItem(at: work) }
        super.tearDown()
    }

    /// Every regular file under `folder`, relative to it, sorted (hidden ones included).
    private func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let rel = walker.nextObject() as? String {
            var st = stat()
            if lstat(folder.appendingPathComponent(rel).path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { found.append(rel) }
        }
        return found.sorted()
    }

    private func isTemporary(_ rel: String) -> Bool {
        (rel as NSString).lastPathComponent.hasPrefix(".verso-tmp-")
    }

    private func xmllintSchema(_ files: [URL], schema: String) throws -> CommandResult? {
        guard let xmllint = VersoCommand.which("xmllint"), !files.isEmpty else { return nil }
        let standards = TestPaths.sharedFile("standards")
        return try VersoCommand.runProcess(xmllint, ["--nonet", "--noout", "--schema", standards.appendingPathComponent("schemas/\(schema)").path] + files.map(\.path),
                                           environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path])
    }

    /// Damages copies of real documents the ways files arrive damaged. Files that no one can read:
    /// tests may run as root, which reads through `chmod 000`, so the unreadable inputs are a FIFO
    /// (never opened: reading one could block forever) and a dangling symbolic link.
    private func addBrokenFiles(to input: URL, xliff sample: URL, text textSample: URL) throws -> [String: String] {
        let fm = FileManager.default
        let bad = input.appendingPathComponent("damaged")
        try fm.createDirectory(at: bad, withIntermediateDirectories: true)
        let xliff = try Data(contentsOf: sample)
        var broken: [String: String] = [:]
        try xliff.prefix(xliff.count * 2 / 3).write(to: bad.appendingPathComponent("truncated.xlf"))
        broken["damaged/truncated.xlf"] = "error: "
        var latin1 = xliff
        let at = try XCTUnwrap(latin1.range(of: Data("<source".utf8))).upperBound + 20
        latin1.replaceSubrange(at..<at + 1, with: [0xE9])
        try latin1.write(to: bad.appendingPathComponent("latin1.xlf"))
        broken["damaged/latin1.xlf"] = "error: "
        try Data().write(to: bad.appendingPathComponent("empty.xlf"))
        broken["damaged/empty.xlf"] = "error: "
        try Data("<html><body><p>Pas du XLIFF</p></body></html>\n".utf8).write(to: bad.appendingPathComponent("page.xlf"))
        broken["damaged/page.xlf"] = "not an XLIFF document"
        try fm.copyItem(at: TestPaths.fixture("xml/xxe.xml"), to: bad.appendingPathComponent("xxe.xlf"))
        broken["damaged/xxe.xlf"] = "error: "
        var text = try Data(contentsOf: textSample)
        text.insert(contentsOf: [0xC3, 0x28], at: 100)
        try text.write(to: bad.appendingPathComponent("windows.txt"))
        broken["damaged/windows.txt"] = "error: invalid UTF-8 byte sequence at byte offset 100"
        XCTAssertEqual(mkfifo(bad.appendingPathComponent("pipe.txt").path, 0o644), 0)
        broken["damaged/pipe.txt"] = "error: not a regular file (it is a FIFO"
        try fm.createSymbolicLink(atPath: bad.appendingPathComponent("moved.html").path, withDestinationPath: "gone/away.html")
        broken["damaged/moved.html"] = "error: broken symbolic link"
        return broken
    }

    private func outputName(_ rel: String) -> String { rel.hasSuffix(".xlf") ? rel : rel + ".xlf" }

    func testConvertsAFolderOfDocumentsAndReportsEveryBrokenFileWithoutStopping() throws {
        let input = work.appendingPathComponent("in")
        try GeneratedInputs.batchTree(count: 300, into: input)
        let good = files(under: input)
        XCTAssertEqual(good.count, 300)
        let broken = try addBrokenFiles(to: input, xliff: input.appendingPathComponent(try XCTUnwrap(good.first { $0.hasSuffix(".xlf") })),
                                        text: input.appendingPathComponent(try XCTUnwrap(good.first { $0.hasSuffix(".txt") })))
        let out = work.appendingPathComponent("out")
        let report = work.appendingPathComponent("report.json")

        let result = try VersoCommand.run(["convert", input.path, "--source", "fr", "--target", "en", "--to", "xliff2.1", "-o", out.path, "--report", report.path, "--jobs", "3"])

        XCTAssertEqual(result.status, 1, "a failed file makes the run fail")
        for rel in good {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(outputName(rel)).path), "missing output for \(rel)")
        }
        let stderrLines = result.stderr.split(separator: "\n").map(String.init)
        for (rel, reason) in broken {
            let path = input.appendingPathComponent(rel).path
            let line = stderrLines.first { $0.hasPrefix(path + ":") && $0.contains("error:") }
            XCTAssertNotNil(line, "no diagnostic for \(rel) in:\n\(result.stderr)")
            XCTAssertTrue(line?.contains(reason) ?? false, "\(rel): \(line ?? "")")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(outputName(rel)).path), "no output for the broken \(rel)")
        }
        XCTAssertTrue(stderrLines.contains { $0.hasPrefix(input.appendingPathComponent("damaged/truncated.xlf").path + ":") && $0.range(of: #"\.xlf:\d+:\d+: error: "#, options: .regularExpression) != nil },
                      "a truncated file is reported with line and column")
        XCTAssertTrue(stderrLines.last?.hasPrefix("\(good.count) converted, ") ?? false, stderrLines.last ?? "")
        XCTAssertFalse(files(under: out).contains(where: isTemporary), "no temporary file survives a run")
        XCTAssertEqual(files(under: out).count, good.count, "nothing but the outputs is written")

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let counts = try XCTUnwrap(json["counts"] as? [String: Int])
        XCTAssertEqual(counts["converted"], good.count)
        XCTAssertEqual(counts["failed"], broken.count)
        XCTAssertEqual(json["succeeded"] as? Bool, false)
        let entries = try XCTUnwrap(json["files"] as? [[String: Any]])
        XCTAssertEqual(entries.filter { $0["status"] as? String == "failed" }.count, broken.count)
        let converted = entries.filter { $0["status"] as? String == "converted" }
        XCTAssertEqual(Set(converted.compactMap { $0["action"] as? String }), ["prepare", "change-version"])
        XCTAssertTrue(converted.allSatisfy { $0["to"] as? String == "2.1" && ($0["units"] as? Int ?? 0) > 0 })

        // Every output validates against the OASIS XLIFF 2.1 schemas.
        if let lint = try xmllintSchema(good.map { out.appendingPathComponent(outputName($0)) }, schema: "xliff21-all-modules.xsd") {
            XCTAssertEqual(lint.status, 0, String(lint.stderr.suffix(2000)))
        }
    }

    func testPreparedFolderMergesBackToTheOriginalsByteForByte() throws {
        let input = work.appendingPathComponent("in")
        try GeneratedInputs.batchTree(count: 60, into: input)
        let documents = files(under: input).filter { !$0.hasSuffix(".xlf") }
        let prepared = work.appendingPathComponent("xliff")
        let first = try VersoCommand.run(["convert", input.path, "--exclude", "*.xlf", "--source", "fr", "--target", "en", "--copy-source", "-o", prepared.path, "--quiet"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(files(under: prepared), documents.map { $0 + ".xlf" })

        let merged = work.appendingPathComponent("merged")
        let back = try VersoCommand.run(["convert", prepared.path, "--merge", "-o", merged.path, "--quiet"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(files(under: merged), documents, "merge restores each document's name and folder")
        for rel in documents {
            XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent(rel)), try Data(contentsOf: input.appendingPathComponent(rel)), rel)
        }

        // One XLIFF merged to a named file.
        let one = work.appendingPathComponent("one.html")
        let html = try XCTUnwrap(documents.first { $0.hasSuffix(".html") })
        let single = try VersoCommand.run(["convert", prepared.appendingPathComponent(html + ".xlf").path, "--merge", "-o", one.path])
        XCTAssertEqual(single.status, 0, single.stderr)
        XCTAssertEqual(try Data(contentsOf: one), try Data(contentsOf: input.appendingPathComponent(html)))
    }

    func testDocumentsWithoutLanguagesAreAUsageError() throws {
        let input = work.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPaths.sample("seed-article.fr.txt"), to: input.appendingPathComponent("article.txt"))
        let noSource = try VersoCommand.run(["convert", input.path, "--target", "en", "-o", work.appendingPathComponent("out").path])
        XCTAssertEqual(noSource.status, 64)
        XCTAssertTrue(noSource.stderr.contains("--source is needed to prepare text files such as"), noSource.stderr)
        let noTarget = try VersoCommand.run(["convert", input.path, "--source", "fr", "-o", work.appendingPathComponent("out").path])
        XCTAssertEqual(noTarget.status, 64)
        XCTAssertTrue(noTarget.stderr.contains("--target is needed"), noTarget.stderr)
        // CLI.md's alias: --to with a language is the target language.
        let alias = try VersoCommand.run(["convert", input.path, "--from", "fr", "--to", "en", "-o", work.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(alias.status, 0, alias.stderr)
        let xliff = try String(contentsOf: work.appendingPathComponent("out/article.txt.xlf"), encoding: .utf8)
        XCTAssertTrue(xliff.contains("target-language=\"en\""), String(xliff.prefix(600)))
        XCTAssertTrue(xliff.contains("mtype=\"term\""), "terms are marked as prepare marks them")
    }

    func testAKilledRunLeavesNoPartialOutputAndARerunCompletesAndCleansUp() throws {
        let input = work.appendingPathComponent("in")
        try GeneratedInputs.batchTree(count: 200, into: input)
        // A large file, so that the kill lands while it is being written.
        try GeneratedInputs.xliff(version: "1.2", size: "4M", to: input.appendingPathComponent("big/large.xlf"))
        let args = [input.path, "--source", "fr", "--target", "en", "--to", "xliff2.1", "--jobs", "2", "--quiet"]
        let reference = work.appendingPathComponent("reference")
        XCTAssertEqual(try VersoCommand.run(["convert"] + args + ["-o", reference.path]).status, 0)

        let out = work.appendingPathComponent("out")
        let process = Process()
        process.executableURL = VersoCommand.executable
        process.arguments = ["convert"] + args + ["-o", out.path]
        process.environment = VersoCommand.environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the large output is being written, then kill -9.
        let bigFolder = out.appendingPathComponent("big")
        let deadline = Date().addingTimeInterval(120)
        var sawTemporary = false
        while Date() < deadline, process.isRunning {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: bigFolder.path), names.contains(where: { $0.hasPrefix(".verso-tmp-") }) {
                sawTemporary = true
                break
            }
            usleep(2_000)
        }
        XCTAssertTrue(sawTemporary, "the large file's temporary output never appeared")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        // Only whole outputs under final names; anything else is a .verso-tmp-* file.
        let afterKill = files(under: out)
        XCTAssertTrue(afterKill.contains(where: isTemporary), "the interrupted file left its temporary: \(afterKill.filter(isTemporary))")
        XCTAssertFalse(afterKill.contains("big/large.xlf"), "the large file was interrupted: no output under its name")
        for rel in afterKill where !isTemporary(rel) {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(rel)), try Data(contentsOf: reference.appendingPathComponent(rel)), "\(rel) is not complete")
        }
        let finishedBeforeKill = afterKill.filter { !isTemporary($0) }.count

        let report = work.appendingPathComponent("rerun.json")
        let rerun = try VersoCommand.run(["convert"] + args + ["-o", out.path, "--report", report.path])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(files(under: out), files(under: reference), "the re-run completes the tree and removes the temporaries")
        for rel in files(under: reference) {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(rel)), try Data(contentsOf: reference.appendingPathComponent(rel)), rel)
        }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let counts = try XCTUnwrap(json["counts"] as? [String: Int])
        XCTAssertEqual(counts["upToDate"], finishedBeforeKill, "what was finished is not redone")
        XCTAssertEqual(counts["converted"], files(under: reference).count - finishedBeforeKill)
        XCTAssertFalse((json["removedTemporaries"] as? [String] ?? []).isEmpty)
    }

    func testHTMLWithoutSourceTakesItsLangAttribute() throws {
        let input = work.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPaths.sample("actualite.fr.html"), to: input.appendingPathComponent("actualite.html"))
        let result = try VersoCommand.run(["convert", input.path, "--target", "en", "-o", work.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let xliff = try String(contentsOf: work.appendingPathComponent("out/actualite.html.xlf"), encoding: .utf8)
        XCTAssertTrue(xliff.contains("source-language=\"fr\""), String(xliff.prefix(800)))
        XCTAssertFalse(xliff.contains("\"und\""))
    }

    func testOnATerminalProgressIsABarRedrawnInPlace() throws {
        // `script` (util-linux, in every Debian) runs verso on a pseudo-terminal.
        guard let script = VersoCommand.which("script") else { throw XCTSkip("script(1) is not installed") }
        let input = TestPaths.sharedFile("standards/conformance/okapi/xliff12")
        let out = work.appendingPathComponent("out")
        let command = [VersoCommand.executable.path, "convert", input.path, "--include", "seg*.xlf", "--to", "xliff2.1", "-o", out.path]
            .map { "'\($0)'" }.joined(separator: " ")
        let result = try VersoCommand.runProcess(script, ["-qfec", command, "/dev/null"])
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("\r\u{1B}[K"), "the bar is redrawn in place: \(result.stdout.debugDescription)")
        XCTAssertTrue(result.stdout.range(of: #"\[#+\]  2/2 files  100%  \d+ files/s"#, options: .regularExpression) != nil, result.stdout.debugDescription)
        XCTAssertFalse(result.stdout.contains("] converted "), "no per-file lines on a terminal")
        XCTAssertTrue(result.stdout.contains("2 converted, 0 failed"), result.stdout.debugDescription)
    }

    func testReRunSkipsUpToDateOutputsAndForceRedoesThem() throws {
        let input = work.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        let okapi = TestPaths.sharedFile("standards/conformance/okapi/xliff12")
        for (name, dest) in [("segsource.xlf", "segsource.xlf"), ("alttrans.xlf", "a/alttrans.xlf"), ("segmented.xlf", "a/b/segmented.xlf")] {
            try FileManager.default.copyItem(at: okapi.appendingPathComponent(name), to: input.appendingPathComponent(dest))
            // An hour old: the file system's clock moves in steps of tens of milliseconds here,
            // and an output is up to date only when strictly newer than its input.
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: input.appendingPathComponent(dest).path)
        }
        let out = work.appendingPathComponent("out")
        let first = try VersoCommand.run(["convert", input.path, "--to", "xliff2.0", "-o", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(files(under: out), ["a/alttrans.xlf", "a/b/segmented.xlf", "segsource.xlf"])
        XCTAssertTrue(first.stderr.contains("] converted \(input.path)/a/b/segmented.xlf -> \(out.path)/a/b/segmented.xlf"), first.stderr)

        let again = try VersoCommand.run(["convert", input.path, "--to", "xliff2.0", "-o", out.path, "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["counts"] as? [String: Int])?["upToDate"], 3)
        XCTAssertTrue(again.stderr.contains("0 converted, 3 up to date (use --force to redo), 0 failed"), again.stderr)

        let forced = try VersoCommand.run(["convert", input.path, "--to", "xliff2.0", "-o", out.path, "--force", "--quiet"])
        XCTAssertEqual(forced.status, 0)
        XCTAssertEqual(forced.stderr.split(separator: "\n").filter { !$0.contains("warning:") }, [], "--quiet prints only diagnostics")
    }

    func testOneFileIntoAnExistingFolderKeepsItsName() throws {
        let folder = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = TestPaths.sharedFile("standards/conformance/okapi/xliff12/segsource.xlf")
        let result = try VersoCommand.run(["convert", input.path, "--to", "xliff2.1", "-o", folder.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("segsource.xlf").path))
        XCTAssertEqual(result.stdout, "\(folder.path)/segsource.xlf: XLIFF 1.2 → XLIFF 2.1, 1 unit\n")
    }

    func testXLIFFInputsWithoutAVersionAreAUsageError() throws {
        let input = TestPaths.sharedFile("standards/conformance/okapi/xliff12")
        let result = try VersoCommand.run(["convert", input.path, "-o", work.appendingPathComponent("out").path])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--to is needed to convert XLIFF files such as"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Usage: verso convert"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path), "nothing is written on a usage error")
    }

    func testBadPatternsAndJobCountsAreUsageErrors() throws {
        let input = TestPaths.sharedFile("standards/conformance/okapi/xliff12")
        let pattern = try VersoCommand.run(["convert", input.path, "--to", "xliff2.1", "-o", work.path, "--exclude", "[abc"])
        XCTAssertEqual(pattern.status, 64)
        XCTAssertTrue(pattern.stderr.contains("invalid pattern '[abc': '[' without a closing ']'"), pattern.stderr)
        let jobs = try VersoCommand.run(["convert", input.path, "--to", "xliff2.1", "-o", work.path, "--jobs", "0"])
        XCTAssertEqual(jobs.status, 64)
        let merge = try VersoCommand.run(["convert", input.path, "--merge", "--to", "xliff2.1", "-o", work.path])
        XCTAssertEqual(merge.status, 64)
    }
}
