import Foundation
import Sweep
import SweepStore
import Testing

/// A temporary folder for one test's stores, removed by `remove()`.
struct StoreFixture {
    static let fingerprint = "fixture-data-v1"

    let folder: URL

    /// - Parameter base: where to make the folder (default: the system temp folder).
    init(in base: URL = FileManager.default.temporaryDirectory) throws {
        folder = base.appendingPathComponent("crossrec-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// A store path inside the fixture folder (`nested` adds folders that do not exist yet).
    func path(_ name: String = "store.sqlite", nested: [String] = []) -> String {
        nested.reduce(folder) { $0.appendingPathComponent($1) }.appendingPathComponent(name).path
    }

    /// Copies the store's main file and WAL as they are on disk *now*, while the store is still
    /// open: exactly what a process killed at this instant leaves behind (written pages belong
    /// to the kernel, so SIGKILL loses nothing written; the `-shm` index is rebuilt on open).
    func crashImage(of path: String) throws -> String {
        let copy = folder.appendingPathComponent("crash-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        if FileManager.default.fileExists(atPath: path + "-wal") {
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        }
        return copy
    }

    /// `model` trials over a grid of `factors` × `seeds`, with their identities, in grid order.
    static func trials(model: String = "mf", factors: [Int], seeds: [UInt64] = [1]) -> [(
        id: TrialID, config: TrialConfig
    )] {
        factors.flatMap { factor in
            seeds.map { seed in
                let config = TrialConfig(
                    model: model, parameters: ["factors": .int(factor), "lr": .double(0.01), "bias": .bool(true)],
                    seed: seed)
                return (id: TrialID(config: config, datasetFingerprint: fingerprint), config: config)
            }
        }
    }

    /// Opens a store at `path` and registers a sweep named `name` with `trials`.
    static func registered(
        _ path: String, name: String = "mf-grid", trials: [(id: TrialID, config: TrialConfig)],
        durability: SweepStore.Durability = .osCrashSafe
    ) throws -> (SweepStore, SweepID) {
        let store = try SweepStore.open(path, durability: durability)
        let registration = try store.registerSweep(
            name: name, specJSON: #"{"name":"\#(name)"}"#, datasetFingerprint: fingerprint, codeVersion: "test-1",
            trials: trials)
        return (store, registration.sweep)
    }

    static func metrics(_ value: Double) -> TrialMetrics {
        TrialMetrics(values: ["rmse": value, "ndcg@10": 1 - value], timings: ["fit": 0.5, "evaluate": 0.25])
    }
}
