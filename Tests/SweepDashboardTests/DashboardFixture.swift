import Foundation
import ParameterSpecs
import Sweep
import SweepStore
import SweepRuntime
import SweepWire
import Testing

/// A store scripted the way a coordinator writes it, for the dashboard's pages: a sweep "mf-grid"
/// (mf over factors × lr, two seeds, plus popularity) with finished, failed, running, stopped and
/// pending trials, progress reports and two workers; and a second, empty sweep "later".
///
/// Planted: rmse = 1 − 0.01·factors + 0.001·seed (lr has no effect), so `factors` explains the
/// spread and `lr` nothing.
struct DashboardFixture {
    static let catalog = ModelCatalog(models: [
        .init(
            name: "mf", family: "cf",
            parameters: [
                ParameterSpec(name: "factors", kind: .int(1...512), defaultValue: .int(8), help: "factors"),
                ParameterSpec(name: "lr", kind: .double(0.00001...1), defaultValue: .double(0.01), help: "learning rate"),
            ],
            metrics: ["rmse", "mae", "ndcg@10"]),
        .init(name: "popularity", family: "cf", parameters: [], metrics: ["rmse", "mae", "ndcg@10"]),
    ])

    static let yaml = """
        name: mf-grid
        dataset:
          synthetic: {users: 300}
        metric: {primary: rmse, direction: minimize, record: [mae]}
        models:
          mf: {factors: [4, 8, 16, 32], lr: [0.001, 0.01, 0.1]}
          popularity: {}
        seeds: [1, 2]
        """

    static let hostileError = "model failed: <script>alert('x')</script> & more"

    let folder: URL
    let path: String
    let spec: SweepSpec
    let trials: [SweepTrial]
    /// Which trial is in which role.
    let failed: TrialID, running: TrialID, stopped: TrialID, pending: [TrialID], withProgress: TrialID
    /// The time the store stamped on every row.
    let now: Date

    static func rmse(_ config: TrialConfig) -> Double {
        let factors = Double(config.parameters["factors"]?.intValue ?? 0)
        return 1 - 0.01 * factors + 0.001 * Double(config.seed)
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-dashboard-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("store.sqlite").path
        spec = try SweepSpec(yaml: Self.yaml, file: "sweeps/mf-grid.yaml", catalog: Self.catalog)
        trials = spec.expand().trials
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        let store = try SweepStore(path: path, clock: { clock.now })
        let specJSON = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        let registration = try store.registerSweep(
            name: spec.name, specJSON: specJSON, datasetFingerprint: spec.datasetFingerprint, codeVersion: "test-1",
            trials: trials.map { (id: $0.id, config: $0.config) })
        let later = try SweepSpec(yaml: Self.yaml.replacingOccurrences(of: "name: mf-grid", with: "name: later"), catalog: Self.catalog)
        _ = try store.registerSweep(
            name: "later", specJSON: String(decoding: try JSONEncoder().encode(later), as: UTF8.self),
            datasetFingerprint: later.datasetFingerprint, codeVersion: "test-1", trials: [])
        failed = trials[0].id
        running = trials[1].id
        stopped = trials[2].id
        withProgress = trials[3].id
        pending = [trials[4].id, trials[5].id]
        var commands: [StoreCommand] = [
            .workerJoined(
                WorkerHello(workerID: WorkerID("w1"), host: "node-a", version: "t", slots: 2, models: ["mf"], pid: 1, session: "s1"),
                principal: "session:w1"),
            .workerJoined(
                WorkerHello(workerID: WorkerID("w2"), host: "node-b", version: "t", slots: 1, models: ["mf"], pid: 2, session: "s2"),
                principal: "session:w2"),
        ]
        var epoch: UInt64 = 0
        func lease(_ id: TrialID, _ worker: String) -> LeaseTicket {
            epoch += 1
            let ticket = LeaseTicket(trial: id, attempt: 1, epoch: LeaseEpoch(epoch))
            commands.append(.trialLeased(ticket, worker: WorkerID(worker)))
            return ticket
        }
        for (index, trial) in trials.enumerated() where !pending.contains(trial.id) {
            let worker = index % 2 == 0 ? "w1" : "w2"
            let ticket = lease(trial.id, worker)
            switch trial.id {
            case failed:
                commands.append(
                    .trialFailed(trial: trial.id, attempt: 1, failure: TrialFailure(kind: .deterministic, message: Self.hostileError), willRetry: false))
            case running:
                break
            case stopped:
                commands.append(.trialProgress(ticket, TrialProgress(epoch: 1, totalEpochs: 5, values: ["val_rmse": 1.4])))
                commands.append(.trialStopped(ticket, worker: WorkerID(worker), epoch: 1, values: ["val_rmse": 1.4], reason: "ASHA rung 1"))
            default:
                if trial.id == withProgress {
                    for e in 1...3 {
                        commands.append(.trialProgress(ticket, TrialProgress(epoch: e, totalEpochs: 3, values: ["val_rmse": 1.2 - 0.1 * Double(e), "train_loss": 2.0 / Double(e)])))
                    }
                }
                let value = Self.rmse(trial.config)
                commands.append(
                    .trialFinished(
                        trial: trial.id, attempt: 1,
                        metrics: TrialMetrics(values: ["rmse": value, "mae": value * 0.8, "ndcg@10": 1 - value], timings: ["fit": 0.5]),
                        worker: WorkerID(worker)))
            }
            // Each result a second after the previous one.
            try store.apply(commands, sweep: registration.sweep)
            commands = []
            clock.now += 1
        }
        now = clock.now
        try store.close()
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The sweep's leaderboard as `crossrec leaderboard` builds it.
    func leaderboard() throws -> Leaderboard {
        let store = try SweepStore.openReadOnly(path)
        let record = try #require(try store.sweep(named: "mf-grid"))
        return try CoordinatorService.storedLeaderboard(store: store, record: record).leaderboard
    }
}

/// The store's clock, moved by hand.
final class ManualClock: @unchecked Sendable {
    var now: Date
    init(_ now: Date) { self.now = now }
}
