import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

/// Reading a termbase for some languages only (`LanguageScope`) gives the concepts of a whole
/// read, in the same places, with the sections of those languages.
final class LanguageScopeTests: XCTestCase {
    private func okapi(_ name: String) -> String { TestPaths.sharedFile("standards/conformance/okapi/tbx/\(name)").path }
    private func fixture(_ name: String) -> String { TestPaths.fixture("terminology/\(name)").path }

    /// `concepts` with only the sections `scope` keeps.
    private func restricted(_ concepts: [Concept], to scope: LanguageScope) -> [Concept] {
        concepts.map { c in
            var c = c
            c.languageSections = c.languageSections.filter { scope.includes($0.language) }
            return c
        }
    }

    /// Every scope of one and two languages of the file, and one naming no language of it.
    private func scopes(of tb: Termbase) -> [LanguageScope] {
        var primaries: [String] = []
        for l in tb.languages.map(LanguageTag.primary) where !primaries.contains(l) { primaries.append(l) }
        var out = primaries.map { LanguageScope([$0]) } + [LanguageScope(["xx"])]
        for (i, a) in primaries.enumerated() { for b in primaries.dropFirst(i + 1) { out.append(LanguageScope([a, b])) } }
        return out
    }

    private func assertScopedReadsMatch(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (whole, wholeFindings) = try TermbaseFile.read(path: path)
        XCTAssertFalse(whole.concepts.isEmpty, path, file: file, line: line)
        for scope in scopes(of: whole) {
            let (part, findings) = try TermbaseFile.read(path: path, scope: scope)
            XCTAssertEqual(part.concepts, restricted(whole.concepts, to: scope), "\(path) \(scope)", file: file, line: line)
            XCTAssertEqual(part.name, whole.name, file: file, line: line)
            XCTAssertEqual(part.language, whole.language, file: file, line: line)
            // Problems of the languages read are still reported, never new ones.
            for f in findings { XCTAssertTrue(wholeFindings.contains(f), "\(path): \(f)", file: file, line: line) }
        }
    }

    func testScopedReadsOfTBXFilesKeepEveryConceptWithTheSectionsOfTheScope() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.sharedFile("standards/conformance/okapi/tbx").path).filter { $0.hasSuffix(".tbx") }
        XCTAssertFalse(names.isEmpty)
        for name in names { try assertScopedReadsMatch(okapi(name)) }
        try assertScopedReadsMatch(fixture("tbx2019-dca.tbx"))
        try assertScopedReadsMatch(fixture("tbx2019-dct.tbx"))
        try assertScopedReadsMatch(TestPaths.repository.appendingPathComponent("Glossaries/countries.tbx").path)
    }

    func testScopedReadsOfCSVFilesKeepEveryConceptWithTheColumnsOfTheScope() throws {
        for name in ["news-fr-en.csv", "organisations.csv"] {
            try assertScopedReadsMatch(TestPaths.repository.appendingPathComponent("Glossaries/\(name)").path)
        }
        try assertScopedReadsMatch(fixture("quoted.csv"))
        try assertScopedReadsMatch(fixture("glossary.tsv"))
        try assertScopedReadsMatch(CSVTermbaseTests.generated)
    }

    func testATBXEntryWithTermsOnlyOutsideTheScopeIsKeptWithoutSections() throws {
        let tbx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <martif type="TBX-Basic" xml:lang="en"><text><body>
        <termEntry id="de-only"><note>kept</note>
          <langSet xml:lang="de"><ntig><termGrp><term>Haus</term></termGrp></ntig></langSet>
        </termEntry>
        <termEntry id="empty-de">
          <langSet xml:lang="de"><tig><term> </term><term>Zweiter</term></tig></langSet>
        </termEntry>
        <termEntry id="both">
          <langSet xml:lang="de-AT"><tig><term>Erdäpfel</term></tig></langSet>
          <langSet xml:lang="fr"><tig><term>pomme de terre</term></tig></langSet>
        </termEntry>
        </body></text></martif>
        """
        let reader = try TBXReader(bytes: Array(tbx.utf8), displayPath: "inline.tbx", scope: LanguageScope(["fr", "en"]))
        let concepts = try reader.readAll()
        XCTAssertEqual(concepts.map(\.id), ["de-only", "both"])
        XCTAssertEqual(concepts[0].languageSections, [])
        XCTAssertEqual(concepts[0].notes, ["kept"])
        XCTAssertEqual(concepts[1].languages, ["fr"])
        // The entry whose only (first) term is empty gives no term in any scope, as a whole read says.
        XCTAssertEqual(reader.findings.map(\.message), ["entry 'empty-de' has no term; skipped"])
        let whole = try TBXReader(bytes: Array(tbx.utf8), displayPath: "inline.tbx").readAll()
        XCTAssertEqual(whole.map(\.id), ["de-only", "both"])
    }

    func testACSVRowWithTermsOnlyOutsideTheScopeIsKeptWithoutSections() throws {
        let folder = TestPaths.temporaryFolder("verso-scope")
        let path = folder.appendingPathComponent("rows.csv").path
        try "concept_id,definition,fr,en,de,de_note\nc1,only German,,,Haus,a note\nc2,,,, ,\nc3,,chat,cat,Katze,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (tb, findings) = try CSVTermbaseReader.read(path: path, scope: LanguageScope(["fr", "en"]))
        XCTAssertEqual(tb.concepts.map(\.id), ["c1", "c3"])
        XCTAssertEqual(tb.concepts[0].languageSections, [])
        XCTAssertEqual(tb.concepts[0].definition, "only German")
        XCTAssertEqual(tb.concepts[1].languages, ["fr", "en"])
        XCTAssertEqual(findings.map(\.message), ["row without any term; skipped"])
    }

    func testErrorsOutsideTheScopeAreReportedAsInAWholeRead() throws {
        let broken = """
        <?xml version="1.0" encoding="UTF-8"?>
        <martif type="TBX-Basic" xml:lang="en"><text><body>
        <termEntry id="a"><langSet xml:lang="fr"><tig><term>chat</term></tig></langSet>
          <langSet xml:lang="de"><tig><term>Katze</tig></langSet>
        </termEntry>
        </body></text></martif>
        """
        func message(_ scope: LanguageScope) -> String? {
            do {
                _ = try TBXReader(bytes: Array(broken.utf8), displayPath: "broken.tbx", scope: scope).readAll()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let whole = try XCTUnwrap(message(.all))
        XCTAssertTrue(whole.hasPrefix("broken.tbx:4:"), whole)
        XCTAssertEqual(message(LanguageScope(["fr"])), whole)
        for name in ["truncated.tbx", "langset-without-lang.tbx"] {
            var errors: [String] = []
            for scope in [LanguageScope.all, LanguageScope(["fr"]), LanguageScope(["xx"])] {
                do {
                    _ = try TBXReader.read(path: fixture(name), scope: scope)
                    errors.append("no error")
                } catch {
                    errors.append("\(error)")
                }
            }
            XCTAssertNotEqual(errors[0], "no error", name)
            XCTAssertEqual(Set(errors).count, 1, "\(name): \(errors)")
        }
    }

    func testBuiltInGlossariesReadForAPairRecogniseAsTheWholeSet() throws {
        let whole = try BuiltInGlossaries.load(BuiltInGlossaries.files)
        let scope = LanguageScope(["fr", "en"])
        let pair = try BuiltInGlossaries.load(BuiltInGlossaries.files, scope: scope)
        XCTAssertEqual(pair.map(\.concepts), whole.map { restricted($0.concepts, to: scope) })
        let text = try String(contentsOf: TestPaths.sample("seed-article.fr.txt"), encoding: .utf8)
        let all = try TermRecognizer(glossary: Glossary(stores: whole.map { InMemoryTermStore($0) }), language: "fr").occurrences(in: text)
        let scoped = try TermRecognizer(glossary: Glossary(stores: pair.map { InMemoryTermStore($0) }), language: "fr").occurrences(in: text)
        XCTAssertGreaterThan(all.count, 10)
        XCTAssertEqual(scoped.map(\.utf16Offset), all.map(\.utf16Offset))
        XCTAssertEqual(scoped.map(\.concept.id), all.map(\.concept.id))
        XCTAssertEqual(scoped.map(\.glossary), all.map(\.glossary))
        XCTAssertEqual(scoped.map { $0.terms(in: "en") }, all.map { $0.terms(in: "en") })
        XCTAssertEqual(scoped.map(\.concept), restricted(all.map(\.concept), to: scope))
    }

    func testScopesCompareByPrimaryLanguage() {
        let scope = LanguageScope(["fr-CA", "EN_gb"])
        XCTAssertTrue(scope.includes("fr"))
        XCTAssertTrue(scope.includes("en-US"))
        XCTAssertFalse(scope.includes("de"))
        XCTAssertTrue(LanguageScope.all.includes("de"))
        XCTAssertTrue(scope.isSubset(of: .all))
        XCTAssertFalse(LanguageScope.all.isSubset(of: scope))
        XCTAssertTrue(LanguageScope(["fr"]).isSubset(of: scope))
    }
}
