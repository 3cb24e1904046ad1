import Diagnostics

/// Collects warnings about a document, one per kind: the first occurrence keeps its location and
/// later ones are counted, so a file with 100,000 memoQ attributes gives one line, not 100,000.
struct FindingLog {
    private var keys: [String] = []
    private var entries: [String: (finding: Finding, count: Int)] = [:]

    /// Records a warning; `key` identifies its kind (same key, same line in the report).
    mutating func warn(_ key: String, _ message: @autoclosure () -> String, at location: SourceLocation?, code: String) {
        if entries[key] != nil {
            entries[key]!.count += 1
            return
        }
        keys.append(key)
        entries[key] = (Finding(.warning, message(), at: location, code: code), 1)
    }

    /// Adds findings from elsewhere (a reader) as they are.
    mutating func append(_ finding: Finding) {
        let key = "\(keys.count)#external"
        keys.append(key)
        entries[key] = (finding, 1)
    }

    /// The findings in order of first occurrence, each saying how often it happened.
    var findings: [Finding] {
        keys.map { key in
            var (finding, count) = entries[key]!
            if count > 1 { finding.message += " (\(count) times; the first is shown)" }
            return finding
        }
    }

    /// True when nothing was recorded.
    var isEmpty: Bool { keys.isEmpty }
}
