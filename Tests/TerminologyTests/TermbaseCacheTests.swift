import Diagnostics
import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import Terminology

final class TermbaseCacheTests: XCTestCase {
    private var folder: URL!
    private var cache: TermbaseCache!

    override func setUp() {
        folder = TestPaths.temporaryFolder("verso-termbase-cache")
        cache = TermbaseCache(directory: folder.appendingPathComponent("cache").path)
        // Files written by the test are cached at once (see `testARecentlyChangedFileIsNotCached`).
        cache.settlingTime = 0
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A TBX file whose reading gives warnings (an entry without an id, an unknown status, an
    /// empty term) besides its concepts.
    private let tbxWithWarnings = """
        <?xml version="1.0" encoding="UTF-8"?>
        <martif type="TBX-Basic" xml:lang="fr">
          <martifHeader><fileDesc><sourceDesc><p>Warnings</p></sourceDesc></fileDesc></martifHeader>
          <text><body>
            <termEntry>
              <descrip type="subjectField">politics</descrip>
              <langSet xml:lang="fr"><tig><term>cessez-le-feu</term>
                <termNote type="administrativeStatus">maybe</termNote></tig></langSet>
              <langSet xml:lang="en"><tig><term>ceasefire</term><note>a note</note></tig></langSet>
              <langSet xml:lang="de"><tig><term>Waffenstillstand</term></tig></langSet>
            </termEntry>
            <termEntry id="e2">
              <langSet xml:lang="fr"><tig><term>  </term></tig><tig><term>trêve</term>
                <termNote type="partOfSpeech">noun</termNote><termNote type="grammaticalGender">feminine</termNote>
                <descrip type="context">Une trêve  fragile.</descrip></tig></langSet>
              <langSet xml:lang="en"><descrip type="definition">A pause in fighting.</descrip>
                <tig><term>truce</term><termNote type="termType">fullForm</termNote></tig></langSet>
            </termEntry>
          </body></text>
        </martif>
        """

    private func write(_ text: String, as name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A copy of `source` in the test folder.
    private func copy(_ source: URL) throws -> String {
        let url = folder.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: url)
        return url.path
    }

    private var entryFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory + "/termbases")) ?? []).sorted()
    }

    private func assertSame(_ a: (Termbase, [Finding]), _ b: (Termbase, [Finding]), _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.0, b.0, message, line: line)
        XCTAssertEqual(a.1, b.1, message, line: line)
    }

    func testAHitGivesWhatReadingGave() throws {
        var paths = try [
            TestPaths.repository.appendingPathComponent("Glossaries/countries.tbx"),
            TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv"),
            TestPaths.repository.appendingPathComponent("Glossaries/organisations.csv"),
            TestPaths.fixture("terminology/tbx2019-dca.tbx"),
            TestPaths.fixture("terminology/tbx2019-dct.tbx"),
            TestPaths.fixture("terminology/glossary.tsv"),
            TestPaths.fixture("terminology/semicolon.csv"),
            TestPaths.fixture("terminology/quoted.csv"),
        ].map(copy)
        paths.append(try write(tbxWithWarnings, as: "warnings.tbx"))
        for path in paths {
            for scope in [LanguageScope.all, LanguageScope(["fr", "en"])] {
                let name = "\((path as NSString).lastPathComponent) \(scope.primaryLanguages.map { $0.sorted() } ?? ["*"])"
                let shown = "shown/" + (path as NSString).lastPathComponent
                let expected = try TermbaseFile.read(path: path, displayPath: shown, scope: scope, cache: nil)
                assertSame(try TermbaseFile.read(path: path, displayPath: shown, scope: scope, cache: cache), expected, name)
                let entry = try XCTUnwrap(cache.entry(for: path, scope: scope))
                let stored = try XCTUnwrap(entry.load(displayPath: shown), "\(name): not cached")
                assertSame(stored, expected, name)
                assertSame(try TermbaseFile.read(path: path, displayPath: shown, scope: scope, cache: cache), expected, name)
            }
        }
        XCTAssertEqual(entryFiles.count, paths.count * 2, "one entry per file and scope")
    }

    func testFindingsAreReplayedInTheFileAsNamedThisTime() throws {
        let path = try write(tbxWithWarnings, as: "warnings.tbx")
        let (_, first) = try TermbaseFile.read(path: path, displayPath: "a/warnings.tbx", cache: cache)
        XCTAssertEqual(first.count, 3, "\(first)")
        let (_, again) = try TermbaseFile.read(path: path, displayPath: "b/warnings.tbx", cache: cache)
        let (_, direct) = try TermbaseFile.read(path: path, displayPath: "b/warnings.tbx", cache: nil)
        XCTAssertEqual(again, direct)
        XCTAssertTrue(again.allSatisfy { $0.location?.file == "b/warnings.tbx" }, "\(again)")
    }

    func testEditingTheFileReadsItAgain() throws {
        let path = try write(tbxWithWarnings, as: "glossary.tbx")
        let before = try TermbaseFile.read(path: path, cache: cache)
        XCTAssertNotNil(cache.entry(for: path, scope: .all)?.load(displayPath: path))
        // The same size, another time: only the times tell the files apart.
        let edited = tbxWithWarnings.replacingOccurrences(of: "ceasefire", with: "cease-fire")
            .replacingOccurrences(of: "<note>a note</note>", with: "<note>a not</note>")
        XCTAssertEqual(edited.utf8.count, tbxWithWarnings.utf8.count)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
        let after = try TermbaseFile.read(path: path, cache: cache)
        assertSame(after, try TermbaseFile.read(path: path, cache: nil), "edited")
        XCTAssertNotEqual(after.0, before.0)
        XCTAssertTrue(after.0.concepts[0].languageSections.contains { $0.terms.contains { $0.text == "cease-fire" } })
        // The entry now holds the edited file.
        assertSame(try XCTUnwrap(cache.entry(for: path, scope: .all)?.load(displayPath: path)), after, "rewritten")
        XCTAssertEqual(entryFiles.count, 1, "the file's entry is replaced, not added to")
        // A file replaced by another (a new inode) is read again too.
        let replacement = try write(tbxWithWarnings, as: "replacement.tbx")
        XCTAssertEqual(rename(replacement, path), 0)
        assertSame(try TermbaseFile.read(path: path, cache: cache), before, "replaced")
    }

    func testADamagedEntryIsIgnoredAndRewritten() throws {
        let path = try copy(TestPaths.repository.appendingPathComponent("Glossaries/news-fr-en.csv"))
        let expected = try TermbaseFile.read(path: path, cache: nil)
        _ = try TermbaseFile.read(path: path, cache: cache)
        let entry = try XCTUnwrap(cache.entry(for: path, scope: .all))
        let good = try Data(contentsOf: URL(fileURLWithPath: entry.file))
        var flipped = good
        flipped[flipped.count - 10] ^= 0x20
        var longer = good
        longer.append(0)
        let damaged: [(String, Data)] = [
            ("empty", Data()),
            ("garbage", Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })),
            ("truncated", good.prefix(good.count / 2)),
            ("header only", good.prefix(entry.key.count)),
            ("a changed byte", flipped),
            ("a byte more", longer),
            ("another file's", Data(("VERSO-TB" + String(repeating: "x", count: 300)).utf8)),
        ]
        for (name, bytes) in damaged {
            try bytes.write(to: URL(fileURLWithPath: entry.file))
            XCTAssertNil(entry.load(displayPath: path), name)
            assertSame(try TermbaseFile.read(path: path, cache: cache), expected, name)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: entry.file)), good, "\(name): rewritten")
        }
    }

    func testADamagedPayloadWithAValidChecksumIsNotTrusted() throws {
        // Bytes that pass the checksum but do not decode (a bug, or another version's layout
        // under the same version number): every read is bounds-checked.
        let path = try write(tbxWithWarnings, as: "g.tbx")
        let entry = try XCTUnwrap(cache.entry(for: path, scope: .all))
        for payload: [UInt8] in [[], [0xFF], [5, 0x41], Array(repeating: 0xFF, count: 40), [0, 0, 0, 1]] {
            var out = ByteWriter()
            out.bytes = entry.key
            out.fixed64(UInt64(payload.count))
            var hash = FNV1a()
            hash.add(payload)
            out.fixed64(hash.value)
            out.bytes += payload
            try FileManager.default.createDirectory(atPath: (entry.file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(out.bytes).write(to: URL(fileURLWithPath: entry.file))
            XCTAssertNil(entry.load(displayPath: path), "\(payload)")
        }
    }

    func testAnUnwritableCacheFolderIsNoError() throws {
        let path = try write(tbxWithWarnings, as: "g.tbx")
        let blocker = try write("not a folder", as: "blocker")
        var unwritable = TermbaseCache(directory: blocker + "/cache")
        unwritable.settlingTime = 0
        assertSame(try TermbaseFile.read(path: path, cache: unwritable), try TermbaseFile.read(path: path, cache: nil), "unwritable")
        XCTAssertEqual(try String(contentsOfFile: blocker, encoding: .utf8), "not a folder")
    }

    func testARecentlyChangedFileIsNotCached() throws {
        let path = try write(tbxWithWarnings, as: "g.tbx")
        let settling = TermbaseCache(directory: cache.directory)
        _ = try TermbaseFile.read(path: path, cache: settling)
        XCTAssertEqual(entryFiles, [], "a file changed within the last seconds may change again unseen")
    }

    func testErrorsAreNotCached() throws {
        let path = try copy(TestPaths.fixture("terminology/langset-without-lang.tbx"))
        for _ in 0..<2 {
            XCTAssertThrowsError(try TermbaseFile.read(path: path, cache: cache))
        }
        XCTAssertEqual(entryFiles, [])
        XCTAssertThrowsError(try TermbaseFile.read(path: folder.appendingPathComponent("missing.tbx").path, cache: cache))
    }

    func testTheFolderComesFromTheEnvironment() throws {
        let names = ["VERSO_CACHE_DIR", "XDG_CACHE_HOME", "HOME"]
        let saved = names.map { name in getenv(name).map { String(cString: $0) } }
        defer {
            for (name, value) in zip(names, saved) {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        setenv("HOME", "/home/someone", 1)
        unsetenv("VERSO_CACHE_DIR")
        unsetenv("XDG_CACHE_HOME")
        XCTAssertEqual(TermbaseCache.fromEnvironment()?.directory, "/home/someone/.cache/verso")
        setenv("XDG_CACHE_HOME", "/xdg", 1)
        XCTAssertEqual(TermbaseCache.fromEnvironment()?.directory, "/xdg/verso")
        setenv("VERSO_CACHE_DIR", "/elsewhere", 1)
        XCTAssertEqual(TermbaseCache.fromEnvironment()?.directory, "/elsewhere")
        unsetenv("VERSO_CACHE_DIR")
        unsetenv("XDG_CACHE_HOME")
        unsetenv("HOME")
        XCTAssertNil(TermbaseCache.fromEnvironment())
    }

    func testTheLibraryCachesNothingUnlessAsked() {
        XCTAssertNil(TermbaseCache.shared, "only the verso command turns the cache on")
    }
}
