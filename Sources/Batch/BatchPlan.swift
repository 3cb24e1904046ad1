import Diagnostics
import FileAccess
import Foundation

/// What the user asked for: inputs, where outputs go, and how to choose and treat files.
public struct BatchRequest: Sendable, Hashable {
    /// Files and folders, as typed (folders are walked recursively).
    public var inputs: [String]
    /// `-o`: the output file (one input file) or folder (a folder or several inputs).
    public var output: String
    /// Convert to XLIFF, or merge back.
    public var mode: BatchMode
    /// `--include` / `--exclude`.
    public var filter: FileFilter
    /// `--force`: convert even when the output is newer than its input.
    public var force: Bool
    /// `--jobs`: how many files are converted at once (at least 1).
    public var jobs: Int

    /// Creates a request. `jobs` defaults to the number of active processors.
    public init(inputs: [String], output: String, mode: BatchMode = .convert, filter: FileFilter = FileFilter(), force: Bool = false, jobs: Int? = nil) {
        self.inputs = inputs
        self.output = output
        self.mode = mode
        self.filter = filter
        self.force = force
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// How `-o` is understood (CLI.md, "`-o`").
public enum OutputLayout: Sendable, Hashable {
    /// One input file: `-o` names the output file (when `-o` is an existing folder or ends
    /// with `/`, the output goes into it under its usual name).
    case file(String)
    /// A folder or several inputs: `-o` names a folder and the input tree is mirrored under it.
    case folder(String)

    /// The folder in which outputs appear (for a single file, the file's folder).
    public var folder: String {
        switch self {
        case .file(let path): return (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        case .folder(let path): return path
        }
    }
}

/// A file a folder walk found but does not convert (an unsupported format, a folder link).
public struct IgnoredFile: Sendable, Hashable, Codable {
    /// Its path.
    public var path: String
    /// Why it is left alone.
    public var reason: String
}

/// The files of a run, decided before any is converted: jobs in a stable order, the inputs
/// that already failed (missing, unreadable folder, colliding outputs), and what was ignored.
public struct BatchPlan: Sendable {
    /// How `-o` was understood.
    public var layout: OutputLayout
    /// The files to convert, in walk order (sorted by path within each input).
    public var jobs: [BatchJob]
    /// Inputs that cannot be converted, found while planning (each has its error).
    public var failures: [BatchFileResult]
    /// Files found in folders and left alone.
    public var ignored: [IgnoredFile]
    /// True when outputs newer than their inputs are skipped (a folder run without `--force`).
    public var skipsUpToDateOutputs: Bool

    /// Walks the inputs of `request` and decides each file's output and action.
    ///
    /// Never throws: every problem becomes a failure of the file or folder concerned, so one
    /// bad input never hides the others.
    public static func make(_ request: BatchRequest, converter: some BatchFileConverter) -> BatchPlan {
        var planner = Planner(request: request, converter: converter)
        return planner.plan()
    }
}

private struct Planner<Converter: BatchFileConverter> {
    let request: BatchRequest
    let converter: Converter
    var jobs: [BatchJob] = []
    var failures: [BatchFileResult] = []
    var ignored: [IgnoredFile] = []
    var outputRootIdentity: FileStatus.Identity?
    var seenInputs: Set<FileStatus.Identity> = []
    /// The identity of each job's input as the walk saw it (`jobs[i]`'s at `i`; nil when it
    /// could not be taken), so that the conflict check does not `stat` every input again.
    var inputIdentities: [FileStatus.Identity?] = []
    /// The folder of each job's output when the walk knows it (`jobs[i]`'s at `i`), so that the
    /// conflict check does not take every output path apart again.
    var outputFolders: [String?] = []

    init(request: BatchRequest, converter: Converter) {
        self.request = request
        self.converter = converter
    }

    mutating func plan() -> BatchPlan {
        let layout = decideLayout()
        if case .folder(let root) = layout {
            outputRootIdentity = FileStatus.ifExists(root)?.identity
        }
        let several = request.inputs.count > 1
        for input in request.inputs {
            let status: FileStatus
            do {
                status = try FileStatus.of(input)
            } catch {
                fail(input: input, error)
                continue
            }
            if status.kind == .directory {
                // One folder: its content goes straight under -o. Several inputs: each keeps its name.
                let prefix = several ? folderName(input) : ""
                if case .folder(let root) = layout {
                    walk(folder: input, relative: "", outputFolder: prefix.isEmpty ? root : join(root, prefix))
                }
            } else {
                addNamedFile(input, status: status, layout: layout)
            }
        }
        resolveConflicts()
        let skip: Bool
        if case .folder = layout { skip = !request.force } else { skip = false }
        return BatchPlan(layout: layout, jobs: jobs, failures: failures, ignored: ignored, skipsUpToDateOutputs: skip)
    }

    private func decideLayout() -> OutputLayout {
        if request.inputs.count == 1, FileStatus.ifExists(request.inputs[0])?.kind != .directory {
            let out = request.output
            if out.hasSuffix("/") || FileStatus.ifExists(out)?.kind == .directory {
                // Into an existing folder, under the output's usual name.
                let input = request.inputs[0]
                let name = BatchFileKind.detect(PathNames.lastComponent(input)).flatMap { kind in
                    request.mode.action(for: kind).flatMap { try? converter.outputName(forInput: input, kind: kind, action: $0) }
                } ?? PathNames.lastComponent(input)
                return .file(join(out, name))
            }
            return .file(out)
        }
        return .folder(request.output)
    }

    /// The name a folder input keeps under `-o` when there are several inputs.
    private func folderName(_ path: String) -> String {
        let name = PathNames.lastComponent(path)
        if name.isEmpty || name == "." || name == ".." || name == "/" {
            let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().lastPathComponent
            return resolved.isEmpty || resolved == "/" ? "root" : resolved
        }
        return name
    }

    private mutating func addNamedFile(_ input: String, status: FileStatus, layout: OutputLayout) {
        let name = PathNames.lastComponent(input)
        guard request.filter.selects(name) else { return }
        guard let kind = BatchFileKind.detect(name) else {
            fail(input: input, FileAccessError(path: input, "unsupported format: Verso converts .txt, .html/.htm and .xlf/.xliff files"))
            return
        }
        guard let action = request.mode.action(for: kind) else {
            fail(input: input, FileAccessError(path: input, "--merge takes translated XLIFF files (.xlf, .xliff), not \(kind == .html ? "HTML" : "text")"))
            return
        }
        if status.kind == .regular, !seenInputs.insert(status.identity).inserted { return }
        let outputName: String
        do {
            outputName = try converter.outputName(forInput: input, kind: kind, action: action)
        } catch {
            fail(input: input, error)
            return
        }
        switch layout {
        case .file(let path):
            add(BatchJob(input: input, relativePath: name, output: path, kind: kind, action: action, outputIsNamed: true), identity: status.identity)
        case .folder(let root):
            add(BatchJob(input: input, relativePath: name, output: join(root, outputName), kind: kind, action: action), identity: status.identity)
        }
    }

    private mutating func add(_ job: BatchJob, identity: FileStatus.Identity, outputFolder: String? = nil) {
        jobs.append(job)
        inputIdentities.append(identity)
        outputFolders.append(outputFolder.map { $0.isEmpty ? "." : $0 })
    }

    /// Walks `folder` (at `relative` under its input), whose outputs go into `outputFolder`
    /// (worked out once per folder rather than from each file's relative path).
    private mutating func walk(folder: String, relative: String, outputFolder: String) {
        let entries: [FolderEntry]
        do {
            entries = try FolderEntry.list(folder)
        } catch {
            fail(input: folder, error)
            return
        }
        seenInputs.reserveCapacity(seenInputs.count + entries.count)
        for entry in entries {
            let name = entry.name
            // Hidden entries (.git, .DS_Store, our own .verso-tmp-* files) are never inputs.
            if name.hasPrefix(".") { continue }
            let path = join(folder, name)
            let rel = relative.isEmpty ? name : join(relative, name)
            guard let link = entry.link else { continue }
            var status = link
            if link.kind == .symbolicLink {
                if let target = entry.target {
                    if target.kind == .directory {
                        // Not followed: a link to a folder can make the walk loop or leave the tree.
                        if request.filter.selects(rel) {
                            ignored.append(IgnoredFile(path: path, reason: "symbolic link to a folder (not followed)"))
                        }
                        continue
                    }
                    status = target
                }
            }
            if status.kind == .directory {
                if let outputRootIdentity, status.identity == outputRootIdentity { continue }
                if request.filter.prunes(folder: rel) { continue }
                walk(folder: path, relative: rel, outputFolder: join(outputFolder, name))
                continue
            }
            guard request.filter.selects(rel) else { continue }
            guard let kind = BatchFileKind.detect(name) else {
                ignored.append(IgnoredFile(path: path, reason: "not a format Verso converts"))
                continue
            }
            guard let action = request.mode.action(for: kind) else {
                ignored.append(IgnoredFile(path: path, reason: "not XLIFF (--merge converts XLIFF only)"))
                continue
            }
            if status.kind == .regular, !seenInputs.insert(status.identity).inserted { continue }
            let outputName: String
            do {
                outputName = try converter.outputName(forInput: path, kind: kind, action: action)
            } catch {
                fail(input: path, error)
                continue
            }
            add(BatchJob(input: path, relativePath: rel, output: join(outputFolder, outputName), kind: kind, action: action),
                identity: status.identity, outputFolder: outputFolder)
        }
    }

    /// Two inputs writing the same output, or an output that would replace an input: the later
    /// job fails with a message naming the other file (nothing is overwritten silently).
    private mutating func resolveConflicts() {
        var inputsByIdentity: [FileStatus.Identity: String] = [:]
        inputsByIdentity.reserveCapacity(jobs.count)
        for (job, identity) in zip(jobs, inputIdentities) {
            if let identity { inputsByIdentity[identity] = job.input }
        }
        // An output can only exist in a folder that exists: one `stat` per output folder (a new
        // output tree has none) instead of one per output file.
        var folderExists: [String: Bool] = [:]
        var claims = OutputClaims()
        claims.reserveCapacity(jobs.count)
        var kept: [BatchJob] = []
        for (job, knownFolder) in zip(jobs, outputFolders) {
            if let conflict = claims.claim(job.output, for: job.input, advice: "rename one of them or use --exclude") {
                fail(job: job, conflict)
                continue
            }
            let folder = knownFolder ?? PathNames.folder(of: job.output)
            let inExistingFolder = folderExists[folder] ?? {
                let exists = FileStatus.ifExists(folder)?.kind == .directory
                folderExists[folder] = exists
                return exists
            }()
            if inExistingFolder, let existing = FileStatus.ifExists(job.output), let input = inputsByIdentity[existing.identity] {
                let message = input == job.input
                    ? "refusing to overwrite the input file: choose another -o"
                    : "its output \(job.output) would replace the input \(input); choose another -o"
                fail(job: job, FileAccessError(path: job.input, message))
                continue
            }
            kept.append(job)
        }
        jobs = kept
        inputIdentities = []
        outputFolders = []
    }

    private mutating func fail(input: String, _ error: Error) {
        failures.append(BatchFileResult(input: input, output: nil, action: nil, status: .failed, findings: [BatchFileResult.finding(for: error, path: input)]))
    }

    private mutating func fail(job: BatchJob, _ error: Error) {
        failures.append(BatchFileResult(input: job.input, output: job.output, action: job.action, status: .failed, findings: [BatchFileResult.finding(for: error, path: job.input)]))
    }

    private func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        // The bytes copied once into a string of the right size: `folder + "/" + name` built
        // two strings, about a thousand instructions for each of the paths of every file.
        var folder = folder, name = name
        return folder.withUTF8 { f in
            name.withUTF8 { n in
                let slash = f.last != UInt8(ascii: "/")
                return String(unsafeUninitializedCapacity: f.count + n.count + (slash ? 1 : 0)) { out in
                    var i = out.initialize(fromContentsOf: f)
                    if slash {
                        out[i] = UInt8(ascii: "/")
                        i += 1
                    }
                    return i + UnsafeMutableBufferPointer(rebasing: out[i...]).initialize(fromContentsOf: n)
                }
            }
        }
    }
}
