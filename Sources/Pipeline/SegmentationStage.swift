import TranslationModel

/// Finds sentence breaks in plain text: UTF-16 offsets strictly inside the text, in order.
/// `Segmentation.Segmenter` (SRX rules) is the one `verso` uses.
public protocol SentenceBreaker: Sendable {
    /// Break positions in `text`.
    func breakPositions(in text: String) -> [UTF16Offset]
}

/// Splits each unit's single segment into sentences: segments, with the whitespace between
/// two sentences as an ignorable, inline codes kept intact.
///
/// A code standing exactly at a break goes with the sentence it belongs to: an opening code
/// with the sentence after the break, a closing code with the one before, a standalone code
/// with the one after when whitespace precedes it (`. <br>Deux`), else the one before. No
/// break is made inside an annotation (a marker span), nor between an opening code and its
/// closing code unless `breakInsideCodeSpans` (the codes would then be isolated in two
/// segments). Units already segmented, translated, or marked `canResegment="no"` are left alone.
public struct SegmentationStage: Stage {
    /// "segment".
    public var name: String { "segment" }

    private let breakers: @Sendable (String) throws -> any SentenceBreaker
    private let breakInsideCodeSpans: Bool

    /// Creates the stage; `breakers` gives the breaker for a source language (BCP 47).
    public init(breakInsideCodeSpans: Bool = false, breakers: @escaping @Sendable (String) throws -> any SentenceBreaker) {
        self.breakers = breakers
        self.breakInsideCodeSpans = breakInsideCodeSpans
    }

    /// Segments one unit.
    public func process(_ unit: Unit, in context: StageContext) throws -> Unit {
        guard unit.canResegment != false, unit.parts.count == 1, case .segment(let segment) = unit.parts[0],
              segment.canResegment != false, segment.target?.isEmpty ?? true else { return unit }
        let source = segment.source
        let text = source.plainText
        guard !text.isEmpty else { return unit }
        let breaks = allowedBreaks(try breakers(context.sourceLanguage).breakPositions(in: text), in: source)
        guard !breaks.isEmpty else { return unit }
        let pieces = Self.split(source, at: breaks)
        guard pieces.count > 1 else { return unit }

        var parts: [UnitPart] = []
        var number = 0
        for (index, piece) in pieces.enumerated() {
            var body = piece
            var before = Content()
            var after = Content()
            if index > 0 { before = Self.takeLeadingWhitespace(&body) }
            if index < pieces.count - 1 { after = Self.takeTrailingWhitespace(&body) }
            if !before.isEmpty {
                // Whitespace after the previous sentence and before this one: one ignorable.
                if case .ignorable(var i)? = parts.last {
                    i.source.append(contentsOf: before)
                    parts[parts.count - 1] = .ignorable(i)
                } else {
                    parts.append(.ignorable(Ignorable(source: before)))
                }
            }
            number += 1
            var s = segment
            s.id = String(number)
            s.source = body
            s.source.language = source.language
            s.target = segment.target.map { _ in Content() }
            parts.append(.segment(s))
            if !after.isEmpty { parts.append(.ignorable(Ignorable(source: after))) }
        }
        var u = unit
        u.parts = parts
        return u
    }

    /// The breaks that fall neither inside a marker span nor (unless allowed) inside a paired
    /// code span, and that leave text on both sides.
    private func allowedBreaks(_ breaks: [UTF16Offset], in content: Content) -> [UTF16Offset] {
        // Offsets where a break is forbidden: strictly inside spans.
        var forbidden: [Range<Int>] = []
        var openMarkers: [String: Int] = [:]
        var openCodes: [String: Int] = [:]
        var offset = 0
        for run in content.runs {
            switch run {
            case .text(let t): offset += t.utf16.count
            case .marker(let m):
                if m.boundary == .start { openMarkers[m.id] = offset } else if let s = openMarkers.removeValue(forKey: m.id), offset > s { forbidden.append(s..<offset) }
            case .code(let c):
                guard !breakInsideCodeSpans else { continue }
                if c.kind == .opening { openCodes[c.id] = offset } else if c.kind == .closing, let s = openCodes.removeValue(forKey: c.id), offset > s { forbidden.append(s..<offset) }
            }
        }
        let length = offset
        return breaks.filter { b in
            b > 0 && b < length && !forbidden.contains { $0.lowerBound < b && b < $0.upperBound }
        }
    }

    /// Cuts content at plain-text offsets (sorted).
    static func split(_ content: Content, at breaks: [Int]) -> [Content] {
        var pieces: [[Run]] = [[]]
        var offset = 0
        var next = 0
        var previous: Unicode.Scalar?
        for run in content.runs {
            switch run {
            case .text(let t):
                var pending = ""
                for scalar in t.unicodeScalars {
                    defer { previous = scalar }
                    if next < breaks.count, breaks[next] == offset {
                        if !pending.isEmpty { pieces[pieces.count - 1].append(.text(pending)); pending = "" }
                        pieces.append([])
                        next += 1
                    }
                    pending.unicodeScalars.append(scalar)
                    offset += scalar.utf16.count
                }
                if !pending.isEmpty { pieces[pieces.count - 1].append(.text(pending)) }
            case .code(let c):
                // An opening code at a break starts the next sentence; so does a standalone code
                // after the whitespace that ends the previous one.
                let startsNext = c.kind == .opening || (c.kind == .standalone && previous.map(isSpace) == true)
                if startsNext, next < breaks.count, breaks[next] == offset {
                    pieces.append([])
                    next += 1
                }
                pieces[pieces.count - 1].append(run)
            case .marker(let m):
                if m.boundary == .start, next < breaks.count, breaks[next] == offset {
                    pieces.append([])
                    next += 1
                }
                pieces[pieces.count - 1].append(run)
            }
        }
        // A piece without text (codes only) joins the one before.
        var out: [Content] = []
        for runs in pieces {
            let c = Content(runs)
            if !out.isEmpty, !c.runs.contains(where: { if case .text(let t) = $0 { return t.unicodeScalars.contains { !isSpace($0) } } else { return false } }) {
                out[out.count - 1].append(contentsOf: c)
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Whitespace between sentences (not the no-break spaces of French typography, which belong
    /// to the sentence).
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0C}" || s == "\u{3000}"
    }

    /// Removes and returns the whitespace at the start of the first text run (only when text
    /// comes first: whitespace after a code stays).
    static func takeLeadingWhitespace(_ content: inout Content) -> Content {
        guard case .text(let t)? = content.runs.first else { return Content() }
        let scalars = t.unicodeScalars
        let cut = scalars.firstIndex { !isSpace($0) } ?? scalars.endIndex
        guard cut != scalars.startIndex else { return Content() }
        let head = String(scalars[..<cut]), tail = String(scalars[cut...])
        if tail.isEmpty { content.runs.removeFirst() } else { content.runs[0] = .text(tail) }
        return Content(head)
    }

    /// Removes and returns the whitespace at the end of the last text run.
    static func takeTrailingWhitespace(_ content: inout Content) -> Content {
        guard case .text(let t)? = content.runs.last else { return Content() }
        let scalars = t.unicodeScalars
        var cut = scalars.endIndex
        while cut > scalars.startIndex, isSpace(scalars[scalars.index(before: cut)]) { cut = scalars.index(before: cut) }
        guard cut != scalars.endIndex else { return Content() }
        let head = String(scalars[..<cut]), tail = String(scalars[cut...])
        if head.isEmpty { content.runs.removeLast() } else { content.runs[content.runs.count - 1] = .text(head) }
        return Content(tail)
    }
}
