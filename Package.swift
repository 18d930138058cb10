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

        // Shared values: no I/O.
        .target(name: "Model", swiftSettings: strict),
        // The only Swift that touches C.
        .target(name: "Native",
                dependencies: ["Model", "CLinux", "CSQLite", "CCurl", "CYAML", "CCrypto"],
                swiftSettings: strict),
        // Layer 1 transport: sockets, epoll loops, HTTP/1.1, router.
        .target(name: "HTTP", dependencies: ["Model", "Native"], swiftSettings: strict),
        // Layer 2: tenant configuration (load, validate, hot reload) and the flow state machine.
        .target(name: "Routing", dependencies: ["Model", "Native"], swiftSettings: strict),
        // Wiring and CLI, as a library so tests can run the whole server in-process.
        .target(name: "App", dependencies: ["Model", "Native", "HTTP", "Routing"], swiftSettings: strict),
        .executableTarget(name: "switchboard", dependencies: ["App"], swiftSettings: strict),

        // libFuzzer entry points; built only by scripts/fuzz with -sanitize=fuzzer.
        .executableTarget(name: "FuzzHTTPParser", dependencies: ["HTTP"], path: "Tests/Fuzz/HTTPParser", exclude: ["corpus"],
                          swiftSettings: strict),

        .testTarget(name: "ModelTests", dependencies: ["Model"], swiftSettings: strict),
        .testTarget(name: "NativeTests", dependencies: ["Native"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Native", "Model"], swiftSettings: strict),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "Model", "Native"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "AppTests", dependencies: ["App", "HTTP", "Routing"], swiftSettings: strict),
    ]
)
