/// The ids already written in a file, for the writers' uniqueness repairs (`trans-unit`, `group`).
///
/// An open-addressing table of (fingerprint, id) slots: the fingerprint (FNV-1a over the UTF-8,
/// mixed) places an id and settles most comparisons, and ids are compared whole (byte for byte,
/// as XML compares ids) when fingerprints match, so two different ids are never taken for one.
/// Cheaper than `Set<String>` for the short ids of a file: one pass over the bytes instead of
/// SipHash, and growing moves the stored fingerprints instead of hashing every id again.
struct XLIFFIDSet {
    private struct Slot {
        /// 0 for a free slot.
        var fingerprint: UInt64
        var id: String
    }

    private var slots: [Slot] = []
    /// The number of ids in the set.
    private(set) var count = 0

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: String) -> Bool {
        let f = Self.fingerprint(id)
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: f) & mask
        while slots[i].fingerprint != 0 {
            if slots[i].fingerprint == f && slots[i].id.utf8.elementsEqual(id.utf8) { return false }
            i = (i + 1) & mask
        }
        slots[i] = Slot(fingerprint: f, id: id)
        count += 1
        return true
    }

    /// Forgets every id, keeping the table for the next file.
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in slots.indices where slots[i].fingerprint != 0 { slots[i] = Slot(fingerprint: 0, id: "") }
        count = 0
    }

    private mutating func grow() {
        // 64 slots first: most files have fewer than 32 units, so the table is made once.
        let capacity = max(64, 2 * slots.count)
        var grown = [Slot](repeating: Slot(fingerprint: 0, id: ""), count: capacity)
        let mask = capacity - 1
        for k in slots.indices where slots[k].fingerprint != 0 {
            var i = Int(truncatingIfNeeded: slots[k].fingerprint) & mask
            while grown[i].fingerprint != 0 { i = (i + 1) & mask }
            grown[i] = slots[k]
        }
        slots = grown
    }

    /// FNV-1a over the UTF-8 bytes, its high bits mixed into the low ones (the table uses the
    /// low bits); never 0, which marks a free slot.
    private static func fingerprint(_ id: String) -> UInt64 {
        func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            return h
        }
        var h = id.utf8.withContiguousStorageIfAvailable(hash) ?? {
            var copy = id
            return copy.withUTF8(hash)
        }()
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h == 0 ? 1 : h
    }
}
