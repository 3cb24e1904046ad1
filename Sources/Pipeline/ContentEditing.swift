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
                // Past the last boundary, offsets no longer matter: the rest is kept whole.
                guard next < events.count else {
                    runs.append(run)
                    continue
                }
                // UTF-16 offsets counted on the UTF-8 bytes (a scalar of 4 bytes is 2 units),
                // cutting only at scalar boundaries; runs without a boundary are kept whole.
                var text = t
                var cuts: [(byte: Int, first: Int, end: Int)] = []
                let byteCount: Int = text.withUTF8 { bytes in
                    var i = 0
                    while i < bytes.count {
                        if next < events.count, events[next].offset == offset {
                            let first = next
                            while next < events.count, events[next].offset == offset { next += 1 }
                            cuts.append((i, first, next))
                        }
                        let b = bytes[i]
                        let width = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                        offset += width == 4 ? 2 : 1
                        i += width
                    }
                    return bytes.count
                }
                guard !cuts.isEmpty else {
                    runs.append(run)
                    continue
                }
                var pendingStart = 0
                for cut in cuts {
                    if pendingStart < cut.byte {
                        runs.append(.text(text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[pendingStart..<cut.byte]), as: UTF8.self) }))
                        pendingStart = cut.byte
                    }
                    // Ends before starts at the same offset: a span closes before the next opens.
                    for k in cut.first..<cut.end where events[k].isEnd { runs.append(.marker(events[k].marker)) }
                    for k in cut.first..<cut.end where !events[k].isEnd { runs.append(.marker(events[k].marker)) }
                }
                if pendingStart < byteCount {
                    runs.append(.text(text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[pendingStart...]), as: UTF8.self) }))
                }
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
