/// A bilingual word list used as alignment anchors: a source word and its translations.
///
/// Read from TSV (`source word<TAB>target word`, one pair a line, `#` comments), the format of
/// `verso align --dictionary`. Entries are folded like the text (case, accents), so `Russie` also
/// matches `russie`. Multi-word entries are kept but only their single-word pairs take part in
/// alignment, which compares words.
public struct BilingualDictionary: Sendable, Hashable {
    /// One pair of the dictionary.
    public struct Entry: Sendable, Hashable {
        /// The source-language word (or expression).
        public var source: String
        /// One of its translations.
        public var target: String

        /// Creates a pair.
        public init(source: String, target: String) {
            self.source = source
            self.target = target
        }
    }

    /// The pairs in file order, as written.
    public private(set) var entries: [Entry]

    /// Creates a dictionary from pairs.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Reads TSV text; `path` names the file in errors. Lines without a tab are errors.
    public init(tsv text: String, path: String) throws {
        var pairs: [Entry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.trimmingWhitespace().isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 2 else {
                throw AlignmentError(file: path, line: lineNumber, column: 1,
                                     "expected 'source word<TAB>target word', found no tab")
            }
            let source = String(columns[0].trimmingWhitespace()), target = String(columns[1].trimmingWhitespace())
            if source.isEmpty || target.isEmpty {
                throw AlignmentError(file: path, line: lineNumber, column: source.isEmpty ? 1 : columns[0].count + 2,
                                     "empty \(source.isEmpty ? "source" : "target") word")
            }
            pairs.append(Entry(source: source, target: target))
        }
        entries = pairs
    }

    /// Number of pairs.
    public var count: Int { entries.count }

    /// The same dictionary with its columns swapped (for aligning in the other direction).
    public var reversed: BilingualDictionary {
        BilingualDictionary(entries: entries.map { Entry(source: $0.target, target: $0.source) })
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
