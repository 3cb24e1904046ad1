import Diagnostics
import XMLSupport

/// Where the document's text is, to find columns at the end.
enum XLIFFValidationSource {
    case file(String)
    case bytes([UInt8])
}

/// Problems a validator meets while streaming a file. The stream reader gives lines only, so
/// the columns are found at the end, in one more pass over the lines that have problems.
struct PendingFindings {
    private struct Pending {
        var severity: Severity
        var message: String
        var code: String
        var line: Int?
        var request: XMLStartTagLocator.Request?
    }

    /// Names the file in the findings.
    let displayPath: String
    private var pending: [Pending] = []
    /// Counts same-named start tags per line, which is how the locator tells them apart.
    private var lastLine = -1
    private var onLine: [String: Int] = [:]

    init(displayPath: String) {
        self.displayPath = displayPath
    }

    /// The index of this start tag among those of the same name on its line; call it for every
    /// start tag, in document order.
    mutating func occurrence(of start: XMLStartElement) -> Int {
        if start.line != lastLine {
            lastLine = start.line
            onLine.removeAll(keepingCapacity: true)
        }
        let q = start.name.qualified
        let occurrence = onLine[q, default: 0]
        onLine[q] = occurrence + 1
        return occurrence
    }

    /// A problem at a start tag (or one of its attributes); a line of 0 or less is unknown.
    mutating func add(_ severity: Severity, _ message: String, code: String, line: Int, qualifiedName: String, occurrence: Int, attribute: String?) {
        guard line > 0 else { return add(severity, message, code: code) }
        let request = XMLStartTagLocator.Request(line: line, qualifiedName: qualifiedName, occurrence: occurrence, attribute: attribute)
        pending.append(Pending(severity: severity, message: message, code: code, line: line, request: request))
    }

    /// A problem of the whole file.
    mutating func add(_ severity: Severity, _ message: String, code: String) {
        pending.append(Pending(severity: severity, message: message, code: code))
    }

    /// The findings in document order, with columns; the same problem found twice (through two
    /// rules) is said once.
    func findings(locatingIn source: XLIFFValidationSource) -> [Finding] {
        let requests = pending.compactMap(\.request)
        let located: [XMLStartTagLocator.Request: (line: Int, column: Int)]
        switch source {
        case .file(let path): located = XMLStartTagLocator.locate(requests, inFile: path)
        case .bytes(let bytes): located = XMLStartTagLocator.locate(requests, inBytes: bytes)
        }
        var out: [Finding] = []
        var seen = Set<String>()
        for p in pending {
            var location = SourceLocation(file: displayPath, line: p.line)
            if let r = p.request, let l = located[r] {
                location.line = l.line
                location.column = l.column
            }
            let finding = Finding(p.severity, p.message, at: location, code: p.code)
            if seen.insert(finding.description).inserted { out.append(finding) }
        }
        out.sort { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
        return out
    }
}
