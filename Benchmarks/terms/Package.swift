// swift-tools-version: 6.1
// The terminology benchmark driver: measures recognition and lookup inside the library, so the
// figures are not blurred by process start-up. A package of its own, depending on the root
// package by path, so that the main build does not carry benchmark code.
import PackageDescription

let package = Package(
    name: "TermsBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Verso", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "terms-bench",
            dependencies: [.product(name: "Terminology", package: "Verso"), .product(name: "TranslationModel", package: "Verso")],
            path: "Sources"
        ),
    ],
    swiftLanguageModes: [.v6]
)
