// swift-tools-version:6.1
//
// Switchboard: one target per layer, dependencies pointing one way (see docs/architecture.md).
// C libraries come in through system-library targets; only `Native` imports them.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
    ],
    targets: [
        // C libraries (module.modulemap + shim.h, nothing else).
        .target(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CPQ", path: "Sources/CPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Shared values: no I/O.
        .target(name: "Model", swiftSettings: strict),
        // The only Swift that touches C.
        .target(name: "Native",
                dependencies: ["Model", "CLinux", "CSQLite", "CCurl", "CYAML", "CCrypto", "CPQ"],
                swiftSettings: strict),
        // Layer 1 transport: sockets, epoll loops, HTTP/1.1, router.
        .target(name: "HTTP", dependencies: ["Model", "Native"], swiftSettings: strict),
        // The durable journal.
        .target(name: "Storage", dependencies: ["Model", "Native"], swiftSettings: strict),
        // Layer 4: the outbound HTTP client, provider adapters and their resilience.
        .target(name: "Integration", dependencies: ["Model", "Native"], swiftSettings: strict),
        // Simulated providers on loopback, in the providers' wire formats.
        .target(name: "Sandbox", dependencies: ["Model", "Native", "HTTP"], swiftSettings: strict),
        // Layer 3: stateless steps of a flow.
        .target(name: "Agents", dependencies: ["Model", "Native", "Integration"], swiftSettings: strict),
        // Layer 2: tenant configuration (load, validate, hot reload) and the flow state machine.
        .target(name: "Routing", dependencies: ["Model", "Native", "Agents", "Integration", "Storage"], swiftSettings: strict),
        // Layer 1: API endpoints, webhook normalisers and signature checks.
        .target(name: "Interaction", dependencies: ["Model", "Native", "HTTP", "Storage", "Routing"], swiftSettings: strict),
        // Wiring and CLI, as a library so tests can run the whole server in-process.
        .target(name: "App", dependencies: ["Model", "Native", "HTTP", "Storage", "Integration", "Sandbox", "Agents", "Routing",
                                            "Interaction"], swiftSettings: strict),
        .executableTarget(name: "switchboard", dependencies: ["App"], swiftSettings: strict),

        // libFuzzer entry points; built only by scripts/fuzz with -sanitize=fuzzer.
        .executableTarget(name: "SwitchboardFuzz", dependencies: ["HTTP", "Model", "Native", "Interaction", "Routing"],
                          path: "Tests/Fuzz/Harness", swiftSettings: strict),
        // The outbound-client benchmark; run by scripts/bench-client.
        .executableTarget(name: "BenchClient", dependencies: ["Integration", "Native", "Model"], path: "Tests/Bench/Client",
                          swiftSettings: strict),

        // Micro-benchmarks, run by scripts/bench-*.
        .executableTarget(name: "BenchJSON", dependencies: ["Model"], path: "Benchmarks/JSON", swiftSettings: strict),
        .executableTarget(name: "BenchConditions", dependencies: ["Model", "Native", "Routing"], path: "Benchmarks/Conditions",
                          swiftSettings: strict),
        .executableTarget(name: "BenchJournal", dependencies: ["Model", "Native", "Storage"], path: "Benchmarks/Journal",
                          swiftSettings: strict),

        .testTarget(name: "ModelTests", dependencies: ["Model"], swiftSettings: strict),
        .testTarget(name: "NativeTests", dependencies: ["Native", "HTTP", "Model"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Native", "Model"], swiftSettings: strict),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "Agents", "Integration", "Storage", "Model", "Native"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Model", "Native"], swiftSettings: strict),
        .testTarget(name: "InteractionTests", dependencies: ["Interaction", "HTTP", "Storage", "Model", "Native", "Sandbox"], swiftSettings: strict),
        .testTarget(name: "AppTests", dependencies: ["App", "HTTP", "Native", "Model", "Routing", "Sandbox", "Storage", "Agents", "Integration"],
                    swiftSettings: strict),
        .testTarget(name: "AgentsTests", dependencies: ["Agents", "Model", "Native", "Integration"], swiftSettings: strict),
        .testTarget(name: "ScenarioTests", dependencies: ["App", "Sandbox", "Integration", "Storage", "Routing", "HTTP", "Native", "Model"],
                    swiftSettings: strict),
        .testTarget(name: "IntegrationTests", dependencies: ["Integration", "Sandbox", "HTTP", "Native", "Model"],
                    swiftSettings: strict),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "HTTP", "Native", "Model"], swiftSettings: strict),
    ]
)
