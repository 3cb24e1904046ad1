import Foundation

// TEMPORARY until the Segmentation module lands on main: a naive splitter with the same shape
// as `Segmenter` (UTF-16 ranges, paragraph by paragraph). Replaced by Segmenter before landing.
struct SentenceSplitter {
    let language: String

    init(language: String) throws {
        self.language = language
    }

    func sentencesByParagraph(_ text: String) -> [[Range<Int>]] {
        let units = Array(text.utf16)
        var paragraphs: [[Range<Int>]] = []
        var start = 0
        var i = 0
        func flush(_ end: Int) {
            let ranges = sentences(units, start, end)
            if !ranges.isEmpty { paragraphs.append(ranges) }
        }
        while i < units.count {
            if units[i] == 0x0A {
                var j = i + 1
                while j < units.count, units[j] == 0x20 || units[j] == 0x09 || units[j] == 0x0D { j += 1 }
                if j < units.count, units[j] == 0x0A {
                    flush(i)
                    start = j + 1
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        flush(units.count)
        return paragraphs
    }

    func sentences(_ text: String) -> [Range<Int>] {
        let units = Array(text.utf16)
        return sentences(units, 0, units.count)
    }

    private func sentences(_ units: [UInt16], _ start: Int, _ end: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s = start
        var i = start
        while i < end {
            let u = units[i]
            if u == 0x2E || u == 0x21 || u == 0x3F || u == 0x2026 {
                var j = i + 1
                while j < end, [0x22, 0x27, 0xBB, 0x201D, 0x2019, 0x29].contains(units[j]) { j += 1 }
                if j < end, units[j] == 0x20 || units[j] == 0x0A {
                    out.append(s..<j)
                    while j < end, units[j] == 0x20 || units[j] == 0x0A || units[j] == 0x0D { j += 1 }
                    s = j
                    i = j
                    continue
                }
            }
            i += 1
        }
        if s < end {
            let rest = String(decoding: units[s..<end], as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !rest.isEmpty { out.append(s..<end) }
        }
        return out
    }
}
