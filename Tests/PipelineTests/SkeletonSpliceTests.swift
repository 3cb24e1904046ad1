import Foundation
import XCTest
import Formats
import TestSupport
@testable import Pipeline

final class SkeletonSpliceTests: XCTestCase {
    func testSkeletonReplacesThePlaceholderWhateverTheWriteSizes() throws {
        let folder = TestPaths.temporaryFolder("splice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try SkeletonSpool(folder: folder.path, name: "doc")
        try spool.append(.text("<p a=\"1\">&"))
        try spool.append(.text("</p>"))
        try spool.append(.unit(UnitLayout(unitID: "u1", sourceUTF16Length: 3)))
        let token = SkeletonSplicer.makeToken()
        let document = Array("<xliff><internal-file>\(token)</internal-file><body/></xliff>".utf8)
        for size in [1, 2, 7, 64, document.count] {
            var out: [UInt8] = []
            let splicer = SkeletonSplicer(token: token, header: "{\"h\":1}", spool: spool) { out.append(contentsOf: $0) }
            var i = 0
            while i < document.count {
                let piece = Array(document[i..<min(document.count, i + size)])
                try piece.withUnsafeBytes { try splicer.write($0) }
                i += size
            }
            try splicer.finish()
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "<xliff><internal-file>{\"h\":1}\n{\"t\":\"&lt;p a=\\\"1\\\"&gt;&amp;&lt;/p&gt;\"}\n{\"u\":\"u1\",\"len\":3}\n</internal-file><body/></xliff>", "write size \(size)")
        }
    }

    func testSpoolLongerThanItsBufferComesBackWhole() throws {
        let folder = TestPaths.temporaryFolder("splice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try SkeletonSpool(folder: folder.path, name: "doc")
        var expected = "{}\n"
        for i in 0..<20_000 {
            try spool.append(.text("<p>\(i)"))
            try spool.append(.unit(UnitLayout(unitID: "u\(i)", sourceUTF16Length: i)))
            expected += "{\"t\":\"&lt;p&gt;\(i)\"}\n{\"u\":\"u\(i)\",\"len\":\(i)}\n"
        }
        let token = SkeletonSplicer.makeToken()
        var out: [UInt8] = []
        let splicer = SkeletonSplicer(token: token, header: "{}", spool: spool) { out.append(contentsOf: $0) }
        try Array("[\(token)]".utf8).withUnsafeBytes { try splicer.write($0) }
        try splicer.finish()
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "[" + expected + "]")
    }

    func testConsecutiveUnitsBecomeOneRun() throws {
        let collector = SkeletonCollector()
        let compactor = SkeletonCompactor(collector)
        try compactor.append(.text("# "))
        for i in 1...5 {
            try compactor.append(.unit(UnitLayout(unitID: "u\(i)", sourceUTF16Length: 3)))
            try compactor.append(.text(i == 5 ? "\n" : "\n\n"))
        }
        try compactor.append(.unit(UnitLayout(unitID: "u6", sourceUTF16Length: 3, substitutions: [RawSubstitution(utf16Offset: 1, utf16Length: 1, codesBefore: 0, raw: "\r\n")])))
        try compactor.finish()
        XCTAssertEqual(collector.entries, [
            .text("# "),
            .unitRun(UnitRun(prefix: "u", first: 1, count: 5, separator: "\n\n")),
            .text("\n"),
            .unit(UnitLayout(unitID: "u6", sourceUTF16Length: 3, substitutions: [RawSubstitution(utf16Offset: 1, utf16Length: 1, codesBefore: 0, raw: "\r\n")])),
        ])
    }

    func testMissingPlaceholderIsAnError() throws {
        let folder = TestPaths.temporaryFolder("splice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try SkeletonSpool(folder: folder.path, name: "doc")
        let splicer = SkeletonSplicer(token: SkeletonSplicer.makeToken(), header: "{}", spool: spool) { _ in }
        try Array("<xliff/>".utf8).withUnsafeBytes { try splicer.write($0) }
        XCTAssertThrowsError(try splicer.finish())
    }

    func testSpoolFileIsATemporaryRemovedWhenDone() throws {
        let folder = TestPaths.temporaryFolder("splice")
        defer { try? FileManager.default.removeItem(at: folder) }
        var path = ""
        do {
            let spool = try SkeletonSpool(folder: folder.path, name: "doc.txt")
            path = spool.path
            XCTAssertTrue(URL(fileURLWithPath: path).lastPathComponent.hasPrefix(".verso-tmp-"))
            // A skeleton past the in-memory limit goes to the temporary file.
            let line = String(repeating: "é", count: 1000)
            for i in 0..<200 { try spool.append(.text(line + "\(i)")); try spool.append(.unit(UnitLayout(unitID: "u\(i)"))) }
            try spool.flush()
            XCTAssertTrue(FileManager.default.fileExists(atPath: path))
            var bytes = 0
            try spool.readChunks { bytes += $0.count }
            XCTAssertGreaterThan(bytes, 200 * 2000)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testASmallSkeletonStaysInMemory() throws {
        let folder = TestPaths.temporaryFolder("splice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try SkeletonSpool(folder: folder.path, name: "doc.txt")
        try spool.append(.text("<p>"))
        try spool.append(.unit(UnitLayout(unitID: "u1")))
        try spool.append(.text("</p>\n"))
        try spool.flush()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no temporary file for a small document")
        var text = ""
        try spool.readChunks { text += String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(text.split(separator: "\n").count, 3)
    }
}
