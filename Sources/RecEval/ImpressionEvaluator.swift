public import RecData

/// MIND impression-ranking protocol, as the official MIND scorer: per impression AUC, MRR, nDCG@5
/// and nDCG@10 (``ImpressionScorer``), reported as unweighted means over scored impressions.
///
/// For each impression k of the log, `score(user, history, candidates, buffer)` writes one score
/// per candidate (the buffer has `candidates.count` entries, NaN-filled first; NaN counts as −∞
/// and is counted). The scorer is given only impression k's own click history, the history MIND
/// recorded before that impression, and must build the user profile from it alone: never from
/// clicks of this or later impressions (the closure is not given labels; it should not capture
/// the log's labels either).
///
/// Impressions the official scorer cannot score are skipped before scoring and counted by reason:
/// no candidates, unlabeled (any label −1, as in the test split), no clicked candidate (AUC
/// undefined, nDCG and MRR 0/0), every candidate clicked (AUC undefined).
/// - Complexity: one `score` call and O(n log n) per impression of n candidates; buffers sized by
///   the longest impression, allocated once.
public struct ImpressionEvaluator: Sendable {
    public init() {}

    /// Evaluates every impression of `log`. Throws whatever `score` throws.
    public func evaluate<E: Error>(
        _ log: MINDImpressionLog,
        score: (
            _ user: Int32, _ history: ArraySlice<Int32>, _ candidates: ArraySlice<Int32>,
            _ scores: UnsafeMutableBufferPointer<Float>
        ) throws(E) -> Void
    ) throws(E) -> ImpressionEvaluation {
        var longest = 0
        for index in 0..<log.count { longest = max(longest, log.candidateRange(of: index).count) }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, longest))
        defer { buffer.deallocate() }
        var scorer = ImpressionScorer()
        var counts = ImpressionEvaluation.Counts()
        counts.impressions = log.count
        var impressions: [Int] = [], auc: [Double] = [], mrr: [Double] = [], ndcg5: [Double] = [], ndcg10: [Double] = []
        impressions.reserveCapacity(log.count)
        auc.reserveCapacity(log.count)
        mrr.reserveCapacity(log.count)
        ndcg5.reserveCapacity(log.count)
        ndcg10.reserveCapacity(log.count)

        for index in 0..<log.count {
            let labels = log.labels(of: index)
            let reason = labels.withUnsafeBufferPointer { ImpressionScorer.skipReason(labels: $0) }
            if let reason {
                counts.skip(reason)
                continue
            }
            let scores = UnsafeMutableBufferPointer(rebasing: buffer[0..<labels.count])
            scores.update(repeating: .nan)
            try score(log.users[index], log.history(of: index), log.candidates(of: index), scores)
            let outcome = labels.withUnsafeBufferPointer {
                scorer.score(labels: $0, scores: UnsafeBufferPointer(scores))
            }
            counts.nanScores += scorer.nanCount
            switch outcome {
            case .skipped(let reason):
                counts.skip(reason)
            case .scored(let values):
                impressions.append(index)
                auc.append(values.auc)
                mrr.append(values.mrr)
                ndcg5.append(values.ndcg5)
                ndcg10.append(values.ndcg10)
                counts.impressionsScored += 1
            }
        }
        return ImpressionEvaluation(
            split: log.split, impressions: impressions, auc: auc, mrr: mrr, ndcg5: ndcg5, ndcg10: ndcg10, counts: counts
        )
    }
}
