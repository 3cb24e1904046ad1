import TranslationModel

extension Segmenter {
    /// Splits a unit's source into sentence segments, with the whitespace between sentences as
    /// ignorables. Joining the parts gives back the unit's source exactly, codes included.
    ///
    /// Units are left as they are when they are not to be translated, cannot be re-segmented
    /// (`canResegment == false`), or already have a translation in some segment. Otherwise all
    /// parts are joined and split again; the new segments keep the state of the unit's first
    /// segment; a part that starts where an old part started keeps its id (and the old part is
    /// kept whole when its content is unchanged); other new parts get no id (writers number them).
    ///
    /// Inline codes: a break never falls between a paired code's opening and closing (nor inside
    /// an annotation marker's span) unless the SRX file allows it (`breakInsideCodeSpans`). Codes
    /// that stand between two sentences go where the SRX `<formathandle>`s say: with the previous
    /// segment when `include="yes"`, otherwise with the next one.
    ///
    /// The unit is taken `consuming`: handed over by the pipeline, it becomes the result with
    /// only its parts replaced, rather than being copied field by field (a unit holds some
    /// fifteen strings and arrays, each a reference count to take and give back).
    public func segment(_ unit: consuming Unit) -> Unit {
        guard unit.translate, unit.canResegment != false else { return unit }
        // One pass over the parts rather than `unit.segments` (an array built per call) three times.
        var template: Segment? = nil
        var emptyTargets = false
        for part in unit.parts {
            guard case .segment(let segment) = part else { continue }
            if let target = segment.target {
                guard target.isEmpty else { return unit }
                emptyTargets = true
            }
            guard segment.canResegment != false else { return unit }
            if template == nil { template = segment }
        }
        // A unit of one part (a paragraph as read) whose runs are already what `Unit.source`
        // gives (no empty or adjacent text runs): its content as the source, sharing its runs
        // rather than appending them one by one into a new array.
        let single: UnitPart? = unit.parts.count == 1 ? unit.parts[0] : nil
        let source: Content
        if let single, Self.isNormalized(single.source.runs) {
            source = Content(single.source.runs)
        } else {
            source = unit.source
        }
        guard let pieces = segmentedParts(of: source) else { return unit }
        if let single {
            // What `keepingUnchangedParts` does for one old part, decided before building any
            // part: one new part of the same kind with the same runs leaves the unit as it is;
            // otherwise the first new part takes the old part's id when of the same kind.
            let sameKind: Bool
            if case .segment = single { sameKind = pieces[0].isSegment } else { sameKind = !pieces[0].isSegment }
            if sameKind && pieces.count == 1 && Self.sameRuns(pieces[0].content, single.source) { return unit }
            let firstID: String?
            switch single {
            case .segment(let s): firstID = sameKind ? s.id : nil
            case .ignorable(let i): firstID = sameKind ? i.id : nil
            }
            let parts = Self.parts(of: pieces, template: template, emptyTargets: emptyTargets, firstID: firstID)
            var result = unit
            result.parts = parts
            return result
        }
        let parts = Self.keepingUnchangedParts(of: unit.parts, in: Self.parts(of: pieces, template: template, emptyTargets: emptyTargets, firstID: nil))
        var result = unit
        result.parts = parts
        return result
    }

    /// The new parts: segments that keep the state of the unit's first segment (`template`),
    /// with an empty target when the old segments had one, and the ignorables between them;
    /// `firstID` goes to the first part.
    private static func parts(of pieces: [ContentPiece], template: Segment?, emptyTargets: Bool, firstID: String?) -> [UnitPart] {
        var parts: [UnitPart] = []
        parts.reserveCapacity(pieces.count)
        var seenSegment = false
        for piece in pieces {
            if piece.isSegment {
                // Every field given to the initialiser: set one by one afterwards, each setter
                // checked that the segment's storage was not shared.
                let id = parts.isEmpty ? firstID : nil
                let segment: Segment
                if let first = template {
                    segment = Segment(id: id, source: piece.content, target: emptyTargets ? Content(language: first.target?.language) : nil,
                                      state: first.state, subState: first.subState, xliff12State: first.xliff12State, stateQualifier: first.stateQualifier,
                                      extensions: seenSegment ? Extensions() : first.extensions)
                } else {
                    segment = Segment(id: id, source: piece.content, target: emptyTargets ? Content() : nil)
                }
                seenSegment = true
                parts.append(.segment(segment))
            } else {
                parts.append(.ignorable(Ignorable(id: parts.isEmpty ? firstID : nil, source: piece.content)))
            }
        }
        return parts
    }

    /// Where a part starts in its unit: UTF-16 units of text and number of other runs before it.
    private struct PartStart: Hashable {
        var text = 0
        var otherRuns = 0

        mutating func advance(over content: Content) {
            for run in content.runs {
                if case .text(let t) = run { text += t.utf16CodeUnitCount } else { otherRuns += 1 }
            }
        }

        func advanced(over content: Content) -> PartStart {
            var next = self
            next.advance(over: content)
            return next
        }
    }

    /// A new part that starts where an old part started keeps the old part's id, so that
    /// references to it (`<mtc:match ref="#m1">`, comments) still resolve; when its content is
    /// also the same, the old part is kept whole (id, state, extensions): re-segmenting a unit
    /// that is already segmented the same way changes nothing.
    static func keepingUnchangedParts(of old: [UnitPart], in new: [UnitPart]) -> [UnitPart] {
        // A unit of one part never gets here: `segment(_:)` settles it before building any part.
        if old.isEmpty || new.isEmpty { return new }
        // Old parts by where they start, with where they end: contents that are equal once
        // normalized have the same length, so the (costly) comparison of runs is only made
        // when the ends agree too.
        var oldByStart: [PartStart: (part: UnitPart, end: PartStart)] = [:]
        var position = PartStart()
        for part in old {
            let end = position.advanced(over: part.source)
            oldByStart[position] = (part, end)
            position = end
        }
        position = PartStart()
        return new.map { part in
            let start = position
            let end = start.advanced(over: part.source)
            position = end
            guard let (oldPart, oldEnd) = oldByStart[start] else { return part }
            switch (part, oldPart) {
            case (.segment(var segment), .segment(let before)):
                if oldEnd == end && sameRuns(segment.source, before.source) { return .segment(before) }
                segment.id = before.id
                return .segment(segment)
            case (.ignorable(var ignorable), .ignorable(let before)):
                if oldEnd == end && sameRuns(ignorable.source, before.source) { return .ignorable(before) }
                ignorable.id = before.id
                return .ignorable(ignorable)
            default:
                return part
            }
        }
    }

    /// True when the two contents have the same runs once normalized; without building the
    /// normalized copies when they are normalized already (the usual case).
    static func sameRuns(_ a: Content, _ b: Content) -> Bool {
        if isNormalized(a.runs) && isNormalized(b.runs) { return a.runs == b.runs }
        return a.normalized.runs == b.normalized.runs
    }

    /// No empty text run and no two text runs in a row: what `Content.normalized` gives.
    static func isNormalized(_ runs: [Run]) -> Bool {
        var previousIsText = false
        for run in runs {
            if case .text(let t) = run {
                if t.isEmpty || previousIsText { return false }
                previousIsText = true
            } else {
                previousIsText = false
            }
        }
        return true
    }

    /// One part of segmented content.
    public struct ContentPiece: Sendable, Hashable {
        /// A sentence (true) or whitespace between sentences (false).
        public var isSegment: Bool
        /// The part's runs.
        public var content: Content
    }

    /// Splits content with inline codes into sentences and the whitespace between them (see
    /// `segment(_:)`). Nil when there is no text to segment (empty, blank, or codes only).
    public func segmentedParts(of content: Content) -> [ContentPiece]? {
        // One matcher for the whole unit: its buffer holds the unit's text while the pieces
        // are cut from it.
        compiled.withMatcher { matcher in
            var arrays = matcher.takeUnitArrays()
            defer {
                matcher.keepUnitArrays(&arrays)
                matcher.trimUnitBuffer()
            }
            return segmentedParts(of: content, items: ContentItems(content, matcher: matcher), matcher: matcher, breaks: &arrays.breaks, sentences: &arrays.sentences)
        }
    }

    /// `segmentedParts(of:)` with the unit's text in `items`; `breaks` and `sentences` are
    /// arrays to fill (the matcher's, kept from unit to unit).
    private func segmentedParts(of content: Content, items: ContentItems, matcher: SRXMatcher, breaks: inout [Int], sentences: inout [Range<Int>]) -> [ContentPiece]? {
        guard items.text.contains(where: { !TextWhitespace.isWhitespace($0) }) else { return nil }
        matcher.breaks(in: items.text, into: &breaks)
        if breaks.isEmpty && items.isSingleTextRun && !TextWhitespace.isWhitespace(items.text[0]) && !TextWhitespace.isWhitespace(items.text[items.text.count - 1]) {
            // One sentence, all of the content (most short paragraphs, titles, list items): the
            // content itself is the segment, as `textContent` would build it again.
            return [ContentPiece(isSegment: true, content: content)]
        }
        if items.isTextOnly {
            // No code or marker: items are the text units, and no span can straddle a break.
            sentences.removeAll(keepingCapacity: true)
            Self.trimmedRanges(items.text, breaks: breaks, into: &sentences)
            guard !sentences.isEmpty else { return nil }
            var pieces: [ContentPiece] = []
            pieces.reserveCapacity(2 * sentences.count + 1)
            var slicer = items.slicer()
            var cursor = 0
            for sentence in sentences {
                if cursor < sentence.lowerBound {
                    pieces.append(ContentPiece(isSegment: false, content: items.textContent(cursor..<sentence.lowerBound, slicer: &slicer, language: content.language, preserveSpace: content.preserveSpace)))
                }
                pieces.append(ContentPiece(isSegment: true, content: items.textContent(sentence, slicer: &slicer, language: content.language, preserveSpace: content.preserveSpace)))
                cursor = sentence.upperBound
            }
            if cursor < items.text.count {
                pieces.append(ContentPiece(isSegment: false, content: items.textContent(cursor..<items.text.count, slicer: &slicer, language: content.language, preserveSpace: content.preserveSpace)))
            }
            return pieces
        }
        if !breakInsideCodeSpans || items.hasMarkers {
            breaks = items.removingBreaksInsideSpans(breaks, codesToo: !breakInsideCodeSpans)
        }
        sentences.removeAll(keepingCapacity: true)
        Self.trimmedRanges(items.text, breaks: breaks, into: &sentences)
        guard !sentences.isEmpty else { return nil }

        // Cut points in the item sequence (indexes into items.kinds).
        var pieces: [ContentPiece] = []
        pieces.reserveCapacity(2 * sentences.count + 1)
        var cursor = 0 // first item not yet assigned
        var cut: (run: Int, slicer: UTF16Slicer)? = nil
        func emit(_ range: Range<Int>, segment: Bool) {
            guard !range.isEmpty else { return }
            pieces.append(ContentPiece(isSegment: segment, content: items.content(range, cut: &cut, language: content.language, preserveSpace: content.preserveSpace)))
        }
        let placement = codePlacement
        for (k, sentence) in sentences.enumerated() {
            let firstItem = items.itemIndex(ofText: sentence.lowerBound)
            let lastItem = items.itemIndex(ofText: sentence.upperBound - 1)
            // The gap before this sentence: items cursor..<firstItem. The previous segment already
            // took the codes that stay with it; the codes left go to this sentence, with the
            // whitespace after the first of them. Whitespace before them is an ignorable.
            var start = firstItem
            var j = firstItem - 1
            while j >= cursor {
                if items.isCode(j) { start = j }
                j -= 1
            }
            emit(cursor..<start, segment: false)
            // This sentence's end: extend over the codes of the next gap that stay with it.
            var end = lastItem + 1
            let nextFirst = k + 1 < sentences.count ? items.itemIndex(ofText: sentences[k + 1].lowerBound) : items.count
            if k + 1 == sentences.count {
                // After the last sentence every code stays with it.
                var m = end
                while m < nextFirst {
                    if items.isCode(m) { end = m + 1 }
                    m += 1
                }
            } else {
                var m = end
                while m < nextFirst {
                    if items.isCode(m) {
                        if items.staysWithPrevious(m, placement: placement) { end = m + 1 } else { break }
                    }
                    m += 1
                }
            }
            emit(start..<end, segment: true)
            cursor = end
        }
        emit(cursor..<items.count, segment: false)
        return pieces
    }
}

/// Content seen as a sequence of items: each UTF-16 unit of text, and each code or marker run.
struct ContentItems {
    let runs: [Run]
    /// The plain text, in a buffer the caller lends (`SRXMatcher.unitBuffer(capacity:)`): valid
    /// while the caller holds it, so the items do not outlive the call that made them.
    private(set) var text: UnsafeBufferPointer<UInt16>
    /// The items in order: a text unit as its offset in `text` (0 or more), a code or marker run
    /// as `~index` in `runs` (negative). Plain integers, so that a run of text units is appended
    /// as a range in one copy. Empty when the content is text only (`isTextOnly`): the items are
    /// then the text units themselves, and nothing needs to map between the two. Lent by the
    /// caller like `text`.
    private(set) var kinds = UnsafeBufferPointer<Int>(start: nil, count: 0)
    /// The text runs (not when text only): where each one's units start in `text`, and its
    /// index in `runs`.
    private var textRuns: [(start: Int, run: Int)] = []
    private(set) var hasMarkers = false
    /// True when every run is text.
    let isTextOnly: Bool
    /// The text itself when the content is one text run (reused rather than transcoded again
    /// when a piece covers all of it).
    private let singleText: String?

    /// The items of `content`, its text and items written to buffers of `matcher` (its
    /// `unitBuffer(capacity:)` and `itemBuffer(capacity:)`).
    init(_ content: Content, matcher: SRXMatcher) {
        runs = content.runs
        // One pass over the runs: whether any is a code or marker, and room for the text (at
        // most a unit per UTF-8 byte), so that the runs are transcoded straight into a buffer
        // of that size; appended run by run, an array was grown (and copied) and zero-filled.
        var codeRuns = 0
        var room = 0
        var markers = false
        for run in runs {
            switch run {
            case .text(let t): room += t.utf8.count
            case .code: codeRuns += 1
            case .marker:
                markers = true
                codeRuns += 1
            }
        }
        hasMarkers = markers
        isTextOnly = codeRuns == 0
        if runs.count == 1, case .text(let t) = runs[0] { singleText = t } else { singleText = nil }
        let runs = self.runs
        var textRuns: [(start: Int, run: Int)] = []
        if codeRuns > 0 { textRuns.reserveCapacity(runs.count - codeRuns) }
        let out = matcher.unitBuffer(capacity: room)
        var written = 0
        for (r, run) in runs.enumerated() {
            guard case .text(let t) = run else { continue }
            // The text runs are only mapped when there are codes (`textRuns`).
            if codeRuns > 0 { textRuns.append((written, r)) }
            if !t.isEmpty { written += t.writeUTF16(to: out + written) }
        }
        text = UnsafeBufferPointer(start: out, count: written)
        self.textRuns = textRuns
        if codeRuns == 0 { return }
        let textCount = text.count
        let items = matcher.itemBuffer(capacity: textCount + codeRuns)
        var item = 0
        var nextTextRun = 0
        for r in runs.indices {
            if nextTextRun < textRuns.count && textRuns[nextTextRun].run == r {
                let start = textRuns[nextTextRun].start
                let end = nextTextRun + 1 < textRuns.count ? textRuns[nextTextRun + 1].start : textCount
                // The run's offsets, counting up: a loop the compiler turns into vector stores.
                let to = items + item
                for j in 0..<(end - start) { (to + j).initialize(to: start &+ j) }
                item += end - start
                nextTextRun += 1
            } else {
                (items + item).initialize(to: ~r)
                item += 1
            }
        }
        kinds = UnsafeBufferPointer(start: items, count: item)
    }

    /// True when the content is one text run.
    var isSingleTextRun: Bool { singleText != nil }

    /// The number of items.
    var count: Int { isTextOnly ? text.count : kinds.count }

    /// The item of text unit `offset` (`0 ..< text.count`): the unit's offset plus the code and
    /// marker runs before its text run, which are the runs before it that are not text runs.
    /// Found from the text runs (asked twice per sentence) rather than from a map of every
    /// unit, which cost as much to write as the items themselves.
    func itemIndex(ofText offset: Int) -> Int {
        if isTextOnly { return offset }
        let t = textRun(holding: offset)
        return offset + textRuns[t.k].run - t.k
    }

    func isCode(_ item: Int) -> Bool {
        !isTextOnly && kinds[item] < 0
    }

    /// Whether the code or marker at `item`, standing between two sentences, ends the previous
    /// segment (SRX `include="yes"`) rather than starting the next.
    func staysWithPrevious(_ item: Int, placement: SRXCodePlacement) -> Bool {
        guard !isTextOnly, kinds[item] < 0 else { return false }
        switch runs[~kinds[item]] {
        case .code(let code):
            if code.isolated { return placement.includeIsolatedCodes }
            switch code.kind {
            case .opening: return placement.includeStartCodes
            case .closing: return placement.includeEndCodes
            case .standalone: return placement.includeIsolatedCodes
            }
        case .marker(let marker):
            // An annotation's end closes what precedes it; its start opens what follows.
            return marker.boundary == .end
        case .text:
            return false
        }
    }

    /// Breaks whose sentences would each hold part of a paired code's span (or of a marker's):
    /// removed. A span straddles a break when it opens before the last character of the sentence
    /// before the break and closes after the first character of the sentence after it.
    func removingBreaksInsideSpans(_ breaks: [Int], codesToo: Bool) -> [Int] {
        // No break, nothing to remove (most paragraphs of one sentence).
        guard !breaks.isEmpty else { return breaks }
        // Spans in text offsets: (opening sits before unit `open`, closing before unit `close`).
        var spans: [(open: Int, close: Int)] = []
        var openCodes: [String: [Int]] = [:]
        var openMarkers: [String: [Int]] = [:]
        // Run by run rather than item by item: a code sits before the units of the text runs
        // after it, that is after those of the text runs before it.
        var offset = 0
        var textRun = 0
        for run in runs {
            switch run {
            case .text:
                offset = textRun + 1 < textRuns.count ? textRuns[textRun + 1].start : text.count
                textRun += 1
            case .code(let code) where codesToo && !code.isolated:
                if code.kind == .opening { openCodes[code.id, default: []].append(offset) }
                if code.kind == .closing, let open = openCodes[code.id]?.popLast() { spans.append((open, offset)) }
            case .marker(let marker):
                if marker.boundary == .start { openMarkers[marker.id, default: []].append(offset) }
                if marker.boundary == .end, let open = openMarkers[marker.id]?.popLast() { spans.append((open, offset)) }
            default:
                break
            }
        }
        guard !spans.isEmpty else { return breaks }
        var kept: [Int] = []
        for (k, p) in breaks.enumerated() {
            let lowerLimit = k > 0 ? breaks[k - 1] : 0
            let upperLimit = k + 1 < breaks.count ? breaks[k + 1] : text.count
            var leftLast = p - 1
            while leftLast >= lowerLimit && TextWhitespace.isWhitespace(text[leftLast]) { leftLast -= 1 }
            var rightFirst = p
            while rightFirst < upperLimit && TextWhitespace.isWhitespace(text[rightFirst]) { rightFirst += 1 }
            if leftLast < lowerLimit || rightFirst >= upperLimit { kept.append(p); continue }
            let straddles = spans.contains { $0.open <= leftLast && $0.close > rightFirst }
            if !straddles { kept.append(p) }
        }
        return kept
    }

    /// The runs of items `range` as content (text units merged into text runs). `cut` keeps
    /// the slicer of the text run last cut, since a run is cut at each sentence it holds.
    func content(_ range: Range<Int>, cut: inout (run: Int, slicer: UTF16Slicer)?, language: String?, preserveSpace: Bool?) -> Content {
        var out = Content(language: language, preserveSpace: preserveSpace)
        // Room for the runs first (one per code or marker, one per text run met): appended
        // one by one, the array was allocated and then grown again for most pieces.
        var runCount = 0
        var j = range.lowerBound
        while j < range.upperBound {
            let kind = kinds[j]
            j = kind < 0 ? j + 1 : min(range.upperBound, j + (textRun(holding: kind).end - kind))
            runCount += 1
        }
        out.runs.reserveCapacity(runCount)
        var i = range.lowerBound
        while i < range.upperBound {
            let kind = kinds[i]
            guard kind >= 0 else {
                out.append(runs[~kind])
                i += 1
                continue
            }
            // The items of a text run stand for consecutive units of `text`: the part of the run
            // in `range` is taken at once, as a slice of the run's own string.
            let t = textRun(holding: kind)
            let end = min(range.upperBound, i + (t.end - kind))
            out.append(.text(text(kind..<(kind + end - i), of: t, cut: &cut)))
            i = end
        }
        return out
    }

    /// The text run whose units include text offset `offset`: its index in `textRuns`, and
    /// where its units start and end in `text`.
    private func textRun(holding offset: Int) -> (k: Int, start: Int, end: Int) {
        // The last run starting at or before `offset`, then past empty runs.
        var low = 0, high = textRuns.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if textRuns[mid].start <= offset { low = mid } else { high = mid }
        }
        var k = low
        while true {
            let end = k + 1 < textRuns.count ? textRuns[k + 1].start : text.count
            if end > offset || k + 1 == textRuns.count { return (k, textRuns[k].start, end) }
            k += 1
        }
    }

    /// Units `slice` of text run `t`: the run's own string when it is all of it, a cut of its
    /// UTF-8 bytes, or (a cut inside a character) the units transcoded.
    private func text(_ slice: Range<Int>, of t: (k: Int, start: Int, end: Int), cut: inout (run: Int, slicer: UTF16Slicer)?) -> String {
        let r = textRuns[t.k].run
        guard case .text(let string) = runs[r] else { return String(transcodingUTF16: UnsafeBufferPointer(rebasing: text[slice])) }
        if slice == t.start..<t.end { return string }
        if cut?.run != r { cut = (r, UTF16Slicer(string, units: text.baseAddress! + t.start, count: t.end - t.start)) }
        if let piece = cut!.slicer.slice((slice.lowerBound - t.start)..<(slice.upperBound - t.start)) { return piece }
        return String(transcodingUTF16: UnsafeBufferPointer(rebasing: text[slice]))
    }

    /// A slicer of the single text run, when the content is one (see `textContent`).
    func slicer() -> UTF16Slicer? {
        singleText.map { UTF16Slicer($0, units: text.baseAddress!, count: text.count) }
    }

    /// Text units `range` of text-only content as content of one text run: a slice of the
    /// single text run when there is one (a copy of its UTF-8 bytes, already valid), otherwise
    /// the units transcoded back.
    func textContent(_ range: Range<Int>, slicer: inout UTF16Slicer?, language: String?, preserveSpace: Bool?) -> Content {
        let string: String
        if let singleText, range == 0..<text.count {
            string = singleText
        } else if let slice = slicer?.slice(range) {
            string = slice
        } else {
            string = String(transcodingUTF16: UnsafeBufferPointer(rebasing: text[range]))
        }
        return Content([.text(string)], language: language, preserveSpace: preserveSpace)
    }
}

/// Cuts a string at UTF-16 offsets asked for in increasing order: the pieces are copies of its
/// UTF-8 bytes (no transcoding from UTF-16, no validation), which made building the segments of
/// a paragraph several times cheaper. The UTF-8 offsets are counted on the string's UTF-16
/// units (which the segmenter has anyway), from where the last cut was.
struct UTF16Slicer {
    private let string: String
    /// The string's UTF-16 units (`count` of them), which must stay valid while the slicer is used.
    private let units: UnsafePointer<UInt16>
    private let count: Int
    /// Every character is one byte and one unit: the offsets are the same.
    private let ascii: Bool
    /// A place both offsets name, where the last count stopped.
    private var utf16 = 0
    private var utf8 = 0

    /// A slicer of `string`, whose UTF-16 units are the `count` at `units`.
    init(_ string: String, units: UnsafePointer<UInt16>, count: Int) {
        self.string = string
        self.units = units
        self.count = count
        ascii = string.utf8.count == count
    }

    /// The UTF-8 offset of UTF-16 offset `target`; nil inside a surrogate pair.
    private mutating func utf8Offset(_ target: Int) -> Int? {
        if ascii { return target }
        // A trail surrogate always follows a lead in a string: a cut before one splits a pair.
        if target > 0 && target < count && UTF16.isTrailSurrogate(units[target]) { return nil }
        if target < utf16 { utf16 = 0; utf8 = 0 }
        utf8 += Self.utf8Count(units + utf16, count: target - utf16)
        utf16 = target
        return utf8
    }

    /// The UTF-8 length of `count` UTF-16 units: one byte per unit, one more from U+0080, one
    /// more from U+0800, one less for each half of a surrogate pair (four bytes for the two).
    /// Four units at a time while they are ASCII (one 64-bit load and test: most of a text in
    /// a Latin script) or below U+0800 (accented Latin letters: the units from U+0080 counted
    /// in the same word), unit by unit (branch-free) for the four that are not.
    private static func utf8Count(_ start: UnsafePointer<UInt16>, count: Int) -> Int {
        var bytes = count
        var k = 0
        let raw = UnsafeRawPointer(start)
        while k &+ 4 <= count {
            let word = raw.loadUnaligned(fromByteOffset: 2 &* k, as: UInt64.self)
            let high = word & 0xFF80_FF80_FF80_FF80
            if high != 0 {
                if word & 0xF800_F800_F800_F800 == 0 {
                    // Bit 15 of each 16-bit lane set when the lane is not zero (the low bits
                    // added up cannot carry out of the lane), then the four bits summed into
                    // the top lane by one multiplication.
                    let nonZero = (((high & 0x7FFF_7FFF_7FFF_7FFF) &+ 0x7FFF_7FFF_7FFF_7FFF) | high) & 0x8000_8000_8000_8000
                    bytes &+= Int(truncatingIfNeeded: ((nonZero &>> 15) &* 0x0001_0001_0001_0001) &>> 48)
                } else {
                    for j in k..<(k &+ 4) { bytes &+= extraBytes(start[j]) }
                }
            }
            k &+= 4
        }
        while k < count {
            bytes &+= extraBytes(start[k])
            k &+= 1
        }
        return bytes
    }

    /// UTF-8 bytes of unit `u` beyond one (see `utf8Count`).
    @inline(__always)
    private static func extraBytes(_ u: UInt16) -> Int {
        (u >= 0x80 ? 1 : 0) &+ (u >= 0x800 ? 1 : 0) &- (u & 0xF800 == 0xD800 ? 1 : 0)
    }

    /// The characters of UTF-16 range `range`; nil when a bound falls inside a character.
    mutating func slice(_ range: Range<Int>) -> String? {
        guard let a = utf8Offset(range.lowerBound), let b = utf8Offset(range.upperBound) else { return nil }
        let view = string.utf8
        return String(string[view.index(view.startIndex, offsetBy: a)..<view.index(view.startIndex, offsetBy: b)])
    }
}
