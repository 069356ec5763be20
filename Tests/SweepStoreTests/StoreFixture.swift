import Foundation
import Sweep
import SweepStore
import Testing

import SweepWire

/// Store commands written the short way, for scripting a store as a coordinator would.
extension StoreCommand {
    static func leased(_ trial: TrialID, attempt: Int = 1, epoch: UInt64, worker: String) -> StoreCommand {
        .trialLeased(LeaseTicket(trial: trial, attempt: attempt, epoch: LeaseEpoch(epoch)), worker: WorkerID(worker))
    }

    static func finished(_ trial: TrialID, attempt: Int = 1, metrics: TrialMetrics, worker: String) -> StoreCommand {
        .trialFinished(trial: trial, attempt: attempt, metrics: metrics, worker: WorkerID(worker))
    }

    static func failed(_ trial: TrialID, attempt: Int = 1, failure: TrialFailure, willRetry: Bool) -> StoreCommand {
        .trialFailed(trial: trial, attempt: attempt, failure: failure, willRetry: willRetry)
    }

    static func duplicate(
        _ trial: TrialID, attempt: Int = 1, epoch: UInt64, worker: String, metrics: TrialMetrics = TrialMetrics(values: [:])
    ) -> StoreCommand {
        .duplicateResult(
            LeaseTicket(trial: trial, attempt: attempt, epoch: LeaseEpoch(epoch)), worker: WorkerID(worker), metrics: metrics)
    }

    static func joined(_ worker: String, host: String = "node-a", slots: Int = 1, principal: String? = nil) -> StoreCommand {
        let hello = WorkerHello(
            workerID: WorkerID(worker), host: host, version: "test-worker", slots: slots, models: ["mf"], pid: 42,
            session: "session-\(worker)")
        return .workerJoined(hello, principal: principal ?? "session:\(worker)")
    }

    static func lost(_ worker: String, reason: String) -> StoreCommand { .workerLost(WorkerID(worker), reason: reason) }
}

extension SweepSnapshot {
    /// Trials per state.
    var counts: TrialCounts {
        var counts = TrialCounts()
        for trial in trials {
            switch trial.state {
            case .pending: counts.pending += 1
            case .running: counts.running += 1
            case .finished: counts.finished += 1
            case .failed: counts.failed += 1
            case .stopped: counts.stopped += 1
            }
        }
        return counts
    }

    var leaseEpochHighWater: UInt64 { lastLeaseEpoch.rawValue }
}

extension TrialRecord {
    /// The state as the store names it.
    var stateName: String {
        switch state {
        case .pending: return "pending"
        case .running: return "running"
        case .finished: return "finished"
        case .failed: return "failed"
        case .stopped: return "finished"  // stored as finished with a `stops` row
        }
    }

    var attempts: Int { attemptsUsed }

    /// The epoch of the running lease.
    var runningEpoch: UInt64? {
        if case .running(let ticket, _) = state { return ticket.epoch.rawValue }
        return nil
    }

    /// The worker of the running lease or of the counted result.
    var worker: WorkerID? {
        switch state {
        case .running(_, let worker), .finished(_, let worker), .stopped(_, let worker, _): return worker
        case .pending, .failed: return nil
        }
    }

    /// The failure of a trial failed for good.
    var failure: TrialFailure? {
        if case .failed(_, let failure) = state { return failure }
        return nil
    }
}

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
