import Foundation

/// Paths to the repository and to the read-only shared material, for tests.
public enum TestPaths {
    /// The repository's root folder (where Package.swift is).
    public static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the repository (present in CI too). `VERSO_SHARED` overrides it.
    public static let shared: URL = {
        if let env = ProcessInfo.processInfo.environment["VERSO_SHARED"] { return URL(fileURLWithPath: env) }
        var url = repository
        // A git worktree may sit deeper; walk up until a sibling `shared` folder appears.
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("shared")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("standards").path) { return candidate }
            url.deleteLastPathComponent()
        }
        return repository.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// A file under `Samples/`.
    public static func sample(_ name: String) -> URL { repository.appendingPathComponent("Samples").appendingPathComponent(name) }

    /// A file under `../shared/`.
    public static func sharedFile(_ relative: String) -> URL { shared.appendingPathComponent(relative) }

    /// A file under `Tests/Fixtures/`.
    public static func fixture(_ relative: String) -> URL {
        repository.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// A fresh empty temporary folder, removed by the caller (or left for the OS).
    public static func temporaryFolder(_ label: String = "verso-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
