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
            dependencies: ["TranslationModel", "Diagnostics"]
        ),

        // MARK: Pipeline (stages and the streaming driver)
        .target(
            name: "Pipeline",
            dependencies: ["TranslationModel", "Diagnostics", "FileAccess", "XLIFF", "Formats", "Segmentation", "Terminology"]
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
            dependencies: ["XMLSupport", "TestSupport"]
        ),
        .testTarget(
            name: "TranslationModelTests",
            dependencies: ["TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "XLIFFTests",
            dependencies: ["XLIFF", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "FormatsTests",
            dependencies: ["Formats", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "TMXTests",
            dependencies: ["TMX", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "SegmentationTests",
            dependencies: ["Segmentation", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "TerminologyTests",
            dependencies: ["Terminology", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "AlignmentTests",
            dependencies: ["Alignment", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "TranslationModel", "TestSupport"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
