// swift-tools-version:6.1
// Chancery's benchmarks (`make bench`), a package of their own so that `swift build` and `swift test` of the main
// package never build the benchmark library. Run from the repository root with `make bench`, or here with
// `swift package benchmark` (release build) after exporting CHANCERY_BENCH_DATABASE_URL for the PostgreSQL ones.
import PackageDescription

let package = Package(
    name: "chancery-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "chancery", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // package-benchmark; the MallocInterposer trait counts allocations without jemalloc.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // HdrHistogram for P4's latency percentiles (package-benchmark uses it too).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "ChanceryBenchmarks",
            dependencies: [
                .product(name: "ChanceryModules", package: "chancery"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Benchmarks/ChanceryBenchmarks",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
