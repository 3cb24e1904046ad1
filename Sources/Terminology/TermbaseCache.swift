#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import FileAccess
import Foundation
import Synchronization
import TranslationModel

/// A folder of compiled termbases: what reading a TBX, CSV or TSV file for a language scope
/// gave (the `Termbase` and the warnings), stored compactly so that the next run loads it
/// instead of parsing the file again.
///
/// Reading the built-in `countries.tbx` (766 KB, ten languages) costs every run of `prepare`
/// or `convert` about 70 million instructions, nearly all of them parsing XML and passing over
/// the eight languages the run does not need; its compiled French–English part loads in a
/// small fraction of that.
///
/// An entry is valid only for the file it was made from as it was then, read by the program
/// that made it: its header holds the file's absolute path, device, inode, size, modification
/// and status-change times in nanoseconds, the language scope, the cache format's version and
/// the running program's build (a rebuilt or upgraded `verso` may read files differently). Anything that differs, or a damaged, truncated or foreign file, is a miss:
/// the termbase is read from its file and the entry rewritten (through `AtomicFile`, so a
/// reader never sees half an entry). A file changed less than two seconds before it is read is
/// not cached, since a second change within the file system's timestamp granularity could keep
/// the same size and times. A cache folder that cannot be created or written is ignored.
/// One entry per file and scope (named by a hash of both), replaced when the file changes; the
/// folder can be deleted at any time.
public struct TermbaseCache: Sendable, Hashable {
    /// The folder the compiled termbases are kept in (`…/termbases` is created inside it).
    public let directory: String

    /// How long ago (seconds) a file must have last changed to be cached; tests set 0 (none).
    var settlingTime: Int64 = 2

    /// A cache kept in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The user's cache folder for Verso: `$VERSO_CACHE_DIR`, else `$XDG_CACHE_HOME/verso`, else
    /// `~/.cache/verso`; nil when none can be named (no `HOME`).
    public static func fromEnvironment() -> TermbaseCache? {
        // getenv rather than `ProcessInfo.environment`, which copies the whole environment.
        func variable(_ name: String) -> String? {
            guard let value = getenv(name), value.pointee != 0 else { return nil }
            return String(cString: value)
        }
        if let dir = variable("VERSO_CACHE_DIR") { return TermbaseCache(directory: dir) }
        if let xdg = variable("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return TermbaseCache(directory: xdg + "/verso") }
        if let home = variable("HOME") { return TermbaseCache(directory: home + "/.cache/verso") }
        return nil
    }

    /// The cache `TermbaseFile.read` uses; nil (the default): none. A library does not write
    /// into the user's home on its own: the `verso` command turns it on at start-up.
    public static var shared: TermbaseCache? {
        get { sharedCache.withLock { $0 } }
        set { sharedCache.withLock { $0 = newValue } }
    }

    private static let sharedCache = Mutex<TermbaseCache?>(nil)

    /// Bumped whenever the layout below or what a reader puts into a `Termbase` changes.
    static let formatVersion: UInt32 = 1

    /// First bytes of every entry.
    static let magic: [UInt8] = Array("VERSO-TB".utf8)

    /// The entry for `path` read with `scope`, its key taken from the file as it is now; nil
    /// when the file cannot be examined (reading it will report why).
    func entry(for path: String, scope: LanguageScope) -> Entry? {
        guard let state = FileState(path: path), state.isRegular, let program = Self.program else { return nil }
        let absolute: String
        if path.hasPrefix("/") {
            absolute = path
        } else {
            absolute = FileManager.default.currentDirectoryPath + "/" + path
        }
        let scopeKey = scope.primaryLanguages.map { $0.sorted().joined(separator: ",") } ?? "*"
        var key = ByteWriter()
        key.bytes += Self.magic
        key.fixed32(Self.formatVersion)
        key.string(absolute)
        key.string(scopeKey)
        key.count(program.count)
        key.bytes += program
        state.write(to: &key)
        var hash = FNV1a()
        hash.add(Array(absolute.utf8))
        hash.add([0])
        hash.add(Array(scopeKey.utf8))
        let name = String(hash.value, radix: 16)
        return Entry(file: directory + "/termbases/" + String(repeating: "0", count: 16 - name.count) + name + ".termbase",
                     path: path, key: key.bytes, state: state, settlingTime: settlingTime)
    }

    /// What identifies the running program's code, so that entries made by another build are
    /// not used: the ELF build ID the linker derives from the program's content (the same for
    /// a copy or a stripped copy of one build), else the executable file's identity and times.
    /// Nil when neither can be had (then nothing is cached).
    private static let program: [UInt8]? = {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        guard let path = Bundle.main.executablePath else { return nil }
        #endif
        if let id = ELFBuildID.read(path), !id.isEmpty { return [1] + id }
        guard let state = FileState(path: path) else { return nil }
        var out = ByteWriter()
        out.bytes.append(2)
        state.write(to: &out)
        return out.bytes
    }()

    /// One termbase file's place in the cache and the key its entry must carry.
    struct Entry {
        /// The entry's path.
        let file: String
        /// The termbase file.
        let path: String
        /// Everything that must match, as it is stored at the start of the entry.
        let key: [UInt8]
        /// The termbase file when the key was taken.
        let state: FileState
        /// See `TermbaseCache.settlingTime`.
        let settlingTime: Int64

        /// The compiled termbase and its findings, located in `displayPath`; nil on any miss.
        func load(displayPath: String) -> (Termbase, [Finding])? {
            guard let bytes = Self.contents(of: file), bytes.count >= key.count + 16 else { return nil }
            return bytes.withUnsafeBufferPointer { all -> (Termbase, [Finding])? in
                guard memcmp(all.baseAddress!, key, key.count) == 0 else { return nil }
                var reader = ByteReader(all, from: key.count)
                guard let length = try? reader.fixed64(), let checksum = try? reader.fixed64(),
                      length == UInt64(all.count - reader.position) else { return nil }
                var hash = FNV1a()
                hash.add(UnsafeBufferPointer(rebasing: all[reader.position...]))
                guard hash.value == checksum else { return nil }
                return try? reader.compiled(displayPath: displayPath)
            }
        }

        /// Stores what reading the file gave, unless the file changed meanwhile or too recently
        /// for its times to tell a later change. Failing to write is not an error.
        func store(_ termbase: Termbase, _ findings: [Finding], displayPath: String) {
            guard let now = FileState(path: path), now == state, !state.changed(within: settlingTime) else { return }
            var payload = ByteWriter()
            payload.compiled(termbase, findings, displayPath: displayPath)
            var hash = FNV1a()
            hash.add(payload.bytes)
            var out = ByteWriter()
            out.bytes.reserveCapacity(key.count + 16 + payload.bytes.count)
            out.bytes += key
            out.fixed64(UInt64(payload.bytes.count))
            out.fixed64(hash.value)
            out.bytes += payload.bytes
            // Never part of a batch's commit group (a worker may be the first to need the
            // termbase): the entry is no output of the file being converted.
            CommitGroup.$current.withValue(nil) {
                try? AtomicFile.write(out.bytes, to: file)
            }
        }

        /// The whole file at `path`, or nil when it cannot be read.
        private static func contents(of path: String) -> [UInt8]? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_size > 0, st.st_size < 1 << 31 else { return nil }
            let size = Int(st.st_size)
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                while count < size {
                    let n = read(fd, buffer.baseAddress! + count, size - count)
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { failed = n < 0; break }
                    count += n
                }
            }
            return failed || bytes.count != size ? nil : bytes
        }
    }
}

/// What identifies a file's content without reading it: where it is and when it last changed.
struct FileState: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: (seconds: Int64, nanoseconds: Int64)
    var changed: (seconds: Int64, nanoseconds: Int64)
    var isRegular: Bool

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        #if canImport(Darwin)
        modified = (Int64(st.st_mtimespec.tv_sec), Int64(st.st_mtimespec.tv_nsec))
        changed = (Int64(st.st_ctimespec.tv_sec), Int64(st.st_ctimespec.tv_nsec))
        #else
        modified = (Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec))
        changed = (Int64(st.st_ctim.tv_sec), Int64(st.st_ctim.tv_nsec))
        #endif
        isRegular = st.st_mode & S_IFMT == S_IFREG
    }

    static func == (a: FileState, b: FileState) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.isRegular == b.isRegular
            && a.modified == b.modified && a.changed == b.changed
    }

    /// Changed less than `seconds` ago (or in the future): a change to come within the same
    /// timestamp tick could leave size and times as they are.
    func changed(within seconds: Int64) -> Bool {
        guard seconds > 0 else { return false }
        let now = Int64(time(nil))
        return max(modified.seconds, changed.seconds) >= now - seconds
    }

    func write(to out: inout ByteWriter) {
        out.fixed64(device)
        out.fixed64(inode)
        out.fixed64(UInt64(bitPattern: size))
        out.fixed64(UInt64(bitPattern: modified.seconds))
        out.fixed64(UInt64(bitPattern: modified.nanoseconds))
        out.fixed64(UInt64(bitPattern: changed.seconds))
        out.fixed64(UInt64(bitPattern: changed.nanoseconds))
    }
}

/// The build ID note (`NT_GNU_BUILD_ID`) of a little-endian 64-bit ELF file, read from the
/// file's program headers.
enum ELFBuildID {
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        func bytes(_ count: Int, at offset: UInt64) -> [UInt8]? {
            guard count > 0, count <= 1 << 16, offset < 1 << 40 else { return nil }
            let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, done in
                let n = pread(fd, buffer.baseAddress!, count, off_t(offset))
                done = n == count ? count : 0
            }
            return out.isEmpty ? nil : out
        }
        func integer(_ b: [UInt8], _ at: Int, _ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<size { v |= UInt64(b[at + i]) << (8 * i) }
            return v
        }
        // e_ident: magic, ELFCLASS64, ELFDATA2LSB.
        guard let header = bytes(64, at: 0), header[0..<6] == [0x7F, 0x45, 0x4C, 0x46, 2, 1] else { return nil }
        let tableOffset = integer(header, 32, 8), entrySize = Int(integer(header, 54, 2)), entries = Int(integer(header, 56, 2))
        guard entrySize >= 56, let table = bytes(entrySize * entries, at: tableOffset) else { return nil }
        for e in 0..<entries where integer(table, e * entrySize, 4) == 4 { // PT_NOTE
            let base = e * entrySize
            guard let notes = bytes(Int(min(integer(table, base + 32, 8), 1 << 16)), at: integer(table, base + 8, 8)) else { continue }
            var at = 0
            while notes.count - at >= 12 {
                let nameSize = Int(integer(notes, at, 4)), descSize = Int(integer(notes, at + 4, 4))
                let descStart = at + 12 + ((nameSize + 3) & ~3)
                let end = descStart + ((descSize + 3) & ~3)
                guard nameSize <= 1 << 16, descSize <= 1 << 16, end <= notes.count else { break }
                // NT_GNU_BUILD_ID, owner "GNU\0".
                if integer(notes, at + 8, 4) == 3, nameSize == 4, notes[at + 12..<at + 16] == [0x47, 0x4E, 0x55, 0] {
                    return Array(notes[descStart..<descStart + descSize])
                }
                at = end
            }
        }
        return nil
    }
}

/// 64-bit FNV-1a: names entries and detects damaged ones (not a defence against tampering;
/// the cache is the user's own folder).
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
    }
}

// MARK: encoding

/// Appends the cache's encodings: little-endian fixed-width integers, LEB128 variable-length
/// integers, strings as a length and their UTF-8, optionals as 0 or 1 + the value's length.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func fixed32(_ v: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    mutating func fixed64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func count(_ n: Int) { varint(UInt64(n)) }

    mutating func string(_ s: String) {
        count(s.utf8.count)
        bytes += s.utf8
    }

    mutating func optional(_ s: String?) {
        guard let s else { return varint(0) }
        varint(UInt64(s.utf8.count) + 1)
        bytes += s.utf8
    }

    mutating func optional(_ n: Int?) {
        guard let n else { return varint(0) }
        varint(UInt64(bitPattern: Int64(n)) &+ 1)
    }

    mutating func strings(_ list: [String]) {
        count(list.count)
        for s in list { string(s) }
    }

    /// The payload: the termbase, then the findings (a location in the termbase file itself is
    /// stored without its name, which `displayPath` gives when it is loaded).
    mutating func compiled(_ tb: Termbase, _ findings: [Finding], displayPath: String) {
        string(tb.name)
        optional(tb.language)
        optional(tb.sourceDescription)
        count(tb.concepts.count)
        for c in tb.concepts {
            string(c.id)
            optional(c.subjectField)
            optional(c.definition)
            strings(c.notes)
            count(c.languageSections.count)
            for s in c.languageSections {
                string(s.language)
                optional(s.definition)
                strings(s.notes)
                count(s.terms.count)
                for t in s.terms {
                    string(t.text)
                    optional(t.id)
                    bytes.append(t.status.map { UInt8(TermStatus.allCases.firstIndex(of: $0)! + 1) } ?? 0)
                    optional(t.partOfSpeech)
                    optional(t.termType)
                    optional(t.grammaticalGender)
                    optional(t.context)
                    strings(t.notes)
                }
            }
        }
        count(findings.count)
        for f in findings {
            bytes.append(UInt8(Severity.allCases.firstIndex(of: f.severity)!))
            string(f.message)
            optional(f.code)
            if let location = f.location {
                if location.file == displayPath {
                    bytes.append(1)
                } else {
                    bytes.append(2)
                    string(location.file)
                }
                optional(location.line)
                optional(location.column)
            } else {
                bytes.append(0)
            }
        }
    }
}

/// An entry that does not decode: damaged, truncated or from something else.
struct DamagedEntry: Error {}

/// Reads what `ByteWriter` wrote, every read checked against the end of the buffer.
struct ByteReader {
    let buffer: UnsafeBufferPointer<UInt8>
    private(set) var position: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, from position: Int) {
        self.buffer = buffer
        self.position = position
    }

    mutating func byte() throws(DamagedEntry) -> UInt8 {
        guard position < buffer.count else { throw DamagedEntry() }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func fixed64() throws(DamagedEntry) -> UInt64 {
        guard buffer.count - position >= 8 else { throw DamagedEntry() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(buffer[position + i]) << (8 * i) }
        position += 8
        return v
    }

    mutating func varint() throws(DamagedEntry) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw DamagedEntry() }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    /// A count of things still to read: at most one per remaining byte, so that a damaged
    /// count cannot make an array reserve room for billions.
    mutating func count() throws(DamagedEntry) -> Int {
        let n = try varint()
        guard n <= UInt64(buffer.count - position) else { throw DamagedEntry() }
        return Int(n)
    }

    private mutating func utf8(_ n: Int) throws(DamagedEntry) -> String {
        guard n <= buffer.count - position else { throw DamagedEntry() }
        defer { position += n }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<position + n]), as: UTF8.self)
    }

    mutating func string() throws(DamagedEntry) -> String {
        try utf8(count())
    }

    mutating func optionalString() throws(DamagedEntry) -> String? {
        let n = try varint()
        guard n > 0 else { return nil }
        guard n - 1 <= UInt64(buffer.count - position) else { throw DamagedEntry() }
        return try utf8(Int(n - 1))
    }

    mutating func optionalInt() throws(DamagedEntry) -> Int? {
        let n = try varint()
        return n == 0 ? nil : Int(Int64(bitPattern: n &- 1))
    }

    mutating func strings() throws(DamagedEntry) -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    /// What `ByteWriter.compiled` wrote; the whole rest of the buffer must be used.
    mutating func compiled(displayPath: String) throws(DamagedEntry) -> (Termbase, [Finding]) {
        var tb = Termbase(name: try string(), language: try optionalString(), sourceDescription: try optionalString())
        let conceptCount = try count()
        tb.concepts.reserveCapacity(conceptCount)
        for _ in 0..<conceptCount {
            var c = Concept(id: try string(), subjectField: try optionalString(), definition: try optionalString(), notes: try strings())
            let sectionCount = try count()
            c.languageSections.reserveCapacity(sectionCount)
            for _ in 0..<sectionCount {
                var s = LanguageSection(language: try string(), definition: try optionalString(), notes: try strings())
                let termCount = try count()
                s.terms.reserveCapacity(termCount)
                for _ in 0..<termCount {
                    let text = try string(), id = try optionalString()
                    let status = Int(try byte())
                    guard status <= TermStatus.allCases.count else { throw DamagedEntry() }
                    s.terms.append(Term(text, id: id, status: status == 0 ? nil : TermStatus.allCases[status - 1],
                                        partOfSpeech: try optionalString(), termType: try optionalString(),
                                        grammaticalGender: try optionalString(), context: try optionalString(),
                                        notes: try strings()))
                }
                c.languageSections.append(s)
            }
            tb.concepts.append(c)
        }
        let findingCount = try count()
        var findings: [Finding] = []
        findings.reserveCapacity(findingCount)
        for _ in 0..<findingCount {
            let severity = Int(try byte())
            guard severity < Severity.allCases.count else { throw DamagedEntry() }
            let message = try string(), code = try optionalString()
            var location: SourceLocation?
            switch try byte() {
            case 0: location = nil
            case 1: location = SourceLocation(file: displayPath, line: try optionalInt(), column: try optionalInt())
            case 2: location = SourceLocation(file: try string(), line: try optionalInt(), column: try optionalInt())
            default: throw DamagedEntry()
            }
            findings.append(Finding(Severity.allCases[severity], message, at: location, code: code))
        }
        guard position == buffer.count else { throw DamagedEntry() }
        return (tb, findings)
    }
}
