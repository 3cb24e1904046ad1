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
}

/// The compiled rules laid out for speed: a flat array of `RuleEntry`, all character bitmaps in one
/// allocation, and the trigger table of break rules. Immutable once built; freed with the table.
final class RuleTable: @unchecked Sendable {
    // @unchecked: immutable after init; the buffers are only read.
    let entries: UnsafeMutableBufferPointer<RuleEntry>
    let bitmaps: UnsafeMutablePointer<UInt64>
    /// For each code unit, bit k set when `triggered[k]` can start a match there.
    let triggers: UnsafeMutablePointer<UInt64>
    let triggered: UnsafeBufferPointer<Int32>
    let searched: UnsafeBufferPointer<Int32>
    let noBreak: UnsafeBufferPointer<Int32>
    let wordLists: UnsafeBufferPointer<Unmanaged<WordListMatcher>>
    /// For the branches of split scanners (`CompiledSRX.branchPatterns`), the bitmap offsets of
    /// the units that must stand last and second to last before each (-1: any).
    let branchLastSets: UnsafeBufferPointer<Int32>
    let branchSecondLastSets: UnsafeBufferPointer<Int32>
    private let retainedWordLists: [WordListMatcher]

    init(rules: [CompiledRule], wordLists: [WordListMatcher], triggers: [UInt64], triggered: [Int], searched: [Int]) {
        var sets: [UnitSet] = []
        var offsets: [UnitSet: Int32] = [:]
        func offset(_ set: UnitSet?) -> Int32 {
            guard let set else { return -1 }
            if let o = offsets[set] { return o }
            let o = Int32(sets.count * 1024)
            sets.append(set)
            offsets[set] = o
            return o
        }
        entries = .allocate(capacity: rules.count)
        var branchLastSets: [Int32] = []
        var branchSecondLastSets: [Int32] = []
        for (i, rule) in rules.enumerated() {
            var entry = RuleEntry(index: Int32(rule.index), isBreak: rule.isBreak, beforeFirst: rule.beforeFirst, beforeKind: 0,
                                  afterRegex: Int32(rule.afterRegex ?? -1), beforeRegex: -1, scannerRegex: Int32(rule.scannerRegex ?? -1),
                                  wordList: -1, tailRegex: -1, tailAtoms: 0,
                                  lastSet: offset(rule.beforeLast), secondLastSet: offset(rule.beforeSecondLast), afterFirstSet: offset(rule.afterFirst),
                                  afterSecondSet: offset(rule.afterSecond), afterSkipRunSet: offset(rule.afterSkipRun), afterSkipNextSet: offset(rule.afterSkipNext), scanSecondSet: offset(rule.scanSecond), scanThirdSet: offset(rule.scanThird),
                                  guardRegex: Int32(rule.guardRegex ?? -1))
            if let prefix = rule.scanPrefixRegex, !rule.scanBranchPatterns.isEmpty {
                entry.scanPrefixRegex = Int32(prefix)
                entry.scanBranchStart = Int32(branchLastSets.count)
                entry.scanBranchCount = Int32(rule.scanBranchPatterns.count)
                branchLastSets += rule.scanBranchLast.map { offset($0) }
                branchSecondLastSets += rule.scanBranchSecondLast.map { offset($0) }
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
        self.triggers = .allocate(capacity: 65536)
        for (u, mask) in triggers.enumerated() { (self.triggers + u).initialize(to: mask) }
        self.triggered = Self.buffer(triggered.map { Int32($0) })
        self.searched = Self.buffer(searched.map { Int32($0) })
        self.noBreak = Self.buffer(rules.indices.filter { !rules[$0].isBreak }.map { Int32($0) })
        retainedWordLists = wordLists
        self.branchLastSets = Self.buffer(branchLastSets)
        self.branchSecondLastSets = Self.buffer(branchSecondLastSets)
        self.wordLists = Self.buffer(wordLists.map { Unmanaged.passUnretained($0) })
    }

    private static func buffer<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        for (k, v) in values.enumerated() { (pointer + k).initialize(to: v) }
        return UnsafeBufferPointer(start: pointer, count: values.count)
    }

    deinit {
        entries.deallocate()
        bitmaps.deallocate()
        triggers.deallocate()
        UnsafeMutablePointer(mutating: triggered.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: searched.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: noBreak.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: wordLists.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchLastSets.baseAddress)?.deallocate()
        UnsafeMutablePointer(mutating: branchSecondLastSets.baseAddress)?.deallocate()
    }

    /// True when the bitmap at `offset` holds `unit` (an offset of -1 holds everything).
    @inline(__always)
    func contains(_ offset: Int32, _ unit: UInt16) -> Bool {
        if offset < 0 { return true }
        return bitmaps[Int(offset) + Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0
    }
}
