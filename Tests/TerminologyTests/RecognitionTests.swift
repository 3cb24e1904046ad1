import Diagnostics
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class RecognitionTests: XCTestCase {
    static let builtIn: Glossary = try! BuiltInGlossaries.glossary()
    static let french: TermRecognizer = try! TermRecognizer(glossary: builtIn, language: "fr")
    static let english: TermRecognizer = try! TermRecognizer(glossary: builtIn, language: "en")

    private func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    private func found(_ occurrences: [TermOccurrence], to target: String) -> [String] {
        occurrences.map { "\($0.text) → \($0.concept.preferredTerm(in: target)?.text ?? "?")" }
    }

    func testEveryNameAndTermOfTheSampleArticleIsFoundWithItsEnglishEquivalent() throws {
        let article = try text(TestPaths.sample("seed-article.fr.txt"))
        let occurrences = try Self.french.occurrences(in: article)
        XCTAssertEqual(found(occurrences, to: "en"), [
            "président de la Russie → President of Russia", "Vladimir Poutine → Vladimir Putin",
            "mobilisation partielle → partial mobilisation", "citoyens → citizen", "Ukraine → Ukraine",
            "tollé → outcry", "Russie → Russia", "Vladimir Poutine → Vladimir Putin", "homologue → counterpart",
            "biélorusse → Belarusian", "Alexandre Loukachenko → Alexander Lukashenko", "agence de presse → news agency",
            "TASS → TASS", "chef de l’Etat → head of state", "biélorusse → Belarusian", "homologue → counterpart",
            "russe → Russian", "président biélorusse → Belarusian President", "protestations → protest",
            "Tass → TASS", "Alexandre Loukachenko → Alexander Lukashenko", "Biélorussie → Belarus",
            "mobilisation partielle → partial mobilisation", "chef du Kremlin → Kremlin leader", "numéro un → leader",
            "biélorusse → Belarusian", "mobilisation → mobilisation", "mobilisation → mobilisation", "Russie → Russia",
            "Biélorussie → Belarus", "mobilisation → mobilisation", "Russie → Russia", "mobilisation → mobilisation",
            "président biélorusse → Belarusian President", "presse → press", "BelTA → BelTA",
            "Alexandre Loukachenko → Alexander Lukashenko", "allié → ally", "Vladimir Poutine → Vladimir Putin",
            "guerre en Ukraine → war in Ukraine", "chef de l’Etat → head of state", "russe → Russian",
            "confrontation directe → direct confrontation", "OTAN → NATO", "confrontation mondiale → global confrontation",
            "OTAN → NATO", "Poutine → Vladimir Putin", "militaires → military",
        ])
        // Offsets are UTF-16 offsets into the text.
        let units = Array(article.utf16)
        for o in occurrences {
            XCTAssertEqual(String(decoding: units[o.utf16Offset..<(o.utf16Offset + o.utf16Length)], as: UTF16.self), o.text)
        }
        XCTAssertEqual(occurrences.first { $0.text == "citoyens" }?.kind, .inflected)
        XCTAssertEqual(occurrences.first { $0.text == "Biélorussie" }?.kind, .exact)
        XCTAssertTrue(occurrences.allSatisfy { !$0.isDiscouraged })
    }

    func testEveryEntityOfTheArticleIsFoundInItsEnglishTranslation() throws {
        let translation = try text(TestPaths.sample("seed-article.en.txt"))
        let occurrences = try Self.english.occurrences(in: translation)
        XCTAssertEqual(found(occurrences, to: "fr"), [
            "Russian President → président de la Russie", "Vladimir Putin → Vladimir Poutine",
            "partial mobilisation → mobilisation partielle", "citizens → citoyen", "Ukraine → Ukraine", "outcry → tollé",
            "Russia → Russie", "Vladimir Putin → Vladimir Poutine", "Belarusian → biélorusse", "counterpart → homologue",
            "Alexander Lukashenko → Alexandre Loukachenko", "news agency → agence de presse", "TASS → TASS",
            "Belarusian → biélorusse", "head of state → chef de l'État", "Russian → russe", "counterpart → homologue",
            "Belarusian president → président biélorusse", "protests → protestation", "TASS → TASS",
            "Alexander Lukashenko → Alexandre Loukachenko", "Belarus → Biélorussie", "Kremlin leader → chef du Kremlin",
            "partial mobilisation → mobilisation partielle", "Belarusian → biélorusse", "leader → numéro un",
            "mobilisation → mobilisation", "mobilisation → mobilisation", "Russia → Russie", "Belarus → Biélorussie",
            "mobilisation → mobilisation", "Russia → Russie", "mobilisation → mobilisation",
            "Belarusian president → président biélorusse", "press → presse", "BelTA → BelTA", "Lukashenko → Alexandre Loukachenko",
            "ally → allié", "Vladimir Putin → Vladimir Poutine", "war in Ukraine → guerre en Ukraine", "Russian → russe",
            "head of state → chef de l'État", "direct confrontation → confrontation directe", "NATO → OTAN",
            "global confrontation → confrontation mondiale", "NATO → OTAN", "Putin → Vladimir Poutine", "military → militaire",
        ])
    }

    func testASecondFrenchTextHasNoFalsePositives() throws {
        let article = try text(TestPaths.fixture("terminology/second-article.fr.txt"))
        let occurrences = try Self.french.occurrences(in: article)
        XCTAssertEqual(occurrences.map { "\($0.text) = \($0.concept.id)" }, [
            "Conseil de l'Europe = org-CouncilOfEurope", "Union européenne = org-EU", "président = term-president",
            "ukrainien = term-Ukrainian", "Volodymyr Zelensky = person-Zelensky", "OTAN = org-NATO", "Kiev = city-Kyiv",
            "mobilisation = term-mobilisation", "ONU = org-UN", "Conseil de sécurité = org-UNSC", "Russie = country-RU",
            "chefs d'État = term-head-of-state", "UE = org-EU", "Biélorusses = term-Belarusian", "presse = term-press",
        ])
        XCTAssertEqual(occurrences.first { $0.text == "chefs d'État" }?.kind, .inflected)
    }

    func testASecondEnglishTextKeepsAcronymsAndNamesApartFromOrdinaryWords() throws {
        let article = try text(TestPaths.fixture("terminology/second-article.en.txt"))
        let occurrences = try Self.english.occurrences(in: article)
        // Not found: "Who" (WHO), "turkey", "us" (US), "china", "jersey" in lower case.
        XCTAssertEqual(occurrences.map { "\($0.text) = \($0.concept.id)" }, [
            "Kiev = city-Kyiv", "Ukraine war = term-war-in-Ukraine", "World Health Organization = org-WHO",
            "UN = org-UN", "EU = org-EU", "Belarusian = term-Belarusian", "leader = term-leader", "Nato = org-NATO",
            "White Russia = country-BY", "Georgia = country-GE", "president = term-president", "counterpart = term-counterpart",
        ])
        let warnings = occurrences.compactMap { $0.discouragedTermFinding(at: nil) }.map(\.message)
        XCTAssertEqual(warnings, ["deprecated term 'Kiev' (use 'Kyiv')", "forbidden term 'White Russia' (use 'Belarus')"])
    }

    func testLongestMatchWinsAndNestedMatchesAreAvailable() throws {
        let text = "La mobilisation partielle a été décrétée."
        XCTAssertEqual(try Self.french.occurrences(in: text).map(\.text), ["mobilisation partielle"])
        let all = try Self.french.occurrences(in: text, overlapping: true)
        XCTAssertEqual(all.map(\.text), ["mobilisation partielle", "mobilisation"])
        XCTAssertEqual(all.map(\.utf16Offset), [3, 3])
    }

    func testTermsInsideInlineCodesAreIgnoredAndStandaloneCodesBreakTerms() throws {
        let bold = InlineCode(kind: .opening, id: "1", originalData: "<b>")
        let boldEnd = InlineCode(kind: .closing, id: "1", originalData: "</b>")
        let image = InlineCode(kind: .standalone, id: "2", originalData: "<img alt=\"OTAN\"/>")
        var content = Content()
        content.append(.text("La "))
        content.append(.code(bold))
        content.append(.text("mobilisation"))
        content.append(.code(boldEnd))
        content.append(.text(" partielle "))
        content.append(.code(image))
        content.append(.text(" et la mobilisation"))
        content.append(.code(image))
        content.append(.text("partielle en Russie."))
        let occurrences = try Self.french.occurrences(in: content)
        // The paired <b> code does not break "mobilisation partielle"; the <img/> between
        // "mobilisation" and "partielle" does, and "OTAN" inside the code is not text.
        XCTAssertEqual(occurrences.map(\.text), ["mobilisation partielle", "mobilisation", "Russie"])
        XCTAssertEqual(occurrences.map(\.utf16Offset), [3, 33, 58])
        XCTAssertEqual(content.plainText.utf16.count, 65)
    }

    func testAWordThatIsNoTermsWordBreaksAMultiWordTerm() throws {
        // "zorglub" is in no term: "mobilisation … partielle" is not the two-word term.
        let text = "La mobilisation zorglub partielle, la mobilisation partielle."
        XCTAssertEqual(try Self.french.occurrences(in: text).map(\.text), ["mobilisation", "mobilisation partielle"])
        XCTAssertEqual(try Self.french.occurrences(in: text).map(\.utf16Offset), [3, 38])
    }

    func testWordsOfNoTermBreakTermsAndKeepOffsetsWhateverTheirScript() throws {
        // Words of no term, which the scanner passes over: read by its fast path (ASCII and
        // Latin-1 letters) or its general one (digits, a ligature, Greek, letters outside the
        // BMP, a combining accent), each breaks the term around it, and the offsets after it
        // stay right; so do elisions and the case rule of an acronym after it.
        for word in ["zorglub", "Zorglubé", "qz", "zorg2lub", "œzorg", "Ζορκ", "𝒵org", "zorge\u{301}", "ZORGLUB"] {
            var text = "Le 𝒜 " + word + " la "
            let first = text.utf16.count
            text += "mobilisation " + word + " partielle " + word + ", la "
            let second = text.utf16.count
            text += "mobilisation partielle " + word + " l’"
            let third = text.utf16.count
            text += "OTAN " + word + " l'otan " + word
            let occurrences = try Self.french.occurrences(in: text)
            XCTAssertEqual(occurrences.map(\.text), ["mobilisation", "mobilisation partielle", "OTAN"], word)
            XCTAssertEqual(occurrences.map(\.utf16Offset), [first, second, third], word)
        }
    }

    func testWordsFoundOnlyInsideTermsAreMatchedWhereATermReachesThem() throws {
        // `de` and `monétaire` start no term: after a word passed over, after punctuation or
        // first in the text they are passed over too, and terms around them are found as
        // before; after a word that may start a term they are kept. `conseils` is found through
        // its stem (a shorter vocabulary word starts like it).
        var concepts: [Concept] = []
        for (k, term) in ["conseil de sécurité", "sécurité", "fonds monétaire international", "paix"].enumerated() {
            concepts.append(Concept(id: "c\(k)", languageSections: [LanguageSection(language: "fr", terms: [Term(term)]), LanguageSection(language: "en", terms: [Term("t\(k)")])]))
        }
        let recognizer = try TermRecognizer(glossary: Glossary(stores: [InMemoryTermStore(Termbase(name: "inner", concepts: concepts))]), language: "fr")
        func found(_ text: String, overlapping: Bool = false) throws -> [String] {
            try recognizer.occurrences(in: text, overlapping: overlapping).map { "\($0.concept.id)@\($0.utf16Offset)" }
        }
        XCTAssertEqual(try found("de conseil de sécurité"), ["c0@3"])
        XCTAssertEqual(try found("zorglub de sécurité"), ["c1@11"])
        XCTAssertEqual(try found("conseil, de sécurité"), ["c1@12"])
        XCTAssertEqual(try found("conseil de de sécurité"), ["c1@14"])
        XCTAssertEqual(try found("Le conseils de sécurité de paix."), ["c0@3", "c3@27"])
        XCTAssertEqual(try found("fonds monétaire international monétaire international fonds, monétaire international"), ["c2@0"])
        XCTAssertEqual(try found("monétaire de conseil de sécurité", overlapping: true), ["c0@13", "c1@24"])
        XCTAssertEqual(try found("de paix de paix, de"), ["c3@3", "c3@11"])
    }

    func testEveryTermOfTheBuiltInGlossariesIsFoundWhereItIsWritten() throws {
        // Every word of a recognizer's vocabulary, whatever its length and its first units,
        // is looked up: each term (that no punctuation splits) is found in a text holding it,
        // in several scripts. (Its concept: of two spellings that fold alike, `Kyiv` and
        // `Kyïv`, one is reported.)
        for language in ["fr", "en", "de", "ru", "uk", "es"] {
            let recognizer = try TermRecognizer(glossary: Self.builtIn, language: language)
            var checked = 0
            for (si, store) in Self.builtIn.stores.enumerated() {
                try store.forEachTerm(language: language) { ref, text, _ in
                    let tokens = Tokenizer.tokens(of: text)
                    guard !tokens.isEmpty, !tokens.contains(where: { $0.gapBefore == .barrier }) else { return }
                    let matches = try recognizer.matches(in: "« " + text + " »")
                    XCTAssertTrue(matches.contains { $0.store == si && $0.ref.concept == ref.concept }, "\(language): \(text)")
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 50, language)
        }
    }

    func testLongWordsAreFoundExactlyAndInflected() throws {
        // Words of 9 to 25 units, whose lookup folds several groups of four units together.
        let words = ["anticonstitutionnellement", "intergouvernementale", "désinstitutionnalisation", "radiodiffusion", "télécommunication", "hydroélectrique"]
        var concepts: [Concept] = []
        for (k, w) in words.enumerated() {
            concepts.append(Concept(id: "c\(k)", languageSections: [LanguageSection(language: "fr", terms: [Term(w + " " + words[(k + 1) % words.count])]), LanguageSection(language: "en", terms: [Term("t\(k)")])]))
        }
        let recognizer = try TermRecognizer(glossary: Glossary(stores: [InMemoryTermStore(Termbase(name: "long", concepts: concepts))]), language: "fr")
        for (k, w) in words.enumerated() {
            let term = w + " " + words[(k + 1) % words.count]
            let exact = try recognizer.occurrences(in: "Le " + term.uppercased() + " !")
            XCTAssertEqual(exact.map(\.concept.id), ["c\(k)"], term)
            XCTAssertEqual(exact.first?.kind, .exact, term)
            let plural = try recognizer.occurrences(in: "Des " + w + "s " + words[(k + 1) % words.count] + "s.")
            XCTAssertEqual(plural.map(\.concept.id), ["c\(k)"], term)
            XCTAssertEqual(plural.first?.kind, .inflected, term)
            // One unit more, or one changed, is another word.
            XCTAssertEqual(try recognizer.occurrences(in: w + "q " + words[(k + 1) % words.count]).count, 0, term)
            XCTAssertEqual(try recognizer.occurrences(in: "z" + w.dropFirst() + " " + words[(k + 1) % words.count]).count, 0, term)
        }
    }

    func testLongTextsAreMatchedAcrossWindowBoundaries() throws {
        // 7 words per sentence × 1,500: matches straddle the recognizer's 4,096-word windows.
        let sentence = "La mobilisation partielle touche la Biélorussie aussi. "
        let text = String(repeating: sentence, count: 1_500)
        let occurrences = try Self.french.occurrences(in: text)
        XCTAssertEqual(occurrences.count, 3_000)
        let step = sentence.utf16.count
        for (k, o) in occurrences.enumerated() {
            XCTAssertEqual(o.utf16Offset, (k / 2) * step + (k % 2 == 0 ? 3 : 36), "\(k)")
            XCTAssertEqual(o.text, k % 2 == 0 ? "mobilisation partielle" : "Biélorussie")
        }
    }

    func testLargeTextsAreCutAtPunctuationAndMatchedInParallelWithTheSameResult() throws {
        let sentence = "La mobilisation partielle touche la Biélorussie aussi. "
        let repeats = (2 << 20) / sentence.utf16.count + 10
        let units = Array(String(repeating: sentence, count: repeats).utf16)
        try units.withUnsafeBufferPointer { buf in
            let chunks = TermRecognizer.chunks(of: buf)
            if ProcessInfo.processInfo.activeProcessorCount > 1 {
                XCTAssertGreaterThan(chunks.count, 1)
                for c in chunks.dropLast() { XCTAssertEqual(buf[c.upperBound - 1], 0x2E) } // cut after "."
            }
            XCTAssertEqual(chunks.first?.lowerBound, 0)
            XCTAssertEqual(chunks.last?.upperBound, buf.count)
            let matches = try Self.french.matches(in: buf)
            XCTAssertEqual(matches.count, 2 * repeats)
            let step = sentence.utf16.count
            for (k, m) in matches.enumerated() where k % 997 == 0 || k == matches.count - 1 {
                XCTAssertEqual(m.utf16Offset, (k / 2) * step + (k % 2 == 0 ? 3 : 36), "\(k)")
            }
            XCTAssertEqual(try Self.french.countMatches(in: buf), matches.count)
        }
    }

    func testRecognitionWorksFromAnyLanguage() throws {
        let russian = try TermRecognizer(glossary: Self.builtIn, language: "ru")
        let occurrences = try russian.occurrences(in: "Лукашенко заявил, что в Белоруссии мобилизации не будет, сообщает БелТА.")
        XCTAssertEqual(occurrences.map { $0.concept.preferredTerm(in: "en")?.text ?? "" }, ["Alexander Lukashenko", "Belarus", "mobilisation", "BelTA"])
        let german = try TermRecognizer(glossary: Self.builtIn, language: "de")
        XCTAssertEqual(try german.occurrences(in: "Die NATO und die Verbündeten der Ukraine.").map(\.text), ["NATO", "Verbündeten", "Ukraine"])
    }

    func testAConceptSharedByTwoGlossariesIsOneOccurrenceBesideOthers() throws {
        // org-NATO is in both files, read here as two termbases (not merged on loading): one
        // occurrence with the terms of both; the spans around it stay one occurrence each.
        let news = try TermbaseFile.read(path: TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv").path).0
        let orgs = try TermbaseFile.read(path: TestPaths.repository.appendingPathComponent("Glossaries/organisations.csv").path).0
        let recognizer = try TermRecognizer(glossary: Glossary(stores: [InMemoryTermStore(news), InMemoryTermStore(orgs)]), language: "fr")
        let occurrences = try recognizer.occurrences(in: Content("La Russie, l’OTAN et la Biélorussie."))
        XCTAssertEqual(occurrences.map(\.text), ["Russie", "OTAN", "Biélorussie"])
        XCTAssertEqual(occurrences.map(\.concept.id), ["country-RU", "org-NATO", "country-BY"])
        let nato = occurrences[1]
        XCTAssertEqual(nato.glossary, news.name)
        XCTAssertTrue(nato.concept.terms(in: "en").contains { $0.text == "North Atlantic Treaty Organization" }, "\(nato.concept.terms(in: "en").map(\.text))")
        XCTAssertTrue(nato.concept.terms(in: "en").contains { $0.text == "NATO" })
    }
}
