import XCTest
import TestSupport
@testable import XMLSupport

/// Hostile and broken inputs each stop with one clear error that names the file and position.
final class SecureParsingTests: XCTestCase {
    private func parseError(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> XMLError? {
        let path = TestPaths.fixture("xml/\(name)").path
        do {
            _ = try XMLDocumentParser.parse(path: path, displayPath: name)
            XCTFail("\(name) parsed without error", file: file, line: line)
            return nil
        } catch let error as XMLError {
            XCTAssertEqual(error.location.file, name, file: file, line: line)
            XCTAssertFalse(error.message.contains("\n"), "one-line message", file: file, line: line)
            return error
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    func testBillionLaughsIsRefusedWithoutExpansion() {
        let error = parseError("billion-laughs.xml")
        XCTAssertEqual(error?.location.line, 16)
        XCTAssertEqual(error?.location.column, 40, "just after the reference")
        XCTAssertTrue(error?.message.contains("billion laughs") ?? false, error?.message ?? "")
    }

    func testExternalEntityIsNeverLoaded() {
        let error = parseError("xxe.xml")
        XCTAssertEqual(error?.location.line, 8)
        XCTAssertNotNil(error?.location.column)
        XCTAssertTrue(error?.message.contains("secret") ?? false)
        XCTAssertFalse(error?.message.contains("root:") ?? true, "no content of /etc/passwd")
    }

    func testExternalDTDIsNotFetchedAndDocumentStillParses() throws {
        let path = TestPaths.fixture("xml/external-dtd.xml").path
        let root = try XMLDocumentParser.parse(path: path)
        XCTAssertEqual(root.name.local, "martif")
    }

    func testInvalidUTF8NamesLineAndColumn() {
        let error = parseError("invalid-utf8.xml")
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertNotNil(error?.location.column)
        XCTAssertTrue(error?.message.lowercased().contains("utf-8") ?? false, error?.message ?? "")
    }

    func testTruncatedFileIsAnError() {
        let error = parseError("truncated.xml")
        XCTAssertEqual(error?.location.line, 5)
    }

    func testEmptyFileIsAnError() {
        let error = parseError("empty.xml")
        XCTAssertNotNil(error)
    }

    func testMismatchedTagNamesPosition() {
        let error = parseError("mismatched-tag.xml")
        XCTAssertEqual(error?.location.line, 3)
        XCTAssertTrue(error?.message.contains("b") ?? false)
    }

    func testMissingFileNamesThePath() {
        XCTAssertThrowsError(try XMLStreamReader(path: "/nonexistent/x.xlf", displayPath: "x.xlf")) { error in
            let e = error as? XMLError
            XCTAssertEqual(e?.location.file, "x.xlf")
            XCTAssertTrue(e?.message.contains("no such file") ?? false, e?.message ?? "")
        }
    }
}
