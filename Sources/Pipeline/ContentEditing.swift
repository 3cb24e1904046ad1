import TranslationModel

extension Content {
    /// The content with annotation markers inserted around spans of its plain text
    /// (`plainText` UTF-16 offsets). Spans must not overlap; a span that would end inside
    /// another marker's span is dropped. Markers at the same offset as a code go inside it
    /// when they start and outside when they end, so a marked term never swallows a tag.
    func insertingMarkers(_ spans: [(range: Range<Int>, start: Marker, end: Marker)]) -> Content {
        guard !spans.isEmpty else { return self }
        // The term stage gives its spans in order already: sorting would copy every span (and
        // its two markers' strings) for nothing.
        var inOrder = true
        for k in spans.indices.dropFirst() where spans[k].range.lowerBound < spans[k - 1].range.lowerBound {
            inOrder = false
            break
        }
        let sorted = inOrder ? spans : spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
        // Boundaries in order: offsets apart from the markers, which are only read when placed
        // (through `spanOf`), from the spans themselves rather than copied into a list.
        var offsets: [Int] = []
        var isEnd: [Bool] = []
        var spanOf: [Int] = []
        offsets.reserveCapacity(2 * sorted.count)
        isEnd.reserveCapacity(2 * sorted.count)
        spanOf.reserveCapacity(2 * sorted.count)
        var lastEnd = -1
        for k in sorted.indices {
            let range = sorted[k].range
            guard range.lowerBound >= lastEnd && !range.isEmpty else { continue }
            offsets.append(range.lowerBound); isEnd.append(false); spanOf.append(k)
            offsets.append(range.upperBound); isEnd.append(true); spanOf.append(k)
            lastEnd = range.upperBound
        }
        let count = offsets.count
        // Plain loops, no nested function: a nested function capturing `out` would box it and
        // make every append copy it. `Content.append` joins a text to a text before it.
        var out = Content(language: language, preserveSpace: preserveSpace)
        out.runs.reserveCapacity(runs.count + count + 2)
        var offset = 0
        var next = 0
        for run in self.runs {
            switch run {
            case .text(let t):
                // Past the last boundary, offsets no longer matter: the rest is kept whole.
                guard next < count else {
                    out.append(run)
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
                            out.append(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[pendingStart..<i]), as: UTF8.self)))
                            pendingStart = i
                        }
                        let first = next
                        while next < count && offsets[next] == offset { next += 1 }
                        // Ends before starts at the same offset: a span closes before the next opens.
                        for k in first..<next where isEnd[k] { out.append(.marker(sorted[spanOf[k]].end)) }
                        for k in first..<next where !isEnd[k] { out.append(.marker(sorted[spanOf[k]].start)) }
                        cut = true
                    }
                    if cut && pendingStart < n {
                        out.append(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[pendingStart...]), as: UTF8.self)))
                    }
                    done = next >= count || offsets[next] < offset
                }
                if !cut { out.append(run) }
                // The offset at the run's end, unless no boundary can be met any more.
                if !done { offset = runStart + t.utf16.count }
            case .code:
                while next < count, offsets[next] == offset, isEnd[next] { out.append(.marker(sorted[spanOf[next]].end)); next += 1 }
                out.append(run)
            case .marker:
                out.append(run)
            }
        }
        while next < count { out.append(.marker(isEnd[next] ? sorted[spanOf[next]].end : sorted[spanOf[next]].start)); next += 1 }
        return out
    }
}
