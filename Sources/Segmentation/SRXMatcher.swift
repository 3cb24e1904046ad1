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
    private let compiled: CompiledSRX
    private let regexes: [ICURegex]
    private var regexGeneration: [Int]
    private var generation = 0
    private var textBase: UnsafePointer<UInt16>?
    private var textCount = 0
    private var afterStamp: [Int]
    private var afterValue: [Bool]
    private var stamp = 0
    private lazy var icuBreaker: ICUSentenceBreaker? = ICUSentenceBreaker(locale: compiled.icuLocale)
    private var hits: [UInt64] = []

    init(compiled: CompiledSRX) {
        self.compiled = compiled
        regexes = compiled.templates.map { $0.clone() }
        regexGeneration = Array(repeating: -1, count: regexes.count)
        afterStamp = Array(repeating: -1, count: regexes.count)
        afterValue = Array(repeating: false, count: regexes.count)
    }

    @inline(__always)
    private func regex(_ id: Int) -> ICURegex {
        let r = regexes[id]
        if regexGeneration[id] != generation {
            r.setText(textBase, count: textCount)
            regexGeneration[id] = generation
        }
        return r
    }

    @inline(__always)
    private func afterMatches(_ id: Int, at position: Int) -> Bool {
        if afterStamp[id] == stamp { return afterValue[id] }
        let value = regex(id).matches(at: position)
        afterStamp[id] = stamp
        afterValue[id] = value
        return value
    }

    /// The break positions in `text` (UTF-16 offsets, strictly between 0 and `text.count`), sorted.
    func breaks(in text: UnsafeBufferPointer<UInt16>) -> [Int] {
        let n = text.count
        guard n > 0 else { return [] }
        generation &+= 1
        textBase = text.baseAddress
        textCount = n
        defer { textBase = nil }

        let rules = compiled.rules
        hits.removeAll(keepingCapacity: true)
        // Candidates are packed as position << 32 | rule index, so sorting orders them by
        // position, then by rule.
        for ruleIndex in compiled.breakRuleIndexes {
            let rule = rules[ruleIndex]
            guard let scanner = rule.scannerRegex else { continue }
            let re = regex(scanner)
            var from = 0
            while from <= n, let match = re.firstMatch(from: from) {
                let p = match.upperBound
                if p > 0 && p < n { hits.append(UInt64(p) << 32 | UInt64(rule.index)) }
                from = match.isEmpty ? p + 1 : p
            }
        }
        if compiled.useICUBreakRules, let breaker = icuBreaker {
            for var b in breaker.boundaries(text.baseAddress, count: n) where b < n {
                while b > 0 && Self.isJavaWhitespace(text[b - 1]) { b -= 1 }
                if b > 0 { hits.append(UInt64(b) << 32 | UInt64(UInt32.max)) }
            }
        }
        if hits.isEmpty && compiled.maskRegex == nil { return [] }
        hits.sort()

        var result: [Int] = []
        var last = -1
        for hit in hits {
            let p = Int(hit >> 32)
            if p == last { continue }
            last = p
            let breakRule = Int(hit & 0xFFFF_FFFF)
            if !vetoed(at: p, before: breakRule, in: text) { result.append(p) }
        }

        if let mask = compiled.maskRegex {
            let re = regex(mask)
            var from = 0
            var ranges: [Range<Int>] = []
            while from <= n, let match = re.firstMatch(from: from) {
                if !match.isEmpty { ranges.append(match) }
                from = match.isEmpty ? match.upperBound + 1 : match.upperBound
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
        return result
    }

    /// True when a no-break rule tried before `breakRule` matches at `p`.
    private func vetoed(at p: Int, before breakRule: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        stamp &+= 1
        let rules = compiled.rules
        for ruleIndex in compiled.noBreakRuleIndexes {
            let rule = rules[ruleIndex]
            if rule.index >= breakRule { break }
            if let after = rule.afterRegex, !afterMatches(after, at: p) { continue }
            switch rule.before {
            case .always:
                return true
            case .lookBehind(let id):
                if regex(id).matches(at: p) { return true }
            case .wordList(let matcherID, let tailRegex, let tailAtoms):
                let matcher = compiled.wordLists[matcherID]
                let wordEnd: Int
                if let tailRegex {
                    var q = p
                    for _ in 0..<tailAtoms {
                        guard q > 0 else { break }
                        q -= 1
                        if q > 0, text[q] >= 0xDC00, text[q] <= 0xDFFF, text[q - 1] >= 0xD800, text[q - 1] <= 0xDBFF { q -= 1 }
                    }
                    guard regex(tailRegex).matchEnd(at: q) == p else { continue }
                    wordEnd = q
                } else {
                    guard matcher.literalTailMatches(endingAt: p, in: text) else { continue }
                    wordEnd = p - matcher.literalTail.count
                }
                if matcher.matchesWord(endingAt: wordEnd, in: text) { return true }
            }
        }
        return false
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
