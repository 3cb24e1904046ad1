import TestSupport
import XCTest
@testable import Terminology

final class FoldingTests: XCTestCase {
    func testFoldsCaseAccentsLigaturesAndApostrophes() {
        XCTAssertEqual(TextFolding.fold("Biélorussie"), "bielorussie")
        XCTAssertEqual(TextFolding.fold("L’OTAN"), "l otan")
        XCTAssertEqual(TextFolding.fold("d'Ukraine"), "d ukraine")
        XCTAssertEqual(TextFolding.fold("Œuvre ÆSIR Straße"), "oeuvre aesir strasse")
        XCTAssertEqual(TextFolding.fold("Saint-Pétersbourg"), "saint petersbourg")
        XCTAssertEqual(TextFolding.fold("Łódź"), "lodz")
        XCTAssertEqual(TextFolding.fold("ΣΟΦΟΣ"), "σοφοσ")
        XCTAssertEqual(TextFolding.fold("Объединённых"), "объединенных")
        // й is a letter of its own in Russian and Ukrainian, not an accented и.
        XCTAssertEqual(TextFolding.fold("Белорусский"), "белорусский")
        XCTAssertEqual(TextFolding.fold("e\u{301}te\u{301}"), "ete") // decomposed accents
        XCTAssertEqual(TextFolding.fold("anti\u{AD}corruption"), "anticorruption") // soft hyphen
    }

    func testTokensCarryUTF16OffsetsCaseAndGaps() {
        let tokens = Tokenizer.tokens(of: "😀 l’OTAN, Saint-Pétersbourg")
        XCTAssertEqual(tokens.map(\.folded), ["l", "otan", "saint", "petersbourg"])
        XCTAssertEqual(tokens.map(\.utf16Offset), [3, 5, 11, 17])
        XCTAssertEqual(tokens.map(\.letterCase), [.lower, .upper, .title, .title])
        XCTAssertEqual(tokens.map(\.gapBefore), [.start, .apostrophe, .barrier, .hyphen])
    }

    func testWordsOfEveryLengthKeepTheirCaseWhereverTheyEnd() {
        // Words of 1 to 11 letters, so that every word ends at another place of the scanner's
        // groups of four units, each before a space, punctuation, an apostrophe, a hyphen and
        // the end of the text, in every letter case; and with an accented letter at each place.
        let ends = [" x", ". x", "’x", "-x", ""]
        for length in 1...11 {
            let lower = String("abcdefghijk".prefix(length))
            let cases: [(String, LetterCase)] = [
                (lower, .lower), (lower.uppercased(), .upper),
                (lower.prefix(1).uppercased() + lower.dropFirst(), length == 1 ? .upper : .title),
                (String(lower.dropLast()) + lower.suffix(1).uppercased(), length == 1 ? .upper : .mixed),
            ]
            for (word, letterCase) in cases {
                for end in ends {
                    let tokens = Tokenizer.tokens(of: word + end)
                    XCTAssertEqual(tokens.first?.folded, lower, "\(word + end)")
                    XCTAssertEqual(tokens.first?.utf16Length, length, "\(word + end)")
                    XCTAssertEqual(tokens.first?.letterCase, letterCase, "\(word + end)")
                    XCTAssertEqual(tokens.count, end.isEmpty ? 1 : 2, "\(word + end)")
                }
            }
            for k in 0..<length {
                var units = Array(lower.utf16)
                units[k] = 0xE9 // é
                let word = String(decoding: units, as: UTF16.self)
                var expected = Array(lower.utf16)
                expected[k] = 0x65
                let tokens = Tokenizer.tokens(of: "Le " + word.uppercased() + " et")
                XCTAssertEqual(tokens.map(\.folded), ["le", String(decoding: expected, as: UTF16.self), "et"], word)
                XCTAssertEqual(tokens[1].letterCase, .upper, word)
            }
        }
        // Digits and a ligature inside an ASCII word: one token.
        XCTAssertEqual(Tokenizer.tokens(of: "abcd1234efgh cœurs").map(\.folded), ["abcd1234efgh", "coeurs"])
        // A run of letters longer than the folding buffer is still one token.
        let long = String(repeating: "Abcdefgh", count: 40)
        let tokens = Tokenizer.tokens(of: long + " fin")
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens[0].utf16Length, 320)
        XCTAssertEqual(tokens[0].letterCase, .mixed)
    }

    func testScriptsWithoutCaseAreTokenizedAsWritten() {
        XCTAssertEqual(Tokenizer.tokens(of: "北約 와 NATO").map(\.folded), ["北約", "와", "nato"])
    }

    func testNonBMPLettersStayInsideTokens() {
        let tokens = Tokenizer.tokens(of: "𝒜bc 𠀀x")
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens[1].utf16Offset, 5)
        XCTAssertEqual(tokens[1].utf16Length, 3)
    }

    /// The recognizer skips `stem` for a word whose last unit `mayShorten(endingIn:)` rules
    /// out: every such word must be its own stem, in every language with rules.
    func testStemmingLeavesWordsEndingInAnUnlistedUnitAlone() {
        let letters = Array("aeiosxnmrtyulcdhz".utf16) + Array("аяоеыиьйуюіївхмкч".utf16)
        for language in ["fr", "en", "de", "es", "pt", "it", "nl", "ru", "uk", "pl", "fi"] {
            let stemmer = LightStemmer(language: language)
            // Every word of three to six of these letters drawn from a fixed pseudo-random walk.
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<20_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let count = 3 + Int(state >> 61) % 4
                var units: [UInt16] = []
                for k in 0..<count { units.append(letters[Int((state >> UInt64(8 * k)) & 0xFF) % letters.count]) }
                guard !stemmer.mayShorten(endingIn: units[count - 1]) else { continue }
                var stemmed = units
                XCTAssertEqual(stemmer.stem(&stemmed, count: count), count, "\(language): \(String(decoding: units, as: UTF16.self))")
            }
        }
    }

    /// The recognizer rules out a word's stem by the vocabulary's words of the same first three
    /// units before stemming it, from `keepsFirstThreeUnitsFrom` units on: every rule's stem
    /// of such a word must start with the word's first three units.
    func testStemsOfLongEnoughWordsKeepTheirFirstThreeUnits() {
        let letters = Array("aeiosxnmrtyulcdhz".utf16) + Array("аяоеыиьйуюіївхмкч".utf16)
        // Every suffix some rule tests, so that each rule fires on some words.
        let suffixes = ["aux", "s", "x", "ienne", "enne", "onne", "elle", "ale", "euse", "trice", "ive", "ee", "e",
                        "ies", "eies", "sses", "xes", "ches", "shes", "zzes", "us", "is", "ern", "em", "en", "er", "es", "n",
                        "oes", "aes", "ces", "a", "o", "i", "y", "ami", "ach", "owi", "ego", "emu", "ymi", "imi", "om", "ow",
                        "ie", "ii", "ia", "ym", "im", "ej", "u", "ами", "ями", "ого", "ому", "ими", "ах", "ів", "ою", "ий",
                        "ая", "ої", "ия", "ії", "ка", "ки", "а", "я", "ь", "й", "ю", "ї"].map { Array($0.utf16) }
        for language in ["fr", "en", "de", "es", "pt", "it", "nl", "ru", "uk", "pl"] {
            let stemmer = LightStemmer(language: language)
            XCTAssertLessThanOrEqual(stemmer.keepsFirstThreeUnitsFrom, 6, language)
            var state: UInt64 = 0x2545_F491_4F6C_DD1D
            for _ in 0..<40_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                var units: [UInt16] = []
                for k in 0..<(1 + Int(state >> 60) % 6) { units.append(letters[Int((state >> UInt64(8 * k)) & 0xFF) % letters.count]) }
                units += suffixes[Int((state >> 40) & 0xFFFF) % suffixes.count]
                if state & 1 == 0 { units += suffixes[Int((state >> 24) & 0xFFFF) % suffixes.count] }
                guard units.count >= stemmer.keepsFirstThreeUnitsFrom else { continue }
                var stemmed = units
                let n = stemmer.stem(&stemmed, count: units.count)
                XCTAssertTrue(n >= 3 && stemmed[0..<3] == units[0..<3], "\(language): \(String(decoding: units, as: UTF16.self))")
            }
        }
    }

    /// Words of the scanner's fast path have their case counted when asked: the same case as
    /// counted in `scan` (forced here by a standalone code at the word's start, which sends it there).
    func testFastPathWordsHaveTheCaseTheGeneralPathGives() {
        for word in ["otan", "OTAN", "Otan", "BelTA", "ÉTAT", "État", "état", "ÉtAt", "x", "X", "ǅx", "ĲssEL", "ŁÓDŹ", "Łódź", "ªb", "ºB"] {
            let fast = Tokenizer.tokens(of: " " + word)
            let general = Tokenizer.tokens(of: " " + word, barriers: [1])
            XCTAssertEqual(fast.map(\.letterCase), general.map(\.letterCase), word)
            XCTAssertEqual(fast.map(\.folded), general.map(\.folded), word)
        }
    }

    /// The scanner passes over the words its `keep` refuses, on the fast path and the general
    /// one alike: the words it returns are those a scan keeping every word returns (same place,
    /// gap, folded units, case), each saying whether words were passed over before it.
    func testWordsPassedOverLeaveTheOthersAsAFullScanReadsThem() {
        let texts = [
            "La mobilisation partielle, l’OTAN et l'ONU à Saint-Pétersbourg.",
            "zorglub zorglub Biélorussie zorg2lub cœurs ŒUVRE 1234 x y",
            "😀 l’OTAN, Saint-Pétersbourg 𝒜bc 𠀀x fin",
            "Лукашенко заявил, что в Белоруссии — ΣΟΦΟΣ σοφος; 北約 와 NATO",
            "e\u{301}te\u{301} anti\u{AD}corruption « guillemets » l' apostrophe -tiret- fin'",
            "  espaces   en tête et en fin   ",
            String(repeating: "Abcdefgh", count: 40) + " mot " + String(repeating: "é", count: 300) + " x",
            "a", "", "ab'", "'ab", "-", "x1 y2 z3",
        ]
        // Refusals by length, by content and by place, so that a word is passed over before
        // and after each kind of word and separator.
        let rules: [(String, (ArraySlice<UInt16>, Int) -> Bool)] = [
            ("all", { _, _ in true }), ("none", { _, _ in false }),
            ("odd length", { f, _ in f.count % 2 == 0 }),
            ("with an a", { f, _ in !f.contains(0x61) }),
            ("every other", { _, k in k % 2 == 0 }),
            ("every third", { _, k in k % 3 != 1 }),
        ]
        for text in texts {
            let units = Array(text.utf16)
            for barriers in [[], [3], [0, 5, 17]] where barriers.allSatisfy({ $0 <= units.count }) {
                let storage = ScratchUnits(capacity: TokenScanner.capacity, barriers: barriers)
                var all: [(ScannedToken, [UInt16], LetterCase)] = []
                units.withUnsafeBufferPointer { buf in
                    var scanner = TokenScanner(sortedBarriers: storage.barriers, storage: storage.base)
                    while let t = scanner.next(buf) { all.append((t, Array(scanner.folded), scanner.letterCase(of: t, in: buf))) }
                }
                for (name, rule) in rules {
                    var expected: [(ScannedToken, [UInt16], LetterCase, Bool)] = []
                    var droppedSince = false
                    for (k, a) in all.enumerated() {
                        if rule(a.1[...], k) { expected.append((a.0, a.1, a.2, droppedSince)); droppedSince = false } else { droppedSince = true }
                    }
                    var got: [(ScannedToken, [UInt16], LetterCase, Bool)] = []
                    units.withUnsafeBufferPointer { buf in
                        var scanner = TokenScanner(sortedBarriers: storage.barriers, storage: storage.base)
                        var k = 0
                        var seen: [UInt16] = []
                        while let t = scanner.next(buf, keeping: { f, n in
                            defer { k += 1 }
                            seen = Array(UnsafeBufferPointer(start: f, count: n))
                            let keep = rule(seen[...], k)
                            // What the recognizer does to a word it keeps or not: stem it in place.
                            if n > 1 { f[n - 1] = 0x2A }
                            return keep
                        }) {
                            got.append((t, seen, scanner.letterCase(of: t, in: buf), t.afterDropped))
                        }
                    }
                    let label = "\(name), barriers \(barriers): \(text.prefix(40))"
                    XCTAssertEqual(got.count, expected.count, label)
                    for (g, e) in zip(got, expected) {
                        XCTAssertEqual(g.0.start, e.0.start, label)
                        XCTAssertEqual(g.0.end, e.0.end, label)
                        XCTAssertEqual(g.0.gap, e.0.gap, label)
                        XCTAssertEqual(g.1, e.1, label)
                        XCTAssertEqual(g.2, e.2, label)
                        XCTAssertEqual(g.3, e.3, label)
                    }
                }
            }
        }
    }

    func testLightStemmingMapsInflectionsToOneKey() {
        let fr = LightStemmer(language: "fr")
        XCTAssertEqual(fr.stem("bielorusses"), fr.stem("bielorusse"))
        XCTAssertEqual(fr.stem("partielles"), fr.stem("partielle"))
        XCTAssertEqual(fr.stem("alliees"), fr.stem("allie"))
        XCTAssertEqual(fr.stem("ukrainienne"), fr.stem("ukrainien"))
        XCTAssertEqual(fr.stem("chevaux"), "cheval")
        XCTAssertNotEqual(fr.stem("russie"), fr.stem("russe"))
        let en = LightStemmer(language: "en-GB")
        XCTAssertEqual(en.stem("countries"), "country")
        XCTAssertEqual(en.stem("counterparts"), "counterpart")
        XCTAssertEqual(en.stem("press"), "press")
        XCTAssertEqual(en.stem("crisis"), "crisis")
        let de = LightStemmer(language: "de")
        XCTAssertEqual(de.stem("verbundeten"), de.stem("verbundeter"))
        let es = LightStemmer(language: "es")
        XCTAssertEqual(es.stem("bielorrusas"), es.stem("bielorruso"))
        XCTAssertEqual(es.stem("naciones"), es.stem("nacion"))
        let ru = LightStemmer(language: "ru")
        XCTAssertEqual(ru.stem("белоруссии"), ru.stem("белоруссия"))
        XCTAssertEqual(ru.stem("путина"), ru.stem("путин"))
        XCTAssertNil(LightStemmer(language: "ja").rules)
    }

    func testEditDistanceCountsTranspositions() {
        XCTAssertEqual(editDistance(Array("loukachenko".utf16), Array("loukachneko".utf16), limit: 2), 1)
        XCTAssertEqual(editDistance(Array("otan".utf16), Array("nato".utf16), limit: 1), 2)
        XCTAssertEqual(fuzzyLimit(forLength: 3), 0)
        XCTAssertEqual(fuzzyLimit(forLength: 11), 2)
    }
}
