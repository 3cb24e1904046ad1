// swift-tools-version: 6.1
// Verso: prepares documents for translation (XLIFF, SRX segmentation, terminology, alignment).
import PackageDescription

let package = Package(
    name: "Verso",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "verso", targets: ["verso"]),
        .library(name: "TranslationModel", targets: ["TranslationModel"]),
        .library(name: "XLIFF", targets: ["XLIFF"]),
        .library(name: "Terminology", targets: ["Terminology"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: C libraries (only XMLSupport sees libxml2)
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The C allocator's settings (mallopt), for the executable only.
        .target(name: "CAllocatorTuning"),

        // MARK: Foundation layers
        .target(name: "TranslationModel"),
        .target(name: "Diagnostics"),
        .target(
            name: "FileAccess",
            dependencies: ["Diagnostics"]
        ),
        .target(
            name: "XMLSupport",
            dependencies: ["CLibXML2", "Diagnostics"]
        ),

        // MARK: Formats
        .target(
            name: "XLIFF",
            dependencies: ["TranslationModel", "XMLSupport", "Diagnostics", "FileAccess"]
        ),

        // MARK: Source formats (plain text, HTML) and merge back
        .target(
            name: "Formats",
            dependencies: ["TranslationModel", "XMLSupport", "Diagnostics", "FileAccess"]
        ),

        // MARK: Translation memory exchange
        .target(
            name: "TMX",
            dependencies: ["TranslationModel", "XMLSupport", "Diagnostics", "FileAccess"]
        ),

        // MARK: Segmentation (SRX 2.0)
        // ICU's C API behind a header without ICU types (DESIGN §6: system ICU clashes with
        // Foundation's bundled ICU in any module that sees its headers).
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .target(
            name: "Segmentation",
            dependencies: ["TranslationModel", "XMLSupport", "Diagnostics", "FileAccess", "CICU"],
            resources: [.embedInCode("Resources/verso.srx")]
        ),

        // MARK: Terminology
        .target(
            name: "Terminology",
            dependencies: [
                "TranslationModel", "XMLSupport", "Diagnostics", "FileAccess",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // MARK: Alignment
        .target(
            name: "Alignment",
            dependencies: ["TranslationModel", "Diagnostics"],
            // The aligner's inner loops run ~25× slower unoptimised; the test suite aligns whole
            // novels, so the module is optimised in debug builds too.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),

        // MARK: Pipeline (stages and the streaming driver)
        .target(
            name: "Pipeline",
            dependencies: ["TranslationModel", "Diagnostics", "FileAccess", "XMLSupport", "XLIFF", "Formats", "Segmentation", "Terminology"]
        ),

        // MARK: Batch conversion (folders, parallel jobs, atomic outputs, reports)
        .target(
            name: "Batch",
            dependencies: ["Diagnostics", "FileAccess", "TranslationModel", "XLIFF", "Formats", "Pipeline"]
        ),

        // MARK: Command-line tool
        .executableTarget(
            name: "verso",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "TranslationModel",
                "Diagnostics",
                "FileAccess",
                "XMLSupport",
                "XLIFF",
                "Formats",
                "TMX",
                "Segmentation",
                "Terminology",
                "Alignment",
                "Pipeline",
                "Batch",
                "CAllocatorTuning",
            ]
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["Diagnostics", "FileAccess"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "XMLSupportTests",
            dependencies: ["XMLSupport", "Diagnostics", "TestSupport"]
        ),
        .testTarget(
            name: "FileAccessTests",
            dependencies: ["FileAccess", "TestSupport"]
        ),
        .testTarget(
            name: "TranslationModelTests",
            dependencies: ["TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "XLIFFTests",
            dependencies: ["XLIFF", "TranslationModel", "Diagnostics", "XMLSupport", "TestSupport"]
        ),
        .testTarget(
            name: "FormatsTests",
            dependencies: ["Formats", "TranslationModel", "Diagnostics", "XMLSupport", "TestSupport"]
        ),
        .testTarget(
            name: "TMXTests",
            dependencies: ["TMX", "TranslationModel", "Diagnostics", "FileAccess", "XMLSupport", "TestSupport"]
        ),
        .testTarget(
            name: "SegmentationTests",
            dependencies: ["Segmentation", "Formats", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "TerminologyTests",
            dependencies: ["Terminology", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "AlignmentTests",
            dependencies: ["Alignment", "TranslationModel", "Diagnostics", "TestSupport"]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Formats", "XLIFF", "Segmentation", "Terminology", "TranslationModel", "Diagnostics", "FileAccess", "TestSupport"]
        ),
        .testTarget(
            name: "BatchTests",
            dependencies: ["Batch", "Diagnostics", "FileAccess", "XMLSupport", "TestSupport"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: Release builds link the Swift runtime and Foundation into the binary
// A process then starts in about half the time (no symbol binding across twenty shared
// libraries), which counts when a folder conversion or a script runs verso often. Every module
// is compiled for it (each one's imports decide which libraries the binary links).
// (Not for the fuzzing harnesses below, built with sanitizers.)
for target in package.targets where Context.environment["VERSO_FUZZ"] != "1" && (target.type == .regular || target.type == .executable) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
    if target.type == .executable {
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
    }
}

// MARK: Fuzzing harnesses (libFuzzer). Declared only when Fuzz/build.sh sets VERSO_FUZZ=1, so
// `swift build` and `swift test` never see them. See docs/fuzzing.md.
if Context.environment["VERSO_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    package.targets.append(.target(name: "FuzzXLIFFSupport", dependencies: ["XLIFF"], path: "Fuzz/XLIFFSupport"))
    package.targets.append(.target(name: "FuzzFormatsSupport", dependencies: ["Formats"], path: "Fuzz/FormatsSupport"))
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzXML", ["XMLSupport"]),
        ("FuzzXLIFF12", ["FuzzXLIFFSupport"]),
        ("FuzzXLIFF2", ["FuzzXLIFFSupport"]),
        ("FuzzTBX", ["Terminology"]),
        ("FuzzCSV", ["Terminology"]),
        ("FuzzHTML", ["Formats", "FuzzFormatsSupport"]),
        ("FuzzText", ["Formats", "FuzzFormatsSupport"]),
        ("FuzzSRX", ["Segmentation"]),
        ("FuzzTMX", ["TMX"]),
    ]
    for harness in harnesses {
        package.targets.append(.executableTarget(
            name: harness.name,
            dependencies: ["FuzzSupport"] + harness.dependencies,
            path: "Fuzz/Harnesses/\(harness.name)"
        ))
    }
}
