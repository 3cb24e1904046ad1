import TranslationModel

extension Content {
    /// The content with annotation markers inserted around spans of its plain text
    /// (`plainText` UTF-16 offsets). Spans must not overlap; a span that would end inside
    /// another marker's span is dropped. Markers at the same offset as a code go inside it
    /// when they start and outside when they end, so a marked term never swallows a tag.
    func insertingMarkers(_ spans: [(range: Range<Int>, start: Marker, end: Marker)]) -> Content {
        guard !spans.isEmpty else { return self }
        let sorted = spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
        // Boundaries in order: offsets apart from the markers, which are only read when placed.
        var offsets: [Int] = []
        var isEnd: [Bool] = []
        var markers: [Marker] = []
        offsets.reserveCapacity(2 * sorted.count)
        isEnd.reserveCapacity(2 * sorted.count)
        markers.reserveCapacity(2 * sorted.count)
        var lastEnd = -1
        for s in sorted where s.range.lowerBound >= lastEnd && !s.range.isEmpty {
            offsets.append(s.range.lowerBound); isEnd.append(false); markers.append(s.start)
            offsets.append(s.range.upperBound); isEnd.append(true); markers.append(s.end)
            lastEnd = s.range.upperBound
        }
        let count = offsets.count
        // Plain loops and static helpers, no nested function: a closure capturing `runs` would
        // box it and make every append copy it.
        var runs: [Run] = []
        runs.reserveCapacity(self.runs.count + count + 2)
        var offset = 0
        var next = 0
        for run in self.runs {
            switch run {
            case .text(let t):
                // Past the last boundary, offsets no longer matter: the rest is kept whole.
                guard next < count else {
                    Self.appendMerging(run, to: &runs)
                    continue
                }
                // UTF-16 offsets counted on the UTF-8 bytes (a scalar of 4 bytes is 2 units),
                // cutting only at scalar boundaries, and only as far as the boundaries need
                // (eight ASCII bytes at a time); a run without a boundary is kept whole.
                let runStart = offset
                var text = t
                var cut = false
                var done = false
                text.withUTF8 { bytes in
                    let n = bytes.count
                    var i = 0
                    var pendingStart = 0
                    while next < count {
                        let target = offsets[next]
                        // Up to the boundary, or past it when it falls inside a surrogate pair
                        // (then no boundary is ever met again: the rest go at the end).
                        while i < n && offset < target {
                            if target - offset >= 8 && n - i >= 8,
                               UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                                i += 8
                                offset += 8
                                continue
                            }
                            let b = bytes[i]
                            let width = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                            offset += width == 4 ? 2 : 1
                            i += width
                        }
                        // A boundary at the run's end belongs to what follows it.
                        guard i < n && offset == target else { break }
                        if pendingStart < i {
                            Self.appendMerging(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[pendingStart..<i]), as: UTF8.self)), to: &runs)
                            pendingStart = i
                        }
                        let first = next
                        while next < count && offsets[next] == offset { next += 1 }
                        // Ends before starts at the same offset: a span closes before the next opens.
                        for k in first..<next where isEnd[k] { runs.append(.marker(markers[k])) }
                        for k in first..<next where !isEnd[k] { runs.append(.marker(markers[k])) }
                        cut = true
                    }
                    if cut && pendingStart < n {
                        Self.appendMerging(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[pendingStart...]), as: UTF8.self)), to: &runs)
                    }
                    done = next >= count || offsets[next] < offset
                }
                if !cut { Self.appendMerging(run, to: &runs) }
                // The offset at the run's end, unless no boundary can be met any more.
                if !done { offset = runStart + t.utf16.count }
            case .code:
                while next < count, offsets[next] == offset, isEnd[next] { runs.append(.marker(markers[next])); next += 1 }
                runs.append(run)
            case .marker:
                runs.append(run)
            }
        }
        while next < count { runs.append(.marker(markers[next])); next += 1 }
        return Content(runs, language: language, preserveSpace: preserveSpace)
    }

    /// Appends `run` as `Content.append` does: an empty text is dropped, a text after a text
    /// joins it.
    private static func appendMerging(_ run: Run, to runs: inout [Run]) {
        if case .text(let t) = run {
            if t.isEmpty { return }
            if case .text(let previous)? = runs.last {
                runs[runs.count - 1] = .text(previous + t)
                return
            }
        }
        runs.append(run)
    }
}
