import Diagnostics

/// An input the aligner cannot use (a dictionary line without a tab, for instance).
public struct AlignmentError: LocatedError, Equatable {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong.
    public var message: String

    /// Creates an error at `file:line:column`.
    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        location = SourceLocation(file: file, line: line, column: column)
        self.message = message
    }
}
