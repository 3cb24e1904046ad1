import Diagnostics

/// A problem that stops reading or merging one document: bytes that are not in the expected
/// encoding, a skeleton Verso cannot use, a character the output encoding cannot hold.
public struct FormatsError: LocatedError, Equatable {
    /// Where the problem is (the file, and a line/column when known).
    public var location: SourceLocation
    /// What went wrong, one line.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// Creates an error about a whole file.
    public init(file: String, _ message: String) {
        self.init(location: SourceLocation(file: file), message: message)
    }
}
