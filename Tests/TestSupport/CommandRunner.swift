import Foundation

/// The result of running the `verso` binary.
public struct CommandResult: Sendable {
    /// Exit status.
    public var status: Int32
    /// Everything printed on stdout.
    public var stdout: String
    /// Everything printed on stderr.
    public var stderr: String
}

/// Runs the `verso` executable built beside the test bundle, as a user would.
public enum VersoCommand {
    /// Path of the built `verso` binary (same build folder as the tests).
    public static let executable: URL = {
        // The test bundle lives in .build/<config>/…; the binary sits in that folder.
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("verso")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return TestPaths.repository.appendingPathComponent(".build/debug/verso")
    }()

    /// Runs `verso` with `arguments`, feeding `stdin` when given, from `directory`.
    @discardableResult
    public static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil, environment: [String: String]? = nil) throws -> CommandResult {
        try runProcess(executable, arguments, stdin: stdin.map { Data($0.utf8) }, in: directory, environment: environment)
    }

    /// Runs any program and captures its output.
    public static func runProcess(_ program: URL, _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String]? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = self.environment.merging(environment ?? [:]) { $1 }
        // Temporary files rather than pipes: no deadlock on large outputs, no threads.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verso-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("stdin"), outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        try (stdin ?? Data()).write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? inHandle.close(); try? outHandle.close(); try? errHandle.close() }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The `VERSO_CACHE_DIR` every program run by the tests gets: one folder for the suite's
    /// runs, in the temporary folder.
    public static let testCacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("verso-tests-cache")

    /// The environment to run `verso` in: this process's, with the suite's own compiled-termbase
    /// cache (`testCacheDirectory`), never the user's `~/.cache/verso`. A test that starts a
    /// `Process` itself gives it this.
    public static var environment: [String: String] {
        var variables = ProcessInfo.processInfo.environment
        variables["VERSO_CACHE_DIR"] = testCacheDirectory.path
        return variables
    }

    /// Finds a program on PATH (`xmllint`, `python3`), or nil.
    public static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}
