import Foundation
import XCTest
import TestSupport
@testable import XMLSupport

final class HTMLStreamParserTests: XCTestCase {
    private func events(_ bytes: [UInt8], chunk: Int = 1 << 16) throws -> [HTMLEvent] {
        let parser = try HTMLStreamParser(displayPath: "t.html")
        var out: [HTMLEvent] = []
        var i = 0
        while i < bytes.count {
            parser.feed(Array(bytes[i..<min(bytes.count, i + chunk)]))
            while let e = parser.next() { out.append(e) }
            i += chunk
        }
        parser.finish()
        while let e = parser.next() { out.append(e) }
        return out
    }

    private func events(_ html: String, chunk: Int = 1 << 16) throws -> [HTMLEvent] {
        try events(Array(html.utf8), chunk: chunk)
    }

    func testStartTagsCarryTheirExactTextAndAttributes() throws {
        let e = try events("<P CLASS=x title='a &amp; b'>Un</P>")
        let starts = e.compactMap { if case .startTag(let t) = $0, !t.isImplied { return t } else { return nil } }
        XCTAssertEqual(starts.map(\.raw), ["<P CLASS=x title='a &amp; b'>"])
        XCTAssertEqual(starts[0].name, "p")
        XCTAssertEqual(starts[0].attribute("title"), "a & b")
        XCTAssertEqual(starts[0].attribute("class"), "x")
    }

    func testImpliedAndAutoClosedElementsHaveNoText() throws {
        let e = try events("<p>a<p>b")
        let p = e.compactMap { ev -> String? in
            switch ev {
            case .startTag(let t) where t.name == "p": return "start:\(t.raw)"
            case .endTag(let t) where t.name == "p": return "end:\(t.raw)"
            default: return nil
            }
        }
        XCTAssertEqual(p, ["start:<p>", "end:", "start:<p>", "end:"])
        let html = e.first { if case .startTag(let t) = $0 { return t.name == "html" } else { return false } }
        if case .startTag(let t)? = html { XCTAssertTrue(t.isImplied) } else { XCTFail("no implied <html>") }
    }

    func testEntitiesKeepTheirOriginalSpelling() throws {
        let texts = try events("<p>Prix&nbsp;: 5&euro; &amp; plus</p>").compactMap { if case .text(let t) = $0 { return t } else { return nil } }
        XCTAssertEqual(texts.map(\.decoded).joined(), "Prix\u{A0}: 5€ & plus")
        XCTAssertEqual(texts.map(\.raw).joined(), "Prix&nbsp;: 5&euro; &amp; plus")
    }

    func testSelfClosingTagsAndScriptContent() throws {
        let e = try events("<br/><script>if (a < b) { x = '</p>'; }</script>")
        XCTAssertTrue(e.contains { if case .startTag(let t) = $0 { return t.raw == "<br/>" && t.isSelfClosing } else { return false } })
        XCTAssertTrue(e.contains { if case .text(let t) = $0 { return t.isRawText && t.raw == "if (a < b) { x = '</p>'; }" } else { return false } })
    }

    func testDroppedBytesAreReportedAsSkipped() throws {
        let e = try events("<p>a</x>b</p><!-- open")
        let skipped = e.compactMap { if case .skipped(let raw, _) = $0 { return raw } else { return nil } }
        XCTAssertTrue(skipped.contains("<!-- open"), "\(e)")
    }

    func testConcatenatedTextIsTheInputWhateverTheChunks() throws {
        let files = ["crlf-uppercase.html", "entities-comments.html", "odd-markup.html", "bom-no-final-newline.html"].map { TestPaths.fixture("html/\($0)") } + [TestPaths.sample("actualite.fr.html")]
        for url in files {
            var bytes = [UInt8](try Data(contentsOf: url))
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let whole = try events(bytes)
            XCTAssertEqual(whole.map(\.raw).joined(), String(decoding: bytes, as: UTF8.self), url.lastPathComponent)
            for chunk in [1, 3, 17, 1000] {
                XCTAssertEqual(try events(bytes, chunk: chunk).map(\.raw).joined(), String(decoding: bytes, as: UTF8.self), "\(url.lastPathComponent) in chunks of \(chunk)")
            }
        }
    }

    func testEventsComeOutAsTheDocumentIsFed() throws {
        // A page much larger than a chunk: events must not wait for the end of the document
        // (libxml2 2.9 stalls after discarding consumed input unless its look-ahead is reset).
        var page = "<html><body>\n"
        let sentence = String(repeating: "Une phrase assez longue pour que les morceaux tombent dans le texte. ", count: 8)
        for i in 0..<4_000 { page += "<p>\(i) \(sentence)<b>gras</b> et un <a href=\"/x\(i)\">lien</a>.</p>\n" }
        page += "</body></html>\n"
        let bytes = Array(page.utf8)
        let parser = try HTMLStreamParser(displayPath: "big.html")
        var starts = 0
        var i = 0
        while i < bytes.count / 2 {
            parser.feed(Array(bytes[i..<(i + 1 << 16)]))
            while let e = parser.next() { if case .startTag(let t) = e, t.name == "p" { starts += 1 } }
            i += 1 << 16
        }
        XCTAssertGreaterThan(starts, 1_500, "half the document fed, about half its paragraphs reported")
    }

    func testRecoverableProblemsHaveALine() throws {
        let parser = try HTMLStreamParser(displayPath: "w.html")
        parser.feed(Array("<p>\n</x></p>".utf8))
        parser.finish()
        XCTAssertEqual(parser.problems.first?.location.line, 2)
        XCTAssertEqual(parser.problems.first?.location.file, "w.html")
    }

    func testEntityTable() {
        XCTAssertEqual(HTMLEntities.scalar(named: "nbsp"), "\u{A0}")
        XCTAssertEqual(HTMLEntities.scalar(named: "eacute"), "é")
        XCTAssertNil(HTMLEntities.scalar(named: "nosuchentity"))
        XCTAssertEqual(HTMLEntities.name(for: "©"), "copy")
    }
}
