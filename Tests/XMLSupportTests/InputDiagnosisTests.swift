import Foundation
import TestSupport
import XCTest
@testable import XMLSupport

/// Errors about the whole input say what is wrong with it (empty, not XML, cut off), for every
/// reader built on `XMLStreamReader`, from a file or from memory.
final class InputDiagnosisTests: XCTestCase {
    private var folder: URL!

    override func setUp() {
        folder = TestPaths.temporaryFolder("xml-diagnosis")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The error of reading `bytes` to the end, from a file and from memory (both must agree).
    private func readError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> XMLError {
        let url = folder.appendingPathComponent("in.xml")
        try Data(bytes).write(to: url)
        var errors: [XMLError] = []
        for reader in [try XMLStreamReader(path: url.path, displayPath: "in.xml"), try XMLStreamReader(bytes: bytes, displayPath: "in.xml")] {
            do {
                while try reader.next() != nil {}
                XCTFail("no error", file: file, line: line)
            } catch let error as XMLError {
                errors.append(error)
            }
        }
        XCTAssertEqual(errors.count, 2, file: file, line: line)
        XCTAssertEqual(errors.first?.message, errors.last?.message, "file and memory agree", file: file, line: line)
        XCTAssertEqual(errors.first?.location, errors.last?.location, file: file, line: line)
        return try XCTUnwrap(errors.first, file: file, line: line)
    }

    func testAFileCutOffAfterAUnitEndsBeforeItsRootIsClosed() throws {
        let real = TestPaths.sharedFile("standards/conformance/xliff21/core/valid/allExtensions.xlf")
        let text = try String(contentsOf: real, encoding: .utf8)
        guard let cut = text.range(of: "</unit>") else { throw XCTSkip("no unit in \(real.lastPathComponent)") }
        let truncated = String(text[..<cut.upperBound]) + "\n"
        let kept = text[..<cut.upperBound].utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        let error = try readError(Array(truncated.utf8))
        XCTAssertEqual(error.message, "the file ends before the root element <xliff> is closed (truncated?)")
        // libxml2's position (where the input ran out, just after the last </unit>) is kept.
        XCTAssertEqual(error.location.line, kept.count)
        XCTAssertEqual(error.location.column, kept.last!.count + 1)
    }

    func testExtraContentAfterTheRootIsStillCalledSo() throws {
        let error = try readError(Array("<a/>\n<b/>\n".utf8))
        XCTAssertEqual(error.message, "Extra content at the end of the document")
        XCTAssertEqual(error.location.line, 2)
    }

    func testAnEmptyOrBlankFileIsEmpty() throws {
        for bytes in [[], Array("  \n\t\n".utf8), [0xEF, 0xBB, 0xBF]] as [[UInt8]] {
            let error = try readError(bytes)
            XCTAssertEqual(error.message, "the file is empty", "\(bytes)")
            XCTAssertNil(error.location.line, "no position in an empty file")
            XCTAssertEqual(error.location.description, "in.xml")
        }
    }

    func testATextFileIsNotXMLAndItsFirstBytesAreShown() throws {
        let error = try readError(Array("Hello world.\nThis is a plain text file, not XLIFF at all.\n".utf8))
        XCTAssertEqual(error.message, "not XML: the file starts with \"Hello world.\\nThis is a plain t…\" (first bytes 48 65 6C 6C 6F 20 77 6F …), not with '<'")
        XCTAssertNil(error.location.line)
        let binary = try readError([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0x0A, 0x01])
        XCTAssertTrue(binary.message.hasPrefix("not XML: the file starts with \"%PDF-1.4\\n\\u{1}\" (first bytes 25 50 44 46 2D 31 2E 34 …)"), binary.message)
    }

    func testOtherErrorsKeepLibxml2sWords() throws {
        let error = try readError(Array("<a><b></a>".utf8))
        XCTAssertTrue(error.message.contains("Opening and ending tag mismatch"), error.message)
    }
}
