import Diagnostics

/// Why a file could not be read or written.
public struct FileAccessError: LocatedError, Equatable {
    /// The file concerned.
    public var location: SourceLocation
    /// What went wrong, e.g. "no such file" or "permission denied".
    public var message: String

    /// Creates an error about `path`.
    public init(path: String, _ message: String) {
        self.location = SourceLocation(file: path)
        self.message = message
    }
}
