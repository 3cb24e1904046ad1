#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One rule as the hot loop sees it: plain integers only (no reference counting, no copies of
/// strings), indexes into the table's regexes, word lists and character bitmaps; -1 means none.
struct RuleEntry {
    /// Position in the cascaded rule list.
    var index: Int32
    var isBreak: Bool
    /// Test `beforebreak` before `afterbreak`.
    var beforeFirst: Bool
    /// 0: no `beforebreak`; 1: ICU look-behind `beforeRegex`; 2: word list `wordList`.
    var beforeKind: UInt8
    var afterRegex: Int32
    var beforeRegex: Int32
    var scannerRegex: Int32
    var wordList: Int32
    /// Word lists with a pattern tail: its regex, and its width in code points.
    var tailRegex: Int32
    var tailAtoms: Int32
    /// Offsets (in 64-bit words) of bitmaps in `RuleTable.bitmaps`.
    var lastSet: Int32
    var secondLastSet: Int32
    var afterFirstSet: Int32
    var afterSecondSet: Int32
    /// An `afterbreak` that starts with a run of spaces: the run's set and what must follow it.
    var afterSkipRunSet: Int32
    var afterSkipNextSet: Int32
    /// Break rules: units at offsets 1 and 2 of a scanner match.
    var scanSecondSet: Int32
    var scanThirdSet: Int32
    /// A small look-behind that must hold (at the candidate, or one unit after a scan start).
    var guardRegex: Int32
    /// A scanner split into a prefix and branches (`CompiledRule.scanPrefixRegex`): the prefix's
    /// regex, and where its branches are in `CompiledSRX.branchPatterns` (count 0: not split).
    var scanPrefixRegex: Int32 = -1
    var scanBranchStart: Int32 = 0
    var scanBranchCount: Int32 = 0
    /// The guard as a look-behind program (`RuleTable.lookBehindOps` index, -1: none), and
    /// whether its "match" answer is exact (otherwise ICU confirms it).
    /// A split scanner without a compiled whole pattern: that pattern's index in
    /// `CompiledSRX.branchPatterns` (compiled lazily like the branches), -1: none.
    var scanFallback: Int32 = -1
    var guardProgram: Int32 = -1
    var guardExact = false
    /// The units the guard program's matches can have second to last (bitmap offset, -1: not
    /// known): most guards read past the unit a rule starts with, and this one test rules out
    /// most places without running the program.
    var guardSecondLastSet: Int32 = -1
    /// The guard's tests of the units before the position (`LookBehindProgram.windows`):
    /// where its windows start in `RuleTable.guardWindows`, how many (at most 8), and the
    /// guard's number among those with windows (-1: none), which places its windows' bits in
    /// the matcher's tables (`SRXMatcher.guardWindowPasses`).
    var guardWindowStart: Int32 = 0
    var guardWindowCount: Int32 = 0
    var guardWindowSlot: Int32 = -1
    /// The units the guard's windows allow third to last, surrogates included (bitmap offset,
    /// -1: any): a no-break rule is left out at candidates after other units with the tests of
    /// the units around them (`SRXMatcher.vetoMasks`).
    var guardThirdLastSet: Int32 = -1
}

/// The compiled rules laid out for speed: a flat array of `RuleEntry`, all character bitmaps in one
/// allocation, and the trigger table of break rules. Immutable once built; freed with the table.
final class RuleTable: @unchecked Sendable {
    // @unchecked: immutable after init; the buffers are only read.
    let entries: UnsafeMutableBufferPointer<RuleEntry>
    let bitmaps: UnsafeMutablePointer<UInt64>
    /// For each code unit, bit k set when `triggered[k]` can start a match there (one word
    /// only when there is no triggered rule).
    let triggers: UnsafeMutablePointer<UInt64>
    private let hasTriggers: Bool
    private static let triggersBytes = 65536 * MemoryLayout<UInt64>.stride
    let triggered: UnsafeBufferPointer<Int32>
    let searched: UnsafeBufferPointer<Int32>
    let noBreak: UnsafeBufferPointer<Int32>
    let wordLists: UnsafeBufferPointer<Unmanaged<WordListMatcher>>
    /// For the branches of split scanners (`CompiledSRX.branchPatterns`), the bitmap offsets of
    /// the units that must stand last and second to last before each (-1: any).
    let branchLastSets: UnsafeBufferPointer<Int32>
    let branchSecondLastSets: UnsafeBufferPointer<Int32>
    /// When `branchSecondLastSets[b]` is -2: the set's (at most four) units, packed 16 bits each
    /// (repeated to fill): each branch of the list rule has its own item letter there, and
    /// 8 KiB bitmaps for a hundred such sets cost more to set up than the test saves.
    let branchSecondLastUnits: UnsafeBufferPointer<UInt64>
    /// For the same branches, two adjacent units each must read (`containsUnitOrSet`), and how far
    /// ahead of where it starts the first may stand at most (-1: no such pair known).
    let branchPairFirstSets: UnsafeBufferPointer<Int32>
    let branchPairSecondSets: UnsafeBufferPointer<Int32>
    let branchPairReach: UnsafeBufferPointer<Int32>
    /// For the same branches, their leading look-behind's program (`lookBehindOps` index, -1: none).
    let branchPrograms: UnsafeBufferPointer<Int32>
    /// Flattened `LookBehindProgram`s: operations, each after its children, and the children
    /// lists of sequences, alternations, repetitions and look-behinds.
    let lookBehindOps: UnsafeBufferPointer<LookBehindOp>
    let lookBehindChildren: UnsafeBufferPointer<Int32>
    /// Guards' windows (`RuleEntry.guardWindowStart`): `guardWindowDepth` bitmap offsets each
    /// (-1: any), for the units last, second to last… before the position.
    let guardWindows: UnsafeBufferPointer<Int32>
    /// How many units before the position a guard window tests: five tell a word from the
    /// initials and short acronyms (`J.`, `U.S.`) that many guards look for.
    static let guardWindowDepth = 5
    /// How many guards have windows (`RuleEntry.guardWindowSlot`).
    let guardWindowSlots: Int
    /// Flattened `AnchoredProgram`s (operations, each after its children, and the children
    /// lists), and by key of the `anchored` programs given to `init` the operation each starts
    /// with (-1: none).
    let anchoredOps: UnsafeBufferPointer<AnchoredOp>
    let anchoredChildren: UnsafeBufferPointer<Int32>
    let anchoredPrograms: UnsafeBufferPointer<Int32>
    private let retainedWordLists: [WordListMatcher]

    /// Lays out `rules`; `triggered` are the break rules found through the trigger table (at most
    /// 64, each with the units that can start its match), `searched` the others; `anchored`,
    /// programs keyed by numbers below `regexCount` (see `CompiledSRX.anchoredTable(forRegex:)`).
    init(rules: [CompiledRule], wordLists: [WordListMatcher], triggered: [(rule: Int, first: UnitSet)], searched: [Int], anchored: [Int: AnchoredProgram] = [:], regexCount: Int = 0) {
        var sets: [UnitSet] = []
        // Equal sets share one bitmap; found by fingerprint (hashing 8 KiB sets the usual way
        // for every atom of every program was a third of compiling French).
        var byFingerprint: [UInt64: [Int32]] = [:]
        byFingerprint.reserveCapacity(rules.count * 4)
        // And sets already met by their storage: most atoms of the programs are the same few
        // classes (`\s`, `\p{Lu}`), one bitmap each that the atom cache hands out again.
        var byStorage: [UnsafeRawPointer: Int32] = [:]
        var retained: [UnitSet] = [] // keeps the storage of `byStorage`'s keys alive
        func offset(_ set: UnitSet?) -> Int32 {
            guard let set else { return -1 }
            let storage = set.storageIdentity
            if let o = byStorage[storage] { return o }
            let fingerprint = set.fingerprint
            var found: Int32? = nil
            for o in byFingerprint[fingerprint] ?? [] where sets[Int(o) / 1024] == set { found = o; break }
            let o: Int32
            if let found {
                o = found
            } else {
                o = Int32(sets.count * 1024)
                sets.append(set)
                byFingerprint[fingerprint, default: []].append(o)
            }
            byStorage[storage] = o
            retained.append(set)
            return o
        }
        /// A set as `containsUnitOrSet` reads it: its one unit (as -2 - unit) or a bitmap offset.
        func unitOrOffset(_ set: UnitSet?) -> Int32 {
            if let set, let unit = set.singleUnit { return -2 - Int32(unit) }
            return offset(set)
        }
        var ops: [LookBehindOp] = []
        var children: [Int32] = []
        func flatten(_ node: LookBehindProgram.Node) -> Int32 {
            var op: LookBehindOp
            func withChildren(_ kind: LookBehindOp.Kind, _ nodes: [LookBehindProgram.Node]) -> LookBehindOp {
                let indexes = nodes.map(flatten)
                let first = Int32(children.count)
                children += indexes
                return LookBehindOp(kind: kind, firstChild: first, childCount: Int32(indexes.count))
            }
            switch node {
            case .atom(let set):
                if let unit = set.singleUnit {
                    op = LookBehindOp(kind: .unit, set: Int32(unit))
                } else {
                    op = LookBehindOp(kind: .atom, set: offset(set))
                }
            case .sequence(let items):
                op = withChildren(.sequence, items)
            case .alternation(let branches):
                op = withChildren(.alternation, branches)
            case .repeated(let inner, let min, let max):
                op = withChildren(.repeated, [inner])
                op.min = Int32(min)
                op.max = Int32(max)
            case .lookBehind(let inner, let negative):
                op = withChildren(negative ? .negativeLookBehind : .lookBehind, [inner])
            case .start:
                op = LookBehindOp(kind: .start)
            case .wordBoundary(let negated):
                op = LookBehindOp(kind: negated ? .notWordBoundary : .wordBoundary, set: offset(LookBehindProgram.boundarySkipUnits))
                op.min = offset(LookBehindProgram.wordUnits)
            case .runLookBehind(let head, let run, let min, let max, let negative):
                op = withChildren(negative ? .negativeRunLookBehind : .runLookBehind, [head])
                op.set = offset(run)
                op.headLast = offset(LookBehindProgram(root: head, exact: true).units(atDistance: 1))
                op.min = Int32(min)
                op.max = Int32(max)
            }
            ops.append(op)
            return Int32(ops.count - 1)
        }
        var anchoredOps: [AnchoredOp] = []
        var anchoredChildren: [Int32] = []
        /// A set as `containsUnitOrSet` reads it (nil: -1, any unit).
        func unitsOffset(_ units: AnchoredProgram.Units?) -> Int32 {
            switch units {
            case nil: return -1
            case .few(let list)? where list.count == 1: return -2 - Int32(list[0])
            case let units?: return offset(units.bitmap)
            }
        }
        func flattenAnchored(_ node: AnchoredProgram.Node) -> Int32 {
            var op: AnchoredOp
            func withChildren(_ kind: AnchoredOp.Kind, _ nodes: [AnchoredProgram.Node]) -> AnchoredOp {
                let indexes = nodes.map(flattenAnchored)
                let first = Int32(anchoredChildren.count)
                anchoredChildren += indexes
                return AnchoredOp(kind: kind, firstChild: first, childCount: Int32(indexes.count))
            }
            switch node {
            case .unit(let unit):
                op = AnchoredOp(kind: .unit, set: Int32(unit))
            case .atom(let set):
                op = AnchoredOp(kind: .atom, set: offset(set))
            case .sequence(let items):
                op = withChildren(.sequence, items)
            case .alternation(let branches):
                op = withChildren(.alternation, branches)
            case .uniqueAlternation(let branches, let viable):
                op = withChildren(.uniqueAlternation, branches)
                op.set = unitsOffset(viable)
            case .run(let set, let min, let max):
                op = AnchoredOp(kind: .run, set: offset(set), min: Int32(min), max: max.map { Int32(clamping: $0) } ?? -1)
            case .loop(let inner, let min, let max):
                op = withChildren(.loop, [inner])
                op.min = Int32(min)
                op.max = max.map { Int32(clamping: $0) } ?? -1
            case .uniqueLoop(let inner, let min, let max, let viable):
                op = withChildren(.uniqueLoop, [inner])
                op.min = Int32(min)
                op.max = max.map { Int32(clamping: $0) } ?? -1
                op.set = unitsOffset(viable)
            case .lookahead(let inner, let negative):
                op = withChildren(negative ? .negativeLookahead : .lookahead, [inner])
            case .lookBehind(let program, let negative):
                op = AnchoredOp(kind: negative ? .negativeLookBehind : .lookBehind, set: flatten(program.root))
            }
            switch node {
            case .unit, .atom, .run, .lookBehind:
                break
            case .loop(let inner, _, _), .lookahead(let inner, _):
                // What a pass (what the look-ahead) must start with: no pass, no match here.
                op.first = unitsOffset(AnchoredProgram.required(inner))
            default:
                op.first = unitsOffset(AnchoredProgram.required(node))
            }
            anchoredOps.append(op)
            return Int32(anchoredOps.count - 1)
        }
        var anchoredPrograms = [Int32](repeating: -1, count: regexCount)
        for (regex, program) in anchored.sorted(by: { $0.key < $1.key }) where regex < regexCount {
            anchoredPrograms[regex] = flattenAnchored(program.root)
        }
        entries = .allocate(capacity: rules.count)
        var branchLastSets: [Int32] = []
        var branchSecondLastSets: [Int32] = []
        var branchSecondLastUnits: [UInt64] = []
        var branchPairFirstSets: [Int32] = []
        var branchPairSecondSets: [Int32] = []
        var branchPairReach: [Int32] = []
        var branchPrograms: [Int32] = []
        var guardWindows: [Int32] = []
        var guardWindowSlots = 0
        // Where the next split scanner's branches start in `CompiledSRX.branchPatterns`.
        var branchStart: Int32 = 0
        for (i, rule) in rules.enumerated() {
            var entry = RuleEntry(index: Int32(rule.index), isBreak: rule.isBreak, beforeFirst: rule.beforeFirst, beforeKind: 0,
                                  afterRegex: Int32(rule.afterRegex ?? -1), beforeRegex: -1, scannerRegex: Int32(rule.scannerRegex ?? -1),
                                  wordList: -1, tailRegex: -1, tailAtoms: 0,
                                  lastSet: offset(rule.beforeLast), secondLastSet: offset(rule.beforeSecondLast), afterFirstSet: offset(rule.afterFirst),
                                  afterSecondSet: offset(rule.afterSecond), afterSkipRunSet: offset(rule.afterSkipRun), afterSkipNextSet: offset(rule.afterSkipNext), scanSecondSet: offset(rule.scanSecond), scanThirdSet: offset(rule.scanThird),
                                  guardRegex: Int32(rule.guardRegex ?? -1))
            entry.scanFallback = Int32(rule.scanFallbackPattern ?? -1)
            if let program = rule.guardProgram {
                entry.guardProgram = flatten(program.root)
                entry.guardExact = program.exact
                entry.guardSecondLastSet = offset(program.units(atDistance: 2))
                if let windows = Self.guardWindows(program) {
                    entry.guardWindowStart = Int32(guardWindows.count / Self.guardWindowDepth)
                    entry.guardWindowCount = Int32(windows.count)
                    entry.guardWindowSlot = Int32(guardWindowSlots)
                    guardWindowSlots += 1
                    for window in windows { guardWindows += window.map { offset($0) } }
                    if rule.guardRegex != nil && !windows.contains(where: { $0[2] == nil }) {
                        var third = UnitSet()
                        for window in windows { third.insert(contentsOf: window[2]!) }
                        third.insertHighSurrogates()
                        third.insertLowSurrogates()
                        entry.guardThirdLastSet = offset(third)
                    }
                }
            }
            if let prefix = rule.scanPrefixRegex, !rule.scanBranchPatterns.isEmpty {
                entry.scanPrefixRegex = Int32(prefix)
                entry.scanBranchStart = branchStart
                entry.scanBranchCount = Int32(rule.scanBranchPatterns.count)
                branchStart += entry.scanBranchCount
                branchLastSets += rule.scanBranchLast.map { offset($0) }
                for set in rule.scanBranchSecondLast {
                    if let units = set?.members(upTo: 4), !units.isEmpty {
                        var packed: UInt64 = 0
                        for k in 0..<4 { packed |= UInt64(units[Swift.min(k, units.count - 1)]) << (16 * UInt64(k)) }
                        branchSecondLastSets.append(-2)
                        branchSecondLastUnits.append(packed)
                    } else {
                        branchSecondLastSets.append(offset(set))
                        branchSecondLastUnits.append(0)
                    }
                }
                branchPrograms += rule.scanBranchPrograms.map { $0.map { flatten($0.root) } ?? -1 }
                for pair in rule.scanBranchPairs {
                    branchPairFirstSets.append(unitOrOffset(pair?.first))
                    branchPairSecondSets.append(unitOrOffset(pair?.second))
                    branchPairReach.append(pair.map { Int32(clamping: $0.maxOffset) } ?? -1)
                }
            }
            switch rule.before {
            case .always: break
            case .lookBehind(let id):
                entry.beforeKind = 1
                entry.beforeRegex = Int32(id)
            case .wordList(let matcher, let tail, let atoms):
                entry.beforeKind = 2
                entry.wordList = Int32(matcher)
                entry.tailRegex = Int32(tail ?? -1)
                entry.tailAtoms = Int32(atoms)
            }
            (entries.baseAddress! + i).initialize(to: entry)
        }
        bitmaps = .allocate(capacity: max(1, sets.count * 1024))
        for (k, set) in sets.enumerated() {
            for (w, word) in set.words.enumerated() { (bitmaps + k * 1024 + w).initialize(to: word) }
        }
        // Zeroed pages whose pages the kernel zeroes when first touched, so the 512 KiB cost only
        // the pages of the units that start a rule (and those the texts read), where filling a
        // Swift array and copying it faulted in every page twice. None without triggered rules
        // (branch tables, anchored programs' tables): the matcher reads it only with some.
        self.triggers = ZeroedPages.allocate(triggered.isEmpty ? 8 : Self.triggersBytes).bindMemory(to: UInt64.self, capacity: triggered.isEmpty ? 1 : 65536)
        self.hasTriggers = !triggered.isEmpty
        for (k, rule) in triggered.enumerated() {
            let bit = UInt64(1) << UInt64(k)
            for (w, word) in rule.first.words.enumerated() where word != 0 {
                for b in 0..<64 where word & (1 << UInt64(b)) != 0 { self.triggers[w * 64 + b] |= bit }
            }
        }
        self.triggered = Self.buffer(triggered.map { Int32($0.rule) })
        self.searched = Self.buffer(searched.map { Int32($0) })
        self.noBreak = Self.buffer(rules.indices.filter { !rules[$0].isBreak }.map { Int32($0) })
        retainedWordLists = wordLists
        self.branchLastSets = Self.buffer(branchLastSets)
        self.branchSecondLastSets = Self.buffer(branchSecondLastSets)
        self.branchSecondLastUnits = Self.buffer(branchSecondLastUnits)
        self.branchPairFirstSets = Self.buffer(branchPairFirstSets)
        self.branchPairSecondSets = Self.buffer(branchPairSecondSets)
        self.branchPairReach = Self.buffer(branchPairReach)
        self.branchPrograms = Self.buffer(branchPrograms)
        self.wordLists = Self.buffer(wordLists.map { Unmanaged.passUnretained($0) })
        self.lookBehindOps = Self.buffer(ops)
        self.lookBehindChildren = Self.buffer(children)
        self.guardWindows = Self.buffer(guardWindows)
        self.guardWindowSlots = guardWindowSlots
        self.anchoredOps = Self.buffer(anchoredOps)
        self.anchoredChildren = Self.buffer(anchoredChildren)
        self.anchoredPrograms = Self.buffer(anchoredPrograms)
    }

    /// At most eight windows of a guard program, `guardWindowDepth` units each: its ways
    /// (`LookBehindProgram.windows`), cut to fewer units when there are more than eight of
    /// them (ways that differ only further back become one). Nil when even the last unit
    /// alone leaves more than eight.
    private static func guardWindows(_ program: LookBehindProgram) -> [[UnitSet?]]? {
        let depth = guardWindowDepth
        let padded = { (ways: [[UnitSet?]]) in ways.map { $0 + Array(repeating: nil, count: depth - $0.count) } }
        guard let ways = program.windows(depth: depth, limit: 64) ?? program.windows(depth: 3, limit: 64).map(padded) else { return nil }
        var windows = ways
        var kept = depth
        while windows.count > 8 && kept > 1 {
            kept -= 1
            windows = []
            for way in padded(ways.map { Array($0[..<kept]) }) where !windows.contains(way) { windows.append(way) }
        }
        return windows.count <= 8 ? windows : nil
    }

    private static func buffer<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        for (k, v) in values.enumerated() { (pointer + k).initialize(to: v) }
        return UnsafeBufferPointer(start: pointer, count: values.count)
    }

    deinit {
        entries.deallocate()
        bitmaps.deallocate()
        ZeroedPages.deallocate(triggers, hasTriggers ? Self.triggersBytes : 8)
        UnsafeMutablePointer(mutating: triggered.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: searched.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: noBreak.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: wordLists.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchLastSets.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchSecondLastSets.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchSecondLastUnits.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchPairFirstSets.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchPairSecondSets.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchPairReach.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchPrograms.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: lookBehindOps.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: lookBehindChildren.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: guardWindows.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: anchoredOps.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: anchoredChildren.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: anchoredPrograms.baseAddress)?.deallocate()
    }

    /// Runs anchored-match operation `op` at `p`: the end of its match, -1 when there is none,
    /// -2 when it gave up (it read a surrogate, or would take a unit at or past `limit`; then ICU
    /// must decide). Look-aheads see the whole text, like ICU's transparent bounds.
    func anchoredEnd(_ op: Int32, in text: UnsafeBufferPointer<UInt16>, at p: Int, limit: Int) -> Int {
        let o = anchoredOps[Int(op)]
        switch o.kind {
        case .atom, .unit, .run:
            return anchoredStep(o, in: text, at: p, limit: limit)
        case .sequence:
            var q = p
            for k in Int(o.firstChild)..<Int(o.firstChild &+ o.childCount) {
                q = anchoredChild(anchoredChildren[k], in: text, at: q, limit: limit)
                if q < 0 { return q }
            }
            return q
        case .alternation:
            for k in Int(o.firstChild)..<Int(o.firstChild &+ o.childCount) {
                let e = anchoredChild(anchoredChildren[k], in: text, at: p, limit: limit)
                if e != -1 { return e }
            }
            return -1
        case .uniqueAlternation:
            var found = -1
            for k in Int(o.firstChild)..<Int(o.firstChild &+ o.childCount) {
                let e = anchoredChild(anchoredChildren[k], in: text, at: p, limit: limit)
                if e == -2 { return -2 }
                if e < 0 || e == found { continue }
                if e < text.count {
                    let u = text[e]
                    if u & 0xF800 == 0xD800 { return -2 }
                    // What follows cannot match after this end.
                    if !containsUnitOrSet(o.set, u) { continue }
                }
                if found >= 0 { return -2 }
                found = e
            }
            return found
        case .loop:
            let child = anchoredChildren[Int(o.firstChild)]
            var q = p
            var passes: Int32 = 0
            while o.max < 0 || passes < o.max {
                let e = anchoredChild(child, in: text, at: q, limit: limit)
                if e == -2 { return -2 }
                if e < 0 { break }
                q = e
                passes &+= 1
            }
            return passes >= o.min ? q : -1
        case .uniqueLoop:
            let child = anchoredChildren[Int(o.firstChild)]
            var q = p
            var passes: Int32 = 0
            var found = -1
            while true {
                if passes >= o.min {
                    // The end after this many passes: could what follows start here?
                    var viable = true
                    if q < text.count {
                        let u = text[q]
                        if u & 0xF800 == 0xD800 { return -2 }
                        viable = containsUnitOrSet(o.set, u)
                    }
                    if viable {
                        if found >= 0 { return -2 }
                        found = q
                    }
                }
                if o.max >= 0 && passes >= o.max { break }
                let e = anchoredChild(child, in: text, at: q, limit: limit)
                if e == -2 { return -2 }
                if e < 0 { break }
                q = e
                passes &+= 1
            }
            return found
        case .lookahead, .negativeLookahead:
            let e = anchoredChild(anchoredChildren[Int(o.firstChild)], in: text, at: p, limit: text.count)
            if e == -2 { return -2 }
            return (e >= 0) == (o.kind == .lookahead) ? p : -1
        case .lookBehind, .negativeLookBehind:
            var gaveUp = false
            let found = lookBehind(o.set, 1, in: text, at: p, gaveUp: &gaveUp) != 0
            if gaveUp { return -2 }
            return found == (o.kind == .lookBehind) ? p : -1
        }
    }

    /// `anchoredEnd` of a child: units, classes and runs (most children) are read here rather
    /// than through another call, and a child whose first unit cannot stand here fails without
    /// one (a loop of closing quotes after a period, most branches of an alternation).
    @inline(__always)
    private func anchoredChild(_ op: Int32, in text: UnsafeBufferPointer<UInt16>, at p: Int, limit: Int) -> Int {
        let o = anchoredOps[Int(op)]
        switch o.kind {
        case .atom, .unit, .run:
            return anchoredStep(o, in: text, at: p, limit: limit)
        default:
            if o.first != -1 {
                // What the child (a loop's pass, a look-ahead's content) cannot start with: the
                // child fails, or for a loop without a required pass and a negative look-ahead,
                // holds here taking nothing. (A surrogate is left to the child: it gives up.)
                let cannotStart = p >= text.count || (text[p] & 0xF800 != 0xD800 && !containsUnitOrSet(o.first, text[p]))
                if cannotStart {
                    switch o.kind {
                    case .loop: return o.min == 0 ? p : -1
                    case .negativeLookahead: return p
                    default: return -1
                    }
                }
                if o.kind == .lookahead || o.kind == .negativeLookahead {
                    // A look-ahead of one unit or class (most are): its first units decide.
                    let inner = anchoredOps[Int(anchoredChildren[Int(o.firstChild)])]
                    if inner.kind == .unit || inner.kind == .atom {
                        if text[p] & 0xF800 == 0xD800 { return -2 }
                        return o.kind == .lookahead ? p : -1
                    }
                }
            }
            return anchoredEnd(op, in: text, at: p, limit: limit)
        }
    }

    /// `anchoredEnd` of a unit, a class or a run `o`.
    @inline(__always)
    private func anchoredStep(_ o: AnchoredOp, in text: UnsafeBufferPointer<UInt16>, at p: Int, limit: Int) -> Int {
        if o.kind == .run {
            let end = o.max < 0 ? text.count : Swift.min(text.count, p &+ Int(o.max))
            var q = p
            while q < end {
                let u = text[q]
                if u & 0xF800 == 0xD800 { return -2 }
                if !contains(o.set, u) { break }
                if q >= limit { return -2 }
                q &+= 1
            }
            return q &- p >= Int(o.min) ? q : -1
        }
        guard p < text.count else { return -1 }
        let u = text[p]
        if u & 0xF800 == 0xD800 { return -2 }
        guard o.kind == .unit ? Int32(u) == o.set : contains(o.set, u) else { return -1 }
        return p < limit ? p &+ 1 : -2
    }

    /// True when `set` holds `unit`: a bitmap offset, -1 (everything), or -2 - u (just u).
    @inline(__always)
    func containsUnitOrSet(_ set: Int32, _ unit: UInt16) -> Bool {
        if set >= -1 { return contains(set, unit) }
        return Int32(unit) == -2 - set
    }

    /// True when the bitmap at `offset` holds `unit` (an offset of -1 holds everything).
    @inline(__always)
    func contains(_ offset: Int32, _ unit: UInt16) -> Bool {
        if offset < 0 { return true }
        return bitmaps[Int(offset) + Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0
    }

    /// False when split-scanner branch `b` (`CompiledSRX.branchPatterns`) certainly does not
    /// match at `p`, found without ICU: its leading look-behind must end there (the units last
    /// and second to last, then its program: this rules out all but the branches of the item
    /// marker found), and two units it must read ahead must be there (without them ICU would
    /// walk up to hundreds of units to find no match).
    @inline(__always)
    func branchMayMatch(_ b: Int, at p: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        let last = branchLastSets[b], secondLast = branchSecondLastSets[b]
        if last >= 0 && (p == 0 || !contains(last, text[p - 1])) { return false }
        if secondLast >= 0 && (p < 2 || !contains(secondLast, text[p - 2])) { return false }
        if secondLast == -2 {
            guard p >= 2 else { return false }
            let units = branchSecondLastUnits[b], u = UInt64(text[p - 2])
            if units & 0xFFFF != u && (units >> 16) & 0xFFFF != u && (units >> 32) & 0xFFFF != u && units >> 48 != u { return false }
        }
        let program = branchPrograms[b]
        if program >= 0 {
            // "No match" is certain unless the program read a surrogate.
            var gaveUp = false
            if lookBehind(program, 1, in: text, at: p, gaveUp: &gaveUp) == 0 && !gaveUp { return false }
        }
        let reach = branchPairReach[b]
        return reach < 0 || containsPair(branchPairFirstSets[b], branchPairSecondSets[b], from: p, reach: reach, in: text)
    }

    /// True when some unit at offset `start` … `start + reach` of `text` is in the bitmap at
    /// `first` and the unit after it in the one at `second` (see `branchPairReach`).
    func containsPair(_ first: Int32, _ second: Int32, from start: Int, reach: Int32, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        let end = min(text.count - 1, start + Int(reach) + 1)
        var j = start
        while j < end {
            if containsUnitOrSet(first, text[j]) && containsUnitOrSet(second, text[j + 1]) { return true }
            j += 1
        }
        return false
    }

    /// Runs look-behind operation `op` backwards from `p`: bit d of `mask` says a match of what
    /// follows the operation begins d units before `p` (so the operation must end there); the
    /// answer has bit d set where a match of the operation followed by that can begin. Sets
    /// `gaveUp` (and the answer means nothing) on reading a surrogate.
    func lookBehind(_ op: Int32, _ mask: UInt64, in text: UnsafeBufferPointer<UInt16>, at p: Int, gaveUp: inout Bool) -> UInt64 {
        let o = lookBehindOps[Int(op)]
        let first = Int(o.firstChild), end = Int(o.firstChild + o.childCount)
        switch o.kind {
        case .atom, .unit:
            return atomStep(o, mask, in: text, at: p, gaveUp: &gaveUp)
        case .start:
            // Bit d stands for position p - d: only d == p is the start.
            return p < 64 ? mask & (1 << UInt64(p)) : 0
        case .wordBoundary, .notWordBoundary:
            var out: UInt64 = 0
            var m = mask
            while m != 0 {
                let d = m.trailingZeroBitCount
                m &= m &- 1
                guard p - d >= 0 else { continue }
                guard let boundary = isWordBoundary(at: p - d, skip: o.set, word: o.min, in: text) else { gaveUp = true; return 0 }
                if boundary == (o.kind == .wordBoundary) { out |= 1 << UInt64(d) }
            }
            return out
        case .sequence:
            var m = mask
            var k = end - 1
            while k >= first {
                m = step(lookBehindChildren[k], m, in: text, at: p, gaveUp: &gaveUp)
                if m == 0 || gaveUp { return 0 }
                k -= 1
            }
            return m
        case .alternation:
            var out: UInt64 = 0
            for k in first..<end {
                out |= step(lookBehindChildren[k], mask, in: text, at: p, gaveUp: &gaveUp)
                if gaveUp { return 0 }
            }
            return out
        case .repeated:
            var out: UInt64 = o.min == 0 ? mask : 0
            var current = mask
            var n: Int32 = 1
            let child = lookBehindChildren[first]
            while n <= o.max {
                current = step(child, current, in: text, at: p, gaveUp: &gaveUp)
                if gaveUp { return 0 }
                if current == 0 { break }
                if n >= o.min { out |= current }
                n += 1
            }
            return out
        case .lookBehind, .negativeLookBehind:
            let wanted = o.kind == .lookBehind
            var out: UInt64 = 0
            var m = mask
            while m != 0 {
                let d = m.trailingZeroBitCount
                m &= m &- 1
                let found = step(lookBehindChildren[first], 1 << UInt64(d), in: text, at: p, gaveUp: &gaveUp) != 0
                if gaveUp { return 0 }
                if found == wanted { out |= 1 << UInt64(d) }
            }
            return out
        case .runLookBehind, .negativeRunLookBehind:
            let wanted = o.kind == .runLookBehind
            var out: UInt64 = 0
            var m = mask
            while m != 0 {
                let d = m.trailingZeroBitCount
                m &= m &- 1
                let found = runLookBehindHolds(o, at: p - d, in: text, gaveUp: &gaveUp)
                if gaveUp { return 0 }
                if found == wanted { out |= 1 << UInt64(d) }
            }
            return out
        }
    }

    /// Whether run look-behind `o` (`LookBehindProgram.Node.runLookBehind`) holds at `q`: the
    /// run is read back from `q`, and where it may begin (`o.min` … `o.max` units back), its
    /// head is tried as a look-behind of its own, if the unit there can end it. Sets `gaveUp`
    /// on reading a surrogate (ICU counts a supplementary character as one in the run).
    private func runLookBehindHolds(_ o: LookBehindOp, at q: Int, in text: UnsafeBufferPointer<UInt16>, gaveUp: inout Bool) -> Bool {
        let head = lookBehindChildren[Int(o.firstChild)]
        var length = 0
        while true {
            if length >= Int(o.min) {
                // With `headLast` known, every match of the head takes a unit: none at the start.
                var tried = o.headLast < 0
                if !tried && q - length > 0 {
                    let u = text[q - length - 1]
                    if u & 0xF800 == 0xD800 { gaveUp = true; return false }
                    tried = contains(o.headLast, u)
                }
                if tried {
                    if step(head, 1, in: text, at: q - length, gaveUp: &gaveUp) != 0 { return true }
                    if gaveUp { return false }
                }
            }
            guard length < Int(o.max), q - length > 0 else { return false }
            let u = text[q - length - 1]
            if u & 0xF800 == 0xD800 { gaveUp = true; return false }
            guard contains(o.set, u) else { return false }
            length += 1
        }
    }

    /// ICU's `\b` at `q` (`RegexMatcher::isChunkWordBoundary` without `UREGEX_UWORD`): a word unit
    /// (bitmap `word`) on one side and not on the other, where a unit of `skip` (marks, format
    /// characters) at `q` is never a boundary and those before `q` are passed over; the end and
    /// the start of the text count as no word unit. Nil on a surrogate (ICU reads a character).
    private func isWordBoundary(at q: Int, skip: Int32, word: Int32, in text: UnsafeBufferPointer<UInt16>) -> Bool? {
        var isWord = false
        if q < text.count {
            let u = text[q]
            if u & 0xF800 == 0xD800 { return nil }
            if contains(skip, u) { return false }
            isWord = contains(word, u)
        }
        var k = q
        var previousIsWord = false
        while k > 0 {
            k -= 1
            let u = text[k]
            if u & 0xF800 == 0xD800 { return nil }
            if !contains(skip, u) {
                previousIsWord = contains(word, u)
                break
            }
        }
        return isWord != previousIsWord
    }

    /// `lookBehind` of a child: an atom (most children are) is read here rather than through
    /// another call, whose entry and exit cost more than the test itself.
    @inline(__always)
    private func step(_ op: Int32, _ mask: UInt64, in text: UnsafeBufferPointer<UInt16>, at p: Int, gaveUp: inout Bool) -> UInt64 {
        let o = lookBehindOps[Int(op)]
        if o.kind == .atom || o.kind == .unit { return atomStep(o, mask, in: text, at: p, gaveUp: &gaveUp) }
        return lookBehind(op, mask, in: text, at: p, gaveUp: &gaveUp)
    }

    /// `lookBehind` of an atom or a unit `o`.
    @inline(__always)
    private func atomStep(_ o: LookBehindOp, _ mask: UInt64, in text: UnsafeBufferPointer<UInt16>, at p: Int, gaveUp: inout Bool) -> UInt64 {
        var out: UInt64 = 0
        var m = mask
        while m != 0 {
            let d = m.trailingZeroBitCount
            m &= m &- 1
            let q = p - d - 1
            if q < 0 { continue }
            let u = text[q]
            if u & 0xF800 == 0xD800 { gaveUp = true; return 0 }
            if o.kind == .unit ? Int32(u) == o.set : contains(o.set, u) { out |= 1 << UInt64(d + 1) }
        }
        return out
    }
}
