import Foundation
internal import RecData

/// `ensemble` N > 1: N two-tower models fitted on the same data with seeds s, s + δ, s + 2δ, …
/// (so member 0 is the single model of seed s; each member draws its own validation holdout,
/// initial weights and batches), whose scores are averaged: cosines, ratings and impression
/// scores alike. Averaging cuts the part of a ranking that is training noise (a run that stops
/// on an early plateau, an unlucky initialisation) at N times the fit time and memory.
/// - Complexity: N × a single fit; scoring N × a single model's.
/// - Determinism: each member is bit-identical for its seed on one thread, so the ensemble is too.
extension TwoTowerModel {
    /// The seed stride between members (the golden-ratio increment, so members' streams differ).
    static let memberSeedStride: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Member `k`'s seed: `seed` for member 0.
    static func memberSeed(_ seed: UInt64, member k: Int) -> UInt64 { seed &+ UInt64(k) &* memberSeedStride }

    mutating func fitEnsemble(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let count = hyperparameters.ensemble
        let single = {
            var h = hyperparameters
            h.ensemble = 1
            return h
        }()
        let threads = min(count, ParallelRows.threads(requested: hyperparameters.threads))
        let epochs = single.epochs
        let memberSeed = seed
        /// Member k's progress as the ensemble's: epoch k × epochs + e of count × epochs, `member` k + 1.
        func ensembleStep(_ k: Int, _ step: EpochProgress) -> EpochProgress {
            var values = step.values
            values["member"] = Double(k + 1)
            return EpochProgress(epoch: k * epochs + step.epoch, totalEpochs: count * epochs, values: values)
        }
        var fitted: [TwoTowerModel] = []
        if threads <= 1 {
            var stopped = false
            for k in 0..<count where !stopped {
                var member = TwoTowerModel(hyperparameters: single, seed: Self.memberSeed(memberSeed, member: k))
                try member.fit(data) { step in
                    let decision = progress(ensembleStep(k, step))
                    if decision == .stop { stopped = true }
                    return decision
                }
                fitted.append(member)
            }
        } else {
            // Members on `threads` threads of their own (not the dispatch pool, which a caller
            // running folds on it could have filled); their progress is handed to this thread,
            // which calls `progress` (a sweep worker's progress writes to a socket this thread owns).
            let relay = ProgressRelay()
            let results = Slots<Result<TwoTowerModel, ModelError>>(count: count)
            for worker in 0..<threads {
                relay.workerStarted()
                Thread {
                    defer { relay.workerEnded() }
                    for k in Swift.stride(from: worker, to: count, by: threads) where !relay.stopped {
                        var member = TwoTowerModel(hyperparameters: single, seed: Self.memberSeed(memberSeed, member: k))
                        results.store(k, Result { () throws(ModelError) in
                            try member.fit(data) { relay.report(member: k, $0) }
                            return member
                        })
                    }
                }.start()
            }
            relay.serve { k, step in progress(ensembleStep(k, step)) }
            // The members fitted, in order, up to the first skipped after a stop; the first error by member order.
            for slot in results.values {
                guard let slot else { break }
                fitted.append(try slot.get())
            }
        }
        members = fitted
        // The members' fit figures, averaged (a figure only some members report: over those).
        var summary: [String: Double] = [:]
        for name in Self.fitSummaryNames {
            let values = fitted.compactMap { $0.fitSummary[name] }
            if !values.isEmpty { summary[name] = values.reduce(0, +) / Double(values.count) }
        }
        summary["ensemble_members"] = Double(fitted.count)
        fitSummary = summary
    }

    /// Writes the mean over members of what `fill` writes for each.
    func averaged(
        into scores: UnsafeMutableBufferPointer<Float>,
        _ fill: (TwoTowerModel, UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        var sum = [Float](repeating: 0, count: scores.count)
        var buffer = [Float](repeating: 0, count: scores.count)
        for member in members {
            buffer.withUnsafeMutableBufferPointer { fill(member, $0) }
            for i in sum.indices { sum[i] += buffer[i] }
        }
        let n = Float(members.count)
        for i in scores.indices { scores[i] = sum[i] / n }
    }
}

/// Progress from member threads, handed one report at a time to the thread that serves it
/// (``serve(_:)``), each member thread waiting for its decision; after a stop every report gets
/// stop without being served, and members not yet started are skipped.
final class ProgressRelay: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(ticket: Int, member: Int, step: EpochProgress)] = []
    private var decisions: [Int: TrainingDecision] = [:]
    private var nextTicket = 0
    private var running = 0
    private var stop = false

    var stopped: Bool { condition.withLock { stop } }

    func workerStarted() { condition.withLock { running += 1 } }

    func workerEnded() {
        condition.withLock {
            running -= 1
            condition.broadcast()
        }
    }

    /// On a member thread: waits until the serving thread has decided on this report.
    func report(member: Int, _ step: EpochProgress) -> TrainingDecision {
        condition.lock()
        defer { condition.unlock() }
        if stop { return .stop }
        let ticket = nextTicket
        nextTicket += 1
        pending.append((ticket, member, step))
        condition.broadcast()
        while decisions[ticket] == nil { condition.wait() }
        return decisions.removeValue(forKey: ticket)!
    }

    /// On the calling thread: hands each report to `handle` in arrival order until every member
    /// thread has ended.
    func serve(_ handle: (Int, EpochProgress) -> TrainingDecision) {
        condition.lock()
        defer { condition.unlock() }
        while running > 0 || !pending.isEmpty {
            guard !pending.isEmpty else {
                condition.wait()
                continue
            }
            let report = pending.removeFirst()
            let decision: TrainingDecision
            if stop {
                decision = .stop
            } else {
                condition.unlock()
                decision = handle(report.member, report.step)
                condition.lock()
            }
            if decision == .stop { stop = true }
            decisions[report.ticket] = decision
            condition.broadcast()
        }
    }
}
