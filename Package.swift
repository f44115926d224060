// swift-tools-version: 6.1
import PackageDescription

/// `PROPERTYWATCH_CORE_ONLY=1 swift test --scratch-path .build-core` builds and tests only the
/// pure modules (core and configuration), without libmosquitto, SQLite or the server packages.
/// It is the fast inner loop for domain logic; CI runs the full package.
let coreOnly = Context.environment["PROPERTYWATCH_CORE_ONLY"] != nil

let pureTargets: [Target] = [
    .target(
        name: "CPrefetch",
        path: "Sources/CPrefetch"
    ),
    .target(
        name: "PropertyWatchCore",
        dependencies: ["CPrefetch"],
        path: "Sources/PropertyWatchCore"
    ),
    .target(
        name: "PropertyWatchConfig",
        dependencies: [
            "PropertyWatchCore",
            .product(name: "Yams", package: "Yams"),
        ],
        path: "Sources/PropertyWatchConfig"
    ),
    .target(
        name: "PropertyWatchReport",
        dependencies: ["PropertyWatchCore"],
        path: "Sources/PropertyWatchReport"
    ),
    .testTarget(
        name: "PropertyWatchReportTests",
        dependencies: ["PropertyWatchReport", "PropertyWatchCore", "PropertyWatchConfig"],
        path: "Tests/PropertyWatchReportTests",
        exclude: ["Golden"]
    ),
    .target(
        name: "PropertyWatchBenchmarkSupport",
        dependencies: ["PropertyWatchCore"],
        path: "Sources/PropertyWatchBenchmarkSupport"
    ),
    .executableTarget(
        name: "pw-bench",
        dependencies: ["PropertyWatchCore", "PropertyWatchBenchmarkSupport"],
        path: "Sources/pw-bench"
    ),
    .target(
        name: "SimulatorKit",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchConfig",
            .product(name: "Yams", package: "Yams"),
        ],
        path: "Simulators/SimulatorKit"
    ),
    .testTarget(
        name: "SimulatorKitTests",
        dependencies: ["SimulatorKit", "PropertyWatchCore", "PropertyWatchConfig"],
        path: "Tests/SimulatorKitTests"
    ),
    .testTarget(
        name: "PropertyWatchCoreTests",
        dependencies: ["PropertyWatchCore"],
        path: "Tests/PropertyWatchCoreTests"
    ),
    .target(
        name: "PropertyWatchDC09",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchConfig",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ],
        path: "Sources/PropertyWatchDC09"
    ),
    .testTarget(
        name: "PropertyWatchDC09Tests",
        dependencies: ["PropertyWatchDC09", "PropertyWatchCore", "PropertyWatchConfig"],
        path: "Tests/PropertyWatchDC09Tests"
    ),
    .target(
        name: "PropertyWatchHA",
        path: "Sources/PropertyWatchHA"
    ),
    .testTarget(
        name: "PropertyWatchHATests",
        dependencies: ["PropertyWatchHA"],
        path: "Tests/PropertyWatchHATests"
    ),
    .testTarget(
        name: "PropertyWatchConfigTests",
        dependencies: ["PropertyWatchConfig", "PropertyWatchCore"],
        path: "Tests/PropertyWatchConfigTests",
        resources: []
    ),
]

let ioTargets: [Target] = [
    .systemLibrary(
        name: "CMosquitto",
        path: "Sources/CMosquitto",
        pkgConfig: "libmosquitto",
        providers: [.apt(["libmosquitto-dev"])]
    ),
    .target(
        name: "PropertyWatchMQTT",
        dependencies: [
            "CMosquitto",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Sources/PropertyWatchMQTT"
    ),
    .target(
        name: "PropertyWatchPipeline",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchHA",
            "PropertyWatchConfig",
            "PropertyWatchMQTT",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Sources/PropertyWatchPipeline"
    ),
    .target(
        name: "PropertyWatchHTTP",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchPipeline",
            "PropertyWatchReport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Sources/PropertyWatchHTTP"
    ),
    .testTarget(
        name: "PropertyWatchHTTPTests",
        dependencies: [
            "PropertyWatchHTTP",
            "PropertyWatchPipeline",
            "PropertyWatchCore",
            "PropertyWatchConfig",
            "PropertyWatchMQTT",
            "PropertyWatchReport",
            "PropertyWatchTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ],
        path: "Tests/PropertyWatchHTTPTests"
    ),
    // What the executables that read the daemon's configuration file share on the command line.
    .target(
        name: "PropertyWatchCommandLine",
        dependencies: [
            "PropertyWatchConfig",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Sources/PropertyWatchCommandLine"
    ),
    .executableTarget(
        name: "propertywatchd",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchCommandLine",
            "PropertyWatchConfig",
            "PropertyWatchMQTT",
            "PropertyWatchPipeline",
            "PropertyWatchHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
        ],
        path: "Sources/propertywatchd"
    ),
    .executableTarget(
        name: "pwctl",
        dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        path: "Sources/pwctl"
    ),
    .testTarget(
        name: "OperatorToolsTests",
        dependencies: [
            "PropertyWatchTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        path: "Tests/OperatorToolsTests"
    ),
    .executableTarget(
        name: "pw-dc09",
        dependencies: [
            "PropertyWatchCommandLine",
            "PropertyWatchCore",
            "PropertyWatchConfig",
            "PropertyWatchDC09",
            "PropertyWatchMQTT",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Sources/pw-dc09"
    ),
    .executableTarget(
        name: "pw-dc09-bench",
        dependencies: [
            "PropertyWatchDC09",
            "PropertyWatchMQTT",
            "PropertyWatchTestSupport",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Sources/pw-dc09-bench"
    ),
    .testTarget(
        name: "PropertyWatchDC09IntegrationTests",
        dependencies: [
            "PropertyWatchDC09",
            "PropertyWatchCore",
            "PropertyWatchTestSupport",
            "PropertyWatchProcess",
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        path: "Tests/PropertyWatchDC09IntegrationTests",
        exclude: ["dc09_dialler.py"]
    ),
    .executableTarget(
        name: "pw-sim",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchConfig",
            "PropertyWatchMQTT",
            "PropertyWatchProcess",
            "SimulatorKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ],
        path: "Simulators/pw-sim"
    ),
    .testTarget(
        name: "PropertyWatchScenarioTests",
        dependencies: ["SimulatorKit", "PropertyWatchCore", "PropertyWatchTestSupport"],
        path: "Tests/PropertyWatchScenarioTests"
    ),
    .target(
        name: "PropertyWatchProcess",
        path: "Sources/PropertyWatchProcess"
    ),
    .target(
        name: "PropertyWatchTestSupport",
        dependencies: [
            "PropertyWatchMQTT",
            "PropertyWatchProcess",
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Tests/PropertyWatchTestSupport"
    ),
    .executableTarget(
        name: "pw-pipeline-bench",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchMQTT",
            "PropertyWatchPipeline",
            "PropertyWatchTestSupport",
            "SimulatorKit",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Sources/pw-pipeline-bench"
    ),
    // In-process benchmarks (ordo-one/benchmark): `swift package benchmark`. The plugin finds
    // them as targets in a folder named Benchmarks.
    .executableTarget(
        name: "CoreBenchmarks",
        dependencies: [
            "PropertyWatchCore",
            "PropertyWatchBenchmarkSupport",
            .product(name: "Benchmark", package: "benchmark"),
        ],
        path: "Sources/Benchmarks/CoreBenchmarks",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
        name: "JournalBenchmarks",
        dependencies: [
            "PropertyWatchPipeline",
            .product(name: "Benchmark", package: "benchmark"),
        ],
        path: "Sources/Benchmarks/JournalBenchmarks",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .testTarget(
        name: "PropertyWatchMQTTTests",
        dependencies: ["PropertyWatchMQTT", "PropertyWatchTestSupport"],
        path: "Tests/PropertyWatchMQTTTests"
    ),
    .testTarget(
        name: "PropertyWatchStandbyTests",
        dependencies: [
            "PropertyWatchHA",
            "PropertyWatchPipeline",
            "PropertyWatchMQTT",
            "PropertyWatchTestSupport",
            "PropertyWatchProcess",
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        path: "Tests/PropertyWatchStandbyTests",
        exclude: ["tcp_proxy.py"]
    ),
    .testTarget(
        name: "PropertyWatchPipelineTests",
        dependencies: [
            "PropertyWatchPipeline",
            "PropertyWatchCore",
            "PropertyWatchConfig",
            "PropertyWatchMQTT",
            "PropertyWatchTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Tests/PropertyWatchPipelineTests"
    ),
    // The daemon as a process: the real `propertywatchd` binary against a real Mosquitto
    // (signals, readiness, disk full, the hardened systemd unit).
    .testTarget(
        name: "PropertyWatchDaemonTests",
        dependencies: [
            "PropertyWatchTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ],
        path: "Tests/PropertyWatchDaemonTests"
    ),
]

let package = Package(
    name: "PropertyWatch",
    platforms: [.macOS(.v15)],
    products: coreOnly ? [] : [
        .executable(name: "propertywatchd", targets: ["propertywatchd"]),
        .executable(name: "pw-sim", targets: ["pw-sim"]),
        .executable(name: "pwctl", targets: ["pwctl"]),
        .executable(name: "pw-dc09", targets: ["pw-dc09"]),
    ],
    dependencies: coreOnly ? [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ] : [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: coreOnly ? pureTargets : pureTargets + ioTargets
)
