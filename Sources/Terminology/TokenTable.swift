/// An open-addressing hash table from folded words (UTF-16 units) to dense ids, looked up
/// without allocating: the recognizer's hot path hashes the scanner's scratch buffer directly.
struct TokenTable: Sendable {
    private var arena: [UInt16] = []
    private var offsets: [Int32] = []   // per id: start in arena
    private var lengths: [Int32] = []   // per id
    private var slots: [Int32]          // id + 1, 0 = empty
    private var hashes: [UInt32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        hashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct words.
    var count: Int { offsets.count }

    @inline(__always) static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt32 {
        var h: UInt32 = 2166136261
        for u in units {
            h = (h ^ UInt32(u & 0xFF)) &* 16777619
            h = (h ^ UInt32(u >> 8)) &* 16777619
        }
        return h
    }

    @inline(__always) private func equals(_ id: Int, _ units: UnsafeBufferPointer<UInt16>) -> Bool {
        let len = Int(lengths[id])
        guard len == units.count else { return false }
        let off = Int(offsets[id])
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<len where a[off + k] != units[k] { return false }
            return true
        }
    }

    /// The id of `units`, or -1.
    @inline(__always) func find(_ units: UnsafeBufferPointer<UInt16>) -> Int32 {
        let h = Self.hash(units)
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return -1 }
            if hashes[i] == h && equals(Int(s - 1), units) { return s - 1 }
            i = (i + 1) & mask
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
            if hashes[i] == h && equals(Int(s - 1), units) { return s - 1 }
            i = (i + 1) & mask
        }
        let id = Int32(offsets.count)
        offsets.append(Int32(arena.count))
        lengths.append(Int32(units.count))
        arena.append(contentsOf: units)
        slots[i] = id + 1
        hashes[i] = h
        if offsets.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a string, adding it when new.
    mutating func insert(_ s: String) -> Int32 {
        let units = Array(s.utf16)
        return units.withUnsafeBufferPointer { insert($0) }
    }

    /// The word with this id.
    func word(_ id: Int32) -> String {
        let off = Int(offsets[Int(id)]), len = Int(lengths[Int(id)])
        return String(decoding: arena[off..<(off + len)], as: UTF16.self)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: size)
        var newHashes = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for i in 0..<slots.count where slots[i] != 0 {
            var j = Int(hashes[i]) & newMask
            while newSlots[j] != 0 { j = (j + 1) & newMask }
            newSlots[j] = slots[i]
            newHashes[j] = hashes[i]
        }
        slots = newSlots
        hashes = newHashes
        mask = newMask
    }

    /// Bytes held, for memory reports.
    var memoryFootprint: Int { arena.count * 2 + offsets.count * 8 + slots.count * 8 }
}

/// The trie's edges: (node, word id) → child node, in one open-addressing table.
struct EdgeTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: .max, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
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
        var i = Self.slot(k) & mask
        while true {
            let stored = keys[i]
            if stored == k { return values[i] }
            if stored == .max { return -1 }
            i = (i + 1) & mask
        }
    }

    /// Sets the child of `node` along `word`.
    mutating func set(_ node: Int32, _ word: Int32, _ child: Int32) {
        let k = Self.key(node, word)
        var i = Self.slot(k) & mask
        while keys[i] != .max && keys[i] != k { i = (i + 1) & mask }
        if keys[i] == .max { count += 1 }
        keys[i] = k
        values[i] = child
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let size = keys.count * 2
        var nk = [UInt64](repeating: .max, count: size)
        var nv = [Int32](repeating: 0, count: size)
        let nm = size - 1
        for i in 0..<keys.count where keys[i] != .max {
            var j = Self.slot(keys[i]) & nm
            while nk[j] != .max { j = (j + 1) & nm }
            nk[j] = keys[i]
            nv[j] = values[i]
        }
        keys = nk
        values = nv
        mask = nm
    }

    /// Bytes held, for memory reports.
    var memoryFootprint: Int { keys.count * 12 }
}
