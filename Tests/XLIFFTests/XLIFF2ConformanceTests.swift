import XCTest
import TestSupport
import Diagnostics
@testable import XLIFF

/// Runs the whole OASIS XLIFF 2.1 and 2.2 suites through `XLIFF2Validator` (no schemas).
final class XLIFF2ConformanceTests: XCTestCase {
    private func errors(_ url: URL) -> [Finding] {
        XLIFF2Validator().validate(path: url.path).filter { $0.severity == .error }
    }

    private func run(_ suite: String) {
        let valid = ConformanceSuite.validFiles(suite)
        let invalid = ConformanceSuite.invalidFiles(suite)
        XCTAssertGreaterThan(valid.count, 50)
        XCTAssertGreaterThan(invalid.count, 150)
        var rejectedValid: [String] = []
        for url in valid {
            let e = errors(url)
            if !e.isEmpty { rejectedValid.append("\(url.lastPathComponent): \(e.map(\.description).joined(separator: " | "))") }
        }
        var acceptedInvalid: [String] = []
        for url in invalid where errors(url).isEmpty { acceptedInvalid.append(url.lastPathComponent) }
        let rejected = invalid.count - acceptedInvalid.count
        print("XLIFF 2 conformance \(suite): valid accepted \(valid.count - rejectedValid.count)/\(valid.count), invalid rejected \(rejected)/\(invalid.count)")
        for line in rejectedValid { print("  valid file rejected: \(line)") }
        for name in acceptedInvalid { print("  invalid file accepted: \(name)") }
        XCTAssertTrue(rejectedValid.isEmpty, "\(suite): valid files rejected:\n" + rejectedValid.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(Double(rejected) / Double(invalid.count), 0.95, "\(suite): only \(rejected)/\(invalid.count) invalid files rejected")
    }

    func testXLIFF21SuiteIsJudgedCorrectly() { run("xliff21") }

    func testXLIFF22SuiteIsJudgedCorrectly() { run("xliff22") }
}
