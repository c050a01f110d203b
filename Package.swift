// swift-tools-version:6.1
import PackageDescription

/// Every Swift target's settings, guarding the layering: an import is internal unless a file
/// says `public import`, so no dependency's types (GRDB, Yams, cmark, libxml2, Hummingbird,
/// postgres-nio) leak from a module's public API by accident; and a protocol used as a type is
/// written `any P`, so the cost of an existential is visible where it is paid.
let guards: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pmcms",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pmcms", targets: ["pmcms"]),
        .library(name: "PMCMS", targets: ["PMCMS"]),
        // For the fuzzing package in Fuzz/, which can only depend on products.
        .library(name: "Imports", targets: ["Imports"]),
    ],
    // PostgreSQL is a build option, off by default, so that the quick start (`swift run pmcms
    // demo`) never compiles postgres-nio and its TLS stack (about five more minutes on two
    // cores): `swift build --traits PostgreSQL` builds a pmcms that takes postgres:// stores.
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL store backend (postgres-nio): postgres:// stores (--db, store copy, verify)."),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The web review desk (`pmcms serve`): Hummingbird 2 with its default traits off (no
        // swift-configuration), Mustache templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Sessions and bcrypt password hashes for the desk's accounts.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // The PostgreSQL backend's first slice (issue 19): `store copy` and `verify` on postgres:// stores.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CCmarkGFM", path: "Sources/CCmarkGFM",
            pkgConfig: "libcmark-gfm", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .target(
            name: "Schema", path: "Schema",
            exclude: ["export.schema.json"],
            resources: [
                .embedInCode("Migrations/0001_initial.sql"),
                .embedInCode("Migrations/0002_search.sql"),
                .embedInCode("Migrations/0003_export_order.sql"),
                .embedInCode("Migrations/0004_no_link_url_index.sql"),
                .embedInCode("Migrations/0005_import_roots.sql"),
                .embedInCode("Migrations/0006_revision_hash.sql"),
                .embedInCode("Migrations/0007_feed_date_known.sql"),
                .embedInCode("Migrations/0008_schedule.sql"),
                .embedInCode("Migrations/0009_accounts.sql"),
                .embedInCode("Migrations/0010_head_status_index.sql"),
                .embedInCode("Migrations/0011_import_fetched_at.sql"),
                // PostgreSQL's migrations (issue 19), numbered on their own; run by PostgresStore.
                .embedInCode("Postgres/0001_postgres_initial.sql"),
                .embedInCode("Postgres/0002_postgres_search.sql"),
                .embedInCode("Postgres/0003_byte_order.sql"),
            ],
            swiftSettings: guards),
        .target(
            name: "PMCMS",
            dependencies: [
                "Schema", "CCmarkGFM",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/PMCMS",
            swiftSettings: guards),
        // The PostgreSQL backend (issue 19, first slice): its own module, so the SQLite core in
        // PMCMS stays unchanged; its migrations live in Schema/Postgres beside the SQLite ones.
        .target(
            name: "PostgresStore",
            dependencies: [
                "PMCMS", "Schema",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/PostgresStore",
            swiftSettings: guards),
        .target(
            name: "Imports",
            dependencies: ["PMCMS", "CLibXML2", "CZlib"],
            path: "Imports",
            resources: [
                .embedInCode("SampleSite/faq/is-pmo-more-senior-than-project-manager.html"),
                .embedInCode("SampleSite/faq/am-i-qualified-to-be-a-project-manager.html"),
                .embedInCode("SampleSite/faq/is-pmo-better-than-project-manager.html"),
                .embedInCode("SampleSite/faq/can-pmo-become-a-project-manager.html"),
                .embedInCode("SampleSite/faq/prince2-questions.html"),
                .embedInCode("SampleSite/faq/agile-questions.html"),
                .embedInCode("SampleSite/articles/project-portfolio-management-tools.html"),
                .embedInCode("SampleSite/articles/what-is-prince2-agile.html"),
            ],
            swiftSettings: guards),
        .target(
            name: "Exports",
            dependencies: ["PMCMS", "CLibXML2", .product(name: "Yams", package: "Yams")],
            path: "Exports",
            swiftSettings: guards),
        .target(
            name: "Web",
            dependencies: [
                "PMCMS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            path: "Sources/Web",
            resources: [
                .embedInCode("Templates/layout.mustache"),
                .embedInCode("Templates/queue.mustache"),
                .embedInCode("Templates/entries.mustache"),
                .embedInCode("Templates/entry.mustache"),
                .embedInCode("Templates/entry_top.mustache"),
                .embedInCode("Templates/entry_rest.mustache"),
                .embedInCode("Templates/diff.mustache"),
                .embedInCode("Templates/message.mustache"),
                .embedInCode("Templates/link.mustache"),
                .embedInCode("Templates/edit.mustache"),
                .embedInCode("Templates/changed.mustache"),
                .embedInCode("Templates/login.mustache"),
                .embedInCode("Templates/accounts.mustache"),
                .embedInCode("Templates/settings.mustache"),
                .embedInCode("Assets/site.css"),
            ],
            swiftSettings: guards),
        .executableTarget(
            name: "pmcms",
            dependencies: [
                "PMCMS", "Imports", "Exports", "Web",
                .target(name: "PostgresStore", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/pmcms",
            swiftSettings: guards),
        // Builds the benchmark's large store through the library (see README.md, Performance);
        // not a product, never run by the tests.
        .executableTarget(
            name: "pmcms-bench-store",
            dependencies: ["PMCMS", "TestSupport"],
            path: "Benchmarks/StoreGenerator",
            swiftSettings: guards),
        // Helpers the test targets (and the benchmark's store generator) share: a seeded random
        // generator, the subprocess runner; Foundation only, not a product.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: guards),
        // The switch that runs the store, export and end-to-end suites on SQLite or on PostgreSQL
        // (PMCMS_TEST_BACKEND, issue 19): where a test's store is made and opened.
        .target(
            name: "TestBackends",
            dependencies: [
                "PMCMS", "TestSupport",
                .target(name: "PostgresStore", condition: .when(traits: ["PostgreSQL"])),
            ],
            path: "Tests/TestBackends",
            swiftSettings: guards),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"], path: "Tests/TestSupportTests", swiftSettings: guards),
        .testTarget(
            name: "PMCMSTests",
            dependencies: [
                "PMCMS", "CCmarkGFM", "TestSupport", "TestBackends", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Tests/PMCMSTests",
            swiftSettings: guards),
        .testTarget(
            name: "ImportsTests",
            dependencies: ["Imports", "PMCMS", "TestSupport", "TestBackends"],
            path: "Tests/ImportsTests",
            swiftSettings: guards),
        .testTarget(
            name: "ExportsTests",
            dependencies: ["Exports", "Imports", "PMCMS", "CLibXML2", "TestSupport", "TestBackends"],
            path: "Tests/ExportsTests",
            exclude: ["Golden"],  // read from the source tree by path, so they can be regenerated in place
            swiftSettings: guards),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "PMCMS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/WebTests",
            swiftSettings: guards),
        .testTarget(
            name: "PostgresStoreTests",
            // `pmcms` so that the binary its end-to-end tests run is built first.
            dependencies: ["PostgresStore", "PMCMS", "Schema", "pmcms", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/PostgresStoreTests",
            swiftSettings: guards),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["PMCMS", "pmcms", "TestSupport", "TestBackends", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/EndToEndTests",
            swiftSettings: guards),
    ]
)
