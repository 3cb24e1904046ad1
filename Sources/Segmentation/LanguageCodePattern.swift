/// A `<languagemap>` pattern of the simple kind real SRX files use (`(?i)fr(?:[-_].*)?`,
/// `(EN|en).*`, `.*`, `(?i)(?!(?:en|fr)(?:[-_].*)?$).*`), matched against a language code
/// without ICU.
///
/// Choosing a language's rules asks every map of the file (36 in Verso's own) whether the code
/// matches, and compiling each pattern with ICU was a fifth of getting French rules ready. The
/// subset: ASCII letters, digits, `-` and `_`, `.`, classes of those and their ranges (`[-_]`,
/// `[a-zA-Z]`, `[^x]`), groups `(…)` `(?:…)`, `|`, greedy `*` `+` `?`, `^`, `$`, negative
/// look-aheads `(?!…)`, and a leading `(?i)`. Anything else (and a code that is not printable
/// ASCII) is left to ICU: `init` returns nil, `matches` nil.
///
/// The question is whether the whole code matches (`(?:P)$` matched from the start, as ICU is
/// asked): the set of positions a match can reach is followed through the pattern as a bitmask,
/// so every way to match is tried, as ICU's backtracking does for these constructs (none of them
/// is atomic or possessive).
struct LanguageCodePattern: Sendable {
    /// A set of ASCII characters, one bit each.
    struct ASCIISet: Sendable {
        private var bits: (low: UInt64, high: UInt64) = (0, 0)

        func contains(_ c: UInt8) -> Bool {
            c < 64 ? bits.low & (1 << UInt64(c)) != 0 : c < 128 && bits.high & (1 << UInt64(c - 64)) != 0
        }

        mutating func insert(_ c: UInt8) {
            if c < 64 { bits.low |= 1 << UInt64(c) } else if c < 128 { bits.high |= 1 << UInt64(c - 64) }
        }

        var isEmpty: Bool { bits.low == 0 && bits.high == 0 }
    }

    /// One node of the pattern. Nodes live in one array and name their children by position
    /// (`children` holds the lists of sequences and alternations), rather than forming a tree of
    /// `indirect` cases: parses are cached for the whole run (`SRXCompiler`), and a tree's boxes,
    /// referenced through tagged words, looked leaked to LeakSanitizer.
    enum Node: Sendable {
        /// One character from the set (`negated` for `[^…]`).
        case characters(ASCIISet, negated: Bool)
        /// `.`: any character (the codes matched hold no line terminator).
        case any
        /// The nodes `children[range]`, one after the other.
        case sequence(Range<Int>)
        /// Any one of the nodes `children[range]`.
        case alternation(Range<Int>)
        /// `*` (min 0), `+` (min 1), `?` (min 0, max 1) of node `child`.
        case repeated(child: Int, min: Int, once: Bool)
        case start
        case end
        case negativeLookahead(child: Int)
    }

    /// Every node; the whole pattern is `nodes[root]`.
    let nodes: [Node]
    /// The child lists of sequences and alternations, by node position.
    let children: [Int]
    let root: Int
    let caseInsensitive: Bool

    /// Parses `pattern` (ICU syntax); nil when it uses anything outside the subset.
    init?(_ pattern: String) {
        var bytes = Array(pattern.utf8)
        var ci = false
        if bytes.starts(with: Array("(?i)".utf8)) {
            ci = true
            bytes.removeFirst(4)
        }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var parser = Parser(s: bytes)
        guard let node = parser.alternation(), parser.i == bytes.count else { return nil }
        nodes = parser.nodes
        children = parser.children
        root = node
        caseInsensitive = ci
    }

    /// True when all of `language` matches; nil when the code is not printable ASCII (up to 62
    /// characters), for ICU to decide.
    func matches(_ language: String) -> Bool? {
        let code = Array(language.utf8)
        guard code.count <= 62, code.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return ends(root, from: 1, in: code) & (UInt64(1) << UInt64(code.count)) != 0
    }

    /// The positions (bit p: after p characters) where a match of node `index` starting at one
    /// of `from` can end.
    private func ends(_ index: Int, from: UInt64, in code: [UInt8]) -> UInt64 {
        let n = code.count
        switch nodes[index] {
        case .characters(let set, let negated):
            var out: UInt64 = 0
            var m = from
            while m != 0 {
                let p = m.trailingZeroBitCount
                m &= m - 1
                guard p < n else { continue }
                let c = code[p]
                var found = set.contains(c)
                if !found && caseInsensitive { found = set.contains(Self.lower(c)) || set.contains(Self.upper(c)) }
                if found != negated { out |= UInt64(1) << UInt64(p + 1) }
            }
            return out
        case .any:
            let within = n >= 63 ? UInt64.max : (UInt64(1) << UInt64(n)) - 1
            return (from & within) << 1
        case .sequence(let items):
            var m = from
            for item in items where m != 0 { m = ends(children[item], from: m, in: code) }
            return m
        case .alternation(let branches):
            return branches.reduce(0) { $0 | ends(children[$1], from: from, in: code) }
        case .repeated(let inner, let min, let once):
            var reached: UInt64 = min == 0 ? from : 0
            var current = ends(inner, from: from, in: code)
            reached |= current
            if once { return reached }
            // Further repetitions until no new position is reached.
            while true {
                current = ends(inner, from: current, in: code) & ~reached
                if current == 0 { return reached }
                reached |= current
            }
        case .start:
            return from & 1
        case .end:
            return from & (UInt64(1) << UInt64(n))
        case .negativeLookahead(let inner):
            var out: UInt64 = 0
            var m = from
            while m != 0 {
                let bit = m & (~m &+ 1)
                m &= m - 1
                if ends(inner, from: bit, in: code) == 0 { out |= bit }
            }
            return out
        }
    }

    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }
    private static func upper(_ c: UInt8) -> UInt8 { c >= 0x61 && c <= 0x7A ? c - 32 : c }

    /// Builds `nodes` and `children`; each method returns the position of the node it parsed.
    private struct Parser {
        let s: [UInt8]
        var i = 0
        var nodes: [Node] = []
        var children: [Int] = []

        /// Letters, digits, `-` and `_`: what stands for itself here (and in ICU) unescaped.
        static func isLiteral(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }

        mutating func add(_ node: Node) -> Int {
            nodes.append(node)
            return nodes.count - 1
        }

        /// A sequence or alternation of `list` (the list's one node when it has only one).
        mutating func group(_ list: [Int], alternation: Bool) -> Int {
            if list.count == 1 { return list[0] }
            let range = children.count..<(children.count + list.count)
            children += list
            return add(alternation ? .alternation(range) : .sequence(range))
        }

        mutating func alternation() -> Int? {
            var branches: [Int] = []
            while true {
                guard let branch = sequence() else { return nil }
                branches.append(branch)
                guard i < s.count, s[i] == UInt8(ascii: "|") else { break }
                i += 1
            }
            return group(branches, alternation: true)
        }

        mutating func sequence() -> Int? {
            var items: [Int] = []
            while i < s.count, s[i] != UInt8(ascii: "|"), s[i] != UInt8(ascii: ")") {
                guard var item = atom() else { return nil }
                if i < s.count {
                    let quantifier: (min: Int, once: Bool)?
                    switch s[i] {
                    case UInt8(ascii: "*"): quantifier = (0, false)
                    case UInt8(ascii: "+"): quantifier = (1, false)
                    case UInt8(ascii: "?"): quantifier = (0, true)
                    case UInt8(ascii: "{"): return nil
                    default: quantifier = nil
                    }
                    if let quantifier {
                        i += 1
                        // A lazy or possessive suffix, or a quantified anchor: not handled here.
                        if i < s.count, s[i] == UInt8(ascii: "?") || s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "*") { return nil }
                        switch nodes[item] {
                        case .start, .end, .negativeLookahead: return nil
                        default: break
                        }
                        item = add(.repeated(child: item, min: quantifier.min, once: quantifier.once))
                    }
                }
                items.append(item)
            }
            return group(items, alternation: false)
        }

        mutating func atom() -> Int? {
            let c = s[i]
            if Self.isLiteral(c) {
                i += 1
                var set = ASCIISet()
                set.insert(c)
                return add(.characters(set, negated: false))
            }
            switch c {
            case UInt8(ascii: "."): i += 1; return add(.any)
            case UInt8(ascii: "^"): i += 1; return add(.start)
            case UInt8(ascii: "$"): i += 1; return add(.end)
            case UInt8(ascii: "["): return characterClass()
            case UInt8(ascii: "("):
                i += 1
                var lookahead = false
                if i < s.count, s[i] == UInt8(ascii: "?") {
                    guard i + 1 < s.count else { return nil }
                    switch s[i + 1] {
                    case UInt8(ascii: ":"): break
                    case UInt8(ascii: "!"): lookahead = true
                    default: return nil
                    }
                    i += 2
                }
                guard let inner = alternation(), i < s.count, s[i] == UInt8(ascii: ")") else { return nil }
                i += 1
                return lookahead ? add(.negativeLookahead(child: inner)) : inner
            default:
                return nil
            }
        }

        /// `[…]` of literals and ranges of them; `-` first or last is itself.
        mutating func characterClass() -> Int? {
            i += 1
            var negated = false
            if i < s.count, s[i] == UInt8(ascii: "^") { negated = true; i += 1 }
            var set = ASCIISet()
            var first = true
            while i < s.count, s[i] != UInt8(ascii: "]") {
                let c = s[i]
                guard Self.isLiteral(c) else { return nil }
                if c != UInt8(ascii: "-"), i + 2 < s.count, s[i + 1] == UInt8(ascii: "-"), s[i + 2] != UInt8(ascii: "]") {
                    let high = s[i + 2]
                    guard Self.isLiteral(high), high != UInt8(ascii: "-"), high >= c else { return nil }
                    for u in c...high { set.insert(u) }
                    i += 3
                } else if c == UInt8(ascii: "-"), !first, i + 1 < s.count, s[i + 1] != UInt8(ascii: "]") {
                    return nil // a `-` in the middle that makes no range: leave it to ICU
                } else {
                    set.insert(c)
                    i += 1
                }
                first = false
            }
            guard i < s.count, !set.isEmpty else { return nil }
            i += 1
            return add(.characters(set, negated: negated))
        }
    }
}
