import TranslationModel

extension Content {
    /// The content with annotation markers inserted around spans of its plain text
    /// (`plainText` UTF-16 offsets). Spans must not overlap; a span that would end inside
    /// another marker's span is dropped. Markers at the same offset as a code go inside it
    /// when they start and outside when they end, so a marked term never swallows a tag.
    func insertingMarkers(_ spans: [(range: Range<Int>, start: Marker, end: Marker)]) -> Content {
        guard !spans.isEmpty else { return self }
        let sorted = spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var events: [(offset: Int, isEnd: Bool, marker: Marker)] = []
        var lastEnd = -1
        for s in sorted where s.range.lowerBound >= lastEnd && !s.range.isEmpty {
            events.append((s.range.lowerBound, false, s.start))
            events.append((s.range.upperBound, true, s.end))
            lastEnd = s.range.upperBound
        }
        var out = Content(language: language)
        var offset = 0
        var next = 0
        func emitMarkers(at position: Int, ends: Bool) {
            while next < events.count, events[next].offset == position, events[next].isEnd == ends {
                out.runs.append(.marker(events[next].marker))
                next += 1
            }
        }
        for run in runs {
            switch run {
            case .text(let t):
                var pending = ""
                for scalar in t.unicodeScalars {
                    if next < events.count, events[next].offset == offset {
                        if !pending.isEmpty { out.append(.text(pending)); pending = "" }
                        emitMarkers(at: offset, ends: true)
                        emitMarkers(at: offset, ends: false)
                    }
                    pending.unicodeScalars.append(scalar)
                    offset += scalar.utf16.count
                }
                if !pending.isEmpty { out.append(.text(pending)) }
            case .code:
                emitMarkers(at: offset, ends: true)
                out.runs.append(run)
            case .marker:
                out.runs.append(run)
            }
        }
        emitMarkers(at: offset, ends: true)
        emitMarkers(at: offset, ends: false)
        return out
    }
}
