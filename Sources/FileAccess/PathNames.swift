import Foundation

/// The folder and last component of a path, taken from its text as the user wrote it.
///
/// Foundation's `URL` makes a relative path absolute and normalises it first, which cost
/// about 1 % of a folder conversion of thousands of small files; the file system resolves
/// `a/../b` and relative paths itself, and messages keep the user's spelling.
public enum PathNames {
    /// The last component: `out/a.xlf` → `a.xlf`; trailing slashes are ignored (`out/` → `out`);
    /// empty for `/`.
    public static func lastComponent(_ path: String) -> String {
        // On the string's bytes in place (a batch names every output from its input's name).
        var bytes = path
        return bytes.withUTF8 { b in
            let slash = UInt8(ascii: "/")
            var end = b.count
            while end > 1, b[end - 1] == slash { end -= 1 }
            var start = end
            while start > 0, b[start - 1] != slash { start -= 1 }
            if start == 0 && end == b.count { return path }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
    }

    /// The folder holding `path`: `out/a.xlf` → `out`, `a.xlf` → `.`, `/a.xlf` → `/`.
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var folder = trimmed[..<slash]
        while folder.utf8.last == UInt8(ascii: "/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The absolute path `path` names, worked out from its text alone: relative to
    /// `currentFolder`, without `.` and `..` components or repeated slashes (`out/./a/../b.xlf`
    /// in `/w` → `/w/out/b.xlf`). Symbolic links are not followed, as with Foundation's
    /// `URL.standardizedFileURL`, whose result this is, without building a URL per path.
    public static func normalized(_ path: String, currentFolder: String) -> String {
        let absolute = path.utf8.first == UInt8(ascii: "/")
        // Most paths are already normal (a batch claims one per file): checked, not rebuilt.
        if absolute && isNormal(path) { return path }
        var components: [Substring] = []
        for part in (absolute ? path : currentFolder + "/" + path).split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(part)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// True when the absolute `path` has no empty, `.` or `..` component and no trailing slash.
    private static func isNormal(_ path: String) -> Bool {
        // Over the string's bytes in place: iterating its UTF-8 view cost about forty
        // instructions a byte, once per output of a batch.
        var path = path
        return path.withUTF8 { bytes in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            var componentLength = 0, dots = 0
            for byte in bytes.dropFirst() { // after the leading slash
                if byte == slash {
                    // An empty, "." or ".." component just ended.
                    if componentLength == 0 || componentLength == dots && dots <= 2 { return false }
                    componentLength = 0
                    dots = 0
                } else {
                    componentLength += 1
                    if byte == dot { dots += 1 }
                }
            }
            // "/" alone is normal; otherwise the last component must be a real name.
            if bytes.count == 1 { return true }
            return componentLength > 0 && !(componentLength == dots && dots <= 2)
        }
    }

    /// The process's current folder, for `normalized(_:currentFolder:)`.
    public static var currentFolder: String {
        FileManager.default.currentDirectoryPath
    }

    private static func trimmingTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.utf8.count > 1, trimmed.utf8.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
