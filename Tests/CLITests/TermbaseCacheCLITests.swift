import Foundation
import TestSupport
import XCTest

/// The compiled-termbase cache as a user meets it: the second run loads what the first one
/// compiled and writes the same outputs and warnings; damaged or unwritable caches change
/// nothing but the time.
final class TermbaseCacheCLITests: XCTestCase {
    private func entries(_ cache: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("termbases").path)) ?? []).sorted()
    }

    func testASecondRunLoadsTheCompiledTermbasesAndWritesTheSameOutputs() throws {
        let dir = TestPaths.temporaryFolder("verso-cache-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let input = TestPaths.sample("seed-article.fr.txt").path
        // A glossary of the user's, with a problem reported as a warning. Cached only once it
        // has not changed for two seconds (a change within the file system's timestamp
        // granularity could otherwise go unseen).
        let glossary = dir.appendingPathComponent("mine.tbx")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <martif type="TBX-Basic" xml:lang="fr"><text><body>
              <termEntry id="c1"><langSet xml:lang="fr"><tig><term>Minsk</term>
                <termNote type="administrativeStatus">sometimes</termNote></tig></langSet>
              <langSet xml:lang="en"><tig><term>Minsk</term></tig></langSet></termEntry>
            </body></text></martif>
            """.utf8).write(to: glossary)
        Thread.sleep(forTimeInterval: 3)

        func convert(_ name: String, _ extra: [String] = [], cacheDirectory: String? = nil) throws -> (output: Data, stderr: String) {
            let output = dir.appendingPathComponent(name).path
            let r = try VersoCommand.run(["convert", input, "-o", output, "--source", "fr", "--target", "en"] + extra,
                                         environment: ["VERSO_CACHE_DIR": cacheDirectory ?? cache.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            return (try Data(contentsOf: URL(fileURLWithPath: output)), r.stderr)
        }

        // Built-in glossaries: one entry per file (for fr and en).
        let cold = try convert("cold.xlf")
        XCTAssertEqual(entries(cache).count, 3, "\(entries(cache))")
        let warm = try convert("warm.xlf")
        XCTAssertEqual(warm.output, cold.output)
        XCTAssertEqual(warm.stderr, cold.stderr)

        // A --glossary file: its warnings are replayed.
        let mineCold = try convert("mine-cold.xlf", ["--glossary", glossary.path])
        XCTAssertTrue(mineCold.stderr.contains("mine.tbx:4: warning: unknown term status 'sometimes'"), mineCold.stderr)
        XCTAssertEqual(entries(cache).count, 4)
        let mineWarm = try convert("mine-warm.xlf", ["--glossary", glossary.path])
        XCTAssertEqual(mineWarm.output, mineCold.output)
        XCTAssertEqual(mineWarm.stderr, mineCold.stderr)

        // Garbage in every entry: ignored, and the entries are written again.
        for name in entries(cache) {
            try Data(repeating: 0x5A, count: 100).write(to: cache.appendingPathComponent("termbases/\(name)"))
        }
        let repaired = try convert("repaired.xlf", ["--glossary", glossary.path])
        XCTAssertEqual(repaired.output, mineCold.output)
        XCTAssertEqual(repaired.stderr, mineCold.stderr)
        let repairedBuiltIn = try convert("repaired-built-in.xlf")
        XCTAssertEqual(repairedBuiltIn.output, cold.output)
        XCTAssertEqual(repairedBuiltIn.stderr, cold.stderr)
        XCTAssertEqual(entries(cache).count, 4)
        for name in entries(cache) {
            let bytes = try Data(contentsOf: cache.appendingPathComponent("termbases/\(name)"))
            XCTAssertEqual(bytes.prefix(8), Data("VERSO-TB".utf8), name)
        }

        // A cache folder that cannot be created: nothing changes but the time.
        let blocker = dir.appendingPathComponent("blocker")
        try Data("file".utf8).write(to: blocker)
        let unwritable = try convert("unwritable.xlf", ["--glossary", glossary.path], cacheDirectory: blocker.path + "/cache")
        XCTAssertEqual(unwritable.output, mineCold.output)
        XCTAssertEqual(unwritable.stderr, mineCold.stderr)
    }
}
