/// The file-name extensions XLIFF files carry: the standard ones and the CAT tools' own — one list
/// for every command that looks for XLIFF (`verso validate DIR`, `convert`, `segment`, `terms`,
/// `prepare`).
public enum XLIFFFileExtensions {
    /// Lower case, without the dot: `.xlf`, `.xliff`, `.xlif`, `.xlf2`, Trados Studio's
    /// `.sdlxliff`, memoQ's `.mqxliff`, Phrase's `.mxliff`.
    public static let all: [String] = ["xlf", "xliff", "xlif", "xlf2", "sdlxliff", "mqxliff", "mxliff"]

    /// True when `path` ends in one of them (case-insensitive).
    public static func matches(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[path.index(after: dot)...].contains("/") else { return false }
        return all.contains(path[path.index(after: dot)...].lowercased())
    }

    /// `.xlf, .xliff, .xlif, …` for messages.
    public static var listed: String { all.map { "." + $0 }.joined(separator: ", ") }
}
