/// A shell-style file name pattern for `--include` / `--exclude`.
///
/// Matched against a file's path relative to the input folder it was found in, with `/`
/// between folders (a file named on the command line is matched by its name):
/// - `*` matches any run of characters except `/`, `?` one character except `/`,
///   `[abc]`, `[a-z]`, `[!abc]` (or `[^abc]`) one character of (or not of) a set;
/// - `**` matches any number of whole folders (`docs/**/*.html`, `**/draft/*`);
/// - a pattern without `/` matches the file name at any depth (`*.html` = `**/*.html`),
///   as in `.gitignore` and rsync;
/// - a pattern that matches a folder matches everything below it (`--exclude build`).
///
/// Written here rather than with `fnmatch(3)` because `fnmatch` has no `**`.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as the user wrote it.
    public let text: String
    private let segments: [Segment<Character>]
    /// The same pattern over bytes when it is all ASCII: matched against an ASCII path, it gives
    /// the same answers without splitting the path into `Character`s (a walk tests every file).
    private let asciiSegments: [Segment<UInt8>]?

    private enum Segment<Element: Hashable & Comparable & Sendable>: Sendable, Hashable {
        /// `**`: zero or more whole path components.
        case anyFolders
        /// One path component's pattern.
        case component([Token<Element>])
    }

    private enum Token<Element: Hashable & Comparable & Sendable>: Sendable, Hashable {
        case literal(Element)
        case anyOne
        case anyRun
        case set([ClosedRange<Element>], negated: Bool)
    }

    /// Parses a pattern. Throws `GlobPatternError` for an empty pattern or an unclosed `[`.
    public init(_ text: String) throws {
        self.text = text
        var body = Substring(text)
        while body.hasPrefix("./") { body = body.dropFirst(2) }
        let anchored = body.hasPrefix("/") || body.dropLast().contains("/")
        while body.hasPrefix("/") { body = body.dropFirst() }
        while body.hasSuffix("/") { body = body.dropLast() }
        guard !body.isEmpty else { throw GlobPatternError(pattern: text, message: "empty pattern") }
        var parsed: [Segment<Character>] = anchored ? [] : [.anyFolders]
        for part in body.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "**" {
                if parsed.last != .anyFolders { parsed.append(.anyFolders) }
            } else {
                parsed.append(.component(try Self.tokens(part, pattern: text)))
            }
        }
        segments = parsed
        asciiSegments = Self.ascii(parsed)
    }

    /// `segments` over bytes, or nil when a literal or a set bound is not an ASCII character
    /// (or is a carriage return, which with a line feed forms one `Character`).
    private static func ascii(_ segments: [Segment<Character>]) -> [Segment<UInt8>]? {
        func byte(_ c: Character) -> UInt8? {
            guard let a = c.asciiValue, a != 13 else { return nil }
            return a
        }
        var result: [Segment<UInt8>] = []
        for segment in segments {
            switch segment {
            case .anyFolders:
                result.append(.anyFolders)
            case .component(let tokens):
                var converted: [Token<UInt8>] = []
                for token in tokens {
                    switch token {
                    case .literal(let c):
                        guard let b = byte(c) else { return nil }
                        converted.append(.literal(b))
                    case .anyOne: converted.append(.anyOne)
                    case .anyRun: converted.append(.anyRun)
                    case .set(let ranges, let negated):
                        var byteRanges: [ClosedRange<UInt8>] = []
                        for range in ranges {
                            guard let low = byte(range.lowerBound), let high = byte(range.upperBound) else { return nil }
                            byteRanges.append(low...high)
                        }
                        converted.append(.set(byteRanges, negated: negated))
                    }
                }
                result.append(.component(converted))
            }
        }
        return result
    }

    /// The path's components as bytes when the path is ASCII without carriage returns (one
    /// byte, one `Character`), else nil.
    private static func asciiComponents(_ path: String) -> [ArraySlice<UInt8>]? {
        let bytes = Array(path.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != 13 }) else { return nil }
        return bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }

    /// The pattern as written.
    public var description: String { text }

    /// True when `relativePath` (components separated by `/`) or one of the folders that
    /// contain it matches.
    public func matches(_ relativePath: String) -> Bool {
        if let asciiSegments {
            // On the string's own bytes: copying them into an array and splitting that cost
            // about a third of planning a folder of thousands of files with one `--exclude`.
            var path = relativePath
            let answer: Bool? = path.withUTF8 { bytes in
                guard !bytes.contains(where: { $0 >= 0x80 || $0 == 13 }) else { return nil }
                // The usual pattern, one component at any depth (`*.bak`, `drafts`): true when
                // some component of the path matches it, tested in place.
                if asciiSegments.count == 2, asciiSegments[0] == .anyFolders, case .component(let tokens) = asciiSegments[1] {
                    var start = 0
                    for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                        if end > start, Self.matchComponent(tokens[...], bytes[start..<end]) { return true }
                        start = end + 1
                    }
                    return false
                }
                let components = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
                return Self.match(asciiSegments[...], components[...], allowPrefix: true)
            }
            if let answer { return answer }
        }
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        return Self.match(segments[...], components[...], allowPrefix: true)
    }

    /// True when the folder at `relativePath` itself matches (so that everything in it does).
    func matchesFolder(_ relativePath: String) -> Bool {
        if let asciiSegments, let components = Self.asciiComponents(relativePath) {
            return Self.match(asciiSegments[...], components[...], allowPrefix: false)
        }
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        return Self.match(segments[...], components[...], allowPrefix: false)
    }

    private static func match<Element, Name: Collection<Element>>(_ segments: ArraySlice<Segment<Element>>, _ components: ArraySlice<Name>, allowPrefix: Bool) -> Bool where Name.Index == Int {
        guard let first = segments.first else {
            // Pattern used up: an exact match, or a match of a containing folder.
            return components.isEmpty || allowPrefix
        }
        switch first {
        case .anyFolders:
            let rest = segments.dropFirst()
            var remaining = components
            while true {
                if match(rest, remaining, allowPrefix: allowPrefix) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case .component(let tokens):
            guard let component = components.first else { return false }
            guard matchComponent(tokens[...], component) else { return false }
            return match(segments.dropFirst(), components.dropFirst(), allowPrefix: allowPrefix)
        }
    }

    private static func matchComponent<Element, Name: Collection<Element>>(_ tokens: ArraySlice<Token<Element>>, _ name: Name) -> Bool where Name.Index == Int {
        // Iterative matcher with one backtrack point for the last `*` (linear for typical names).
        var t = tokens.startIndex, n = name.startIndex
        var starToken: Int?, starName = 0
        while n < name.endIndex {
            if t < tokens.endIndex {
                switch tokens[t] {
                case .anyRun:
                    starToken = t
                    starName = n
                    t += 1
                    continue
                case .anyOne:
                    t += 1; n += 1
                    continue
                case .literal(let c) where c == name[n]:
                    t += 1; n += 1
                    continue
                case .set(let ranges, let negated) where ranges.contains(where: { $0.contains(name[n]) }) != negated:
                    t += 1; n += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starToken else { return false }
            t = star + 1
            starName += 1
            n = starName
        }
        while t < tokens.endIndex, tokens[t] == .anyRun { t += 1 }
        return t == tokens.endIndex
    }

    private static func tokens(_ part: Substring, pattern: String) throws -> [Token<Character>] {
        var result: [Token<Character>] = []
        var i = part.startIndex
        while i < part.endIndex {
            let c = part[i]
            switch c {
            case "*":
                if result.last != .anyRun { result.append(.anyRun) }
                i = part.index(after: i)
            case "?":
                result.append(.anyOne)
                i = part.index(after: i)
            case "\\":
                let next = part.index(after: i)
                guard next < part.endIndex else {
                    result.append(.literal("\\"))
                    i = next
                    continue
                }
                result.append(.literal(part[next]))
                i = part.index(after: next)
            case "[":
                var j = part.index(after: i)
                var negated = false
                if j < part.endIndex, part[j] == "!" || part[j] == "^" {
                    negated = true
                    j = part.index(after: j)
                }
                var ranges: [ClosedRange<Character>] = []
                var first = true
                while j < part.endIndex, part[j] != "]" || first {
                    first = false
                    let low = part[j]
                    var k = part.index(after: j)
                    if k < part.endIndex, part[k] == "-", part.index(after: k) < part.endIndex, part[part.index(after: k)] != "]" {
                        let high = part[part.index(after: k)]
                        guard low <= high else {
                            throw GlobPatternError(pattern: pattern, message: "invalid range '\(low)-\(high)'")
                        }
                        ranges.append(low...high)
                        k = part.index(k, offsetBy: 2)
                    } else {
                        ranges.append(low...low)
                    }
                    j = k
                }
                guard j < part.endIndex else {
                    throw GlobPatternError(pattern: pattern, message: "'[' without a closing ']'")
                }
                result.append(.set(ranges, negated: negated))
                i = part.index(after: j)
            default:
                result.append(.literal(c))
                i = part.index(after: i)
            }
        }
        return result
    }
}

/// A `--include`/`--exclude` pattern that cannot be used.
public struct GlobPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public var pattern: String
    /// What is wrong with it.
    public var message: String

    /// `invalid pattern '…': message`.
    public var description: String { "invalid pattern '\(pattern)': \(message)" }
}

/// The `--include` and `--exclude` patterns of a run, applied together.
///
/// A file is selected when it matches at least one include pattern (or there are none) and
/// no exclude pattern.
public struct FileFilter: Sendable, Hashable {
    /// Files must match one of these (all files when empty).
    public var include: [GlobPattern]
    /// Files matching any of these are left out.
    public var exclude: [GlobPattern]

    /// Creates a filter.
    public init(include: [GlobPattern] = [], exclude: [GlobPattern] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Parses the patterns as given on the command line.
    public init(include: [String], exclude: [String]) throws {
        self.include = try include.map(GlobPattern.init)
        self.exclude = try exclude.map(GlobPattern.init)
    }

    /// Whether the file at `relativePath` is selected.
    public func selects(_ relativePath: String) -> Bool {
        if exclude.contains(where: { $0.matches(relativePath) }) { return false }
        return include.isEmpty || include.contains(where: { $0.matches(relativePath) })
    }

    /// Whether a folder can be skipped without looking inside (an exclude pattern matches it).
    public func prunes(folder relativePath: String) -> Bool {
        exclude.contains(where: { $0.matchesFolder(relativePath) })
    }
}
