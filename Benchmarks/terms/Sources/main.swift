// terms-bench: recognition throughput and lookup latency of Verso's Terminology library.
//
//   terms-bench recognize --store FILE --text FILE --language fr [--compile]
//   terms-bench lookup --store FILE.sqlite --queries FILE --language fr
//   terms-bench digest --store FILE|builtin --text FILE --language fr
//   terms-bench lookup-digest --store FILE --queries FILE --language fr
//   terms-bench segments --dir FOLDER --language fr [--repeat N]
//   terms-bench overhead --language fr [--text TEXT]
//   terms-bench load [--repeat N]
//   terms-bench compile --language fr [--repeat N]
//   terms-bench read-digest --store FILE
//
// `segments` measures what `verso convert` pays for terminology over many small files: loading
// the built-in glossaries, compiling the recognizer, and recognising the terms of short
// segments (the .txt files of FOLDER cut at sentence ends, with a standalone code in every
// tenth one), each matched on its own as the pipeline's term stage does.
//
// `overhead` matches one short text (default `x`) a million times against the built-in
// glossaries: the fixed cost of one `occurrences(in: Content)` call, in ns.
//
// `digest` prints a fingerprint of everything recognition and tokenization produce for a text
// (every match in the default, nested and barrier modes; every token), so that a change to the
// matching internals can be checked to give the same results as the previous version.
//
// Prints `key=value` lines that bench.sh reads.
import Foundation
import Terminology
import TranslationModel

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "0") ?? 0
        return kb / 1024
    }
    return 0
}

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// CPU time of this thread: what the scan costs, whatever else the machine is running.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU time of the whole process (GRDB may run a statement on its queue's thread).
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// FNV-1a over the fields of results, for `digest`.
struct Digest {
    var value: UInt64 = 0xcbf29ce484222325
    mutating func add(_ x: Int) {
        var v = UInt64(bitPattern: Int64(x))
        for _ in 0..<8 { value = (value ^ (v & 0xFF)) &* 0x100000001b3; v >>= 8 }
    }
    mutating func add(_ s: String) {
        for b in s.utf8 { value = (value ^ UInt64(b)) &* 0x100000001b3 }
        add(-1)
    }
    var hex: String { String(value, radix: 16) }
}

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// `--store builtin` (the glossaries shipped in Glossaries/) or one termbase file.
func openGlossary(_ store: String) throws -> Glossary {
    if store == "builtin" { return try BuiltInGlossaries.glossary() }
    let (s, _) = try TermbaseFile.open(path: store)
    return Glossary(stores: [s])
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("terms-bench: \(message)\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let mode = args.first else { fail("usage: terms-bench recognize|lookup …") }
let language = option("--language", args) ?? "fr"

do {
    switch mode {
    case "recognize":
        guard let store = option("--store", args), let textPath = option("--text", args) else { fail("recognize needs --store and --text") }
        let t0 = ContinuousClock.now
        let (s, _) = try TermbaseFile.open(path: store)
        let glossary = Glossary(stores: [s])
        let loaded = seconds(t0)
        let t1 = ContinuousClock.now
        let recognizer = try TermRecognizer(glossary: glossary, language: language, indexStrategy: .compile)
        let compiled = seconds(t1)
        let data = try Data(contentsOf: URL(fileURLWithPath: textPath))
        // Decoding the file is not timed, as in the peer (Python decodes while reading); the
        // timed part is folding, tokenizing and matching.
        let units = Array(String(decoding: data, as: UTF8.self).utf16)
        let t2 = ContinuousClock.now
        let c2 = processCPUSeconds()
        let count = try units.withUnsafeBufferPointer { try recognizer.countMatches(in: $0) }
        let scanned = seconds(t2)
        // All threads' CPU time: the scan of a large text runs on every core.
        let scannedCPU = processCPUSeconds() - c2
        print("load_s=\(String(format: "%.3f", loaded))")
        print("compile_s=\(String(format: "%.3f", compiled))")
        print("terms=\(recognizer.termCount)")
        print("trie_mb=\(String(format: "%.1f", Double(recognizer.memoryFootprint) / 1_048_576))")
        print("scan_s=\(String(format: "%.3f", scanned))")
        print("mb_per_s=\(String(format: "%.2f", Double(data.count) / 1_048_576 / scanned))")
        print("scan_cpu_s=\(String(format: "%.3f", scannedCPU))")
        print("cpu_mb_per_s=\(String(format: "%.2f", Double(data.count) / 1_048_576 / scannedCPU))")
        print("matches=\(count)")
        print("peak_rss_mb=\(String(format: "%.1f", peakRSSMegabytes()))")
    case "lookup":
        guard let store = option("--store", args), let queriesPath = option("--queries", args) else { fail("lookup needs --store and --queries") }
        let index = try TermIndex(path: store)
        let glossary = Glossary(stores: [index])
        let queries = try String(contentsOfFile: queriesPath, encoding: .utf8).split(separator: "\n").map(String.init)
        // Warm-up: the first queries pay for opening pages of the file.
        for q in queries.prefix(200) { _ = try glossary.lookup(q, from: language, fuzzy: false) }
        var micros: [Double] = []
        var cpuMicros: [Double] = []
        micros.reserveCapacity(queries.count)
        var found = 0
        // TERMS_BENCH_TRACE=FILE: one line per query (CPU µs, wall µs, results, query), to see
        // which queries make the tail.
        let trace = ProcessInfo.processInfo.environment["TERMS_BENCH_TRACE"]
        var traceLines: [String] = []
        for q in queries {
            let t = ContinuousClock.now
            let c = processCPUSeconds()
            let r = try glossary.lookup(q, from: language, fuzzy: false)
            cpuMicros.append((processCPUSeconds() - c) * 1e6)
            let us = seconds(t) * 1e6
            micros.append(us)
            if !r.isEmpty { found += 1 }
            if trace != nil { traceLines.append("\(String(format: "%.1f", cpuMicros.last!))\t\(String(format: "%.1f", us))\t\(r.count)\t\(q)") }
            if us > 1000, ProcessInfo.processInfo.environment["TERMS_BENCH_SLOW"] != nil {
                FileHandle.standardError.write(Data("slow: \(Int(us)) us: \(q) (\(r.count) results)\n".utf8))
            }
        }
        if let trace { try traceLines.joined(separator: "\n").write(toFile: trace, atomically: true, encoding: .utf8) }
        micros.sort()
        func pct(_ p: Double) -> Double { micros[min(micros.count - 1, Int(Double(micros.count) * p))] }
        print("queries=\(micros.count)")
        print("found=\(found)")
        print("p50_us=\(String(format: "%.1f", pct(0.50)))")
        print("p90_us=\(String(format: "%.1f", pct(0.90)))")
        print("p99_us=\(String(format: "%.1f", pct(0.99)))")
        print("max_us=\(String(format: "%.1f", micros.last ?? 0))")
        // Wall time includes the moments the scheduler gives the core to another process;
        // CPU time is what the lookup itself costs.
        cpuMicros.sort()
        print("cpu_p50_us=\(String(format: "%.1f", cpuMicros[cpuMicros.count / 2]))")
        print("cpu_p99_us=\(String(format: "%.1f", cpuMicros[min(cpuMicros.count - 1, Int(Double(cpuMicros.count) * 0.99))]))")
        // Misses (a word not in the base) take the slowest exact path: three keys, no hit.
        var missMicros: [Double] = []
        for q in queries.prefix(2000) {
            let t = ContinuousClock.now
            _ = try glossary.lookup(q + "zq", from: language, fuzzy: false)
            missMicros.append(seconds(t) * 1e6)
        }
        missMicros.sort()
        print("miss_p99_us=\(String(format: "%.1f", missMicros[min(missMicros.count - 1, Int(Double(missMicros.count) * 0.99))]))")
        print("peak_rss_mb=\(String(format: "%.1f", peakRSSMegabytes()))")
    case "digest":
        guard let store = option("--store", args), let textPath = option("--text", args) else { fail("digest needs --store and --text") }
        let glossary = try openGlossary(store)
        let recognizer = try TermRecognizer(glossary: glossary, language: language, indexStrategy: .compile)
        let data = try Data(contentsOf: URL(fileURLWithPath: textPath))
        let text = String(decoding: data, as: UTF8.self)
        let units = Array(text.utf16)
        func digest(_ name: String, _ matches: [TermMatch]) {
            var h = Digest()
            for m in matches {
                h.add(m.utf16Offset); h.add(m.utf16Length); h.add(m.store)
                h.add(m.ref.concept); h.add(m.ref.ordinal); h.add(m.kind.rawValue)
            }
            print("\(name)=\(matches.count) \(h.hex)")
        }
        try units.withUnsafeBufferPointer { buf in
            digest("matches", try recognizer.matches(in: buf))
            digest("nested", try recognizer.matches(in: buf, overlapping: true))
            // Standalone codes every 61 units (single chunk: barriers turn parallelism off).
            let barriers = Set(stride(from: 0, to: buf.count, by: 61))
            digest("barriers", try recognizer.matches(in: buf, barriers: barriers))
        }
        var h = Digest()
        var tokens = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            for t in Tokenizer.tokens(of: String(line)) {
                h.add(t.utf16Offset); h.add(t.utf16Length); h.add(t.folded)
                h.add(Int(t.letterCase.rawValue)); h.add(Int(t.gapBefore.rawValue))
                tokens += 1
            }
        }
        print("tokens=\(tokens) \(h.hex)")
    case "lookup-digest":
        // A fingerprint of every lookup result (concept, matched term, kind, order) for each
        // query, as written and with `l’` in front, to check that a change to the lookup path
        // gives the same results.
        guard let store = option("--store", args), let queriesPath = option("--queries", args) else { fail("lookup-digest needs --store and --queries") }
        let glossary = try openGlossary(store)
        let queries = try String(contentsOfFile: queriesPath, encoding: .utf8).split(separator: "\n").map(String.init)
        var h = Digest()
        var results = 0
        for q in queries + queries.prefix(2000).map({ "l’" + $0 }) {
            for r in try glossary.lookup(q, from: language, fuzzy: false) {
                h.add(r.conceptHandle); h.add(r.matchedTerm.text); h.add(r.matchedLanguage); h.add(r.kind.rawValue); h.add(r.distance)
                results += 1
            }
            h.add(-2)
        }
        print("lookups=\(results) \(h.hex)")
    case "load":
        // Reading the built-in glossaries, repeated: CPU per load.
        let repeats = Int(option("--repeat", args) ?? "20") ?? 20
        let files = BuiltInGlossaries.files
        var concepts = 0
        let c0 = processCPUSeconds()
        for _ in 0..<repeats { concepts = try BuiltInGlossaries.load(files).reduce(0) { $0 + $1.concepts.count } }
        print("concepts=\(concepts)")
        print("load_ms=\(String(format: "%.3f", (processCPUSeconds() - c0) / Double(repeats) * 1000))")
    case "read-digest":
        // A fingerprint of everything reading a termbase file gives (every concept, every
        // finding), to check that a change to a reader gives the same termbase.
        guard let store = option("--store", args) else { fail("read-digest needs --store") }
        let (tb, findings) = try TermbaseFile.read(path: store)
        var h = Digest()
        for c in tb.concepts { h.add(String(reflecting: c)) }
        h.add(String(reflecting: tb.language)); h.add(String(reflecting: tb.sourceDescription))
        for f in findings { h.add(String(reflecting: f)) }
        print("concepts=\(tb.concepts.count) findings=\(findings.count) \(h.hex)")
    case "compile":
        // Compiling the recognizer of the built-in glossaries, repeated: CPU per compile.
        let repeats = Int(option("--repeat", args) ?? "20") ?? 20
        let glossary = Glossary(stores: try BuiltInGlossaries.load(BuiltInGlossaries.files).map { InMemoryTermStore($0) })
        var terms = 0
        let c0 = processCPUSeconds()
        for _ in 0..<repeats { terms = try TermRecognizer(glossary: glossary, language: language).termCount }
        print("terms=\(terms)")
        print("compile_ms=\(String(format: "%.3f", (processCPUSeconds() - c0) / Double(repeats) * 1000))")
    case "segments":
        guard let dir = option("--dir", args) else { fail("segments needs --dir") }
        let repeats = Int(option("--repeat", args) ?? "5") ?? 5
        let c0 = processCPUSeconds()
        let bases = try BuiltInGlossaries.load(BuiltInGlossaries.files)
        let loaded = processCPUSeconds() - c0
        let c1 = processCPUSeconds()
        let recognizer = try TermRecognizer(glossary: Glossary(stores: bases.map { InMemoryTermStore($0) }), language: language)
        let compiled = processCPUSeconds() - c1
        var segments: [Content] = []
        let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") }.sorted() ?? []
        for f in files {
            let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            var sentence = ""
            for ch in text {
                sentence.append(ch)
                if ch == "." || ch == "!" || ch == "?" || ch == "\n" {
                    let s = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
                    sentence = ""
                    guard !s.isEmpty else { continue }
                    if segments.count % 10 == 9, let space = s.firstIndex(of: " ") {
                        var c = Content(language: language)
                        c.append(.text(String(s[..<space])))
                        c.append(.code(InlineCode(kind: .standalone, id: "x\(segments.count)")))
                        c.append(.text(String(s[space...])))
                        segments.append(c)
                    } else {
                        segments.append(Content(s))
                    }
                }
            }
        }
        var found = 0
        var h = Digest()
        let c2 = processCPUSeconds()
        for r in 0..<repeats {
            for seg in segments {
                let occurrences = try recognizer.occurrences(in: seg)
                if r == 0 {
                    found += occurrences.count
                    for o in occurrences { h.add(o.utf16Offset); h.add(o.utf16Length); h.add(o.concept.id); h.add(o.term.text); h.add(o.text) }
                }
            }
        }
        let matched = processCPUSeconds() - c2
        print("load_s=\(String(format: "%.4f", loaded))")
        print("compile_s=\(String(format: "%.4f", compiled))")
        print("segments=\(segments.count)")
        print("occurrences=\(found) \(h.hex)")
        print("us_per_segment=\(String(format: "%.3f", matched / Double(repeats * segments.count) * 1e6))")
    case "overhead":
        let bases = try BuiltInGlossaries.load(BuiltInGlossaries.files)
        let recognizer = try TermRecognizer(glossary: Glossary(stores: bases.map { InMemoryTermStore($0) }), language: language)
        let seg = Content(option("--text", args) ?? "x")
        let c2 = processCPUSeconds()
        var n = 0
        for _ in 0..<1_000_000 { n += try recognizer.occurrences(in: seg).count }
        print("n=\(n) ns_per_call=\(String(format: "%.1f", (processCPUSeconds() - c2) * 1000))")
    default:
        fail("unknown mode \(mode)")
    }
} catch {
    fail("\(error)")
}
