#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads input files with errors that name the file, and never opens them for writing.
public enum InputFile {
    /// The whole content of `path` as bytes.
    ///
    /// Throws `FileAccessError` naming the path for a missing, unreadable or non-regular file.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        try checkReadable(path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileAccessError(path: path, "cannot open file for reading")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return [UInt8](data)
        } catch {
            throw FileAccessError(path: path, "read failed: \(error.localizedDescription)")
        }
    }

    /// Throws a `FileAccessError` that says why `path` cannot be read, if it cannot.
    public static func checkReadable(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw FileAccessError(path: path, describe(errno: errno))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw FileAccessError(path: path, "is a directory, not a file")
        }
        guard access(path, R_OK) == 0 else {
            throw FileAccessError(path: path, describe(errno: errno))
        }
    }

    /// A short lower-case description of a C `errno` value ("no such file or directory").
    public static func describe(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
