/// An anchored match (ICU's `lookingAt`) of a small forward pattern, found on code units with the
/// bitmaps of its character classes instead of ICU: the `afterbreak` patterns of no-break rules
/// and the scanners of break rules, most of which are a class or two after a possessive run of
/// spaces (`\s++\p{Lu}`), and the sentence-end rule's `[.!?…]++(?:["»)]|\[12\])*+(?=\s)`.
///
/// An ICU call costs a thousand instructions or more (it resets the matcher and copies its
/// backtracking frame) where reading the few units such a pattern looks at costs a few dozen.
///
/// Only patterns whose match this finds *exactly as ICU does*, without backtracking, get a program
/// (`init` returns nil for the others, which keep using ICU). ICU tries the ways through a pattern
/// in order and returns the first that reaches the end; the program takes one way at each step,
/// so every place where ICU could come back and try another must be shown not to matter:
///
/// - possessive quantifiers, atomic groups and look-arounds never give back what they took;
/// - a greedy (or lazy) run of one class followed by something that cannot start with a unit of
///   that class (`[0-9]{1,3}[.)]`): giving units back cannot help, the longest run is the only
///   one that can go on;
/// - a greedy loop of a group whose first units cannot start what follows, likewise;
/// - an alternation whose branches cannot start with the same unit, or one after which nothing
///   can fail (then the first branch that matches is ICU's answer); otherwise every branch is
///   tried and their ends compared with what may follow: when two different ends could go on,
///   the evaluation gives up and ICU decides.
///
/// Supported syntax: one-character atoms (literals, escapes, classes, measured as ICU reads them
/// by `RegexCharacterSets`), `(?:…)`, capture groups, `(?>…)`, `|`, quantifiers (greedy, lazy,
/// possessive), `(?=…)`, `(?!…)`, and `(?<=…)`/`(?<!…)` that have an exact `LookBehindProgram`.
/// Not: `.`, anchors, `\b`, inline flags, back-references.
///
/// The evaluation (`RuleTable.anchoredEnd`) gives up, and ICU decides, when it reads a surrogate
/// (a supplementary character is one atom for ICU, two units here) and when it would take a unit
/// at or past the limit it is given (ICU's region, `SRXCompileOptions.lookAheadLimit`).
struct AnchoredProgram: Sendable {
    /// What the evaluator runs.
    indirect enum Node: Sendable {
        /// One code unit.
        case unit(UInt16)
        /// One code unit of the set.
        case atom(UnitSet)
        /// Items in order, each starting where the one before ended.
        case sequence([Node])
        /// The first branch that matches.
        case alternation([Node])
        /// Every branch is tried; the one end among theirs whose next unit is in `viable` (nil:
        /// any) or that is the end of the text is the answer, and two such ends give up.
        case uniqueAlternation([Node], viable: Units?)
        /// The longest run of units of the set, at most `max` (nil: no bound); fails when
        /// shorter than `min`.
        case run(UnitSet, min: Int, max: Int?)
        /// `inner` again and again where the last pass ended, as long as it matches (at most
        /// `max` times); fails with fewer than `min` (0 or 1) passes.
        case loop(Node, min: Int, max: Int?)
        /// The same passes, but the answer is the one end among those after `min` passes or
        /// more whose next unit is in `viable` (nil: any) or that is the end of the text; two
        /// such ends give up (ICU would try them from the last back, and what follows decides).
        case uniqueLoop(Node, min: Int, max: Int?, viable: Units?)
        /// Whether `inner` matches here (`negative`: does not), taking no unit.
        case lookahead(Node, negative: Bool)
        /// Whether an exact look-behind program matches here (`negative`: does not).
        case lookBehind(LookBehindProgram, negative: Bool)
    }

    /// The pattern's program.
    var root: Node

    /// Compiles ICU pattern `pattern`; nil when it is outside the supported syntax or when its
    /// match cannot be proven to be found without backtracking.
    init?(pattern: String, sets: RegexCharacterSets) {
        var parser = Parser(s: Array(pattern.unicodeScalars), sets: sets)
        let syntax = parser.alternation()
        guard !parser.failed, parser.i == parser.s.count, let root = Self.compile(syntax, follow: .accept, sets: sets) else { return nil }
        self.root = root
    }

    /// A set of code units for the proofs and for the evaluator's quick tests: a short list when
    /// it is a few units (the letters of a word list), a bitmap otherwise. Unions and tests of
    /// 8 KiB bitmaps for every letter of a long alternation of words cost more to compile than
    /// the program saves.
    enum Units: Sendable {
        case few([UInt16])
        case many(UnitSet)

        /// No unit.
        static let none = Units.few([])

        /// The units of both.
        func union(_ other: Units) -> Units {
            switch (self, other) {
            case (.few(let a), .few(let b)):
                var merged = a
                for u in b where !merged.contains(u) { merged.append(u) }
                if merged.count <= 16 { return .few(merged) }
                var set = UnitSet()
                for u in merged { set.insert(u) }
                return .many(set)
            case (.few(let a), .many(var set)), (.many(var set), .few(let a)):
                for u in a { set.insert(u) }
                return .many(set)
            case (.many(var set), .many(let b)):
                set.insert(contentsOf: b)
                return .many(set)
            }
        }

        /// True when no unit is in both.
        func isDisjoint(with other: Units) -> Bool {
            switch (self, other) {
            case (.few(let a), .few(let b)):
                return !a.contains(where: b.contains)
            case (.few(let a), .many(let set)), (.many(let set), .few(let a)):
                return !a.contains(where: set.contains)
            case (.many(let a), .many(let b)):
                return a.isDisjoint(with: b)
            }
        }

        /// The units as a bitmap.
        var bitmap: UnitSet {
            switch self {
            case .few(let units):
                var set = UnitSet()
                for u in units { set.insert(u) }
                return set
            case .many(let set):
                return set
            }
        }
    }

    private enum Quantifier { case greedy, lazy, possessive }

    /// The pattern as parsed (quantifier kinds and atomic groups kept, which `RegexSyntax` drops).
    private indirect enum Syntax {
        case unit(UInt16)
        case atom(UnitSet)
        case sequence([Syntax])
        case alternation([Syntax])
        case repeated(Syntax, min: Int, max: Int?, kind: Quantifier)
        case atomic(Syntax)
        case lookahead(Syntax, negative: Bool)
        /// `(?<=X)` or `(?<!X)` as `(?<=X)`: its program is made when the proof reaches it
        /// (most patterns that fail, fail elsewhere, and a program costs more than a parse).
        case lookBehind(String, negative: Bool)
    }

    /// What may come after a part of the pattern, which decides whether the ways ICU could try
    /// through that part after the first one matter.
    private enum Follow {
        /// Nothing that can fail: ICU stops at the part's first match.
        case accept
        /// Something that can only match where the next unit is one of these, or at the end of
        /// the text.
        case requires(Units)
        /// Something that may match wherever it is tried, or fail.
        case anything
    }

    /// The node for `syntax` given what follows it; nil when its match cannot be proven to be
    /// the program's. Every end the program gives is one of ICU's ends for `syntax` there. With
    /// `.accept` it is ICU's first; otherwise ICU has at most one end that what follows could go
    /// on from (its next unit one of those required, or the end of the text; with `.anything`,
    /// at most one end), and when it has one, the program gives that one.
    private static func compile(_ syntax: Syntax, follow: Follow, sets: RegexCharacterSets) -> Node? {
        switch syntax {
        case .unit(let unit):
            return .unit(unit)
        case .atom(let set):
            return .atom(set)
        case .lookBehind(let source, let negative):
            // Read backwards by its own program, when that one is exact.
            guard let program = LookBehindProgram(lookBehind: source, sets: sets), program.exact else { return nil }
            return .lookBehind(program, negative: negative)
        case .lookahead(let inner, let negative):
            // ICU stops at the first match inside a look-ahead.
            return compile(inner, follow: .accept, sets: sets).map { .lookahead($0, negative: negative) }
        case .atomic(let inner):
            return compile(inner, follow: .accept, sets: sets)
        case .sequence(let items):
            var nodes: [Node] = []
            nodes.reserveCapacity(items.count)
            var after = follow
            for item in items.reversed() {
                guard let node = compile(item, follow: after, sets: sets) else { return nil }
                // Nested sequences are one: fewer steps for the evaluator.
                if case .sequence(let inner) = node { nodes += inner.reversed() } else { nodes.append(node) }
                after = Self.follow(item, then: after)
            }
            nodes.reverse()
            return nodes.count == 1 ? nodes[0] : .sequence(nodes)
        case .alternation(let branches):
            var nodes: [Node] = []
            nodes.reserveCapacity(branches.count)
            for branch in branches {
                guard let node = compile(branch, follow: follow, sets: sets) else { return nil }
                nodes.append(node)
            }
            let viable: Units?
            switch follow {
            case .accept: return .alternation(nodes)
            case .requires(let units): viable = units
            case .anything: viable = nil
            }
            // Branches that cannot start with the same unit: at most one can match.
            var seen = Units.none
            for branch in branches {
                guard let first = required(branch), seen.isDisjoint(with: first) else {
                    return .uniqueAlternation(nodes, viable: viable)
                }
                seen = seen.union(first)
            }
            return .alternation(nodes)
        case .repeated(let inner, let min, let max, let kind):
            if let max, max < min { return nil }
            var single: UnitSet? = nil
            if case .atom(let set) = inner { single = set }
            if case .unit(let unit) = inner { single = Units.few([unit]).bitmap }
            if let set = single {
                switch (kind, follow) {
                case (.possessive, _), (.greedy, .accept):
                    return .run(set, min: min, max: max)
                case (.lazy, .accept):
                    // The shortest run is ICU's first match: the longest only when both are one.
                    return max == min ? .run(set, min: min, max: max) : nil
                case (_, .requires(let next)):
                    // Giving back units leaves one of the run's own before what follows.
                    return next.isDisjoint(with: .many(set)) ? .run(set, min: min, max: max) : nil
                case (_, .anything):
                    return nil
                }
            }
            // Loops of groups: at most one pass required (more would need what follows each
            // pass proven as well), and each pass takes a unit.
            guard min <= 1, max != 0, !nullable(inner) else { return nil }
            switch (kind, follow) {
            case (.possessive, _), (.greedy, .accept):
                // After each pass comes another or the end of the loop, which cannot fail.
                return compile(inner, follow: .accept, sets: sets).map { .loop($0, min: min, max: max) }
            case (.lazy, _), (.greedy, .anything):
                return nil
            case (.greedy, .requires(let next)):
                // A pass is followed by another (one of its first units) or by what follows.
                let first = firstUnits(inner)
                guard let node = compile(inner, follow: .requires(max == 1 ? next : next.union(first)), sets: sets) else { return nil }
                // Stopping before a pass leaves that pass's first unit before what follows:
                // when that cannot start it, only the last end can go on.
                if first.isDisjoint(with: next) { return .loop(node, min: min, max: max) }
                return .uniqueLoop(node, min: min, max: max, viable: next)
            }
        }
    }

    /// What follows the part before `item`: `item`, then `follow`.
    private static func follow(_ item: Syntax, then follow: Follow) -> Follow {
        if let first = required(item) { return .requires(first) }
        switch follow {
        case .requires(let next):
            return .requires(next.union(firstUnits(item)))
        case .accept:
            return alwaysMatches(item) ? .accept : .anything
        case .anything:
            return .anything
        }
    }

    /// The units one of which must stand where `syntax` starts for it to match there; nil when
    /// it may match whatever stands there, or at the end of the text.
    private static func required(_ syntax: Syntax) -> Units? {
        switch syntax {
        case .unit(let unit):
            return .few([unit])
        case .atom(let set):
            return .many(set)
        case .sequence(let items):
            var units = Units.none
            for item in items {
                if let first = required(item) { return units.union(first) }
                units = units.union(firstUnits(item))
            }
            return nil
        case .alternation(let branches):
            var units = Units.none
            for branch in branches {
                guard let first = required(branch) else { return nil }
                units = units.union(first)
            }
            return units
        case .repeated(let inner, let min, _, _):
            return min >= 1 ? required(inner) : nil
        case .atomic(let inner):
            return required(inner)
        case .lookahead(let inner, let negative):
            return negative ? nil : required(inner)
        case .lookBehind:
            return nil
        }
    }

    /// The units a match of `syntax` that takes any may start with.
    private static func firstUnits(_ syntax: Syntax) -> Units {
        switch syntax {
        case .unit(let unit):
            return .few([unit])
        case .atom(let set):
            return .many(set)
        case .sequence(let items):
            var units = Units.none
            for item in items {
                units = units.union(firstUnits(item))
                if !nullable(item) { break }
            }
            return units
        case .alternation(let branches):
            var units = Units.none
            for branch in branches { units = units.union(firstUnits(branch)) }
            return units
        case .repeated(let inner, _, _, _), .atomic(let inner):
            return firstUnits(inner)
        case .lookahead, .lookBehind:
            return .none
        }
    }

    /// True when `syntax` may match without taking a unit.
    private static func nullable(_ syntax: Syntax) -> Bool {
        switch syntax {
        case .unit, .atom: return false
        case .sequence(let items): return items.allSatisfy(nullable)
        case .alternation(let branches): return branches.contains(where: nullable)
        case .repeated(let inner, let min, _, _): return min == 0 || nullable(inner)
        case .atomic(let inner): return nullable(inner)
        case .lookahead, .lookBehind: return true
        }
    }

    /// True when `syntax` matches wherever it is tried.
    private static func alwaysMatches(_ syntax: Syntax) -> Bool {
        switch syntax {
        case .unit, .atom, .lookBehind: return false
        case .sequence(let items): return items.allSatisfy(alwaysMatches)
        case .alternation(let branches): return branches.contains(where: alwaysMatches)
        case .repeated(let inner, let min, _, _): return min == 0 || alwaysMatches(inner)
        case .atomic(let inner): return alwaysMatches(inner)
        case .lookahead(let inner, let negative): return !negative && alwaysMatches(inner)
        }
    }

    /// The units one of which must stand where `node` starts for it to match there (nil: not
    /// known), for the evaluator's quick test before it steps into a branch or a loop's pass.
    static func required(_ node: Node) -> Units? {
        switch node {
        case .unit(let unit):
            return .few([unit])
        case .atom(let set):
            return .many(set)
        case .run(let set, let min, _):
            return min >= 1 ? .many(set) : nil
        case .sequence(let items):
            // Only the first item: look-arounds before it (which narrow nothing here) are rare.
            return items.first.flatMap(required)
        case .alternation(let branches), .uniqueAlternation(let branches, _):
            var units = Units.none
            for branch in branches {
                guard let first = required(branch) else { return nil }
                units = units.union(first)
            }
            return units
        case .loop(let inner, let min, _), .uniqueLoop(let inner, let min, _, _):
            return min >= 1 ? required(inner) : nil
        case .lookahead(let inner, let negative):
            return negative ? nil : required(inner)
        case .lookBehind:
            return nil
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        let sets: RegexCharacterSets
        var failed = false

        init(s: [Unicode.Scalar], sets: RegexCharacterSets) {
            self.s = s
            self.sets = sets
        }

        mutating func alternation() -> Syntax {
            var branches = [sequence()]
            while !failed && i < s.count && s[i] == "|" {
                i += 1
                branches.append(sequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func sequence() -> Syntax {
            var items: [Syntax] = []
            while !failed && i < s.count && s[i] != "|" && s[i] != ")" {
                let item = atom()
                if failed { break }
                items.append(quantified(item))
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func quantified(_ node: Syntax) -> Syntax {
            guard i < s.count else { return node }
            let min: Int, max: Int?
            switch s[i] {
            case "?": min = 0; max = 1; i += 1
            case "*": min = 0; max = nil; i += 1
            case "+": min = 1; max = nil; i += 1
            case "{":
                var j = i + 1
                func number() -> Int? {
                    var value = 0, digits = 0
                    while j < s.count, s[j].value >= 0x30, s[j].value <= 0x39, value <= 100_000 {
                        value = value * 10 + Int(s[j].value - 0x30)
                        digits += 1
                        j += 1
                    }
                    return digits > 0 ? value : nil
                }
                guard let low = number() else { failed = true; return node }
                var high: Int? = low
                if j < s.count && s[j] == "," {
                    j += 1
                    high = number()
                }
                guard j < s.count, s[j] == "}" else { failed = true; return node }
                min = low; max = high; i = j + 1
            default:
                return node
            }
            var kind = Quantifier.greedy
            if i < s.count && s[i] == "?" {
                kind = .lazy
                i += 1
            } else if i < s.count && s[i] == "+" {
                kind = .possessive
                i += 1
            }
            switch node {
            case .lookahead, .lookBehind:
                // A quantified look-around: left to ICU.
                failed = true
            default:
                break
            }
            return .repeated(node, min: min, max: max, kind: kind)
        }

        mutating func atom() -> Syntax {
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
                case "p", "P":
                    i += 2
                    guard i < s.count, s[i] == "{" else { failed = true; return .atom(UnitSet()) }
                    while i < s.count && s[i] != "}" { i += 1 }
                    i += 1
                case "u":
                    i += 6
                case "x":
                    // \xhh and \x{h…} (a supplementary character is no unit: it matches none).
                    i += 2
                    if i < s.count && s[i] == "{" {
                        while i < s.count && s[i] != "}" { i += 1 }
                        i += 1
                    } else {
                        i += 2
                    }
                case "s", "S", "d", "D", "w", "W", "h", "H", "v", "V", "t", "n", "r", "f", "a", "e":
                    i += 2
                default:
                    // An escaped punctuation character stands for itself; letters and digits
                    // are anchors, back-references, quoting or other constructs.
                    guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { failed = true; return .atom(UnitSet()) }
                    i += 2
                    return .unit(UInt16(e.value))
                }
                guard i <= s.count else { failed = true; return .atom(UnitSet()) }
                return set(start, i)
            case ".", "^", "$", "*", "+", "?", "{", "|", ")":
                failed = true
                return .atom(UnitSet())
            default:
                guard c.value < 0xD800 || (c.value >= 0xE000 && c.value <= 0xFFFF) else { failed = true; return .atom(UnitSet()) }
                i += 1
                return .unit(UInt16(c.value))
            }
        }

        /// The set of the one-character atom `s[a..<b]`, as ICU measures it.
        mutating func set(_ a: Int, _ b: Int) -> Syntax {
            guard let set = sets.exactAtomSet(s[a..<b]) else { failed = true; return .atom(UnitSet()) }
            return .atom(set)
        }

        mutating func group() -> Syntax {
            // at "("
            enum Kind { case plain, atomic, lookahead, negativeLookahead, lookBehind }
            var kind = Kind.plain
            let start = i
            if i + 1 < s.count && s[i + 1] == "?" {
                guard i + 2 < s.count else { failed = true; return .atom(UnitSet()) }
                switch s[i + 2] {
                case ":": i += 3
                case ">": kind = .atomic; i += 3
                case "=": kind = .lookahead; i += 3
                case "!": kind = .negativeLookahead; i += 3
                case "<" where i + 3 < s.count && (s[i + 3] == "=" || s[i + 3] == "!"):
                    kind = .lookBehind
                    i += 4
                default:
                    // Named groups, inline flags, comments: left to ICU.
                    failed = true
                    return .atom(UnitSet())
                }
            } else {
                i += 1
            }
            if kind == .lookBehind {
                // Left to `LookBehindProgram`, which reads its own syntax (`^`, `\b`).
                let contentStart = i
                skipGroupContent()
                guard !failed, i < s.count, s[i] == ")" else { failed = true; return .atom(UnitSet()) }
                var text = "(?<="
                text.unicodeScalars.append(contentsOf: s[contentStart..<i])
                i += 1
                return .lookBehind(text + ")", negative: s[start + 3] == "!")
            }
            let inner = alternation()
            guard !failed, i < s.count, s[i] == ")" else { failed = true; return .atom(UnitSet()) }
            i += 1
            switch kind {
            case .plain: return inner
            case .atomic: return .atomic(inner)
            case .lookahead: return .lookahead(inner, negative: false)
            case .negativeLookahead: return .lookahead(inner, negative: true)
            case .lookBehind:
                return .atom(UnitSet()) // (read above)
            }
        }

        /// Moves to the `)` that closes the group whose content starts here (escapes, classes
        /// and nested groups passed over).
        mutating func skipGroupContent() {
            var depth = 0
            while i < s.count {
                switch s[i] {
                case "\\":
                    i += 2
                case "[":
                    skipClass()
                    if failed { return }
                case "(":
                    depth += 1
                    i += 1
                case ")":
                    if depth == 0 { return }
                    depth -= 1
                    i += 1
                default:
                    i += 1
                }
            }
            failed = true
        }

        mutating func skipClass() {
            if let end = RegexSyntax.classEnd(in: s, from: i) { i = end } else { i = s.count; failed = true }
        }
    }
}

/// One operation of a flattened `AnchoredProgram` (see `RuleTable.anchoredEnd`): plain integers,
/// so that the hot loop reads them without reference counting.
struct AnchoredOp {
    enum Kind: UInt8 { case atom, unit, sequence, alternation, uniqueAlternation, run, loop, uniqueLoop, lookahead, negativeLookahead, lookBehind, negativeLookBehind }
    var kind: Kind
    /// Atoms and runs: bitmap offset in `RuleTable.bitmaps`; `unit`: the one code unit;
    /// `uniqueAlternation`, `uniqueLoop`: the viable units (as `first`, -1: any unit);
    /// look-behinds: the `LookBehindOp`.
    var set: Int32 = -1
    /// Runs and loops: the counts (`max` -1: no bound).
    var min: Int32 = 0
    var max: Int32 = -1
    /// Children (operation indexes) in `RuleTable.anchoredChildren`.
    var firstChild: Int32 = 0
    var childCount: Int32 = 0
    /// Groups: the units one of which must stand where the operation starts for it to match;
    /// loops and look-aheads: for a pass, for the look-ahead's content to match
    /// (`RuleTable.containsUnitOrSet`: a bitmap offset, -2 - unit, -1: not known).
    var first: Int32 = -1
}

extension UnitSet {
    /// True when no unit is in both sets.
    func isDisjoint(with other: UnitSet) -> Bool {
        words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                for k in 0..<1024 where a[k] & b[k] != 0 { return false }
                return true
            }
        }
    }
}
