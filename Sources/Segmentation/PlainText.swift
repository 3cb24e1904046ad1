import TranslationModel

/// Plain text as Verso's `segment` command and the text readers see it: paragraphs separated by
/// blank lines (a line holding only spaces or tabs counts as blank).
public enum TextParagraphs {
    /// The paragraphs of UTF-16 text, as ranges that exclude the blank lines between them (leading
    /// and trailing whitespace inside a paragraph is kept; the segmenter trims it).
    public static func ranges(in text: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let n = text.count
        var paragraphStart = 0
        var lineStart = 0
        var lineBlank = true
        var lastContentLineEnd = -1 // end (exclusive, before the line break) of the last non-blank line
        var i = 0
        while i <= n {
            let atEnd = i == n
            let u: UInt16 = atEnd ? 0x0A : text[i]
            if u == 0x0A || u == 0x0D || atEnd {
                let lineEnd = i
                if u == 0x0D, i + 1 < n, text[i + 1] == 0x0A { i += 1 }
                if lineBlank {
                    // A blank line ends the paragraph (if it has content).
                    if lastContentLineEnd >= 0 {
                        result.append(paragraphStart..<lastContentLineEnd)
                        lastContentLineEnd = -1
                    }
                    paragraphStart = i + 1
                } else {
                    lastContentLineEnd = lineEnd
                }
                i += 1
                lineStart = i
                lineBlank = true
                continue
            }
            if lineBlank && !(u == 0x20 || u == 0x09 || u == 0x0B || u == 0x0C || u == 0xA0 || u == 0x202F || u == 0x3000 || u == 0xFEFF) {
                lineBlank = false
            }
            i += 1
        }
        _ = lineStart
        if lastContentLineEnd >= 0 { result.append(paragraphStart..<lastContentLineEnd) }
        return result
    }

    /// Paragraph ranges of a string (UTF-16 offsets).
    public static func ranges(in text: String) -> [Range<Int>] {
        var units = Array(text.utf16)
        return units.withUnsafeMutableBufferPointer { ranges(in: UnsafeBufferPointer($0)) }
    }
}

extension Segmenter {
    /// The sentences of one paragraph of plain text (no blank line inside), as UTF-16 ranges:
    /// a line break that `LineWrapping` finds soft (hard-wrapped prose, a sentence going on in
    /// lower case) is seen by the rules as a space, so a sentence goes on across it; the others
    /// are left to the rules (Verso's end a sentence there). The ranges still cover the
    /// original line breaks.
    public func sentences(inParagraph text: UnsafeBufferPointer<UInt16>) -> [Range<UTF16Offset>] {
        let soft = LineWrapping.softLineBreaks(in: text)
        guard !soft.isEmpty else { return sentences(inUTF16: text) }
        var unwrapped = Array(text)
        for terminator in soft {
            for k in terminator { unwrapped[k] = 0x20 }
        }
        return unwrapped.withUnsafeBufferPointer { sentences(inUTF16: $0) }
    }

    /// The sentences of plain text, paragraph by paragraph: each paragraph (see `TextParagraphs`)
    /// is segmented on its own (`sentences(inParagraph:)`: soft line breaks of wrapped prose do
    /// not end a sentence), so a blank line always ends a sentence and `^` in a rule means the
    /// start of a paragraph. Ranges are UTF-16 offsets into the whole text.
    public func sentencesByParagraph(inUTF16 text: UnsafeBufferPointer<UInt16>) -> [[Range<UTF16Offset>]] {
        var result: [[Range<Int>]] = []
        for paragraph in TextParagraphs.ranges(in: text) {
            let slice = UnsafeBufferPointer(rebasing: text[paragraph])
            let ranges = sentences(inParagraph: slice).map { ($0.lowerBound + paragraph.lowerBound)..<($0.upperBound + paragraph.lowerBound) }
            if !ranges.isEmpty { result.append(ranges) }
        }
        return result
    }

    /// The sentences of a plain-text string, paragraph by paragraph (see `sentencesByParagraph(inUTF16:)`).
    public func sentencesByParagraph(in text: String) -> [[Range<UTF16Offset>]] {
        var units = Array(text.utf16)
        return units.withUnsafeMutableBufferPointer { sentencesByParagraph(inUTF16: UnsafeBufferPointer($0)) }
    }
}
