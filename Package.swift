// swift-tools-version: 6.0
// crossrec: cross-domain recommendation and distributed hyperparameter sweeps.
// Module map: see README.md "Architecture" and ../shared/docs/DESIGN.md.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "crossrec",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crossrec", targets: ["crossrec"]),
        .executable(name: "crossrec-bench", targets: ["crossrec-bench"]),
        .library(name: "RecData", targets: ["RecData"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C bindings: only ZeroMQ imports CZeroMQ.
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strict),

        // Data: columnar interactions, loaders, splits, synthetic generator. Foundation only.
        .target(name: "RecData", swiftSettings: strict),
        // Downloads of official archives with checksum verification.
        .target(
            name: "DataFetch",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),

        // Executables: argument parsing only, no logic.
        .executableTarget(
            name: "crossrec",
            dependencies: [
                "RecData", "DataFetch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "crossrec-bench", dependencies: ["RecData"], swiftSettings: strict),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: strict),
        .testTarget(name: "RecDataTests", dependencies: ["RecData"], swiftSettings: strict),
        // ZIPFoundation: the tests build their fixture archives with it.
        .testTarget(
            name: "DataFetchTests",
            dependencies: ["DataFetch", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // Runs the built `crossrec` executable as a user would.
        .testTarget(name: "CrossrecCLITests", dependencies: ["crossrec", "RecData"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
