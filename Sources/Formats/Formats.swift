/// Source document formats Verso extracts units from and merges translations back into.
public enum SourceFormat: String, Sendable, Hashable, CaseIterable {
    /// Plain text: one unit per paragraph (blank-line separated).
    case plainText = "plaintext"
    /// HTML, parsed with libxml2's HTML parser.
    case html
}
