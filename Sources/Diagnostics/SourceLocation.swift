/// A place in an input file: the path as the user named it, and a 1-based line and column.
///
/// Line and column are optional because some problems (a missing file) have no position.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's path as given on the command line (never rewritten to an absolute path,
    /// so that diagnostics match what the user typed).
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column, or nil when unknown.
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `path:line:column`, `path:line` or `path`, the prefix compilers and editors understand.
    public var description: String {
        switch (line, column) {
        case let (l?, c?): return "\(file):\(l):\(c)"
        case let (l?, nil): return "\(file):\(l)"
        default: return file
        }
    }
}
