#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileAccess

/// What `stat(2)` says about a path, reduced to what the batch needs. Every raw `stat` call of
/// the module is here.
struct FileStatus: Sendable, Hashable {
    /// The kinds of file system entries the batch tells apart.
    enum Kind: Sendable, Hashable {
        case regular, directory, symbolicLink, fifo, socket, device, other

        /// How a non-regular entry is named in messages.
        var phrase: String {
            switch self {
            case .regular: return "a regular file"
            case .directory: return "a directory"
            case .symbolicLink: return "a symbolic link"
            case .fifo: return "a FIFO (named pipe)"
            case .socket: return "a socket"
            case .device: return "a device"
            case .other: return "a special file"
            }
        }
    }

    /// A file's identity on its file system, to recognise the same file under two names.
    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    var kind: Kind
    var size: Int64
    /// Modification time in nanoseconds since 1970.
    var modificationNanoseconds: Int128
    var identity: Identity

    /// `stat` (follows symbolic links); throws a `FileAccessError` saying why it failed.
    static func of(_ path: String) throws -> FileStatus {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT, (try? linkStatus(path))?.kind == .symbolicLink {
                throw FileAccessError(path: path, "broken symbolic link (its target does not exist)")
            }
            throw FileAccessError(path: path, InputFile.describe(errno: code))
        }
        return FileStatus(st)
    }

    /// `lstat` (does not follow a final symbolic link).
    static func linkStatus(_ path: String) throws -> FileStatus {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw FileAccessError(path: path, InputFile.describe(errno: errno))
        }
        return FileStatus(st)
    }

    /// `stat`, or nil when the path does not exist or cannot be examined.
    static func ifExists(_ path: String) -> FileStatus? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStatus(st)
    }

    /// `fstatat` of `name` in the open folder `folder` (resolving one component, not a whole
    /// path); `followLinks` as `stat`, else as `lstat`. Nil when it cannot be examined.
    fileprivate static func at(_ folder: Int32, _ name: String, followLinks: Bool) -> FileStatus? {
        var st = stat()
        guard fstatat(folder, name, &st, followLinks ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStatus(st)
    }

    private init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR, S_IFBLK: kind = .device
        default: kind = .other
        }
        size = Int64(st.st_size)
        #if canImport(Darwin)
        let spec = st.st_mtimespec
        #else
        let spec = st.st_mtim
        #endif
        modificationNanoseconds = Int128(spec.tv_sec) * 1_000_000_000 + Int128(spec.tv_nsec)
        identity = Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}

/// One entry of a folder listing, examined when the folder was read.
struct FolderEntry {
    /// The entry's name in its folder.
    var name: String
    /// `lstat` of the entry; nil when it could not be examined (it vanished meanwhile…).
    var link: FileStatus?
    /// For a symbolic link, `stat` of its target; nil when the target does not exist.
    var target: FileStatus?
}

extension FolderEntry {
    /// The entries of the folder at `path` (without `.` and `..`), sorted as Swift orders
    /// strings so that a walk's order (and which of two inputs keeps a contested output) is the
    /// same everywhere. Each is examined relative to the open folder, which spares the kernel
    /// walking the folder's whole path again for every file; the folder is closed on return, so a
    /// deep tree never holds a descriptor per level. Throws a `FileAccessError` saying why the
    /// folder cannot be read.
    static func list(_ path: String) throws -> [FolderEntry] {
        guard let stream = opendir(path) else {
            throw FileAccessError(path: path, "cannot read folder: \(InputFile.describe(errno: errno))")
        }
        defer { closedir(stream) }
        let folder = dirfd(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted().map { name in
            let link = FileStatus.at(folder, name, followLinks: false)
            let target = link?.kind == .symbolicLink ? FileStatus.at(folder, name, followLinks: true) : nil
            return FolderEntry(name: name, link: link, target: target)
        }
    }
}
