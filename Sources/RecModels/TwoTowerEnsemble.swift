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
        let results = ParallelFits.run(count: count, threads: threads, progress: { progress(ensembleStep($0, $1)) }) {
            k, report throws(ModelError) in
            var member = TwoTowerModel(hyperparameters: single, seed: Self.memberSeed(memberSeed, member: k))
            try member.fit(data, progress: report)
            return member
        }
        // The members fitted, in order, up to the first skipped after a stop; the first error by member order.
        var fitted: [TwoTowerModel] = []
        for result in results {
            guard let result else { break }
            fitted.append(try result.get())
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
