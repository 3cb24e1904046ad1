import Foundation
import XCTest
import Formats
import Segmentation
import TestSupport
import TranslationModel
import XLIFF
@testable import Pipeline

/// The segment stage over Verso's SRX rules, in the prepare → merge round trip.
final class SegmentationStageTests: XCTestCase {
    private let stage = SegmentationStage(segmenters: Segmenters())
    private let context = StageContext(file: "t", sourceLanguage: "fr", targetLanguage: "en")

    private func segmented(_ content: Content) throws -> TranslationModel.Unit {
        try stage.process(TranslationModel.Unit(id: "u1", source: content), in: context)
    }

    func testSentencesBecomeSegmentsAndSpacesIgnorables() throws {
        let unit = try segmented(Content("Il pleut. Nous restons à la maison !  Viendras-tu demain ?"))
        XCTAssertEqual(unit.segments.map(\.source.plainText), ["Il pleut.", "Nous restons à la maison !", "Viendras-tu demain ?"])
        XCTAssertEqual(unit.parts.count, 5)
        XCTAssertEqual(unit.source, Content("Il pleut. Nous restons à la maison !  Viendras-tu demain ?"), "joining the parts gives the text back")
    }

    func testCodesStayIntactAcrossSentences() throws {
        let b1 = InlineCode(kind: .opening, id: "1", originalData: "<b>"), b2 = InlineCode(kind: .closing, id: "1", originalData: "</b>")
        let unit = try segmented(Content([.text("Il pleut "), .code(b1), .text("fort"), .code(b2), .text(". Nous restons ici.")]))
        XCTAssertEqual(unit.segments.count, 2)
        XCTAssertEqual(unit.segments[0].source.codes.map(\.kind), [.opening, .closing])
        let spanning = try segmented(Content([.code(b1), .text("Il pleut. Nous restons ici."), .code(b2)]))
        XCTAssertEqual(spanning.segments.count, 1, "no break between a paired code's opening and closing")
    }

    func testTranslatedUnitsAreLeftAlone() throws {
        var translated = TranslationModel.Unit(id: "u", source: Content("Il pleut. Nous restons ici."))
        translated.parts = [.segment(Segment(source: Content("Il pleut. Nous restons ici."), target: Content("It rains. We stay here.")))]
        XCTAssertEqual(try stage.process(translated, in: context), translated)
    }

    func testAnSRXFileReplacesTheBuiltInRules() throws {
        let folder = TestPaths.temporaryFolder("srx")
        defer { try? FileManager.default.removeItem(at: folder) }
        let srx = folder.appendingPathComponent("semicolon.srx")
        try Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <srx xmlns="http://www.lisa.org/srx20" version="2.0">
          <header segmentsubflows="yes" cascade="no"/>
          <body>
            <languagerules>
              <languagerule languagerulename="all"><rule break="yes"><beforebreak>;</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>
            </languagerules>
            <maprules><languagemap languagepattern=".*" languagerulename="all"/></maprules>
          </body>
        </srx>
        """.utf8).write(to: srx)
        let custom = SegmentationStage(segmenters: try Segmenters(srxFile: srx.path))
        let unit = try custom.process(TranslationModel.Unit(id: "u", source: Content("Un; deux. Trois")), in: context)
        XCTAssertEqual(unit.segments.map(\.source.plainText), ["Un;", "deux. Trois"])
    }

    func testSegmentedDocumentsComeBackByteForByte() throws {
        let folder = TestPaths.temporaryFolder("segment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let preparer = DocumentPreparer(options: PrepareOptions(sourceLanguage: "fr", targetLanguage: "en"), pipeline: Pipeline([stage, CopySourceStage()]))
        for input in PrepareMergeTests.documents {
            let prepared = try preparer.prepare(input: input.path, into: folder.path)
            var claimed = Set<String>()
            let merged = try TranslationMerge.merge(xliff: prepared.output, into: folder.appendingPathComponent("m").path, claimedOutputs: &claimed)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: merged.outputs[0])), try Data(contentsOf: input), input.lastPathComponent)
        }
        let seed = try preparer.prepare(input: TestPaths.sample("seed-article.fr.txt").path, into: folder.path)
        XCTAssertGreaterThan(seed.statistics.segments, 15, "the article's paragraphs are split into sentences")
    }

    func testOneTranslatedSentenceKeepsTheOthersExact() throws {
        let folder = TestPaths.temporaryFolder("segment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("p.html")
        try Data("<p>Il pleut&nbsp;: rentrez.\r\n   Nous restons &agrave; la maison. Viendras-tu demain ?</p>".utf8).write(to: page)
        let preparer = DocumentPreparer(options: PrepareOptions(sourceLanguage: "fr", targetLanguage: "en"), pipeline: Pipeline([stage]))
        let prepared = try preparer.prepare(input: page.path, into: folder.path)
        var reader = try XLIFF12Reader(path: prepared.output)
        var document = try Document(reading: &reader)
        guard case .unit(var unit) = document.files[0].items[0] else { return XCTFail() }
        XCTAssertEqual(unit.segments.map(\.source.plainText), ["Il pleut\u{A0}: rentrez.", "Nous restons à la maison.", "Viendras-tu demain ?"])
        unit.parts = unit.parts.map { part in
            guard case .segment(var s) = part else { return part }
            s.target = s.source.plainText.hasPrefix("Viendras") ? Content("Will you come tomorrow?") : s.source
            return .segment(s)
        }
        document.files[0].items[0] = .unit(unit)
        let xliff = folder.appendingPathComponent("t.xlf").path
        _ = try XLIFF12Writer.write(document, to: xliff)
        var claimed = Set<String>()
        let merged = try TranslationMerge.merge(xliff: xliff, into: folder.appendingPathComponent("m").path, claimedOutputs: &claimed)
        XCTAssertEqual(try String(contentsOfFile: merged.outputs[0], encoding: .utf8), "<p>Il pleut&nbsp;: rentrez.\r\n   Nous restons &agrave; la maison. Will you come tomorrow?</p>")
    }
}
