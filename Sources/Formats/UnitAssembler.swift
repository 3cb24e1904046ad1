import TranslationModel
import XMLSupport

/// One character of source text with the original text it was read from, or original text that
/// stands for no character at all (`scalar` nil: bytes a parser dropped).
struct SourceAtom {
    var scalar: Unicode.Scalar?
    /// The original text, when it is not simply `scalar` written as itself. Nil in the common
    /// case (a character standing for itself), which then costs no `String` of its own: reading
    /// HTML makes an atom per character, and their strings were a tenth of the time.
    private var spelling: String?

    /// An atom whose original text is `raw`.
    init(scalar: Unicode.Scalar?, raw: String) {
        self.scalar = scalar
        spelling = raw
    }

    /// A character written as itself.
    init(literal scalar: Unicode.Scalar) {
        self.scalar = scalar
        spelling = nil
    }

    /// The original text.
    var raw: String {
        if let spelling { return spelling }
        if let scalar { return String(scalar) }
        return ""
    }

    /// True when the original text is the character itself.
    var isLiteral: Bool { spelling == nil && scalar != nil }
}

/// An inline code being built, with the original text it stands for and the nested units
/// (attribute values) translated inside it.
struct PendingCode {
    var code: InlineCode
    var raw: String
    /// Ranges of `raw` (UTF-16) replaced on merge by a nested unit's translation.
    var nested: [(utf16Range: Range<Int>, layout: UnitLayout)] = []
}

/// How a merge writes a character by default in one context; the reader records every place the
/// original differs from this, and the merge writes untranslated text the same way.
struct SpellingPolicy {
    enum Context: Equatable {
        /// Plain text: only line endings change.
        case plainText
        /// HTML element content.
        case htmlContent
        /// An HTML attribute value inside this quote ("" for unquoted).
        case htmlAttribute(quote: String)
    }

    var context: Context
    var newline: String

    /// The default spelling of a character.
    func spell(_ s: Unicode.Scalar) -> String {
        if s == "\n" { return newline }
        switch context {
        case .plainText:
            return String(s)
        case .htmlContent:
            if s == "&" { return "&amp;" }
            if s == "<" { return "&lt;" }
            return String(s)
        case .htmlAttribute(let quote):
            if s == "&" { return "&amp;" }
            if s == "\"" && quote == "\"" { return "&quot;" }
            if s == "'" && quote == "'" { return "&#39;" }
            return String(s)
        }
    }

    /// True when `s` written as itself is its default spelling (all but line breaks and the
    /// characters markup escapes).
    func isDefault(literal s: Unicode.Scalar) -> Bool {
        if s != "\n" && s != "&" && s != "<" && s != "\"" && s != "'" { return true }
        return isDefault(s, String(s))
    }

    /// True when `raw` is exactly the default spelling of `s` (cheap check for the common case).
    func isDefault(_ s: Unicode.Scalar, _ raw: String) -> Bool {
        if s != "\n" && s != "&" && s != "<" && s != "\"" && s != "'" {
            return raw.unicodeScalars.count == 1 && raw.unicodeScalars.first == s
        }
        return raw == spell(s)
    }
}

/// What became of the text between two unit boundaries.
enum AssembledUnit {
    /// No translatable text: all of it is skeleton.
    case skeleton([SkeletonEntry])
    /// A unit, with the skeleton before it (leading whitespace, enclosing tags…), its layout and
    /// the skeleton after it.
    case unit(content: Content, layout: UnitLayout, nested: [UnitLayout], leading: [SkeletonEntry], trailing: [SkeletonEntry])
}

/// Collects the text and codes of one unit as a reader meets them, then decides what the
/// translator sees (trimmed, whitespace collapsed unless preformatted) and records how the
/// original spelled everything, so that merge restores it exactly.
///
/// Text is kept in runs: character data whose every character is written as itself is one
/// `.text` item, however long. Only characters spelled otherwise (`&eacute;`, a carriage
/// return, a character XML cannot carry, bytes the parser dropped) are atoms of their own. An
/// item per character was most of the cost of reading HTML (an enum, a copy and a release each).
struct UnitAssembler {
    enum Item {
        /// Characters each written as itself. Never holds a carriage return or a character XML
        /// cannot carry: those are atoms, so that only atoms need line-break normalisation and
        /// substitution. A `Substring`, so that trimming and collapsing split it without copies.
        /// `collapsed` is true when the run is known to hold no tab, no line feed and no two
        /// spaces in a row (learnt when it was appended, whose scan reads every byte anyway), so
        /// that collapsing whitespace need not read it again; false when it may hold one. A part
        /// of a run keeps its flag (a part of a collapsed run is collapsed too). `facts` also
        /// carries the run's UTF-16 length when the same scan learnt it (`RunFacts`).
        case text(Substring, facts: RunFacts)
        case atom(SourceAtom)
        // Indirect: a code is ten times the size of an atom, and most items are text or atoms;
        // inline, every item would take a code's 272 bytes (measured).
        indirect case code(PendingCode)
    }

    /// What the scan of a run's bytes as it was appended learnt of it, so that ending the unit
    /// need not read them again.
    struct RunFacts {
        /// No tab, no line feed and no two spaces in a row (see `Item.text`).
        var collapsed: Bool
        /// The run's UTF-16 length when it holds no `&`, `<` or line feed (the characters of
        /// element content that may need a substitution), else -1: `measureRun` then reads it.
        var plainUTF16: Int32

        /// Facts of a part of the run: as collapsed, of a length not known.
        var part: RunFacts { RunFacts(collapsed: collapsed, plainUTF16: -1) }
    }

    private(set) var items: [Item] = []
    private var nextCodeID = 1
    /// Whitespace that came first (`holdLeadingBlank`), not yet an item: most often the line
    /// break and indentation between two block tags, which the next block boundary sends to
    /// the skeleton as it is (`takeLoneBlank`) without the whole of `finish`. Anything else
    /// added after it makes it the first item, as if it had been appended.
    private var leadingBlank: Substring?

    /// True when nothing was added since the last `finish()`.
    var isEmpty: Bool { items.isEmpty && leadingBlank == nil }

    /// Takes `text` aside when nothing came before it and it is only spaces, tabs and line
    /// feeds; false (nothing done) otherwise, and the caller appends it as usual.
    mutating func holdLeadingBlank(_ text: String) -> Bool {
        guard items.isEmpty, leadingBlank == nil, !text.isEmpty else { return false }
        let blank = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy(Self.isRunSpace)
        }
        guard blank == true else { return false }
        leadingBlank = Substring(text)
        return true
    }

    /// The held whitespace when it is all there is (the unit then ends as that skeleton text,
    /// what `finish` would make of it), resetting the assembler; nil otherwise.
    mutating func takeLoneBlank() -> Substring? {
        guard items.isEmpty, let blank = leadingBlank else { return nil }
        leadingBlank = nil
        nextCodeID = 1
        return blank
    }

    /// Makes the held whitespace the first item, before something else is added.
    @inline(__always)
    private mutating func releaseLeadingBlank() {
        guard let blank = leadingBlank else { return }
        leadingBlank = nil
        items.append(.text(blank, facts: Self.withUTF8(blank, Self.scanRun) ?? RunFacts(collapsed: false, plainUTF16: -1)))
    }

    /// True when a non-whitespace character was added.
    var hasText: Bool { items.contains(where: Self.hasVisible) }

    /// A fresh id for an inline code of this unit.
    mutating func makeCodeID() -> String {
        defer { nextCodeID += 1 }
        return String(nextCodeID)
    }

    mutating func append(_ atom: SourceAtom) {
        releaseLeadingBlank()
        if let s = atom.scalar, !XMLCharacters.isAllowed(s) {
            // XML cannot carry it: keep the original text, show the translator nothing.
            items.append(.atom(SourceAtom(scalar: nil, raw: atom.raw)))
        } else {
            items.append(.atom(atom))
        }
    }

    mutating func append(atoms: [SourceAtom]) {
        for a in atoms { append(a) }
    }

    /// Appends text whose every character is written as itself (no reference in it): one run,
    /// unless it holds a carriage return or a character XML cannot carry (then atoms).
    mutating func append(literal text: String) {
        append(literal: Substring(text))
    }

    /// Appends a stretch of text whose every character is written as itself (see
    /// `append(literal:)` for a whole string).
    mutating func append(literal run: Substring) {
        guard !run.isEmpty else { return }
        releaseLeadingBlank()
        if let facts = Self.withUTF8(run, Self.scanRun) {
            items.append(.text(run, facts: facts))
        } else {
            for s in run.unicodeScalars { append(SourceAtom(literal: s)) }
        }
    }

    mutating func append(_ code: PendingCode) {
        releaseLeadingBlank()
        items.append(.code(code))
    }

    /// Appends original text to the last code (a protected region being read).
    mutating func appendToLastCode(_ raw: String) {
        releaseLeadingBlank()
        guard case .code(var c)? = items.last else {
            // Not expected (a protected region always starts with its code); never lose text.
            items.append(.atom(SourceAtom(scalar: nil, raw: raw)))
            return
        }
        c.raw += raw
        c.code.originalData = c.raw
        items[items.count - 1] = .code(c)
    }

    /// True for a character a reader sees: text made only of spaces, no-break spaces and
    /// zero-width characters (`<td>&nbsp;</td>`) is layout, not something to translate.
    static func isVisible(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return !isHTMLSpace(s) }
        if s.value == 0x200B || s.value == 0x200C || s.value == 0x200D || s.value == 0xFEFF || s.value == 0x2060 { return false }
        return !s.properties.isWhitespace
    }

    static func isHTMLSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0C}"
    }

    /// The HTML spaces a run can hold (carriage returns and form feeds are atoms).
    @inline(__always)
    private static func isRunSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A
    }

    /// True when the item holds a character a reader sees.
    private static func hasVisible(_ item: Item) -> Bool {
        switch item {
        case .text(let run, _):
            // From the bytes while they are ASCII (nearly always up to the first visible one);
            // the scalars' properties only past a non-ASCII byte.
            switch asciiPrefix(run, fromEnd: false) {
            case .visible: return true
            case .allInvisible: return false
            case .undecided: return run.unicodeScalars.contains(where: isVisible)
            }
        case .atom(let a): return a.scalar.map(isVisible) ?? false
        case .code: return false
        }
    }

    /// Nil unless the bytes may form a run (no C0 control but TAB and LF, no U+FFFE/U+FFFF);
    /// else their facts, first whether they hold no tab, no line feed and no two spaces in a
    /// row (`RunFacts.collapsed`). Eight bytes at a time: only a word with a byte below 0x20 or an 0xEF (the
    /// lead byte of U+FFFE/U+FFFF) is looked at byte by byte, and most text has neither; two
    /// spaces in a row are found in the word itself (and across words by their edge bytes).
    ///
    /// The same pass measures the run for `RunFacts.plainUTF16` (what `measureRun` would count,
    /// summed in byte lanes as there) and looks for `&`, `<` and line feeds, so that most runs
    /// are read once, not again when the unit ends.
    private static func scanRun(_ bytes: UnsafeBufferPointer<UInt8>) -> RunFacts? {
        let n = bytes.count
        var i = 0
        let base = UnsafeRawPointer(bytes.baseAddress)
        var collapsed = true
        // 0x80 when the byte before `i` is a space (the high bit of its byte in a zero-byte mask).
        var previousSpace: UInt64 = 0
        var utf16 = 0
        var lanes: UInt64 = 0
        var words = 0
        // Non-zero once a word held `&` or `<`; `special` once a byte looked at alone was one
        // of them or a line feed.
        var ampOrLess: UInt64 = 0
        var special = false
        while i < n {
            var end = i + 1
            if i + 8 <= n, let base {
                // Little-endian order whatever the machine: the first byte is the lowest.
                let w = UInt64(littleEndian: UTF8Words.load(base, i))
                // An ASCII word (most of them) holds no 0xEF, and one subtraction finds a
                // byte below a space in it (no high bit to mask out first).
                let ascii = w & UTF8Words.highs == 0
                if ascii ? (w &- UTF8Words.ones &* 0x20) & UTF8Words.highs == 0 : !UTF8Words.hasLess(w, than: 0x20) && !UTF8Words.has(w, 0xEF) {
                    // No byte is below a space here, so the spaces are the zero bytes of
                    // `w - 0x20…20` (no borrow between bytes); a space also pairs with the last
                    // byte of the word before (its flag carried in `previousSpace`).
                    let spaces = UTF8Words.zeroBytes(w &- UTF8Words.ones &* 0x20)
                    if spaces & (spaces << 8 | previousSpace) != 0 { collapsed = false }
                    previousSpace = spaces >> 56
                    ampOrLess |= UTF8Words.eitherMask(w, 0x26, 0x3C)
                    if ascii {
                        // A UTF-16 unit per byte: counted by the word, not in the lanes.
                        utf16 &+= 8
                    } else {
                        lanes &+= UTF8Words.utf16Lanes(w)
                        words += 1
                        if words == UTF8Words.wordsPerLaneSum {
                            utf16 += UTF8Words.laneTotal(lanes)
                            lanes = 0
                            words = 0
                        }
                    }
                    i += 8
                    continue
                }
                end = i + 8
            }
            while i < end {
                let b = bytes[i]
                if b < 0x20 {
                    if b != 0x09 && b != 0x0A { return nil }
                    collapsed = false
                    if b == 0x0A { special = true }
                } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE {
                    return nil
                } else if b == 0x20 && previousSpace != 0 {
                    collapsed = false
                } else if b == 0x26 || b == 0x3C {
                    special = true
                }
                // One UTF-16 unit per lead byte, two for a four-byte sequence (`measureRun`).
                utf16 += (b & 0xC0 != 0x80 ? 1 : 0) + (b >= 0xF0 ? 1 : 0)
                previousSpace = b == 0x20 ? 0x80 : 0
                i += 1
            }
        }
        utf16 += UTF8Words.laneTotal(lanes)
        let known = !special && ampOrLess & UTF8Words.highs == 0 && utf16 <= Int(Int32.max)
        return RunFacts(collapsed: collapsed, plainUTF16: known ? Int32(utf16) : -1)
    }

    /// Calls `body` with the UTF-8 bytes of `run` (in place for native strings).
    @inline(__always)
    private static func withUTF8<R>(_ run: Substring, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try run.utf8.withContiguousStorageIfAvailable(body) { return r }
        return try Array(run.utf8).withUnsafeBufferPointer(body)
    }

    /// The part of `run` between two UTF-8 offsets, both on scalar boundaries. Sliced through
    /// the scalar view: a `Substring` subscript would round to grapheme boundaries, and a space
    /// followed by a combining mark is one grapheme.
    private static func slice(_ run: Substring, _ from: Int, _ to: Int) -> Substring {
        let u = run.utf8
        let a = u.index(u.startIndex, offsetBy: from)
        let b = u.index(u.startIndex, offsetBy: to)
        return Substring(run.unicodeScalars[a..<b])
    }

    /// UTF-8 length of the invisible characters that start `run`.
    /// What the ASCII bytes at one end of a run say about its visible characters: one of them
    /// is visible (`visible`, its distance from that end in `at`), the run is ASCII and all
    /// invisible, or a non-ASCII byte came first (`undecided`: ask the scalars).
    private enum ASCIIEdge {
        case visible(at: Int)
        case allInvisible
        case undecided
    }

    private static func asciiPrefix(_ run: Substring, fromEnd: Bool) -> ASCIIEdge {
        let answer = run.utf8.withContiguousStorageIfAvailable { bytes -> ASCIIEdge in
            let n = bytes.count
            for k in 0..<n {
                let b = bytes[fromEnd ? n - 1 - k : k]
                if b >= 0x80 { return .undecided }
                // `isVisible` for ASCII: anything but an HTML space.
                if !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C) { return .visible(at: k) }
            }
            return .allInvisible
        }
        return answer ?? .undecided
    }

    private static func invisiblePrefixLength(_ run: Substring) -> Int {
        switch asciiPrefix(run, fromEnd: false) {
        case .visible(let k): return k
        case .allInvisible: return run.utf8.count
        case .undecided: break
        }
        var k = 0
        for s in run.unicodeScalars {
            if isVisible(s) { return k }
            k += UTF8.width(s)
        }
        return k
    }

    /// UTF-8 length of the invisible characters that end `run`.
    private static func invisibleSuffixLength(_ run: Substring) -> Int {
        switch asciiPrefix(run, fromEnd: true) {
        case .visible(let k): return k
        case .allInvisible: return run.utf8.count
        case .undecided: break
        }
        var k = 0
        for s in run.unicodeScalars.reversed() {
            if isVisible(s) { return k }
            k += UTF8.width(s)
        }
        return k
    }

    /// Ends the unit: returns what it became and resets the assembler.
    mutating func finish(unitID: () -> String, policy: SpellingPolicy, collapseWhitespace: Bool) -> AssembledUnit? {
        releaseLeadingBlank()
        defer { items.removeAll(keepingCapacity: true); nextCodeID = 1 }
        guard !items.isEmpty else { return nil }
        // Nothing visible (the line breaks and indentation between blocks, most often): all of
        // it is skeleton, whose text normalising and collapsing would not change.
        guard items.contains(where: Self.hasVisible) else { return .skeleton(Self.skeleton(of: items[...])) }
        var list = normalizeLineBreaks(items)
        if collapseWhitespace { list = collapse(list) }

        // Invisible text around the unit goes to the skeleton; a run that is partly so is split
        // in two there.
        var start = list.startIndex
        var end = list.endIndex
        while true {
            leading: while start < end {
                switch list[start] {
                case .code: break leading
                case .atom(let a):
                    if let s = a.scalar, Self.isVisible(s) { break leading }
                    start += 1
                case .text(let run, let facts):
                    let k = Self.invisiblePrefixLength(run)
                    let n = run.utf8.count
                    if k == n { start += 1; continue }
                    if k > 0 {
                        list[start] = .text(Self.slice(run, k, n), facts: facts.part)
                        list.insert(.text(Self.slice(run, 0, k), facts: facts.part), at: start)
                        start += 1
                        end += 1
                    }
                    break leading
                }
            }
            trailing: while end > start {
                switch list[end - 1] {
                case .code: break trailing
                case .atom(let a):
                    if let s = a.scalar, Self.isVisible(s) { break trailing }
                    end -= 1
                case .text(let run, let facts):
                    let k = Self.invisibleSuffixLength(run)
                    let n = run.utf8.count
                    if k == n { end -= 1; continue }
                    if k > 0 {
                        list[end - 1] = .text(Self.slice(run, 0, n - k), facts: facts.part)
                        list.insert(.text(Self.slice(run, n - k, n), facts: facts.part), at: end)
                    }
                    break trailing
                }
            }
            // A pair of codes around all of the text (`<li><a href>Monde</a></li>`, `<b>Titre</b>`)
            // is markup around the unit, not in it: the translator gets the text alone.
            guard end - start >= 3, case .code(let first) = list[start], first.code.kind == .opening,
                  case .code(let last) = list[end - 1], last.code.kind == .closing, last.code.id == first.code.id else { break }
            start += 1
            end -= 1
        }
        let leading = Self.skeleton(of: list[..<start])
        let trailing = Self.skeleton(of: list[end...])

        var content = Content()
        // The text as UTF-8 bytes, made a String once per stretch between codes (without a
        // second check: the bytes are those of strings and of scalars encoded here).
        var text: [UInt8] = []
        // A stretch that is so far one run (most units: `<p>text</p>`) becomes a String of its
        // own: the whole of its source string, shared rather than copied and validated again.
        var single: Substring?
        var offset = 0
        var codes = 0
        var hasPairedCode = false
        var layout = UnitLayout(unitID: unitID())
        var nested: [UnitLayout] = []
        // Whether a line feed or a quote written as itself may differ from its default spelling
        // (`measureRun` then looks at them too): only where the file ends lines otherwise, or in
        // an attribute value. `&` and `<` always may.
        let inAttribute: Bool
        if case .htmlAttribute = policy.context { inAttribute = true } else { inAttribute = false }
        let watchAll = inAttribute || policy.newline != "\n"
        // No nested function here: a closure capturing `text` would box it and make every
        // append copy the whole string.
        for item in list[start..<end] {
            switch item {
            case .text(let run, let facts):
                // A run whose length its scan learnt has nothing to substitute in element
                // content (line feeds written as the file writes them, quotes as themselves).
                if facts.plainUTF16 >= 0 && !inAttribute {
                    offset += Int(facts.plainUTF16)
                } else {
                    Self.withUTF8(run) { Self.measureRun($0, offset: &offset, substitutions: &layout.substitutions, codesBefore: codes, policy: policy, watchAll: watchAll) }
                }
                if text.isEmpty && single == nil {
                    single = run
                } else {
                    if let pending = single { Self.withUTF8(pending) { text.append(contentsOf: $0) }; single = nil }
                    Self.withUTF8(run) { text.append(contentsOf: $0) }
                }
            case .atom(let a):
                if let pending = single { Self.withUTF8(pending) { text.append(contentsOf: $0) }; single = nil }
                guard let s = a.scalar else {
                    layout.substitutions.append(RawSubstitution(utf16Offset: offset, utf16Length: 0, codesBefore: codes, raw: a.raw))
                    continue
                }
                if s.value < 0x80 { text.append(UInt8(truncatingIfNeeded: s.value)) } else { UTF8.encode(s) { text.append($0) } }
                let length = s.utf16.count
                if !(a.isLiteral ? policy.isDefault(literal: s) : policy.isDefault(s, a.raw)) {
                    layout.substitutions.append(RawSubstitution(utf16Offset: offset, utf16Length: length, codesBefore: codes, raw: a.raw))
                }
                offset += length
            case .code(let c):
                if let pending = single { content.append(.text(String(pending))); single = nil }
                if !text.isEmpty { content.append(.text(ValidUTF8.string(text))); text.removeAll(keepingCapacity: true) }
                content.append(.code(c.code))
                if c.code.kind != .standalone { hasPairedCode = true }
                for n in c.nested {
                    layout.nestedUnits.append(NestedUnitPlacement(codeID: c.code.id, utf16Start: n.utf16Range.lowerBound, utf16End: n.utf16Range.upperBound, unitID: n.layout.unitID))
                    nested.append(n.layout)
                }
                codes += 1
            }
        }
        if let pending = single { content.append(.text(String(pending))) }
        if !text.isEmpty { content.append(.text(ValidUTF8.string(text))) }
        layout.sourceUTF16Length = offset
        // Most units have no paired code (`pairCodes` would look through their runs for none).
        if hasPairedCode { content = Self.pairCodes(content) }
        return .unit(content: content, layout: layout, nested: nested, leading: leading, trailing: trailing)
    }

    /// Advances the UTF-16 offset over a run's bytes and records the characters whose default
    /// spelling is not themselves (`&` and `<` in HTML, a line feed where the file ends lines
    /// otherwise): the same substitutions an atom per character gave.
    ///
    /// `watchAll` false says that a line feed, `"` and `'` written as themselves are their
    /// default spelling: a word then needs a closer look only for `&` or `<` (element content
    /// in a file whose lines end with line feeds, the usual case), two tests instead of five,
    /// and an apostrophe in a word no longer sends it byte by byte.
    private static func measureRun(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int,
                                   substitutions: inout [RawSubstitution], codesBefore: Int, policy: SpellingPolicy, watchAll: Bool) {
        if watchAll {
            measureRun(bytes, offset: &offset, substitutions: &substitutions, codesBefore: codesBefore, policy: policy) {
                UTF8Words.hasAny($0, 0x0A, 0x26, 0x3C, 0x22, 0x27)
            }
        } else {
            measureRun(bytes, offset: &offset, substitutions: &substitutions, codesBefore: codesBefore, policy: policy) {
                UTF8Words.hasEither($0, 0x26, 0x3C)
            }
        }
    }

    /// `measureRun` with `needsLook` saying which words may hold a byte to look at.
    @inline(__always)
    private static func measureRun(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int,
                                   substitutions: inout [RawSubstitution], codesBefore: Int, policy: SpellingPolicy,
                                   needsLook: (UInt64) -> Bool) {
        // One pass, eight bytes at a time: a word without a byte that may need a substitution
        // (most) only adds its UTF-16 length, summed in byte lanes (`UTF8Words.utf16Lanes`)
        // and totalled every `wordsPerLaneSum` words; a word with one is looked at byte by
        // byte, and the scan goes on by words after it (a run holding one `'` was measured
        // byte by byte to its end).
        var utf16 = offset
        var i = 0
        let n = bytes.count
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            var lanes: UInt64 = 0
            var words = 0
            while i + 8 <= n {
                let w = UTF8Words.load(base, i)
                if needsLook(w) {
                    // The offset of each byte of the word is needed: the lanes so far first.
                    utf16 += UTF8Words.laneTotal(lanes)
                    lanes = 0
                    words = 0
                    for k in i..<(i + 8) {
                        measure(bytes[k], &utf16, &substitutions, codesBefore, policy)
                    }
                } else {
                    lanes &+= UTF8Words.utf16Lanes(w)
                    words += 1
                    if words == UTF8Words.wordsPerLaneSum {
                        utf16 += UTF8Words.laneTotal(lanes)
                        lanes = 0
                        words = 0
                    }
                }
                i += 8
            }
            utf16 += UTF8Words.laneTotal(lanes)
        }
        while i < n {
            measure(bytes[i], &utf16, &substitutions, codesBefore, policy)
            i += 1
        }
        offset = utf16
    }

    /// `measureRun` for one byte: its UTF-16 length (one per lead byte, two for a four-byte
    /// sequence) and, for a character markup may spell otherwise, its substitution.
    @inline(__always)
    private static func measure(_ b: UInt8, _ utf16: inout Int, _ substitutions: inout [RawSubstitution], _ codesBefore: Int, _ policy: SpellingPolicy) {
        if b < 0x80 {
            if b == 0x0A || b == 0x26 || b == 0x3C || b == 0x22 || b == 0x27 {
                let s = Unicode.Scalar(b)
                if !policy.isDefault(literal: s) {
                    substitutions.append(RawSubstitution(utf16Offset: utf16, utf16Length: 1, codesBefore: codesBefore, raw: String(s)))
                }
            }
            utf16 += 1
        } else if b & 0xC0 != 0x80 {
            utf16 += b >= 0xF0 ? 2 : 1
        }
    }

    /// The skeleton entries for items that form no unit: their original text, with nested units
    /// (attribute values of inline tags) placed where they were.
    static func skeleton(of items: ArraySlice<Item>) -> [SkeletonEntry] {
        var out: [SkeletonEntry] = []
        var text = ""
        for item in items {
            switch item {
            case .text(let run, _): text += run
            case .atom(let a): text += a.raw
            case .code(let c):
                // Most codes carry no attribute unit (every block tag comes here): their text as is.
                guard !c.nested.isEmpty else { text += c.raw; continue }
                let utf16 = Array(c.raw.utf16)
                var position = 0
                for n in c.nested.sorted(by: { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }) {
                    text += String(decoding: utf16[position..<n.utf16Range.lowerBound], as: UTF16.self)
                    if !text.isEmpty { out.append(.text(text)); text = "" }
                    out.append(.unit(n.layout))
                    position = n.utf16Range.upperBound
                }
                text += String(decoding: utf16[position...], as: UTF16.self)
            }
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }

    /// `\r\n` and a lone `\r` become one `\n` for the translator; the original ending is kept.
    private func normalizeLineBreaks(_ items: [Item]) -> [Item] {
        // Most units hold no carriage return: no copy then. Runs never hold one.
        guard items.contains(where: { if case .atom(let a) = $0 { return a.scalar == "\r" } else { return false } }) else { return items }
        var out: [Item] = []
        out.reserveCapacity(items.count)
        var i = 0
        while i < items.count {
            if case .atom(let a) = items[i], a.scalar == "\r" {
                if i + 1 < items.count, case .atom(let b) = items[i + 1], b.scalar == "\n" {
                    out.append(.atom(SourceAtom(scalar: "\n", raw: a.raw + b.raw)))
                    i += 2
                    continue
                }
                if i + 1 < items.count, case .text(let run, let facts) = items[i + 1], run.utf8.first == 0x0A {
                    out.append(.atom(SourceAtom(scalar: "\n", raw: a.raw + "\n")))
                    let n = run.utf8.count
                    if n > 1 { out.append(.text(Self.slice(run, 1, n), facts: facts.part)) }
                    i += 2
                    continue
                }
                out.append(.atom(SourceAtom(scalar: "\n", raw: a.raw)))
                i += 1
                continue
            }
            out.append(items[i])
            i += 1
        }
        return out
    }

    /// Runs of HTML whitespace become one space, as a browser shows them.
    private func collapse(_ items: [Item]) -> [Item] {
        // Text whose every space is a single " " already reads as collapsed: returned as it
        // is rather than copied (a " " rewritten below spells itself the same).
        var previousIsSpace = false
        var unchanged = true
        check: for item in items {
            switch item {
            case .atom(let a):
                guard let s = a.scalar, Self.isHTMLSpace(s) else { previousIsSpace = false; continue }
                if s != " " || previousIsSpace || !a.isLiteral { unchanged = false; break check }
                previousIsSpace = true
            case .code:
                previousIsSpace = false
            case .text(let run, let facts):
                let collapsed = Self.withUTF8(run) { bytes -> Bool in
                    let n = bytes.count
                    guard n > 0 else { return true }
                    if facts.collapsed {
                        // No tab, line feed or two spaces inside (seen when it was appended):
                        // only its first space may follow another.
                        if bytes[0] == 0x20 && previousIsSpace { return false }
                        previousIsSpace = bytes[n - 1] == 0x20
                        return true
                    }
                    // Branch-free first (vectorised): no tab, no line feed, no two spaces in a row.
                    var spread: UInt8 = (bytes[0] == 0x20 && previousIsSpace ? 1 : 0) | (bytes[n - 1] == 0x09 || bytes[n - 1] == 0x0A ? 1 : 0)
                    for i in 0..<(n - 1) {
                        let b = bytes[i], next = bytes[i + 1]
                        spread |= (b == 0x09 ? 1 : 0) | (b == 0x0A ? 1 : 0) | ((b == 0x20 ? 1 : 0) & (next == 0x20 ? 1 : 0))
                    }
                    if spread == 0 {
                        previousIsSpace = bytes[n - 1] == 0x20
                        return true
                    }
                    for b in bytes {
                        if Self.isRunSpace(b) {
                            if b != 0x20 || previousIsSpace { return false }
                            previousIsSpace = true
                        } else {
                            previousIsSpace = false
                        }
                    }
                    return true
                }
                if !collapsed { unchanged = false; break check }
            }
        }
        if unchanged { return items }

        var out: [Item] = []
        out.reserveCapacity(items.count + 8)
        for item in items {
            switch item {
            case .atom(let a):
                if let s = a.scalar, Self.isHTMLSpace(s) { Self.addSpace(a.raw, to: &out) } else { out.append(item) }
            case .code:
                out.append(item)
            case .text(let run, let facts):
                // Spans of spaces are cut out of the run, except a single " " after a visible
                // character, which already reads as collapsed and stays in the text.
                Self.withUTF8(run) { bytes in
                    let n = bytes.count
                    var runStart = 0
                    var i = 0
                    while i < n {
                        guard Self.isRunSpace(bytes[i]) else { i += 1; continue }
                        var j = i + 1
                        while j < n && Self.isRunSpace(bytes[j]) { j += 1 }
                        if j == i + 1 && bytes[i] == 0x20 && !(i == runStart && Self.endsWithSpace(out)) {
                            i = j
                            continue
                        }
                        if i > runStart { out.append(.text(Self.slice(run, runStart, i), facts: facts.part)) }
                        Self.addSpace(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self), to: &out)
                        i = j
                        runStart = j
                    }
                    if runStart < n { out.append(runStart == 0 ? .text(run, facts: facts) : .text(Self.slice(run, runStart, n), facts: facts.part)) }
                }
            }
        }
        return out
    }

    /// True when the collapsed items end with a space (an atom, or the single " " a run ends with).
    private static func endsWithSpace(_ out: [Item]) -> Bool {
        switch out.last {
        case .atom(let a)?: return a.scalar == " "
        case .text(let run, _)?: return run.utf8.last == 0x20
        default: return false
        }
    }

    /// Adds whitespace whose original text is `raw` to collapsed items: joined to the space
    /// before it, if any, else a space of its own.
    private static func addSpace(_ raw: String, to out: inout [Item]) {
        switch out.last {
        case .atom(let previous)? where previous.scalar == " ":
            out[out.count - 1] = .atom(SourceAtom(scalar: " ", raw: previous.raw + raw))
        case .text(let run, let facts)? where run.utf8.last == 0x20:
            // The run's final " " is a collapsed space: it takes this whitespace in.
            let n = run.utf8.count
            if n == 1 {
                out[out.count - 1] = .atom(SourceAtom(scalar: " ", raw: " " + raw))
            } else {
                out[out.count - 1] = .text(slice(run, 0, n - 1), facts: facts.part)
                out.append(.atom(SourceAtom(scalar: " ", raw: " " + raw)))
            }
        default:
            out.append(raw == " " ? .text(" ", facts: RunFacts(collapsed: true, plainUTF16: 1)) : .atom(SourceAtom(scalar: " ", raw: raw)))
        }
    }

    /// Marks codes whose partner is not in the content as isolated.
    static func pairCodes(_ content: Content) -> Content {
        // Most units have no paired code: nothing to do. The others have a few, for which a
        // list of the open ones beats hashing their ids.
        guard content.runs.contains(where: { if case .code(let c) = $0 { return c.kind != .standalone } else { return false } }) else { return content }
        var runs = content.runs
        // Open codes by id; a later opening with the same id takes the place of an earlier one.
        var open: [(id: String, index: Int)] = []
        for i in runs.indices {
            guard case .code(let c) = runs[i] else { continue }
            switch c.kind {
            case .opening:
                if let k = open.firstIndex(where: { $0.id == c.id }) { open[k].index = i } else { open.append((c.id, i)) }
            case .closing:
                if let k = open.firstIndex(where: { $0.id == c.id }) { open.remove(at: k) }
                else { var c2 = c; c2.isolated = true; runs[i] = .code(c2) }
            case .standalone: break
            }
        }
        for (_, i) in open {
            if case .code(var c) = runs[i] { c.isolated = true; runs[i] = .code(c) }
        }
        var out = content
        out.runs = runs
        return out
    }
}

/// Pairs the original text of a piece of character data with what a parser decoded from it,
/// one character at a time.
enum RawAlignment {
    /// Lenient alignment for element content: original text the decoded text does not account
    /// for becomes atoms without a character (nothing is ever lost), and decoded characters with
    /// no original text get an empty one. `pieces(raw:decoded:)` with each literal stretch as an
    /// atom per character.
    static func align(raw: String, decoded: String) -> [SourceAtom] {
        var out: [SourceAtom] = []
        out.reserveCapacity(decoded.utf8.count + 4)
        for piece in pieces(raw: raw, decoded: decoded) {
            switch piece {
            case .literal(let run):
                for c in run.unicodeScalars { out.append(SourceAtom(literal: c)) }
            case .atom(let atom):
                out.append(atom)
            }
        }
        return out
    }

    /// A piece of aligned text: a stretch of the original in which every character stands for
    /// itself, or an atom.
    enum Piece {
        case literal(Substring)
        case atom(SourceAtom)
    }

    /// The alignment, with each stretch of consecutive characters written as themselves given
    /// as one piece of `raw`: a paragraph holding one `&nbsp;` as an atom per character of the
    /// whole paragraph made the unit assembler carry one item each (a run per stretch is what it
    /// gets for text without references).
    static func pieces(raw: String, decoded: String) -> [Piece] {
        // The characters both texts start with, up to the first `&`, are what the loop below
        // would take as literal one by one: they open the first stretch, and only the rest is
        // decoded to scalars (a paragraph with an `&nbsp;` near its end was all decoded twice).
        let shared = sharedLiteralPrefix(raw, decoded)
        let r = scalars(raw, from: shared)
        let d = scalars(decoded, from: shared)
        var out: [Piece] = []
        var i = 0, j = 0
        // Original text that the decoded text does not account for, waiting to become an atom.
        var pending = ""
        // The stretch of literal characters being gathered (`literalFrom` ≥ 0 while there is
        // one), starting at UTF-8 offset `literalOffset` of `raw`; `offset` is the UTF-8 offset
        // of `r[i]`.
        var literalFrom = shared > 0 ? 0 : -1
        var literalOffset = 0
        var offset = shared
        while i < r.count {
            var matched: SourceAtom?
            var consumed = 0
            if r[i] == "&", let (value, length) = reference(r, at: i) {
                if j < d.count && value == d[j] {
                    matched = SourceAtom(scalar: d[j], raw: string(r[i..<(i + length)]))
                    consumed = length
                } else if j < d.count && d[j] == "&" {
                    matched = SourceAtom(scalar: "&", raw: "&")
                    consumed = 1
                } else {
                    closeLiteral(raw, &out, &literalFrom, literalOffset, offset)
                    pending += string(r[i..<(i + length)])
                    for k in i..<(i + length) { offset += UTF8.width(r[k]) }
                    i += length
                    continue
                }
            } else if j < d.count && r[i] == d[j] {
                if !pending.isEmpty { out.append(.atom(SourceAtom(scalar: nil, raw: pending))); pending = "" }
                if literalFrom < 0 { literalFrom = i; literalOffset = offset }
                offset += UTF8.width(r[i])
                i += 1
                j += 1
                continue
            } else if j < d.count && r[i] == "\r" && d[j] == "\n" {
                let crlf = i + 1 < r.count && r[i + 1] == "\n"
                matched = SourceAtom(scalar: "\n", raw: crlf ? "\r\n" : "\r")
                consumed = crlf ? 2 : 1
            }
            closeLiteral(raw, &out, &literalFrom, literalOffset, offset)
            if let atom = matched {
                if !pending.isEmpty { out.append(.atom(SourceAtom(scalar: nil, raw: pending))); pending = "" }
                out.append(.atom(atom))
                for k in i..<(i + consumed) { offset += UTF8.width(r[k]) }
                i += consumed
                j += 1
            } else {
                pending.unicodeScalars.append(r[i])
                offset += UTF8.width(r[i])
                i += 1
            }
        }
        closeLiteral(raw, &out, &literalFrom, literalOffset, offset)
        if !pending.isEmpty { out.append(.atom(SourceAtom(scalar: nil, raw: pending))) }
        while j < d.count {
            out.append(.atom(SourceAtom(scalar: d[j], raw: "")))
            j += 1
        }
        return out
    }

    /// Ends the stretch of literal characters being gathered, if any: `raw` from UTF-8 offset
    /// `from` to `to`, cut on scalar boundaries (a `Substring` subscript would round to
    /// grapheme boundaries).
    private static func closeLiteral(_ raw: String, _ out: inout [Piece], _ literalFrom: inout Int, _ from: Int, _ to: Int) {
        guard literalFrom >= 0 else { return }
        literalFrom = -1
        let u = raw.utf8
        let a = u.index(u.startIndex, offsetBy: from)
        let b = u.index(u.startIndex, offsetBy: to)
        out.append(.literal(Substring(raw.unicodeScalars[a..<b])))
    }

    /// Strict alignment for attribute values: nil unless every decoded character is accounted
    /// for by the original text (the caller then leaves the attribute alone).
    static func alignStrictly(raw: String, decoded: String) -> [SourceAtom]? {
        let atoms = align(raw: raw, decoded: decoded)
        if atoms.contains(where: { $0.scalar == nil || $0.raw.isEmpty }) { return nil }
        return atoms
    }

    /// The scalars as a string. One at a time: `append(contentsOf:)` of a slice took ~6,000
    /// instructions for a six-character reference (callgrind), a loop a few hundred.
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = ""
        for c in scalars { s.unicodeScalars.append(c) }
        return s
    }

    /// The scalars of `text` in one decoding pass (`Array(text.unicodeScalars)` decodes twice:
    /// once to count them, once to copy them). Room for one per UTF-8 byte, the most there can be.
    /// Decoded from the UTF-8 bytes themselves from `utf8Offset` (a character boundary) on:
    /// iterating a slice of the scalar view cost twice as much.
    private static func scalars(_ text: String, from utf8Offset: Int = 0) -> [Unicode.Scalar] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(bytes.count - utf8Offset)
            var i = utf8Offset
            let n = bytes.count
            while i < n {
                // A string's bytes are valid UTF-8: a lead byte and its continuation bytes.
                let b = bytes[i]
                if b < 0x80 {
                    out.append(Unicode.Scalar(b))
                    i += 1
                    continue
                }
                var value: UInt32
                let length: Int
                if b < 0xE0 { value = UInt32(b & 0x1F); length = 2 } else if b < 0xF0 { value = UInt32(b & 0x0F); length = 3 } else { value = UInt32(b & 0x07); length = 4 }
                for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                out.append(Unicode.Scalar(value)!)
                i += length
            }
            return out
        }
    }

    /// The length in UTF-8 bytes of the longest common start of `raw` and `decoded` that holds
    /// no `&` and ends between two characters.
    private static func sharedLiteralPrefix(_ raw: String, _ decoded: String) -> Int {
        var raw = raw, decoded = decoded
        return raw.withUTF8 { a in
            decoded.withUTF8 { b in
                let n = min(a.count, b.count)
                var p = 0
                while p < n && a[p] == b[p] && a[p] != 0x26 { p += 1 }
                // Equal bytes end on a character boundary in both texts or in neither.
                while p > 0 && p < a.count && a[p] & 0xC0 == 0x80 { p -= 1 }
                return p
            }
        }
    }

    /// Parses a character or entity reference at `i`: `&#233;`, `&#xE9;` (`;` optional, as
    /// libxml2 accepts), `&eacute;` (`;` required). Returns its character and length.
    static func reference(_ r: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
        var k = i + 1
        guard k < r.count else { return nil }
        if r[k] == "#" {
            k += 1
            var hex = false
            if k < r.count && (r[k] == "x" || r[k] == "X") { hex = true; k += 1 }
            var value: UInt32 = 0
            let digitsStart = k
            while k < r.count, let d = digit(r[k], hex: hex), k - digitsStart < 8 {
                value = value * (hex ? 16 : 10) + d
                k += 1
            }
            guard k > digitsStart, let scalar = Unicode.Scalar(value) else { return nil }
            if k < r.count && r[k] == ";" { k += 1 }
            return (scalar, k - i)
        }
        var name = ""
        while k < r.count, k - i < 40, isNameCharacter(r[k]) {
            name.unicodeScalars.append(r[k])
            k += 1
        }
        guard !name.isEmpty, k < r.count, r[k] == ";", let scalar = HTMLEntities.scalar(named: name) else { return nil }
        return (scalar, k + 1 - i)
    }

    /// A letter (Unicode alphabetic) or an ASCII digit: what an entity name is made of here.
    /// ASCII is decided without the Unicode property tables (entity names are ASCII).
    private static func isNameCharacter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            let folded = v | 0x20
            return (folded >= 0x61 && folded <= 0x7A) || (v >= 0x30 && v <= 0x39)
        }
        return s.properties.isAlphabetic
    }

    private static func digit(_ s: Unicode.Scalar, hex: Bool) -> UInt32? {
        switch s {
        case "0"..."9": return s.value - 48
        case "a"..."f" where hex: return s.value - 87
        case "A"..."F" where hex: return s.value - 55
        default: return nil
        }
    }
}
