#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of UTF-16 code units as a 65,536-bit bitmap.
struct UnitSet: Sendable, Hashable {
    private(set) var words: [UInt64]

    /// The empty set. It shares one zeroed bitmap until it is first changed: compiling rules
    /// makes many sets that stay empty or are replaced whole, and zeroing 8 KB for each was a
    /// tenth of compiling them.
    init() { words = Self.noWords }

    private static let noWords = [UInt64](repeating: 0, count: 1024)

    /// True while the set still shares the zeroed bitmap (so it is empty).
    private var sharesNoWords: Bool {
        words.withUnsafeBufferPointer { mine in
            Self.noWords.withUnsafeBufferPointer { $0.baseAddress == mine.baseAddress }
        }
    }

    /// Where the bitmap is stored: equal for copies of one set, so that a set met again is
    /// known without comparing 8 KiB (valid while some copy keeps the storage alive).
    var storageIdentity: UnsafeRawPointer {
        words.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
    }

    /// Every code unit.
    static var all: UnitSet {
        var s = UnitSet()
        for i in 0..<s.words.count { s.words[i] = ~0 }
        return s
    }

    @inline(__always)
    func contains(_ unit: UInt16) -> Bool {
        words[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0
    }

    mutating func insert(_ unit: UInt16) {
        words[Int(unit >> 6)] |= 1 << UInt64(unit & 63)
    }

    /// The bitmap's words, for C code to fill.
    mutating func withUnsafeMutableWords<T>(_ body: (UnsafeMutablePointer<UInt64>) -> T) -> T {
        words.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Every unit not in the set, and none of those in it.
    mutating func invert() {
        for i in 0..<words.count { words[i] = ~words[i] }
    }

    /// Removes U+D800…U+DFFF (whole words of the bitmap).
    mutating func removeSurrogates() {
        for i in (0xD800 >> 6)..<(0xE000 >> 6) { words[i] = 0 }
    }

    mutating func insert(contentsOf other: UnitSet) {
        if sharesNoWords {
            words = other.words
            return
        }
        for i in 0..<words.count { words[i] |= other.words[i] }
    }

    /// Includes every high surrogate, so that a set standing for code points stays a superset
    /// once supplementary characters are written as surrogate pairs.
    mutating func insertHighSurrogates() {
        for u in UInt16(0xD800)...UInt16(0xDBFF) { insert(u) }
    }

    /// Includes every low surrogate (the last unit of a supplementary character).
    mutating func insertLowSurrogates() {
        for u in UInt16(0xDC00)...UInt16(0xDFFF) { insert(u) }
    }

    /// The number of units in the set. Zero words are skipped: most sets are a few words of
    /// the 1,024, and a population count without the instruction (baseline x86-64) is a dozen.
    var count: Int {
        var n = 0
        for word in words where word != 0 { n &+= word.nonzeroBitCount }
        return n
    }

    /// The set's units in order when it has at most `limit` of them; nil when it has more.
    func members(upTo limit: Int) -> [UInt16]? {
        var found: [UInt16] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                guard found.count < limit else { return nil }
                found.append(UInt16(w * 64 + bits.trailingZeroBitCount))
                bits &= bits &- 1
            }
        }
        return found
    }

    /// The set's one unit, when it has exactly one.
    var singleUnit: UInt16? {
        words.withUnsafeBufferPointer { words in
            // Four words at a time past the empty ones: a set of one unit is read to its end
            // (1,024 words) to know, for each literal of every program laid out.
            var found = -1
            var w = 0
            while w < words.count {
                if w &+ 4 <= words.count && words[w] | words[w &+ 1] | words[w &+ 2] | words[w &+ 3] == 0 {
                    w &+= 4
                    continue
                }
                if words[w] != 0 {
                    guard found < 0, words[w].nonzeroBitCount == 1 else { return nil }
                    found = w
                }
                w &+= 1
            }
            return found < 0 ? nil : UInt16(found * 64 + words[found].trailingZeroBitCount)
        }
    }

    /// A hash of the bitmap far cheaper than `Hashable`'s (SipHash over 8 KiB), to find equal
    /// sets among many: independent multiplications, which the compiler runs several at a time.
    var fingerprint: UInt64 {
        words.withUnsafeBufferPointer { words in
            var h: UInt64 = 0
            for i in 0..<words.count { h &+= (words[i] ^ UInt64(truncatingIfNeeded: i)) &* 0x9E37_79B9_7F4A_7C15 }
            return h
        }
    }
}

/// Which characters can start (or end) a match of an ICU pattern, computed conservatively: the
/// answer is a superset of the truth, or nil when it could be anything (or the pattern can match
/// the empty string).
///
/// The segmenter uses it to look for rule matches only where they can start (break rules) and to
/// skip rules that cannot match at a candidate break (no-break rules), instead of asking ICU at
/// every position. Single-character atoms (`\p{Lu}`, `[^\s]`, `\h`) are measured by ICU itself
/// over the whole BMP, so the sets agree with ICU's own classes.
/// A pattern as a dictionary key, compared and hashed by its UTF-8 bytes. A `String` key is
/// hashed through its Unicode normalization, which for the long non-ASCII patterns of real rule
/// files (the list rule's 17 KB of `•◦▪…`) was a tenth of compiling them; two patterns that
/// differ only in normalization are different patterns to ICU anyway.
struct PatternKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: PatternKey, b: PatternKey) -> Bool {
        // memcmp: comparing the UTF-8 views unit by unit cost thousands of instructions per
        // lookup of the long list-rule branches.
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 } }
    }

    func hash(into hasher: inout Hasher) {
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

final class RegexCharacterSets {
    private var cache: [String: UnitSet?] = [:]
    /// The atoms measured so far (with `(?i)` in front when case-insensitive), for tests.
    var measuredAtoms: [String] { Array(cache.keys) }
    /// Parsed patterns: the compiler asks several questions of each pattern (first units, last
    /// two, prefix, guard), and parsing them again for each was a tenth of compiling the rules.
    private var parsed: [PatternKey: RegexSyntax.Node?] = [:]

    private func parse(_ pattern: String) -> RegexSyntax.Node? {
        let key = PatternKey(pattern)
        if let hit = parsed[key] { return hit }
        let node = RegexSyntax.parse(pattern)
        parsed[key] = node
        return node
    }

    /// Records the parse of a break rule's scanner, `(?:before)(?=after)` or `(?:before)` when
    /// `after` is nil, as built from the parses of its parts, which the compiler has asked about
    /// already: parsing the scanner's text again cost as much as parsing the rule (17 KB for the
    /// list rule). Left to be parsed as usual when a part does not parse.
    func noteScanner(_ scanner: String, before: String, after: String?) {
        let key = PatternKey(scanner)
        guard parsed[key] == nil, let b = parse(before) else { return }
        var items: [RegexSyntax.Node] = [.group(b, flags: nil)]
        if let after {
            guard let a = parse(after) else { return }
            items.append(.lookahead(a))
        }
        parsed[key] = .sequence(items, flagChanges: Array(repeating: nil, count: items.count))
    }

    /// The code units that can start a match of `pattern`, or nil.
    func first(of pattern: String) -> UnitSet? {
        guard let node = parse(pattern) else { return nil }
        let (set, nullable) = edgeSet(node, caseInsensitive: false, fromEnd: false)
        return nullable ? nil : set
    }

    /// The code units that can end a match of `pattern`, or nil.
    func last(of pattern: String) -> UnitSet? {
        guard let node = parse(pattern) else { return nil }
        let (set, nullable) = edgeSet(node, caseInsensitive: false, fromEnd: true)
        return nullable ? nil : set
    }

    /// The code unit sets that can stand last and second to last in a match of `pattern` (each
    /// nil when unknown). Understands look-behinds at the end of the pattern, which constrain the
    /// text just before the position: `\.(?<=\s[0-9]{1,2}\.)` ends with a digit and a period.
    func lastTwo(of pattern: String) -> (last: UnitSet?, secondLast: UnitSet?) {
        guard let node = parse(pattern) else { return (nil, nil) }
        return lastTwo(node, caseInsensitive: false)
    }

    /// The code unit sets at offsets 0, 1, … `count - 1` of any match of `pattern` (nil entries
    /// when unknown). Follows a simple sequence of one-character atoms, skipping what matches no
    /// text and continuing into a final look-ahead (`\.(?=\s\.\s\.)` gives `.`, space, `.`).
    func prefix(of pattern: String, count: Int) -> [UnitSet?] {
        var result = [UnitSet?](repeating: nil, count: count)
        guard let node = parse(pattern) else { return result }
        var offset = 0
        func walk(_ node: RegexSyntax.Node, ci: Bool) -> Bool { // false: stop
            switch node {
            case .group(let inner, let flags):
                return walk(inner, ci: flags ?? ci)
            case .sequence(let items, let flagChanges):
                var ci = ci
                for (k, item) in items.enumerated() {
                    if let change = flagChanges[k] { ci = change }
                    if offset >= count { return false }
                    if case .lookahead(let inner) = item, k == items.count - 1 {
                        return walk(inner, ci: ci)
                    }
                    if isZeroWidth(item) { continue }
                    if !walk(item, ci: ci) { return false }
                }
                return true
            case .repeated(let inner, let min, _) where min >= 1:
                // The first repetition is certain; what follows it is not at a known offset.
                _ = walk(inner, ci: ci)
                return false
            case .atom(let text):
                guard offset < count, let set = atomSet(text, caseInsensitive: ci) else { return false }
                // A supplementary character takes two units: stop where the offsets become unsure.
                if set.contains(0xD800) { result[offset] = set; offset = count; return false }
                result[offset] = set
                offset += 1
                return true
            default:
                return false
            }
        }
        _ = walk(node, ci: false)
        return result
    }

    /// For a pattern `P(?:B1|B2|…|Bn)` whose prefix `P` can match in at most one way where it
    /// starts: `P` and the branches, so that the matcher can try `P` once and then each branch
    /// alone at its end, in order — the first branch that matches gives the match ICU would find
    /// for the whole pattern. Worth it for long alternations: ICU copies a backtracking frame
    /// sized by every counted loop of the whole pattern at each step of a loop, so one branch
    /// alone runs several times faster than inside 88 others.
    ///
    /// `P` must be a sequence of one-character atoms and look-arounds (ICU's look-arounds are
    /// atomic), optionally ending in a greedy or possessive repetition of one atom whose units
    /// no branch can start with (so only the longest run can be followed by a branch). Nil for
    /// any other shape, for fewer than `minimumBranches` branches, and for patterns with inline
    /// flags, back-references, `\G` or `\Q`.
    func splitAlternatives(of pattern: String, minimumBranches: Int) -> (prefix: String, branches: [String])? {
        let s = Array(pattern.unicodeScalars)
        var depth = 0
        var groupStart = -1            // where the last top-level group opened
        var bars: [Int] = []           // top-level `|` inside that group
        // The `]` closing the class that opens at `start` (nested classes and escapes skipped);
        // `s.count` when it is not closed.
        func endOfClass(from start: Int) -> Int {
            var j = start
            var classDepth = 0
            while j < s.count {
                if s[j] == "\\" { j += 2; continue }
                if s[j] == "[" { classDepth += 1 }
                if s[j] == "]" { classDepth -= 1; if classDepth == 0 { return j } }
                j += 1
            }
            return s.count
        }
        var i = 0
        while i < s.count {
            switch s[i] {
            case "\\":
                guard i + 1 < s.count else { return nil }
                let next = s[i + 1]
                if next == "G" || next == "Q" || next == "k" || ("1"..."9").contains(next) { return nil }
                i += 2
                continue
            case "[":
                i = endOfClass(from: i)
                guard i < s.count else { return nil }
            case "(":
                if i + 1 < s.count, s[i + 1] == "?" {
                    guard i + 2 < s.count, ":=!<>".unicodeScalars.contains(s[i + 2]) else { return nil }
                }
                if depth == 0 { groupStart = i; bars = [] }
                depth += 1
            case ")":
                depth -= 1
                guard depth >= 0 else { return nil }
            case "|":
                if depth == 0 { return nil }
                if depth == 1 { bars.append(i) }
            default:
                break
            }
            i += 1
        }
        guard depth == 0, groupStart >= 0, s.last == ")", bars.count + 1 >= minimumBranches,
              groupStart + 3 < s.count, s[groupStart + 1] == "?", s[groupStart + 2] == ":" else { return nil }
        // The group must be the pattern's last item: its `)` is the last scalar, at depth 0.
        var closing = s.count - 1
        var d = 0
        var k = groupStart
        while k < s.count {
            if s[k] == "\\" { k += 2; continue }
            if s[k] == "[" {
                k = endOfClass(from: k)
            } else if s[k] == "(" {
                d += 1
            } else if s[k] == ")" {
                d -= 1
                if d == 0 { closing = k; break }
            }
            k += 1
        }
        guard closing == s.count - 1 else { return nil }
        // Slices of the pattern copy its UTF-8 (building them scalar by scalar was a third of
        // splitting the list rule).
        let view = pattern.unicodeScalars
        var indices = Array(view.indices)
        indices.append(view.endIndex)
        func text(_ range: Range<Int>) -> String {
            String(view[indices[range.lowerBound]..<indices[range.upperBound]])
        }
        let prefix = text(0..<groupStart)
        var branches: [String] = []
        var from = groupStart + 3
        for bar in bars + [closing] {
            branches.append(text(from..<bar))
            from = bar + 1
        }
        // The parse of the whole pattern holds those of the prefix and of each branch (same
        // text, no inline flags around them): taken from it rather than parsed again.
        if case .sequence(let items, let flags)? = parse(pattern), !flags.contains(where: { $0 != nil }),
           case .group(.alternation(let alternatives), nil)? = items.last, alternatives.count == branches.count {
            for (branch, node) in zip(branches, alternatives) where parsed[PatternKey(branch)] == nil {
                parsed[PatternKey(branch)] = node
            }
            if !prefix.isEmpty, parsed[PatternKey(prefix)] == nil {
                parsed[PatternKey(prefix)] = .sequence(Array(items.dropLast()), flagChanges: Array(flags.dropLast()))
            }
        }
        // Every branch must consume a first unit we know.
        var firsts: [UnitSet] = []
        for branch in branches {
            guard let f = first(of: branch) else { return nil }
            firsts.append(f)
        }
        if prefix.isEmpty { return (prefix, branches) }
        guard let node = parse(prefix) else { return nil }
        let items: [RegexSyntax.Node]
        switch node {
        case .sequence(let list, let flags):
            guard !flags.contains(where: { $0 != nil }) else { return nil }
            items = list
        default:
            items = [node]
        }
        for (n, item) in items.enumerated() {
            switch item {
            case .atom, .any, .zeroWidth, .lookahead, .lookbehind, .empty:
                continue
            case .repeated(.atom(let atomText), _, _) where n == items.count - 1:
                // Greedy or possessive only: a lazy run would be tried short first.
                let tail = prefix.unicodeScalars.suffix(2)
                if tail.count == 2, tail.last == "?", "?*+}".unicodeScalars.contains(tail.first!) { return nil }
                guard let run = atomSet(atomText, caseInsensitive: false) else { return nil }
                for f in firsts {
                    for (a, b) in zip(run.words, f.words) where a & b != 0 { return nil }
                }
            default:
                return nil
            }
        }
        return (prefix, branches)
    }

    /// For a pattern that starts with a look-behind `(?<=X)…`: the units that can stand last and
    /// second to last before where it starts (as `lastTwo(of: X)`), nil when unknown.
    func leadingLookBehindLastTwo(of pattern: String) -> (last: UnitSet?, secondLast: UnitSet?) {
        guard let source = leadingLookBehind(of: pattern) else { return (nil, nil) }
        let (last, second) = lastTwo(of: source)
        return (last, last == nil ? nil : second)
    }

    /// The content of the look-behind `pattern` starts with (`X` of `(?<=X)…`, also inside a
    /// leading group: `(?:(?<=X)…)…`), or nil.
    func leadingLookBehind(of pattern: String) -> String? {
        guard var node = parse(pattern) else { return nil }
        while true {
            guard case .sequence(let items, let flags) = node, !flags.contains(where: { $0 != nil }), let head = items.first else { return nil }
            switch head {
            case .lookbehind(_, let source): return source
            case .group(let inner, nil): node = inner
            default: return nil
            }
        }
    }

    /// A look-behind that must hold at a fixed place of any match, to test alone before the whole
    /// (much larger) pattern: for a scanner `X(?<=G)…` it holds one unit after the start; for a
    /// `beforebreak` `…X(?<=G)` ending in zero-width items, at the end. Returns `(?<=G)` and
    /// that place (1: after the first unit, -1: at the end), or nil.
    func guardLookBehind(of pattern: String, atEnd: Bool) -> String? {
        guard let node = parse(pattern) else { return nil }
        var items: [RegexSyntax.Node]
        switch node {
        case .sequence(let list, let flags):
            guard !flags.contains(where: { $0 != nil }) else { return nil }
            items = list
        case .group(.sequence(let list, let flags), nil):
            guard !flags.contains(where: { $0 != nil }) else { return nil }
            items = list
        default:
            return nil
        }
        if atEnd {
            // the first look-behind after the last item that consumes text
            guard let lastConsuming = items.lastIndex(where: { !isZeroWidth($0) }) else { return nil }
            for item in items[(lastConsuming + 1)...] {
                if case .lookbehind(_, let source) = item { return "(?<=\(source))" }
            }
            return nil
        }
        guard items.count >= 2, case .atom(let text) = items[0], let set = atomSet(text, caseInsensitive: false), !set.contains(0xD800),
              case .lookbehind(_, let source) = items[1] else { return nil }
        return "(?<=\(source))"
    }

    /// Two adjacent code units that every match of `pattern` reads, the first at most
    /// `maxOffset` units after where the match starts: the segmenter scans that far for them
    /// before asking ICU, which gives up far later on a pattern such as the list rule's
    /// `[ \t][^\n]{0,250}?(?=[ \t]\(?q[.)])` (no "q." or "q)" ahead: no match). Taken from
    /// one-unit atoms followed by an item that cannot match empty, in the pattern's top-level
    /// sequence, its plain groups and the look-aheads it must pass; the rarest pair found. An
    /// item counts up to two units per character (a supplementary one is a surrogate pair). Nil
    /// when there is none, or only behind something whose length is unknown.
    func requiredPair(of pattern: String) -> (first: UnitSet, second: UnitSet, maxOffset: Int)? {
        guard let node = parse(pattern) else { return nil }
        var best: (first: UnitSet, second: UnitSet, maxOffset: Int, weight: Int)? = nil
        // Walks `node`, which must match starting at most `base` units after the start.
        func walk(_ node: RegexSyntax.Node, ci: Bool, base: Int) {
            switch node {
            case .group(let inner, let flags):
                walk(inner, ci: flags ?? ci, base: base)
            case .lookahead(let inner):
                walk(inner, ci: ci, base: base)
            case .sequence(let items, let flagChanges):
                var ci = ci
                var offset = base
                for (k, item) in items.enumerated() {
                    if let change = flagChanges[k] { ci = change }
                    if case .atom(let text) = item, let first = atomSet(text, caseInsensitive: ci), !Self.hasSurrogates(first),
                       best == nil || first.count < best!.weight {
                        // (A pair weighs at least its first set: no better pair starts here otherwise.)
                        // The next item that reads a unit (look-arounds between read none).
                        var m = k + 1
                        var nextCI = ci
                        while m < items.count {
                            if let change = flagChanges[m] { nextCI = change }
                            if !isZeroWidth(items[m]) { break }
                            m += 1
                        }
                        if m < items.count, case (let second?, false) = edgeSet(items[m], caseInsensitive: nextCI, fromEnd: false) {
                            let weight = first.count + second.count
                            if best == nil || weight < best!.weight || (weight == best!.weight && offset < best!.maxOffset) {
                                best = (first, second, offset, weight)
                            }
                        }
                    }
                    switch item {
                    case .group, .lookahead: walk(item, ci: ci, base: offset)
                    default: break
                    }
                    guard let width = maxWidth(item, ci: ci) else { return }
                    offset += width
                }
            default:
                break
            }
        }
        walk(node, ci: false, base: 0)
        return best.map { ($0.first, $0.second, $0.maxOffset) }
    }

    /// False when `pattern` certainly has no unbounded quantifier (`*`, `+`, `{n,}`), so that
    /// `RegexTranslator.bounded` would leave it as it is; true when it may have one.
    func mayHaveUnboundedQuantifier(_ pattern: String) -> Bool {
        guard let node = parse(pattern) else { return true }
        func unbounded(_ node: RegexSyntax.Node) -> Bool {
            switch node {
            case .empty, .atom, .any: return false
            // Negative look-arounds keep no content here: they may hold one.
            case .zeroWidth, .unknown: return true
            case .lookbehind(let inner, _), .lookahead(let inner), .group(let inner, _): return unbounded(inner)
            case .repeated(let inner, _, let max): return max == nil || unbounded(inner)
            case .alternation(let items), .sequence(let items, _): return items.contains(where: unbounded)
            }
        }
        return unbounded(node)
    }

    /// The most units a match of `node` can take (a character outside the BMP takes two); nil
    /// when unbounded or not known.
    private func maxWidth(_ node: RegexSyntax.Node, ci: Bool) -> Int? {
        switch node {
        case .empty, .zeroWidth, .lookbehind, .lookahead:
            return 0
        case .atom(let text):
            return Self.mayMatchSupplementary(text) ? 2 : 1
        case .any:
            return 2
        case .unknown:
            return nil
        case .group(let inner, let flags):
            return maxWidth(inner, ci: flags ?? ci)
        case .repeated(let inner, _, let max):
            guard let max, let width = maxWidth(inner, ci: ci) else { return nil }
            return max * width
        case .alternation(let branches):
            var widest = 0
            for branch in branches {
                guard let width = maxWidth(branch, ci: ci) else { return nil }
                widest = Swift.max(widest, width)
            }
            return widest
        case .sequence(let items, let flagChanges):
            var ci = ci
            var total = 0
            for (k, item) in items.enumerated() {
                if let change = flagChanges[k] { ci = change }
                guard let width = maxWidth(item, ci: ci) else { return nil }
                total += width
            }
            return total
        }
    }

    /// True when the set holds a surrogate (it may stand for a character outside the BMP).
    private static func hasSurrogates(_ set: UnitSet) -> Bool {
        set.words[(0xD800 >> 6)..<(0xE000 >> 6)].contains { $0 != 0 }
    }

    /// For a pattern that starts with a run of spaces (`\s++X`, `[ \t]*+X`): the set of the run and
    /// the set X can start with, disjoint from it — so the first unit after the run must be in
    /// the second set. Nil for any other shape.
    func afterSkip(of pattern: String) -> (skip: UnitSet, next: UnitSet)? {
        guard let node = parse(pattern), case .sequence(let items, let flags) = node, items.count >= 2,
              !flags.contains(where: { $0 != nil }),
              case .repeated(.atom(let runText), _, _) = items[0], !Self.mayMatchSupplementary(runText),
              let run = atomSet(runText, caseInsensitive: false) else { return nil }
        let (next, nullable) = edgeSet(.sequence(Array(items[1...]), flagChanges: Array(flags[1...])), caseInsensitive: false, fromEnd: false)
        guard let next, !nullable else { return nil }
        for (a, b) in zip(run.words, next.words) where a & b != 0 { return nil }
        return (run, next)
    }

    private func isZeroWidth(_ node: RegexSyntax.Node) -> Bool {
        switch node {
        case .empty, .zeroWidth, .lookahead, .lookbehind: return true
        case .group(let inner, _), .repeated(let inner, _, _): return isZeroWidth(inner)
        case .sequence(let items, _): return items.allSatisfy(isZeroWidth)
        case .alternation(let branches): return branches.allSatisfy(isZeroWidth)
        default: return false
        }
    }

    private func lastTwo(_ node: RegexSyntax.Node, caseInsensitive: Bool) -> (last: UnitSet?, secondLast: UnitSet?) {
        switch node {
        case .alternation(let branches):
            var last: UnitSet? = UnitSet(), second: UnitSet? = UnitSet()
            for b in branches {
                let (l, s2) = lastTwo(b, caseInsensitive: caseInsensitive)
                if let l, last != nil { last!.insert(contentsOf: l) } else { last = nil }
                if let s2, second != nil { second!.insert(contentsOf: s2) } else { second = nil }
            }
            return (last, last == nil ? nil : second)
        case .group(let inner, let flags):
            return lastTwo(inner, caseInsensitive: flags ?? caseInsensitive)
        case .lookbehind(let inner, _):
            return lastTwo(inner, caseInsensitive: caseInsensitive)
        case .sequence(let items, let flagChanges):
            let ci = caseInsensitive || flagChanges.contains(true)
            var end = items.count
            // Skip what matches no text at the end; a look-behind there constrains the same text.
            while end > 0 {
                switch items[end - 1] {
                case .lookbehind(let inner, _):
                    return lastTwo(inner, caseInsensitive: ci)
                case let item where isZeroWidth(item):
                    end -= 1
                    continue
                default:
                    break
                }
                break
            }
            guard end > 0 else { return (nil, nil) }
            guard case .atom(let text) = items[end - 1] else {
                let (last, nullable) = edgeSet(.sequence(Array(items[..<end]), flagChanges: Array(flagChanges[..<end])), caseInsensitive: caseInsensitive, fromEnd: true)
                return (nullable ? nil : last, nil)
            }
            let last = atomSet(text, caseInsensitive: ci)
            // The element before the last atom: a look-behind constrains text[p-2] by its last set.
            var k = end - 1
            while k > 0 {
                switch items[k - 1] {
                case .lookbehind(let inner, _):
                    let (set, nullable) = edgeSet(inner, caseInsensitive: ci, fromEnd: true)
                    return (last, nullable ? nil : set)
                case let item where isZeroWidth(item):
                    k -= 1
                    continue
                default:
                    let (set, nullable) = edgeSet(.sequence(Array(items[..<k]), flagChanges: Array(flagChanges[..<k])), caseInsensitive: caseInsensitive, fromEnd: true)
                    return (last, nullable ? nil : set)
                }
            }
            return (last, nil)
        default:
            let (last, nullable) = edgeSet(node, caseInsensitive: caseInsensitive, fromEnd: true)
            return (nullable ? nil : last, nil)
        }
    }

    /// (set, nullable): the units that can begin (or end) a match, and whether it can be empty.
    /// A nil set means "any unit".
    private func edgeSet(_ node: RegexSyntax.Node, caseInsensitive: Bool, fromEnd: Bool) -> (UnitSet?, Bool) {
        switch node {
        case .empty, .zeroWidth, .lookbehind:
            return (UnitSet(), true)
        case .lookahead(let inner):
            // Zero width: constrains the next character when looking forward; conservatively
            // contributes its first characters and lets the following element contribute too.
            if fromEnd { return (UnitSet(), true) }
            let (s, _) = edgeSet(inner, caseInsensitive: caseInsensitive, fromEnd: false)
            return (s, true)
        case .atom(let text):
            return (atomSet(text, caseInsensitive: caseInsensitive), false)
        case .any:
            return (nil, false)
        case .unknown:
            return (nil, false)
        case .group(let inner, let flags):
            var ci = caseInsensitive
            if let flags { ci = flags }
            return edgeSet(inner, caseInsensitive: ci, fromEnd: fromEnd)
        case .repeated(let inner, let min, _):
            let (s, nullable) = edgeSet(inner, caseInsensitive: caseInsensitive, fromEnd: fromEnd)
            return (s, nullable || min == 0)
        case .alternation(let branches):
            var acc: UnitSet? = UnitSet()
            var nullable = false
            for b in branches {
                let (s, n) = edgeSet(b, caseInsensitive: caseInsensitive, fromEnd: fromEnd)
                if let s, acc != nil { acc!.insert(contentsOf: s) } else { acc = nil }
                nullable = nullable || n
            }
            return (acc, nullable)
        case .sequence(let items, let flagChanges):
            var acc: UnitSet? = UnitSet()
            var ci = caseInsensitive
            let order: [Int] = fromEnd ? Array(items.indices.reversed()) : Array(items.indices)
            // Inline flags apply from where they appear; when scanning from the end, a flag set
            // anywhere before an item may apply to it: use case-insensitive if any flag says so.
            if fromEnd, flagChanges.contains(true) { ci = true }
            for i in order {
                if !fromEnd, let change = flagChanges[i] { ci = change }
                let (s, nullable) = edgeSet(items[i], caseInsensitive: ci, fromEnd: fromEnd)
                if let s, acc != nil { acc!.insert(contentsOf: s) } else { acc = nil }
                if !nullable { return (acc, false) }
            }
            return (acc, true)
        }
    }

    /// The units a one-character atom matches (case-sensitive), exact for every BMP character
    /// outside the surrogates (see `LookBehindProgram`); nil when ICU rejects it on its own.
    func exactAtomSet(_ text: String) -> UnitSet? {
        atomSet(text, caseInsensitive: false)
    }

    /// `exactAtomSet(_:)` of the atom spelled by `scalars` (a slice of a parsed pattern).
    func exactAtomSet(_ scalars: ArraySlice<Unicode.Scalar>) -> UnitSet? {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return exactAtomSet(text)
    }

    /// The units a one-character atom matches, measured with ICU over the BMP; nil when ICU
    /// rejects it on its own (then anything is possible).
    private func atomSet(_ text: String, caseInsensitive: Bool) -> UnitSet? {
        let key = (caseInsensitive ? "(?i)" : "") + text
        if let hit = cache[key] { return hit }
        var result: UnitSet? = nil
        let scalars = Array(text.unicodeScalars)
        if !caseInsensitive, let literal = Self.literalUnit(scalars) {
            var set = UnitSet()
            set.insert(literal)
            cache[key] = set
            return set
        }
        if !caseInsensitive, var set = composedAtomSet(scalars) {
            if Self.mayMatchSupplementary(text) {
                set.insertHighSurrogates()
                set.insertLowSurrogates()
            }
            cache[key] = set
            return set
        }
        if var set = Self.scannedAtomSet(key) {
            // Supplementary characters start with a high surrogate and end with a low one: keep
            // the set a superset unless the atom cannot match outside the BMP.
            if Self.mayMatchSupplementary(text) {
                set.insertHighSurrogates()
                set.insertLowSurrogates()
            }
            result = set
        }
        cache[key] = result
        return result
    }

    /// The BMP units (surrogates excluded) an ICU pattern matching one character matches, found
    /// by ICU itself; nil when ICU rejects the pattern.
    static func scannedAtomSet(_ pattern: String) -> UnitSet? {
        // Runs of matching characters in code point order: one ICU call per run, not per unit.
        // (If `(?:X)+` compiles, so does X: the group only repeats it.)
        guard let regex = try? ICURegex.compile("(?:\(pattern))+") else { return nil }
        var set = UnitSet()
        allUnits.withUnsafeBufferPointer { buffer in
            regex.setText(buffer.baseAddress, count: buffer.count)
            var from = 0
            while from < buffer.count, let match = regex.firstMatch(from: from) {
                for k in match { set.insert(buffer[k]) }
                from = max(match.upperBound, match.lowerBound + 1)
            }
        }
        return set
    }

    /// Class escapes (`\s`, `\p{Lu}`) measured by ICU, each once.
    private var primitives: [String: UnitSet?] = [:]

    private func primitive(_ text: String) -> UnitSet? {
        if let hit = primitives[text] { return hit }
        var set: UnitSet? = nil
        let scalars = Array(text.unicodeScalars)
        if scalars.count > 4, scalars[0] == "\\", scalars[1] == "p" || scalars[1] == "P", scalars[2] == "{", scalars.last == "}",
           !scalars[3..<(scalars.count - 1)].contains(where: { "[]{}\\".unicodeScalars.contains($0) }) {
            // ICU's regex compiler builds `\p{X}` as the UnicodeSet `[\p{X}]` (other readings,
            // such as Java's `\p{javaLowerCase}`, only when that fails): read that set's ranges
            // instead of matching the property against every unit of the BMP.
            set = ICUCharacters.bmpSet(ofSetPattern: "[" + text + "]")
        }
        if set == nil, let setPattern = Self.classEscapeSets[text], var escape = ICUCharacters.bmpSet(ofSetPattern: setPattern) {
            // As scanned: a lone surrogate is no character (the negated sets' complement has them).
            escape.removeSurrogates()
            set = escape
        }
        if set == nil { set = Self.scannedAtomSet(text) }
        primitives[text] = set
        return set
    }

    /// The UnicodeSets ICU's regex compiler matches the class escapes with (its regexst.cpp):
    /// read as sets, like `\p{…}`, rather than scanned over the BMP with a regex, which took
    /// 1 ms for `\s` alone (every language's rules use it). RegexCharacterSetsTests checks that
    /// both readings agree with the ICU we link.
    static let classEscapeSets: [String: String] = [
        "\\s": "[\\p{WhiteSpace}]", "\\S": "[^\\p{WhiteSpace}]",
        "\\d": "[\\p{Nd}]", "\\D": "[^\\p{Nd}]",
        "\\w": "[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u200c\\u200d]", "\\W": "[^\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u200c\\u200d]",
    ]

    /// The BMP units (surrogates excluded) of a one-character atom, worked out from its syntax
    /// for the common shapes: an escaped character (`\n`, `\u2028`, `\.`), a class escape
    /// (`\s`, `\d`, `\w`, `\p{Lu}`, `\P{L}`), or a bracket class of those, characters and ranges,
    /// possibly negated (`["“‘«(\[]`, `[^\s•(]`, `[\p{L}\p{N}._%+\-]`). Only the class escapes are
    /// measured by ICU (once each, shared by every class that uses them); the rest is set
    /// algebra, where measuring each class over the BMP with ICU was most of the time spent
    /// compiling a language's rules. Nil for any other shape (nested classes, `&&`, `--`, POSIX
    /// names, quoting, octal…), which the caller measures with ICU as a whole. Not for
    /// case-insensitive atoms.
    func composedAtomSet(_ s: [Unicode.Scalar]) -> UnitSet? {
        enum Item { case character(UInt32), set(UnitSet) }
        var i = 0
        var end = s.count
        var bracket = false
        var negated = false
        if s.first == "[" {
            guard s.count >= 3, s[s.count - 1] == "]" else { return nil }
            bracket = true
            i = 1
            if s[i] == "^" { negated = true; i += 1 }
            end = s.count - 1
            guard i < end else { return nil }
        } else {
            guard s.first == "\\" else { return nil }
        }
        func hex(_ from: Int, _ to: Int) -> UInt32? {
            guard from < to, to <= end, to - from <= 6 else { return nil }
            var v: UInt32 = 0
            for k in from..<to {
                guard s[k].isASCII, let d = Int(String(s[k]), radix: 16) else { return nil }
                v = v * 16 + UInt32(d)
            }
            return v
        }
        // One item at `i`: a character or a class escape.
        func item() -> Item? {
            let c = s[i]
            if c != "\\" {
                if bracket && (c == "[" || c == "]" || c == "&" || c == "^" || c == "-") { return nil }
                i += 1
                return .character(c.value)
            }
            guard i + 1 < end else { return nil }
            let e = s[i + 1]
            switch e {
            case "s", "S", "d", "D", "w", "W":
                i += 2
                return primitive("\\" + String(e)).map { .set($0) }
            case "p", "P":
                guard i + 2 < end else { return nil }
                var j = i + 3
                if s[i + 2] == "{" {
                    while j < end && s[j] != "}" { j += 1 }
                    guard j < end else { return nil }
                    j += 1
                }
                var text = ""
                text.unicodeScalars.append(contentsOf: s[i..<j])
                i = j
                return primitive(text).map { .set($0) }
            case "u":
                guard let v = hex(i + 2, i + 6) else { return nil }
                i += 6
                return .character(v)
            case "x":
                if i + 2 < end && s[i + 2] == "{" {
                    var j = i + 3
                    while j < end && s[j] != "}" { j += 1 }
                    guard j < end, let v = hex(i + 3, j) else { return nil }
                    i = j + 1
                    return .character(v)
                }
                guard let v = hex(i + 2, i + 4) else { return nil }
                i += 4
                return .character(v)
            case "t": i += 2; return .character(0x09)
            case "n": i += 2; return .character(0x0A)
            case "r": i += 2; return .character(0x0D)
            case "f": i += 2; return .character(0x0C)
            case "a": i += 2; return .character(0x07)
            case "e": i += 2; return .character(0x1B)
            default:
                // An escaped ASCII symbol stands for itself; anything else (\b, \0, \c, \N,
                // \Q, \h…) is left to ICU.
                guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { return nil }
                i += 2
                return .character(e.value)
            }
        }
        var set = UnitSet()
        func add(_ from: UInt32, _ to: UInt32) -> Bool {
            // Characters outside the BMP only match surrogate pairs, which the caller covers; a
            // range that crosses into them is left to ICU.
            guard from <= to, to <= 0xFFFF else { return from > 0xFFFF && from <= to }
            for u in from...to { set.insert(UInt16(u)) }
            return true
        }
        var first = true
        while i < end {
            if bracket && s[i] == "-" {
                // A literal hyphen only first or last; a range hyphen is read below.
                guard first || i == end - 1 else { return nil }
                set.insert(0x2D)
                i += 1
                first = false
                continue
            }
            guard let a = item() else { return nil }
            first = false
            switch a {
            case .set(let other):
                set.insert(contentsOf: other)
                if bracket && i < end - 1 && s[i] == "-" { return nil } // `\s-x`, `\p{L}--…`
            case .character(let lower):
                if bracket && i + 1 < end && s[i] == "-" {
                    i += 1
                    guard s[i] != "-", s[i] != "[", case .character(let upper)? = item() else { return nil }
                    guard add(lower, upper) else { return nil }
                } else {
                    guard add(lower, lower) else { return nil }
                }
            }
            if !bracket && i < end { return nil }
        }
        if negated { set.invert() }
        // Like a scan over the BMP: no surrogate (the caller adds them when supplementary
        // characters may match).
        set.removeSurrogates()
        return set
    }

    /// The code unit of an atom that stands for one BMP character literally (`a`, `\.`), or nil.
    static func literalUnit(_ scalars: [Unicode.Scalar]) -> UInt16? {
        if scalars.count == 1, scalars[0].value <= 0xFFFF, !"[](){}.*+?|^$\\".unicodeScalars.contains(scalars[0]) {
            return UInt16(scalars[0].value)
        }
        if scalars.count == 2, scalars[0] == "\\", scalars[1].isASCII,
           !(scalars[1].properties.isAlphabetic || ("0"..."9").contains(scalars[1])) {
            return UInt16(scalars[1].value)
        }
        return nil
    }

    /// Whether a one-character atom might match a supplementary character (written as two
    /// UTF-16 units). Conservative: true unless the syntax shows BMP-only characters.
    static func mayMatchSupplementary(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        if scalars.contains(where: { $0.value > 0xFFFF }) { return true }
        if scalars.count == 1 { return false }
        if scalars.first == "\\", scalars.count == 2 {
            return "SDWHVpPdwXN".unicodeScalars.contains(scalars[1])
        }
        if scalars.first == "\\" {
            // \uXXXX, \x{…}, \xhh, \0ooo, \cX, \p{…}
            if scalars.count > 1 && (scalars[1] == "p" || scalars[1] == "P" || scalars[1] == "N") { return true }
            if scalars.count > 2 && scalars[1] == "x" && scalars[2] == "{" { return scalars.count - 4 > 4 }
            return false
        }
        guard scalars.first == "[" else { return true }
        if text.contains("[^") || text.contains("[:") { return true }
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\" && i + 1 < scalars.count {
                let e = scalars[i + 1]
                if "SDWHVpPdwXNU".unicodeScalars.contains(e) { return true }
                if e == "x" && i + 2 < scalars.count && scalars[i + 2] == "{" {
                    var j = i + 3
                    var digits = 0
                    while j < scalars.count && scalars[j] != "}" { digits += 1; j += 1 }
                    if digits > 4 { return true }
                }
                i += 2
                continue
            }
            i += 1
        }
        return false
    }

    /// Every BMP code unit except surrogates, once each.
    private static let allUnits: [UInt16] = (0...0xFFFF).compactMap { ($0 >= 0xD800 && $0 <= 0xDFFF) ? nil : UInt16($0) }
}

/// A rough parse of ICU regular-expression syntax: enough structure to know which atoms can come
/// first or last. Anything it does not understand becomes `.unknown` (any character).
enum RegexSyntax {
    indirect enum Node {
        case empty
        /// Anchors, `\b`, negative look-arounds: match no character.
        case zeroWidth
        /// `(?<=…)`: matches no character, but what it contains ends where it stands. Keeps its
        /// source text so that the segmenter can test it alone as a cheap guard.
        case lookbehind(Node, source: String)
        /// `(?=…)`.
        case lookahead(Node)
        /// One character from this atom's text (`a`, `\.`, `[a-z]`, `\p{Lu}`).
        case atom(String)
        /// `.`.
        case any
        /// Something not understood.
        case unknown
        /// A group; `flags` is the case-insensitivity it sets (nil: unchanged).
        case group(Node, flags: Bool?)
        /// A quantified node with its minimum and maximum counts (nil: unbounded).
        case repeated(Node, min: Int, max: Int?)
        case alternation([Node])
        /// Items in order; `flagChanges[i]` is the case-insensitivity an inline `(?i)`/`(?-i)`
        /// set just before item i.
        case sequence([Node], flagChanges: [Bool?])
    }

    /// Where the character class opening at `start` (its `[`) ends: the index just past its
    /// closing `]`, nested classes and escapes skipped, a `]` first (after an optional `^`) taken
    /// literally; nil when the pattern ends first. The one reading of a class's extent that this
    /// parser, `LookBehindProgram`'s and `AnchoredProgram`'s share.
    static func classEnd(in s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        var depth = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" { i += 2; continue }
            if c == "[" {
                depth += 1
                i += 1
                if i < s.count && s[i] == "^" { i += 1 }
                if i < s.count && s[i] == "]" { i += 1 } // literal ] first
                continue
            }
            if c == "]" {
                depth -= 1
                i += 1
                if depth == 0 { return i }
                continue
            }
            i += 1
        }
        return nil
    }

    static func parse(_ pattern: String) -> Node? {
        var parser = Parser(pattern)
        let node = parser.alternation()
        // A `)` with no `(` stops the parse early: not a pattern this syntax knows, nor ICU.
        return parser.failed || parser.i < parser.s.count ? nil : node
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        /// The pattern, and where each scalar of `s` starts in it (then its end): the text of a
        /// node is a slice of the pattern, copied as UTF-8 rather than rebuilt scalar by scalar.
        let pattern: String
        let starts: [String.Index]
        var i = 0
        var failed = false

        init(_ pattern: String) {
            self.pattern = pattern
            var s: [Unicode.Scalar] = []
            var starts: [String.Index] = []
            let view = pattern.unicodeScalars
            var k = view.startIndex
            while k < view.endIndex {
                s.append(view[k])
                starts.append(k)
                k = view.index(after: k)
            }
            starts.append(view.endIndex)
            self.s = s
            self.starts = starts
        }

        mutating func alternation() -> Node {
            var branches: [Node] = [sequence()]
            while i < s.count && s[i] == "|" {
                i += 1
                branches.append(sequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func sequence() -> Node {
            var items: [Node] = []
            var flags: [Bool?] = []
            var pendingFlag: Bool? = nil
            while i < s.count && s[i] != "|" && s[i] != ")" {
                if s[i] == "(", i + 1 < s.count, s[i + 1] == "?", let (flag, length) = inlineFlags(at: i), s[i + length - 1] == ")" {
                    pendingFlag = flag ?? pendingFlag
                    i += length
                    continue
                }
                var node = atom()
                if failed { return .unknown }
                node = quantified(node)
                items.append(node)
                flags.append(pendingFlag)
                pendingFlag = nil
            }
            if items.isEmpty { return .empty }
            return .sequence(items, flagChanges: flags)
        }

        /// `(?i)`, `(?-i)`, `(?ix)`, `(?i:`: returns the case flag it sets (nil when it leaves it)
        /// and the length up to and including `)` or `:`.
        func inlineFlags(at start: Int) -> (Bool?, Int)? {
            var j = start + 2
            var on = true
            var flag: Bool? = nil
            var sawLetter = false
            while j < s.count {
                let c = s[j]
                if c == "-" { on = false; j += 1; continue }
                if c == "i" { flag = on; sawLetter = true; j += 1; continue }
                if "msxwu".unicodeScalars.contains(c) { sawLetter = true; j += 1; continue }
                if (c == ")" || c == ":") && sawLetter { return (flag, j - start + 1) }
                return nil
            }
            return nil
        }

        mutating func quantified(_ node: Node) -> Node {
            guard i < s.count else { return node }
            var min: Int? = nil
            var max: Int? = nil
            switch s[i] {
            case "*": min = 0; i += 1
            case "+": min = 1; i += 1
            case "?": min = 0; max = 1; i += 1
            case "{":
                var j = i + 1
                var digits = ""
                while j < s.count, ("0"..."9").contains(s[j]) { digits.unicodeScalars.append(s[j]); j += 1 }
                if !digits.isEmpty, j < s.count, s[j] == "}" || s[j] == "," {
                    min = Int(digits) ?? 0
                    if s[j] == "}" {
                        max = min
                    } else {
                        var high = ""
                        j += 1
                        while j < s.count, ("0"..."9").contains(s[j]) { high.unicodeScalars.append(s[j]); j += 1 }
                        max = high.isEmpty ? nil : Int(high)
                    }
                    while j < s.count && s[j] != "}" { j += 1 }
                    i = j + 1
                }
            default: break
            }
            guard let min else { return node }
            if i < s.count && (s[i] == "?" || s[i] == "+") { i += 1 }
            return .repeated(node, min: min, max: max)
        }

        mutating func atom() -> Node {
            let c = s[i]
            switch c {
            case "(":
                return group()
            case "[":
                let start = i
                skipClass()
                return .atom(text(start, i))
            case ".":
                i += 1
                return .any
            case "^", "$":
                i += 1
                return .zeroWidth
            case "\\":
                return escape()
            case "*", "+", "?", "{":
                failed = true
                return .unknown
            default:
                i += 1
                return .atom(String(c))
            }
        }

        mutating func escape() -> Node {
            guard i + 1 < s.count else { failed = true; return .unknown }
            let e = s[i + 1]
            let start = i
            switch e {
            case "b", "B", "A", "z", "Z", "G":
                i += 2
                return .zeroWidth
            case "Q":
                var j = i + 2
                while j + 1 < s.count && !(s[j] == "\\" && s[j + 1] == "E") { j += 1 }
                let literal = Array(s[(i + 2)..<min(j, s.count)])
                i = min(s.count, j + 2)
                if literal.isEmpty { return .empty }
                return .sequence(literal.map { .atom("\\x{" + String($0.value, radix: 16) + "}") }, flagChanges: Array(repeating: nil, count: literal.count))
            case "p", "P", "x", "N":
                i += 2
                if i < s.count && s[i] == "{" {
                    while i < s.count && s[i] != "}" { i += 1 }
                    i += 1
                } else if e == "x" {
                    i = min(s.count, i + 2)
                } else {
                    i += 1
                }
                return .atom(text(start, i))
            case "u":
                i = min(s.count, i + 6)
                return .atom(text(start, i))
            case "R", "X":
                i += 2
                return .unknown
            case "k":
                i += 2
                return .unknown
            case "0"..."9":
                i += 2
                if e == "0" { while i < s.count, ("0"..."7").contains(s[i]) { i += 1 }; return .atom(text(start, i)) }
                return .unknown // back-reference
            case "c":
                i = min(s.count, i + 3)
                return .atom(text(start, i))
            default:
                i += 2
                return .atom(text(start, i))
            }
        }

        mutating func group() -> Node {
            // at "("
            var kind = "capture"
            var flags: Bool? = nil
            if i + 1 < s.count && s[i + 1] == "?" {
                if i + 2 < s.count {
                    switch s[i + 2] {
                    case ":": kind = "plain"; i += 3
                    case "=": kind = "ahead"; i += 3
                    case "!": kind = "zero"; i += 3
                    case ">": kind = "plain"; i += 3
                    case "<":
                        if i + 3 < s.count && s[i + 3] == "=" { kind = "behind"; i += 4 }
                        else if i + 3 < s.count && s[i + 3] == "!" { kind = "zero"; i += 4 }
                        else {
                            // named group (?<name>
                            var j = i + 3
                            while j < s.count && s[j] != ">" { j += 1 }
                            i = j + 1
                        }
                    default:
                        if let (flag, length) = inlineFlags(at: i), s[i + length - 1] == ":" {
                            flags = flag
                            kind = "plain"
                            i += length
                        } else {
                            failed = true
                            return .unknown
                        }
                    }
                }
            } else {
                i += 1
            }
            let contentStart = i
            let inner = alternation()
            guard i < s.count && s[i] == ")" else { failed = true; return .unknown }
            i += 1
            switch kind {
            case "ahead": return .lookahead(inner)
            case "behind": return .lookbehind(inner, source: text(contentStart, i - 1))
            case "zero": return .zeroWidth
            default: return .group(inner, flags: flags)
            }
        }

        mutating func skipClass() {
            // at "["
            if let end = RegexSyntax.classEnd(in: s, from: i) { i = end } else { i = s.count; failed = true }
        }

        func text(_ a: Int, _ b: Int) -> String {
            String(pattern.unicodeScalars[starts[a]..<starts[min(b, s.count)]])
        }
    }
}
