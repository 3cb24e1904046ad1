import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// What the XLIFF 1.2 reader makes of real files from translation tools.
final class XLIFF12ReaderTests: XCTestCase {
    private func doc(_ name: String, options: XLIFF12Reader.Options = .init()) throws -> (Document, [Finding]) {
        try XLIFF12Fixtures.read(XLIFF12Fixtures.file(name), options: options)
    }

    private func unit(_ d: Document, _ id: String) -> TranslationModel.Unit? { d.allUnits.first { $0.id == id } }

    func testSegSourceBecomesSegmentsAndIgnorablesWithTargetsPairedByMid() throws {
        let (d, _) = try doc("segmented.xlf")
        let u = try XCTUnwrap(unit(d, "3"))
        XCTAssertEqual(u.parts.count, 3)
        XCTAssertEqual(u.segments.map(\.id), ["0", "1"])
        XCTAssertEqual(u.segments.map { $0.source.plainText }, ["Segment one.", "Segment two."])
        XCTAssertEqual(u.segments.map { $0.target?.plainText }, ["Segment ein.", "Segment zwei."])
        guard case .ignorable(let gap) = u.parts[1] else { return XCTFail("no ignorable between the segments") }
        XCTAssertEqual(gap.source.plainText, " ")
        XCTAssertEqual(gap.target?.plainText, " ")
        XCTAssertEqual(u.source.plainText, "Segment one. Segment two.", "joining the parts gives back the text")
        XCTAssertEqual(u.segments[0].source.language, "en-US")
        XCTAssertEqual(u.segments[0].target?.language, "de-DE")
    }

    func testSegmentMarkersInsideCodesLeaveTheCodesInIgnorables() throws {
        let (d, _) = try doc("Balancing_MultipleSegments.xlf")
        let u = try XCTUnwrap(d.allUnits.first)
        // <g id="1"><mrk mid="0">…</mrk> <mrk mid="1">…</mrk></g>
        XCTAssertEqual(u.segments.map(\.id), ["0", "1"])
        guard case .ignorable(let lead) = u.parts.first, case .ignorable(let tail) = u.parts.last else { return XCTFail("\(u.parts)") }
        XCTAssertEqual(lead.source.codes.map(\.kind), [.opening])
        XCTAssertEqual(tail.source.codes.map(\.kind), [.closing])
        XCTAssertEqual(lead.source.codes.first?.ctype, "bold")
        XCTAssertEqual(u.segments[1].target?.plainText, "sich gegen Erdbeben?")
        XCTAssertTrue(u.preserveSpace == true)
    }

    func testInlineElementsBecomeTypedCodesWithTheirNativeData() throws {
        let (d, _) = try doc("RB-11-Test01.xlf")
        let u = try XCTUnwrap(unit(d, "7"))
        let codes = u.segments[0].source.codes
        XCTAssertEqual(codes.map(\.kind), [.opening, .closing, .opening, .closing])
        XCTAssertEqual(codes.map(\.originalData), ["<code>", "</code>", "<b>", "</b>"])
        XCTAssertEqual(codes.map(\.xliff12Element), [.bpt, .ept, .bpt, .ept])
        XCTAssertEqual(u.segments[0].source.plainText, "Text with code and bold.")
        XCTAssertEqual(u.segments[0].target, Content([], language: "fr"), "an empty <target/> is an empty target, not a missing one")
        XCTAssertNil(unit(d, "4")?.segments[0].target)

        let (m, _) = try doc("Manual-12-AltTrans.xlf")
        let ph = try XCTUnwrap(unit(m, "6")?.segments[0].source.codes.first)
        XCTAssertEqual(ph.xliff12Element, .ph)
        XCTAssertEqual(ph.originalData, "startCodeendCode")
        XCTAssertEqual(ph.subContents.count, 1)
        XCTAssertEqual(ph.subContents[0].utf16Offset, 9)
        XCTAssertEqual(ph.subContents[0].content.plainText, "[nestedstill in sub]")
        XCTAssertEqual(ph.subContents[0].content.codes.first?.originalData, "ph-in-sub")
    }

    func testAltTransBecomesACandidate() throws {
        let (d, _) = try doc("alttrans.xlf")
        let matches = try XCTUnwrap(d.allUnits.first?.matches)
        XCTAssertEqual(matches.count, 3)
        XCTAssertEqual(matches.map(\.target.plainText), ["target2", "target3", "target1"])
        XCTAssertEqual(matches.map(\.origin), ["X", "X", "X"])
        XCTAssertEqual(matches[1].xliff12Attributes["alttranstype"], "accepted")
        XCTAssertEqual(matches[0].xliff12TargetAttributes["state"], "translated")
        XCTAssertEqual(matches[0].xliff12TargetAttributes["phase-name"], "2")

        let (o, _) = try doc("OnTramTest01.xlf")
        let first = try XCTUnwrap(o.allUnits.first?.matches.first)
        XCTAssertEqual(first.similarity, 95, "match-quality=\"95%\" is a similarity of 95")
        XCTAssertEqual(first.xliff12Attributes["match-quality"], "95%")
        XCTAssertEqual(first.extensions.elements.first?.name, "source-diff", "foreign markup inside <alt-trans> is kept")
    }

    func testContextGroupsBecomeMetadataAndBinUnitsGroups() throws {
        let (d, _) = try doc("Test_Context_and_PH.xlf")
        let u = try XCTUnwrap(unit(d, "654022"))
        XCTAssertEqual(u.metadata, [MetaGroup(category: "Internal1", items: [.meta(type: "x-ResourceIdentity", value: "654022"), .meta(type: "x-SourceRevision", value: "1")])])
        XCTAssertEqual(u.matches.first?.notes.map(\.text), ["alt trans note 1"])
        XCTAssertEqual(u.segments[0].xliff12State, "needs-review-translation")
        guard case .group(let outer) = d.files[0].items[0] else { return XCTFail() }
        XCTAssertEqual(outer.info.notes.map(\.text), ["group note 1"])
        XCTAssertEqual(outer.info.metadata.first?.items.count, 4)
        guard case .group(let bin)? = outer.items.last else { return XCTFail("no bin-unit group") }
        XCTAssertEqual(bin.info.id, "bu1")
        XCTAssertEqual(bin.info.binaryUnit?.mimeType, "text/plain")
        XCTAssertEqual(bin.info.notes.map(\.text), ["bin unit note 1"])
        guard case .unit(let inner)? = bin.items.first else { return XCTFail("the trans-unit inside the bin-unit is a unit") }
        XCTAssertEqual(inner.source.plainText, "text & text")
        XCTAssertEqual(d.files[0].info.xliff12HeaderElements.map(\.name), ["count-group"])
    }

    func testForeignMarkupIsKeptInTheModel() throws {
        let (mq, _) = try doc("MQ-12-Test01.xlf")
        let u = try XCTUnwrap(mq.allUnits.first)
        XCTAssertEqual(u.extensions.attributes.first { $0.name == "segmentguid" }?.value, "f9ac52c6-f7cf-458b-b5ff-25e4e5771053")
        XCTAssertEqual(u.extensions.attributes.first?.namespace, "MQXliff")
        XCTAssertEqual(u.xliff12Markup.sourceAttributes.map(\.name), ["segpart", "hasfollowingobject"])
        XCTAssertEqual(mq.files[0].info.id, "00483744-30ce-4363-8a48-64bf7db42337")
        XCTAssertNotNil(mq.files[0].info.skeleton?.content)

        let (sdl, _) = try doc("test.txt_en-US_fr-FR.sdlxliff")
        let segmented = try XCTUnwrap(sdl.allUnits.first { $0.segments.count == 5 })
        XCTAssertEqual(segmented.extensions.elements.first?.name, "seg-defs")
        XCTAssertEqual(segmented.segments.map(\.id), ["1", "2", "3", "4", "5"])
        XCTAssertEqual(segmented.segments[3].source.plainText, "Modify. ", "trailing space inside the segment is kept")
        XCTAssertEqual(sdl.info.extensions.attributes.first?.name, "version")
        XCTAssertEqual(sdl.files[0].info.extensions.elements.map(\.name).prefix(2), ["file-info", "filetype-info"])
    }

    func testXMLSpacePreserveIsInheritedAndTextIsKeptExactly() throws {
        let (jmp, _) = try doc("JMP-11-Test01.xlf")
        XCTAssertEqual(jmp.files[0].info.preserveSpace, true)
        XCTAssertTrue(jmp.allUnits.allSatisfy { $0.preserveSpace == true }, "xml:space on <file> applies to every unit")
        let (x, _) = try doc("Xslt-Test01.xlf")
        let style = try XCTUnwrap(unit(x, "style-4"))
        XCTAssertNil(style.preserveSpace)
        XCTAssertEqual(style.source.plainText, "\n\t    .styled { font-size: .8em; color: red; font-face: sans-serif; }\n    ")
        // translate-toolkit's reading of xml:space="default", on request.
        let (n, _) = try doc("Xslt-Test01.xlf", options: .init(normalizeWhitespace: true))
        XCTAssertEqual(unit(n, "style-4")?.source.plainText, ".styled { font-size: .8em; color: red; font-face: sans-serif; }")
        let (p, _) = try doc("Balancing_MultipleSegments.xlf", options: .init(normalizeWhitespace: true))
        XCTAssertEqual(p.allUnits[0].segments[1].source.plainText, "sich gegen Erdbeben?", "preserve wins over normalisation")
    }

    func testXLIFF10WithoutNamespaceAndPrefixedDocumentsAreRead() throws {
        let (pas, _) = try doc("PAS-10-Test01.xlf")
        XCTAssertEqual(pas.info.version, .v1_2)
        XCTAssertEqual(pas.info.sourceLanguage, "en")
        XCTAssertEqual(pas.allUnits.first?.source.plainText, "&File")
        XCTAssertEqual(pas.allUnits.first?.xliff12Attributes["style"], "0x10")
        XCTAssertEqual(pas.files[0].info.xliff12Attributes["tool"], "PASSOLO 3.0")
        let (ns, _) = try doc("NSTest01.xlf")
        XCTAssertEqual(ns.allUnits.map(\.id), ["0", "1"])
        XCTAssertEqual(ns.allUnits.map(\.translate), [false, true])
        let (rb, _) = try doc("RB-11-Test01.xlf")
        XCTAssertEqual(rb.allUnits.count, 13, "XLIFF 1.1 namespace read as 1.2")
        XCTAssertEqual(rb.allUnits.first { $0.id == "2" }?.approved, true)
    }

    func testSourceThatDisagreesWithSegSourceIsKeptAndReported() throws {
        let (d, findings) = try doc("RB-12-Test02.xlf")
        let u = try XCTUnwrap(unit(d, "11withWarning"))
        XCTAssertEqual(u.xliff12Markup.unsegmentedSource?.plainText, "Sentence 1. Sentence 2.")
        XCTAssertEqual(u.segments.map { $0.source.plainText }, ["Sentence 1.", "Sentence 2+diff."])
        let warning = try XCTUnwrap(findings.first { $0.code == "xliff12.seg-source-mismatch" })
        XCTAssertTrue(warning.message.contains("11withWarning"), warning.message)
        XCTAssertEqual(warning.location?.line, 44)
        // Unit 11 differs only in whitespace (a line break between the segments): kept, not reported.
        XCTAssertNotNil(unit(d, "11")?.xliff12Markup.unsegmentedSource)
        XCTAssertEqual(findings.filter { $0.code == "xliff12.seg-source-mismatch" }.count, 1)
    }

    func testForeignElementAfterTheLastFileIsReported() throws {
        let (d, findings) = try doc("lqiExtensions.xlf")
        XCTAssertEqual(d.allUnits.first?.extensions.attributes.first?.name, "locQualityIssuesRef")
        XCTAssertTrue(findings.contains { $0.code == "xliff12.dropped" && $0.message.contains("after the last <file>") }, "\(findings)")
    }

    func testOtherDocumentsAreRefusedWithALocatedError() throws {
        let xliff2 = TestPaths.sharedFile("standards/conformance/xliff21/core/valid/sample1.xlf")
        XCTAssertThrowsError(try XLIFF12Fixtures.read(xliff2)) { error in
            XCTAssertTrue("\(error)".contains("not XLIFF 1.2"), "\(error)")
            XCTAssertEqual((error as? LocatedError)?.location.file, xliff2.path)
        }
        XCTAssertThrowsError(try XLIFF12Fixtures.read(string: "<tmx version=\"1.4\"/>")) { error in
            XCTAssertTrue("\(error)".contains("root element is <tmx>"), "\(error)")
        }
        XCTAssertThrowsError(try XLIFF12Fixtures.read(string: "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"></xliff>")) { error in
            XCTAssertTrue("\(error)".contains("no <file>"), "\(error)")
        }
    }

    func testTruncatedFileFailsWithLineAndColumn() throws {
        let folder = TestPaths.temporaryFolder("x12-trunc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try Data(contentsOf: XLIFF12Fixtures.file("Manual-12-AltTrans.xlf"))
        let cut = folder.appendingPathComponent("cut.xlf")
        try full.prefix(700).write(to: cut)
        XCTAssertThrowsError(try XLIFF12Fixtures.read(cut)) { error in
            guard let located = error as? LocatedError else { return XCTFail("\(error)") }
            XCTAssertEqual(located.location.file, cut.path)
            XCTAssertNotNil(located.location.line)
            XCTAssertTrue(located.description.hasPrefix("\(cut.path):"), located.description)
        }
    }

    func testSecureParsingRefusesExternalEntitiesAndBillionLaughs() throws {
        for name in ["xxe.xml", "billion-laughs.xml", "invalid-utf8.xml"] {
            let url = TestPaths.fixture("xml/\(name)")
            XCTAssertThrowsError(try XLIFF12Fixtures.read(url), name) { error in
                XCTAssertNotNil((error as? LocatedError)?.location.line, "\(name): \(error)")
            }
        }
    }
}
