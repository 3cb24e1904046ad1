#if canImport(Glibc)
import Glibc
#endif

/// The recognizer's vocabulary and trie once built, laid out for matching: what one text word
/// costs is one probe in the word table (whose record holds the word, its stem and the root's
/// child along it) and one node block per trie step (the node's terms and children together).
///
/// Matching a large text is bound by memory latency as much as by instructions: the trie of a
/// 100,000-term glossary does not fit in the caches of a shared machine, so what matters is how
/// many distinct cache lines a word touches. Built as hash tables (`TokenTable`, `EdgeTable`),
/// a step cost an edge-table slot, a node record and a term record, each in a different table;
/// here they are one block, and a word lookup touches one 32-byte record instead of a slot, a
/// span and the word's text.
///
/// Layout:
/// - `records`: open-addressing table of `WordRecord`s. A word's id is its slot, so the record
///   is found without an indirection; the word is stored inline when it has at most
///   `WordRecord.inlineUnits` units, else in `arena`.
/// - `blocks`: node blocks, 32-bit words. A block is a header (children signature, 2 words;
///   number of terms; number of children), the node's terms (`termWords` words each), then
///   its children as (word id, block offset) pairs in ascending order of word id.
struct CompiledTrie: Sendable {
    /// A term at a trie node, as the builder gives it (word ids are the builder's dense ids).
    struct Term {
        var store: Int32
        var concept: Int32
        var ordinal: Int32
        /// Where the term's folded words and case rules start in `termFolds`/`termCases`.
        var infoOffset: Int32
        var tokenCount: Int
        /// A hyphenated term matched as one word (`email` for `e-mail`).
        var isCompact: Bool
    }

    /// 32-bit words per term in a block: flags, concept, ordinal, case rules of the first 16
    /// words (2 bits each), offset of the term's words, folded ids of the first 4 words.
    static let termWords = 9

    private let records: FrozenBuffer<WordRecord>
    private let mask: Int
    /// One bit per value of the top bits of a word's hash (from `presenceShift` up), set for
    /// the words of the vocabulary: most words of a text are not terms' words, and this answers
    /// them from a table small enough for the first-level cache instead of a probe in `records`.
    private let presence: FrozenBuffer<UInt64>
    private let presenceShift: UInt32
    /// The ids of the words of one or two units from `a` to `z` (and the few ASCII units after
    /// it), by `shortIndex`, or -1: a third of a text's words are that short (`de`, `la`, `l`),
    /// and a load answers them where `find` works out a hash.
    private let short: FrozenBuffer<Int32>
    /// The lengths of the vocabulary's words of three units or more, by their first three units
    /// (`startIndex`, 4,096 entries that several starts may share): bit `min(length, 63)` of an
    /// entry is set when a word of that length starts so. Two loads and a test answer most of
    /// a text's words that no term has (`maison`, `politique`) before their hash is worked
    /// out: few words of the vocabulary share both their start and their length with them.
    private let lengthsByStart: FrozenBuffer<UInt64>
    private let arena: FrozenBuffer<UInt16>
    private let blocks: FrozenBuffer<UInt32>
    private let termFolds: FrozenBuffer<Int32>
    private let termCases: FrozenBuffer<UInt8>

    /// Number of word slots (word ids are below this).
    var slotCount: Int { records.count }

    /// Bytes held, for memory reports.
    var memoryFootprint: Int {
        records.count * MemoryLayout<WordRecord>.stride + presence.count * 8 + short.count * 4 + lengthsByStart.count * 8 + arena.count * 2 + blocks.count * 4 + termFolds.count * 4 + termCases.count
    }

    /// Lays out the builder's tables. `stemOf`: per dense word id, its stem's dense id or -1.
    /// `edges`: every (parent node, word, child node). Node `n`'s terms, in glossary order, are
    /// `terms[termStart[n]..<termStart[n + 1]]`. `termFolds`: folded dense ids of every term's
    /// words; `termCases`: their case rules.
    init(vocabulary: TokenTable, stemOf: [Int32], edges: [(node: Int32, word: Int32, child: Int32)],
         termStart: [Int32], terms: [Term], termFolds: [Int32], termCases: [UInt8], signatureBit: (Int32) -> UInt64) {
        // Word records, at the slot their hash gives.
        var size = 16
        while size < vocabulary.count * 2 { size <<= 1 }
        let mask = size - 1
        var records = [WordRecord](repeating: WordRecord(), count: size)
        var arena: [UInt16] = []
        var slotOf = [Int32](repeating: -1, count: vocabulary.count)
        var short = [Int32](repeating: -1, count: 1 << 10)
        var lengthsByStart = [UInt64](repeating: 0, count: 1 << 12)
        var units: [UInt16] = []
        for id in 0..<vocabulary.count {
            units = Array(vocabulary.word(Int32(id)).utf16)
            let h = units.withUnsafeBufferPointer { Self.hash($0) }
            var s = Int(h) & mask
            while records[s].length != 0 { s = (s + 1) & mask }
            var r = WordRecord()
            r.hash = h
            r.length = UInt16(units.count)
            if units.count <= WordRecord.inlineUnits {
                r.text = WordRecord.pack(units)
            } else {
                r.text = (UInt64(arena.count), 0)
                arena.append(contentsOf: units)
            }
            records[s] = r
            slotOf[id] = Int32(s)
            if let k = units.withUnsafeBufferPointer({ $0.isEmpty ? nil : Self.shortIndex($0.baseAddress!, $0.count) }) { short[k] = Int32(s) }
            if units.count >= 3, let k = units.withUnsafeBufferPointer({ Self.startIndex($0.baseAddress!) }) {
                lengthsByStart[k] |= Self.lengthBit(units.count)
            }
        }
        // About 16 bits per word (one word in 16 that is not in the vocabulary gets past it),
        // from 8 KB up to 512 KB for a vocabulary of a few hundred thousand words.
        var bits = 16
        while bits < 22 && (1 << bits) < vocabulary.count * 16 { bits += 1 }
        var presence = [UInt64](repeating: 0, count: (1 << bits) / 64)
        let presenceShift = UInt32(32 - bits)
        for r in records where r.length != 0 {
            let b = Int(r.hash >> presenceShift)
            presence[b >> 6] |= UInt64(1) << UInt64(b & 63)
        }
        func slot(_ id: Int32) -> Int32 { id < 0 ? -1 : slotOf[Int(id)] }
        for id in 0..<vocabulary.count { records[Int(slotOf[id])].stem = slot(stemOf[id]) }

        // Children of every node, by word slot: node `n`'s are `kids[childStart[n]..<childStart[n + 1]]`,
        // each (word slot << 32 | child node), sorted so by word slot.
        let nodeCount = termStart.count - 1
        var childStart = [Int](repeating: 0, count: nodeCount + 1)
        for e in edges { childStart[Int(e.node) + 1] += 1 }
        for n in 0..<nodeCount { childStart[n + 1] += childStart[n] }
        var kids = [UInt64](repeating: 0, count: edges.count)
        var fill = childStart
        for e in edges {
            kids[fill[Int(e.node)]] = UInt64(UInt32(bitPattern: slot(e.word))) << 32 | UInt64(UInt32(bitPattern: e.child))
            fill[Int(e.node)] += 1
        }
        fill = []
        for n in 0..<nodeCount where childStart[n + 1] - childStart[n] > 1 { kids[childStart[n]..<childStart[n + 1]].sort() }
        @inline(__always) func key(_ k: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: k >> 32)) }
        @inline(__always) func child(_ k: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: k)) }
        // Blocks in node order: a term's path was created node after node, so a node's first
        // child often follows it. The root has no block: its children are in the word records.
        var offset = [Int](repeating: -1, count: nodeCount)
        var total = 0
        for node in 1..<max(nodeCount, 1) {
            offset[node] = total
            total += 4 + Self.termWords * Int(termStart[node + 1] - termStart[node]) + 2 * (childStart[node + 1] - childStart[node])
        }
        precondition(total < Int(Int32.max), "trie too large")
        var blocks = [UInt32](repeating: 0, count: total)
        for node in 1..<max(nodeCount, 1) {
            var o = offset[node]
            let children = childStart[node]..<childStart[node + 1]
            var signature: UInt64 = 0
            for k in children { signature |= signatureBit(key(kids[k])) }
            blocks[o] = UInt32(truncatingIfNeeded: signature)
            blocks[o + 1] = UInt32(truncatingIfNeeded: signature >> 32)
            blocks[o + 2] = UInt32(termStart[node + 1] - termStart[node])
            blocks[o + 3] = UInt32(children.count)
            o += 4
            for t in terms[Int(termStart[node])..<Int(termStart[node + 1])] {
                let n = t.tokenCount, info = Int(t.infoOffset)
                blocks[o] = UInt32(UInt16(truncatingIfNeeded: t.store)) | UInt32(UInt8(n)) << 16 | (t.isCompact ? 1 << 24 : 0)
                blocks[o + 1] = UInt32(bitPattern: t.concept)
                blocks[o + 2] = UInt32(bitPattern: t.ordinal)
                var cases: UInt32 = 0
                for k in 0..<min(n, 16) { cases |= UInt32(termCases[info + k] & 3) << (2 * UInt32(k)) }
                blocks[o + 3] = cases
                blocks[o + 4] = UInt32(bitPattern: t.infoOffset)
                for k in 0..<4 { blocks[o + 5 + k] = UInt32(bitPattern: k < n ? slot(termFolds[info + k]) : -1) }
                o += Self.termWords
            }
            for (k, c) in kids[children].enumerated() {
                blocks[o + 2 * k] = UInt32(bitPattern: key(c))
                blocks[o + 2 * k + 1] = UInt32(offset[child(c)])
            }
        }
        if nodeCount > 0 {
            for c in kids[childStart[0]..<childStart[1]] { records[Int(key(c))].root = Int32(offset[child(c)]) }
        }

        self.records = FrozenBuffer(records)
        self.mask = mask
        self.presence = FrozenBuffer(presence)
        self.presenceShift = presenceShift
        self.short = FrozenBuffer(short)
        self.lengthsByStart = FrozenBuffer(lengthsByStart)
        self.arena = FrozenBuffer(arena)
        self.blocks = FrozenBuffer(blocks)
        self.termFolds = FrozenBuffer(termFolds.map { slot($0) })
        self.termCases = FrozenBuffer(termCases)
    }

    /// The hash of a folded word for the word table, from its units packed four to a 64-bit
    /// word (`a`: units 0–3, `b`: units 4–7, zero past the word) and its length: the packed form
    /// is what a lookup loads anyway, so hashing costs a few multiplications per word rather
    /// than one per unit as the scanner's loop once paid. Words longer than eight units fold
    /// their further units in first (`hash(_:)`).
    @inline(__always) static func hash(_ a: UInt64, _ b: UInt64, length: Int) -> UInt32 {
        var x = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: length)
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return UInt32(truncatingIfNeeded: x)
    }

    /// `hash(_:_:length:)` of any word.
    static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt32 {
        let len = units.count
        func chunk(_ k: Int) -> UInt64 {
            var c: UInt64 = 0
            for i in 0..<4 where k + i < len { c |= UInt64(units[k + i]) << UInt64(16 * i) }
            return c
        }
        return hash(length: len, chunk)
    }

    /// `hash(_:_:length:)` of a word followed by at least three readable units.
    @inline(__always) static func hash(padded u: UnsafePointer<UInt16>, length len: Int) -> UInt32 {
        let raw = UnsafeRawPointer(u)
        return hash(length: len) { k in
            let c = raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt64.self)
            return len - k >= 4 ? c : c & ((UInt64(1) << UInt64(16 * (len - k))) &- 1)
        }
    }

    /// The hash from the word's 4-unit chunks (`chunk(k)`: units `k..<k+4`, zero past the
    /// word): chunks from the third on are folded into the first two.
    @inline(__always) private static func hash(length len: Int, _ chunk: (Int) -> UInt64) -> UInt32 {
        var a = chunk(0)
        var b = len > 4 ? chunk(4) : 0
        var k = 8
        while k < len {
            a = (a &* 0x9E37_79B9_7F4A_7C15) ^ b
            b = chunk(k)
            k += 4
        }
        return hash(a, b, length: len)
    }

    /// The index in `short` of a word of one or two units from 0x60 to 0x7F (the second above
    /// 0x60), or nil: 32 rows of 32, the second unit's column 0 for a word of one unit.
    @inline(__always) static func shortIndex(_ u: UnsafePointer<UInt16>, _ len: Int) -> Int? {
        guard len <= 2 else { return nil }
        let a = UInt32(u[0]) &- 0x60
        let b = len == 2 ? UInt32(u[1]) &- 0x60 : 0
        guard a < 32, b < 32, len == 1 || b != 0 else { return nil }
        return Int(a << 5 | b)
    }

    /// The index in `lengthsByStart` of a word's first three units when each is from 0x60 to
    /// 0x7F (folded ASCII letters), or nil: their 15 bits, the top three folded onto the
    /// bottom ones.
    @inline(__always) static func startIndex(_ u: UnsafePointer<UInt16>) -> Int? {
        let a = UInt32(u[0]) &- 0x60
        let b = UInt32(u[1]) &- 0x60
        let c = UInt32(u[2]) &- 0x60
        guard a | b | c < 32 else { return nil }
        let k = a << 10 | b << 5 | c
        return Int((k ^ (k >> 12)) & 0xFFF)
    }

    /// The bit of `lengthsByStart` for a word of `length` units.
    @inline(__always) static func lengthBit(_ length: Int) -> UInt64 {
        UInt64(1) << UInt64(min(length, 63))
    }

    /// Pointers for a hot loop; valid while this trie is alive.
    var reader: Reader {
        Reader(records: records.base, mask: mask, presence: presence.base, presenceShift: presenceShift, short: short.base,
               lengthsByStart: lengthsByStart.base, arena: arena.base, blocks: blocks.base, termFolds: termFolds.base, termCases: termCases.base)
    }

    struct Reader {
        let records: UnsafePointer<WordRecord>
        let mask: Int
        let presence: UnsafePointer<UInt64>
        let presenceShift: UInt32
        let short: UnsafePointer<Int32>
        let lengthsByStart: UnsafePointer<UInt64>
        let arena: UnsafePointer<UInt16>
        let blocks: UnsafePointer<UInt32>
        let termFolds: UnsafePointer<Int32>
        let termCases: UnsafePointer<UInt8>

        /// The id of the folded word `units`, or -1.
        @inline(__always) func find(_ units: UnsafeBufferPointer<UInt16>) -> Int32 {
            guard let u = units.baseAddress, units.count > 0 else { return -1 }
            let len = units.count
            let text = len <= WordRecord.inlineUnits ? WordRecord.pack(u, len) : (0, 0)
            return find(u, len, len <= WordRecord.inlineUnits ? CompiledTrie.hash(text.0, text.1, length: len) : CompiledTrie.hash(units), text)
        }

        /// `find` for a word in a buffer with at least `WordRecord.inlineUnits` readable units
        /// past it (the scanner's): its inline form and its hash come from two masked loads.
        ///
        /// Only the hash and the presence bit are worked out here: most words of a text are
        /// no vocabulary word and stop at that bit. The probe in the table and words longer
        /// than the inline form are out of line, which keeps this call cheap (the recognizer's
        /// word loop is too large for the compiler to inline it there).
        @inline(__always) func find(padded units: UnsafeBufferPointer<UInt16>) -> Int32 {
            guard let u = units.baseAddress, units.count > 0 else { return -1 }
            return find(padded: u, count: units.count)
        }

        /// `find(padded:)` of the `len` units at `u`, at least one: the recognizer's word loop
        /// calls this for the words it does not answer from `short` or rule out by `lacks`
        /// itself (both are asked again here, for other callers). (Never inlined: inlined into
        /// the recognizer's word test, it made that test too large for the compiler to inline
        /// into the scanner's loop, and a call per word of the text cost more than the calls
        /// for the few words that get past `lacks`.)
        @inline(never) func find(padded u: UnsafePointer<UInt16>, count len: Int) -> Int32 {
            if len < 3 {
                if let k = CompiledTrie.shortIndex(u, len) { return short[k] }
            } else if lacks(u, len) {
                return -1
            }
            guard len <= WordRecord.inlineUnits else { return findLong(u, len) }
            let raw = UnsafeRawPointer(u)
            let low = min(len, 4)
            var text: (UInt64, UInt64) = (0, 0)
            text.0 = raw.loadUnaligned(as: UInt64.self) & ((UInt64(1) << UInt64(16 * low)) &- 1)
            if len > 4 { text.1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & ((UInt64(1) << UInt64(16 * (len - 4))) &- 1) }
            let h = CompiledTrie.hash(text.0, text.1, length: len)
            guard mayHold(h) else { return -1 }
            return probe(u, len, h, text)
        }

        /// True when no word of the vocabulary has the first three units and the length of the
        /// word `u` (`len` units, three or more): `find` would return -1.
        @inline(__always) func lacks(_ u: UnsafePointer<UInt16>, _ len: Int) -> Bool {
            guard len >= 3, let k = CompiledTrie.startIndex(u) else { return false }
            return lengthsByStart[k] & CompiledTrie.lengthBit(len) == 0
        }

        /// True when no word of the vocabulary of three units or more is shorter than `len`
        /// and starts with the first three units of `u` (`len` units, three or more): a
        /// stem of `u` that keeps those units is not in the vocabulary.
        @inline(__always) func lacksShorter(_ u: UnsafePointer<UInt16>, _ len: Int) -> Bool {
            // (Bit 63 stands for every length from 63 on: no test for such words.)
            guard len >= 3, len < 64, let k = CompiledTrie.startIndex(u) else { return false }
            return lengthsByStart[k] & (CompiledTrie.lengthBit(len) &- 1) == 0
        }

        /// `find(padded:)` of a word longer than `WordRecord.inlineUnits`.
        @inline(never) private func findLong(_ u: UnsafePointer<UInt16>, _ len: Int) -> Int32 {
            let h = CompiledTrie.hash(padded: u, length: len)
            guard mayHold(h) else { return -1 }
            return probe(u, len, h, (0, 0))
        }

        @inline(__always) private func find(_ u: UnsafePointer<UInt16>, _ len: Int, _ h: UInt32, _ text: (UInt64, UInt64)) -> Int32 {
            mayHold(h) ? probe(u, len, h, text) : -1
        }

        /// False when no vocabulary word has hash `h` (the presence bitmap).
        @inline(__always) private func mayHold(_ h: UInt32) -> Bool {
            // (`presenceShift` is below 32: the masking shift needs no test for a larger one.)
            let b = Int(h &>> presenceShift)
            return presence[b >> 6] & (UInt64(1) << UInt64(b & 63)) != 0
        }

        /// The slot of the word `u` (`len` units, hash `h`, inline form `text` when short) in
        /// the word table, or -1.
        @inline(never) private func probe(_ u: UnsafePointer<UInt16>, _ len: Int, _ h: UInt32, _ text: (UInt64, UInt64)) -> Int32 {
            var i = Int(h) & mask
            while true {
                let r = records[i]
                if r.length == 0 { return -1 }
                if r.hash == h && Int(r.length) == len {
                    if len <= WordRecord.inlineUnits {
                        if r.text.0 == text.0 && r.text.1 == text.1 { return Int32(truncatingIfNeeded: i) }
                    } else {
                        let word = arena + Int(r.text.0)
                        var k = 0
                        while k < len && word[k] == u[k] { k += 1 }
                        if k == len { return Int32(truncatingIfNeeded: i) }
                    }
                }
                i = (i + 1) & mask
            }
        }

        /// The stem of word `id` (-1: none in the vocabulary).
        @inline(__always) func stem(_ id: Int32) -> Int32 { records[Int(id)].stem }

        /// The block of the root's child along word `id`, or -1.
        @inline(__always) func root(_ id: Int32) -> Int32 { records[Int(id)].root }

        /// The signature of the children of the block at `o`.
        @inline(__always) func signature(_ o: Int) -> UInt64 {
            UInt64(blocks[o]) | UInt64(blocks[o + 1]) << 32
        }

        /// The block of the child of block `o` along word `key`, or -1.
        @inline(__always) func child(_ o: Int, _ key: Int32) -> Int {
            let n = Int(blocks[o + 3])
            let keys = blocks + o + 4 + CompiledTrie.termWords * Int(blocks[o + 2])
            let k = UInt32(bitPattern: key)
            var lo = 0, hi = n
            while hi - lo > 8 {
                let mid = (lo + hi) >> 1
                if keys[2 * mid] <= k { lo = mid } else { hi = mid }
            }
            while lo < hi {
                if keys[2 * lo] == k { return Int(keys[2 * lo + 1]) }
                lo += 1
            }
            return -1
        }
    }
}

/// A word of the vocabulary in `CompiledTrie`'s table: 32 bytes, two to a cache line.
struct WordRecord: BitwiseCopyable {
    /// Words of up to this many UTF-16 units are stored in the record.
    static let inlineUnits = 8

    var hash: UInt32 = 0
    /// The stem's id, or -1.
    var stem: Int32 = -1
    /// Offset of the block of the root's child along this word, or -1.
    var root: Int32 = -1
    /// Length in UTF-16 units; 0 marks an empty slot (no word is empty).
    var length: UInt16 = 0
    var spare: UInt16 = 0
    /// The units, zero-padded, when `length <= inlineUnits`; else the arena offset in `.0`.
    var text: (UInt64, UInt64) = (0, 0)

    /// Up to eight units, four to a 64-bit word, the rest zero.
    @inline(__always) static func pack(_ u: UnsafePointer<UInt16>, _ n: Int) -> (UInt64, UInt64) {
        var a: UInt64 = 0, b: UInt64 = 0
        for k in 0..<min(n, 4) { a |= UInt64(u[k]) << (16 * UInt64(k)) }
        if n > 4 { for k in 4..<n { b |= UInt64(u[k]) << (16 * UInt64(k - 4)) } }
        return (a, b)
    }

    static func pack(_ units: [UInt16]) -> (UInt64, UInt64) {
        units.withUnsafeBufferPointer { pack($0.baseAddress!, $0.count) }
    }
}

/// A read-only array in memory of its own, aligned on a cache line and read through a plain
/// pointer: hot loops pay no retain, uniqueness or bounds check per access. Never mutated
/// after `init`, so it is safe to share between threads.
final class FrozenBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    let count: Int

    init(_ elements: [Element]) {
        var bytes = max(elements.count, 1) * MemoryLayout<Element>.stride
        var alignment = max(64, MemoryLayout<Element>.alignment)
        #if os(Linux)
        // Tables of several megabytes are read at random: on 2 MB pages their addresses stay
        // in the TLB, where 4 KB pages would cost a page walk per probe. The kernel is asked
        // for such pages (transparent huge pages, `madvise` mode); without them nothing changes.
        let hugePage = 2 << 20
        if bytes >= 2 * hugePage {
            bytes = (bytes + hugePage - 1) / hugePage * hugePage
            alignment = hugePage
        }
        #endif
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        #if os(Linux)
        if alignment == hugePage { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        #endif
        let p = raw.bindMemory(to: Element.self, capacity: max(elements.count, 1))
        elements.withUnsafeBufferPointer { b in
            if let a = b.baseAddress { p.initialize(from: a, count: b.count) }
        }
        base = UnsafePointer(p)
        count = elements.count
    }

    deinit { UnsafeMutableRawPointer(mutating: base).deallocate() }
}
