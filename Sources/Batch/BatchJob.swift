import Diagnostics
import FileAccess
import Foundation
import XLIFF

/// What kind of document a file is, decided from its name (the extension), so that a folder
/// walk never has to open files it will not convert.
public enum BatchFileKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plain text (`.txt`, `.text`).
    case plainText = "text"
    /// HTML (`.html`, `.htm`, `.xhtml`).
    case html
    /// XLIFF 1.2 or 2.x (`.xlf`, `.xliff`, `.xlif`, and the tools' `.sdlxliff`, `.mqxliff`, `.mxliff`).
    case xliff

    /// The file extensions of each kind, lower case, without the dot.
    public var extensions: [String] {
        switch self {
        case .plainText: return ["txt", "text"]
        case .html: return ["html", "htm", "xhtml"]
        case .xliff: return XLIFFFileExtensions.all
        }
    }

    /// The kind of the file named `name`, or nil for a format Verso does not convert.
    public static func detect(_ name: String) -> BatchFileKind? {
        // On the bytes: a `Character` search breaks the name into graphemes.
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return nil }
        let ext = name[name.utf8.index(after: dot)...]
        // An ASCII extension (every one of ours is) is compared lower-cased, packed into an
        // integer: a folder walk asks for every file, and building the lower-cased string and
        // each kind's list of extensions cost about a thousand instructions a file.
        if let packed = packedLowercaseASCII(ext.utf8) {
            return packedExtensions.first { $0.packed == packed }?.kind
        }
        if ext.utf8.allSatisfy({ $0 < 0x80 }) { return nil } // ASCII but longer than any of ours
        let lowered = ext.lowercased()
        return allCases.first { $0.extensions.contains(lowered) }
    }

    /// Up to eight ASCII bytes, lower-cased, in one integer (first byte lowest); nil when the
    /// bytes are longer or not all ASCII.
    private static func packedLowercaseASCII(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        var packed: UInt64 = 0, shift: UInt64 = 0
        for b in bytes {
            guard b < 0x80 else { return nil }
            packed |= UInt64(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) << shift
            shift += 8
        }
        return packed
    }

    /// Each kind's extensions, packed, in the order `detect` searched them by name.
    private static let packedExtensions: [(packed: UInt64, kind: BatchFileKind)] = allCases.flatMap { kind in
        kind.extensions.map { (packed: packedLowercaseASCII($0.utf8)!, kind: kind) }
    }
}

/// What the batch does to one file.
public enum BatchAction: String, Sendable, Hashable, Codable {
    /// Document (text, HTML) → XLIFF through the prepare pipeline.
    case prepare
    /// XLIFF → XLIFF of another version (no re-segmentation, no term marking).
    case changeVersion = "change-version"
    /// Translated XLIFF → the original format (`--merge`).
    case merge
}

/// What the whole run does: convert to XLIFF (`--to`), or merge translations back (`--merge`).
public enum BatchMode: Sendable, Hashable {
    /// Prepare every document and change the version of every XLIFF.
    case convert
    /// Merge every XLIFF back into its original format; other files are not inputs.
    case merge

    /// The action for a file of `kind`, or nil when this mode has nothing to do with it.
    public func action(for kind: BatchFileKind) -> BatchAction? {
        switch (self, kind) {
        case (.convert, .xliff): return .changeVersion
        case (.convert, _): return .prepare
        case (.merge, .xliff): return .merge
        case (.merge, _): return nil
        }
    }
}

/// One file to convert: where it is, where its output goes, and what to do.
public struct BatchJob: Sendable, Hashable {
    /// The input's path, as found (the folder named by the user joined with the relative path).
    public var input: String
    /// The input's path relative to the input it was found under (its name for a named file);
    /// what `--include`/`--exclude` match and what the output tree mirrors.
    public var relativePath: String
    /// The output's path.
    public var output: String
    /// The input's kind.
    public var kind: BatchFileKind
    /// What to do.
    public var action: BatchAction
    /// True when `-o` named this output file (one input file), rather than a folder to mirror
    /// the inputs into: a merge then writes exactly that file.
    public var outputIsNamed: Bool
    /// The input's size in bytes as the engine found it right before converting it (its
    /// `stat`, which the converter then need not repeat); nil until then.
    public var inputBytes: Int64?

    /// Creates a job.
    public init(input: String, relativePath: String, output: String, kind: BatchFileKind, action: BatchAction, outputIsNamed: Bool = false) {
        self.input = input
        self.relativePath = relativePath
        self.output = output
        self.kind = kind
        self.action = action
        self.outputIsNamed = outputIsNamed
    }
}

/// The work done on one file: the batch engine decides what and where, a converter does it.
///
/// Implementations write `job.output` through `FileAccess.AtomicFile` (never directly) and
/// must be safe to call from several threads at once: the engine runs jobs in parallel.
public protocol BatchFileConverter: Sendable {
    /// The output file's name (last path component) for an input, before it is converted.
    ///
    /// The default is CLI.md's rule: `<input file name>.xlf` for prepared documents, the same
    /// name for an XLIFF version change, the name without `.xlf`/`.xliff` for a merge. A merge
    /// converter overrides it to use the name recorded in the XLIFF's `original`.
    func outputName(forInput path: String, kind: BatchFileKind, action: BatchAction) throws -> String

    /// Converts one file, writing `job.output`. Returns the warnings to report (the file still
    /// counts as converted) and what was converted; throws when the file cannot be converted
    /// (a `LocatedError` names the file, line and column).
    func convert(_ job: BatchJob) throws -> BatchFileOutcome
}

/// What a converter says about a file it converted.
public struct BatchFileOutcome: Sendable, Hashable {
    /// Warnings (and notes) to report; an error here makes the file count as failed.
    public var findings: [Finding]
    /// Units converted, when the converter counts them.
    public var units: Int?
    /// The input's format: an XLIFF version (`1.2`, `2.1`) or a document format (`text`, `html`).
    public var from: String?
    /// The output's format, in the same terms.
    public var to: String?

    /// Creates an outcome.
    public init(findings: [Finding] = [], units: Int? = nil, from: String? = nil, to: String? = nil) {
        self.findings = findings
        self.units = units
        self.from = from
        self.to = to
    }
}

extension BatchFileConverter {
    /// CLI.md's output names (see the protocol requirement).
    public func outputName(forInput path: String, kind: BatchFileKind, action: BatchAction) throws -> String {
        BatchNaming.defaultOutputName(forInput: path, action: action)
    }
}

/// The output-naming rules of CLI.md.
public enum BatchNaming {
    /// `article.txt` → `article.txt.xlf` (prepare); `a.xlf` → `a.xlf` (version change);
    /// `article.txt.xlf` → `article.txt` (merge, when the XLIFF does not say otherwise).
    public static func defaultOutputName(forInput path: String, action: BatchAction) -> String {
        let name = PathNames.lastComponent(path)
        switch action {
        case .prepare:
            return name + ".xlf"
        case .changeVersion:
            return name
        case .merge:
            for ext in BatchFileKind.xliff.extensions {
                let suffix = "." + ext
                if name.lowercased().hasSuffix(suffix), name.count > suffix.count {
                    return String(name.dropLast(suffix.count))
                }
            }
            return name
        }
    }

    /// A safe output file name from a name recorded in a file (XLIFF `original`): its last path
    /// component, so that a crafted `original="../../etc/x"` never escapes the output folder.
    /// Nil when nothing usable remains.
    public static func safeFileName(fromRecorded recorded: String) -> String? {
        let normalized = recorded.replacingOccurrences(of: "\\", with: "/")
        let name = PathNames.lastComponent(normalized)
        if name.isEmpty || name == "." || name == ".." || name.contains("\0") { return nil }
        return name
    }
}

/// A converter built from closures, for tests and for callers that need no state.
public struct ClosureConverter: BatchFileConverter {
    private let naming: @Sendable (String, BatchFileKind, BatchAction) throws -> String
    private let body: @Sendable (BatchJob) throws -> BatchFileOutcome

    /// Creates a converter that runs `body` for each job and names outputs with `naming`
    /// (CLI.md's rule by default).
    public init(
        naming: @escaping @Sendable (String, BatchFileKind, BatchAction) throws -> String = { path, _, action in
            BatchNaming.defaultOutputName(forInput: path, action: action)
        },
        _ body: @escaping @Sendable (BatchJob) throws -> [Finding]
    ) {
        self.naming = naming
        self.body = { BatchFileOutcome(findings: try body($0)) }
    }

    /// Calls the naming closure.
    public func outputName(forInput path: String, kind: BatchFileKind, action: BatchAction) throws -> String {
        try naming(path, kind, action)
    }

    /// Calls the body closure.
    public func convert(_ job: BatchJob) throws -> BatchFileOutcome {
        try body(job)
    }
}
