import Foundation
import XCTest
import Formats
import TestSupport
import TranslationModel
import XLIFF
@testable import Pipeline

/// Breaks after ". ", "! " and "? " (after the space), as simple SRX rules do.
struct PunctuationBreaker: SentenceBreaker {
    func breakPositions(in text: String) -> [UTF16Offset] {
        let u = Array(text.utf16)
        var out: [Int] = []
        for i in 1..<max(1, u.count) where u[i] == 0x20 && [0x2E, 0x21, 0x3F].contains(u[i - 1]) && i + 1 < u.count {
            out.append(i + 1)
        }
        return out
    }
}

final class SegmentationStageTests: XCTestCase {
    private let stage = SegmentationStage { _ in PunctuationBreaker() }
    private let context = StageContext(file: "t", sourceLanguage: "fr", targetLanguage: "en")

    private func segmented(_ content: Content) throws -> TranslationModel.Unit {
        try stage.process(TranslationModel.Unit(id: "u1", source: content), in: context)
    }

    func testSentencesBecomeSegmentsAndSpacesIgnorables() throws {
        let unit = try segmented(Content("Un. Deux !  Trois ?"))
        XCTAssertEqual(unit.segments.map(\.source.plainText), ["Un.", "Deux !", "Trois ?"])
        XCTAssertEqual(unit.segments.map(\.id), ["1", "2", "3"])
        XCTAssertEqual(unit.parts.count, 5)
        XCTAssertEqual(unit.source, Content("Un. Deux !  Trois ?"), "joining the parts gives the text back")
    }

    func testCodesAtABreakGoWithTheirSentence() throws {
        let b1 = InlineCode(kind: .opening, id: "1", originalData: "<b>"), b2 = InlineCode(kind: .closing, id: "1", originalData: "</b>")
        let i1 = InlineCode(kind: .opening, id: "2", originalData: "<i>"), i2 = InlineCode(kind: .closing, id: "2", originalData: "</i>")
        let br = InlineCode(kind: .standalone, id: "3", originalData: "<br>")
        let unit = try segmented(Content([.text("Un "), .code(b1), .text("gras"), .code(b2), .text(". "), .code(br), .code(i1), .text("Deux"), .code(i2), .text(".")]))
        XCTAssertEqual(unit.segments.count, 2)
        XCTAssertEqual(unit.segments[0].source.codes.map(\.id), ["1", "1"])
        XCTAssertEqual(unit.segments[1].source.runs.first, .code(br), "a standalone code after the space stays with the sentence it starts")
        XCTAssertEqual(unit.segments[1].source.codes.map(\.id), ["3", "2", "2"])
    }

    func testNoBreakInsideAPairedCodeOrAMarker() throws {
        let b1 = InlineCode(kind: .opening, id: "1"), b2 = InlineCode(kind: .closing, id: "1")
        XCTAssertEqual(try segmented(Content([.code(b1), .text("Un. Deux."), .code(b2)])).segments.count, 1)
        let m1 = Marker(boundary: .start, id: "m", type: "comment"), m2 = Marker(boundary: .end, id: "m")
        XCTAssertEqual(try segmented(Content([.marker(m1), .text("Un. Deux."), .marker(m2), .text(" Trois.")])).segments.map(\.source.plainText), ["Un. Deux.", "Trois."])
        let free = SegmentationStage(breakInsideCodeSpans: true) { _ in PunctuationBreaker() }
        XCTAssertEqual(try free.process(TranslationModel.Unit(id: "u", source: Content([.code(b1), .text("Un. Deux."), .code(b2)])), in: context).segments.count, 2)
    }

    func testTranslatedOrSegmentedUnitsAreLeftAlone() throws {
        var translated = TranslationModel.Unit(id: "u", source: Content("Un. Deux."))
        translated.parts = [.segment(Segment(source: Content("Un. Deux."), target: Content("One. Two.")))]
        XCTAssertEqual(try stage.process(translated, in: context), translated)
        var fixed = TranslationModel.Unit(id: "u", source: Content("Un. Deux."))
        fixed.canResegment = false
        XCTAssertEqual(try stage.process(fixed, in: context), fixed)
    }

    func testSegmentedHTMLAndTextComeBackByteForByte() throws {
        let folder = TestPaths.temporaryFolder("segment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = Pipeline([stage, CopySourceStage()])
        let preparer = DocumentPreparer(options: PrepareOptions(sourceLanguage: "fr", targetLanguage: "en"), pipeline: pipeline)
        for input in PrepareMergeTests.documents {
            let prepared = try preparer.prepare(input: input.path, into: folder.path)
            XCTAssertGreaterThan(prepared.statistics.segments, prepared.statistics.units - 1)
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
        try Data("<p>Un&nbsp;: deux.\r\n   Trois&eacute; ici. Quatre.</p>".utf8).write(to: page)
        let preparer = DocumentPreparer(options: PrepareOptions(sourceLanguage: "fr", targetLanguage: "en"), pipeline: Pipeline([stage]))
        let prepared = try preparer.prepare(input: page.path, into: folder.path)
        var reader = try XLIFF12Reader(path: prepared.output)
        var document = try Document(reading: &reader)
        guard case .unit(var unit) = document.files[0].items[0] else { return XCTFail() }
        XCTAssertEqual(unit.segments.map(\.source.plainText), ["Un\u{A0}: deux.", "Troisé ici.", "Quatre."])
        unit.parts = unit.parts.map { part in
            guard case .segment(var s) = part else { return part }
            s.target = s.source.plainText == "Quatre." ? Content("Four.") : s.source
            return .segment(s)
        }
        document.files[0].items[0] = .unit(unit)
        let xliff = folder.appendingPathComponent("t.xlf").path
        _ = try XLIFF12Writer.write(document, to: xliff)
        var claimed = Set<String>()
        let merged = try TranslationMerge.merge(xliff: xliff, into: folder.appendingPathComponent("m").path, claimedOutputs: &claimed)
        XCTAssertEqual(try String(contentsOfFile: merged.outputs[0], encoding: .utf8), "<p>Un&nbsp;: deux.\r\n   Trois&eacute; ici. Four.</p>")
    }
}
