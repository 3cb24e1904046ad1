import XCTest
import TestSupport
import TranslationModel
@testable import XLIFF

final class XLIFF2RoundTripTests: XCTestCase {
    /// Reads `url`, writes it back, reads the output: both models must be equal.
    func roundTrip(_ url: URL) throws -> (Document, Document, [UInt8]) {
        let first = try XLIFF2Reader.document(atPath: url.path)
        let bytes = try XLIFF2Writer.bytes(for: first, displayPath: url.lastPathComponent)
        var reader = try XLIFF2Reader(bytes: bytes, displayPath: "rewritten " + url.lastPathComponent)
        let second = try Document(reading: &reader)
        return (first, second, bytes)
    }

    func testEveryValidConformanceFileRoundTripsToAnEqualModel() throws {
        for suite in ["xliff21", "xliff22"] {
            let files = ConformanceSuite.validFiles(suite)
            XCTAssertGreaterThan(files.count, 50, "\(suite) suite not found")
            var equal = 0
            for url in files {
                do {
                    let (first, second, bytes) = try roundTrip(url)
                    if first == second {
                        equal += 1
                    } else {
                        XCTFail("\(suite)/\(url.lastPathComponent): model changed by a rewrite\n\(ModelDiff.describe(first, second))\n\(String(decoding: bytes, as: UTF8.self))")
                    }
                } catch {
                    XCTFail("\(suite)/\(url.lastPathComponent): \(error)")
                }
            }
            print("XLIFF 2 round trip \(suite): \(equal)/\(files.count) files give an equal model")
        }
    }
}

extension XLIFF2RoundTripTests {
    func testRealToolXLIFF2FilesRoundTripToAnEqualModel() throws {
        let folder = TestPaths.sharedFile("standards/conformance/okapi/xliff2")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlf") || $0.hasSuffix(".xliff") }.sorted()
        XCTAssertGreaterThan(files.count, 10)
        for name in files {
            let (first, second, _) = try roundTrip(folder.appendingPathComponent(name))
            XCTAssertEqual(first, second, "\(name): \(ModelDiff.describe(first, second))")
        }
        print("XLIFF 2 round trip okapi/xliff2: \(files.count) files")
    }
}

/// Names the first difference between two documents, for readable failures.
enum ModelDiff {
    static func describe(_ a: Document, _ b: Document) -> String {
        if a.info != b.info { return "info:\n  \(a.info)\n  \(b.info)" }
        if a.files.count != b.files.count { return "file count \(a.files.count) vs \(b.files.count)" }
        for (fa, fb) in zip(a.files, b.files) where fa != fb {
            if fa.info != fb.info { return "file info:\n  \(fa.info)\n  \(fb.info)" }
            let ea = Document(info: a.info, files: [fa]).events, eb = Document(info: b.info, files: [fb]).events
            for (x, y) in zip(ea, eb) where x != y { return "event:\n  \(x)\n  \(y)" }
            return "event count \(ea.count) vs \(eb.count)"
        }
        return "no difference found"
    }
}
