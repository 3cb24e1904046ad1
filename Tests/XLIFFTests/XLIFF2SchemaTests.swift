import XCTest
import TestSupport
import TranslationModel
@testable import XLIFF

final class XLIFF2SchemaTests: XCTestCase {
    /// Runs xmllint offline against the driver schema of `suite` on `files`; returns its stderr on failure.
    static func xmllint(_ files: [URL], suite: String) throws -> CommandResult {
        guard let xmllint = VersoCommand.which("xmllint") else { throw XCTSkip("xmllint is not installed (.ci/setup installs libxml2-utils)") }
        return try VersoCommand.runProcess(
            xmllint, ["--nonet", "--noout", "--schema", ConformanceSuite.schema(suite).path] + files.map(\.path),
            environment: ["XML_CATALOG_FILES": ConformanceSuite.catalog.path]
        )
    }

    func testRewrittenConformanceFilesValidateAgainstTheOASISSchemas() throws {
        for suite in ["xliff21", "xliff22"] {
            let folder = TestPaths.temporaryFolder("xliff2-schema")
            defer { try? FileManager.default.removeItem(at: folder) }
            var outputs: [URL] = []
            for url in ConformanceSuite.validFiles(suite) {
                let document = try XLIFF2Reader.document(atPath: url.path)
                let out = folder.appendingPathComponent(url.lastPathComponent)
                try XLIFF2Writer.write(document, to: out.path)
                outputs.append(out)
            }
            let result = try Self.xmllint(outputs, suite: suite)
            let lines = result.stderr.split(separator: "\n")
            let rejected = lines.filter { $0.hasSuffix(" fails to validate") }
            XCTAssertEqual(result.status, 0, "\(suite): xmllint rejects rewritten files:\n\(result.stderr)")
            XCTAssertEqual(lines.filter { $0.hasSuffix(" validates") }.count, outputs.count, result.stderr)
            print("XLIFF 2 schema \(suite): \(outputs.count - rejected.count)/\(outputs.count) rewritten files validate")
        }
    }

    func testRewrittenFilesOpenInTranslateToolkit() throws {
        guard let python = VersoCommand.which("python3") else { throw XCTSkip("python3 is not installed") }
        let folder = TestPaths.temporaryFolder("xliff2-tt")
        defer { try? FileManager.default.removeItem(at: folder) }
        var outputs: [URL] = []
        for url in ConformanceSuite.files("xliff21", "core/valid") + ConformanceSuite.files("xliff21", "modules/valid") {
            let out = folder.appendingPathComponent(url.lastPathComponent)
            try XLIFF2Writer.write(try XLIFF2Reader.document(atPath: url.path), to: out.path)
            outputs.append(out)
        }
        let script = TestPaths.sharedFile("standards/tools/tt_check.py").path
        let result = try VersoCommand.runProcess(python, [script, "--roundtrip"] + outputs.map(\.path))
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("\(outputs.count) file(s), 0 failed"), result.stdout)
    }
}
