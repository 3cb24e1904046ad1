#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TranslationModel
import XMLSupport

/// Finds the XML Schema to validate an XLIFF version with, in a folder of schemas such as
/// `../shared/standards/schemas` (or takes the one `.xsd` file it is given).
///
/// In a folder, the driver schemas that import core and every module come first
/// (`xliff21-all-modules.xsd`), then the OASIS core schema of the version, found by its usual
/// path or, failing that, by its target namespace anywhere under the folder. XLIFF 1.2 uses the
/// transitional schema when there is one (real files use the 1.0/1.1 attributes it admits),
/// else the strict one.
public enum XLIFFSchemaLocator {
    /// The schema for `version`, or nil when `location` holds none.
    public static func schema(for version: XLIFFVersion, in location: String) -> String? {
        var st = stat()
        guard stat(location, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFREG { return location }
        let folder = location.hasSuffix("/") && location.count > 1 ? String(location.dropLast()) : location
        for candidate in candidates(for: version) {
            let path = folder + "/" + candidate
            if access(path, R_OK) == 0 { return path }
        }
        return byNamespace(XLIFFNamespace.core(of: version), under: folder, version: version)
    }

    private static func candidates(for version: XLIFFVersion) -> [String] {
        switch version {
        case .v1_2:
            return ["xliff12/xliff-core-1.2-transitional.xsd", "xliff-core-1.2-transitional.xsd", "xliff12/xliff-core-1.2-strict.xsd", "xliff-core-1.2-strict.xsd"]
        case .v2_0:
            return ["xliff20-all-modules.xsd", "xliff20/xliff_core_2.0.xsd"]
        case .v2_1:
            return ["xliff21-all-modules.xsd", "xliff21/xliff_core_2.0.xsd", "xliff_core_2.0.xsd"]
        case .v2_2:
            return ["xliff22-all-modules.xsd", "xliff22/xliff_core_2.2.xsd", "xliff_core_2.2.xsd"]
        }
    }

    /// An `.xsd` under `folder` whose `targetNamespace` is `namespace` (shortest path first; for
    /// 1.2, a transitional schema before a strict one).
    private static func byNamespace(_ namespace: String, under folder: String, version: XLIFFVersion) -> String? {
        var found: [String] = []
        for path in XMLSchemaFiles.all(under: folder) {
            guard let root = try? XMLDocumentParser.parse(path: path) else { continue }
            if root.attribute("targetNamespace") == namespace { found.append(path) }
        }
        return found.min { a, b in
            if version == .v1_2 && a.contains("transitional") != b.contains("transitional") { return a.contains("transitional") }
            return a.count < b.count
        }
    }
}
