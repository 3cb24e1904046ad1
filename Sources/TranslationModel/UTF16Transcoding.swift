extension String {
    /// A string from UTF-16 code units, transcoded straight to UTF-8; a lone surrogate becomes
    /// U+FFFD, as with `String(decoding:as: UTF16.self)`.
    ///
    /// Same result as `String(decoding: units, as: UTF16.self)`, which takes the standard
    /// library's generic path (a scalar parse per character) and was a tenth of the time of
    /// preparing a small document; this is one pass over the units and one validation of the
    /// bytes written.
    public init<Units: Collection>(transcodingUTF16 units: Units) where Units.Element == UInt16 {
        if let string = units.withContiguousStorageIfAvailable({ String(transcodingUTF16Buffer: $0) }) {
            self = string
        } else {
            self = Array(units).withUnsafeBufferPointer { String(transcodingUTF16Buffer: $0) }
        }
    }

    private init(transcodingUTF16Buffer units: UnsafeBufferPointer<UInt16>) {
        let count = units.count
        guard count > 0 else {
            self = ""
            return
        }
        self.init(unsafeUninitializedCapacity: count * 3) { out in
            var o = 0
            var i = 0
            while i < count {
                let u = units[i]
                if u < 0x80 {
                    out[o] = UInt8(truncatingIfNeeded: u)
                    o += 1
                } else if u < 0x800 {
                    out[o] = UInt8(truncatingIfNeeded: 0xC0 | (u >> 6))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | (u & 0x3F))
                    o += 2
                } else if u & 0xFC00 == 0xD800, i + 1 < count, units[i + 1] & 0xFC00 == 0xDC00 {
                    let scalar = 0x10000 + ((UInt32(u) & 0x3FF) << 10) + (UInt32(units[i + 1]) & 0x3FF)
                    out[o] = UInt8(truncatingIfNeeded: 0xF0 | (scalar >> 18))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
                    out[o + 3] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
                    o += 4
                    i += 1
                } else if u & 0xF800 == 0xD800 {
                    // A lone surrogate: the replacement character, as the standard library does.
                    out[o] = 0xEF
                    out[o + 1] = 0xBF
                    out[o + 2] = 0xBD
                    o += 3
                } else {
                    out[o] = UInt8(truncatingIfNeeded: 0xE0 | (u >> 12))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((u >> 6) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | (u & 0x3F))
                    o += 3
                }
                i += 1
            }
            return o
        }
    }
}

extension String {
    /// The number of UTF-16 code units of the string; the same as `utf16.count`.
    ///
    /// `utf16.count` on a native (UTF-8) string that is not ASCII builds and caches "breadcrumbs"
    /// (an array of UTF-16 offsets) the first time; for the many short strings of a document that
    /// are counted once that allocation was most of the cost. Counting from the UTF-8 bytes is
    /// one pass with no allocation: every byte that does not continue a character starts one
    /// unit, and a four-byte character (outside the BMP) takes a second.
    ///
    /// The bytes are read in place (`utf8.withContiguousStorageIfAvailable`): `withUTF8` needs a
    /// `var` copy of the string, a retain and a release per call.
    @inlinable
    public var utf16CodeUnitCount: Int {
        @inline(__always) func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var count = 0
            for b in bytes {
                count &+= (b & 0xC0 != 0x80 ? 1 : 0) &+ (b >= 0xF0 ? 1 : 0)
            }
            return count
        }
        if let n = utf8.withContiguousStorageIfAvailable(count) { return n }
        var copy = self
        return copy.withUTF8(count)
    }

    /// Appends the string's UTF-16 code units to `units`; the same as
    /// `units.append(contentsOf: utf16)`, without the standard library's per-unit iterator.
    public func appendUTF16(to units: inout [UInt16]) {
        let n = utf8.count
        guard n > 0 else { return }
        // At most one unit per byte: room is made for that many, written through a pointer
        // (no capacity check per unit), and what was not needed is cut off again. Grown
        // geometrically, since many strings may be appended to one array.
        let start = units.count
        if units.capacity < start + n { units.reserveCapacity(Swift.max(start + n, units.capacity * 2)) }
        units.append(contentsOf: repeatElement(0, count: n))
        let written = units.withUnsafeMutableBufferPointer { buffer in
            writeUTF16(to: buffer.baseAddress! + start)
        }
        units.removeLast(n - written)
    }

    /// Writes the string's UTF-16 code units to `out`, which must have room for `utf8.count`
    /// units (never more are needed), and returns how many it wrote: `appendUTF16(to:)` for
    /// callers that keep their own buffers.
    public func writeUTF16(to out: UnsafeMutablePointer<UInt16>) -> Int {
        // The bytes in place; `withUTF8` on a `var` copy cost a retain and a release per call.
        if let n = utf8.withContiguousStorageIfAvailable({ Self.writeUTF16(utf8: $0, to: out) }) { return n }
        var copy = self
        return copy.withUTF8 { Self.writeUTF16(utf8: $0, to: out) }
    }

    /// `writeUTF16(to:)` over the string's UTF-8 bytes.
    private static func writeUTF16(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt16>) -> Int {
        let n = bytes.count
        guard n > 0 else { return 0 }
        var o = 0
        var i = 0
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        while i < n {
            // Eight ASCII bytes at a time (most text is mostly ASCII): one 64-bit load and
            // test, then one widening vector store. When some are not ASCII, the ones
            // before the first such byte are kept from the same store and that character
            // is decoded next, rather than the bytes before it being taken one at a time
            // (a French text has an accented letter every few words). The store stays
            // within the room the caller made: at most one unit per byte, and `o <= i`.
            if i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let wide = SIMD8<UInt16>(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self))
                UnsafeMutableRawPointer(out + o).storeBytes(of: wide, as: SIMD8<UInt16>.self)
                let high = word & 0x8080_8080_8080_8080
                if high == 0 {
                    o &+= 8
                    i &+= 8
                    continue
                }
                let ascii = high.trailingZeroBitCount >> 3
                o &+= ascii
                i &+= ascii
            }
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                out[o] = UInt16(truncatingIfNeeded: b0)
                o += 1
                i += 1
            } else if b0 < 0xE0 {
                out[o] = UInt16(truncatingIfNeeded: (b0 & 0x1F) << 6 | (UInt32(bytes[i + 1]) & 0x3F))
                o += 1
                i += 2
            } else if b0 < 0xF0 {
                out[o] = UInt16(truncatingIfNeeded: (b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | (UInt32(bytes[i + 2]) & 0x3F))
                o += 1
                i += 3
            } else {
                let scalar = (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12 | (UInt32(bytes[i + 2]) & 0x3F) << 6 | (UInt32(bytes[i + 3]) & 0x3F)
                let v = scalar - 0x10000
                out[o] = UInt16(truncatingIfNeeded: 0xD800 | (v >> 10))
                out[o + 1] = UInt16(truncatingIfNeeded: 0xDC00 | (v & 0x3FF))
                o += 2
                i += 4
            }
        }
        return o
    }
}
