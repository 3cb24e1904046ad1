import Foundation
import TestSupport

/// The OASIS XLIFF 2 conformance files under `../shared/standards/conformance`.
enum ConformanceSuite {
    /// Files of the 2.2 draft suite that are broken in the suite itself (standards/README.md).
    static let brokenIn22: Set<String> = ["Good-itsm_text-analytics.xlf", "Good-mda_top-level.xlf", "Good-pgs_plural.xlf"]

    /// `.xlf` files of one folder of a suite (`xliff21`, `core/valid`), sorted.
    static func files(_ suite: String, _ folder: String) -> [URL] {
        let dir = TestPaths.sharedFile("standards/conformance/\(suite)/\(folder)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".xlf") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Every file a reader must accept: valid core and module files and the in-out inputs and
    /// outputs, without the three broken 2.2 files.
    static func validFiles(_ suite: String) -> [URL] {
        let all = files(suite, "core/valid") + files(suite, "modules/valid") + files(suite, "core/in-out")
        return all.filter { !(suite == "xliff22" && brokenIn22.contains($0.lastPathComponent)) }
    }

    /// Every file a validator must reject.
    static func invalidFiles(_ suite: String) -> [URL] {
        files(suite, "core/invalid") + files(suite, "modules/invalid")
    }

    /// The driver schema of a version (core + every module), for xmllint.
    static func schema(_ suite: String) -> URL {
        TestPaths.sharedFile("standards/schemas/\(suite)-all-modules.xsd")
    }

    /// The offline catalog.
    static let catalog = TestPaths.sharedFile("standards/catalog.xml")
}
