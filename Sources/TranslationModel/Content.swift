/// Offsets into text are counted in UTF-16 code units throughout Verso, the unit that ICU and
/// libxml2 speak. Properties and parameters that hold one say so in their name (`utf16Offset`).
public typealias UTF16Offset = Int

/// Text with inline codes and annotation markers: a list of typed runs.
///
/// Codes are never private-use characters inside a string and never XML fragments kept as
/// strings: each is a `Run.code` value carrying what it stands for.
public struct Content: Sendable, Hashable {
    /// The runs in order. Adjacent `.text` runs are allowed but `append` merges them.
    public var runs: [Run]
    /// `xml:lang` written on this content when it differs from the file's language.
    public var language: String?
    /// `xml:space` written on this content: true for `preserve`, false for `default`, nil when not stated.
    public var preserveSpace: Bool?

    /// Creates content from runs.
    public init(_ runs: [Run] = [], language: String? = nil, preserveSpace: Bool? = nil) {
        self.runs = runs
        self.language = language
        self.preserveSpace = preserveSpace
    }

    /// Creates content holding plain text only.
    public init(_ text: String) {
        self.runs = text.isEmpty ? [] : [.text(text)]
        self.language = nil
    }

    /// True when there is no run at all.
    public var isEmpty: Bool { runs.isEmpty }

    /// The text runs joined, without codes or markers: what a translator reads, and what
    /// segmentation and term recognition measure offsets in (UTF-16).
    public var plainText: String {
        var out = ""
        for run in runs { if case .text(let t) = run { out += t } }
        return out
    }

    /// True when the content holds at least one inline code.
    public var hasCodes: Bool {
        runs.contains { if case .code = $0 { return true } else { return false } }
    }

    /// The inline codes in order.
    public var codes: [InlineCode] {
        runs.compactMap { if case .code(let c) = $0 { return c } else { return nil } }
    }

    /// Appends a run, merging adjacent text. Inlinable: stages building content run by run
    /// call it in their inner loops.
    @inlinable
    public mutating func append(_ run: Run) {
        if case .text(let t) = run {
            if t.isEmpty { return }
            if case .text(let previous)? = runs.last {
                runs[runs.count - 1] = .text(previous + t)
                return
            }
        }
        runs.append(run)
    }

    /// Appends text, merging it with a text run before it.
    public mutating func append(text: String) { append(.text(text)) }

    /// Appends all runs of another content.
    public mutating func append(contentsOf other: Content) {
        for run in other.runs { append(run) }
    }

    /// The same content with adjacent text runs merged and empty text runs dropped, so that
    /// two contents that differ only in how their text was split compare equal.
    public var normalized: Content {
        var out = Content(language: language, preserveSpace: preserveSpace)
        for run in runs { out.append(run) }
        return out
    }
}

extension Content: ExpressibleByStringLiteral {
    /// Plain-text content from a literal.
    public init(stringLiteral value: String) { self.init(value) }
}

/// One piece of `Content`.
///
/// Codes and markers are `indirect` (held in a shared, immutable box): a code carries a dozen
/// strings, and content is copied between reader, stages and writer, so a copy that is one
/// reference count instead of one per field is what keeps large documents fast.
public enum Run: Sendable, Hashable {
    /// Translatable text.
    case text(String)
    /// An inline code: formatting, a placeholder, a link… standing for native markup.
    indirect case code(InlineCode)
    /// The start or end of an annotation (a term, a comment, a segment boundary in XLIFF 1.2).
    indirect case marker(Marker)
}
