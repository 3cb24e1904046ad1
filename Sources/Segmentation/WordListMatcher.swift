/// A fast evaluator for the most common shape of `beforebreak` pattern, a list of abbreviations:
/// `\b(?:Mr|Mrs|Dr|av|apr)\.` (optionally `(?i)`, optional letters `ave?`, small classes
/// `in[gtvf]`, and a short fixed-width tail such as `\.` or `\.[\s\u00A0]`).
///
/// ICU evaluates such an alternation inside a look-behind by trying every alternative at every
/// possible start, about a microsecond per check with a hundred words; this walks a reversed trie
/// from the break position instead (tens of nanoseconds). The answer is the same as ICU's: the
/// word must end where the tail starts, and `\b` must hold before the word.
final class WordListMatcher: @unchecked Sendable {
    // @unchecked: immutable after init.
    /// Trie over the words read backwards, node 0 the root, laid out flat: node n's edges are
    /// `edgeStart[n]..<edgeStart[n + 1]`, their units sorted in `edgeUnits`, the nodes they lead
    /// to in `edgeTargets`. Raw buffers rather than an array of dictionaries: each candidate
    /// break walks it, and a dictionary lookup cost a hash and a reference count per unit.
    private let edgeStart: UnsafeMutablePointer<Int32>
    private let edgeUnits: UnsafeMutablePointer<UInt16>
    private let edgeTargets: UnsafeMutablePointer<Int32>
    private let terminal: UnsafeMutablePointer<Bool>
    private let nodeCount: Int
    /// Case-insensitive (`(?i)`): words and text are compared case-folded.
    let caseInsensitive: Bool
    /// Literal tail after the word (compared exactly, or folded when case-insensitive).
    let literalTail: [UInt16]
    /// A tail that is not a plain literal: its ICU pattern (fixed width `tailWidth`), checked with
    /// an anchored match that must end at the break position.
    let tailPattern: String?
    /// Width of the tail in UTF-16 units.
    let tailWidth: Int
    /// The pattern starts with `\b`.
    let requiresBoundary: Bool
    /// Longest word, in UTF-16 units.
    let maxWordLength: Int

    init(words: Set<[UInt16]>, caseInsensitive: Bool, literalTail: [UInt16], tailPattern: String?, tailWidth: Int, requiresBoundary: Bool) {
        var children: [[UInt16: Int32]] = [[:]]
        var terminal: [Bool] = [false]
        var maxWordLength = 0
        self.caseInsensitive = caseInsensitive
        self.literalTail = literalTail
        self.tailPattern = tailPattern
        self.tailWidth = tailWidth
        self.requiresBoundary = requiresBoundary
        for word in words {
            var node = 0
            for unit in word.reversed() {
                let key = caseInsensitive ? Self.fold(unit) : unit
                if let next = children[node][key] {
                    node = Int(next)
                } else {
                    children.append([:])
                    terminal.append(false)
                    let id = Int32(children.count - 1)
                    children[node][key] = id
                    node = Int(id)
                }
            }
            terminal[node] = true
            maxWordLength = max(maxWordLength, word.count)
        }
        nodeCount = children.count
        let edgeCount = children.reduce(0) { $0 + $1.count }
        edgeStart = .allocate(capacity: nodeCount + 1)
        edgeUnits = .allocate(capacity: max(1, edgeCount))
        edgeTargets = .allocate(capacity: max(1, edgeCount))
        self.terminal = .allocate(capacity: nodeCount)
        var e = 0
        for (n, edges) in children.enumerated() {
            (edgeStart + n).initialize(to: Int32(e))
            for (unit, target) in edges.sorted(by: { $0.key < $1.key }) {
                (edgeUnits + e).initialize(to: unit)
                (edgeTargets + e).initialize(to: target)
                e += 1
            }
            (self.terminal + n).initialize(to: terminal[n])
        }
        (edgeStart + nodeCount).initialize(to: Int32(e))
        self.maxWordLength = maxWordLength
    }

    deinit {
        edgeStart.deallocate()
        edgeUnits.deallocate()
        edgeTargets.deallocate()
        terminal.deallocate()
    }

    /// The node the edge labelled `unit` leads to from `node`, or -1.
    @inline(__always)
    private func child(_ node: Int, _ unit: UInt16) -> Int {
        var low = Int(edgeStart[node]), high = Int(edgeStart[node + 1])
        // Binary search down to a few edges, then a scan.
        while high - low > 8 {
            let mid = (low + high) / 2
            if edgeUnits[mid] <= unit { low = mid } else { high = mid }
        }
        while low < high {
            if edgeUnits[low] == unit { return Int(edgeTargets[low]) }
            low += 1
        }
        return -1
    }

    @inline(__always)
    static func fold(_ unit: UInt16) -> UInt16 {
        if unit < 0x80 {
            return (unit >= 0x41 && unit <= 0x5A) ? unit + 32 : unit
        }
        if unit >= 0xD800 && unit <= 0xDFFF { return unit }
        let folded = ICUCharacters.fold(UInt32(unit))
        return folded <= 0xFFFF ? UInt16(folded) : unit
    }

    /// True when some word of the list, preceded by a word boundary when required, ends at `end`
    /// (the position where the tail starts).
    func matchesWord(endingAt end: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        var node = 0
        var i = end
        while i > 0 {
            let unit = caseInsensitive ? Self.fold(text[i - 1]) : text[i - 1]
            let next = child(node, unit)
            if next < 0 { return false }
            node = next
            i -= 1
            if terminal[node] && (!requiresBoundary || WordBoundary.isBoundary(at: i, in: text)) {
                return true
            }
        }
        return false
    }

    /// True when the literal tail ends at `position` (always true for a pattern tail, which the
    /// caller checks with ICU).
    @inline(__always)
    func literalTailMatches(endingAt position: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        let start = position - literalTail.count
        guard start >= 0 else { return false }
        for (k, unit) in literalTail.enumerated() {
            let t = text[start + k]
            if caseInsensitive ? Self.fold(t) != Self.fold(unit) : t != unit { return false }
        }
        return true
    }
}

/// ICU's `\b` (without the UWORD flag): a boundary between a word character and a non-word
/// character, where combining marks and format characters belong to the character before them.
enum WordBoundary {
    /// ICU's word set: `[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]`.
    @inline(__always)
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        if v == 0x200C || v == 0x200D { return true }
        let p = scalar.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    @inline(__always)
    private static func isExtending(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x300 { return false }
        let p = scalar.properties
        return p.isGraphemeExtend || p.generalCategory == .format
    }

    /// The scalar starting at `index` (a lone surrogate reads as U+FFFD).
    @inline(__always)
    static func scalar(at index: Int, in text: UnsafeBufferPointer<UInt16>) -> Unicode.Scalar {
        let u = text[index]
        if u < 0xD800 || u > 0xDFFF { return Unicode.Scalar(u)! }
        if u <= 0xDBFF, index + 1 < text.count {
            let low = text[index + 1]
            if low >= 0xDC00 && low <= 0xDFFF {
                return Unicode.Scalar(0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(low) - 0xDC00))!
            }
        }
        return "\u{FFFD}"
    }

    /// The scalar ending just before `index`.
    @inline(__always)
    static func scalar(before index: Int, in text: UnsafeBufferPointer<UInt16>) -> (Unicode.Scalar, Int) {
        let u = text[index - 1]
        if u >= 0xDC00 && u <= 0xDFFF && index >= 2 {
            let high = text[index - 2]
            if high >= 0xD800 && high <= 0xDBFF {
                return (Unicode.Scalar(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(u) - 0xDC00))!, index - 2)
            }
        }
        if u >= 0xD800 && u <= 0xDFFF { return ("\u{FFFD}", index - 1) }
        return (Unicode.Scalar(u)!, index - 1)
    }

    /// ICU's `\b` at `index`.
    static func isBoundary(at index: Int, in text: UnsafeBufferPointer<UInt16>) -> Bool {
        var currentIsWord = false
        if index < text.count {
            let c = scalar(at: index, in: text)
            if isExtending(c) { return false }
            currentIsWord = isWordCharacter(c)
        }
        var previousIsWord = false
        var i = index
        while i > 0 {
            let (p, start) = scalar(before: i, in: text)
            if !isExtending(p) {
                previousIsWord = isWordCharacter(p)
                break
            }
            i = start
        }
        return currentIsWord != previousIsWord
    }
}

/// Recognises word-list patterns (see `WordListMatcher`) in a translated ICU pattern.
enum WordListPattern {
    /// The parts of a recognised pattern.
    struct Shape {
        var words: Set<[UInt16]>
        var caseInsensitive: Bool
        var requiresBoundary: Bool
        /// The tail as a list of single-character atoms (ICU syntax), each of width one.
        var tailAtoms: [String]
        /// The tail's characters when every atom is a literal.
        var literalTail: [UInt16]?
    }

    private static let maxWords = 4096

    /// Recognises `(?i)?\b(?:w1|w2|…)TAIL`; nil for anything else.
    static func recognise(_ pattern: String) -> Shape? {
        var s = Array(pattern.unicodeScalars)
        var caseInsensitive = false
        if s.starts(with: Array("(?i)".unicodeScalars)) {
            caseInsensitive = true
            s.removeFirst(4)
        }
        var requiresBoundary = false
        if s.starts(with: Array("\\b".unicodeScalars)) {
            requiresBoundary = true
            s.removeFirst(2)
        }
        guard requiresBoundary else { return nil }
        // group: ( or (?:  — or a single bare word followed by the tail
        var i = 0
        var inner: [Unicode.Scalar]
        if s.first == "(" {
            var start = 1
            if s.count > 2 && s[1] == "?" {
                if s[2] == ":" { start = 3 }
                else if s.count > 4, s[2] == "i", s[3] == ":" { caseInsensitive = true; start = 4 }
                else { return nil }
            }
            // find the matching ')'
            var depth = 0
            var j = 0
            var close = -1
            while j < s.count {
                let c = s[j]
                if c == "\\" { j += 2; continue }
                if c == "[" {
                    while j < s.count && s[j] != "]" { if s[j] == "\\" { j += 1 }; j += 1 }
                    j += 1
                    continue
                }
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1; if depth == 0 { close = j; break } }
                j += 1
            }
            guard close > 0 else { return nil }
            inner = Array(s[start..<close])
            i = close + 1
            // a quantifier on the group is not a word list
            if i < s.count, ["?", "*", "+", "{"].contains(s[i]) { return nil }
        } else {
            return nil
        }
        // Alternatives inside the group, split on top-level '|'
        var words = Set<[UInt16]>()
        var alternative: [Unicode.Scalar] = []
        var alternatives: [[Unicode.Scalar]] = []
        var k = 0
        while k < inner.count {
            let c = inner[k]
            if c == "\\" && k + 1 < inner.count { alternative.append(c); alternative.append(inner[k + 1]); k += 2; continue }
            if c == "[" {
                while k < inner.count && inner[k] != "]" { alternative.append(inner[k]); if inner[k] == "\\" && k + 1 < inner.count { k += 1; alternative.append(inner[k]) }; k += 1 }
                if k < inner.count { alternative.append(inner[k]) }
                k += 1
                continue
            }
            if c == "(" || c == ")" { return nil }
            if c == "|" { alternatives.append(alternative); alternative = []; k += 1; continue }
            alternative.append(c)
            k += 1
        }
        alternatives.append(alternative)
        for alt in alternatives {
            guard let expanded = expand(alt), !expanded.isEmpty else { return nil }
            for w in expanded {
                guard !w.isEmpty else { return nil }
                words.insert(w)
            }
            if words.count > maxWords { return nil }
        }
        // Tail: single-width atoms only
        let tailScalars = Array(s[i...])
        guard let atoms = tailAtoms(tailScalars), !atoms.isEmpty else { return nil }
        var literal: [UInt16]? = []
        for atom in atoms {
            if let c = literalCharacter(atom) { literal?.append(contentsOf: Array(String(c).utf16)) } else { literal = nil }
        }
        return Shape(words: words, caseInsensitive: caseInsensitive, requiresBoundary: requiresBoundary, tailAtoms: atoms, literalTail: literal)
    }

    /// The character an atom stands for when it is a literal (`\.` → `.`, `x` → `x`).
    private static func literalCharacter(_ atom: String) -> Unicode.Scalar? {
        let s = Array(atom.unicodeScalars)
        if s.count == 1, !"[](){}.*+?|^$\\".unicodeScalars.contains(s[0]) { return s[0] }
        if s.count == 2, s[0] == "\\", !(s[1].properties.isAlphabetic || ("0"..."9").contains(s[1])) { return s[1] }
        if atom.hasPrefix("\\u"), s.count == 6, let v = UInt32(String(String.UnicodeScalarView(s[2...])), radix: 16) { return Unicode.Scalar(v) }
        if atom.hasPrefix("\\x{"), atom.hasSuffix("}"), let v = UInt32(String(String.UnicodeScalarView(s[3..<(s.count - 1)])), radix: 16) { return Unicode.Scalar(v) }
        return nil
    }

    /// Splits a tail into atoms of width one: literals, escapes, classes. Nil when some piece is
    /// not of width one (a quantifier, a group, an anchor other than none).
    private static func tailAtoms(_ s: [Unicode.Scalar]) -> [String]? {
        var atoms: [String] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                guard i + 1 < s.count else { return nil }
                let e = s[i + 1]
                if e == "u" {
                    guard i + 5 < s.count else { return nil }
                    atoms.append(String(String.UnicodeScalarView(s[i...(i + 5)]))); i += 6
                } else if e == "x" && i + 2 < s.count && s[i + 2] == "{" {
                    guard let close = s[(i + 2)...].firstIndex(of: "}") else { return nil }
                    atoms.append(String(String.UnicodeScalarView(s[i...close]))); i = close + 1
                } else if e == "p" || e == "P" {
                    guard i + 2 < s.count, s[i + 2] == "{", let close = s[(i + 2)...].firstIndex(of: "}") else { return nil }
                    atoms.append(String(String.UnicodeScalarView(s[i...close]))); i = close + 1
                } else if "bBAzZG123456789kQE".unicodeScalars.contains(e) {
                    return nil // zero width or variable width
                } else {
                    atoms.append(String(String.UnicodeScalarView(s[i...(i + 1)]))); i += 2
                }
            case "[":
                var j = i + 1
                var depth = 1
                while j < s.count && depth > 0 {
                    if s[j] == "\\" { j += 2; continue }
                    if s[j] == "[" { depth += 1 }
                    if s[j] == "]" { depth -= 1 }
                    j += 1
                }
                guard depth == 0 else { return nil }
                atoms.append(String(String.UnicodeScalarView(s[i..<j]))); i = j
            case "(", ")", "|", "*", "+", "?", "{", "}", "^", "$":
                return nil
            case ".":
                atoms.append("."); i += 1
            default:
                atoms.append(String(c)); i += 1
            }
            // a quantifier after the atom makes the width variable
            if i < s.count, ["?", "*", "+", "{"].contains(s[i]) { return nil }
        }
        return atoms
    }

    /// All strings an alternative stands for: literals, escaped punctuation, `x?`, `[abc]`.
    private static func expand(_ alt: [Unicode.Scalar]) -> [[UInt16]]? {
        var results: [[UInt16]] = [[]]
        var i = 0
        while i < alt.count {
            var choices: [[UInt16]] = []
            let c = alt[i]
            if c == "\\" {
                guard i + 1 < alt.count else { return nil }
                let e = alt[i + 1]
                if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                    if e == "u", i + 5 < alt.count, let v = UInt32(String(String.UnicodeScalarView(alt[(i + 2)...(i + 5)])), radix: 16), let sc = Unicode.Scalar(v) {
                        choices = [Array(String(sc).utf16)]; i += 6
                    } else {
                        return nil
                    }
                } else {
                    choices = [Array(String(e).utf16)]; i += 2
                }
            } else if c == "[" {
                var j = i + 1
                guard j < alt.count, alt[j] != "^" else { return nil }
                var set: [[UInt16]] = []
                while j < alt.count && alt[j] != "]" {
                    if alt[j] == "\\" {
                        guard j + 1 < alt.count else { return nil }
                        let e = alt[j + 1]
                        if e.properties.isAlphabetic || ("0"..."9").contains(e) { return nil }
                        set.append(Array(String(e).utf16)); j += 2; continue
                    }
                    if alt[j] == "-" || alt[j] == "[" || alt[j] == "&" { return nil }
                    set.append(Array(String(alt[j]).utf16)); j += 1
                }
                guard j < alt.count else { return nil }
                choices = set
                i = j + 1
            } else if ".*+{}()|^$".unicodeScalars.contains(c) {
                return nil
            } else if c == "?" {
                return nil
            } else {
                choices = [Array(String(c).utf16)]; i += 1
            }
            var optional = false
            if i < alt.count && alt[i] == "?" { optional = true; i += 1 }
            if i < alt.count, ["*", "+", "{"].contains(alt[i]) { return nil }
            if optional { choices.append([]) }
            var next: [[UInt16]] = []
            for r in results { for ch in choices { next.append(r + ch) } }
            results = next
            if results.count > maxWords { return nil }
        }
        return results
    }
}
