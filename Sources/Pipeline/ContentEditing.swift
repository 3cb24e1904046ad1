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
        // Plain loops, no nested function: a closure capturing `out` would box it and make every
        // append copy it.
        var runs: [Run] = []
        runs.reserveCapacity(self.runs.count + events.count + 2)
        var offset = 0
        var next = 0
        for run in self.runs {
            switch run {
            case .text(let t):
                var pending = ""
                for scalar in t.unicodeScalars {
                    if next < events.count, events[next].offset == offset {
                        if !pending.isEmpty { runs.append(.text(pending)); pending = "" }
                        while next < events.count, events[next].offset == offset, events[next].isEnd { runs.append(.marker(events[next].marker)); next += 1 }
                        while next < events.count, events[next].offset == offset, !events[next].isEnd { runs.append(.marker(events[next].marker)); next += 1 }
                    }
                    pending.unicodeScalars.append(scalar)
                    offset += scalar.utf16.count
                }
                if !pending.isEmpty { runs.append(.text(pending)) }
            case .code:
                while next < events.count, events[next].offset == offset, events[next].isEnd { runs.append(.marker(events[next].marker)); next += 1 }
                runs.append(run)
            case .marker:
                runs.append(run)
            }
        }
        while next < events.count { runs.append(.marker(events[next].marker)); next += 1 }
        var out = Content(language: language)
        for run in runs { out.append(run) }
        return out
    }
}
