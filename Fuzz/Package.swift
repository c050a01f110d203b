// swift-tools-version:6.1
// The libFuzzer target for page extraction and HTML → Markdown. A package of its own, so that
// `swift test` and CI never build it: it needs `-sanitize=fuzzer`, which `run.sh` passes.
import PackageDescription

let package = Package(
    name: "pmcms-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "pmcms", path: ".."),
    ],
    targets: [
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .executableTarget(
            name: "FuzzImports",
            dependencies: [
                "FuzzDriver",
                .product(name: "Imports", package: "pmcms"),
                .product(name: "PMCMS", package: "pmcms"),
            ],
            path: "Sources/FuzzImports"),
    ]
)
