import Foundation
import Segmentation
import TestSupport
import TranslationModel
import XCTest

private typealias Unit = TranslationModel.Unit

/// Segmenting units whose text carries inline codes and markers.
final class UnitSegmentationTests: XCTestCase {
    private func open(_ id: String) -> Run { .code(InlineCode(kind: .opening, id: id, originalData: "<b>")) }
    private func close(_ id: String) -> Run { .code(InlineCode(kind: .closing, id: id, originalData: "</b>")) }
    private func standalone(_ id: String) -> Run { .code(InlineCode(kind: .standalone, id: id, originalData: "<br/>")) }

    /// The unit's parts as a compact string: segments in [], ignorables in {}, codes as <id>, </id>, <id/>.
    private func render(_ unit: Unit) -> String {
        func text(_ content: Content) -> String {
            content.runs.map { run -> String in
                switch run {
                case .text(let t): return t
                case .code(let c):
                    switch c.kind {
                    case .opening: return "<\(c.id)>"
                    case .closing: return "</\(c.id)>"
                    case .standalone: return "<\(c.id)/>"
                    }
                case .marker(let m): return m.boundary == .start ? "{m\(m.id)}" : "{/m\(m.id)}"
                }
            }.joined()
        }
        return unit.parts.map { part -> String in
            switch part {
            case .segment(let s): return "[" + text(s.source) + "]"
            case .ignorable(let i): return "{" + text(i.source) + "}"
            }
        }.joined()
    }

    private func unit(_ runs: [Run]) -> Unit { Unit(id: "u1", source: Content(runs)) }

    func testPlainTextGivesSegmentsAndIgnorables() throws {
        let segmenter = try Segmenter(language: "en")
        let result = segmenter.segment(unit([.text("  Hello there. How are you?  ")]))
        XCTAssertEqual(render(result), "{  }[Hello there.]{ }[How are you?]{  }")
    }

    func testCodesAtABoundaryFollowTheFormatHandles() throws {
        // Verso's rules use the SRX defaults: start codes go to the next segment, end codes stay.
        let segmenter = try Segmenter(language: "en")
        let result = segmenter.segment(unit([open("1"), .text("First one."), close("1"), .text(" "), open("2"), .text("Second one."), close("2")]))
        XCTAssertEqual(render(result), "[<1>First one.</1>]{ }[<2>Second one.</2>]")
        let standaloneCase = segmenter.segment(unit([.text("First one."), standalone("3"), .text(" Second one.")]))
        // A standalone code goes to the next segment, with the space after it.
        XCTAssertEqual(render(standaloneCase), "[First one.][<3/> Second one.]")
    }

    func testCodesIncludedEverywhereStayWithThePreviousSegment() throws {
        let rules = try SRXRules(contentsOf: TestPaths.fixture("segmentation/codes-include-all.srx").path)
        let segmenter = try Segmenter(rules: rules, language: "en")
        let result = segmenter.segment(unit([.text("First one."), standalone("3"), .text(" "), open("2"), .text("Second one."), close("2")]))
        // Codes cannot move past the space between them: it stays inside the first segment.
        XCTAssertEqual(render(result), "[First one.<3/> <2>][Second one.</2>]")
    }

    func testNoBreakInsideAPairedCodeSpan() throws {
        let segmenter = try Segmenter(language: "en")
        let result = segmenter.segment(unit([.text("Read "), open("1"), .text("this. Then that"), close("1"), .text(" now. Done.")]))
        XCTAssertEqual(render(result), "[Read <1>this. Then that</1> now.]{ }[Done.]")
    }

    func testBreakInsideASpanWhenTheRulesAllowIt() throws {
        let rules = try SRXRules(contentsOf: TestPaths.fixture("segmentation/codes-include-all.srx").path)
        let segmenter = try Segmenter(rules: rules, language: "en")
        let result = segmenter.segment(unit([.text("Read "), open("1"), .text("this. Then that"), close("1"), .text(" now.")]))
        XCTAssertEqual(render(result), "[Read <1>this.]{ }[Then that</1> now.]")
    }

    func testNoBreakInsideAnAnnotationMarker() throws {
        let segmenter = try Segmenter(language: "en")
        let start = Run.marker(Marker(boundary: .start, id: "t1", type: "term"))
        let end = Run.marker(Marker(boundary: .end, id: "t1", type: "term"))
        let result = segmenter.segment(unit([.text("See "), start, .text("Part A. Part B"), end, .text(" here. Next.")]))
        XCTAssertEqual(render(result), "[See {mt1}Part A. Part B{/mt1} here.]{ }[Next.]")
    }

    func testTranslatedOrLockedUnitsAreLeftAlone() throws {
        let segmenter = try Segmenter(language: "en")
        var translated = unit([.text("One. Two.")])
        translated.parts = [.segment(Segment(source: "One. Two.", target: "Un. Deux."))]
        XCTAssertEqual(segmenter.segment(translated), translated)
        var locked = unit([.text("One. Two.")])
        locked.canResegment = false
        XCTAssertEqual(segmenter.segment(locked), locked)
        var notTranslatable = unit([.text("One. Two.")])
        notTranslatable.translate = false
        XCTAssertEqual(segmenter.segment(notTranslatable), notTranslatable)
    }

    func testExistingSegmentsAreJoinedAndSplitAgain() throws {
        let segmenter = try Segmenter(language: "en")
        var u = unit([])
        u.parts = [.segment(Segment(source: "One. Two", state: .initial)), .ignorable(Ignorable(source: " ")), .segment(Segment(source: "three. Four."))]
        let result = segmenter.segment(u)
        XCTAssertEqual(render(result), "[One.]{ }[Two three.]{ }[Four.]")
        XCTAssertEqual(result.segments.map(\.state), [.initial, .initial, .initial])
    }

    func testSegmentsStartingWhereOldOnesStartedKeepTheirIDs() throws {
        let segmenter = try Segmenter(language: "en")
        var u = unit([])
        u.parts = [.segment(Segment(id: "s1", source: "One. Two", state: .translated)), .ignorable(Ignorable(id: "i1", source: " ")), .segment(Segment(id: "s2", source: "three. Four."))]
        let result = segmenter.segment(u)
        XCTAssertEqual(render(result), "[One.]{ }[Two three.]{ }[Four.]")
        // "One." starts where s1 did; the others are new.
        XCTAssertEqual(result.segments.map(\.id), ["s1", nil, nil])
    }

    func testAUnitAlreadySegmentedTheSameWayIsUnchanged() throws {
        let segmenter = try Segmenter(language: "en")
        var u = unit([])
        u.parts = [.segment(Segment(id: "a", source: Content([.text("One "), .text("two.")]), state: .reviewed)), .ignorable(Ignorable(id: "b", source: " ")), .segment(Segment(id: "c", source: Content([open("1"), .text("Three."), close("1")])))]
        XCTAssertEqual(segmenter.segment(u), u)
    }

    func testWhitespaceOnlyAndCodeOnlyUnitsAreUnchanged() throws {
        let segmenter = try Segmenter(language: "en")
        let blank = unit([.text("   ")])
        XCTAssertEqual(segmenter.segment(blank), blank)
        let codes = unit([standalone("1")])
        XCTAssertEqual(segmenter.segment(codes), codes)
    }

    /// Joining segments and ignorables gives back the unit exactly, over a whole French article
    /// and 2 MB of the French corpus with codes inserted at random places; ignorables hold only
    /// whitespace; no segment boundary cuts a paired code's span.
    func testJoiningThePartsGivesBackTheUnit() throws {
        let segmenter = try Segmenter(language: "fr")
        var paragraphs = try String(contentsOf: TestPaths.sample("seed-article.fr.txt"), encoding: .utf8)
            .components(separatedBy: "\n\n").filter { !$0.isEmpty }
        paragraphs += try Self.corpusParagraphs(limit: 2_000_000)
        XCTAssertGreaterThan(paragraphs.count, 3000)
        var generator = SeededRandom(seed: 42)
        var segmentsSeen = 0
        for (n, paragraph) in paragraphs.enumerated() {
            let runs = n % 2 == 0 ? [Run.text(paragraph)] : Self.withRandomCodes(paragraph, &generator)
            let original = Content(runs).normalized
            let result = segmenter.segment(Unit(id: "u\(n)", source: original))
            XCTAssertEqual(result.source.normalized, original, "paragraph \(n)")
            for part in result.parts {
                if case .ignorable(let i) = part {
                    XCTAssertTrue(i.source.runs.allSatisfy { if case .text(let t) = $0 { return t.allSatisfy(\.isWhitespace) } else { return false } }, "paragraph \(n)")
                }
            }
            // Paired codes never split across segments with Verso's rules.
            for segment in result.segments {
                var open: [String] = []
                var unmatchedClosings = 0
                for case .code(let c) in segment.source.runs {
                    if c.kind == .opening { open.append(c.id) }
                    if c.kind == .closing { if open.last == c.id { open.removeLast() } else { unmatchedClosings += 1 } }
                }
                XCTAssertTrue(open.isEmpty && unmatchedClosings == 0, "paragraph \(n): \(segment.source)")
                segmentsSeen += 1
            }
        }
        XCTAssertGreaterThan(segmentsSeen, paragraphs.count)
    }

    /// Paragraphs of the French corpus (gzip), the first `limit` bytes.
    static func corpusParagraphs(limit: Int) throws -> [String] {
        let gzip = try XCTUnwrap(VersoCommand.which("gzip"))
        let result = try VersoCommand.runProcess(gzip, ["-dc", TestPaths.sharedFile("data/corpus/fr.txt.gz").path])
        let text = String(result.stdout.utf8.prefix(limit)) ?? ""
        var paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        paragraphs.removeLast() // cut in the middle
        return paragraphs
    }

    /// The paragraph with paired and standalone codes inserted between random characters.
    static func withRandomCodes(_ paragraph: String, _ generator: inout SeededRandom) -> [Run] {
        let characters = Array(paragraph)
        var runs: [Run] = []
        var current = ""
        var openIDs: [String] = []
        var nextID = 1
        for ch in characters {
            let roll = generator.next() % 100
            if roll < 3 {
                if !current.isEmpty { runs.append(.text(current)); current = "" }
                let id = "\(nextID)"; nextID += 1
                runs.append(.code(InlineCode(kind: .opening, id: id)))
                openIDs.append(id)
            } else if roll < 6, let id = openIDs.popLast() {
                if !current.isEmpty { runs.append(.text(current)); current = "" }
                runs.append(.code(InlineCode(kind: .closing, id: id)))
            } else if roll < 7 {
                if !current.isEmpty { runs.append(.text(current)); current = "" }
                runs.append(.code(InlineCode(kind: .standalone, id: "x\(nextID)")))
                nextID += 1
            }
            current.append(ch)
        }
        if !current.isEmpty { runs.append(.text(current)) }
        while let id = openIDs.popLast() { runs.append(.code(InlineCode(kind: .closing, id: id))) }
        return runs
    }
}
