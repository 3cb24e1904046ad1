import TranslationModel
/// An open-addressing hash table from folded words (UTF-16 units) to dense ids, looked up
/// without allocating: the recognizer's hot path hashes the scanner's scratch buffer directly.
struct TokenTable: Sendable {
    private var arena: [UInt16] = []
    /// Per id: start in the arena (high half) and length (low half), one load per comparison.
    private var spans: [UInt64] = []
    // One word per slot: hash in the high half, id + 1 in the low half (0 = empty), so that a
    // probe touches one cache line.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct words.
    var count: Int { spans.count }

    /// FNV-1a over whole code units, with a final mix so that the low bits (the slot) depend on
    /// every unit. (The builder's table only: `CompiledTrie` hashes packed words its own way.)
    static let hashSeed: UInt32 = 2166136261
    /// The FNV-1a multiplier.
    static let hashPrime: UInt32 = 16777619

    /// The final mix of `hash`.
    @inline(__always) static func finish(_ h: UInt32) -> UInt32 {
        var h = h
        h ^= h >> 15
        h = h &* 0x2C1B3C6D
        h ^= h >> 12
        return h
    }

    @inline(__always) static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt32 {
        var h = hashSeed
        for u in units { h = (h ^ UInt32(u)) &* hashPrime }
        return finish(h)
    }

    @inline(__always) private func equals(_ id: Int, _ units: UnsafeBufferPointer<UInt16>) -> Bool {
        let span = spans[id]
        let len = Int(span & 0xFFFF_FFFF)
        guard len == units.count else { return false }
        let off = Int(span >> 32)
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<len where a[off + k] != units[k] { return false }
            return true
        }
    }

    /// The id of `units`, or -1.
    @inline(__always) func find(_ units: UnsafeBufferPointer<UInt16>) -> Int32 {
        let h = Self.hash(units)
        var i = Int(h) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let s = slots[i]
                if s == 0 { return -1 }
                if UInt32(truncatingIfNeeded: s >> 32) == h {
                    let id = Int32(truncatingIfNeeded: s) - 1
                    if equals(Int(id), units) { return id }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// The id of a string, or -1.
    func find(_ s: String) -> Int32 {
        let units = Array(s.utf16)
        return units.withUnsafeBufferPointer { find($0) }
    }

    /// The id of `units`, adding it when new.
    mutating func insert(_ units: UnsafeBufferPointer<UInt16>) -> Int32 {
        let h = Self.hash(units)
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if UInt32(truncatingIfNeeded: s >> 32) == h {
                let id = Int32(truncatingIfNeeded: s) - 1
                if equals(Int(id), units) { return id }
            }
            i = (i + 1) & mask
        }
        let id = Int32(spans.count)
        spans.append(UInt64(arena.count) << 32 | UInt64(units.count))
        arena.append(contentsOf: units)
        slots[i] = UInt64(h) << 32 | UInt64(UInt32(id + 1))
        if spans.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a string, adding it when new.
    mutating func insert(_ s: String) -> Int32 {
        let units = Array(s.utf16)
        return units.withUnsafeBufferPointer { insert($0) }
    }

    /// The word with this id.
    func word(_ id: Int32) -> String {
        let span = spans[Int(id)]
        let off = Int(span >> 32), len = Int(span & 0xFFFF_FFFF)
        return String(transcodingUTF16: arena[off..<(off + len)])
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for s in slots where s != 0 {
            var j = Int(UInt32(truncatingIfNeeded: s >> 32)) & newMask
            while newSlots[j] != 0 { j = (j + 1) & newMask }
            newSlots[j] = s
        }
        slots = newSlots
        mask = newMask
    }

    /// Bytes held, for memory reports.
    var memoryFootprint: Int { arena.count * 2 + spans.count * 8 + slots.count * 8 }
}

/// The trie's edges: (node, word id) → child node, in one open-addressing table whose slots hold
/// key and child together (one cache line per probe).
struct EdgeTable: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        var child: Int32
    }
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    /// One bit per hashed (node, word) pair, 512 KB: most probes are for pairs that are not
    /// edges, and this answers them from cache instead of missing in the big table.
    private var filter: [UInt64] = [UInt64](repeating: 0, count: 1 << 16)

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: .max, child: 0), count: size)
        mask = size - 1
    }

    @inline(__always) private static func filterBit(_ h: Int) -> (Int, UInt64) {
        let b = (h >> 40) & ((1 << 22) - 1)
        return (b >> 6, UInt64(1) << UInt64(b & 63))
    }

    @inline(__always) private static func key(_ node: Int32, _ word: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: word))
    }

    @inline(__always) private static func slot(_ k: UInt64) -> Int {
        // 64-bit mix (splitmix finaliser) so that consecutive ids spread.
        var x = k &+ 0x9E3779B97F4A7C15
        x = (x ^ (x >> 30)) &* 0xBF58476D1CE4E5B9
        x = (x ^ (x >> 27)) &* 0x94D049BB133111EB
        return Int(truncatingIfNeeded: x ^ (x >> 31))
    }

    /// The child of `node` along `word`, or -1.
    @inline(__always) func child(_ node: Int32, _ word: Int32) -> Int32 {
        let k = Self.key(node, word)
        let h = Self.slot(k)
        let (w, bit) = Self.filterBit(h)
        if filter.withUnsafeBufferPointer({ $0[w] }) & bit == 0 { return -1 }
        var i = h & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let s = slots[i]
                if s.key == k { return s.child }
                if s.key == .max { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets the child of `node` along `word`.
    mutating func set(_ node: Int32, _ word: Int32, _ child: Int32) {
        let k = Self.key(node, word)
        let h = Self.slot(k)
        let (w, bit) = Self.filterBit(h)
        filter[w] |= bit
        var i = h & mask
        while slots[i].key != .max && slots[i].key != k { i = (i + 1) & mask }
        if slots[i].key == .max { count += 1 }
        slots[i] = Slot(key: k, child: child)
        if count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var ns = [Slot](repeating: Slot(key: .max, child: 0), count: size)
        let nm = size - 1
        for s in slots where s.key != .max {
            var j = Self.slot(s.key) & nm
            while ns[j].key != .max { j = (j + 1) & nm }
            ns[j] = s
        }
        slots = ns
        mask = nm
    }

    /// Every edge leaving the root, as (word, child).
    func rootEdges() -> [(Int32, Int32)] {
        slots.compactMap { s in s.key != .max && s.key >> 32 == 0 ? (Int32(truncatingIfNeeded: s.key), s.child) : nil }
    }

    /// Bytes held, for memory reports.
    var memoryFootprint: Int { slots.count * MemoryLayout<Slot>.stride + filter.count * 8 }

    /// Every edge, as (parent, word, child).
    func allEdges() -> [(node: Int32, word: Int32, child: Int32)] {
        slots.compactMap { s in
            s.key != .max ? (Int32(truncatingIfNeeded: s.key >> 32), Int32(truncatingIfNeeded: s.key), s.child) : nil
        }
    }
}
