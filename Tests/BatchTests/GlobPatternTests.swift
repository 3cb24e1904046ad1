import XCTest
@testable import Batch

final class GlobPatternTests: XCTestCase {
    private func glob(_ text: String) throws -> GlobPattern { try GlobPattern(text) }

    func testPatternWithoutSlashMatchesTheFileNameAtAnyDepth() throws {
        let p = try glob("*.html")
        XCTAssertTrue(p.matches("index.html"))
        XCTAssertTrue(p.matches("site/fr/index.html"))
        XCTAssertFalse(p.matches("site/fr/index.htm"))
        XCTAssertFalse(p.matches("site/fr/index.html.bak"))
    }

    func testStarDoesNotCrossFolders() throws {
        let p = try glob("site/*.txt")
        XCTAssertTrue(p.matches("site/a.txt"))
        XCTAssertFalse(p.matches("site/sub/a.txt"))
        XCTAssertFalse(p.matches("other/site/a.txt"), "a pattern with a slash is anchored at the input folder")
    }

    func testDoubleStarMatchesAnyNumberOfFolders() throws {
        let p = try glob("docs/**/*.txt")
        XCTAssertTrue(p.matches("docs/a.txt"))
        XCTAssertTrue(p.matches("docs/x/y/z/a.txt"))
        XCTAssertFalse(p.matches("src/docs/a.txt"))
        XCTAssertTrue(try glob("**/draft/*").matches("a/b/draft/c.html"))
        XCTAssertTrue(try glob("**/draft/*").matches("draft/c.html"))
    }

    func testQuestionMarkAndCharacterSets() throws {
        XCTAssertTrue(try glob("doc-00?.txt").matches("s/doc-007.txt"))
        XCTAssertFalse(try glob("doc-00?.txt").matches("s/doc-0071.txt"))
        XCTAssertTrue(try glob("[a-c]*.txt").matches("b.txt"))
        XCTAssertFalse(try glob("[a-c]*.txt").matches("d.txt"))
        XCTAssertTrue(try glob("[!a-c]*.txt").matches("d.txt"))
        XCTAssertFalse(try glob("[^a-c]*.txt").matches("a.txt"))
        XCTAssertTrue(try glob("[]x]").matches("]"), "a ] first in a set is a literal")
    }

    func testBackslashEscapesAWildcard() throws {
        XCTAssertTrue(try glob("a\\*b").matches("a*b"))
        XCTAssertFalse(try glob("a\\*b").matches("axb"))
    }

    func testNonASCIINamesMatchByCharacter() throws {
        XCTAssertTrue(try glob("Biélorussie-?.txt").matches("pays/Biélorussie-1.txt"))
        XCTAssertTrue(try glob("*é*").matches("café.html"))
    }

    func testASCIIPatternsMatchNonASCIINamesByCharacter() throws {
        // An ASCII pattern on a non-ASCII path takes the Character path: `?` is one letter,
        // whatever its UTF-8 length, and `[!a]` one non-`a` letter.
        XCTAssertTrue(try glob("caf?.txt").matches("menus/café.txt"))
        XCTAssertFalse(try glob("caf??.txt").matches("menus/café.txt"))
        XCTAssertTrue(try glob("[!a]t?").matches("été"))
        // A carriage return and line feed are one Character, as in a name written by hand.
        XCTAssertTrue(try glob("a?b").matches("a\r\nb"))
        // ASCII paths give the answers the Character matcher gives.
        for (pattern, path, expected) in [("*.xlf", "a/b/c.xlf", true), ("*.xlf", "a/b.xlf/c", true), ("docs/*.txt", "docs/a/b.txt", false),
                                          ("[a-c]*", "d/b1", true), ("[!a-c]*", "b1", false), ("**/x/*", "x/y", true), ("?", "ab", false)] {
            XCTAssertEqual(try glob(pattern).matches(path), expected, "\(pattern) on \(path)")
        }
    }

    func testAPatternMatchingAFolderMatchesEverythingInIt() throws {
        let p = try glob("build")
        XCTAssertTrue(p.matches("build/out/a.txt"))
        XCTAssertTrue(p.matchesFolder("x/build"))
        XCTAssertFalse(p.matchesFolder("builds"))
    }

    func testStarBacktracksAcrossRepeatedText() throws {
        XCTAssertTrue(try glob("*a*a*a*b").matches("aaaaaaaaaaaaaaaaaaaaab"))
        XCTAssertFalse(try glob("*a*a*a*b").matches("aaaaaaaaaaaaaaaaaaaaaa"))
    }

    func testMalformedPatternsAreRefusedWithTheReason() {
        XCTAssertThrowsError(try GlobPattern("[abc")) { error in
            XCTAssertEqual(String(describing: error), "invalid pattern '[abc': '[' without a closing ']'")
        }
        XCTAssertThrowsError(try GlobPattern(""))
        XCTAssertThrowsError(try GlobPattern("[z-a]"))
    }

    func testFilterNeedsOneIncludeAndNoExclude() throws {
        let filter = try FileFilter(include: ["*.html", "*.txt"], exclude: ["drafts", "*-old.*"])
        XCTAssertTrue(filter.selects("a/index.html"))
        XCTAssertTrue(filter.selects("notes.txt"))
        XCTAssertFalse(filter.selects("a/index.xlf"))
        XCTAssertFalse(filter.selects("drafts/a.html"))
        XCTAssertFalse(filter.selects("a/index-old.html"))
        XCTAssertTrue(filter.prunes(folder: "x/drafts"))
        XCTAssertTrue(FileFilter().selects("anything"))
    }
}
