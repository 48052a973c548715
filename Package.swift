// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .library(name: "WorkflowModel", targets: ["WorkflowModel"]),
        .library(name: "WorkflowCatalog", targets: ["WorkflowCatalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The vocabulary: documents, expressions, the catalog as plain types, and the validator. Foundation only.
        .target(name: "WorkflowModel"),
        // Reads connector catalogs (OpenAPI 3 documents) and YAML documents into WorkflowModel types.
        .target(
            name: "WorkflowCatalog",
            dependencies: [
                "WorkflowModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
            ]
        ),
        // Drafts from English: prompts, language-model clients over HTTP, repair and validation. Never the store.
        .target(
            name: "WorkflowComposer",
            dependencies: [
                "WorkflowModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // Runs workflows: every step kind, retries, sagas, waits, recovery from the journal. Foundation only.
        .target(name: "WorkflowEngine", dependencies: ["WorkflowModel"]),
        // Real HTTP for connector calls and language models, over AsyncHTTPClient; it enters here only.
        .target(
            name: "HTTPClients",
            dependencies: [
                "WorkflowModel",
                "WorkflowEngine",
                "WorkflowComposer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Where workflows are kept, as a protocol any backend implements: versions, lifecycle, compositions, tokens,
        // schedule states and the run journal, with the shared types, errors and an in-memory implementation.
        .target(name: "WorkflowRepository", dependencies: ["WorkflowModel", "WorkflowEngine"]),
        // The SQLite backend of WorkflowRepository: workflows, versions, lifecycle, compositions and the run journal in
        // one file. GRDB enters here only.
        .target(
            name: "WorkflowStore",
            dependencies: ["WorkflowModel", "WorkflowEngine", "WorkflowRepository", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL backend of WorkflowRepository, for many processes on many machines sharing one database.
        // PostgresNIO enters here only.
        .target(
            name: "PostgresStore",
            dependencies: [
                "WorkflowModel", "WorkflowEngine", "WorkflowRepository",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The use cases, written once for the command line and the server: saving versions with their composition
        // record, the lifecycle, starting and steering runs, triggers (schedules, webhooks, events), and the long-running
        // parts as services. Crypto and ServiceLifecycle enter here only.
        .target(
            name: "WorkflowService",
            dependencies: [
                "WorkflowModel",
                "WorkflowComposer",
                "WorkflowEngine",
                "WorkflowRepository",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // `baton serve`'s HTTP side: the JSON API, webhooks, callbacks, events, health and Prometheus metrics, as thin
        // adapters over WorkflowService. Metrics and Prometheus enter here only.
        .target(
            name: "BatonServer",
            dependencies: [
                "WorkflowModel",
                "WorkflowCatalog",
                "WorkflowComposer",
                "WorkflowEngine",
                "WorkflowRepository",
                "WorkflowService",
                "WorkflowPages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // The web pages as HTML: templates, the workflow graph and the run timeline drawn as SVG. Mustache enters here only.
        .target(
            name: "WorkflowPages",
            dependencies: [
                "WorkflowModel",
                "WorkflowEngine",
                "WorkflowRepository",
                "WorkflowService",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static")]
        ),
        // Loopback HTTP servers standing in for the outside world: recorded language-model exchanges, simulated connectors.
        .target(name: "ModelReplay", dependencies: ["WorkflowModel", .product(name: "Hummingbird", package: "hummingbird")]),
        // The `baton` command's implementation, kept in a library so tests can drive it.
        .target(
            name: "BatonCLI",
            dependencies: [
                "WorkflowModel",
                "WorkflowCatalog",
                "WorkflowComposer",
                "WorkflowRepository",
                "WorkflowStore",
                "PostgresStore",
                "WorkflowEngine",
                "HTTPClients",
                "ModelReplay",
                "WorkflowService",
                "BatonServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(name: "baton", dependencies: ["BatonCLI"]),
        // Fixture locations and small helpers shared by the test targets.
        .target(name: "BatonTestSupport", dependencies: ["WorkflowModel", "WorkflowCatalog"]),
        .testTarget(name: "WorkflowModelTests", dependencies: ["WorkflowModel", "BatonTestSupport"]),
        .testTarget(
            name: "WorkflowCatalogTests",
            dependencies: ["WorkflowCatalog", "WorkflowModel", "BatonTestSupport"]
        ),
        .testTarget(
            name: "WorkflowFixtureTests",
            dependencies: ["WorkflowModel", "WorkflowCatalog", "BatonTestSupport"],
            resources: [.copy("check_schema.py")]
        ),
        .testTarget(
            name: "WorkflowStoreTests",
            dependencies: [
                "WorkflowStore", "WorkflowRepository", "WorkflowEngine", "WorkflowModel", "BatonTestSupport",
                // To write a database as an earlier schema left it, for migration tests.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "WorkflowRepositoryTests",
            dependencies: ["WorkflowRepository", "WorkflowStore", "PostgresStore", "WorkflowEngine", "WorkflowModel", "BatonTestSupport"]
        ),
        .testTarget(
            name: "WorkflowComposerTests",
            dependencies: ["WorkflowComposer", "WorkflowModel", "HTTPClients", "ModelReplay", "BatonTestSupport"]
        ),
        .testTarget(
            name: "WorkflowEngineTests",
            dependencies: [
                "WorkflowEngine", "WorkflowStore", "PostgresStore", "WorkflowRepository", "WorkflowModel", "WorkflowCatalog", "HTTPClients",
                "ModelReplay", "BatonTestSupport",
            ]
        ),
        .testTarget(
            name: "HTTPClientsTests",
            dependencies: ["HTTPClients", "WorkflowEngine", "WorkflowComposer", "WorkflowModel", "ModelReplay"]
        ),
        .testTarget(
            name: "WorkflowServiceTests",
            dependencies: [
                "WorkflowService", "WorkflowRepository", "WorkflowStore", "WorkflowEngine", "WorkflowModel", "ModelReplay",
                "BatonTestSupport",
            ]
        ),
        .testTarget(
            name: "BatonServerTests",
            dependencies: [
                "BatonServer", "BatonCLI", "baton", "WorkflowService", "WorkflowPages", "WorkflowRepository", "WorkflowStore", "WorkflowEngine", "WorkflowModel",
                "WorkflowComposer", "ModelReplay",
                "HTTPClients", "BatonTestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WorkflowPagesTests",
            dependencies: [
                "WorkflowPages", "WorkflowModel", "WorkflowEngine", "WorkflowRepository", "WorkflowService", "BatonTestSupport",
                // To check that every field of the views is readable through the template library's protocol.
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .testTarget(name: "ModelReplayTests", dependencies: ["ModelReplay", "BatonTestSupport"]),
        .testTarget(
            name: "BatonCLITests",
            dependencies: [
                "BatonCLI", "baton", "BatonTestSupport", "HTTPClients", "ModelReplay", "WorkflowEngine", "WorkflowRepository",
                "WorkflowStore", "PostgresStore", "WorkflowModel",
            ]
        ),
    ]
)

for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
