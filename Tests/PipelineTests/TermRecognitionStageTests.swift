import Foundation
import XCTest
import Terminology
import TestSupport
import TranslationModel
import XLIFF
@testable import Pipeline

/// The term stage on units that already carry term markup: its own from an earlier run, or
/// another tool's.
final class TermRecognitionStageTests: XCTestCase {
    private func units(_ path: String) throws -> [TranslationModel.Unit] {
        var (reader, _) = try XLIFFDocuments.reader(path: path)
        var out: [TranslationModel.Unit] = []
        while let event = try reader.next() { if case .unit(let u) = event { out.append(u) } }
        return out
    }

    private func untranslated(_ unit: TranslationModel.Unit) -> TranslationModel.Unit {
        var u = unit
        u.parts = u.parts.map { part in
            guard case .segment(var s) = part else { return part }
            s.target = nil
            return .segment(s)
        }
        return u
    }

    func testAnotherToolsTermMarkupAndGlossaryEntriesStay() throws {
        // OASIS XLIFF 2.1 sample: term markers m1, m2 and a glossary entry g1 referring to #m1.
        let path = TestPaths.sharedFile("standards/conformance/xliff21/core/valid/withGlossary.xlf").path
        let unit = untranslated(try XCTUnwrap(units(path).first))
        XCTAssertEqual(TermRecognitionStage.removingEarlierTermMarkup(unit), unit)
        let stage = TermRecognitionStage(recognizers: PrepareMergeTests.builtInTerms)
        let processed = try stage.process(unit, in: StageContext(file: path, sourceLanguage: "en", targetLanguage: "fr", xliffVersion: .v2_1))
        XCTAssertTrue(processed.glossary.contains { $0.id == "g1" && $0.ref == "#m1" }, "\(processed.glossary)")
        let markers = processed.segments.flatMap(\.source.runs).compactMap { run -> String? in
            if case .marker(let m) = run, m.boundary == .start { return m.id } else { return nil }
        }
        XCTAssertTrue(markers.contains("m1") && markers.contains("m2"), "\(markers)")
    }

    func testItsOwnEarlierMarkupIsReplacedNotDuplicated() throws {
        // The sample article prepared into XLIFF 1.2 and 2.1, read back, recognised again.
        let folder = TestPaths.temporaryFolder("term-stage")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stage = TermRecognitionStage(recognizers: PrepareMergeTests.builtInTerms)
        for version in [XLIFFVersion.v1_2, .v2_1] {
            let preparer = DocumentPreparer(options: PrepareOptions(sourceLanguage: "fr", targetLanguage: "en", xliffVersion: version), pipeline: Pipeline([stage]))
            let prepared = try preparer.prepare(input: TestPaths.sample("seed-article.fr.txt").path, into: folder.appendingPathComponent(version.rawValue).path)
            let context = StageContext(file: prepared.output, sourceLanguage: "fr", targetLanguage: "en", xliffVersion: version)
            for unit in try units(prepared.output) {
                let again = try stage.process(unit, in: context)
                let ids = again.segments.flatMap(\.source.runs).compactMap { run -> String? in
                    if case .marker(let m) = run, m.boundary == .start { return m.id } else { return nil }
                }
                XCTAssertEqual(ids.count, Set(ids).count, "marker ids unique in \(unit.id)")
                XCTAssertEqual(ids, (0..<ids.count).map { "t\($0 + 1)" }, "numbered from t1 again in \(unit.id)")
                XCTAssertEqual(again.notes.count, unit.notes.count, "\(version) \(unit.id)")
                XCTAssertEqual(again.glossary.count, unit.glossary.count, "\(version) \(unit.id)")
                XCTAssertEqual(TermRecognitionStage.removingEarlierTermMarkup(again).notes.count, 0)
            }
        }
    }

    func testNewTermMarkersTakeNoIDTheUnitAlreadyUses() throws {
        // The segment holding the terms is itself `t1` and carries a code `t2`; the next
        // segment's marker from another tool is `t4`: new markers skip all three.
        let first = Content([.text("La Biélorussie "), .code(InlineCode(kind: .standalone, id: "t2", originalData: "<br/>")), .text(" et l'OTAN.")])
        let second = Content([.text("Kiev "), .marker(Marker(boundary: .start, id: "t4", type: "x-other")), .text("et"), .marker(Marker(boundary: .end, id: "t4")), .text(" Minsk.")])
        let unit = TranslationModel.Unit(id: "u1", parts: [.segment(Segment(id: "t1", source: first)), .ignorable(Ignorable(source: " ")), .segment(Segment(id: "s2", source: second))])
        let stage = TermRecognitionStage(recognizers: PrepareMergeTests.builtInTerms)
        let processed = try stage.process(unit, in: StageContext(file: "ids.xlf", sourceLanguage: "fr", targetLanguage: "en", xliffVersion: .v2_1))
        let markers = processed.segments.map { segment in
            segment.source.runs.compactMap { run -> String? in
                if case .marker(let m) = run, m.boundary == .start, m.type == "term" { return m.id } else { return nil }
            }
        }
        XCTAssertEqual(markers, [["t3", "t5"], ["t6", "t7"]])
        // Every other part is handed on as it was: the ignorable, the ids, the other tool's marker.
        XCTAssertEqual(processed.parts.count, 3)
        XCTAssertEqual(processed.parts[1], unit.parts[1])
        XCTAssertEqual(processed.segments.map(\.id), ["t1", "s2"])
        XCTAssertTrue(processed.segments[1].source.runs.contains(.marker(Marker(boundary: .start, id: "t4", type: "x-other"))))
        XCTAssertEqual(processed.glossary.map(\.ref), ["#t3", "#t5", "#t6", "#t7"])
    }

    func testAUnitWithoutTermsComesOutUnchanged() throws {
        let unit = TranslationModel.Unit(id: "u1", parts: [.segment(Segment(id: "1", source: "Rien à signaler ici.")), .ignorable(Ignorable(source: " ")), .segment(Segment(id: "2", source: "Le chat dort."))])
        let stage = TermRecognitionStage(recognizers: PrepareMergeTests.builtInTerms)
        for version in [XLIFFVersion.v1_2, .v2_1] {
            XCTAssertEqual(try stage.process(unit, in: StageContext(file: "none.xlf", sourceLanguage: "fr", targetLanguage: "en", xliffVersion: version)), unit)
        }
    }

    func testMarkersAreInsertedAtUTF16OffsetsAcrossRunsAndCodes() {
        // "😀 " is three UTF-16 units; the second span starts where a standalone code is and
        // ends at the end of the content; the third overlaps the second and is dropped.
        let br = InlineCode(kind: .standalone, id: "1", originalData: "<br/>")
        let content = Content([.text("😀 OTAN et "), .code(br), .text("l’Ukraine")], language: "fr")
        func span(_ r: Range<Int>, _ id: String) -> (range: Range<Int>, start: Marker, end: Marker) {
            (r, Marker(boundary: .start, id: id, type: "term"), Marker(boundary: .end, id: id, type: "term"))
        }
        let marked = content.insertingMarkers([span(11..<20, "t2"), span(3..<7, "t1"), span(13..<15, "t3")])
        XCTAssertEqual(marked.runs, [
            .text("😀 "), .marker(Marker(boundary: .start, id: "t1", type: "term")), .text("OTAN"),
            .marker(Marker(boundary: .end, id: "t1", type: "term")), .text(" et "), .code(br),
            .marker(Marker(boundary: .start, id: "t2", type: "term")), .text("l’Ukraine"),
            .marker(Marker(boundary: .end, id: "t2", type: "term")),
        ])
        XCTAssertEqual(marked.language, "fr")
        XCTAssertEqual(marked.plainText, content.plainText)
        XCTAssertNil(marked.preserveSpace)
        // xml:space="preserve" on a source read from XLIFF stays on it when terms are marked.
        var preserved = content
        preserved.preserveSpace = true
        XCTAssertEqual(preserved.insertingMarkers([span(3..<7, "t1")]).preserveSpace, true)
    }
}
