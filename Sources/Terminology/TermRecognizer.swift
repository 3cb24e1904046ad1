import Diagnostics
import Foundation
import Synchronization
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
    /// The concept, with every language its glossary was read for (see `LanguageScope`).
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

    /// One term at a trie node while the trie is built (terms of a node are chained by
    /// `next`); `CompiledTrie` lays them out for matching.
    private struct Payload {
        var store: Int32
        var concept: Int32
        var ordinal: Int32
        var next: Int32
        var infoOffset: Int32
        var tokenCount: UInt8
        var isCompact: Bool
    }

    @inline(__always) private static func signatureBit(_ word: Int32) -> UInt64 {
        UInt64(1) << UInt64((UInt32(bitPattern: word) &* 0x9E3779B1) >> 26)
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
    /// The vocabulary and the trie, laid out for matching.
    private let trie: CompiledTrie
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
                    edges.set(node, k, child)
                }
                node = child
            }
            var p = payload
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
            try store.forEachTerm(language: language) { ref, text, _ in
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
                let payload = Payload(store: Int32(si), concept: Int32(ref.concept), ordinal: Int32(ref.ordinal), next: -1, infoOffset: infoOffset, tokenCount: UInt8(tokens.count), isCompact: false)
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
        // Terms grouped by node, in glossary order (the lists were built by prepending); at
        // most 65,535 per node. Flat arrays, not an array per node: a million-term glossary
        // has a million nodes, and as many small allocations would cost time and peak memory.
        let nodeCount = payloadHead.count
        var termStart = [Int32](repeating: 0, count: nodeCount + 1)
        var listLength = [Int32](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount {
            var n: Int32 = 0
            var p = payloadHead[node]
            while p >= 0 { n += 1; p = payloads[Int(p)].next }
            listLength[node] = n
            termStart[node + 1] = termStart[node] + min(n, Int32(UInt16.max))
        }
        var terms = [CompiledTrie.Term](repeating: CompiledTrie.Term(store: 0, concept: 0, ordinal: 0, infoOffset: 0, tokenCount: 0, isCompact: false), count: Int(termStart[nodeCount]))
        for node in 0..<nodeCount {
            // The list runs newest first: its k-th entry is the node's (n - 1 - k)-th term.
            var k: Int32 = 0
            var p = payloadHead[node]
            let n = listLength[node]
            while p >= 0 {
                let q = payloads[Int(p)]
                let position = n - 1 - k
                if position < Int32(UInt16.max) {
                    terms[Int(termStart[node] + position)] = CompiledTrie.Term(store: q.store, concept: q.concept, ordinal: q.ordinal, infoOffset: q.infoOffset, tokenCount: Int(q.tokenCount), isCompact: q.isCompact)
                }
                k += 1
                p = q.next
            }
        }
        payloads = []
        listLength = []
        let allEdges = edges.allEdges()
        edges = EdgeTable(capacity: 1)
        self.trie = CompiledTrie(vocabulary: vocabulary, stemOf: stemOf, edges: allEdges, termStart: termStart, terms: terms,
                                 termFolds: termFolds, termCases: termCases, signatureBit: Self.signatureBit)
        self.termCount = count
        self.probedStores = probed
        var longest = maxTokens
        for si in probed { longest = max(longest, (glossary.stores[si] as? TermIndex)?.maxTermTokens ?? 8) }
        self.maxTermTokens = max(longest, 1)
    }

    /// Approximate bytes held by the compiled trie and vocabulary.
    public var memoryFootprint: Int {
        trie.memoryFootprint
    }

    // MARK: matching

    /// A word of the text being matched: where it is, its folded word's id and its stem's id
    /// in the vocabulary (-1: unknown; the stem is -1 when it is the word itself).
    private struct TextToken: BitwiseCopyable {
        var start: Int32
        var end: Int32
        var fold: Int32
        var stem: Int32
        /// `signatureBit` of `fold` and of `stem` (0 for an unknown word): which children
        /// signatures this token can be among.
        var keyBits: UInt64
        /// Letter case as written; nil for a word the scanner's fast path read, whose case is
        /// worked out from the text only when a term's case rule asks (`letterCase(in:)`):
        /// most words kept are never the start of a term.
        var countedCase: LetterCase?
        var gap: Token.Gap
        /// The blocks of the root's children along `fold` and `stem` (-1: none).
        var foldRoot: Int32
        var stemRoot: Int32
        /// The root has a child along `fold` or `stem`: a term may start here.
        var startsTerm: Bool { foldRoot >= 0 || stemRoot >= 0 }

        /// Letter case as written; `text`: the text the token comes from.
        @inline(__always) func letterCase(in text: UnsafePointer<UInt16>) -> LetterCase {
            countedCase ?? TokenScanner.fastPathCase(text + Int(start), count: Int(end - start))
        }
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
            try scan(units, sortedBarriers: UnsafeBufferPointer(start: nil, count: 0), overlapping: overlapping) { _ in n += 1 }
            return n
        }
        // The buffer outlives the parallel loop and is only read.
        nonisolated(unsafe) let shared = units
        let counts = try inParallel(chunks) { chunk in
            var n = 0
            try self.scan(UnsafeBufferPointer(rebasing: shared[chunk]), sortedBarriers: UnsafeBufferPointer(start: nil, count: 0), overlapping: overlapping) { _ in n += 1 }
            return n
        }
        return counts.reduce(0, +)
    }

    /// Every match in UTF-16 text. Texts of several megabytes are cut at punctuation (which no
    /// term spans, so the result is the same) and the pieces matched on all cores.
    public func matches(in units: UnsafeBufferPointer<UInt16>, barriers: Set<Int> = [], overlapping: Bool = false) throws -> [TermMatch] {
        try barriers.sorted().withUnsafeBufferPointer { try matches(in: units, sortedBarriers: $0, overlapping: overlapping) }
    }

    /// `matches(in:barriers:overlapping:)` with the barriers in ascending order.
    /// `scratch`: memory the caller took from the pool, used when the text is matched in one piece.
    private func matches(in units: UnsafeBufferPointer<UInt16>, sortedBarriers barriers: UnsafeBufferPointer<Int>, overlapping: Bool = false, scratch: ScanScratch? = nil) throws -> [TermMatch] {
        // (A segment, the usual text, is far below the size that is cut: no list of pieces.)
        let chunks = barriers.isEmpty && units.count >= Self.minimumChunk * 2 ? Self.chunks(of: units) : []
        if chunks.count <= 1 {
            var out: [TermMatch] = []
            try scan(units, sortedBarriers: barriers, overlapping: overlapping, scratch: scratch) { out.append($0) }
            return out
        }
        // The buffer outlives the parallel loop and is only read.
        nonisolated(unsafe) let shared = units
        return try inParallel(chunks) { chunk in
            var out: [TermMatch] = []
            try self.scan(UnsafeBufferPointer(rebasing: shared[chunk]), sortedBarriers: UnsafeBufferPointer(start: nil, count: 0), overlapping: overlapping) { m in
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

    /// The smallest piece `chunks` cuts: 1 M UTF-16 units.
    static let minimumChunk = 1 << 20

    /// Pieces of at least 1 MB (UTF-16 units), one per core at most, each ending just after a
    /// punctuation mark (a barrier no term crosses); one piece when the text is small or has
    /// no such mark near a cut.
    static func chunks(of units: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
        let cores = processorCount
        let minimum = minimumChunk
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
    /// `barriers`: ascending UTF-16 offsets no term may span.
    /// `lent`: scratch the caller holds; otherwise one is taken from the pool.
    private func scan(_ units: UnsafeBufferPointer<UInt16>, sortedBarriers barriers: UnsafeBufferPointer<Int>, overlapping: Bool, scratch lent: ScanScratch? = nil, _ emit: (TermMatch) -> Void) throws {
        let scratch = lent ?? takeScratch()
        defer { if lent == nil { returnScratch(scratch) } }
        // The scanner and the matcher read the scratch through plain pointers and unowned
        // references: it is kept alive here (and so is `self`, for the length of the call).
        try withExtendedLifetime(scratch) {
            let trie = self.trie.reader
            var scanner = TokenScanner(sortedBarriers: barriers, storage: scratch.folded.base)
            let lookahead = maxTermTokens
            var matcher = WindowMatcher(recognizer: self, trie: trie, overlapping: overlapping, scratch: scratch, text: units.baseAddress)
            let probing = !probedStores.isEmpty
            // A word that is neither a term's word nor has a term word's stem can be in no
            // match, and no match spans it: the scanner passes over it (`keep` says no), and
            // the next word kept is marked as after a barrier instead (probed stores need
            // every word).
            if probing { scratch.forgetWords() }
            // The word's id and its stem's, worked out by `keep` below for each word the
            // scanner reads, from its folded units (the scanner's scratch, read in place and
            // stemmed in place once looked up: the next word overwrites them anyway).
            var fold: Int32 = -1
            var stem: Int32 = -1
            // A word kept by `keep` was passed over since the last one appended (see below).
            var passedOver = false
            // `keep` kept the word before the one it is asked about.
            var previousKept = false
            while let t = scanner.next(units, keeping: { folded, length in
                // (Words of one or two letters, a third of a text's, without the call.)
                // (And most longer words, by their first three units and length, too.)
                fold = CompiledTrie.shortIndex(folded, length).map { trie.short[$0] } ?? (trie.lacks(folded, length) ? -1 : trie.find(padded: folded, count: length))
                stem = -1
                if probing { matcher.keepWord(UnsafeBufferPointer(start: folded, count: length), stemmer: stemmer) }
                if fold >= 0 {
                    stem = trie.stem(fold)
                } else if length > 2 && stemmer.mayShorten(endingIn: folded[length - 1])
                            && !(length >= stemmer.keepsFirstThreeUnitsFrom && trie.lacksShorter(folded, length)) {
                    // (Asked first: most words end in a unit no rule removes, and the call
                    // cost more than the question. Then, when the stem keeps the word's first
                    // three units, the vocabulary's lengths for them rule most stems out.)
                    stem = Self.stemID(folded, length, stemmer, trie)
                }
                if stem == fold { stem = -1 }
                // A word right after one passed over that starts no term is in no match
                // either (no term continues across the gap): passed over too. Most words a
                // term has are such (`de`, `la`), inside terms only. (The loop below applies
                // the same rule after punctuation, which this test does not see.)
                let kept = probing || ((fold >= 0 || stem >= 0)
                    && (previousKept || (fold >= 0 && trie.root(fold) >= 0) || (stem >= 0 && trie.root(stem) >= 0)))
                previousKept = kept
                return kept
            }) {
                let foldRoot = fold >= 0 ? trie.root(fold) : -1
                let stemRoot = stem >= 0 ? trie.root(stem) : -1
                let gap = t.afterDropped || passedOver ? Token.Gap.barrier : t.gap
                // A word that starts no term and comes after a barrier (or first) continues
                // none either, so it is in no match: passed over like a word no term has
                // (`de`, `la`, kept only because some term has them inside). The next word
                // kept then comes after a barrier. (Probed stores need every word.)
                if foldRoot < 0 && stemRoot < 0 && (gap == .barrier || gap == .start) && !probing {
                    passedOver = true
                    continue
                }
                passedOver = false
                try matcher.add(t, fold: fold, stem: stem, foldRoot: foldRoot, stemRoot: stemRoot, gap: gap, lookahead: lookahead, emit)
            }
            try matcher.process(upTo: matcher.count, emit)
        }
    }

    /// Words matched per window.
    private static let window = 4096

    /// The id of the stem of the folded word `u` (`length` units, more than two), which is not
    /// in the vocabulary, or -1: its stem is worked out in place in `u` and looked up.
    ///
    /// Asked only for words ending in a unit some rule removes, whose stem the vocabulary
    /// may hold (`CompiledTrie.Reader.lacksShorter`): a fifth of a French text's words.
    /// (Out of line: the scan loop is near the size past which the compiler stops inlining
    /// into it, and the rules of every language are a switch.)
    @inline(never) private static func stemID(_ u: UnsafeMutablePointer<UInt16>, _ length: Int, _ stemmer: LightStemmer, _ trie: CompiledTrie.Reader) -> Int32 {
        let n = stemmer.stem(u, count: length)
        return n != length ? trie.find(padded: u, count: n) : -1
    }

    /// The memory one scan works in: the window of tokens, the candidates and the walk's stack,
    /// the scanner's folded word. A document is matched a segment at
    /// a time, and allocating this for each short segment cost more than matching it: scans
    /// borrow it from `scratchPool` and give it back, so a run allocates one per thread.
    private final class ScanScratch: @unchecked Sendable {
        // @unchecked: a scratch is used by the one scan that took it from the pool; the pool's
        // lock orders one scan's use before the next one's.
        let tokens: ScratchBuffer<TextToken>
        let found = ScratchBuffer<Candidate>(capacity: 64)
        let stack: ScratchBuffer<Visit>
        /// The scanner's folded word; `find(padded:)` may read a few units past a word.
        let folded = ScratchUnits(capacity: TokenScanner.capacity + WordRecord.inlineUnits)
        /// The UTF-16 text of the content being matched and its barriers (`occurrences(in: Content)`).
        let units = ScratchBuffer<UInt16>(capacity: 1024)
        let barriers = ScratchBuffer<Int>(capacity: 16)
        /// For stores probed on disk: the window's folded words and their stems as strings
        /// (the keys of `probe`), and the terms a probe found. Here rather than in the
        /// matcher, which then holds no array to release at the end of every scan.
        var words: [String] = []
        var wordStems: [String] = []
        var probeFound: [Candidate] = []

        /// Empties `words` and `wordStems`, which an earlier scan may have left.
        @inline(never) func forgetWords() {
            words.removeAll(keepingCapacity: true)
            wordStems.removeAll(keepingCapacity: true)
        }

        /// Writes the text runs of `content` into `units` and the offsets of its standalone
        /// codes into `barriers`; returns the number of units and of barriers.
        func load(_ content: Content) -> (units: Int, barriers: Int) {
            var n = 0, nb = 0
            for run in content.runs {
                switch run {
                case .text(let t):
                    n = units.appendUTF16(of: t, at: n)
                case .code(let c):
                    // Offsets only grow along the runs: the list comes out sorted.
                    if c.kind == .standalone && (nb == 0 || barriers.base[nb - 1] != n) {
                        barriers.put(n, at: nb)
                        nb += 1
                    }
                case .marker:
                    break
                }
            }
            return (n, nb)
        }

        /// Drops a huge text's buffer rather than keep it for the rest of the run.
        func trim() {
            if units.capacity > 1 << 16 { units.reset(capacity: 1024) }
        }

        init(maxTermTokens: Int) {
            tokens = ScratchBuffer(capacity: TermRecognizer.window + maxTermTokens + 1)
            stack = ScratchBuffer(capacity: 2 * maxTermTokens + 8)
        }
    }

    /// Scratch memory not in use by a scan (one per thread that has scanned, at most).
    private let scratchPool = Mutex<[ScanScratch]>([])

    /// One scratch kept beside the pool (an `Unmanaged` reference holding one retain, or 0),
    /// taken and given back with one atomic exchange each: a segment is matched in well under a
    /// microsecond, and the pool's lock and list cost a tenth of that at every segment. The
    /// pool serves the threads that find the slot empty.
    private let spareScratch = Atomic<UInt>(0)

    private func takeScratch() -> ScanScratch {
        let bits = spareScratch.exchange(0, ordering: .acquiring)
        if bits != 0, let pointer = UnsafeRawPointer(bitPattern: bits) {
            return Unmanaged<ScanScratch>.fromOpaque(pointer).takeRetainedValue()
        }
        return scratchPool.withLock { $0.popLast() } ?? ScanScratch(maxTermTokens: maxTermTokens)
    }

    private func returnScratch(_ scratch: ScanScratch) {
        let held = Unmanaged.passRetained(scratch)
        if spareScratch.compareExchange(expected: 0, desired: UInt(bitPattern: held.toOpaque()), ordering: .releasing).exchanged { return }
        held.release()
        scratchPool.withLock { $0.append(scratch) }
    }

    deinit {
        let bits = spareScratch.exchange(0, ordering: .acquiring)
        if bits != 0, let pointer = UnsafeRawPointer(bitPattern: bits) {
            Unmanaged<ScanScratch>.fromOpaque(pointer).release()
        }
    }

    /// A term found at the current start token, before the longest are chosen.
    private struct Candidate: BitwiseCopyable {
        var end: Int32
        var store: Int32
        var concept: Int32
        var ordinal: Int32
        /// `MatchKind` as 0 exact, 1 inflected, 2 variant (its rank).
        var kind: UInt8

        static func code(_ kind: MatchKind) -> UInt8 {
            switch kind {
            case .exact: return 0
            case .inflected: return 1
            case .variant: return 2
            case .fuzzy: return 3
            }
        }

        static let kinds: [MatchKind] = [.exact, .inflected, .variant, .fuzzy]
    }

    /// A trie position still to visit: the node's block, the next token, the node's child
    /// signature.
    private struct Visit: BitwiseCopyable {
        var block: Int32
        var j: Int32
        var signature: UInt64
    }

    /// The matching state of one scan: a window of tokens and the position reached. Tokens,
    /// candidates and the walk's stack live in scratch memory owned by the scan and are read
    /// through plain pointers.
    private struct WindowMatcher {
        // Unowned: the scan keeps the recognizer and the scratch alive, and a matcher made per
        // segment would otherwise retain and release each of them.
        unowned(unsafe) let recognizer: TermRecognizer
        let trie: CompiledTrie.Reader
        let overlapping: Bool
        let probing: Bool
        private let tokens: UnsafeMutablePointer<TextToken>
        private let capacity: Int
        private(set) var count = 0
        unowned(unsafe) private let found: ScratchBuffer<Candidate>
        unowned(unsafe) private let stack: ScratchBuffer<Visit>
        /// Holds the words of probed stores (`keepWord`).
        unowned(unsafe) private let scratch: ScanScratch
        /// The text the tokens come from (nil when empty: then there are none).
        private let text: UnsafePointer<UInt16>?
        var i = 0
        var coveredUntil = 0 // leftmost-longest: first token not yet covered

        /// A matcher working in `scratch`, which the caller keeps alive and lends to no one
        /// else meanwhile.
        init(recognizer: TermRecognizer, trie: CompiledTrie.Reader, overlapping: Bool, scratch: ScanScratch, text: UnsafePointer<UInt16>?) {
            self.recognizer = recognizer
            self.text = text
            self.trie = trie
            self.overlapping = overlapping
            self.probing = !recognizer.probedStores.isEmpty
            capacity = scratch.tokens.capacity
            tokens = scratch.tokens.base
            found = scratch.found
            stack = scratch.stack
            self.scratch = scratch
        }

        /// Keeps the folded word of the token about to be appended, and its stem, for the
        /// stores probed on disk (which need every word, kept in the window or not).
        @inline(never) func keepWord(_ folded: UnsafeBufferPointer<UInt16>, stemmer: LightStemmer) {
            let w = String(transcodingUTF16: folded)
            scratch.words.append(w)
            scratch.wordStems.append(stemmer.stem(w))
        }

        /// Appends the token `t` the scanner read, with its word's and stem's ids, their
        /// blocks at the root and the gap before it; matches the window when it is full,
        /// leaving `lookahead` tokens. (Out of line: the scan loop that calls it is near the
        /// size past which the compiler stops inlining the scanner and the lookup into it, and
        /// it is called for the few words that may be in a term.)
        @inline(never) mutating func add(_ t: ScannedToken, fold: Int32, stem: Int32, foldRoot: Int32, stemRoot: Int32, gap: Token.Gap, lookahead: Int, _ emit: (TermMatch) -> Void) throws {
            // Which children signatures the token can be among.
            let keyBits = (fold >= 0 ? TermRecognizer.signatureBit(fold) : 0) | (stem >= 0 ? TermRecognizer.signatureBit(stem) : 0)
            append(TextToken(start: Int32(t.start), end: Int32(t.end), fold: fold, stem: stem, keyBits: keyBits, countedCase: t.countedCase, gap: gap,
                             foldRoot: foldRoot, stemRoot: stemRoot))
            if count >= TermRecognizer.window + lookahead {
                try process(upTo: count - lookahead, emit)
                dropProcessed()
            }
        }

        @inline(__always) mutating func append(_ t: TextToken) {
            // The scan processes the window before it is full.
            precondition(count < capacity)
            tokens[count] = t
            count += 1
        }

        /// Matches every start position below `limit` (which leaves `maxTermTokens` tokens of
        /// lookahead unless the text has ended).
        mutating func process(upTo limit: Int, _ emit: (TermMatch) -> Void) throws {
            let tokens = self.tokens
            let count = self.count
            var i = self.i
            defer { self.i = i }
            while i < limit {
                var nFound = 0
                if probing {
                    scratch.probeFound.removeAll(keepingCapacity: true)
                    try recognizer.probe(at: i, tokens: UnsafeBufferPointer(start: tokens, count: count), text: text!, words: scratch.words, stems: scratch.wordStems, into: &scratch.probeFound)
                    for c in scratch.probeFound { found.put(c, at: nFound); nFound += 1 }
                }
                if nFound == 0 && !tokens[i].startsTerm { i += 1; continue }
                nFound = walk(from: i, count: count, found: nFound)
                if nFound > 0 && (overlapping || i >= coveredUntil) {
                    if nFound == 1 && !overlapping {
                        // The usual case: one term, nothing to sort or deduplicate.
                        let c = found.base[0]
                        let start = Int(tokens[i].start), end = Int(tokens[Int(c.end) - 1].end)
                        emit(TermMatch(utf16Offset: start, utf16Length: end - start, store: Int(c.store), ref: TermRef(concept: Int(c.concept), ordinal: Int(c.ordinal)), kind: Candidate.kinds[Int(c.kind)]))
                        coveredUntil = Int(c.end)
                        i = Int(c.end)
                        continue
                    }
                    let longest = emitLongest(from: i, found: nFound, emit)
                    if !overlapping { coveredUntil = longest; i = longest; continue }
                }
                i += 1
            }
        }

        /// The bits of `TermRecognizer.signatureBit` of the words token `j` may continue a term
        /// with: none past the window or after punctuation.
        @inline(__always) private func continuation(_ j: Int, _ count: Int) -> UInt64 {
            guard j < count else { return 0 }
            let tok = tokens[j]
            return tok.gap == .barrier ? 0 : tok.keyBits
        }

        /// Collects in `found` (from index `nFound`) every term starting at token `i`: a
        /// depth-first walk from the root along each token's folded word, then its stem. A child
        /// is visited only when the next token's words may be among its children. Returns the
        /// number of candidates.
        @inline(__always) private func walk(from i: Int, count: Int, found nFound: Int) -> Int {
            let trie = self.trie
            let blocks = trie.blocks
            let tokens = self.tokens
            var nFound = nFound
            var stackBase = stack.base
            var sp = 0
            @inline(__always) func visit(_ o: Int, _ j: Int) {
                let terms = Int(blocks[o + 2])
                var p = blocks + o + 4
                for _ in 0..<terms {
                    if let kind = TermRecognizer.accept(p, tokens + i, text!, trie) {
                        found.put(Candidate(end: Int32(j + 1), store: Int32(p[0] & 0xFFFF), concept: Int32(bitPattern: p[1]), ordinal: Int32(bitPattern: p[2]), kind: kind), at: nFound)
                        nFound += 1
                    }
                    p += CompiledTrie.termWords
                }
                let signature = trie.signature(o)
                if signature & continuation(j + 1, count) != 0 {
                    if sp == stack.capacity {
                        stack.grow()
                        stackBase = stack.base
                    }
                    stackBase[sp] = Visit(block: Int32(o), j: Int32(j + 1), signature: signature)
                    sp += 1
                }
            }
            // The root: its children along the token's words were found with them.
            let first = tokens[i]
            if first.foldRoot >= 0 { visit(Int(first.foldRoot), i) }
            if first.stemRoot >= 0 { visit(Int(first.stemRoot), i) }
            while sp > 0 {
                sp -= 1
                let v = stackBase[sp]
                let j = Int(v.j)
                let tok = tokens[j]
                if tok.fold >= 0 && v.signature & TermRecognizer.signatureBit(tok.fold) != 0 {
                    let o = trie.child(Int(v.block), tok.fold)
                    if o >= 0 { visit(o, j) }
                }
                if tok.stem >= 0 && v.signature & TermRecognizer.signatureBit(tok.stem) != 0 {
                    let o = trie.child(Int(v.block), tok.stem)
                    if o >= 0 { visit(o, j) }
                }
            }
            return nFound
        }

        /// Emits the longest of the `nFound` candidates at token `i` (every one when
        /// overlapping), longest first, then by kind, one per concept and span; returns the
        /// end of the longest.
        @inline(never) private func emitLongest(from i: Int, found nFound: Int, _ emit: (TermMatch) -> Void) -> Int {
            let f = found.base
            var longest: Int32 = 0
            for k in 0..<nFound where f[k].end > longest { longest = f[k].end }
            // A stable insertion sort: the lists are short.
            if nFound > 1 {
                for k in 1..<nFound {
                    let c = f[k]
                    var m = k
                    while m > 0 && (f[m - 1].end < c.end || (f[m - 1].end == c.end && f[m - 1].kind > c.kind)) {
                        f[m] = f[m - 1]
                        m -= 1
                    }
                    f[m] = c
                }
            }
            let start = Int(tokens[i].start)
            for k in 0..<nFound {
                let c = f[k]
                if !overlapping && c.end != longest { continue }
                var duplicate = false
                var g = 0
                while g < k {
                    if f[g].end == c.end && f[g].store == c.store && f[g].concept == c.concept { duplicate = true; break }
                    g += 1
                }
                if duplicate { continue }
                let end = Int(tokens[Int(c.end) - 1].end)
                emit(TermMatch(utf16Offset: start, utf16Length: end - start, store: Int(c.store), ref: TermRef(concept: Int(c.concept), ordinal: Int(c.ordinal)), kind: Candidate.kinds[Int(c.kind)]))
            }
            return Int(longest)
        }

        /// Forgets the tokens no later match can start in or reach: those before `i`.
        /// (`coveredUntil` never exceeds `i`; it may lag behind it when nothing matched.)
        mutating func dropProcessed() {
            let drop = i
            guard drop > 0 else { return }
            tokens.update(from: tokens + drop, count: count - drop)
            count -= drop
            if probing { scratch.words.removeFirst(drop); scratch.wordStems.removeFirst(drop) }
            i = 0
            coveredUntil = max(coveredUntil - drop, 0)
        }
    }

    /// Looks up in the SQLite stores every term that starts at token `i`: the exact and stem
    /// keys of the 1…n words from `i` in one query, then the same case and stem rules as the trie.
    private func probe(at i: Int, tokens: UnsafeBufferPointer<TextToken>, text: UnsafePointer<UInt16>, words: [String], stems: [String], into found: inout [Candidate]) throws {
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
                    case .upper:
                        let c = tok.letterCase(in: text)
                        if c != .upper && c != .none { ok = false }
                    case .notLower: if tok.letterCase(in: text) == .lower { ok = false }
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
                found.append(Candidate(end: Int32(i + n), store: Int32(si), concept: Int32(r.hit.ref.concept), ordinal: Int32(r.hit.ref.ordinal), kind: Candidate.code(isExact ? .exact : .inflected)))
            }
        }
    }

    /// How the term whose block entry is at `p` matches the tokens from `tokens[0]`: its case
    /// rules hold and every word is the term's folded word (`exact`) or has its stem
    /// (`inflected`); nil when a rule fails. Codes as in `Candidate.kind`.
    @inline(__always) private static func accept(_ p: UnsafePointer<UInt32>, _ tokens: UnsafePointer<TextToken>, _ text: UnsafePointer<UInt16>, _ trie: CompiledTrie.Reader) -> UInt8? {
        var exact = true
        let n = Int((p[0] >> 16) & 0xFF)
        let caseBits = p[3]
        for k in 0..<n {
            let tok = tokens[k]
            let rule = k < 16 ? UInt8(truncatingIfNeeded: caseBits >> (2 * UInt32(k))) & 3 : trie.termCases[Int(p[4]) + k]
            switch rule {
            case CaseRule.notLower.rawValue: if tok.letterCase(in: text) == .lower { return nil }
            case CaseRule.upper.rawValue:
                let c = tok.letterCase(in: text)
                if c != .upper && c != .none { return nil }
            default: break
            }
            let fold = k < 4 ? Int32(bitPattern: p[5 + k]) : trie.termFolds[Int(p[4]) + k]
            if tok.fold != fold { exact = false }
        }
        if p[0] & (1 << 24) != 0 { return 2 }
        return exact ? 0 : 1
    }

    // MARK: occurrences with concepts

    /// The occurrences in a plain text, with their concepts.
    public func occurrences(in text: String, overlapping: Bool = false) throws -> [TermOccurrence] {
        try resolve(try matches(in: text, overlapping: overlapping), in: text)
    }

    /// The occurrences in content with inline codes: offsets are in `content.plainText`; text
    /// inside codes is never matched and no term spans a standalone code.
    public func occurrences(in content: Content, overlapping: Bool = false) throws -> [TermOccurrence] {
        // Straight to UTF-16 units: a segment is matched once, so building a String of its text
        // and then converting that (counting UTF-16 offsets run by run) cost more than matching.
        // Into the scan's scratch, whose buffers keep their capacity from segment to segment.
        let scratch = takeScratch()
        defer {
            scratch.trim()
            returnScratch(scratch)
        }
        return try withExtendedLifetime(scratch) {
            let (n, nb) = scratch.load(content)
            let buffer = UnsafeBufferPointer(start: UnsafePointer(scratch.units.base), count: n)
            let barriers = UnsafeBufferPointer(start: UnsafePointer(scratch.barriers.base), count: nb)
            let found = try matches(in: buffer, sortedBarriers: barriers, overlapping: overlapping, scratch: scratch)
            return found.isEmpty ? [] : try resolve(found, inUTF16: buffer)
        }
    }

    /// Adds concepts and terms to raw matches.
    public func resolve(_ matches: [TermMatch], in text: String) throws -> [TermOccurrence] {
        let utf16 = text.utf16
        return try resolve(matches) { m in
            let from = utf16.index(utf16.startIndex, offsetBy: m.utf16Offset)
            let to = utf16.index(from, offsetBy: m.utf16Length)
            return String(text[from..<to])
        }
    }

    /// Adds concepts and terms to raw matches in UTF-16 text.
    func resolve(_ matches: [TermMatch], inUTF16 units: UnsafeBufferPointer<UInt16>) throws -> [TermOccurrence] {
        try resolve(matches) { m in
            String(transcodingUTF16: UnsafeBufferPointer(rebasing: units[m.utf16Offset..<(m.utf16Offset + m.utf16Length)]))
        }
    }

    private func resolve(_ matches: [TermMatch], text matchedText: (TermMatch) -> String) throws -> [TermOccurrence] {
        var out: [TermOccurrence] = []
        out.reserveCapacity(matches.count)
        for m in matches {
            let store = glossary.stores[m.store]
            // One read of the concept (a query when the store is an index on disk) gives the
            // term too.
            let concept = try store.concept(m.ref.concept)
            guard let (lang, term) = concept.languageAndTerm(atOrdinal: m.ref.ordinal) else { continue }
            out.append(TermOccurrence(
                utf16Offset: m.utf16Offset, utf16Length: m.utf16Length,
                text: matchedText(m),
                glossary: store.name, conceptHandle: m.ref.concept, concept: concept,
                term: term, language: lang, kind: m.kind))
        }
        return Self.mergingSameConcept(out)
    }

    /// One occurrence per concept id at a position. Two termbases that hold the same concept
    /// id (`country-BY` in `countries.tbx` and `news-fr-en.csv`, or both in one SQLite index)
    /// describe one concept, as the built-in glossaries do: the first termbase's entry is kept
    /// and the later ones add their terms and notes (`BuiltInGlossaries.merged`).
    static func mergingSameConcept(_ occurrences: [TermOccurrence]) -> [TermOccurrence] {
        // Most segments have one occurrence or none: nothing to merge.
        guard occurrences.count > 1 else { return occurrences }
        // Nor when no two share a span, which matches sorted by offset, longest first show
        // with one pass (those sharing a span are then next to each other); otherwise, or when
        // the order is another, by concept id in a table.
        var sortedAndApart = true
        for k in 1..<occurrences.count {
            let offset = occurrences[k].utf16Offset, previous = occurrences[k - 1].utf16Offset
            if offset < previous || (offset == previous && occurrences[k].utf16Length >= occurrences[k - 1].utf16Length) {
                sortedAndApart = false
                break
            }
        }
        if sortedAndApart { return occurrences }
        struct Key: Hashable { var offset: Int; var length: Int; var id: String }
        var first: [Key: Int] = [:]
        var out: [TermOccurrence] = []
        out.reserveCapacity(occurrences.count)
        for o in occurrences {
            let key = Key(offset: o.utf16Offset, length: o.utf16Length, id: o.concept.id)
            guard let i = first[key] else {
                first[key] = out.count
                out.append(o)
                continue
            }
            var kept = out[i]
            kept.concept = BuiltInGlossaries.merged(kept.concept, o.concept)
            // The later termbase's status wins for a term both list: read it back.
            if let t = kept.concept.term(spelled: kept.term.text, in: kept.language) { kept.term = t }
            out[i] = kept
        }
        return out
    }
}

extension Array where Element == TermOccurrence {
    /// The distinct concepts of these occurrences, in order of first occurrence: the glossary
    /// subset to ship beside a document (`TBXWriter.write`, `CSVTermbaseWriter.write`).
    public var concepts: [Concept] {
        // Keyed by concept id: two termbases holding the same id describe one concept, merged
        // as the built-in glossaries are.
        var index: [String: Int] = [:]
        var out: [Concept] = []
        for o in self {
            if let i = index[o.concept.id] {
                if out[i] != o.concept { out[i] = BuiltInGlossaries.merged(out[i], o.concept) }
            } else {
                index[o.concept.id] = out.count
                out.append(o.concept)
            }
        }
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

/// Growable scratch memory of trivial values, owned by one scan: its contents are read and
/// written through `base` without retain or bounds check.
private final class ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Replaces the memory by an empty block of `capacity` elements.
    func reset(capacity: Int) {
        base.deallocate()
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// Doubles the capacity, keeping the contents.
    func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.initialize(from: base, count: capacity)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Stores `value` at `index`, growing when needed.
    @inline(__always) func put(_ value: Element, at index: Int) {
        while index >= capacity { grow() }
        base[index] = value
    }
}

extension ScratchBuffer where Element == UInt16 {
    /// Writes the UTF-16 form of `text` from `index` on, growing when needed; returns the index
    /// after it (`String.writeUTF16`: eight bytes at a time while they are ASCII): a
    /// segment is transcoded for every match, and one unit per loop turn cost as much as a
    /// third of recognizing it.
    func appendUTF16(of text: String, at index: Int) -> Int {
        // At most one unit per byte.
        while index + text.utf8.count > capacity { grow() }
        return index + text.writeUTF16(to: base + index)
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
