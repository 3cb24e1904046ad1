import Diagnostics

/// A problem that stops reading or writing an XLIFF document: an unknown version, markup the
/// model cannot hold, a value outside its allowed set. Carries the file, line and column.
public struct XLIFFError: LocatedError, Equatable {
    /// Where the problem is.
    public var location: SourceLocation
    /// One line describing it.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// Creates an error about a whole file (no position).
    public init(path: String, _ message: String) {
        self.location = SourceLocation(file: path)
        self.message = message
    }
}
