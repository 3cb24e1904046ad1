/// The folder and last component of a path, taken from its text as the user wrote it.
///
/// Foundation's `URL` makes a relative path absolute and normalises it first, which cost
/// about 1 % of a folder conversion of thousands of small files; the file system resolves
/// `a/../b` and relative paths itself, and messages keep the user's spelling.
public enum PathNames {
    /// The last component: `out/a.xlf` → `a.xlf`; trailing slashes are ignored (`out/` → `out`);
    /// empty for `/`.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The folder holding `path`: `out/a.xlf` → `out`, `a.xlf` → `.`, `/a.xlf` → `/`.
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var folder = trimmed[..<slash]
        while folder.utf8.last == UInt8(ascii: "/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    private static func trimmingTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.utf8.count > 1, trimmed.utf8.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
