import Foundation
import TranslationModel

/// What a UTF-16 code unit is for the tokenizer. No class is 0: a zero table entry is one not
/// computed yet (`TextFolding.uncoveredClass`).
enum CharacterClass: UInt8 {
    /// Separator or punctuation: ends a token.
    case other = 9
    /// A letter: part of a token.
    case letter = 1
    /// A decimal digit: part of a token.
    case digit = 2
    /// A combining mark: part of the token, dropped from the folded form.
    case mark = 3
    /// An apostrophe (`'`, `’`, `ʼ`): ends a token; `l'OTAN` is `l` + `otan`.
    case apostrophe = 4
    /// A hyphen inside compounds: ends a token; `Saint-Pétersbourg` = `Saint Pétersbourg`.
    case hyphen = 5
    /// Whitespace.
    case space = 6
    /// Invisible inside words (soft hyphen, zero-width joiners): skipped.
    case ignorable = 7
    /// Half of a surrogate pair: the pair is looked at as one scalar.
    case surrogate = 8
}

/// Case and accent folding, one UTF-16 code unit at a time, through a table built once.
///
/// Folding lower-cases, removes diacritics (`é` → `e`, `ł` → `l`), expands ligatures and sharp s
/// (`œ` → `oe`, `ß` → `ss`), maps `ё` → `е` and final sigma to sigma, and keeps the Cyrillic
/// letters `й` and `ў`, which are letters of their own rather than accented ones. The table
/// covers the scripts a termbase of European languages meets (Latin, Greek, Cyrillic, general
/// punctuation, ligatures); other code units are classified on the fly.
public enum TextFolding {
    /// Bit set in an entry for an upper-case (or title-case) letter.
    static let caseUpperBit: UInt64 = 0x10
    /// Bit set in an entry for a lower-case letter.
    static let caseLowerBit: UInt64 = 0x20

    /// Class nibble of a table entry for a code unit outside the precomputed ranges: its entry
    /// is computed when met (`CharacterClass` never uses this value). Zero, so that the table
    /// starts as zeroed memory whose pages the system maps only when written or read.
    static let uncoveredClass: UInt8 = 0

    /// Entry layout: bits 0–3 class, 4–5 letter case, 8–15 number of folded units (0–3), then
    /// up to three units. One entry per UTF-16 code unit, in memory that lives as long as the
    /// process, so that the tokenizer's loop reads it through a plain pointer (no array
    /// retained or bounds-checked per character). Code units outside the scripts a termbase
    /// of European languages meets are marked `uncoveredClass` and computed on the fly.
    nonisolated(unsafe) static let table: UnsafePointer<UInt64> = {
        // An anonymous mapping rather than allocate-and-fill (or calloc, which clears the block
        // when the allocator does not map it): 512 KB filled at every start cost as much as
        // copying the entries in, whereas the system gives zeroed pages when first touched.
        let bytes = 0x10000 * MemoryLayout<UInt64>.stride
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        let t: UnsafeMutablePointer<UInt64>
        if let mapped, mapped != MAP_FAILED {
            t = mapped.bindMemory(to: UInt64.self, capacity: 0x10000)
        } else {
            t = .allocate(capacity: 0x10000)
            t.initialize(repeating: UInt64(uncoveredClass), count: 0x10000)
        }
        // Copied from the generated `precomputedEntries` rather than computed: working out
        // these 2,288 entries (a Foundation decomposition per letter) cost 2–3 ms of every run.
        precomputedEntries.withUnsafeBufferPointer { entries in
            var k = 0
            for r in coveredRanges {
                for v in r {
                    t[Int(v)] = entries[k]
                    k += 1
                }
            }
        }
        for v in UInt32(0xD800)...0xDFFF { t[Int(v)] = UInt64(CharacterClass.surrogate.rawValue) }
        return UnsafePointer(t)
    }()

    /// The code points whose entries `precomputedEntries` holds, in order: the scripts a
    /// termbase of European languages meets (Latin, Greek, Cyrillic, general punctuation,
    /// ligatures, variation selectors, full-width forms).
    static let coveredRanges: [ClosedRange<UInt32>] = [0x0000...0x052F, 0x1E00...0x1FFF, 0x2000...0x206F, 0xFB00...0xFB4F, 0xFE00...0xFE0F, 0xFF00...0xFFEF]

    /// The entries of `coveredRanges` as this runtime's Unicode data gives them: what
    /// `precomputedEntries` must hold (`TextFoldingTableTests` compares them and rewrites
    /// TextFoldingTable.swift when asked, see docs/terminology.md).
    static func computedEntries() -> [UInt64] {
        coveredRanges.flatMap { $0.map(computeEntry) }
    }

    /// The source of TextFoldingTable.swift for `computedEntries()`.
    static func tableSource() -> String {
        var out = """
        // GENERATED from TextFolding.computedEntries() by
        //   VERSO_REGENERATE=1 swift test --filter TextFoldingTableTests
        // Do not edit by hand; TextFoldingTableTests fails when this file is out of date.

        extension TextFolding {
            /// The table entries of `coveredRanges`, in order (see `table`).
            static let precomputedEntries: [UInt64] = [

        """
        let entries = computedEntries()
        for start in stride(from: 0, to: entries.count, by: 6) {
            let line = entries[start..<min(start + 6, entries.count)].map { e -> String in
                let hex = String(e, radix: 16)
                return "0x" + String(repeating: "0", count: 16 - hex.count) + hex + ","
            }
            out += "        " + line.joined(separator: " ") + "\n"
        }
        out += "    ]\n}\n"
        return out
    }

    /// The class and folded form of one BMP code unit.
    @inline(__always)
    static func entry(_ unit: UInt16) -> UInt64 {
        let e = table[Int(unit)]
        return UInt8(truncatingIfNeeded: e) & 0x0F == uncoveredClass ? computeEntry(UInt32(unit)) : e
    }

    /// The class and folded form of any scalar (outside the BMP: no folding).
    static func entry(scalar value: UInt32) -> UInt64 {
        if value < 0x10000 { return entry(UInt16(value)) }
        return computeEntry(value)
    }

    private static let apostrophes: Set<UInt32> = [0x27, 0x60, 0xB4, 0x2BC, 0x2BB, 0x2018, 0x2019, 0x2032, 0xFF07]
    private static let hyphens: Set<UInt32> = [0x2D, 0x2010, 0x2011, 0xFE63, 0xFF0D]
    private static let ignorables: Set<UInt32> = [0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
    private static let specialFolds: [UInt32: String] = [
        0xDF: "ss", 0x1E9E: "ss", 0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe",
        0xF8: "o", 0xD8: "o", 0x111: "d", 0x110: "d", 0xF0: "d", 0xD0: "d", 0x142: "l", 0x141: "l",
        0x127: "h", 0x126: "h", 0x131: "i", 0xFE: "th", 0xDE: "th", 0x3C2: "σ",
        0x451: "е", 0x401: "е", 0x439: "й", 0x419: "й", 0x45E: "ў", 0x40E: "ў",
        0x138: "q", 0x17F: "s", 0x1E9B: "s",
    ]

    private static func pack(_ cls: CharacterClass, _ folded: [UInt16]) -> UInt64 {
        var e = UInt64(cls.rawValue) | UInt64(min(folded.count, 3)) << 8
        for (k, u) in folded.prefix(3).enumerated() { e |= UInt64(u) << (16 + 16 * UInt64(k)) }
        return e
    }

    private static func computeEntry(_ value: UInt32) -> UInt64 {
        guard let scalar = Unicode.Scalar(value) else { return UInt64(CharacterClass.other.rawValue) }
        if apostrophes.contains(value) { return pack(.apostrophe, []) }
        if hyphens.contains(value) { return pack(.hyphen, []) }
        if ignorables.contains(value) { return pack(.ignorable, []) }
        let props = scalar.properties
        if props.isWhitespace { return pack(.space, []) }
        switch props.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return pack(.mark, [])
        case .decimalNumber:
            let folded: [UInt16] = props.numericValue.map { v in
                (v >= 0 && v <= 9 && v == v.rounded()) ? [UInt16(0x30 + Int(v))] : Array(String(scalar).utf16)
            } ?? Array(String(scalar).utf16)
            return pack(.digit, folded)
        case .otherLetter where value >= 0x0600:
            // Scripts without case or Latin-style diacritics (Arabic, Indic, CJK, Hangul…):
            // the letter as written, without the cost of a decomposition.
            return pack(.letter, Array(String(scalar).utf16))
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            var e = pack(.letter, Array(foldLetter(scalar).utf16))
            if props.isUppercase || props.generalCategory == .titlecaseLetter { e |= caseUpperBit }
            else if props.isLowercase { e |= caseLowerBit }
            return e
        default:
            return pack(.other, [])
        }
    }

    /// Folds one letter: lower case, no diacritics, ligatures expanded.
    static func foldLetter(_ scalar: Unicode.Scalar) -> String {
        if let special = specialFolds[scalar.value] { return special }
        let lower = scalar.properties.lowercaseMapping
        var out = ""
        for s in lower.unicodeScalars {
            if let special = specialFolds[s.value] { out += special; continue }
            let decomposed = String(s).decomposedStringWithCompatibilityMapping
            for d in decomposed.unicodeScalars {
                switch d.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: continue
                default:
                    if let special = specialFolds[d.value] { out += special }
                    else { out += String(d.properties.lowercaseMapping) }
                }
            }
        }
        return out.isEmpty ? String(scalar) : out
    }

    /// The folded form of a whole string: tokens folded and joined by one space
    /// (`"L’OTAN"` → `"l otan"`, `"Saint-Pétersbourg"` → `"saint petersbourg"`).
    public static func fold(_ text: String) -> String {
        Tokenizer.tokens(of: text).map(\.folded).joined(separator: " ")
    }
}

/// The letter case of a token as written, used to keep acronyms (`UN`, `WHO`) from matching
/// ordinary words (`un`, `who`).
public enum LetterCase: UInt8, Sendable, Hashable, Codable, BitwiseCopyable {
    /// No cased letter (digits, CJK).
    case none
    /// All cased letters lower case.
    case lower
    /// First letter upper case, at least one lower case after it.
    case title
    /// Every cased letter upper case (at least two letters), or a single capital.
    case upper
    /// Anything else (`BelTA`, `iPhone`).
    case mixed
}

/// A word of a text: its place in UTF-16 units, its folded form and how it was written.
public struct Token: Sendable, Hashable {
    /// Offset of the first code unit in the text.
    public var utf16Offset: Int
    /// Length in UTF-16 code units.
    public var utf16Length: Int
    /// Case- and accent-folded form.
    public var folded: String
    /// Letter case as written.
    public var letterCase: LetterCase
    /// What separates it from the previous token.
    public var gapBefore: Gap

    /// The kind of material between two tokens, which decides whether a multi-word term may
    /// span them.
    public enum Gap: UInt8, Sendable, Hashable, BitwiseCopyable {
        /// Start of the text.
        case start
        /// Spaces only.
        case space
        /// An apostrophe (`l'OTAN`).
        case apostrophe
        /// A hyphen (`Saint-Pétersbourg`).
        case hyphen
        /// Punctuation or an inline code: no term spans it.
        case barrier
    }
}

/// Splits text into words at spaces, punctuation, apostrophes and hyphens, folding each word.
public enum Tokenizer {
    /// The tokens of `text`. `barriers` are UTF-16 offsets where no multi-word term may span
    /// (standalone inline codes).
    public static func tokens(of text: String, barriers: Set<Int> = []) -> [Token] {
        var out: [Token] = []
        let units = Array(text.utf16)
        // The scanner's folding buffer and barriers, lent to it and kept alive here.
        let storage = ScratchUnits(capacity: TokenScanner.capacity, barriers: barriers.sorted())
        var scanner = TokenScanner(sortedBarriers: storage.barriers, storage: storage.base)
        withExtendedLifetime(storage) {
            units.withUnsafeBufferPointer { buf in
                while let t = scanner.next(buf) {
                    out.append(Token(
                        utf16Offset: t.start, utf16Length: t.end - t.start,
                        folded: scanner.withFolded { String(transcodingUTF16: $0) },
                        letterCase: scanner.letterCase(of: t, in: buf), gapBefore: t.gap))
                }
            }
        }
        return out
    }
}

/// Where a token is and how it was written; its folded form is the scanner's `folded` until the
/// next call.
struct ScannedToken {
    var start: Int
    var end: Int
    /// Letters in upper (or title) case, and letters with a case; `cased` is -1 for a word the
    /// scanner's fast path read, whose letters are counted only when its case is asked
    /// (`TokenScanner.letterCase(of:in:)`).
    var upper: Int
    var cased: Int
    /// The first letter is in upper case.
    var firstUpper: Bool
    var gap: Token.Gap
    /// Tokens were passed over between the previous token returned and this one
    /// (`TokenScanner.next(_:keeping:)`).
    var afterDropped = false

    /// Letter case as written when `scan` counted it; nil for a word of the fast path
    /// (`TokenScanner.fastPathCase` works it out from the text).
    @inline(__always) var countedCase: LetterCase? {
        cased >= 0 ? Self.letterCase(upper: upper, cased: cased, firstUpper: firstUpper) : nil
    }

    /// Letter case from the counts of a word's letters.
    @inline(__always) static func letterCase(upper: Int, cased: Int, firstUpper: Bool) -> LetterCase {
        let lower = cased &- upper
        if cased == 0 { return .none }
        if lower == 0 { return .upper }
        if upper == 0 { return .lower }
        if firstUpper && upper == 1 { return .title }
        return .mixed
    }
}

/// Scratch memory of a fixed size lent to a scanner (by `Tokenizer`, or by the recognizer's
/// pool of scan scratch) and freed with its owner.
final class ScratchUnits {
    let base: UnsafeMutablePointer<UInt16>
    /// A copy of the barriers a scanner given this memory reads through a pointer.
    let barriers: UnsafeBufferPointer<Int>

    init(capacity: Int, barriers: [Int] = []) {
        base = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
        let b = UnsafeMutableBufferPointer<Int>.allocate(capacity: barriers.count)
        _ = b.initialize(from: barriers)
        self.barriers = UnsafeBufferPointer(b)
    }

    deinit {
        base.deallocate()
        barriers.deallocate()
    }
}

/// The allocation-free tokenizer shared by `Tokenizer` and the recognizer's hot path: a cursor
/// over UTF-16 text that folds each word into a reused fixed-size buffer. The buffer's units
/// past the word are not cleared: readers take `foldedCount` units (the recognizer's lookup
/// masks what it loads past them).
struct TokenScanner {
    /// Longest folded word kept; longer runs of letters are still one token, but only their
    /// first units are compared (no term is that long).
    static let capacity = 256
    /// Where the folded form of a token is written (`capacity` units at least).
    private let out: UnsafeMutablePointer<UInt16>
    // Read once here rather than through the lazy global on every call.
    private let table = TextFolding.table
    /// Number of valid units in the folded form of the token last returned.
    private(set) var foldedCount = 0
    /// Lanes of four UTF-16 units in a 64-bit word, for the fast path's four-at-a-time test:
    /// bits that are zero in every ASCII unit, the 0x20 (lower case) bit of each unit, and the
    /// top bit of each unit.
    private static let nonASCIIBits: UInt64 = 0xFF80_FF80_FF80_FF80
    private static let caseBits: UInt64 = 0x0020_0020_0020_0020
    private static let laneTops: UInt64 = 0x8000_8000_8000_8000


    /// The top bit of each lane of `lower` (four ASCII units with the 0x20 bit set) that holds a
    /// letter, `a`…`z`: lane + 0x7F9F reaches the top bit from `a` on, lane + 0x7F85 from `{`
    /// on, and neither carries into the next lane since the lanes are below 0x80.
    @inline(__always) private static func asciiLetterLanes(_ lower: UInt64) -> UInt64 {
        (lower &+ 0x7F9F_7F9F_7F9F_7F9F) & ~(lower &+ 0x7F85_7F85_7F85_7F85) & laneTops
    }
    /// Standalone-code offsets, ascending; `barrierIndex` is the first not yet reached.
    private let barriers: UnsafeBufferPointer<Int>
    private var barrierIndex = 0
    /// `barriers[barrierIndex]`, or `Int.max` when none is left.
    private var nextBarrier: Int
    private var i = 0
    private var gap: Token.Gap = .start

    /// A scanner folding into `storage` (at least `capacity` units, used by one scanner at a
    /// time); `sortedBarriers` ascending. Both are lent: the caller keeps them alive and
    /// unchanged while the scanner is used. The recognizer scans many short segments and lends
    /// each scan memory it keeps, rather than allocating it per segment; holding no reference,
    /// a scanner costs no retain, release or destruction per segment. (Out of line: inlined
    /// into the recognizer's scan, it left the compiler no room to inline `next` there.)
    @inline(never) init(sortedBarriers: UnsafeBufferPointer<Int>, storage: UnsafeMutablePointer<UInt16>) {
        out = storage
        barriers = sortedBarriers
        nextBarrier = sortedBarriers.first ?? Int.max
    }

    /// The folded units of the token last returned.
    var folded: ArraySlice<UInt16> { withFolded { ArraySlice($0) } }

    /// Letter case as written of `t`, a token this scanner returned from `units`. Worked out
    /// when asked: counting cased letters as the fast path reads them cost a tenth of its
    /// time, and the recognizer needs the case of few words (`countedCase(of:)`).
    func letterCase(of t: ScannedToken, in units: UnsafeBufferPointer<UInt16>) -> LetterCase {
        countedCase(of: t) ?? Self.fastPathCase(units.baseAddress! + t.start, count: t.end - t.start)
    }

    /// Letter case as written of `t` when `scan` counted it; nil for a word of the fast path,
    /// whose case `fastPathCase` works out from the text.
    @inline(__always) func countedCase(of t: ScannedToken) -> LetterCase? {
        t.countedCase
    }

    /// The letter case of a word the fast path read: ASCII letters and Latin letters of one
    /// folded unit (`count` of them at `u`), counted as `scan` counts them.
    @inline(never) static func fastPathCase(_ u: UnsafePointer<UInt16>, count: Int) -> LetterCase {
        let table = TextFolding.table
        var upper = 0, uncased = 0
        for k in 0..<count {
            let c = u[k]
            if c < 0x80 {
                if c < 0x60 { upper &+= 1 }
            } else {
                let e = table[Int(c)]
                if e & TextFolding.caseUpperBit != 0 { upper &+= 1 }
                else if e & TextFolding.caseLowerBit == 0 { uncased &+= 1 }
            }
        }
        let first = u[0]
        let firstUpper = first < 0x80 ? first < 0x60 : table[Int(first)] & TextFolding.caseUpperBit != 0
        return ScannedToken.letterCase(upper: upper, cased: count &- uncased, firstUpper: firstUpper)
    }

    /// Calls `body` with the folded units of the token last returned, without copying them.
    @inline(__always) func withFolded<R>(_ body: (UnsafeBufferPointer<UInt16>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: out, count: foldedCount))
    }

    /// The next token of `units`, or nil at the end. Always pass the same text.
    @inline(__always) mutating func next(_ units: UnsafeBufferPointer<UInt16>) -> ScannedToken? {
        next(units) { _, _ in true }
    }

    /// The next token of `units` that `keep` accepts, or nil at the end. Always pass the same
    /// text. `keep` is given each token's folded units (which it may change in place, as
    /// stemming does; they are not read again) and their number; a token it refuses is passed
    /// over, and the token returned after it says so (`afterDropped`).
    ///
    /// (The recognizer keeps about a quarter of a text's words: passing over the others here,
    /// in the loop that reads them, spares returning each, and reloading the scanner's state
    /// and working out the fast path's bounds again for the next.)
    @inline(__always) mutating func next(_ units: UnsafeBufferPointer<UInt16>, keeping keep: (UnsafeMutablePointer<UInt16>, Int) -> Bool) -> ScannedToken? {
        let n = units.count
        guard i < n, let text = units.baseAddress else {
            foldedCount = 0
            return nil
        }
        var dropped = false
        let out = self.out
        let table = self.table
        // Fast path, for most words of European text: spaces, then a word of ASCII letters and
        // Latin-1/Latin Extended-A letters that fold to one letter (`é`, `Ł`), ending at a space,
        // punctuation or the end of the text, with no standalone code on the way. Anything else
        // (digits, ligatures, combining marks, other scripts, codes) goes through `scan`, from
        // the word's start.
        var position = i
        // (The fast path never passes a standalone code: `nextBarrier` stays as it is from
        // word to word until `scan` is called.)
        var runEnd = min(n, nextBarrier)
        words: while true {
            while position < runEnd && text[position] == 0x20 { position &+= 1 }
            if position < runEnd {
                let u = text[position]
                // (`(c | 0x20) - 0x61 < 26` holds for ASCII letters only, whatever the unit.)
                if (u | 0x20) &- 0x61 < 26 || u &- 0xC0 < 0xC0 {
                    // The word ends before `limit`: at the run's end or after `capacity` units.
                    let limit = min(runEnd, position &+ Self.capacity)
                    // (Letter case is not counted here but when asked: `letterCase(of:in:)`.)
                    var p = position
                    var c = u
                    word: while true {
                        // Four units at a time while they are ASCII letters (most of a European
                        // text): one load, one test, one store, instead of a branch per letter.
                        // The scratch holds `capacity` units, so the whole group must fit.
                        while limit &- p >= 4 {
                            let w = UnsafeRawPointer(text + p).loadUnaligned(as: UInt64.self)
                            if w & Self.nonASCIIBits != 0 { break }
                            let lower = w | Self.caseBits
                            let letters = Self.asciiLetterLanes(lower)
                            UnsafeMutableRawPointer(out + (p &- position)).storeBytes(of: lower, as: UInt64.self)
                            if letters != Self.laneTops {
                                // The letters before the first other ASCII unit, which ends the
                                // word (the units stored past it are never read).
                                let k = (~letters & Self.laneTops).trailingZeroBitCount >> 4
                                p &+= k
                                c = text[p]
                                break word
                            }
                            p &+= 4
                        }
                        if p == limit { break }
                        c = text[p]
                        let f: UInt16
                        if (c | 0x20) &- 0x61 < 26 {
                            f = c | 0x20
                        } else if c &- 0xC0 < 0xC0 {
                            // Latin-1 letters and Latin Extended-A: a table entry of one folded unit.
                            let e = table[Int(c)]
                            guard UInt8(truncatingIfNeeded: e) & 0x0F == CharacterClass.letter.rawValue, (e >> 8) & 0xFF == 1 else { break }
                            f = UInt16(truncatingIfNeeded: e >> 16)
                        } else {
                            break
                        }
                        out[p &- position] = f
                        p &+= 1
                        if p == limit { break }
                    }
                    // (A word is at least one letter; `c` is the unit at `p` when `p < limit`.)
                    if p > position {
                        var nextGap = Token.Gap.space
                        var done = p == n
                        if p < limit {
                            // (A space, the usual end of a word, needs no table entry.)
                            switch c == 0x20 ? CharacterClass.space.rawValue : UInt8(truncatingIfNeeded: table[Int(c)]) & 0x0F {
                            case CharacterClass.space.rawValue: done = true
                            case CharacterClass.apostrophe.rawValue: done = true; nextGap = .apostrophe
                            case CharacterClass.hyphen.rawValue: done = true; nextGap = .hyphen
                            case CharacterClass.other.rawValue: done = true; nextGap = .barrier
                            default: break
                            }
                        }
                        if done {
                            let len = p &- position
                            let after = p == n ? p : p &+ 1
                            let currentGap = gap
                            gap = nextGap
                            if !keep(out, len) {
                                dropped = true
                                if after == n { i = n; foldedCount = 0; return nil }
                                position = after
                                continue words
                            }
                            i = after
                            foldedCount = len
                            return ScannedToken(start: position, end: p, upper: 0, cased: -1, firstUpper: false, gap: currentGap, afterDropped: dropped)
                        }
                    }
                }
            }
            i = position
            guard var t = scan(units) else { return nil }
            if !keep(out, foldedCount) {
                dropped = true
                guard i < n else { foldedCount = 0; return nil }
                position = i
                runEnd = min(n, nextBarrier)
                continue words
            }
            t.afterDropped = dropped
            return t
        }
    }

    /// The general case of `next`: any character, standalone codes.
    @inline(never) private mutating func scan(_ units: UnsafeBufferPointer<UInt16>) -> ScannedToken? {
        let n = units.count
        guard i < n, let text = units.baseAddress else {
            foldedCount = 0
            return nil
        }
        let out = self.out
        let table = self.table
        let cap = Self.capacity
        var start = -1, end = -1
        var upper = 0, cased = 0, firstUpper = false
        var len = 0
        var position = i
        var currentGap = gap
        var nextGap = Token.Gap.space
        var barrierIndex = self.barrierIndex
        var nextBarrier = self.nextBarrier
        scanning: while position < n {
            if position >= nextBarrier {
                // Offsets skipped inside a surrogate pair never count, as before.
                while nextBarrier < position {
                    barrierIndex += 1
                    nextBarrier = barrierIndex < barriers.count ? barriers[barrierIndex] : Int.max
                }
                if position == nextBarrier {
                    barrierIndex += 1
                    nextBarrier = barrierIndex < barriers.count ? barriers[barrierIndex] : Int.max
                    if start >= 0 {
                        end = position
                        nextGap = .barrier
                        break scanning
                    }
                    currentGap = .barrier
                }
            }
            let u = text[position]
            if u < 0x80 {
                // ASCII fast path, no table: a run of letters in one tight loop (stopping at
                // the next standalone code), digits and spaces one at a time.
                if (u | 0x20) &- 0x61 < 26 {
                    if start < 0 { start = position; firstUpper = u < 0x60 }
                    let runEnd = min(n, nextBarrier)
                    var p = position
                    var c = u
                    repeat {
                        let f = c | 0x20
                        upper &+= Int(truncatingIfNeeded: ((c >> 5) & 1) ^ 1)
                        if len < cap { out[len] = f }
                        len &+= 1
                        p &+= 1
                        if p == runEnd { break }
                        c = text[p]
                    } while c < 0x80 && (c | 0x20) &- 0x61 < 26
                    cased &+= p &- position
                    position = p
                    continue
                }
                if u &- 0x30 < 10 {
                    if start < 0 { start = position }
                    if len < cap { out[len] = u }
                    len &+= 1
                    position &+= 1; continue
                }
                if u == 0x20 {
                    position &+= 1
                    if start >= 0 {
                        end = position &- 1
                        nextGap = .space
                        break scanning
                    }
                    continue
                }
            }
            var width = 1
            var e = table[Int(u)]
            var cls = UInt8(truncatingIfNeeded: e) & 0x0F
            if cls == TextFolding.uncoveredClass {
                e = TextFolding.entry(u)
                cls = UInt8(truncatingIfNeeded: e) & 0x0F
            }
            if cls == CharacterClass.surrogate.rawValue {
                if u >= 0xD800 && u < 0xDC00 && position + 1 < n && text[position + 1] >= 0xDC00 && text[position + 1] < 0xE000 {
                    let scalar = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(text[position + 1]) - 0xDC00)
                    e = TextFolding.entry(scalar: scalar)
                    width = 2
                } else {
                    e = UInt64(CharacterClass.other.rawValue)
                }
                cls = UInt8(truncatingIfNeeded: e) & 0x0F
            }
            switch cls {
            case CharacterClass.letter.rawValue, CharacterClass.digit.rawValue:
                if start < 0 { start = position }
                let count = Int((e >> 8) & 0xFF)
                if count == 0 {
                    for k in 0..<width {
                        let v = text[position + k]
                        if len < cap { out[len] = v }
                        len += 1
                    }
                } else {
                    for k in 0..<count {
                        let v = UInt16(truncatingIfNeeded: e >> (16 + 16 * UInt64(k)))
                        if len < cap { out[len] = v }
                        len += 1
                    }
                }
                if e & TextFolding.caseUpperBit != 0 {
                    upper &+= 1; cased &+= 1
                    if start == position { firstUpper = true }
                } else if e & TextFolding.caseLowerBit != 0 {
                    cased &+= 1
                }
                position += width
            case CharacterClass.mark.rawValue, CharacterClass.ignorable.rawValue:
                position += width // stays inside the token, folded away
            default:
                // A separator: ends the pending token, and says what lies before the next one.
                position += width
                let effect: Token.Gap
                switch cls {
                case CharacterClass.apostrophe.rawValue: effect = .apostrophe
                case CharacterClass.hyphen.rawValue: effect = .hyphen
                case CharacterClass.space.rawValue: effect = .space
                default: effect = .barrier
                }
                if start >= 0 {
                    end = position - width
                    nextGap = effect
                    break scanning
                }
                // Between tokens: apostrophes and hyphens count only after plain space,
                // punctuation always wins; before the first token nothing counts.
                if currentGap == .space && (effect == .apostrophe || effect == .hyphen) { currentGap = effect }
                else if effect == .barrier && currentGap != .start { currentGap = .barrier }
            }
        }
        i = position
        self.barrierIndex = barrierIndex
        self.nextBarrier = nextBarrier
        guard start >= 0 else {
            gap = currentGap
            foldedCount = 0
            return nil
        }
        if end < 0 { end = position }
        foldedCount = min(len, cap)
        gap = nextGap
        return ScannedToken(start: start, end: end, upper: upper, cased: cased, firstUpper: firstUpper, gap: currentGap)
    }
}
