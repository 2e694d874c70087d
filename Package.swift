// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "chancery",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chancery", targets: ["chancery"]),
        // The modules that the benchmark package (Benchmarks/Package.swift, `make bench`) measures; it depends on
        // this package by path. `swift build` and `swift test` build the same targets with or without it.
        .library(
            name: "ChanceryModules",
            targets: ["ChanceryJSONSchema", "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime", "ChanceryGateway", "ChanceryProjections",
                      "ChancerySupervision", "ChanceryScenario", "ChanceryImport", "ChanceryServer"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries: each is imported by exactly one Swift module.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Edges.
        .target(
            name: "ChanceryKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryPostgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A general JSON value and JSON Schema validator (draft 2020-12 subset): no government rules, no I/O.
        .target(
            name: "ChanceryJSONSchema",
            swiftSettings: swiftSettings
        ),
        // Pure domain: no I/O.
        .target(
            name: "ChanceryDomain",
            dependencies: [
                "ChanceryJSONSchema",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/calendars"), .process("Resources/schemas")],
            swiftSettings: swiftSettings
        ),
        // Roles.
        // The consumer runtime: the exactly-once runner, assignment, outbox, health and the consumer service that the
        // projector, the supervisor and the inbound door share.
        .target(
            name: "ChanceryRuntime",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryGateway",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryProjections",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChancerySupervision",
            dependencies: [
                "ChanceryDomain", "ChanceryPostgres", "ChanceryRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        // The public portal (issue 13): server-rendered pages over the read models, the disclosure request and
        // letter forms (appended through the gateway in process), Atom feeds.
        .target(
            name: "ChanceryPortal",
            dependencies: [
                "ChanceryDomain", "ChanceryGateway", "ChanceryPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations"), .copy("Resources/templates"), .copy("Resources/content"), .copy("Resources/static")],
            swiftSettings: swiftSettings
        ),
        // The monthly circular (通报) and the statutory annual report on government information disclosure: report
        // models computed from the read models, rendered as HTML, Markdown, CSV and JSON (templates as resources).
        .target(
            name: "ChanceryReports",
            dependencies: [
                "ChanceryDomain", "ChanceryPostgres", "ChanceryProjections",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryHTTP",
            dependencies: [
                "ChanceryDomain", "ChanceryGateway", "ChanceryPostgres", "ChanceryProjections", "ChancerySupervision", "ChanceryPortal", "ChanceryReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The supervision office's dashboard (server-rendered HTML under /dashboard, mustache templates as resources).
        .target(
            name: "ChanceryDashboard",
            dependencies: [
                "ChanceryDomain", "ChanceryGateway", "ChanceryPostgres", "ChanceryProjections", "ChanceryHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryServer",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime", "ChanceryGateway",
                "ChanceryProjections", "ChancerySupervision", "ChanceryHTTP", "ChanceryDashboard", "ChanceryReports", "ChanceryPortal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChanceryScenario",
            dependencies: ["ChanceryDomain"],
            swiftSettings: swiftSettings
        ),
        // The mapping-driven importer of legacy exports (CSV, JSON Lines): a feature for integrators.
        .target(
            name: "ChanceryImport",
            dependencies: ["ChanceryDomain", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "chancery",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime", "ChanceryGateway",
                "ChanceryProjections", "ChancerySupervision", "ChanceryHTTP", "ChanceryScenario", "ChanceryImport", "ChanceryServer",
                "ChanceryDashboard",
                "ChanceryReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tests.
        .testTarget(
            name: "ChanceryKafkaTests",
            dependencies: ["ChanceryKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChanceryPostgresTests",
            dependencies: ["ChanceryPostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ChanceryDomainTests", dependencies: ["ChanceryDomain"], exclude: ["corpus"], swiftSettings: swiftSettings),
        // The architecture's rules, read from the sources: which module may import what, where event type names are read.
        .testTarget(name: "ChanceryArchitectureTests", dependencies: ["ChanceryDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "ChanceryScenarioTests", dependencies: ["ChanceryScenario", "ChanceryDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "ChanceryReportsTests", dependencies: ["ChanceryReports", "ChanceryDomain"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ChanceryDashboardTests",
            dependencies: ["ChanceryDashboard", "ChanceryDomain", "ChanceryHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ChanceryPortalTests", dependencies: ["ChanceryPortal"], swiftSettings: swiftSettings),
        .testTarget(name: "ChanceryImportTests", dependencies: ["ChanceryImport", "ChanceryDomain"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ChanceryIntegrationTests",
            dependencies: [
                "ChanceryDomain", "ChanceryKafka", "ChanceryPostgres", "ChanceryRuntime", "ChanceryGateway",
                "ChanceryProjections", "ChancerySupervision", "ChanceryHTTP", "ChanceryScenario", "ChanceryImport", "ChanceryServer",
                "ChanceryDashboard",
                "ChanceryReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
