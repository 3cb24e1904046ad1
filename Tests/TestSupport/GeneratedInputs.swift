import Foundation

/// Inputs generated from the real French corpus by `../shared/data/perf/make_inputs.py`
/// (deterministic: the same arguments give byte-identical files).
public enum GeneratedInputs {
    /// Errors running the generator.
    public struct GeneratorError: Error, CustomStringConvertible {
        /// What went wrong (the generator's stderr).
        public var description: String
    }

    /// Writes a tree of `count` small `.txt` / `.html` / `.xlf` documents (in `section-NN/`
    /// folders) under `folder`, made of corpus sentences.
    public static func batchTree(count: Int, into folder: URL) throws {
        try run(["batch", "--count", String(count), "--out", folder.path])
    }

    /// Writes one XLIFF file (`version` "1.2" or "2.1") of about `size` ("200K", "5M") at `file`.
    public static func xliff(version: String, size: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try run(["xliff", "--version", version, "--size", size, "--out", file.path])
    }

    private static func run(_ arguments: [String]) throws {
        guard let python = VersoCommand.which("python3") else {
            throw GeneratorError(description: "python3 is needed to generate test inputs")
        }
        let script = TestPaths.sharedFile("data/perf/make_inputs.py").path
        let corpus = TestPaths.sharedFile("data/corpus/fr.txt.gz").path
        let result = try VersoCommand.runProcess(python, [script, "--corpus", corpus] + arguments)
        guard result.status == 0 else {
            throw GeneratorError(description: "make_inputs.py \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
    }
}
