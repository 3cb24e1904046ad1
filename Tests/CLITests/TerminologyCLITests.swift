import Foundation
import TestSupport
import XCTest

final class LookupCommandTests: XCTestCase {
    func testFindsAFoldedTermWithItsEnglishEquivalentsAndStatuses() throws {
        let r = try VersoCommand.run(["lookup", "bielorussie", "--from", "fr", "--to", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("Biélorussie (fr, exact) — concept country-BY"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  en: Belarus (preferred)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  en: White Russia (forbidden)"), r.stdout)
        XCTAssertFalse(r.stdout.contains("  fr: "), "only the target language is listed")
    }

    func testElisionAndInflectionForms() throws {
        for (query, expected) in [("l'OTAN", "  en: NATO (preferred)"), ("d'Ukraine", "  en: Ukraine (preferred)"), ("biélorusses", "  en: Belarusian (preferred)"), ("cessezlefeu", "  en: ceasefire (preferred)")] {
            let r = try VersoCommand.run(["lookup", query, "--from", "fr", "--to", "en"])
            XCTAssertEqual(r.status, 0, "\(query): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains(expected), "\(query): \(r.stdout)")
        }
        let inflected = try VersoCommand.run(["lookup", "biélorusses", "--source", "fr", "--target", "de"])
        XCTAssertTrue(inflected.stdout.hasPrefix("biélorusse (fr, inflected)"), inflected.stdout)
        XCTAssertTrue(inflected.stdout.contains("  de: belarussisch (preferred)"), inflected.stdout)
    }

    func testSeveralWordsAreOneTerm() throws {
        let r = try VersoCommand.run(["lookup", "chef", "de", "l’Etat", "--from", "fr", "--to", "es"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("  es: jefe de Estado (preferred)"), r.stdout)
    }

    func testNothingFoundExitsOne() throws {
        let r = try VersoCommand.run(["lookup", "zzyzx", "--from", "fr", "--to", "en"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("no concept found for 'zzyzx' in fr"), r.stderr)
    }

    func testJSONOutputForScripts() throws {
        let r = try VersoCommand.run(["lookup", "Loukachneko", "--from", "fr", "--to", "en", "--json"])
        XCTAssertEqual(r.status, 0)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        XCTAssertEqual(results.first?["concept"] as? String, "person-Lukashenko")
        XCTAssertEqual(results.first?["match"] as? String, "fuzzy")
        XCTAssertEqual(results.first?["distance"] as? Int, 1)
        let terms = try XCTUnwrap(results.first?["terms"] as? [[String: Any]])
        XCTAssertEqual(terms.first?["text"] as? String, "Alexander Lukashenko")
    }

    func testAConceptSharedByTwoGlossariesIsOneResult() throws {
        // Both shipped glossaries describe org-NATO: listed once, with the terms of both.
        let news = TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv").path
        let orgs = TestPaths.repository.appendingPathComponent("Glossaries/organisations.csv").path
        let r = try VersoCommand.run(["lookup", "OTAN", "--from", "fr", "--to", "en", "--glossary", news, "--glossary", orgs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "concept org-NATO").count - 1, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("concept org-NATO in news-fr-en, organisations"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  en: North Atlantic Treaty Organization (preferred)"), r.stdout)
    }

    func testMissingTermIsAUsageError() throws {
        XCTAssertEqual(try VersoCommand.run(["lookup", "--from", "fr"]).status, 64)
    }

    func testUnreadableGlossaryIsNamed() throws {
        let r = try VersoCommand.run(["lookup", "OTAN", "--from", "fr", "--glossary", "/nonexistent/terms.tbx"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("/nonexistent/terms.tbx: error:"), r.stderr)
    }
}

final class TermsCommandTests: XCTestCase {
    func testEveryNameOfTheArticleIsListedWithItsEnglishEquivalent() throws {
        let r = try VersoCommand.run(["terms", TestPaths.sample("seed-article.fr.txt").path, "--from", "fr", "--to", "en", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let file = try XCTUnwrap((json["files"] as? [[String: Any]])?.first)
        let occurrences = try XCTUnwrap(file["occurrences"] as? [[String: Any]])
        var pairs: [String: String] = [:]
        for o in occurrences {
            let targets = o["targets"] as? [[String: Any]] ?? []
            pairs[o["text"] as! String] = targets.first?["text"] as? String
        }
        let expected = [
            "Vladimir Poutine": "Vladimir Putin", "Poutine": "Vladimir Putin", "Alexandre Loukachenko": "Alexander Lukashenko",
            "Biélorussie": "Belarus", "OTAN": "NATO", "TASS": "TASS", "Tass": "TASS", "BelTA": "BelTA", "chef du Kremlin": "Kremlin leader",
            "mobilisation partielle": "partial mobilisation", "mobilisation": "mobilisation", "Ukraine": "Ukraine", "Russie": "Russia",
            "chef de l’Etat": "head of state", "homologue": "counterpart", "biélorusse": "Belarusian", "russe": "Russian",
            "président de la Russie": "President of Russia", "président biélorusse": "Belarusian President", "agence de presse": "news agency",
            "guerre en Ukraine": "war in Ukraine", "allié": "ally", "militaires": "military", "numéro un": "leader", "presse": "press",
        ]
        for (fr, en) in expected { XCTAssertEqual(pairs[fr], en, fr) }
        let first = try XCTUnwrap(occurrences.first)
        XCTAssertEqual(first["line"] as? Int, 1)
        XCTAssertEqual(first["column"] as? Int, 71)
    }

    func testHumanOutputHasLocationsAndASummary() throws {
        let path = TestPaths.sample("seed-article.fr.txt").path
        let r = try VersoCommand.run(["terms", path, "--from", "fr", "--to", "en"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("\(path):1:71: président de la Russie → President of Russia; Russian President  {term-president-of-Russia, exact}\n"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("\(path): 48 occurrences of 28 concepts\n"), r.stdout)
    }

    func testDiscouragedTermsAreWarningsAndErrorsUnderStrict() throws {
        let path = TestPaths.fixture("terminology/second-article.en.txt").path
        let r = try VersoCommand.run(["terms", path, "--from", "en", "--to", "fr"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(path):1:14: warning: deprecated term 'Kiev' (use 'Kyiv')"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):3:218: warning: forbidden term 'White Russia' (use 'Belarus')"), r.stderr)
        XCTAssertEqual(try VersoCommand.run(["terms", path, "--from", "en", "--strict"]).status, 1)
    }

    func testXLIFFSegmentsAreSearchedOutsideInlineCodes() throws {
        let path = TestPaths.fixture("terminology/article.xlf").path
        let r = try VersoCommand.run(["terms", path, "--to", "en", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let file = try XCTUnwrap((json["files"] as? [[String: Any]])?.first)
        XCTAssertEqual(file["source"] as? String, "fr")
        let occurrences = try XCTUnwrap(file["occurrences"] as? [[String: Any]])
        XCTAssertEqual(occurrences.map { "\($0["segment"]!) \($0["text"]!) \($0["offset"]!)" }, [
            "s1 président biélorusse 3", "s1 OTAN 37", "s2 mobilisation 3", "s2 Biélorussie 29",
        ])
    }

    func testPlainTextNeedsASourceLanguage() throws {
        XCTAssertEqual(try VersoCommand.run(["terms", TestPaths.sample("seed-article.fr.txt").path]).status, 64)
    }

    func testOneBadFileDoesNotStopTheOthers() throws {
        let folder = TestPaths.temporaryFolder()
        let bad = folder.appendingPathComponent("bad.txt")
        try Data([0x41, 0x42, 0xFF, 0x0A]).write(to: bad)
        let good = TestPaths.fixture("terminology/second-article.fr.txt").path
        let r = try VersoCommand.run(["terms", bad.path, good, "--from", "fr", "--to", "en"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(bad.path):1:3: error: invalid UTF-8 byte sequence at byte offset 2"), r.stderr)
        XCTAssertTrue(r.stdout.contains("\(good): 15 occurrences"), r.stdout)
    }

    func testInvalidUTF8IsReportedAsSegmentReportsIt() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.txt")
        try Data([0x48, 0x69, 0x2E, 0x0A, 0x20, 0xC3, 0x28, 0x2E]).write(to: bad)
        let terms = try VersoCommand.run(["terms", bad.path, "--from", "fr", "--to", "en"])
        let segment = try VersoCommand.run(["segment", "--lang", "fr", bad.path])
        XCTAssertEqual(terms.status, 1)
        let line = "\(bad.path):2:2: error: invalid UTF-8 byte sequence at byte offset 5; give the file's encoding with --encoding (e.g. --encoding windows-1252)"
        XCTAssertTrue(terms.stderr.contains(line), terms.stderr)
        XCTAssertTrue(segment.stderr.contains(line), segment.stderr)
    }
}

final class GlossaryIndexCommandTests: XCTestCase {
    func testIndexIsBuiltAndServesLookupAndTerms() throws {
        let folder = TestPaths.temporaryFolder()
        let index = folder.appendingPathComponent("news.sqlite").path
        let news = TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv").path
        let r = try VersoCommand.run(["glossary", "index", news, "-o", index])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("\(index): 37 concepts"), r.stdout)
        let lookup = try VersoCommand.run(["lookup", "bielorussie", "--from", "fr", "--to", "en", "--glossary", index])
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        XCTAssertTrue(lookup.stdout.contains("concept country-BY in news"), lookup.stdout)
        let terms = try VersoCommand.run(["terms", TestPaths.sample("seed-article.fr.txt").path, "--from", "fr", "--to", "en", "--glossary", index])
        XCTAssertEqual(terms.status, 0, terms.stderr)
        XCTAssertTrue(terms.stdout.contains("Biélorussie → Belarus"), terms.stdout)
    }

    func testMalformedInputFailsWithItsLocationAndWritesNothing() throws {
        let folder = TestPaths.temporaryFolder()
        let index = folder.appendingPathComponent("bad.sqlite").path
        let bad = TestPaths.fixture("terminology/unterminated-quote.csv").path
        let r = try VersoCommand.run(["glossary", "index", bad, "-o", index])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(bad):3:4: error: unterminated quoted field"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}

final class BuiltInGlossaryLocationTests: XCTestCase {
    func testFoundFromAnyWorkingDirectory() throws {
        let r = try VersoCommand.run(["lookup", "OTAN", "--from", "fr", "--to", "en"], in: TestPaths.temporaryFolder())
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("NATO"))
    }

    func testFoundBesideAnInstalledCopyOfTheBinary() throws {
        // An installed layout: bin/verso and share/verso/Glossaries.
        let prefix = TestPaths.temporaryFolder("verso-prefix")
        let bin = prefix.appendingPathComponent("bin"), share = prefix.appendingPathComponent("share/verso/Glossaries")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: VersoCommand.executable, to: bin.appendingPathComponent("verso"))
        let custom = "concept_id,fr,en\nx1,Schtroumpf,Smurf\n"
        try custom.write(to: share.appendingPathComponent("only.csv"), atomically: true, encoding: .utf8)
        let r = try VersoCommand.runProcess(bin.appendingPathComponent("verso"), ["lookup", "schtroumpf", "--from", "fr", "--to", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  en: Smurf (preferred)"), r.stdout)
        // VERSO_GLOSSARIES wins over everything.
        let env = TestPaths.temporaryFolder("verso-env")
        try "concept_id,fr,en\ny1,Gaston,Gaston Lagaffe\n".write(to: env.appendingPathComponent("g.csv"), atomically: true, encoding: .utf8)
        let e = try VersoCommand.runProcess(bin.appendingPathComponent("verso"), ["lookup", "gaston", "--from", "fr", "--to", "en"], environment: ["VERSO_GLOSSARIES": env.path])
        XCTAssertTrue(e.stdout.contains("Gaston Lagaffe"), e.stdout + e.stderr)
    }
}
