/// How the lines of a plain-text paragraph were broken: by a person (a list, a heading, an
/// address, one sentence per line) or by an editor or e-mail program wrapping prose at a fixed
/// width (Project Gutenberg books, RFCs, mail). Wrapped line breaks are *soft*: they stand for a
/// space, so a sentence goes on across them. `verso segment` and the plain-text reader of
/// `verso prepare` both decide with this type, so they agree.
///
/// A paragraph (lines up to a blank line) is hard-wrapped prose when it has three lines or more
/// (or two, the first at least 60 columns wide),
/// its longest line is 40 to 200 columns, at least three quarters of its lines before the last
/// reach close to that width (within a fifth of it, or would have overflowed it with the next
/// line's first word), and at most a quarter start with a list marker (`•`, `-`, `1.`, `a)`).
/// Its breaks are then soft, except before a line that starts a list item or is indented more
/// than the others, after a line that stops well short of the width, and between two CJK
/// characters (CJK is wrapped without spaces: joining with a space would change the text).
///
/// In any paragraph, a break is also soft when the line holds at least three words and stops
/// without punctuation, the next line goes on in lower case, and the paragraph ends like a
/// sentence (`. ! ? …`, perhaps before closing quotes or brackets), with no line starting with a
/// list marker: `Ceci est une phrase\nqui continue ici.` is one sentence, while
/// `features\ncontact manager\nevents, activities` stays three lines.
public enum LineWrapping {
    /// The line terminators (`\n`, `\r\n` or `\r`, as UTF-16 ranges) of `paragraph` that are soft.
    /// `paragraph` is one paragraph: the caller cuts text at blank lines first.
    public static func softLineBreaks(in paragraph: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
        let lines = Self.lines(of: paragraph)
        guard lines.count >= 2 else { return [] }
        let infos = lines.map { LineInfo(paragraph, $0) }
        let markers = infos.dropFirst().filter(\.startsListItem).count
        var soft: [Range<Int>] = []
        let widest = infos.map(\.width).max() ?? 0
        if lines.count >= 3 || infos[0].width >= 60, widest >= 40, widest <= 200, markers * 4 <= lines.count {
            let band = max(8, widest / 5)
            func wrapLike(_ i: Int) -> Bool {
                infos[i].width >= widest - band || infos[i].width + 1 + infos[i + 1].firstWordWidth > widest
            }
            let nonLast = lines.count - 1
            let wrapped = (0..<nonLast).filter(wrapLike).count
            if wrapped * 4 >= nonLast * 3 {
                let continuationIndent = infos.dropFirst().map(\.indent).min() ?? 0
                for i in 0..<nonLast {
                    let next = infos[i + 1]
                    // A line indented more than the others, or than the first (unless that opens a
                    // list item, whose wrapped lines hang), starts something new.
                    let indented = next.indent > continuationIndent || (next.indent > infos[0].indent && !infos[0].startsListItem)
                    guard wrapLike(i), !next.startsListItem, !indented,
                          !(infos[i].endsCJK && next.startsCJK) else { continue }
                    soft.append(lines[i].terminator)
                }
                return soft
            }
        }
        // Sentence continuation in a paragraph that is not wrapped at a width.
        guard markers == 0, !infos[0].startsListItem, infos[infos.count - 1].endsSentence else { return [] }
        for i in 0..<(lines.count - 1) {
            let line = infos[i], next = infos[i + 1]
            if line.words >= 3, line.endsWithoutPunctuation, next.indent == 0, next.startsLowercase {
                soft.append(lines[i].terminator)
            }
        }
        return soft
    }

    /// Soft line breaks of a string (UTF-16 ranges).
    public static func softLineBreaks(in paragraph: String) -> [Range<Int>] {
        var units = Array(paragraph.utf16)
        return units.withUnsafeMutableBufferPointer { softLineBreaks(in: UnsafeBufferPointer($0)) }
    }

    /// One line: its content (without terminator) and its terminator.
    struct Line {
        var content: Range<Int>
        var terminator: Range<Int>
    }

    static func lines(of text: UnsafeBufferPointer<UInt16>) -> [Line] {
        var result: [Line] = []
        var start = 0
        var i = 0
        let n = text.count
        while i < n {
            let u = text[i]
            if u == 0x0A || u == 0x0D {
                var end = i + 1
                if u == 0x0D, end < n, text[end] == 0x0A { end += 1 }
                result.append(Line(content: start..<i, terminator: i..<end))
                start = end
                i = end
                continue
            }
            i += 1
        }
        result.append(Line(content: start..<n, terminator: n..<n))
        return result
    }

    /// What the decision needs to know about one line.
    struct LineInfo {
        /// Columns up to the last character that is not whitespace (characters, not UTF-16 units).
        var width = 0
        /// Leading spaces and tabs (a tab counts as one).
        var indent = 0
        /// Columns of the first word.
        var firstWordWidth = 0
        var words = 0
        var startsListItem = false
        var startsLowercase = false
        var startsCJK = false
        var endsCJK = false
        var endsWithoutPunctuation = false
        var endsSentence = false

        init(_ text: UnsafeBufferPointer<UInt16>, _ line: Line) {
            var scalars: [Unicode.Scalar] = []
            var i = line.content.lowerBound
            let end = line.content.upperBound
            while i < end {
                let u = text[i]
                if u >= 0xD800 && u < 0xDC00, i + 1 < end, text[i + 1] >= 0xDC00 && text[i + 1] < 0xE000 {
                    let v = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(text[i + 1]) - 0xDC00)
                    scalars.append(Unicode.Scalar(v) ?? " ")
                    i += 2
                } else {
                    scalars.append(Unicode.Scalar(u) ?? "\u{FFFD}")
                    i += 1
                }
            }
            while let last = scalars.last, Self.isWhitespace(last) { scalars.removeLast() }
            width = scalars.count
            while indent < scalars.count, scalars[indent] == " " || scalars[indent] == "\t" { indent += 1 }
            let body = scalars[indent...]
            guard let first = body.first, let last = body.last else { return }
            var inWord = false
            for s in body {
                if Self.isWhitespace(s) { inWord = false } else if !inWord { inWord = true; words += 1 }
            }
            firstWordWidth = body.prefix { !Self.isWhitespace($0) }.count
            startsLowercase = first.properties.isLowercase
            startsCJK = Self.isCJK(first)
            endsCJK = Self.isCJK(last)
            endsWithoutPunctuation = last.properties.isAlphabetic || last.properties.numericType != nil
            var tail = body[...]
            while let c = tail.last, "\"'”’»)]}".unicodeScalars.contains(c) { tail = tail.dropLast() }
            endsSentence = tail.last.map { ".!?…".unicodeScalars.contains($0) } ?? false
            startsListItem = Self.startsListItem(Array(body.prefix(8)))
        }

        /// Unicode's White_Space, answered without the property lookup for ASCII (tab, line
        /// feed, vertical tab, form feed, carriage return, space), which most characters are: the
        /// lookup per character was 18 % of `verso segment` on hard-wrapped text.
        @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x80 ? (s.value == 0x20 || (s.value >= 0x09 && s.value <= 0x0D)) : s.properties.isWhitespace
        }

        static func isCJK(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FFFF: return true
            default: return false
            }
        }

        /// `•`, `-`, `*`, `–` before a space; `1.`, `12)`, `a)`, `(iv)` before a space.
        static func startsListItem(_ s: [Unicode.Scalar]) -> Bool {
            guard let first = s.first else { return false }
            func spaceAt(_ k: Int) -> Bool { k < s.count && (s[k] == " " || s[k] == "\t") }
            if "•◦▪‣⁃·*-–—".unicodeScalars.contains(first) { return spaceAt(1) }
            var k = first == "(" ? 1 : 0
            let markStart = k
            while k < s.count, k - markStart < 4, s[k].properties.numericType != nil || ("a"..."z").contains(s[k]) { k += 1 }
            let mark = s[markStart..<k]
            guard !mark.isEmpty, k < s.count else { return false }
            let digits = mark.allSatisfy { $0.properties.numericType != nil }
            let roman = mark.allSatisfy { "ivx".unicodeScalars.contains($0) }
            let letter = mark.count == 1 && !digits
            guard digits || roman || letter else { return false }
            if s[k] == ")" { return spaceAt(k + 1) }
            if s[k] == "." && digits { return spaceAt(k + 1) }
            return false
        }
    }
}
