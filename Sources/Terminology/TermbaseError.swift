import Diagnostics

/// A termbase that cannot be read, written or indexed: malformed CSV, a TBX file with a
/// language section without a language, an index from another program.
public struct TermbaseError: LocatedError, Equatable {
    /// Where the problem is (file, and line/column when known).
    public var location: SourceLocation
    /// What is wrong, one line.
    public var message: String

    /// Creates an error.
    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// Creates an error about a whole file.
    public init(_ message: String, file: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.location = SourceLocation(file: file, line: line, column: column)
    }
}
