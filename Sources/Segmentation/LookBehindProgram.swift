/// A small look-behind (`(?<=…)`, the guards of `CompiledRule.guardRegex`) evaluated on code
/// units with bitmaps instead of ICU.
///
/// Guards are tried at nearly every candidate break (and break-rule guards at every `.`), and
/// most fail on the two or three characters before the position; an ICU call costs far more
/// than reading those units (it resets the matcher and copies its backtracking frame). The guards
/// are short, bounded patterns of character classes, so the set of places where a match can
/// begin is followed backwards from the position as a bitmask of distances: no backtracking,
/// no allocation.
///
/// Only a subset of ICU syntax is compiled (classes and escapes that stand for one character,
/// `(?:…)`, capture groups, `|`, bounded quantifiers, nested `(?<=…)` and `(?<!…)`, and
/// look-aheads, which are left out); any other pattern gets no program and keeps using ICU. A
/// look-behind (nested, or the whole pattern) that ends in a bounded run of one class longer
/// than the bitmask reaches (the list rules' `(?<=(?<![^\s•(])1\.[^\n]{1,300})`) is a
/// `runLookBehind`: the run is read back unit by unit and what precedes it is tried at each
/// place it may begin. The
/// answer is exact except when the pattern has a possessive quantifier or a look-ahead (then
/// only "no match" is certain: `exact == false`) and when a unit read is a surrogate
/// (supplementary characters are one atom for ICU, two units here): the evaluation then gives
/// up and ICU decides.
struct LookBehindProgram: Sendable {
    indirect enum Node: Sendable {
        /// One code unit of the set.
        case atom(UnitSet)
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int)
        /// A nested look-behind ending where it stands; `negative` for `(?<!…)`.
        case lookBehind(Node, negative: Bool)
        /// `^`: the start of the text (ICU's `^` without multi-line mode).
        case start
        /// `\b` (`\B`: `negated`), as ICU tells a word boundary (`RuleTable.isWordBoundary`).
        case wordBoundary(negated: Bool)
        /// A look-behind `(?<=X R{min,max})` ending where it stands (`negative`: `(?<!…)`),
        /// whose last item is a run of one class `R` that may be longer than the bitmask
        /// reaches: the run is read back from here, and at each place where it may begin, `X`
        /// (`head`, an ordinary program of its own) is tried as a look-behind ending there.
        /// Exact: the look-behind holds if and only if some length of the run has `X` before it.
        case runLookBehind(head: Node, run: UnitSet, min: Int, max: Int, negative: Bool)
    }

    /// The look-behind's content.
    var root: Node
    /// False when a possessive quantifier or a look-ahead left out makes the bitmask answer a
    /// superset of ICU's.
    var exact: Bool

    /// The longest distance a match may reach back, in units (the bitmask has 64 bits).
    static let maximumWidth = 62

    /// Compiles the content of `(?<=…)` given as `(?<=X)`; nil when the pattern is outside the
    /// supported subset or could reach further back than `maximumWidth`.
    init?(lookBehind pattern: String, sets: RegexCharacterSets) {
        let s = Array(pattern.unicodeScalars)
        guard s.count >= 5, s[0] == "(", s[1] == "?", s[2] == "<", s[3] == "=", s.last == ")" else { return nil }
        var parser = Parser(s: s, i: 4, sets: sets)
        parser.inLookBehind = true
        var node = parser.alternation()
        guard !parser.failed, parser.i == s.count - 1 else { return nil }
        if let split = Self.splitRun(node) {
            // The whole look-behind ends in a long run (`(?<=(?:…|www\.)[^\s]{0,200})`).
            node = .runLookBehind(head: split.head, run: split.run, min: split.min, max: split.max, negative: false)
        }
        guard let reach = Self.reach(node), reach <= Self.maximumWidth else { return nil }
        root = node
        exact = !parser.possessive
    }

    /// A program of `root` as it is (a run look-behind's head, asked what it ends with).
    init(root: Node, exact: Bool) {
        self.root = root
        self.exact = exact
    }

    /// The units that can stand `distance` units before the end of a match (1: the last one),
    /// read along what the match itself takes (not its nested look-behinds); nil when some
    /// match is shorter than that (then nothing is certain there). A cheap first test: a
    /// branch of the list rule is ruled out by the item marker two units back.
    func units(atDistance distance: Int) -> UnitSet? {
        guard distance >= 1, distance <= Self.maximumWidth, Self.widths(root).shortest >= distance else { return nil }
        var found = UnitSet()
        // Only distances short of `distance` are followed (bit d: d units before the end).
        let kept: UInt64 = distance >= 64 ? ~0 : (1 << UInt64(distance)) - 1
        // Walks `node` backwards from the distances where it may end; returns where it may start.
        func walk(_ node: Node, ends: UInt64) -> UInt64 {
            switch node {
            case .atom(let set):
                if ends & (1 << UInt64(distance - 1)) != 0 { found.insert(contentsOf: set) }
                return (ends << 1) & kept
            case .sequence(let items):
                var current = ends
                for item in items.reversed() where current != 0 { current = walk(item, ends: current) }
                return current
            case .alternation(let branches):
                var starts: UInt64 = 0
                for branch in branches { starts |= walk(branch, ends: ends) }
                return starts
            case .repeated(let inner, let min, let max):
                var starts: UInt64 = min == 0 ? ends : 0
                var current = ends
                var n = 1
                while n <= max && current != 0 {
                    current = walk(inner, ends: current)
                    if n >= min { starts |= current }
                    n += 1
                }
                return starts
            case .lookBehind, .start, .wordBoundary, .runLookBehind:
                return ends
            }
        }
        _ = walk(root, ends: 1)
        return found
    }

    /// How far back from where it ends a match may read (nested look-behinds included), in
    /// units; nil when unbounded.
    private static func reach(_ node: Node) -> Int? {
        switch node {
        case .atom: return 1
        case .start, .wordBoundary: return 0
        case .lookBehind(let inner, _): return reach(inner)
        case .runLookBehind(let head, _, _, _, _):
            // The head is tried where the run begins, from a place of its own: only it must fit
            // the bitmask.
            guard let r = reach(head), r <= maximumWidth else { return nil }
            return 0
        case .sequence(let items):
            // Read from the last item back: each item starts where the ones after it end.
            var after = 0, farthest = 0
            for item in items.reversed() {
                guard let r = reach(item) else { return nil }
                let w = widths(item).longest
                farthest = max(farthest, after + r)
                after += w
            }
            return farthest
        case .alternation(let branches):
            var farthest = 0
            for branch in branches {
                guard let r = reach(branch) else { return nil }
                farthest = max(farthest, r)
            }
            return farthest
        case .repeated(let inner, _, let max):
            guard max > 0 else { return 0 }
            guard let r = reach(inner) else { return nil }
            let w = widths(inner).longest
            return (max - 1) * w + r
        }
    }

    /// The shortest and the longest match, in units (the parser refuses unbounded repeats, so
    /// both are finite).
    private static func widths(_ node: Node) -> (shortest: Int, longest: Int) {
        switch node {
        case .atom: return (1, 1)
        case .lookBehind, .start, .wordBoundary, .runLookBehind: return (0, 0)
        case .sequence(let items):
            var total = (shortest: 0, longest: 0)
            for item in items {
                let w = widths(item)
                total.shortest += w.shortest
                total.longest += w.longest
            }
            return total
        case .alternation(let branches):
            guard let first = branches.first else { return (0, 0) }
            var result = widths(first)
            for branch in branches.dropFirst() {
                let w = widths(branch)
                result = (min(result.shortest, w.shortest), max(result.longest, w.longest))
            }
            return result
        case .repeated(let inner, let min, let max):
            let w = widths(inner)
            return (w.shortest * min, w.longest * max)
        }
    }

    /// A look-behind's content `X R{min,max}` whose last item is a run of one class longer than
    /// the bitmask reaches, as head `X` and the run; nil for any other content.
    private static func splitRun(_ node: Node) -> (head: Node, run: UnitSet, min: Int, max: Int)? {
        switch node {
        case .repeated(.atom(let set), let min, let max) where max > maximumWidth:
            return (.sequence([]), set, min, max)
        case .sequence(let items):
            guard let last = items.last, case .repeated(.atom(let set), let min, let max) = last, max > maximumWidth else { return nil }
            let head = Array(items.dropLast())
            return (head.count == 1 ? head[0] : .sequence(head), set, min, max)
        default:
            return nil
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i: Int
        let sets: RegexCharacterSets
        var failed = false
        /// True while the parser reads the content of a look-behind (not of a group inside it):
        /// only there may a run end the content with more units than the bitmask reaches.
        var inLookBehind = false
        /// Set by a possessive quantifier or a look-ahead left out: matches are a superset.
        var possessive = false

        mutating func alternation() -> Node {
            var branches = [sequence()]
            while !failed && i < s.count && s[i] == "|" {
                i += 1
                branches.append(sequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func sequence() -> Node {
            var items: [Node] = []
            while !failed && i < s.count && s[i] != "|" && s[i] != ")" {
                let inLookBehind = self.inLookBehind
                self.inLookBehind = false
                let item = atom()
                self.inLookBehind = inLookBehind
                if failed { break }
                items.append(quantified(item))
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func quantified(_ node: Node) -> Node {
            guard i < s.count else { return node }
            let min: Int, max: Int
            switch s[i] {
            case "?":
                min = 0; max = 1; i += 1
            case "{":
                var j = i + 1
                func number() -> Int? {
                    var value = 0, digits = 0
                    while j < s.count, s[j].value >= 0x30, s[j].value <= 0x39, value <= 1000 {
                        value = value * 10 + Int(s[j].value - 0x30)
                        digits += 1
                        j += 1
                    }
                    return digits > 0 ? value : nil
                }
                guard let low = number() else { failed = true; return node }
                var high = low
                if j < s.count && s[j] == "," {
                    j += 1
                    guard let h = number() else { failed = true; return node } // unbounded
                    high = h
                }
                guard j < s.count, s[j] == "}", high >= low else { failed = true; return node }
                // More units than the program can reach back: no program, found without
                // parsing the rest, unless the run ends a look-behind's content (a lazy run
                // has the same matches there; a possessive one is left to ICU), which
                // `runLookBehind` reads (the list rules' `[^\n]{1,300}`).
                if case .atom = node, high > LookBehindProgram.maximumWidth {
                    var k = j + 1
                    if k < s.count && s[k] == "?" { k += 1 }
                    guard inLookBehind, k < s.count, s[k] == ")" else { failed = true; return node }
                }
                min = low; max = high; i = j + 1
            case "*", "+":
                // Unbounded: ICU bounds nothing in a look-behind; leave it to ICU.
                failed = true
                return node
            default:
                return node
            }
            if i < s.count && s[i] == "?" {
                i += 1 // lazy: the same matches
            } else if i < s.count && s[i] == "+" {
                i += 1
                possessive = true
            }
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
                if failed { return .atom(UnitSet()) }
                return set(start, i)
            case "\\":
                guard i + 1 < s.count else { failed = true; return .atom(UnitSet()) }
                let start = i
                let e = s[i + 1]
                switch e {
                case "b", "B":
                    i += 2
                    return .wordBoundary(negated: e == "B")
                case "p", "P", "N":
                    i += 2
                    guard i < s.count, s[i] == "{" else { failed = true; return .atom(UnitSet()) }
                    while i < s.count && s[i] != "}" { i += 1 }
                    i += 1
                case "u":
                    i += 6
                case "x":
                    // \xhh and \x{h…}: the latter may name a supplementary character (two units).
                    failed = true
                    return .atom(UnitSet())
                case "s", "S", "d", "D", "w", "W", "h", "H", "v", "V", "t", "n", "r", "f", "a", "e":
                    i += 2
                default:
                    // An escaped punctuation character stands for itself; letters and digits
                    // are anchors, back-references, quoting or other constructs.
                    guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { failed = true; return .atom(UnitSet()) }
                    i += 2
                }
                guard i <= s.count else { failed = true; return .atom(UnitSet()) }
                return set(start, i)
            case "^":
                i += 1
                return .start
            case ".", "$", "*", "+", "?", "{", "|", ")":
                failed = true
                return .atom(UnitSet())
            default:
                guard c.value < 0xD800 || (c.value >= 0xE000 && c.value <= 0xFFFF) else { failed = true; return .atom(UnitSet()) }
                i += 1
                var one = UnitSet()
                one.insert(UInt16(c.value))
                return .atom(one)
            }
        }

        /// The set of the one-character atom `s[a..<b]`, as ICU measures it.
        mutating func set(_ a: Int, _ b: Int) -> Node {
            guard let set = sets.exactAtomSet(s[a..<b]) else { failed = true; return .atom(UnitSet()) }
            return .atom(set)
        }

        mutating func group() -> Node {
            var negative = false
            var lookBehind = false
            if i + 1 < s.count && s[i + 1] == "?" {
                guard i + 2 < s.count else { failed = true; return .atom(UnitSet()) }
                switch s[i + 2] {
                case ":":
                    i += 3
                case "<" where i + 3 < s.count && (s[i + 3] == "=" || s[i + 3] == "!"):
                    lookBehind = true
                    negative = s[i + 3] == "!"
                    i += 4
                case "=", "!":
                    // A look-ahead only narrows the matches: left out, the answer is a superset
                    // (and a negative look-behind around it could no longer be told exactly).
                    i += 3
                    _ = alternation()
                    guard !failed, i < s.count, s[i] == ")" else { failed = true; return .atom(UnitSet()) }
                    i += 1
                    possessive = true
                    return .sequence([])
                default:
                    // Atomic groups, named groups, inline flags: not supported.
                    failed = true
                    return .atom(UnitSet())
                }
            } else {
                i += 1
            }
            inLookBehind = lookBehind
            let inner = alternation()
            inLookBehind = false
            guard !failed, i < s.count, s[i] == ")" else { failed = true; return .atom(UnitSet()) }
            i += 1
            if lookBehind {
                // `(?<!X)` is the complement of X's matches: only exact when X is.
                if negative && possessive { failed = true }
                if let split = LookBehindProgram.splitRun(inner) {
                    return .runLookBehind(head: split.head, run: split.run, min: split.min, max: split.max, negative: negative)
                }
                return .lookBehind(inner, negative: negative)
            }
            return inner
        }

        mutating func skipClass() {
            if let end = RegexSyntax.classEnd(in: s, from: i) { i = end } else { i = s.count; failed = true }
        }
    }
}

/// One operation of a flattened `LookBehindProgram` (see `RuleTable.lookBehindHolds`): plain
/// integers, so that the hot loop reads them without reference counting.
struct LookBehindOp {
    enum Kind: UInt8 { case atom, unit, sequence, alternation, repeated, lookBehind, negativeLookBehind, start, wordBoundary, notWordBoundary, runLookBehind, negativeRunLookBehind }
    var kind: Kind
    /// Atoms: bitmap offset in `RuleTable.bitmaps`; `unit`: the one code unit the atom matches
    /// (most atoms of long alternations are one letter or digit: no 8 KiB bitmap for each).
    var set: Int32 = -1
    /// Repetitions (and a run look-behind's run, whose class is `set`); word boundaries: `set`
    /// is the units ICU skips back over (marks, format characters), `min` the word units'
    /// bitmap offset.
    var min: Int32 = 0
    var max: Int32 = 0
    /// Children (operation indexes) in `RuleTable.lookBehindChildren`.
    var firstChild: Int32 = 0
    var childCount: Int32 = 0
    /// A run look-behind: the units its head can end with (bitmap offset; -1: unknown), tested
    /// before the head is tried where the run may begin (most units of a run of `[^\n]` are
    /// not the `.` or `)` of an item marker).
    var headLast: Int32 = -1
}
extension LookBehindProgram {
    /// Tests of the last `depth` units before a position where the look-behind can hold: one
    /// list of sets per way through the pattern (distance 1 first, nil: any unit there), each
    /// set what the atoms read at that distance take, narrowed by one-character negative
    /// look-behinds standing there (`(?<![\p{L}\p{N}])` rules out letters and digits). A
    /// position where no way passes cannot match. Nil when the pattern has more than `limit`
    /// ways within the window.
    ///
    /// Most guards fail on the third unit back (an initial or a one-letter item marker was
    /// wanted and a word goes on), which the test of the unit second to last
    /// (`units(atDistance:)`) cannot tell; following each way separately keeps a branch that
    /// ends with `)` from widening the tests of one that ends with `.`.
    func windows(depth: Int, limit: Int) -> [[UnitSet?]]? {
        struct Way {
            var sets: [UnitSet?]
            /// Units taken so far, back from the end of the match (at most `depth`: past the
            /// window, nothing more is learnt).
            var offset: Int

            /// Keeps only the units of `set` at the current offset; false when none is left
            /// (the way cannot be taken).
            mutating func narrow(to set: UnitSet) -> Bool {
                guard let known = sets[offset] else {
                    sets[offset] = set
                    return true
                }
                let narrowed = known.intersection(set)
                if narrowed.isEmpty { return false }
                sets[offset] = narrowed
                return true
            }
        }
        var failed = false
        // The ways through `node` taken after (to the right of) each of `ways`; ways already
        // past the window go through unchanged.
        func follow(_ node: Node, _ ways: [Way]) -> [Way] {
            if failed { return [] }
            var done: [Way] = []
            var open: [Way] = []
            for way in ways { if way.offset >= depth { done.append(way) } else { open.append(way) } }
            if open.isEmpty { return done }
            var out = done
            switch node {
            case .atom(let set):
                for var way in open {
                    guard way.narrow(to: set) else { continue }
                    way.offset += 1
                    out.append(way)
                }
            case .sequence(let items):
                var current = open
                for item in items.reversed() where !current.isEmpty { current = follow(item, current) }
                out += current
            case .alternation(let branches):
                for branch in branches { out += follow(branch, open) }
            case .start, .wordBoundary, .runLookBehind:
                // No unit taken (a run look-behind reads too far back for a window): the way's
                // tests stay as they are (never wrong).
                out += open
            case .repeated(let inner, let min, let max):
                if min == 0 { out += open }
                var current = open
                var n = 1
                while n <= max && !current.isEmpty && !failed {
                    let next = follow(inner, current)
                    current = []
                    for way in next {
                        // Past the window, more copies change nothing: kept once.
                        if way.offset >= depth || n >= min { out.append(way) }
                        if way.offset < depth { current.append(way) }
                    }
                    // A repetition of something that takes no unit: the ways so far stand
                    // (fewer tests than could be made, never a wrong one).
                    if n > depth + 1 {
                        if n < min { out += current }
                        break
                    }
                    n += 1
                }
            case .lookBehind(let inner, let negative):
                if negative {
                    // Only a one-character class is read as a test of the unit before.
                    guard let set = Self.singleAtom(inner) else { out += open; break }
                    var complement = set
                    complement.invert()
                    for var way in open {
                        guard way.narrow(to: complement) else { continue }
                        out.append(way)
                    }
                } else {
                    // The inner pattern's ways, ending where the look-behind stands.
                    for way in open {
                        for var inside in follow(inner, [way]) {
                            inside.offset = way.offset
                            out.append(inside)
                        }
                    }
                }
            }
            if out.count > limit { failed = true; return [] }
            return out
        }
        let ways = follow(root, [Way(sets: Array(repeating: nil, count: depth), offset: 0)])
        if failed { return nil }
        var result: [[UnitSet?]] = []
        for way in ways where !result.contains(way.sets) { result.append(way.sets) }
        return result
    }

    /// The set of a node that reads exactly one unit: an atom, or alternatives of atoms.
    private static func singleAtom(_ node: Node) -> UnitSet? {
        switch node {
        case .atom(let set): return set
        case .alternation(let branches):
            var union = UnitSet()
            for branch in branches {
                guard let set = singleAtom(branch) else { return nil }
                union.insert(contentsOf: set)
            }
            return union
        default: return nil
        }
    }
}

extension UnitSet {
    /// The units in both sets.
    func intersection(_ other: UnitSet) -> UnitSet {
        var result = self
        result.withUnsafeMutableWords { words in
            for i in 0..<1024 { words[i] &= other.words[i] }
        }
        return result
    }

    /// True when the set has no unit.
    var isEmpty: Bool { !words.contains { $0 != 0 } }
}

extension LookBehindProgram {
    /// The units ICU's `\b` counts as word characters (its `URX_ISWORD_SET`: `\w`).
    static let wordUnits = ICUCharacters.bmpSet(ofSetPattern: RegexCharacterSets.classEscapeSets["\\w"]!) ?? UnitSet()
    /// The units ICU's `\b` passes over, as if they were not there: grapheme extenders (marks)
    /// and format characters.
    static let boundarySkipUnits = ICUCharacters.bmpSet(ofSetPattern: "[\\p{Grapheme_Extend}\\p{Cf}]") ?? UnitSet()
}
