// swift-tools-version: 6.1
// crossrec: cross-domain recommendation and distributed hyperparameter sweeps.
// Module map: see README.md "Architecture" and ../shared/docs/DESIGN.md.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "crossrec",
    platforms: [.macOS(.v15)],  // Mutex (Synchronization) needs macOS 15; Linux is unaffected
    products: [
        .executable(name: "crossrec", targets: ["crossrec"]),
        .executable(name: "crossrec-bench", targets: ["crossrec-bench"]),
        .executable(name: "crossrec-dashboard", targets: ["crossrec-dashboard"]),
        .library(name: "RecData", targets: ["RecData"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The dashboard's HTTP server only (crossrec-dashboard): no default traits, so no
        // swift-configuration. `crossrec` itself never links it (see the dashboard targets).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        // C bindings: only ZeroMQ imports CZeroMQ.
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strict),
        // Dense linear algebra (OpenBLAS + LAPACKE): only RecModels, RecEncoder and RecNN import it.
        .systemLibrary(
            name: "CLinearAlgebra",
            pkgConfig: "lapacke",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),

        // SHA-256 and MD5 for identity and integrity (trial ids, fingerprints, cache keys, download
        // checksums). Foundation only: a cryptography package would double a fresh build's time.
        // Optimised in debug builds too: hashing a 90 MB model file unoptimised took a minute.
        .target(name: "Checksums", swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]),

        // SplitMix64, the one seeded generator (splits, synthetic data, initial weights, sampled
        // configurations). Depends on nothing.
        .target(name: "SeededRandom", swiftSettings: strict),
        // HTML and SVG for every report page: escaping, the page skeleton with inline CSS, tables, bar and
        // line charts, heatmaps, word clouds. Depends on nothing (Foundation for number formatting).
        .target(name: "HTMLRender", swiftSettings: strict),
        // Data: columnar interactions, loaders, splits, synthetic generator. Foundation and SeededRandom.
        .target(name: "RecData", dependencies: ["SeededRandom"], swiftSettings: strict),
        // k-means (k-means++, restarts, empty-cluster re-seeding), the silhouette and the adjusted Rand index
        // on plain point matrices. SeededRandom only.
        .target(name: "RecClusters", dependencies: ["SeededRandom"], swiftSettings: strict),
        // Metrics and evaluation protocols, the category-affinity heatmap page and its user clusters.
        // RecData, HTMLRender, RecClusters.
        .target(name: "RecEval", dependencies: ["RecData", "HTMLRender", "RecClusters"], swiftSettings: strict),
        // Text pipeline for content models: tokenizer, stop words, the Snowball English stemmer, TF-IDF,
        // LDA. SeededRandom for LDA's draws.
        .target(name: "RecText", dependencies: ["SeededRandom"], swiftSettings: strict),
        // Sentence encoders for item text: safetensors, the BERT forward pass on OpenBLAS, mean
        // pooling, the embedding cache. The WordPiece tokenizer lives in RecText.
        .target(
            name: "RecEncoder",
            dependencies: ["RecText", "RecModels", "CLinearAlgebra", "Checksums"],
            swiftSettings: strict),
        // Trainable layers for the two-tower model: matrices, dense and embedding layers with backward
        // passes, AdamW with lazy updates of embedding rows, in-batch softmax and impression losses.
        // OpenBLAS and SeededRandom.
        .target(name: "RecNN", dependencies: ["CLinearAlgebra", "SeededRandom"], swiftSettings: strict),
        // Hyperparameter values and specs, the model catalog and the `--param` parser: what models declare
        // and sweeps validate. Depends on nothing, so models need no sweep code.
        .target(name: "ParameterSpecs", swiftSettings: strict),
        // The Recommender protocol and every model. RecData, RecEval, RecText, RecNN, ParameterSpecs, OpenBLAS.
        .target(
            name: "RecModels", dependencies: ["RecData", "RecEval", "RecText", "RecNN", "ParameterSpecs", "CLinearAlgebra"],
            swiftSettings: strict),

        // Off-policy evaluation of a target policy on logged impressions: single-action logs (MIND
        // impressions turned into them by a uniform draw), IPS, SNIPS and doubly robust estimates with
        // bootstrap intervals and effective sample size, and synthetic logs with a known truth. RecData,
        // RecEval (the bootstrap's percentiles), SeededRandom.
        .target(name: "RecOffPolicy", dependencies: ["RecData", "RecEval", "SeededRandom"], swiftSettings: strict),

        // Sweeps: spec (YAML), search spaces and samplers, trial identity, leaderboards (their HTML through
        // HTMLRender). No I/O.
        .target(
            name: "Sweep",
            dependencies: [
                "RecData", "Checksums", "ParameterSpecs", "SeededRandom", "HTMLRender", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Wire messages and the coordinator/worker state machines as pure values.
        .target(name: "SweepWire", dependencies: ["Sweep", "ParameterSpecs"], swiftSettings: strict),
        // The durable SQLite store (GRDB, WAL): it records the coordinator core's StoreCommands and
        // gives back its SweepSnapshot, so those value types are defined once, in SweepWire.
        .target(
            name: "SweepStore",
            dependencies: ["Sweep", "SweepWire", "RecData", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // The I/O shells: coordinator and worker loops over ZeroMQ, local launcher, trial runner (and the
        // off-policy run of trained models through RecOffPolicy), the search report (its HTML through
        // HTMLRender), their logs through swift-log (text or JSON lines), Prometheus metrics.
        .target(
            name: "SweepRuntime",
            dependencies: [
                "Sweep", "SweepWire", "SweepStore", "ZeroMQ", "RecData", "RecEval", "RecModels", "RecEncoder", "RecSimulation",
                "RecOffPolicy", "ParameterSpecs",
                "HTMLRender", .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),

        // Offline simulation of recommendation policies: click models (the generator's planted
        // truth), slates from trained models, simulated sessions with exact expected CTR, A/B
        // comparisons on common random numbers. RecData, RecModels, RecEval (paired test), SeededRandom.
        .target(
            name: "RecSimulation", dependencies: ["RecData", "RecModels", "RecEval", "SeededRandom"], swiftSettings: strict),

        // Report pages built from a data set: the exploratory data report (`crossrec data report`).
        // RecData, RecText (word counts) and HTMLRender.
        .target(name: "Reports", dependencies: ["RecData", "RecText", "HTMLRender"], swiftSettings: strict),

        // The sweep dashboard's pages, read from a store: routes, the overview, leaderboard, parameters,
        // trial and search-progress pages (inline SVG through HTMLRender), parameter importance, the
        // 1-second response cache, access rules and the command-line options. No HTTP server:
        // crossrec-dashboard serves it with Hummingbird, `crossrec dashboard` runs that, tests call it directly.
        .target(
            name: "SweepDashboard",
            dependencies: [
                "Sweep", "SweepStore", "SweepRuntime", "RecEval", "ParameterSpecs", "HTMLRender", "Checksums",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Downloads of official archives with checksum verification.
        .target(
            name: "DataFetch",
            dependencies: [
                "Checksums", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),

        // Executables: argument parsing only, no logic.
        .executableTarget(
            name: "crossrec",
            dependencies: [
                "RecData", "DataFetch", "RecEval", "RecModels", "RecText", "RecEncoder", "Sweep", "SweepStore",
                "SweepRuntime", "SweepDashboard", "RecSimulation", "ParameterSpecs", "Reports", "RecOffPolicy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The live dashboard over a store. Its own executable so that `swift run crossrec` (the
        // README's main job) never builds Hummingbird and SwiftNIO; `crossrec dashboard` runs it.
        .executableTarget(
            name: "crossrec-dashboard",
            dependencies: [
                "SweepDashboard", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // SweepStore: the store benchmark (NORMAL against FULL) calls it directly; RecEncoder: the encoder benchmark;
        // RecOffPolicy: the off-policy study on synthetic logs.
        .executableTarget(
            name: "crossrec-bench",
            dependencies: [
                "RecData", "RecEval", "RecModels", "RecText", "RecEncoder", "Sweep", "SweepWire", "SweepRuntime", "SweepStore",
                "ParameterSpecs", "RecSimulation", "RecOffPolicy", "SeededRandom",
            ],
            swiftSettings: strict),

        .testTarget(
            name: "SweepDashboardTests",
            dependencies: ["SweepDashboard", "SweepStore", "SweepWire", "SweepRuntime", "Sweep", "ParameterSpecs", "HTMLRender", "Checksums"],
            swiftSettings: strict),
        .testTarget(
            name: "RecSimulationTests", dependencies: ["RecSimulation", "RecData", "RecModels", "RecEval"], swiftSettings: strict),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"], swiftSettings: strict),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: strict),
        // Checksums: the generator's golden digests (data without planted groups must not change).
        .testTarget(name: "RecDataTests", dependencies: ["RecData", "Checksums"], swiftSettings: strict),
        // Fixtures/make_reference.py wrote ReferenceFixtures.swift; it is kept for re-running, not built.
        .testTarget(
            name: "RecEvalTests", dependencies: ["RecEval", "RecData", "RecClusters"], exclude: ["Fixtures/make_reference.py"],
            swiftSettings: strict),
        .testTarget(name: "RecTextTests", dependencies: ["RecText"], swiftSettings: strict),
        .testTarget(name: "RecEncoderTests", dependencies: ["RecEncoder", "RecText", "Checksums"], swiftSettings: strict),
        .testTarget(name: "RecNNTests", dependencies: ["RecNN"], swiftSettings: strict),
        .testTarget(
            name: "RecModelsTests", dependencies: ["RecModels", "RecEval", "RecData", "RecNN", "Sweep", "ParameterSpecs"],
            swiftSettings: strict),
        .testTarget(name: "RecOffPolicyTests", dependencies: ["RecOffPolicy", "RecData", "RecEval"], swiftSettings: strict),
        .testTarget(name: "HTMLRenderTests", dependencies: ["HTMLRender"], swiftSettings: strict),
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"], swiftSettings: strict),
        .testTarget(name: "RecClustersTests", dependencies: ["RecClusters"], swiftSettings: strict),
        .testTarget(name: "ParameterSpecsTests", dependencies: ["ParameterSpecs"], swiftSettings: strict),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "ParameterSpecs", "SeededRandom"], swiftSettings: strict),
        .testTarget(name: "SweepWireTests", dependencies: ["SweepWire", "Sweep", "ParameterSpecs"], swiftSettings: strict),
        // Test support in C: a SQLite VFS that simulates an OS crash (only synced data survives).
        // GRDB links the system libsqlite3 on Linux, so a VFS registered here is the one its
        // connections use.
        .target(name: "CrashSimulatingVFS", path: "Tests/CrashSimulatingVFS", linkerSettings: [.linkedLibrary("sqlite3")]),
        .testTarget(
            name: "SweepStoreTests", dependencies: ["SweepStore", "SweepWire", "Sweep", "CrashSimulatingVFS"],
            swiftSettings: strict),
        .testTarget(
            name: "SweepRuntimeTests", dependencies: ["SweepRuntime", "Sweep", "SweepStore", "RecData", "ParameterSpecs"],
            swiftSettings: strict),
        // ZIPFoundation: the tests build their fixture archives with it.
        .testTarget(
            name: "DataFetchTests",
            dependencies: ["DataFetch", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // Runs the built `crossrec` executable as a user would (and crossrec-dashboard through it).
        // Yams: the cluster files tests read the Kubernetes manifests.
        .testTarget(
            name: "CrossrecCLITests",
            dependencies: [
                "crossrec", "crossrec-dashboard", "RecData", "Sweep", "SweepStore", "SweepWire", "SweepRuntime", "ZeroMQ",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
