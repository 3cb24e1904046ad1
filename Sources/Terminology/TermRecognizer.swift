import Diagnostics
import Foundation
import TranslationModel

/// A term found in a text, in its cheapest form: where, which term, how. `TermOccurrence` adds
/// the concept itself.
public struct TermMatch: Sendable, Hashable {
    /// Offset of the first matched code unit in the text.
    public var utf16Offset: UTF16Offset
    /// Length of the match in UTF-16 code units.
    public var utf16Length: Int
    /// Index of the termbase in the glossary's `stores`.
    public var store: Int
    /// The matched term.
    public var ref: TermRef
    /// How it matched: `.exact`, `.inflected` or `.variant` (never fuzzy in running text).
    public var kind: MatchKind
}

/// A term found in a text, with its concept.
public struct TermOccurrence: Sendable, Hashable {
    /// Offset of the first matched code unit in the unit's plain text (`Content.plainText`).
    public var utf16Offset: UTF16Offset
    /// Length of the match in UTF-16 code units.
    public var utf16Length: Int
    /// The text as written in the document.
    public var text: String
    /// Name of the termbase the concept comes from.
    public var glossary: String
    /// The concept's handle in that termbase.
    public var conceptHandle: Int
    /// The concept, with every language.
    public var concept: Concept
    /// The source-language term that matched.
    public var term: Term
    /// The language of `term`.
    public var language: String
    /// How it matched.
    public var kind: MatchKind

    /// The concept's terms in `language`, preferred first.
    public func terms(in language: String) -> [Term] { concept.terms(in: language) }

    /// True when the source text uses a deprecated or forbidden term.
    public var isDiscouraged: Bool { term.status?.isDiscouraged ?? false }
}

/// Finds every term of a glossary in running text: multi-word terms, case and accents folded,
/// elided articles and possessives set aside (`l'OTAN`, `NATO's`), inflected forms
/// (`biélorusses`), hyphen/space variants; never inside inline codes, never across a
/// standalone code or punctuation.
///
/// Built once per glossary and source language: the terms are tokenized and folded into a trie
/// whose edges are word ids, so matching costs one hash lookup per word of the text and one
/// trie step per word of a candidate term, whatever the glossary's size. Immutable once built;
/// share one recognizer between threads.
///
/// Letter case is folded except where it tells words apart: a term written in capitals of up to
/// three letters (`UN`, `WHO`, `ONU`) only matches capitals, and a term written with a capital
/// (`Turkey`, `NATO`, `BelTA`) does not match an all-lower-case word (`turkey`).
public final class TermRecognizer: Sendable {
    /// The source language.
    public let language: String
    /// The glossary the terms come from.
    public let glossary: Glossary

    /// One term at a trie node. The folded ids and case rules of its first four words are kept
    /// inline, so that checking a match touches this value only (longer terms read the rest
    /// from `termFolds`/`termCases`).
    private struct Payload: Sendable {
        var store: Int32
        var concept: Int32
        var ordinal: Int32
        var next: Int32
        var infoOffset: Int32
        var folds: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        var caseBits: UInt32 = 0
        var tokenCount: UInt8
        var status: UInt8
        var isCompact: Bool

        init(store: Int32, concept: Int32, ordinal: Int32, next: Int32, infoOffset: Int32, tokenCount: UInt8, status: UInt8, isCompact: Bool) {
            self.store = store
            self.concept = concept
            self.ordinal = ordinal
            self.next = next
            self.infoOffset = infoOffset
            self.tokenCount = tokenCount
            self.status = status
            self.isCompact = isCompact
        }

        /// Copies the first words' folds and case rules from the side arrays.
        mutating func inline(folds all: [Int32], cases: [UInt8]) {
            let n = Int(tokenCount), o = Int(infoOffset)
            if n > 0 { folds.0 = all[o] }
            if n > 1 { folds.1 = all[o + 1] }
            if n > 2 { folds.2 = all[o + 2] }
            if n > 3 { folds.3 = all[o + 3] }
            caseBits = 0
            for k in 0..<min(n, 16) { caseBits |= UInt32(cases[o + k] & 3) << (2 * UInt32(k)) }
        }

        @inline(__always) func fold(_ k: Int, _ all: [Int32]) -> Int32 {
            switch k {
            case 0: return folds.0
            case 1: return folds.1
            case 2: return folds.2
            case 3: return folds.3
            default: return all[Int(infoOffset) + k]
            }
        }
    }

    private struct NodeInfo: Sendable {
        var first: Int32 = 0
        var count: UInt16 = 0
        /// One bit per child word (hashed to 0…63): a zero bit proves there is no edge, so most
        /// next-word probes are answered from this value without touching the edge table.
        var childSignature: UInt64 = 0
        var hasChildren: Bool { childSignature != 0 }
    }

    @inline(__always) private static func signatureBit(_ word: Int32) -> UInt64 {
        UInt64(1) << UInt64((UInt32(bitPattern: word) &* 0x9E3779B1) >> 26)
    }

    private struct WordInfo: Sendable {
        var stem: Int32 = -1
        var node: Int32 = -1
        var info = NodeInfo()
    }

    private enum CaseRule: UInt8 {
        case any = 0
        case notLower = 1
        case upper = 2
    }

    /// What the text must look like for a word of a term written `t`: short acronyms only in
    /// capitals; a capitalised first word (a name) not in lower case. Capitals later in a term
    /// are style (`Russian President` / `Russian president`) and not required.
    private static func caseRule(_ t: Token, position: Int) -> CaseRule {
        switch t.letterCase {
        case .upper where t.folded.utf16.count <= 3: return .upper
        case .upper, .mixed: return .notLower
        case .title: return position == 0 ? .notLower : .any
        case .lower, .none: return .any
        }
    }

    private let stemmer: LightStemmer
    private let vocabulary: TokenTable
    private let edges: EdgeTable
    /// Per trie node: where its terms are in `payloads`, and whether it has children.
    private let nodes: [NodeInfo]
    /// Per vocabulary word: its stem's id and the root's child along it, with that child's
    /// node information copied in, so that the first step of a match is one array read.
    private let words: [WordInfo]
    /// Terms, grouped by trie node.
    private let payloads: [Payload]
    private let termFolds: [Int32]
    private let termCases: [UInt8]
    /// Number of terms compiled.
    public let termCount: Int
    /// Stores answered by on-disk queries (SQLite indexes), by index in `glossary.stores`.
    private let probedStores: [Int]
    /// The most words a term has: the lookahead a match needs.
    private let maxTermTokens: Int

    /// How terms that live in a SQLite index are matched.
    public enum IndexStrategy: Sendable {
        /// Query the index for the words of each text position: no start-up cost, best for
        /// documents of ordinary size.
        case probe
        /// Compile the index's terms into the in-memory trie once (a few seconds for a million
        /// terms, concepts stay on disk): best for large inputs.
        case compile
    }

    /// Compiles the terms of `glossary` in `language` (and its regional variants). Terms of
    /// SQLite indexes are probed on disk or compiled, as `indexStrategy` says.
    public init(glossary: Glossary, language: String, indexStrategy: IndexStrategy = .probe) throws {
        self.language = language
        self.glossary = glossary
        let stemmer = LightStemmer(language: language)
        self.stemmer = stemmer
        var vocabulary = TokenTable(capacity: 4096)
        var edges = EdgeTable(capacity: 4096)
        var payloadHead: [Int32] = [-1]
        var childSignature: [UInt64] = [0]
        var payloads: [Payload] = []
        var termFolds: [Int32] = []
        var termCases: [UInt8] = []
        var count = 0
        var maxTokens = 1
        var units: [UInt16] = []

        func insertPath(_ keys: [Int32], _ payload: Payload) {
            var node: Int32 = 0
            for k in keys {
                var child = edges.child(node, k)
                if child < 0 {
                    child = Int32(payloadHead.count)
                    payloadHead.append(-1)
                    childSignature.append(0)
                    edges.set(node, k, child)
                    childSignature[Int(node)] |= Self.signatureBit(k)
                }
                node = child
            }
            var p = payload
            p.inline(folds: termFolds, cases: termCases)
            p.next = payloadHead[Int(node)]
            payloadHead[Int(node)] = Int32(payloads.count)
            payloads.append(p)
        }

        var probed: [Int] = []
        for (si, store) in glossary.stores.enumerated() {
            if store is TermIndex && indexStrategy == .probe {
                // Queried on disk at match time rather than compiled into memory.
                probed.append(si)
                continue
            }
            try store.forEachTerm(language: language) { ref, text, status in
                let tokens = Tokenizer.tokens(of: text)
                guard !tokens.isEmpty, tokens.count < 256 else { return }
                maxTokens = max(maxTokens, tokens.count)
                var keys: [Int32] = []
                keys.reserveCapacity(tokens.count)
                let infoOffset = Int32(termFolds.count)
                for (position, t) in tokens.enumerated() {
                    let fold = vocabulary.insert(t.folded)
                    termFolds.append(fold)
                    termCases.append(Self.caseRule(t, position: position).rawValue)
                    let stems = t.letterCase == .lower || t.letterCase == .none || stemmer.stemsCapitalisedTerms
                    if stems, stemmer.rules != nil {
                        units = Array(t.folded.utf16)
                        let n = stemmer.stem(&units, count: units.count)
                        keys.append(units.withUnsafeBufferPointer { vocabulary.insert(UnsafeBufferPointer(rebasing: $0[0..<n])) })
                    } else {
                        keys.append(fold)
                    }
                }
                let statusCode: UInt8 = status.map { UInt8(TermStatus.allCases.firstIndex(of: $0)! + 1) } ?? 0
                let payload = Payload(store: Int32(si), concept: Int32(ref.concept), ordinal: Int32(ref.ordinal), next: -1, infoOffset: infoOffset, tokenCount: UInt8(tokens.count), status: statusCode, isCompact: false)
                insertPath(keys, payload)
                count += 1
                // `e-mail` also matches `email`.
                if tokens.count > 1, tokens.dropFirst().allSatisfy({ $0.gapBefore == .hyphen }) {
                    let joined = tokens.map(\.folded).joined()
                    let id = vocabulary.insert(joined)
                    let compactOffset = Int32(termFolds.count)
                    termFolds.append(id)
                    termCases.append(termCases[Int(infoOffset)])
                    var p = payload
                    p.infoOffset = compactOffset
                    p.tokenCount = 1
                    p.isCompact = true
                    insertPath([id], p)
                }
            }
        }
        // The stem of every known word, so that a text word found in the vocabulary needs no
        // stemming at match time.
        var stemOf = [Int32](repeating: -1, count: vocabulary.count)
        if stemmer.rules != nil {
            for id in 0..<vocabulary.count {
                units = Array(vocabulary.word(Int32(id)).utf16)
                let n = stemmer.stem(&units, count: units.count)
                stemOf[id] = units.withUnsafeBufferPointer { vocabulary.find(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            }
        }
        // Terms grouped by node, in glossary order (the lists were built by prepending).
        var grouped: [Payload] = []
        grouped.reserveCapacity(payloads.count)
        var nodes = [NodeInfo](repeating: NodeInfo(), count: payloadHead.count)
        var list: [Payload] = []
        for node in 0..<payloadHead.count {
            list.removeAll(keepingCapacity: true)
            var p = payloadHead[node]
            while p >= 0 { list.append(payloads[Int(p)]); p = payloads[Int(p)].next }
            nodes[node] = NodeInfo(first: Int32(grouped.count), count: UInt16(min(list.count, Int(UInt16.max))), childSignature: childSignature[node])
            grouped.append(contentsOf: list.reversed().prefix(Int(UInt16.max)))
        }
        var words = [WordInfo](repeating: WordInfo(), count: vocabulary.count)
        for id in 0..<vocabulary.count { words[id].stem = stemOf[id] }
        for (word, child) in edges.rootEdges() {
            words[Int(word)].node = child
            words[Int(word)].info = nodes[Int(child)]
        }
        self.vocabulary = vocabulary
        self.words = words
        self.nodes = nodes
        self.edges = edges
        self.payloads = grouped
        self.termFolds = termFolds
        self.termCases = termCases
        self.termCount = count
        self.probedStores = probed
        var longest = maxTokens
        for si in probed { longest = max(longest, (glossary.stores[si] as? TermIndex)?.maxTermTokens ?? 8) }
        self.maxTermTokens = max(longest, 1)
    }

    /// Approximate bytes held by the compiled trie and vocabulary.
    public var memoryFootprint: Int {
        vocabulary.memoryFootprint + edges.memoryFootprint + words.count * MemoryLayout<WordInfo>.stride + nodes.count * MemoryLayout<NodeInfo>.stride
            + payloads.count * MemoryLayout<Payload>.stride + termFolds.count * 4 + termCases.count
    }

    // MARK: matching

    private struct TextToken {
        var start: Int32
        var end: Int32
        var fold: Int32
        var stem: Int32
        var letterCase: LetterCase
        var gap: Token.Gap
    }

    /// Every match in `text`. `barriers`: UTF-16 offsets no term may span (standalone codes).
    /// By default overlapping matches are resolved leftmost-longest (several concepts for the
    /// same span are all kept); `overlapping: true` returns every match, nested ones included.
    /// Sorted by offset, longest first.
    public func matches(in text: String, barriers: Set<Int> = [], overlapping: Bool = false) throws -> [TermMatch] {
        let units = Array(text.utf16)
        return try units.withUnsafeBufferPointer { buf in
            try matches(in: buf, barriers: barriers, overlapping: overlapping)
        }
    }

    /// Counts matches in a large text without building `TermMatch` values for a report
    /// (benchmarks, statistics); the same rules as `matches(in:)`.
    public func countMatches(in units: UnsafeBufferPointer<UInt16>, overlapping: Bool = false) throws -> Int {
        let chunks = Self.chunks(of: units)
        if chunks.count == 1 {
            var n = 0
            try scan(units, barriers: [], overlapping: overlapping) { _ in n += 1 }
            return n
        }
        // The buffer outlives the parallel loop and is only read.
        nonisolated(unsafe) let shared = units
        let counts = try inParallel(chunks) { chunk in
            var n = 0
            try self.scan(UnsafeBufferPointer(rebasing: shared[chunk]), barriers: [], overlapping: overlapping) { _ in n += 1 }
            return n
        }
        return counts.reduce(0, +)
    }

    /// Every match in UTF-16 text. Texts of several megabytes are cut at punctuation (which no
    /// term spans, so the result is the same) and the pieces matched on all cores.
    public func matches(in units: UnsafeBufferPointer<UInt16>, barriers: Set<Int> = [], overlapping: Bool = false) throws -> [TermMatch] {
        let chunks = barriers.isEmpty ? Self.chunks(of: units) : [0..<units.count]
        if chunks.count == 1 {
            var out: [TermMatch] = []
            try scan(units, barriers: barriers, overlapping: overlapping) { out.append($0) }
            return out
        }
        // The buffer outlives the parallel loop and is only read.
        nonisolated(unsafe) let shared = units
        return try inParallel(chunks) { chunk in
            var out: [TermMatch] = []
            try self.scan(UnsafeBufferPointer(rebasing: shared[chunk]), barriers: [], overlapping: overlapping) { m in
                var m = m
                m.utf16Offset += chunk.lowerBound
                out.append(m)
            }
            return out
        }.flatMap { $0 }
    }

    /// Asked once: on Linux `activeProcessorCount` reads the scheduler's CPU set on every call,
    /// which cost a tenth of `verso convert`'s time on a folder of small files (one call per unit).
    static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    /// Pieces of at least 1 MB (UTF-16 units), one per core at most, each ending just after a
    /// punctuation mark (a barrier no term crosses); one piece when the text is small or has
    /// no such mark near a cut.
    static func chunks(of units: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
        let cores = processorCount
        let minimum = 1 << 20
        guard cores > 1, units.count >= 2 * minimum else { return [0..<units.count] }
        let pieces = min(cores, units.count / minimum)
        var cuts: [Int] = [0]
        for k in 1..<pieces {
            var cut = units.count * k / pieces
            let limit = min(units.count, cut + (1 << 16))
            while cut < limit {
                let u = units[cut]
                // '.', '!', '?', ';', ':', ',', '…', paragraph break: never inside a term.
                if u == 0x2E || u == 0x21 || u == 0x3F || u == 0x3B || u == 0x3A || u == 0x2C || u == 0x2026 { cut += 1; break }
                cut += 1
            }
            if cut >= limit || cut <= cuts.last! { continue }
            cuts.append(cut)
        }
        cuts.append(units.count)
        return zip(cuts, cuts.dropFirst()).map { $0..<$1 }
    }

    /// Runs `body` on each chunk concurrently and returns the results in chunk order.
    private func inParallel<T>(_ chunks: [Range<Int>], _ body: @Sendable (Range<Int>) throws -> T) throws -> [T] {
        let results = ParallelResults<T>(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            results.set(k, Result { try body(chunks[k]) })
        }
        return try results.values()
    }

    /// Tokens are matched in windows as the scanner produces them, so memory stays bounded
    /// by the window (a few thousand words), not by the text.
    private func scan(_ units: UnsafeBufferPointer<UInt16>, barriers: Set<Int>, overlapping: Bool, _ emit: (TermMatch) -> Void) throws {
        var scanner = TokenScanner(barriers: barriers)
        var matcher = WindowMatcher(recognizer: self, overlapping: overlapping)
        matcher.tokens.reserveCapacity(Self.window + maxTermTokens + 1)
        // Stems only shorten words (a rule may append one unit past the count: keep a margin).
        var stemBuffer = [UInt16](repeating: 0, count: TokenScanner.capacity + 8)
        let stems = stemmer.rules != nil
        let probing = !probedStores.isEmpty
        let vocabulary = self.vocabulary
        let words = self.words
        while let t = scanner.next(units) {
            var fold: Int32 = -1
            var stem: Int32 = -1
            var length = 0
            scanner.withFolded { f in
                length = f.count
                fold = vocabulary.find(f)
            }
            if probing {
                let w = scanner.withFolded { String(decoding: $0, as: UTF16.self) }
                matcher.words.append(w)
                matcher.wordStems.append(stemmer.stem(w))
            }
            if fold >= 0 {
                stem = words[Int(fold)].stem
            } else if stems && length > 2 {
                scanner.withFolded { f in
                    stemBuffer.withUnsafeMutableBufferPointer { d in d.baseAddress!.update(from: f.baseAddress!, count: f.count) }
                }
                let n = stemmer.stem(&stemBuffer, count: length)
                if n != length {
                    stem = stemBuffer.withUnsafeBufferPointer { vocabulary.find(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                }
            }
            matcher.tokens.append(TextToken(start: Int32(t.start), end: Int32(t.end), fold: fold, stem: stem == fold ? -1 : stem, letterCase: t.letterCase, gap: t.gap))
            if matcher.tokens.count >= Self.window + maxTermTokens {
                try matcher.process(upTo: matcher.tokens.count - maxTermTokens, emit)
                matcher.dropProcessed()
            }
        }
        try matcher.process(upTo: matcher.tokens.count, emit)
    }

    /// Words matched per window.
    private static let window = 4096

    /// The matching state of one scan: a window of tokens and the position reached. A struct
    /// with mutating methods (not closures over local variables) so that the hot loop pays no
    /// dynamic exclusivity checks.
    private struct WindowMatcher {
        let recognizer: TermRecognizer
        let overlapping: Bool
        var tokens: [TextToken] = []
        var words: [String] = []
        var wordStems: [String] = []
        var found: [Candidate] = []
        var stack: [(node: Int32, j: Int, signature: UInt64)] = []
        var i = 0
        var coveredUntil = 0 // leftmost-longest: first token not yet covered

        init(recognizer: TermRecognizer, overlapping: Bool) {
            self.recognizer = recognizer
            self.overlapping = overlapping
        }

        /// Matches every start position below `limit` (which leaves `maxTermTokens` tokens of
        /// lookahead unless the text has ended).
        mutating func process(upTo limit: Int, _ emit: (TermMatch) -> Void) throws {
            let edges = recognizer.edges
            let wordInfo = recognizer.words
            let nodes = recognizer.nodes
            let payloads = recognizer.payloads
            let probing = !recognizer.probedStores.isEmpty
            let count = tokens.count
            while i < limit {
                // Clearing an empty array still costs a call per word: most words match nothing.
                if !found.isEmpty { found.removeAll(keepingCapacity: true) }
                if probing {
                    try recognizer.probe(at: i, tokens: tokens, words: words, stems: wordStems, into: &found)
                }
                let first = tokens[i]
                if found.isEmpty && first.fold < 0 && first.stem < 0 { i += 1; continue }
                // The stack is empty here: the walk below pops until nothing is left.
                stack.append((0, i, .max))
                while let (node, j, signature) = stack.popLast() {
                    guard j < count else { continue }
                    let tok = tokens[j]
                    if j > i && tok.gap == .barrier { continue }
                    for pass in 0..<2 {
                        let key = pass == 0 ? tok.fold : tok.stem
                        if key < 0 { continue }
                        if signature & TermRecognizer.signatureBit(key) == 0 { continue }
                        let child: Int32
                        let info: NodeInfo
                        if node == 0 {
                            let w = wordInfo[Int(key)]
                            child = w.node
                            info = w.info
                        } else {
                            child = edges.child(node, key)
                            info = child >= 0 ? nodes[Int(child)] : NodeInfo()
                        }
                        if child < 0 { continue }
                        var p = Int(info.first)
                        let end = p + Int(info.count)
                        while p < end {
                            let payload = payloads[p]
                            if let kind = recognizer.accept(payload, tokens, from: i) {
                                found.append(Candidate(end: j + 1, store: payload.store, concept: payload.concept, ordinal: payload.ordinal, kind: kind))
                            }
                            p += 1
                        }
                        if info.hasChildren { stack.append((child, j + 1, info.childSignature)) }
                    }
                }
                if !found.isEmpty && (overlapping || i >= coveredUntil) {
                    var longest = 0
                    for f in found where f.end > longest { longest = f.end }
                    // Longest first, then by kind, keeping one match per concept and span.
                    if found.count > 1 { found.sort { a, b in a.end != b.end ? a.end > b.end : a.kind < b.kind } }
                    for k in found.indices {
                        let f = found[k]
                        if !overlapping && f.end != longest { continue }
                        var duplicate = false
                        for g in found[..<k] where g.end == f.end && g.store == f.store && g.concept == f.concept { duplicate = true; break }
                        if duplicate { continue }
                        let start = Int(tokens[i].start), end = Int(tokens[f.end - 1].end)
                        emit(TermMatch(utf16Offset: start, utf16Length: end - start, store: Int(f.store), ref: TermRef(concept: Int(f.concept), ordinal: Int(f.ordinal)), kind: f.kind))
                    }
                    if !overlapping { coveredUntil = longest; i = longest; continue }
                }
                i += 1
            }
        }

        /// Forgets the tokens no later match can start in.
        mutating func dropProcessed() {
            let drop = min(i, coveredUntil)
            guard drop > 0 else { return }
            tokens.removeFirst(drop)
            if !words.isEmpty { words.removeFirst(drop); wordStems.removeFirst(drop) }
            i -= drop
            coveredUntil -= drop
        }
    }

    private struct Candidate {
        var end: Int
        var store: Int32
        var concept: Int32
        var ordinal: Int32
        var kind: MatchKind
    }

    /// Looks up in the SQLite stores every term that starts at token `i`: the exact and stem
    /// keys of the 1…n words from `i` in one query, then the same case and stem rules as the trie.
    private func probe(at i: Int, tokens: [TextToken], words: [String], stems: [String], into found: inout [Candidate]) throws {
        for si in probedStores {
            guard let index = glossary.stores[si] as? TermIndex else { continue }
            var exactKeys: [String] = [], stemKeys: [String] = []
            var exact = "", stem = ""
            var j = i
            while j < tokens.count && j - i < index.maxTermTokens {
                if j > i && tokens[j].gap == .barrier { break }
                exact += (j > i ? " " : "") + words[j]
                stem += (j > i ? " " : "") + stems[j]
                exactKeys.append(exact)
                stemKeys.append(stem)
                j += 1
            }
            var keys = exactKeys
            for k in stemKeys where !keys.contains(k) { keys.append(k) }
            for r in try index.probe(keys: keys, language: language) {
                guard let n = exactKeys.firstIndex(of: r.key).map({ $0 + 1 }) ?? stemKeys.firstIndex(of: r.stem).map({ $0 + 1 }) else { continue }
                let termTokens = Tokenizer.tokens(of: r.hit.text)
                guard termTokens.count == n else { continue }
                var isExact = true, ok = true
                for k in 0..<n {
                    let tt = termTokens[k], tok = tokens[i + k]
                    switch Self.caseRule(tt, position: k) {
                    case .upper: if tok.letterCase != .upper && tok.letterCase != .none { ok = false }
                    case .notLower: if tok.letterCase == .lower { ok = false }
                    case .any: break
                    }
                    if tt.folded != words[i + k] {
                        isExact = false
                        let stemmable = tt.letterCase == .lower || tt.letterCase == .none || stemmer.stemsCapitalisedTerms
                        if !stemmable || stemmer.stem(tt.folded) != stems[i + k] { ok = false }
                    }
                    if !ok { break }
                }
                guard ok else { continue }
                found.append(Candidate(end: i + n, store: Int32(si), concept: Int32(r.hit.ref.concept), ordinal: Int32(r.hit.ref.ordinal), kind: isExact ? .exact : .inflected))
            }
        }
    }

    @inline(__always) private func accept(_ p: Payload, _ tokens: [TextToken], from i: Int) -> MatchKind? {
        var exact = true
        let n = Int(p.tokenCount)
        for k in 0..<n {
            let tok = tokens[i + k]
            let rule = k < 16 ? UInt8(truncatingIfNeeded: p.caseBits >> (2 * UInt32(k))) & 3 : termCases[Int(p.infoOffset) + k]
            switch CaseRule(rawValue: rule) ?? .any {
            case .any: break
            case .notLower: if tok.letterCase == .lower { return nil }
            case .upper: if tok.letterCase != .upper && tok.letterCase != .none { return nil }
            }
            if tok.fold != p.fold(k, termFolds) { exact = false }
        }
        if p.isCompact { return .variant }
        return exact ? .exact : .inflected
    }

    // MARK: occurrences with concepts

    /// The occurrences in a plain text, with their concepts.
    public func occurrences(in text: String, overlapping: Bool = false) throws -> [TermOccurrence] {
        try resolve(try matches(in: text, overlapping: overlapping), in: text)
    }

    /// The occurrences in content with inline codes: offsets are in `content.plainText`; text
    /// inside codes is never matched and no term spans a standalone code.
    public func occurrences(in content: Content, overlapping: Bool = false) throws -> [TermOccurrence] {
        var text = ""
        var barriers = Set<Int>()
        var offset = 0
        for run in content.runs {
            switch run {
            case .text(let t):
                text += t
                offset += t.utf16.count
            case .code(let c):
                if c.kind == .standalone { barriers.insert(offset) }
            case .marker:
                break
            }
        }
        return try resolve(try matches(in: text, barriers: barriers, overlapping: overlapping), in: text)
    }

    /// Adds concepts and terms to raw matches.
    public func resolve(_ matches: [TermMatch], in text: String) throws -> [TermOccurrence] {
        let utf16 = text.utf16
        var out: [TermOccurrence] = []
        out.reserveCapacity(matches.count)
        for m in matches {
            let store = glossary.stores[m.store]
            guard let (lang, term) = try store.term(m.ref) else { continue }
            let from = utf16.index(utf16.startIndex, offsetBy: m.utf16Offset)
            let to = utf16.index(from, offsetBy: m.utf16Length)
            out.append(TermOccurrence(
                utf16Offset: m.utf16Offset, utf16Length: m.utf16Length,
                text: String(text[from..<to]),
                glossary: store.name, conceptHandle: m.ref.concept, concept: try store.concept(m.ref.concept),
                term: term, language: lang, kind: m.kind))
        }
        return out
    }
}

extension Array where Element == TermOccurrence {
    /// The distinct concepts of these occurrences, in order of first occurrence: the glossary
    /// subset to ship beside a document (`TBXWriter.write`, `CSVTermbaseWriter.write`).
    public var concepts: [Concept] {
        var seen = Set<String>()
        var out: [Concept] = []
        for o in self where seen.insert("\(o.glossary)\u{1}\(o.conceptHandle)").inserted { out.append(o.concept) }
        return out
    }
}

extension TermOccurrence {
    /// A warning when the occurrence uses a deprecated or forbidden term, naming what to use
    /// instead; nil otherwise. `at` places it (the caller knows the file, line and column).
    public func discouragedTermFinding(at location: SourceLocation?) -> Finding? {
        guard let status = term.status, status.isDiscouraged else { return nil }
        let instead = concept.preferredTerm(in: language).map { " (use '\($0.text)')" } ?? ""
        return Finding(.warning, "\(status.rawValue) term '\(text)'\(instead)", at: location, code: "terms.\(status.rawValue)")
    }
}

/// Slots for the results of a `concurrentPerform`, each written by exactly one iteration.
private final class ParallelResults<T>: @unchecked Sendable {
    // @unchecked: iteration k writes slot k only, and the slots are read after
    // concurrentPerform has returned (which orders the writes before the reads).
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ r: Result<T, any Error>) {
        slots.withUnsafeMutableBufferPointer { $0[k] = r }
    }

    func values() throws -> [T] { try slots.map { try $0!.get() } }
}
