import XCTest
import TestSupport

final class VersionTests: XCTestCase {
    func testHelpListsTheToolAndExitsZero() throws {
        let result = try VersoCommand.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("verso"), result.stdout)
    }

    func testUnknownSubcommandIsAUsageError() throws {
        let result = try VersoCommand.run(["no-such-command"])
        XCTAssertEqual(result.status, 64)
    }
}
