#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CICU

/// Applies compiled SRX rules to one text at a time; owns the ICU matcher state for one thread.
///
/// The SRX algorithm says: at each position between two characters, the first rule (in cascade
/// order) whose `beforebreak` matches the text ending there and whose `afterbreak` matches the text
/// starting there decides whether to break; no matching rule, no break. Testing every position
/// against every rule is slow (and quadratic with unbounded look-behinds), so:
///
/// 1. Only positions where a *break* rule fires can become breaks. Each break rule is run once
///    forward over the text as `(?:before)(?=after)`; every match end is a candidate, labelled
///    with the first break rule that produced it. (`useICUBreakRules` adds ICU's sentence
///    boundaries, moved back before trailing whitespace as Okapi does, as the last rule.)
/// 2. A candidate stays a break unless a *no-break* rule that comes before its break rule also
///    matches there. Those are tried only at candidates: the `afterbreak` with an anchored match
///    (memoised per candidate, since many rules share one), then the `beforebreak` as a look-behind
///    (or a reversed-trie walk for abbreviation lists).
///
/// The cost is one forward scan per break rule plus a few checks per candidate: linear in the
/// text, whatever the paragraph length.
final class SRXMatcher: @unchecked Sendable {
    // @unchecked: a matcher is used by one thread at a time; CompiledSRX hands it out from a
    // locked pool and takes it back when the call returns.
    //
    // The hot loops below work on raw buffers and C handles on purpose: Swift arrays of class
    // references and structs with strings cost a retain/release or an exclusivity check per
    // access, which was most of the time on a 20 MB corpus.
    // Unowned: the compiled rules keep their idle matchers in a pool, so a strong reference back
    // made a cycle that leaked every segmenter built from an SRX file (LeakSanitizer, fuzzing).
    // A matcher is only used inside a call on its `CompiledSRX`, which is alive then.
    private unowned let compiled: CompiledSRX
    private let table: RuleTable
    private let lookAheadLimit: Int
    /// This matcher's clones of the rules' regexes (`CompiledSRX.regexes`), taken when first
    /// needed: their C handles (nil until then, or when ICU refused the pattern), whether the
    /// clone was asked for, and the text generation each was last pointed at.
    private let regexCount: Int
    private let regexes: UnsafeMutablePointer<ICURegex?>
    private let handles: UnsafeMutablePointer<OpaquePointer?>
    private let loaded: UnsafeMutablePointer<Bool>
    private let regexGeneration: UnsafeMutablePointer<Int>
    private let afterStamp: UnsafeMutablePointer<Int>
    private let afterValue: UnsafeMutablePointer<Bool>
    /// By regex id: its anchored program's table (`CompiledSRX.anchoredTable(forRegex:)`, nil:
    /// none, ICU matches it), and whether it was asked for.
    private let anchoredTables: UnsafeMutablePointer<Unmanaged<RuleTable>?>
    private let anchoredLoaded: UnsafeMutablePointer<Bool>
    /// Mutable per-call state behind a pointer: stored `var`s of a class would cost a dynamic
    /// exclusivity check on every access in the hot loops.
    private struct State {
        var generation = 0
        var stamp = 0
        var textBase: UnsafePointer<UInt16>? = nil
        var textCount = 0
        /// The candidates' buffer, kept between calls (taken out while in use) rather than
        /// allocated and grown again for every paragraph.
        var hits: [UInt64] = []
        /// The UTF-16 text of the unit being segmented (`unitBuffer(capacity:)`), kept between
        /// units: allocating it per unit cost more than transcoding the unit into it.
        var units: UnsafeMutablePointer<UInt16>? = nil
        var unitCapacity = 0
        /// The unit's items (`ContentItems.kinds`), kept the same way.
        var items: UnsafeMutablePointer<Int>? = nil
        var itemCapacity = 0
        /// A unit's breaks and sentences (`Segmenter.segmentedParts(of:)`), kept the same way.
        var breakBuffer: [Int] = []
        var rangeBuffer: [Range<Int>] = []
    }
    private let state: UnsafeMutablePointer<State>
    private let nextFromBuffer: UnsafeMutableBufferPointer<Int>
    /// By rule position: split scanners' branch tables fetched so far (nil: not yet).
    private let branchTables: UnsafeMutablePointer<Unmanaged<RuleTable>?>
    private let ruleCount: Int
    /// The regex id of split scanners' first branch (`CompiledSRX.branchBase`).
    private let branchBase: Int
    /// No-break rules by the units around a candidate, filled in per unit when first seen: for
    /// the unit last before the position (kind 0), second to last (1), first after it (2) and
    /// third to last (3, what the rule's guard windows allow there: `guardThirdLastSet`),
    /// bit k of word c is set when `noBreak[64 * c + k]`'s character test for that place lets
    /// the unit through. ANDed, the three leave the few rules worth a look at a candidate, where
    /// testing every rule's three sets in turn was most of the cost of `vetoed`. Per matcher
    /// (so filled without a lock).
    private let vetoTable: UnitMasks
    /// Guard windows (`RuleTable.guardWindows`) by the unit at each of their distances,
    /// filled in per unit when first seen like `vetoMasks`: guard number g owns byte g % 8 of
    /// word g / 8, whose bit k is set when its window k lets the unit through there. ANDed for
    /// the units before a position, a guard's byte says whether any window passes, where
    /// testing its windows' sets in turn cost more than the program it spares for most guards.
    private let windowTable: UnitMasks
    private lazy var icuBreaker: ICUSentenceBreaker? = ICUSentenceBreaker(locale: compiled.icuLocale)
    /// When set, nanoseconds and counts per rule (see `Segmenter.profile(_:)`).
    var profile: RuleProfile?

    init(compiled: CompiledSRX) {
        self.compiled = compiled
        table = compiled.table
        lookAheadLimit = compiled.lookAheadLimit
        regexCount = compiled.regexes.count
        branchBase = compiled.branchBase
        let count = max(1, regexCount)
        regexes = .allocate(capacity: count)
        regexes.initialize(repeating: nil, count: count)
        handles = .allocate(capacity: count)
        handles.initialize(repeating: nil, count: count)
        loaded = .allocate(capacity: count)
        loaded.initialize(repeating: false, count: count)
        regexGeneration = .allocate(capacity: count)
        afterStamp = .allocate(capacity: count)
        afterValue = .allocate(capacity: count)
        anchoredTables = .allocate(capacity: count)
        anchoredTables.initialize(repeating: nil, count: count)
        anchoredLoaded = .allocate(capacity: count)
        anchoredLoaded.initialize(repeating: false, count: count)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        nextFromBuffer = .allocate(capacity: max(1, compiled.table.triggered.count))
        nextFromBuffer.initialize(repeating: 0)
        ruleCount = max(1, compiled.rules.count)
        branchTables = .allocate(capacity: ruleCount)
        branchTables.initialize(repeating: nil, count: ruleCount)
        regexGeneration.initialize(repeating: -1, count: count)
        afterStamp.initialize(repeating: -1, count: count)
        afterValue.initialize(repeating: false, count: count)
        vetoTable = UnitMasks(places: 4, words: (compiled.table.noBreak.count + 63) / 64)
        windowTable = UnitMasks(places: RuleTable.guardWindowDepth, words: (compiled.table.guardWindowSlots + 7) / 8)
    }

    deinit {
        regexes.deinitialize(count: max(1, regexCount))
        regexes.deallocate()
        handles.deallocate()
        loaded.deallocate()
        regexGeneration.deallocate()
        afterStamp.deallocate()
        afterValue.deallocate()
        anchoredTables.deallocate()
        anchoredLoaded.deallocate()
        state.pointee.units?.deallocate()
        state.pointee.items?.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
        nextFromBuffer.deallocate()
        branchTables.deallocate()
        vetoTable.deallocate()
        windowTable.deallocate()
    }

    /// Room for `capacity` UTF-16 units, valid until the next call or `trimUnitBuffer()`:
    /// where `Segmenter.segmentedParts(of:)` transcodes a unit while it holds this matcher.
    func unitBuffer(capacity: Int) -> UnsafeMutablePointer<UInt16> {
        Self.room(capacity, in: &state.pointee.units, capacity: &state.pointee.unitCapacity)
    }

    /// Room for `capacity` items of a unit with codes (`ContentItems.kinds`), valid like
    /// `unitBuffer(capacity:)`'s.
    func itemBuffer(capacity: Int) -> UnsafeMutablePointer<Int> {
        Self.room(capacity, in: &state.pointee.items, capacity: &state.pointee.itemCapacity)
    }

    /// `buffer` (room for `current` elements) when it holds `needed`, else a larger one in its
    /// place (the old contents are not kept: each unit writes its buffers anew).
    private static func room<T>(_ needed: Int, in buffer: inout UnsafeMutablePointer<T>?, capacity current: inout Int) -> UnsafeMutablePointer<T> {
        if let buffer, current >= needed { return buffer }
        buffer?.deallocate()
        let grown = max(needed, 2 * current, 1024)
        let fresh = UnsafeMutablePointer<T>.allocate(capacity: grown)
        buffer = fresh
        current = grown
        return fresh
    }

    /// Frees the unit and item buffers when a huge unit made them large: the (usually short)
    /// units after it do not keep that memory.
    func trimUnitBuffer() {
        if state.pointee.unitCapacity > 1 << 18 {
            state.pointee.units?.deallocate()
            state.pointee.units = nil
            state.pointee.unitCapacity = 0
        }
        if state.pointee.itemCapacity > 1 << 17 {
            state.pointee.items?.deallocate()
            state.pointee.items = nil
            state.pointee.itemCapacity = 0
        }
    }

    /// Takes out the arrays for a unit's breaks and sentences (empty, with the room earlier
    /// units left), to be given back with `keepUnitArrays`.
    func takeUnitArrays() -> (breaks: [Int], sentences: [Range<Int>]) {
        var arrays: (breaks: [Int], sentences: [Range<Int>]) = ([], [])
        swap(&arrays.breaks, &state.pointee.breakBuffer)
        swap(&arrays.sentences, &state.pointee.rangeBuffer)
        return arrays
    }

    /// Keeps the arrays `takeUnitArrays` lent (not when a huge unit grew them).
    func keepUnitArrays(_ arrays: inout (breaks: [Int], sentences: [Range<Int>])) {
        if arrays.breaks.capacity <= 1 << 14 { swap(&arrays.breaks, &state.pointee.breakBuffer) }
        if arrays.sentences.capacity <= 1 << 14 { swap(&arrays.sentences, &state.pointee.rangeBuffer) }
    }

    /// The masks of no-break rules (`vetoMasks`) for `unit` in place `kind`, filled in first
    /// when this is the unit's first time there.
    @inline(__always)
    private func vetoMasks(_ kind: Int, _ unit: UInt16) -> UnsafeMutablePointer<UInt64> {
        if !vetoTable.isFilled(kind, unit) { fillVetoMasks(kind, unit) }
        return vetoTable.row(kind, unit)
    }

    @inline(never)
    private func fillVetoMasks(_ kind: Int, _ unit: UInt16) {
        let noBreak = table.noBreak
        let entries = table.entries
        let out = vetoTable.row(kind, unit)
        for w in 0..<vetoTable.words {
            var mask: UInt64 = 0
            for k in 0..<min(64, noBreak.count - 64 * w) {
                let entry = entries[Int(noBreak[64 * w + k])]
                let set = kind == 0 ? entry.lastSet : kind == 1 ? entry.secondLastSet : kind == 2 ? entry.afterFirstSet : entry.guardThirdLastSet
                if table.contains(set, unit) { mask |= 1 << UInt64(k) }
            }
            out[w] = mask
        }
        vetoTable.markFilled(kind, unit)
    }

    /// False when the guard of `entry` certainly does not hold at `p`: no window of it passes
    /// the units before `p` (`RuleTable.guardWindowDepth` of them). True when one does, when
    /// `p` is too near the start, or when a unit read is a surrogate (the program gives up on
    /// those and ICU decides, reading a supplementary character as one).
    @inline(__always)
    private func guardWindowPasses(_ entry: RuleEntry, at p: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        let slot = Int(entry.guardWindowSlot)
        // Five units: `RuleTable.guardWindowDepth`.
        guard slot >= 0, p >= 5 else { return true }
        let u1 = text[p - 1], u2 = text[p - 2], u3 = text[p - 3], u4 = text[p - 4], u5 = text[p - 5]
        if (u1 & 0xF800 == 0xD800) || (u2 & 0xF800 == 0xD800) || (u3 & 0xF800 == 0xD800) || (u4 & 0xF800 == 0xD800) || (u5 & 0xF800 == 0xD800) { return true }
        let w = slot &>> 3, shift = UInt64((slot & 7) &* 8)
        // The nearest units first: most guards are ruled out by two or three of them.
        var passing = (windowMasks(0, u1)[w] & windowMasks(1, u2)[w] & windowMasks(2, u3)[w]) &>> shift & 0xFF
        if passing == 0 { return false }
        passing &= windowMasks(3, u4)[w] &>> shift & windowMasks(4, u5)[w] &>> shift
        return passing != 0
    }

    /// The window bits (`windowMasks`) of `unit` at distance `d + 1`, filled in first when
    /// this is the unit's first time there.
    @inline(__always)
    private func windowMasks(_ d: Int, _ unit: UInt16) -> UnsafeMutablePointer<UInt64> {
        if !windowTable.isFilled(d, unit) { fillWindowMasks(d, unit) }
        return windowTable.row(d, unit)
    }

    @inline(never)
    private func fillWindowMasks(_ d: Int, _ unit: UInt16) {
        let out = windowTable.row(d, unit)
        for w in 0..<windowTable.words { out[w] = 0 }
        for entry in table.entries where entry.guardWindowSlot >= 0 {
            let slot = Int(entry.guardWindowSlot)
            for k in 0..<Int(entry.guardWindowCount) {
                let set = table.guardWindows[(Int(entry.guardWindowStart) + k) * RuleTable.guardWindowDepth + d]
                if table.contains(set, unit) { out[slot >> 3] |= 1 << UInt64((slot & 7) * 8 + k) }
            }
        }
        windowTable.markFilled(d, unit)
    }

    /// The ICU matcher for regex `id`, pointed at the current text; nil when ICU refused the
    /// pattern (only guards and split-scanner branches can be refused: see `RegexTemplates`).
    @inline(__always)
    private func regex(_ id: Int32) -> OpaquePointer? {
        let i = Int(id)
        if regexGeneration[i] != state.pointee.generation {
            regexGeneration[i] = state.pointee.generation
            guard let h = handles[i] ?? load(i) else { return nil }
            _ = cicu_regex_set_text(h, state.pointee.textBase, Int32(state.pointee.textCount))
            return h
        }
        return handles[i]
    }

    /// Takes this matcher's clone of regex `i` (compiling the shared template if no matcher
    /// needed it before). Out of line: it happens once per regex and matcher.
    @inline(never)
    private func load(_ i: Int) -> OpaquePointer? {
        guard !loaded[i] else { return nil }
        loaded[i] = true
        guard let regex = compiled.regexes.matcher(i) else { return nil }
        regexes[i] = regex
        handles[i] = regex.rawHandle
        return regex.rawHandle
    }

    /// End of an anchored match of regex `id` at `index`, or -1.
    @inline(__always)
    private func matchEnd(_ id: Int32, at index: Int) -> Int {
        let e = anchoredEnd(Int(id), at: index, limit: state.pointee.textCount)
        if e != -2 { return e }
        guard let h = regex(id) else { return -1 }
        return Int(cicu_regex_looking_at(h, Int32(index)))
    }

    /// The end of regex `i`'s anchored match at `index` found by its program
    /// (`CompiledSRX.anchoredTable(forRegex:)`), taking no unit at or past `limit`: -1 when
    /// there is none, -2 when ICU must decide (no program, or it gave up).
    @inline(__always)
    private func anchoredEnd(_ i: Int, at index: Int, limit: Int) -> Int {
        if !anchoredLoaded[i] { loadAnchored(i) }
        guard let table = anchoredTables[i], let base = state.pointee.textBase else { return -2 }
        return table._withUnsafeGuaranteedRef { table in
            table.anchoredEnd(table.anchoredPrograms[0], in: UnsafeBufferPointer(start: base, count: state.pointee.textCount), at: index, limit: limit)
        }
    }

    /// Fetches regex `i`'s anchored program (once per regex and matcher; out of line).
    @inline(never)
    private func loadAnchored(_ i: Int) {
        anchoredLoaded[i] = true
        // Unretained: the compiled rules keep their tables as long as they (and so this matcher) live.
        anchoredTables[i] = compiled.anchoredTable(forRegex: i).map { Unmanaged.passUnretained($0) }
    }

    @inline(__always)
    private func afterMatches(_ id: Int32, at position: Int) -> Bool {
        let i = Int(id)
        if afterStamp[i] == state.pointee.stamp { return afterValue[i] }
        let limit = position + lookAheadLimit
        let e = anchoredEnd(i, at: position, limit: min(limit, state.pointee.textCount))
        if e != -2 {
            afterStamp[i] = state.pointee.stamp
            afterValue[i] = e >= 0
            return e >= 0
        }
        let value: Bool
        if limit < state.pointee.textCount {
            value = regex(id).map { cicu_regex_looking_at_within($0, Int32(position), Int32(limit)) >= 0 } ?? false
        } else {
            value = matchEnd(id, at: position) >= 0
        }
        afterStamp[i] = state.pointee.stamp
        afterValue[i] = value
        return value
    }

    /// The branch tests of split scanner `rule` (`CompiledSRX.branchTable(forRule:)`), kept by
    /// the matcher once fetched so that the lock is taken once per rule and matcher.
    @inline(__always)
    private func branchTable(_ rule: Int) -> RuleTable {
        if let known = branchTables[rule] { return known.takeUnretainedValue() }
        return loadBranchTable(rule)
    }

    @inline(never)
    private func loadBranchTable(_ rule: Int) -> RuleTable {
        let table = compiled.branchTable(forRule: rule)
        // Unretained: the compiled rules keep the table as long as they (and so this matcher) live.
        branchTables[rule] = Unmanaged.passUnretained(table)
        return table
    }

    /// End of a split scanner's match at `index` (see `CompiledRule.scanPrefixRegex`), or -1:
    /// the prefix matches in one way only, so the first branch that matches at its end gives the
    /// whole pattern's match.
    @inline(__always)
    private func splitScannerEnd(_ entry: RuleEntry, rule: Int, at index: Int) -> Int {
        let prefixEnd = matchEnd(entry.scanPrefixRegex, at: index)
        if prefixEnd < 0 { return -1 }
        let branches = branchTable(rule)
        guard let base = state.pointee.textBase else { return -1 }
        let text = UnsafeBufferPointer(start: base, count: state.pointee.textCount)
        let start = Int(entry.scanBranchStart)
        for k in 0..<Int(entry.scanBranchCount) {
            // Branch k of the rule: entry k of its own branch table, regex `branchBase + start + k`.
            guard branches.branchMayMatch(k, at: prefixEnd, in: text) else { continue }
            guard let h = regex(Int32(branchBase + start + k)) else {
                // A branch ICU would not compile alone (never seen): the whole scanner decides.
                if entry.scannerRegex >= 0 { return matchEnd(entry.scannerRegex, at: index) }
                guard entry.scanFallback >= 0 else { return -1 }
                return matchEnd(Int32(branchBase) + entry.scanFallback, at: index)
            }
            let e = Int(cicu_regex_looking_at(h, Int32(prefixEnd)))
            if e >= 0 { return e }
        }
        return -1
    }

    /// The break positions in `text` (UTF-16 offsets, strictly between 0 and `text.count`), sorted.
    func breaks(in text: UnsafeBufferPointer<UInt16>) -> [Int] {
        var result: [Int] = []
        breaks(in: text, into: &result)
        return result
    }

    /// `breaks(in:)` written to `result` (emptied first), whose storage a caller segmenting many
    /// units keeps rather than allocating an array per unit.
    func breaks(in text: UnsafeBufferPointer<UInt16>, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        let n = text.count
        guard n > 0 else { return }
        state.pointee.generation &+= 1
        state.pointee.textBase = text.baseAddress
        state.pointee.textCount = n
        defer { state.pointee.textBase = nil }
        let table = self.table
        let profile = self.profile
        let entries = table.entries

        // Candidates are packed as position << 32 | rule index, so sorting orders them by
        // position, then by rule.
        var hits: [UInt64] = []
        swap(&hits, &state.pointee.hits)
        hits.removeAll(keepingCapacity: true)
        defer {
            // A huge paragraph's buffer is not kept for the (usually short) ones after it.
            if hits.capacity > 1 << 16 { hits = [] }
            swap(&hits, &state.pointee.hits)
        }

        // Break rules whose first characters are known: one pass over the text, an anchored
        // match only where a rule can start. Same result as ICU's search, which tries the same
        // positions in the same order.
        let triggered = table.triggered
        if !triggered.isEmpty {
            // Where each triggered rule may next start (after its last match): kept by the
            // matcher rather than allocated per text, since units are often a sentence long.
            let nextFrom = nextFromBuffer
            nextFrom.initialize(repeating: 0)
            do {
                let triggers = table.triggers
                var s = 0
                while true {
                    s = Self.nextTriggered(from: s, in: text, triggers: triggers)
                    if s >= n { break }
                    var mask = triggers[Int(text[s])]
                    while mask != 0 {
                        let k = mask.trailingZeroBitCount
                        mask &= mask - 1
                        if s < nextFrom[k] { continue }
                        let entry = entries[Int(triggered[k])]
                        // Cheap tests first: the next two units, then a small guard regex.
                        if entry.scanSecondSet >= 0 && (s + 1 >= n || !table.contains(entry.scanSecondSet, text[s + 1])) { continue }
                        if entry.scanThirdSet >= 0 && (s + 2 >= n || !table.contains(entry.scanThirdSet, text[s + 2])) { continue }
                        let started = profile == nil ? 0 : RuleProfile.now()
                        if entry.guardRegex >= 0 && !guardHolds(entry, at: s + 1, in: text) {
                            // The guard's time is the rule's too, though not an evaluation.
                            if let profile { profile.addTime(rule: Int(triggered[k]), nanoseconds: RuleProfile.now() - started) }
                            continue
                        }
                        let e = entry.scanBranchCount > 0 ? splitScannerEnd(entry, rule: Int(triggered[k]), at: s) : matchEnd(entry.scannerRegex, at: s)
                        if let profile { profile.add(rule: Int(triggered[k]), nanoseconds: RuleProfile.now() - started, fired: e >= 0) }
                        if e >= 0 {
                            if e > 0 && e < n { hits.append(UInt64(e) << 32 | UInt64(entry.index)) }
                            nextFrom[k] = e > s ? e : s + 1
                        }
                    }
                    s += 1
                }
            }
        }
        for r in table.searched {
            let entry = entries[Int(r)]
            guard entry.scannerRegex >= 0 else { continue }
            let started = profile == nil ? 0 : RuleProfile.now()
            guard let h = regex(entry.scannerRegex) else { continue }
            var from = 0
            var s: Int32 = 0, e: Int32 = 0
            while from <= n, cicu_regex_find(h, Int32(from), &s, &e) != 0 {
                let p = Int(e)
                if p > 0 && p < n { hits.append(UInt64(p) << 32 | UInt64(entry.index)) }
                from = s == e ? p + 1 : p
            }
            if let profile { profile.add(rule: Int(r), nanoseconds: RuleProfile.now() - started, fired: false) }
        }
        if compiled.useICUBreakRules, let breaker = icuBreaker {
            for var b in breaker.boundaries(text.baseAddress, count: n) where b < n {
                while b > 0 && Self.isJavaWhitespace(text[b - 1]) { b -= 1 }
                if b > 0 { hits.append(UInt64(b) << 32 | UInt64(UInt32.max)) }
            }
        }
        if hits.isEmpty && compiled.maskRegex == nil { return }
        hits.sort()

        var last = -1
        for hit in hits {
            let p = Int(hit >> 32)
            if p == last { continue }
            last = p
            let breakRule = Int32(truncatingIfNeeded: Int64(hit & 0xFFFF_FFFF) > Int64(Int32.max) ? Int64(Int32.max) : Int64(hit & 0xFFFF_FFFF))
            if !vetoed(at: p, before: breakRule, in: text, profile: profile) { result.append(p) }
        }

        if let mask = compiled.maskRegex, let h = regex(Int32(mask)) {
            var from = 0
            var ranges: [Range<Int>] = []
            var s: Int32 = 0, e: Int32 = 0
            while from <= n, cicu_regex_find(h, Int32(from), &s, &e) != 0 {
                if e > s { ranges.append(Int(s)..<Int(e)) }
                from = s == e ? Int(e) + 1 : Int(e)
            }
            if !ranges.isEmpty {
                var set = Set(result)
                for r in ranges {
                    set = set.filter { !($0 > r.lowerBound && $0 < r.upperBound) }
                    if r.lowerBound > 0 { set.insert(r.lowerBound) }
                    if r.upperBound < n { set.insert(r.upperBound) }
                }
                result = set.sorted()
            }
        }
    }

    /// The first offset from `start` on where some triggered rule may start (`text.count` when
    /// none): most units start none, and this loop, small enough to keep its few values in
    /// registers and taking four units per test, is what passes over them.
    @inline(__always)
    private static func nextTriggered(from start: Int, in text: UnsafeBufferPointer<UInt16>, triggers: UnsafeMutablePointer<UInt64>) -> Int {
        guard let base = text.baseAddress else { return text.count }
        let n = text.count
        var s = start
        while s &+ 4 <= n {
            if triggers[Int(base[s])] | triggers[Int(base[s &+ 1])] | triggers[Int(base[s &+ 2])] | triggers[Int(base[s &+ 3])] != 0 { break }
            s &+= 4
        }
        while s < n && triggers[Int(base[s])] == 0 { s &+= 1 }
        return s
    }

    /// True when a no-break rule tried before `breakRule` matches at `p`.
    private func vetoed(at p: Int, before breakRule: Int32, in text: UnsafeBufferPointer<UInt16>, profile: RuleProfile?) -> Bool {
        state.pointee.stamp &+= 1
        let table = self.table
        let entries = table.entries
        let noBreak = table.noBreak
        if p >= 2 && p < text.count {
            // The rules whose tests of the three units around `p` all pass, from the masks;
            // in cascade order, as the loop below would try them.
            let last = vetoMasks(0, text[p - 1]), secondLast = vetoMasks(1, text[p - 2]), first = vetoMasks(2, text[p])
            // A rule's test of the unit third to last is its guard's windows' there, together:
            // when it fails, so does the guard, unless a unit after it is a surrogate (then
            // the guard is left to its program and ICU).
            let thirdUsable = p >= 3 && text[p - 1] & 0xF800 != 0xD800 && text[p - 2] & 0xF800 != 0xD800
            let thirdLast = thirdUsable ? vetoMasks(3, text[p - 3]) : nil
            for w in 0..<vetoTable.words {
                var mask = last[w] & secondLast[w] & first[w]
                if let thirdLast { mask &= thirdLast[w] }
                while mask != 0 {
                    let r = noBreak[64 &* w &+ mask.trailingZeroBitCount]
                    mask &= mask &- 1
                    let entry = entries[Int(r)]
                    if entry.index >= breakRule { return false }
                    if ruleVetoes(entry, rule: r, at: p, in: text, profile: profile) { return true }
                }
            }
            return false
        }
        let previous: UInt16 = p > 0 ? text[p - 1] : 0
        let secondPrevious: UInt16 = p > 1 ? text[p - 2] : 0
        let next: UInt16 = p < text.count ? text[p] : 0
        for r in noBreak {
            let entry = entries[Int(r)]
            if entry.index >= breakRule { break }
            // Cheap tests on the characters around the position first.
            if entry.lastSet >= 0 && (p == 0 || !table.contains(entry.lastSet, previous)) { continue }
            if entry.secondLastSet >= 0 && (p < 2 || !table.contains(entry.secondLastSet, secondPrevious)) { continue }
            if entry.afterFirstSet >= 0 && (p >= text.count || !table.contains(entry.afterFirstSet, next)) { continue }
            if ruleVetoes(entry, rule: r, at: p, in: text, profile: profile) { return true }
        }
        return false
    }

    /// True when no-break rule `entry` (number `rule`), whose tests of the units last, second
    /// to last and first after `p` passed, matches at `p`.
    @inline(__always)
    private func ruleVetoes(_ entry: RuleEntry, rule r: Int32, at p: Int, in text: UnsafeBufferPointer<UInt16>, profile: RuleProfile?) -> Bool {
        let table = self.table
        if entry.afterSecondSet >= 0 && (p + 1 >= text.count || !table.contains(entry.afterSecondSet, text[p + 1])) { return false }
        if entry.afterSkipRunSet >= 0 {
            var q = p
            while q < text.count && table.contains(entry.afterSkipRunSet, text[q]) { q += 1 }
            if q >= text.count || !table.contains(entry.afterSkipNextSet, text[q]) { return false }
        }
        if let profile {
            let started = RuleProfile.now()
            if entry.guardRegex >= 0 && !guardHolds(entry, at: p, in: text) {
                profile.addTime(rule: Int(r), nanoseconds: RuleProfile.now() - started)
                return false
            }
            let vetoes = matches(entry, at: p, in: text)
            profile.add(rule: Int(r), nanoseconds: RuleProfile.now() - started, fired: vetoes)
            return vetoes
        }
        if entry.guardRegex >= 0 && !guardHolds(entry, at: p, in: text) { return false }
        return matches(entry, at: p, in: text)
    }

    /// True when the rule's guard look-behind holds at `p`: read from the units before `p` when
    /// it has a program (most guards fail on the two or three units read, without an ICU call),
    /// by ICU when the program gave up (a surrogate) or only narrows it down.
    @inline(__always)
    private func guardHolds(_ entry: RuleEntry, at p: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        if entry.guardProgram >= 0 {
            // The program's answer when the last two units are no surrogates (it would read them
            // first and give up on one): no match without the unit second to last it needs.
            if entry.guardSecondLastSet >= 0 && p >= 2 {
                let last = text[p - 1], secondLast = text[p - 2]
                if last & 0xF800 != 0xD800 && secondLast & 0xF800 != 0xD800 && !table.contains(entry.guardSecondLastSet, secondLast) { return false }
            }
            if !guardWindowPasses(entry, at: p, in: text) { return false }
            var gaveUp = false
            let found = table.lookBehind(entry.guardProgram, 1, in: text, at: p, gaveUp: &gaveUp) != 0
            if !gaveUp {
                if !found { return false }
                if entry.guardExact { return true }
            }
        }
        // A guard ICU refuses (never seen) is no guard: it only ever rules out a full match.
        guard let h = regex(entry.guardRegex) else { return true }
        return cicu_regex_looking_at(h, Int32(p)) >= 0
    }

    /// True when no-break rule `entry` matches at `p` (after the character prefilters passed).
    @inline(__always)
    private func matches(_ entry: RuleEntry, at p: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        let after = entry.afterRegex
        if after >= 0 && (!entry.beforeFirst || afterStamp[Int(after)] == state.pointee.stamp) {
            // The after test is known already, or is the cheaper one: do it first.
            guard afterMatches(after, at: p) else { return false }
            return beforeMatches(entry, at: p, in: text)
        }
        guard beforeMatches(entry, at: p, in: text) else { return false }
        return after < 0 || afterMatches(after, at: p)
    }

    /// True when the rule's `beforebreak` matches the text ending at `p`.
    @inline(__always)
    private func beforeMatches(_ entry: RuleEntry, at p: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        switch entry.beforeKind {
        case 1:
            return matchEnd(entry.beforeRegex, at: p) >= 0
        case 2:
            return table.wordLists[Int(entry.wordList)]._withUnsafeGuaranteedRef { matcher in
                let wordEnd: Int
                if entry.tailRegex >= 0 {
                    var q = p
                    for _ in 0..<entry.tailAtoms {
                        guard q > 0 else { break }
                        q -= 1
                        if q > 0, text[q] >= 0xDC00, text[q] <= 0xDFFF, text[q - 1] >= 0xD800, text[q - 1] <= 0xDBFF { q -= 1 }
                    }
                    guard matchEnd(entry.tailRegex, at: q) == p else { return false }
                    wordEnd = q
                } else {
                    guard matcher.literalTailMatches(endingAt: p, in: text) else { return false }
                    wordEnd = p - matcher.literalTail.count
                }
                return matcher.matchesWord(endingAt: wordEnd, in: text)
            }
        default:
            return true
        }
    }

    /// Counts time per rule, for `Segmenter.profile(_:)`.
    final class RuleProfile {
        var nanoseconds: [UInt64]
        var calls: [Int]
        var fired: [Int]

        init(rules: Int) {
            nanoseconds = Array(repeating: 0, count: rules)
            calls = Array(repeating: 0, count: rules)
            fired = Array(repeating: 0, count: rules)
        }

        /// Time spent on a rule without evaluating it (its guard failed).
        func addTime(rule: Int, nanoseconds ns: UInt64) {
            nanoseconds[rule] += ns
        }

        func add(rule: Int, nanoseconds ns: UInt64, fired didFire: Bool) {
            nanoseconds[rule] += ns
            calls[rule] += 1
            if didFire { fired[rule] += 1 }
        }

        static func now() -> UInt64 {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        }
    }

    /// `Character.isWhitespace` in Java: Unicode spaces except the no-break ones, plus controls.
    @inline(__always)
    static func isJavaWhitespace(_ u: UInt16) -> Bool {
        switch u {
        case 0x09...0x0D, 0x1C...0x20, 0x1680, 0x2000...0x2006, 0x2008...0x200A, 0x2028, 0x2029, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

/// Bit masks per UTF-16 unit and place (`places` × 65,536 rows of `words` words), each row filled
/// in by its owner the first time the unit is met there (`isFilled`, `markFilled`): the no-break
/// rules' and the guard windows' tables of `SRXMatcher`. Zeroed lazily (`ZeroedPages`): only the
/// pages of units actually met are touched.
struct UnitMasks {
    /// Words per row (at least one).
    let words: Int
    private let masks: UnsafeMutablePointer<UInt64>
    /// Bit u of place p's 1,024 words: unit u's row at p is filled in.
    private let filled: UnsafeMutablePointer<UInt64>
    private let maskBytes: Int
    private let filledBytes: Int

    init(places: Int, words: Int) {
        self.words = max(1, words)
        maskBytes = places * 65536 * self.words * MemoryLayout<UInt64>.stride
        filledBytes = places * 1024 * MemoryLayout<UInt64>.stride
        masks = ZeroedPages.allocate(maskBytes).bindMemory(to: UInt64.self, capacity: places * 65536 * self.words)
        filled = ZeroedPages.allocate(filledBytes).bindMemory(to: UInt64.self, capacity: places * 1024)
    }

    /// Frees the masks (in the owner's `deinit`).
    func deallocate() {
        ZeroedPages.deallocate(masks, maskBytes)
        ZeroedPages.deallocate(filled, filledBytes)
    }

    /// True once unit `unit`'s row at `place` has been filled in.
    @inline(__always) func isFilled(_ place: Int, _ unit: UInt16) -> Bool {
        let u = Int(unit)
        return filled[place &* 1024 &+ u >> 6] & (1 << UInt64(u & 63)) != 0
    }

    /// Records that unit `unit`'s row at `place` is filled in.
    @inline(__always) func markFilled(_ place: Int, _ unit: UInt16) {
        let u = Int(unit)
        filled[place &* 1024 &+ u >> 6] |= 1 << UInt64(u & 63)
    }

    /// Unit `unit`'s row at `place`.
    @inline(__always) func row(_ place: Int, _ unit: UInt16) -> UnsafeMutablePointer<UInt64> {
        masks + (place &* 65536 &+ Int(unit)) &* words
    }
}

/// Large zeroed tables mapped straight from the kernel, which zeroes each page when it is first
/// touched: tables indexed by UTF-16 unit (megabytes, of which a text touches a few pages). Not
/// calloc: with the allocator tuned to keep freed memory (`verso_keep_freed_memory`), calloc
/// served them from the heap and cleared every byte, a twentieth of a one-file run.
enum ZeroedPages {
    /// `bytes` zeroed bytes, page-aligned.
    static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        // Out of address space, like the allocator's failure before: nothing sensible to do.
        guard let mapped, mapped != MAP_FAILED else { fatalError("cannot map \(bytes) bytes for a segmentation table") }
        return mapped
    }

    /// Unmaps what `allocate(bytes)` mapped.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, _ bytes: Int) {
        munmap(pointer, bytes)
    }
}
