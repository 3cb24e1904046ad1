import Diagnostics
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class TermIndexTests: XCTestCase {
    private func repoGlossary(_ name: String) -> String { TestPaths.repository.appendingPathComponent("Glossaries/\(name)").path }

    private func buildBuiltIns() throws -> String {
        let out = TestPaths.temporaryFolder().appendingPathComponent("news.sqlite").path
        let report = try TermIndex.build(from: [repoGlossary("news-fr-en.csv"), repoGlossary("organisations.csv")], to: out)
        XCTAssertEqual(report.conceptCount, 63)
        XCTAssertTrue(report.languages.contains("uk"))
        return out
    }

    func testIndexAnswersLookupsLikeMemory() throws {
        let path = try buildBuiltIns()
        let index = try TermIndex(path: path)
        XCTAssertEqual(index.name, "news")
        let g = Glossary(stores: [index])
        let (news, _) = try CSVTermbaseReader.read(path: repoGlossary("news-fr-en.csv"))
        let (orgs, _) = try CSVTermbaseReader.read(path: repoGlossary("organisations.csv"))
        let memory = Glossary(stores: [InMemoryTermStore(Termbase(name: "news", concepts: news.concepts + orgs.concepts))])
        for (q, lang) in [("bielorussie", "fr"), ("l'OTAN", "fr"), ("biélorusses", "fr"), ("Loukachneko", "fr"), ("mobilisations partielles", "fr"), ("NATO's", "en"), ("Организация Объединённых Наций", "ru")] {
            let a = try g.lookup(q, from: lang).map { "\($0.concept.id) \($0.kind) \($0.matchedTerm.text)" }
            let b = try memory.lookup(q, from: lang).map { "\($0.concept.id) \($0.kind) \($0.matchedTerm.text)" }
            XCTAssertFalse(a.isEmpty, q)
            XCTAssertEqual(a, b, q)
        }
        // Concepts come back whole, one per id: both files describe org-NATO, merged as in recognition.
        let results = try g.lookup("OTAN", from: "fr")
        XCTAssertEqual(results.filter { $0.concept.id == "org-NATO" }.count, 1)
        let newsNATO = try XCTUnwrap(news.concepts.first { $0.id == "org-NATO" })
        let orgsNATO = try XCTUnwrap(orgs.concepts.first { $0.id == "org-NATO" })
        XCTAssertEqual(results.first?.concept, BuiltInGlossaries.merged(newsNATO, orgsNATO))
    }

    func testIndexServesRecognitionWithTheSameResults() throws {
        let path = try buildBuiltIns()
        let article = try String(contentsOf: TestPaths.sample("seed-article.fr.txt"), encoding: .utf8)
        let fromIndex = try TermRecognizer(glossary: Glossary(stores: [try TermIndex(path: path)]), language: "fr")
        XCTAssertEqual(fromIndex.termCount, 0) // nothing compiled: the index is queried
        let (news, _) = try CSVTermbaseReader.read(path: repoGlossary("news-fr-en.csv"))
        let (orgs, _) = try CSVTermbaseReader.read(path: repoGlossary("organisations.csv"))
        let inMemory = try TermRecognizer(glossary: Glossary(stores: [InMemoryTermStore(Termbase(name: "m", concepts: news.concepts + orgs.concepts))]), language: "fr")
        let a = try fromIndex.occurrences(in: article).map { "\($0.utf16Offset) \($0.text) \($0.concept.id) \($0.kind)" }
        let b = try inMemory.occurrences(in: article).map { "\($0.utf16Offset) \($0.text) \($0.concept.id) \($0.kind)" }
        XCTAssertGreaterThan(a.count, 40)
        XCTAssertEqual(a, b)
        let en = try TermRecognizer(glossary: Glossary(stores: [try TermIndex(path: path)]), language: "en")
        let second = try String(contentsOf: TestPaths.fixture("terminology/second-article.en.txt"), encoding: .utf8)
        XCTAssertFalse(try en.occurrences(in: second).contains { ["Who", "us"].contains($0.text) })
    }

    func testCompilingAnIndexGivesTheSameOccurrencesAsProbingIt() throws {
        let path = try buildBuiltIns()
        let g = Glossary(stores: [try TermIndex(path: path)])
        let article = try String(contentsOf: TestPaths.sample("seed-article.fr.txt"), encoding: .utf8)
        let compiled = try TermRecognizer(glossary: g, language: "fr", indexStrategy: .compile)
        XCTAssertGreaterThan(compiled.termCount, 100)
        let probed = try TermRecognizer(glossary: g, language: "fr", indexStrategy: .probe)
        let a = try compiled.occurrences(in: article)
        XCTAssertEqual(a.map(\.utf16Offset), try probed.occurrences(in: article).map(\.utf16Offset))
        // The subset of concepts to ship with the document, in order of first occurrence.
        XCTAssertEqual(a.concepts.prefix(3).map(\.id), ["term-president-of-Russia", "person-Putin", "term-partial-mobilisation"])
        XCTAssertEqual(a.concepts.count, Set(a.map(\.conceptHandle)).count)
    }

    func testMalformedInputLeavesNoIndexAndKeepsTheOldOne() throws {
        let folder = TestPaths.temporaryFolder()
        let out = folder.appendingPathComponent("g.sqlite").path
        try TermIndex.build(from: [repoGlossary("news-fr-en.csv")], to: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let bad = TestPaths.fixture("terminology/unterminated-quote.csv").path
        XCTAssertThrowsError(try TermIndex.build(from: [repoGlossary("organisations.csv"), bad], to: out)) { error in
            XCTAssertEqual((error as? TermbaseError)?.location.line, 3, "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["g.sqlite"])
        let fresh = folder.appendingPathComponent("new.sqlite").path
        XCTAssertThrowsError(try TermIndex.build(from: [TestPaths.fixture("terminology/langset-without-lang.tbx").path], to: fresh))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
    }

    func testSomethingElseIsNotOpenedAsAnIndex() throws {
        let folder = TestPaths.temporaryFolder()
        let other = folder.appendingPathComponent("other.sqlite").path
        _ = FileManager.default.createFile(atPath: other, contents: Data("not a database at all".utf8))
        XCTAssertThrowsError(try TermIndex(path: other)) { error in
            XCTAssertEqual((error as? LocatedError)?.location.file, other)
        }
    }

    func testTBXInputsAreIndexedToo() throws {
        let out = TestPaths.temporaryFolder().appendingPathComponent("c.sqlite").path
        let report = try TermIndex.build(from: [repoGlossary("countries.tbx")], to: out)
        XCTAssertEqual(report.languages.count, 10)
        let g = Glossary(stores: [try TermIndex(path: out)])
        XCTAssertEqual(try g.lookup("Allemagne", from: "fr").first?.concept.preferredTerm(in: "uk")?.text, "Німеччина")
    }
}
