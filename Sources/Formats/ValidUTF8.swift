/// Strings made from UTF-8 bytes that were already checked (by the text decoder, by
/// `String(validating:)`, or because they were cut from a `String` on character boundaries).
///
/// `String(decoding:as:)` checks its bytes again; every unit and skeleton text of a document
/// went through a second check so. `UTF8Span(unchecked:)` states that the bytes are valid, and
/// `String(copying:)` then only copies them. The caller must guarantee validity: invalid bytes
/// here would make a malformed `String`.
enum ValidUTF8 {
    /// A string of `bytes`, which must be complete, valid UTF-8.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            return String(copying: UTF8Span(unchecked: Span(_unsafeElements: bytes)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A string of `bytes`, which must be complete, valid UTF-8.
    @inline(__always)
    static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }

    /// A string of `bytes`, which must be complete, valid UTF-8.
    @inline(__always)
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }
}
