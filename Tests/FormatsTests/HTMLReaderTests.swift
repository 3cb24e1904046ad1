import Foundation
import XCTest
import TestSupport
import TranslationModel
import Diagnostics
@testable import Formats

final class HTMLReaderTests: XCTestCase {
    private func document(_ html: String) throws -> Document {
        try RoundTrip.read(Array(html.utf8), format: .html)
    }

    private func texts(_ html: String) throws -> [String] {
        try document(html).allUnits.map(\.source.plainText)
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        try InputFile.readBytesForTest(TestPaths.fixture("html/\(name)"))
    }

    static let fixtureNames = ["crlf-uppercase.html", "bom-no-final-newline.html", "entities-comments.html", "odd-markup.html", "latin1-meta.html"]

    func testBlockElementsAreUnitsAndInlineElementsAreCodes() throws {
        let doc = try document("<html><body><h1>Titre</h1><p>Un <b>mot</b> en gras<br>et un <a href=\"/x\">lien</a>.</p></body></html>")
        let units = doc.allUnits
        XCTAssertEqual(units.map(\.source.plainText), ["Titre", "Un mot en grasand un lien.".replacingOccurrences(of: "grasand", with: "graset")])
        let codes = units[1].source.codes
        XCTAssertEqual(codes.map(\.originalData), ["<b>", "</b>", "<br>", "<a href=\"/x\">", "</a>"])
        XCTAssertEqual(codes.map(\.kind), [.opening, .closing, .standalone, .opening, .closing])
        XCTAssertEqual(codes[0].id, codes[1].id)
        XCTAssertEqual(codes[3].id, codes[4].id)
        XCTAssertEqual(codes[3].ctype, "link")
        XCTAssertFalse(codes.contains { $0.isolated })
    }

    func testAltAndTitleAttributesAreUnitsOfTheirOwn() throws {
        let doc = try document("<p title=\"Info bulle\"><img src=\"a.png\" alt=\"Une photo\"> Légende</p>")
        let units = doc.allUnits
        XCTAssertEqual(units.map(\.source.plainText), ["Info bulle", "Une photo", " Légende"], "the space after the leading image belongs to the unit")
        let img = units[2].source.codes.first
        XCTAssertEqual(img?.originalData, "<img src=\"a.png\" alt=\"Une photo\">")
        XCTAssertEqual(img?.subFlows, units[1].id)
    }

    func testScriptStyleAndTranslateNoAreNotTranslated() throws {
        let t = try texts("<head><style>p{}</style><script>var x = '<p>non</p>';</script></head><body><p translate=\"no\">Code</p><p>Le mot <span translate=\"no\">Verso</span> reste.</p></body>")
        XCTAssertEqual(t, ["Le mot  reste."])
        let unit = try document("<p>Le mot <span translate=\"no\">Verso</span> reste.</p>").allUnits[0]
        XCTAssertEqual(unit.source.codes.map(\.originalData), ["<span translate=\"no\">Verso</span>"])
    }

    func testTranslateYesInsideTranslateNoIsTranslated() throws {
        XCTAssertEqual(try texts("<div translate=\"no\">Non <span translate=\"yes\">oui</span> non</div>"), ["oui"])
    }

    func testWhitespaceIsCollapsedExceptInPre() throws {
        XCTAssertEqual(try texts("<p>  Un\n   deux\t trois  </p><pre>  a\n  b </pre>"), ["Un deux trois", "a\n  b"])
    }

    func testWhitespaceCollapsesAcrossReferencesAndLineEndingsAndMergesBack() throws {
        // Spaces from the text itself, from a character reference and from a CRLF form one space;
        // the merge restores every one of them as written.
        let html = "<p>Un &#32;\r\n  deux&nbsp; trois\tquatre</p>"
        XCTAssertEqual(try texts(html), ["Un deux\u{A0} trois quatre"])
        RoundTrip.assertIdentity(Array(html.utf8), format: .html, "collapsed spaces")
        // Without references: spaces collapse across pieces of text, but not across a code.
        let plain = "<p>Un  \n deux<!-- c --> \t trois<b> gras </b>  fin </p>"
        XCTAssertEqual(try texts(plain), ["Un deux trois gras  fin"])
        RoundTrip.assertIdentity(Array(plain.utf8), format: .html, "collapsed spaces between codes")
    }

    func testTwoSpacesCollapseWhereverTheyFallInALongRun() throws {
        // The reader scans text eight bytes at a time for spaces in a row: a pair inside a word,
        // across two words and at the run's ends must all collapse, and a single space stays.
        for k in 1..<20 {
            let before = String(repeating: "é", count: k / 2) + String(repeating: "x", count: k % 2)
            let after = String(repeating: "y", count: 19)
            let html = "<p>\(before)  \(after) z\(after)</p>"
            XCTAssertEqual(try texts(html), ["\(before) \(after) z\(after)"], "pair after \(k) bytes")
            RoundTrip.assertIdentity(Array(html.utf8), format: .html, "pair after \(k) bytes")
            let single = "<p>\(before) \(after)<!-- c --> \(after) </p>"
            XCTAssertEqual(try texts(single), ["\(before) \(after) \(after)"], "single spaces after \(k) bytes")
        }
    }

    func testInvisibleTextAroundAUnitIsCutAtCharactersNotGraphemes() throws {
        // A space followed by a combining mark is one grapheme, but only the space is layout:
        // the mark stays in the unit, and zero-width characters at the end go to the skeleton.
        let html = "<p> \u{301}été \u{200B}</p><li>\n\tmot</li>"
        XCTAssertEqual(try texts(html), ["\u{301}été", "mot"])
        RoundTrip.assertIdentity(Array(html.utf8), format: .html, "trimmed edges")
    }

    func testTagsAroundTheWholeUnitStayOutOfIt() throws {
        let doc = try document("<ul><li><a href=\"/x\" title=\"Info\"><b>Monde</b></a></li><li><b>Un</b> et <b>deux</b></li></ul>")
        let units = doc.allUnits
        XCTAssertEqual(units.map(\.source.plainText), ["Info", "Monde", "Un et deux"])
        XCTAssertFalse(units[1].source.hasCodes, "the enclosing <a> and <b> are skeleton")
        XCTAssertEqual(units[2].source.codes.count, 4, "codes that do not enclose everything stay")
        let translated = RoundTrip.translated(doc) { ["Info": Content("About"), "Monde": Content("World")][$0.plainText] ?? $0 }
        XCTAssertEqual(String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self), "<ul><li><a href=\"/x\" title=\"About\"><b>World</b></a></li><li><b>Un</b> et <b>deux</b></li></ul>")
    }

    func testBlankCellsAreNotUnits() throws {
        XCTAssertEqual(try texts("<table><tr><td>&nbsp;</td><td> \u{200B} </td><td>Prix</td></tr></table><p>&#160;&#160;</p>"), ["Prix"])
        RoundTrip.assertIdentity(Array("<table><tr><td>&nbsp;</td><td>Prix</td></tr></table>".utf8), format: .html, "blank cells")
    }

    func testEntitiesAreDecodedForTheTranslator() throws {
        XCTAssertEqual(try texts("<p>5&nbsp;&euro; &amp; &lt;plus&gt; &#233;t&eacute;</p>"), ["5\u{A0}€ & <plus> été"])
    }

    func testHTMLLangIsTheDeclaredLanguage() throws {
        let reader = try SourceDocuments.reader(bytes: Array("<html lang=\"fr-CA\"><p>x</p></html>".utf8), displayPath: "x.html", format: .html, options: SourceReaderOptions(), description: SourceDescription(sourceLanguage: "und", original: "x.html"), skeleton: DiscardingSkeletonSink())
        var r = reader
        while try r.next() != nil {}
        XCTAssertEqual(reader.declaredLanguage, "fr-CA")
    }

    func testMetaDescriptionAndFormLabelsAreTranslatable() throws {
        let t = try texts("<head><meta name=\"description\" content=\"Résumé\"><meta name=\"viewport\" content=\"width=device-width\"></head><body><input type=\"submit\" value=\"Envoyer\"><input type=\"text\" value=\"x\" placeholder=\"Nom\"></body>")
        XCTAssertEqual(t, ["Résumé", "Envoyer", "Nom"])
    }

    func testSampleNewsPage() throws {
        let doc = try RoundTrip.read(try InputFile.readBytesForTest(TestPaths.sample("actualite.fr.html")), format: .html)
        let t = doc.allUnits.map(\.source.plainText)
        XCTAssertTrue(t.contains("Biélorussie : Loukachenko rassure Poutine | L’Actualité internationale"))
        XCTAssertTrue(t.contains("Loukachenko affirme qu’il n’y aura pas de mobilisation en Biélorussie."), "meta description")
        XCTAssertTrue(t.contains("Le président biélorusse Alexandre Loukachenko à Minsk"), "img alt")
        XCTAssertTrue(t.contains("Rechercher un article"), "placeholder")
        XCTAssertTrue(t.contains("Prix de l’abonnement\u{A0}: 9,99\u{A0}€ par mois — s’abonner <sans engagement>."))
        XCTAssertFalse(t.contains { $0.contains("dataLayer") || $0.contains("font-weight") }, "script and style are skipped")
        XCTAssertFalse(t.contains { $0.contains("AFP-2022") }, "translate=no is skipped")
        XCTAssertTrue(t.contains { $0.contains("cité par l’agence  .") == false && $0.contains("cité par l’agence") })
        XCTAssertFalse(t.contains { $0.contains("\n") }, "whitespace collapsed outside pre")
    }

    func testFixturesAndSampleRoundTripExactly() throws {
        for name in Self.fixtureNames {
            RoundTrip.assertIdentity(try fixture(name), format: .html, name)
        }
        RoundTrip.assertIdentity(try InputFile.readBytesForTest(TestPaths.sample("actualite.fr.html")), format: .html, "sample")
    }

    func testLatin1PageIsDecodedFromItsMetaCharset() throws {
        let doc = try RoundTrip.read(try fixture("latin1-meta.html"), format: .html)
        XCTAssertEqual(doc.allUnits.map(\.source.plainText), ["Café", "Crème brûlée à 5\u{A0}¤."])
    }

    func testTranslatedUnitsKeepCodesAndEscapeText() throws {
        let doc = try document("<p>Un <b>mot</b> &amp; <img src=a.png alt=\"Une photo\">.</p>\r\n<p>Prix&nbsp;: 5</p>")
        let translated = RoundTrip.translated(doc) { source in
            switch source.plainText {
            case "Une photo": return Content("A \"photo\" & more")
            case "Prix\u{A0}: 5": return Content("Price\u{A0}: 5 < 6\n!")
            default:
                var c = Content()
                for run in source.runs {
                    if case .text(let t) = run { c.append(text: t.replacingOccurrences(of: "Un ", with: "A ").replacingOccurrences(of: "mot", with: "word")) } else { c.append(run) }
                }
                return c
            }
        }
        let out = String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self)
        XCTAssertEqual(out, "<p>A <b>word</b> &amp; <img src=a.png alt=\"A &quot;photo&quot; &amp; more\">.</p>\r\n<p>Price&nbsp;: 5 &lt; 6\r\n!</p>")
    }

    func testUnquotedAttributeGetsQuotesWhenTranslationNeedsThem() throws {
        let doc = try document("<img src=a.png alt=Photo>")
        let translated = RoundTrip.translated(doc) { _ in Content("A photo") }
        XCTAssertEqual(String(decoding: try RoundTrip.merge(translated).bytes, as: UTF8.self), "<img src=a.png alt=\"A photo\">")
    }

    func testPartiallyTranslatedUnitKeepsOriginalSpellingOfUntranslatedSegments() throws {
        var doc = try document("<p>Un&nbsp;deux.\n  Trois&eacute;.</p>")
        // Split the unit's text into two segments and an ignorable, as a segmenter would.
        var unit = doc.allUnits[0]
        unit.parts = [
            .segment(Segment(id: "1", source: Content("Un\u{A0}deux."), target: Content("One\u{A0}two."))),
            .ignorable(Ignorable(source: Content(" "))),
            .segment(Segment(id: "2", source: Content("Troisé."), target: Content("Troisé."))),
        ]
        doc.files[0].items = [.unit(unit)]
        XCTAssertEqual(String(decoding: try RoundTrip.merge(doc).bytes, as: UTF8.self), "<p>One&nbsp;two.\n  Trois&eacute;.</p>")
    }

    /// The references the skeleton header says merge should write: characters the page writes
    /// as references more often than as themselves.
    private func preferredReferences(_ html: String) throws -> [Unicode.Scalar: String] {
        var reader = try SourceDocuments.reader(bytes: Array(html.utf8), displayPath: "p.html", format: .html, options: SourceReaderOptions(), description: SourceDescription(sourceLanguage: "fr", original: "p.html"), skeleton: DiscardingSkeletonSink())
        while try reader.next() != nil {}
        return reader.skeletonHeader.preferredReferences
    }

    func testCharactersWrittenMostlyAsReferencesAreWrittenSoOnMerge() throws {
        XCTAssertEqual(try preferredReferences("<p>a&nbsp;b&nbsp;c\u{A0}d</p>"), ["\u{A0}": "&nbsp;"])
        // Literal ones before the first reference count too, in texts with or without references.
        XCTAssertEqual(try preferredReferences("<p>x\u{A0}y\u{A0}z</p><p>a&nbsp;b</p>"), [:])
        XCTAssertEqual(try preferredReferences("<p>x\u{A0}y &amp; \u{A0}z</p><p>a&nbsp;b</p>"), [:])
        XCTAssertEqual(try preferredReferences("<p>\"a\" &quot;b&quot; &quot;c&quot; &eacute;t&eacute; \u{E9}</p>"), ["\"": "&quot;", "\u{E9}": "&eacute;"])
        XCTAssertEqual(try preferredReferences("<p>&#8217;a&rsquo; b&rsquo; l\u{2019}x</p>"), ["\u{2019}": "&rsquo;"])
        XCTAssertEqual(try preferredReferences("<p>5 &gt; 4 &amp; &lt;</p><p>2 > 1</p>"), [:])
        XCTAssertEqual(try preferredReferences("<p>5 &gt; 4 &gt; 3</p><p>2 > 1</p>"), [">": "&gt;"])
        // An ASCII letter, digit or sign written once as a reference is not preferred (their
        // literal uses are not counted): a merge would otherwise write every `a` as `&#97;`.
        XCTAssertEqual(try preferredReferences("<p>un &#97; seul, &#64;verso &#x31;</p>"), [:])
        // More than 1 MiB of text before the references: counted in full on the way, not lost.
        let long = String(repeating: "x", count: 600_000)
        let page = "<p>\(long)\u{A0}\(long)\u{A0}</p><p>\(long)\u{A0}</p><p>"
        XCTAssertEqual(try preferredReferences(page + "&nbsp; &nbsp; &nbsp;</p>"), [:])
        XCTAssertEqual(try preferredReferences(page + "&nbsp; &nbsp; &nbsp; &nbsp;</p>"), ["\u{A0}": "&nbsp;"])
    }

    func testTextWithReferencesGivesTheSameUnitAsAnAtomPerCharacter() {
        // Text holding a reference is added as stretches of literal text and atoms; an atom per
        // character, aligned one character at a time (`characterAlignment`, written
        // independently of `RawAlignment`), must give the same atoms, unit, layout and skeleton,
        // for every mix of references, spaces, line breaks and characters XML cannot carry.
        let pieces = ["a", "é", " ", "  ", "\t", "\n", "\r\n", "\r", "&nbsp;", "&amp;", "&lt;", "&#233;", "&#x2019;", "&eacute;",
                      "&foo;", "&", "\u{A0}", "\u{200B}", "\u{0}", "\u{1}", "\u{FFFE}", "mot", "’", "😀", "e\u{301}", "&#0;", "\""]
        var generator = SeededGenerator(seed: 99)
        for n in 0..<3000 {
            let raw = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            // What libxml2 decodes: references resolved (unknown ones kept), CR LF and CR as LF;
            // and, every fifth time, something else (characters dropped or added).
            var decoded = decodeLikeTheParser(raw)
            if n % 5 == 1 { decoded = String(decoded.unicodeScalars.dropFirst()) + "x" }
            let expected = characterAlignment(raw: raw, decoded: decoded)
            let atoms = RawAlignment.align(raw: raw, decoded: decoded)
            XCTAssertEqual(atoms.map { "\($0.scalar.map { String($0) } ?? "nil")|\($0.raw)" },
                           expected.map { "\($0.scalar.map { String($0) } ?? "nil")|\($0.raw)" }, raw.debugDescription)
            for collapse in [true, false] {
                var byAtoms = UnitAssembler()
                byAtoms.append(atoms: expected)
                var byPieces = UnitAssembler()
                for piece in RawAlignment.pieces(raw: raw, decoded: decoded) {
                    switch piece {
                    case .literal(let run): byPieces.append(literal: run)
                    case .atom(let atom): byPieces.append(atom)
                    }
                }
                let policy = SpellingPolicy(context: .htmlContent, newline: n % 2 == 0 ? "\n" : "\r\n")
                let a = byAtoms.finish(unitID: { "u1" }, policy: policy, collapseWhitespace: collapse)
                let b = byPieces.finish(unitID: { "u1" }, policy: policy, collapseWhitespace: collapse)
                XCTAssertEqual(describe(a), describe(b), "\(raw.debugDescription) collapse \(collapse)")
            }
        }
    }

    /// The alignment's rules applied one character at a time: a reference matching the next
    /// decoded character is its atom; a character equal to it stands for itself; CR or CR LF
    /// for a decoded LF; anything else waits as original text without a character, and decoded
    /// characters left over get an empty original.
    private func characterAlignment(raw: String, decoded: String) -> [SourceAtom] {
        let r = Array(raw.unicodeScalars)
        let d = Array(decoded.unicodeScalars)
        func text(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)) }
        var out: [SourceAtom] = []
        var i = 0, j = 0
        var pending = ""
        while i < r.count {
            var matched: SourceAtom?
            var consumed = 0
            if r[i] == "&", let (value, length) = RawAlignment.reference(r, at: i) {
                if j < d.count && value == d[j] {
                    matched = SourceAtom(scalar: d[j], raw: text(r[i..<(i + length)]))
                    consumed = length
                } else if j < d.count && d[j] == "&" {
                    matched = SourceAtom(scalar: "&", raw: "&")
                    consumed = 1
                } else {
                    pending += text(r[i..<(i + length)])
                    i += length
                    continue
                }
            } else if j < d.count && r[i] == d[j] {
                matched = SourceAtom(literal: d[j])
                consumed = 1
            } else if j < d.count && r[i] == "\r" && d[j] == "\n" {
                let crlf = i + 1 < r.count && r[i + 1] == "\n"
                matched = SourceAtom(scalar: "\n", raw: crlf ? "\r\n" : "\r")
                consumed = crlf ? 2 : 1
            }
            if let atom = matched {
                if !pending.isEmpty { out.append(SourceAtom(scalar: nil, raw: pending)); pending = "" }
                out.append(atom)
                i += consumed
                j += 1
            } else {
                pending.unicodeScalars.append(r[i])
                i += 1
            }
        }
        if !pending.isEmpty { out.append(SourceAtom(scalar: nil, raw: pending)) }
        out += d[j...].map { SourceAtom(scalar: $0, raw: "") }
        return out
    }

    private func decodeLikeTheParser(_ raw: String) -> String {
        var out = ""
        let r = Array(raw.unicodeScalars)
        var i = 0
        while i < r.count {
            if r[i] == "&", let (value, length) = RawAlignment.reference(r, at: i) {
                if value.value != 0 { out.unicodeScalars.append(value) }
                i += length
            } else if r[i] == "\r" {
                out += "\n"
                i += i + 1 < r.count && r[i + 1] == "\n" ? 2 : 1
            } else {
                out.unicodeScalars.append(r[i])
                i += 1
            }
        }
        return out
    }

    private func describe(_ unit: AssembledUnit?) -> String {
        switch unit {
        case nil: return "nil"
        case .skeleton(let entries)?: return "skeleton \(entries)"
        case .unit(let content, let layout, let nested, let leading, let trailing)?:
            return "unit \(content.runs) \(layout) \(nested) \(leading) \(trailing)"
        }
    }

    func testRecoverableProblemsAreWarnings() throws {
        let (_, findings) = try SourceDocuments.read(bytes: Array("<p>a</x> <section>b</section>".utf8), displayPath: "w.html", format: .html, description: SourceDescription(sourceLanguage: "fr", original: "w.html"))
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertEqual(findings.first?.location?.file, "w.html")
        XCTAssertEqual(findings.first?.location?.line, 1)
    }

    func testRandomMarkupRoundTrips() throws {
        var rng = SeededGenerator(seed: 7)
        let pieces = [
            "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<br>", "<br/>", "<a href=\"x\" title=\"T&amp;t\">", "</a>",
            "<img alt='A &eacute; b' src=x>", "<div>", "</div>", "<span translate=\"no\">", "</span>", "<script>", "</script>",
            "<!-- c -->", "<!--", "-->", "&nbsp;", "&amp;", "&foo;", "&#233;", "&#0;", "&", "<", ">", "\"", " ", "  ", "\n",
            "\r\n", "\r", "\t", "texte", "mot", "é", "👍", "</x>", "<?pi x?>", "<!DOCTYPE html>", "<li>", "<ul>", "</ul>", "<pre>",
            "</pre>", "<P CLASS=X>", "<title>", "</title>", "<input value=\"Ok\" type=submit>", "\u{0}", "\u{01}", "<![CDATA[x]]>",
            "<td>", "<table>", "</table>", "<meta name=description content=\"Desc\">", "<textarea>", "</textarea>", "<", "/>",
        ]
        for i in 0..<300 {
            var s = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) { s += pieces.randomElement(using: &rng)! }
            RoundTrip.assertIdentity(Array(s.utf8), format: .html, "case \(i): \(s.debugDescription)")
        }
    }
}
