#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// A character encoding of a source document, by its IANA/iconv name.
///
/// Source documents are decoded to UTF-8 as they are read and encoded back on merge, so that
/// readers and the model only ever see Unicode. Byte-for-byte round trip holds for every encoding
/// whose decoding is reversible (UTF-8, UTF-16, the ISO-8859 and Windows code pages…).
public struct TextEncoding: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name written in skeletons and messages (`UTF-8`, `UTF-16LE`, `ISO-8859-1`).
    public let name: String

    /// Creates an encoding from a user-given name (`utf8`, `latin1`, `windows-1252`…).
    public init(_ name: String) {
        let upper = name.uppercased()
        switch upper.replacingOccurrences("_", with: "-") {
        case "UTF8", "UTF-8": self.name = "UTF-8"
        case "UTF16LE", "UTF-16LE": self.name = "UTF-16LE"
        case "UTF16BE", "UTF-16BE": self.name = "UTF-16BE"
        case "LATIN1", "LATIN-1", "ISO8859-1", "ISO-8859-1": self.name = "ISO-8859-1"
        case "CP1252", "WINDOWS1252", "WINDOWS-1252": self.name = "WINDOWS-1252"
        default: self.name = upper
        }
    }

    /// UTF-8.
    public static let utf8 = TextEncoding("UTF-8")
    /// UTF-16, little-endian.
    public static let utf16LE = TextEncoding("UTF-16LE")
    /// UTF-16, big-endian.
    public static let utf16BE = TextEncoding("UTF-16BE")

    /// True for UTF-8, which needs no conversion.
    public var isUTF8: Bool { name == "UTF-8" }

    /// The name.
    public var description: String { name }

    /// The byte-order mark of this encoding (empty for encodings that have none).
    public var byteOrderMark: [UInt8] {
        switch name {
        case "UTF-8": return [0xEF, 0xBB, 0xBF]
        case "UTF-16LE": return [0xFF, 0xFE]
        case "UTF-16BE": return [0xFE, 0xFF]
        default: return []
        }
    }

    /// True when iconv on this system knows the encoding.
    public var isSupported: Bool {
        if isUTF8 { return true }
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// True when the encoding writes ASCII text as the same bytes (UTF-8, the ISO-8859 and Windows
    /// code pages…). Only such an encoding can be named inside a document's own ASCII markup
    /// (`<meta charset>`): UTF-7 (where `+` starts a shifted sequence — a known XSS vector),
    /// UTF-16/32 without a BOM and EBCDIC cannot, and a page declaring one is not really in it.
    public var isASCIICompatible: Bool {
        if isUTF8 { return true }
        let ascii = (0x20...0x7E).map(UInt8.init) + [0x09, 0x0A, 0x0D]
        guard let decoder = try? StreamingTextDecoder(encoding: self, displayPath: ""),
              let decoded = try? decoder.decode(ascii), let rest = try? decoder.finish() else { return false }
        return decoded + rest == ascii
    }

    /// The encoding announced by a byte-order mark at the start of `bytes`, with the mark's length.
    public static func detectByteOrderMark(_ bytes: some Collection<UInt8>) -> (TextEncoding, Int)? {
        let b = Array(bytes.prefix(3))
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return (.utf8, 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return (.utf16LE, 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return (.utf16BE, 2) }
        return nil
    }
}

extension String {
    /// Foundation-free `replacingOccurrences(of:with:)` for one character.
    func replacingOccurrences(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}

/// Decodes a byte stream in any split into valid UTF-8, reporting the first invalid byte with
/// its offset in the original file.
public final class StreamingTextDecoder {
    /// The encoding decoded from.
    public let encoding: TextEncoding
    private let displayPath: String
    private var carry: [UInt8] = []
    /// Offset in the file of the first byte not yet decoded (the first of `carry`).
    private var offset: Int
    private var converter: IconvConverter?
    /// After `decode` or `finish` threw: the text (UTF-8) decoded from the bytes of that call
    /// before the invalid sequence, so that a caller can still use what came before it.
    public private(set) var decodedBeforeFailure: [UInt8] = []
    /// Where the text in `uncounted` starts, so that an invalid sequence is reported at
    /// `path:line:column` by every reader.
    private var position = TextPosition()
    /// Text decoded by the last call that `position` has not moved past yet: a position is
    /// only needed for an error in a later call, so the text of a call is counted at the next
    /// one (never, for the usual file of one chunk) rather than as it is decoded.
    private var uncounted: ArraySlice<UInt8> = []

    /// Creates a decoder; `startOffset` is the file offset of the first byte it will see (after a BOM).
    public init(encoding: TextEncoding, displayPath: String, startOffset: Int = 0) throws {
        self.encoding = encoding
        self.displayPath = displayPath
        self.offset = startOffset
        if !encoding.isUTF8 {
            converter = try IconvConverter(from: encoding.name, to: "UTF-8", displayPath: displayPath)
        }
    }

    /// Decodes the next bytes; returns complete UTF-8. Incomplete sequences at the end wait for
    /// the next call (or fail at `finish()`).
    public func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = bytes
        if !carry.isEmpty {
            input = carry
            input.append(contentsOf: bytes)
            carry = []
        }
        decodedBeforeFailure = []
        if let converter {
            let (out, consumed, failure) = converter.convert(input, final: false)
            if let failure { decodedBeforeFailure = out; throw error(at: offset + failure) }
            carry = Array(input[consumed...])
            offset += consumed
            position.advance(over: uncounted)
            uncounted = out[...]
            return out
        }
        let complete = Self.completePrefixLength(input)
        if let bad = Self.firstInvalidUTF8(input[..<complete]) { decodedBeforeFailure = Array(input[..<bad]); throw error(at: offset + bad) }
        if complete < input.count { carry = Array(input[complete...]) }
        offset += complete
        position.advance(over: uncounted)
        uncounted = input[..<complete]
        if carry.isEmpty { return input }
        return Array(input[..<complete])
    }

    /// Ends the stream; throws when bytes of an incomplete character remain.
    public func finish() throws -> [UInt8] {
        guard !carry.isEmpty else { return [] }
        decodedBeforeFailure = []
        if let converter {
            let (out, consumed, failure) = converter.convert(carry, final: true)
            decodedBeforeFailure = out
            if let failure { throw error(at: offset + failure) }
            if consumed < carry.count { throw error(at: offset + consumed, truncated: true) }
            position.advance(over: uncounted)
            uncounted = out[...]
            return out
        }
        if let bad = Self.firstInvalidUTF8(carry[...]) { decodedBeforeFailure = Array(carry[..<bad]); throw error(at: offset + bad) }
        throw error(at: offset, truncated: true)
    }

    /// The error at `byteOffset`, located after the text decoded before it.
    private func error(at byteOffset: Int, truncated: Bool = false) -> FormatsError {
        let what = truncated ? "the file ends inside a character" : "invalid \(encoding.name) byte sequence"
        let hint = encoding.isUTF8 ? "; give the file's encoding with --encoding (e.g. --encoding windows-1252)" : ""
        position.advance(over: uncounted)
        uncounted = []
        position.advance(over: decodedBeforeFailure[...])
        return FormatsError(location: SourceLocation(file: displayPath, line: position.line, column: position.column), message: "\(what) at byte offset \(byteOffset)\(hint)")
    }

    /// The length of the longest prefix that does not end inside a UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var i = n - 1
        var back = 0
        while i >= 0 && back < 4 {
            let b = bytes[i]
            if b & 0xC0 != 0x80 {
                let need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return (n - i) >= need ? n : i
            }
            i -= 1
            back += 1
        }
        return n
    }

    /// Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8(in: $0) }
    }

    /// The check every input byte goes through (once: strings are then made without another).
    /// Eight bytes at a time while they are ASCII; in a word that is not, straight to its
    /// first non-ASCII byte (the lowest set high bit), whose sequence is checked, and on by
    /// words after it. On French text (an accented letter every few words) this measured
    /// 35-45 % faster than the standard library's `UTF8Span(validating:)`, which goes byte by
    /// byte, and than skipping ASCII words then going byte by byte to the next one.
    private static func firstInvalidUTF8(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return nil }
        var i = 0
        let end = bytes.count
        while i < end {
            if i + 8 <= end {
                // Byte k of the input in bits 8k…8k+7 whatever the host's byte order.
                let highBits = UInt64(littleEndian: UTF8Words.load(base, i)) & UTF8Words.highs
                if highBits == 0 { i += 8; continue }
                i += highBits.trailingZeroBitCount &>> 3
            } else if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let b = bytes[i]
            // A lead byte and its continuation bytes, by comparisons: a `switch` over ranges
            // of bytes compiled to a call per case, a fifth of the check's time on French text.
            // The second byte's range is narrower after E0 (no overlong), ED (no surrogate),
            // F0 (no overlong) and F4 (nothing above U+10FFFF).
            if b < 0xC2 || b > 0xF4 { return i }
            if b < 0xE0 {
                guard i + 1 < end, bytes[i + 1] & 0xC0 == 0x80 else { return i }
                i += 2
            } else if b < 0xF0 {
                guard i + 2 < end else { return i }
                let c = bytes[i + 1]
                guard c >= (b == 0xE0 ? 0xA0 : 0x80), c <= (b == 0xED ? 0x9F : 0xBF), bytes[i + 2] & 0xC0 == 0x80 else { return i }
                i += 3
            } else {
                guard i + 3 < end else { return i }
                let c = bytes[i + 1]
                guard c >= (b == 0xF0 ? 0x90 : 0x80), c <= (b == 0xF4 ? 0x8F : 0xBF),
                      bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 else { return i }
                i += 4
            }
        }
        return nil
    }
}

/// Encodes Unicode text into a document's encoding on merge.
public final class TextEncoder {
    /// The encoding encoded to.
    public let encoding: TextEncoding
    private var converter: IconvConverter?
    private let displayPath: String

    /// Creates an encoder; `displayPath` names the output in errors.
    public init(encoding: TextEncoding, displayPath: String) throws {
        self.encoding = encoding
        self.displayPath = displayPath
        if !encoding.isUTF8 {
            converter = try IconvConverter(from: "UTF-8", to: encoding.name, displayPath: displayPath)
        }
    }

    /// The bytes of `text`. A character the encoding cannot hold is replaced by
    /// `fallback(character)` (itself encoded), or is an error when there is no fallback.
    public func encode(_ text: String, fallback: ((Unicode.Scalar) -> String)? = nil) throws -> [UInt8] {
        guard let converter else { return Array(text.utf8) }
        let input = Array(text.utf8)
        var out: [UInt8] = []
        var start = 0
        while start < input.count {
            let slice = Array(input[start...])
            let (bytes, consumed, failure) = converter.convert(slice, final: true)
            out.append(contentsOf: bytes)
            guard let failure else {
                if consumed < slice.count { throw FormatsError(file: displayPath, "cannot encode text in \(encoding.name)") }
                break
            }
            // The character at `failure` has no equivalent in the target encoding.
            let rest = String(decoding: slice[failure...], as: UTF8.self)
            guard let scalar = rest.unicodeScalars.first else { break }
            guard let fallback else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                throw FormatsError(file: displayPath, "character U+\(hex) ('\(Character(scalar))') cannot be written in \(encoding.name), the original document's encoding")
            }
            let replacement = fallback(scalar)
            let (rb, _, rf) = converter.convert(Array(replacement.utf8), final: true)
            if rf != nil { throw FormatsError(file: displayPath, "cannot encode '\(replacement)' in \(encoding.name)") }
            out.append(contentsOf: rb)
            start += failure + String(scalar).utf8.count
        }
        return out
    }
}

/// A thin owner of an iconv descriptor (freed in `deinit`).
final class IconvConverter {
    private let cd: iconv_t

    init(from: String, to: String, displayPath: String) throws {
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) {
            throw FormatsError(file: displayPath, "unknown encoding '\(from == "UTF-8" ? to : from)'")
        }
        self.cd = cd!
    }

    deinit { iconv_close(cd) }

    /// Converts as much of `input` as possible. Returns the output, how many input bytes were
    /// consumed, and the offset of an invalid sequence if one stopped the conversion. An
    /// incomplete sequence at the end is left unconsumed unless `final` (then it is invalid).
    func convert(_ input: [UInt8], final: Bool) -> ([UInt8], Int, Int?) {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(4096, input.count * 4))
        var consumed = 0
        var failure: Int?
        input.withUnsafeBufferPointer { ip in
            guard let base = ip.baseAddress else { return }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: CChar.self)
            var inLeft = ip.count
            while inLeft > 0 {
                let produced: Int
                let result: Int
                let err: Int32
                (produced, result, err) = chunk.withUnsafeMutableBufferPointer { op in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(op.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = op.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (op.count - outLeft, r, r == -1 ? errno : 0)
                }
                out.append(contentsOf: chunk[..<produced])
                consumed = ip.count - inLeft
                if result != -1 { break }
                if err == E2BIG { continue }
                if err == EINVAL && !final { break }
                failure = consumed
                break
            }
        }
        // Reset the shift state for the next call.
        iconv(cd, nil, nil, nil, nil)
        return (out, consumed, failure)
    }
}

/// A 1-based line and column (columns in characters) kept up to date over decoded UTF-8, so that
/// a reader can say where a byte it cannot decode is.
struct TextPosition {
    private(set) var line = 1
    private(set) var column = 1

    /// Moves past `text` (complete UTF-8).
    mutating func advance(over text: ArraySlice<UInt8>) {
        // Counted in branch-free passes (vectorised): the line feeds, then the characters (lead
        // bytes) after the last one. Every chunk of input goes through here.
        text.withUnsafeBufferPointer { p in
            var feeds = 0
            for b in p { feeds &+= b == 0x0A ? 1 : 0 }
            var start = 0
            if feeds > 0 {
                line += feeds
                column = 1
                start = p.lastIndex(of: 0x0A)! + 1
            }
            var characters = 0
            for b in UnsafeBufferPointer(rebasing: p[start...]) { characters &+= b & 0xC0 != 0x80 ? 1 : 0 }
            column += characters
        }
    }
}

/// Word-at-a-time (eight bytes) tests over UTF-8, for the scans every byte of input goes
/// through: the compiler does not vectorise their byte loops, and most words need no closer look.
/// (`package`: the skeleton splicer of Pipeline escapes with them too.)
package enum UTF8Words {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` (unaligned).
    @inlinable @inline(__always)
    package static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// True when a byte of `w` is `b` (exact: a borrow only spoils bytes above a true match).
    @inlinable @inline(__always)
    package static func has(_ w: UInt64, _ b: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & highs != 0
    }

    /// True when a byte of `w` is one of five values: `has` for each, without a branch
    /// between them (the zero-byte tests of the five are OR-ed, then tested once).
    @inline(__always)
    static func hasAny(_ w: UInt64, _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ e: UInt8) -> Bool {
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x }
        let found = zeroBytes(w ^ (ones &* UInt64(a))) | zeroBytes(w ^ (ones &* UInt64(b))) | zeroBytes(w ^ (ones &* UInt64(c)))
            | zeroBytes(w ^ (ones &* UInt64(d))) | zeroBytes(w ^ (ones &* UInt64(e)))
        return found & highs != 0
    }

    /// Non-zero (in high bits) when a byte of `w` is `a` or `b`: `hasEither` before its test,
    /// for a scan that ORs the masks of many words and tests once.
    @inline(__always)
    static func eitherMask(_ w: UInt64, _ a: UInt8, _ b: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(a)), y = w ^ (ones &* UInt64(b))
        return ((x &- ones) & ~x | (y &- ones) & ~y) & highs
    }

    /// True when a byte of `w` is `a` or `b` (`hasAny` for two values).
    @inline(__always)
    static func hasEither(_ w: UInt64, _ a: UInt8, _ b: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(a)), y = w ^ (ones &* UInt64(b))
        return ((x &- ones) & ~x | (y &- ones) & ~y) & highs != 0
    }

    /// The high bit of each byte of `w` that is zero, and no other bit (exact: each byte is
    /// tested on its own, without a borrow from its neighbour).
    @inline(__always)
    static func zeroBytes(_ w: UInt64) -> UInt64 {
        let low7 = ~highs
        return ~(((w & low7) &+ low7) | w) & highs
    }

    /// True when a byte of `w` is below `n` (at most 0x80).
    @inline(__always)
    static func hasLess(_ w: UInt64, than n: UInt8) -> Bool {
        (w &- ones &* UInt64(n)) & ~w & highs != 0
    }

    /// The UTF-16 units the eight bytes of `w` count for in complete UTF-8: one per byte that
    /// does not continue a sequence, one more per lead byte of a four-byte sequence.
    @inline(__always)
    static func utf16Length(_ w: UInt64) -> Int {
        // Bit 7 of each byte of `w << k` is bit 7 - k of the same byte.
        let continuations = w & ~(w << 1) & highs
        let fourByteLeads = w & (w << 1) & (w << 2) & (w << 3) & highs
        return 8 - continuations.nonzeroBitCount + fourByteLeads.nonzeroBitCount
    }

    /// The UTF-16 units of each byte of `w` in its own byte lane (0, 1 or 2): summed over
    /// words with `&+` and totalled by `laneTotal`, they count what `utf16Length` counts word by
    /// word, with an addition per word instead of two population counts (the baseline x86-64
    /// the package is built for has no POPCNT instruction: a count was a dozen operations).
    @inline(__always)
    static func utf16Lanes(_ w: UInt64) -> UInt64 {
        let continuations = w & ~(w << 1) & highs
        let fourByteLeads = w & (w << 1) & (w << 2) & (w << 3) & highs
        return ((highs & ~continuations) >> 7) &+ (fourByteLeads >> 7)
    }

    /// How many words' `utf16Lanes` one sum may hold: a lane then stays below 256.
    static let wordsPerLaneSum = 127

    /// The total of a sum of `utf16Lanes` over at most `wordsPerLaneSum` words.
    @inline(__always)
    static func laneTotal(_ lanes: UInt64) -> Int {
        // Pairs of lanes into 16-bit lanes (at most 508 each), then all four added into the top
        // sixteen bits by one multiplication.
        let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    /// The UTF-16 length of complete UTF-8: a unit per byte that does not continue a sequence,
    /// one more for the lead byte of a four-byte sequence.
    static func utf16Length(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
        let n = bytes.count
        var i = 0
        var length = 0
        while i + 8 <= n {
            var lanes: UInt64 = 0
            var words = 0
            while i + 8 <= n && words < wordsPerLaneSum {
                lanes &+= utf16Lanes(load(base, i))
                i += 8
                words += 1
            }
            length += laneTotal(lanes)
        }
        while i < n {
            let b = bytes[i]
            length += (b & 0xC0 != 0x80 ? 1 : 0) + (b >= 0xF0 ? 1 : 0)
            i += 1
        }
        return length
    }
}
