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
}
