import Diagnostics

/// A problem found while parsing or writing XML: not well-formed, an entity Verso refuses to
/// expand, invalid characters, a truncated file.
public struct XMLError: LocatedError, Equatable {
    /// Where the problem is (1-based line and column when libxml2 knows them).
    public var location: SourceLocation
    /// libxml2's message, cleaned to one line.
    public var message: String
    /// libxml2's error code (`xmlParserErrors`), 0 for errors raised by Verso itself.
    public var code: Int

    /// Creates an error.
    public init(location: SourceLocation, message: String, code: Int = 0) {
        self.location = location
        self.message = message
        self.code = code
    }
}
