import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// `XLIFF12Validator` (what `verso validate` checks in XLIFF 1.2 without `--schemas`): each rule on
/// a fixture that breaks it, judged like xmllint with the transitional schema, and no false alarm on
/// the real-tool corpus or on Verso's own output.
final class XLIFF12ValidatorTests: XCTestCase {
    private func fixture(_ name: String) -> URL { TestPaths.fixture("xliff12/\(name)") }

    private func errors(_ findings: [Finding]) -> [Finding] { findings.filter { $0.severity == .error } }

    /// `line:column: message` of each error, for assertions.
    private func described(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.message)" }
    }

    func testDuplicateIdsBogusStateAndMalformedLanguageAreErrorsWithLineAndColumn() {
        let findings = XLIFFFileValidator().validate(path: fixture("review-case.xlf").path)
        XCTAssertFalse(findings.isValid)
        XCTAssertEqual(described(errors(findings.findings)), [
            "3:28: <file> source-language 'xx-!!' is not a well-formed BCP 47 language tag: '!!' is not a subtag (1 to 8 ASCII letters or digits)",
            "7:17: <target> state 'bogus' is not one of the XLIFF 1.2 values and does not start with 'x-'",
            "9:19: <trans-unit> id '1' is already used on line 5 in this <file> (trans-unit and bin-unit ids must be unique within a file)",
        ])
        XCTAssertEqual(errors(findings.findings).map(\.code), ["xliff12.invalid-language", "xliff12.invalid-value", "xliff12.duplicate-id"])
    }

    /// A big file is read by the rules pass and the reader pass at once (two threads): the
    /// findings are the same as for the small file they are made of, in document order.
    func testBigFileGivesTheFindingsOfBothPassesInOrder() throws {
        let folder = TestPaths.temporaryFolder("big12")
        defer { try? FileManager.default.removeItem(at: folder) }
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
        <file original="big.txt" source-language="fr" target-language="en" datatype="plaintext"><body>

        """
        let filler = String(repeating: "La Biélorussie et l’OTAN. ", count: 8)
        for i in 1...14_000 {
            xml += "<trans-unit id=\"\(i)\"><source>\(filler)</source><target state=\"\(i == 12_000 ? "bogus" : "translated")\">x</target></trans-unit>\n"
        }
        xml += "<trans-unit id=\"5\"><source>again</source></trans-unit>\n</body></file></xliff>\n"
        let path = folder.appendingPathComponent("big.xlf")
        try Data(xml.utf8).write(to: path)
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int ?? 0, 4 << 20)
        let report = XLIFFFileValidator().validate(path: path.path)
        XCTAssertEqual(errors(report.findings).map(\.code), ["xliff12.invalid-value", "xliff12.duplicate-id"], "\(report.findings)")
        XCTAssertEqual(errors(report.findings).map { $0.location?.line ?? 0 }, [12_003, 14_004])
    }

    func testEnumerationsYesNoLanguagesDatesAndCoordinates() {
        let findings = XLIFF12Validator().validate(path: fixture("values.xlf").path)
        let messages = described(errors(findings))
        let expected = [
            "3:50: <file> target-language 'de_DE'", "3:92: <file> date 'yesterday'", "5:40: <group> translate 'maybe'",
            "6:29: <trans-unit> restype 'menupopup'", "6:49: <trans-unit> approved 'true'", "6:65: xml:space 'keep'",
            "8:19: xml:lang 'de-DE-DE'", "8:58: <target> state-qualifier 'fuzzy'", "8:82: phase-name 'p9' names no <phase>",
            "8:114: <g> ctype 'strong'", "9:17: <note> priority '11'", "12:44: <trans-unit> coord '1;2;3'", "13:24: <mrk> mtype 'termish'",
        ]
        XCTAssertEqual(messages.count, expected.count, messages.joined(separator: "\n"))
        for (message, prefix) in zip(messages, expected) {
            XCTAssertTrue(message.hasPrefix(prefix), "\(message) should start with \(prefix)")
        }
        // x- values, listed values, and the xml:space, translate, size-unit and maxwidth used correctly pass.
        XCTAssertFalse(messages.contains { $0.contains("x-panel") || $0.contains("x-reviewed") || $0.contains("x-icon") || $0.contains("x-ui") || $0.contains("x-path") || $0.contains("location x-mine") })
    }

    func testSegmentReferencesCodePairingAndRequiredAttributes() {
        let findings = XLIFF12Validator().validate(path: fixture("segments-and-codes.xlf").path)
        let messages = described(errors(findings))
        for expected in [
            "3:87: tool-id 't1' names no <tool>",
            "10:74: mid '1' is used twice in this <seg-source>",
            "11:69: target <mrk> mid '3' names no source segment",
            "11:82: <bpt id=\"1\"> has no matching <ept> in this <target>",
            "11:114: <ept id=\"2\"> has no matching <bpt> in this <target>",
            "12:20: <alt-trans> mid '7' names no source segment",
            "15:29: <bpt rid=\"a\"> has no matching <ept>",
            "15:65: <ept rid=\"b\"> has no <bpt rid=\"b\"> in this <source>",
            "15:122: <ex rid=\"s\"> has no <bx rid=\"s\"> in this <source>",
            "17:7: <trans-unit> has no id attribute (required)",
            "17:7: <trans-unit> has no <source> (required)",
            "20:25: <bin-unit> mime-type 'picture/png'",
            "23:55: <it> pos 'middle' is not one of 'close', 'open'",
            "23:87: <mrk> has no mtype attribute (required)",
        ] {
            XCTAssertTrue(messages.contains { $0.hasPrefix(expected) }, "missing: \(expected)\nin:\n\(messages.joined(separator: "\n"))")
        }
        XCTAssertEqual(messages.count, 14, messages.joined(separator: "\n"))
        // A code the translation adds is allowed by the specification: a warning.
        let warnings = findings.filter { $0.severity == .warning }
        XCTAssertTrue(warnings.contains { $0.code == "xliff12.code-not-in-source" && $0.message.contains("<ph id=\"9\">") }, "\(warnings)")
    }

    func testForeignElementAfterTheLastFileIsAnError() {
        let findings = XLIFF12Validator().validate(path: fixture("foreign-after-file.xlf").path)
        XCTAssertEqual(described(errors(findings)), ["8:3: <okp:extra> comes after the last <file>: XLIFF 1.2 allows elements of other namespaces in <xliff> only before a <file>"])
    }

    func testEveryRuleRespectedGivesNoError() {
        let findings = XLIFF12Validator().validate(path: fixture("valid-edge-cases.xlf").path)
        XCTAssertEqual(errors(findings), [])
        XCTAssertEqual(findings.map(\.code), ["xliff12.code-not-in-source"])
    }

    /// The fixtures' errors are real: xmllint with the transitional schema rejects each invalid
    /// fixture and accepts the valid one (the rules stricter than the schema — BCP 47 beyond
    /// xs:language, bpt/ept pairing by id — are on lines the schema also rejects for another reason or
    /// documented in docs/xliff12.md).
    func testFixturesAreJudgedTheSameWayByTheTransitionalSchema() throws {
        try XCTSkipUnless(XLIFF12Schema.available, "xmllint not installed")
        let invalid = ["review-case.xlf", "values.xlf", "segments-and-codes.xlf", "foreign-after-file.xlf"].map(fixture)
        let failures = try XLIFF12Schema.failures(invalid + [fixture("valid-edge-cases.xlf")], .transitional)
        XCTAssertEqual(Set(failures.keys), Set(invalid.map(\.lastPathComponent)))
    }

    /// The real-tool corpus: only the files the transitional schema (or well-formedness) rejects
    /// are invalid — SF-12-Test01 (trans-unit id 'Export' twice), alttrans (phase-names with no
    /// <phase>), lqiExtensions (ITS markup after the last <file>), invalid_xml_entity (U+0003) — plus
    /// PAS-10-Test01, an XLIFF 1.0 file without namespace that no schema checks, which repeats
    /// trans-unit ids and uses restypes outside the list.
    func testRealToolFilesAreInvalidOnlyWhereTheSchemaSaysSo() throws {
        let validator = XLIFFFileValidator()
        var invalid: [String: [String]] = [:]
        var checked = 0
        for url in XLIFF12Fixtures.corpus {
            let report = validator.validate(path: url.path)
            checked += 1
            if !report.isValid { invalid[url.lastPathComponent] = report.findings.filter { $0.severity == .error }.map(\.message) }
        }
        XCTAssertGreaterThanOrEqual(checked, 39)
        XCTAssertEqual(Set(invalid.keys), ["SF-12-Test01.xlf", "alttrans.xlf", "lqiExtensions.xlf", "invalid_xml_entity.xlf", "PAS-10-Test01.xlf"], "\(invalid.mapValues { $0.prefix(3) })")
        XCTAssertEqual(invalid["SF-12-Test01.xlf"]?.count, 1)
        XCTAssertEqual(invalid["alttrans.xlf"]?.count, 3)
        XCTAssertTrue(invalid["lqiExtensions.xlf"]?.first?.contains("after the last <file>") == true)
        XCTAssertTrue(invalid["PAS-10-Test01.xlf"]?.contains { $0.contains("id '1' is already used") } == true)
    }

    /// What Verso writes passes its own validator: every corpus file written strict and with
    /// extensions kept (the writer repairs what the reader accepted).
    func testVersoOutputOfEveryRealToolFileIsValid() throws {
        for url in XLIFF12Fixtures.corpus where !XLIFF12Fixtures.malformed.contains(url.lastPathComponent) {
            let (document, _) = try XLIFF12Fixtures.read(url)
            for keep in [false, true] {
                let (bytes, _) = try XLIFF12Writer.bytes(of: document, options: .init(keepExtensions: keep))
                let findings = XLIFF12Validator().validate(bytes: bytes, displayPath: url.lastPathComponent)
                XCTAssertEqual(errors(findings).map(\.description), [], "\(url.lastPathComponent) keepExtensions: \(keep)")
            }
        }
    }
}
