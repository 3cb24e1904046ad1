import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// Real files from memoQ, Trados, Passolo, Okapi, XTM, WorldServer… read, written and read again.
final class XLIFF12RoundTripTests: XCTestCase {
    func testEveryRealToolFileRoundTripsToAnEqualModelWithExtensionsKept() throws {
        let folder = TestPaths.temporaryFolder("xliff12-rt")
        defer { try? FileManager.default.removeItem(at: folder) }
        var written: [URL] = []
        var checked = 0
        var repaired: [String] = []
        for url in XLIFF12Fixtures.corpus where !XLIFF12Fixtures.malformed.contains(url.lastPathComponent) {
            let (m1, _) = try XLIFF12Fixtures.read(url)
            let (bytes, findings) = try XLIFF12Writer.bytes(of: m1, options: .init(keepExtensions: true))
            let out = folder.appendingPathComponent(url.lastPathComponent)
            try Data(bytes).write(to: out)
            written.append(out)
            let (m2, _) = try XLIFF12Fixtures.read(bytes: bytes, name: out.path)
            // The writer repairs what the schema would reject (a repeated id, a value outside
            // the 1.2 lists); everything else must come back exactly.
            let repairs = findings.filter { $0.code == "xliff12.repaired" }
            if !repairs.isEmpty { repaired.append(url.lastPathComponent) }
            if repairs.isEmpty {
                XCTAssertTrue(m1 == m2, "\(url.lastPathComponent): \(firstDifference(m1, m2))")
            } else {
                XCTAssertTrue(XLIFF12RepairNormalizer.normalize(m1) == XLIFF12RepairNormalizer.normalize(m2), "\(url.lastPathComponent) (repaired: \(repairs.map(\.message))): \(firstDifference(XLIFF12RepairNormalizer.normalize(m1), XLIFF12RepairNormalizer.normalize(m2)))")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 38)
        if XLIFF12Schema.available {
            let failures = try XLIFF12Schema.failures(written, .transitional)
            XCTAssertEqual(failures, [:], "outputs written with --keep-extensions must validate against the transitional schema")
        }
        print("XLIFF 1.2 round trip: \(checked) real-tool files read → written → read back equal (\(repaired.count) after reported repairs: \(repaired.joined(separator: ", ")))")
    }

    func testStrictOutputOfEveryRealToolFileValidatesAndReportsWhatWasLeftOut() throws {
        try XCTSkipUnless(XLIFF12Schema.available, "xmllint not installed")
        let folder = TestPaths.temporaryFolder("xliff12-strict")
        defer { try? FileManager.default.removeItem(at: folder) }
        var written: [URL] = []
        for url in XLIFF12Fixtures.corpus where !XLIFF12Fixtures.malformed.contains(url.lastPathComponent) {
            let (m1, _) = try XLIFF12Fixtures.read(url)
            let (bytes, findings) = try XLIFF12Writer.bytes(of: m1)
            let out = folder.appendingPathComponent(url.lastPathComponent)
            try Data(bytes).write(to: out)
            written.append(out)
            let hasForeign = m1.allUnits.contains { !$0.extensions.isEmpty } || m1.files.contains { !$0.info.extensions.isEmpty }
            if hasForeign {
                XCTAssertTrue(findings.contains { $0.code == "xliff12.extension-dropped" }, "\(url.lastPathComponent): dropped extensions must be reported")
            }
        }
        let failures = try XLIFF12Schema.failures(written, .strict)
        XCTAssertEqual(failures, [:], "default output must validate against xliff-core-1.2-strict.xsd")
    }

    func testEveryOutputOpensInTranslateToolkit() throws {
        try XCTSkipUnless(TranslateToolkit.available, "translate-toolkit not installed")
        let folder = TestPaths.temporaryFolder("xliff12-tt")
        defer { try? FileManager.default.removeItem(at: folder) }
        var written: [URL] = []
        for url in XLIFF12Fixtures.corpus where !XLIFF12Fixtures.malformed.contains(url.lastPathComponent) {
            let (m1, _) = try XLIFF12Fixtures.read(url)
            let out = folder.appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".xlf")
            try Data(XLIFF12Writer.bytes(of: m1).bytes).write(to: out)
            written.append(out)
        }
        let result = try TranslateToolkit.check(written)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    }

    func testMalformedRealFileFailsWithItsLineAndColumn() throws {
        let url = XLIFF12Fixtures.file("invalid_xml_entity.xlf")
        XCTAssertThrowsError(try XLIFF12Fixtures.read(url)) { error in
            guard let located = error as? LocatedError else { return XCTFail("\(error) is not located") }
            XCTAssertEqual(located.location.file, url.path)
            // Line 8 holds a raw U+0003 inside <target>, which XML 1.0 forbids.
            XCTAssertEqual(located.location.line, 8)
            XCTAssertEqual(located.location.column, 29)
            XCTAssertTrue(located.description.hasPrefix("\(url.path):8:29: error: "), located.description)
        }
    }
}

/// Applies to a model the repairs the writer reports (unique ids, 1.2 values, resolvable
/// references), so that a repaired round trip can still be compared field by field.
enum XLIFF12RepairNormalizer {
    static func normalize(_ doc: Document) -> Document {
        var out = doc
        for f in out.files.indices {
            var seen: [String: Int] = [:]
            var groupSeen: [String: Int] = [:]
            func fix(_ items: inout [FileItem]) {
                for i in items.indices {
                    switch items[i] {
                    case .unit(var u):
                        u.id = uniq(u.id, &seen)
                        if let t = u.type { u.type = fixValue(t, XLIFF12.restypes) }
                        u.xliff12Markup.targetAttributes["phase-name"] = nil
                        u.matches = u.matches.map { m in var m = m; m.xliff12TargetAttributes["phase-name"] = nil; m.xliff12Attributes["phase-name"] = nil; return m }
                        u.xliff12Attributes["phase-name"] = nil
                        items[i] = .unit(u)
                    case .group(var g):
                        if g.info.binaryUnit != nil { g.info.id = g.info.id.map { uniq($0, &seen) } }
                        else { g.info.id = g.info.id.map { uniq($0, &groupSeen) } }
                        if let t = g.info.type { g.info.type = fixValue(t, XLIFF12.restypes) }
                        fix(&g.items)
                        items[i] = .group(g)
                    }
                }
            }
            fix(&out.files[f].items)
        }
        return out
    }

    private static func uniq(_ id: String, _ seen: inout [String: Int]) -> String {
        var candidate = id
        var n = 1
        while seen[candidate] != nil { n += 1; candidate = "\(id)-\(n)" }
        seen[candidate] = 1
        return candidate
    }

    private static func fixValue(_ v: String, _ values: Set<String>) -> String {
        XLIFF12.isValid(v, in: values) ? v : "x-" + v
    }
}
