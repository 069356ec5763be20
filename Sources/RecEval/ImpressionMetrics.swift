/// The official MIND per-impression metrics as plain functions of one impression's labels (0/1)
/// and scores. See ``ImpressionScorer`` for the exact formulas and the tie order (descending
/// score; among equal scores the later candidate first, as a stable `np.argsort(y_score)[::-1]`).
///
/// These allocate one scorer per call; evaluation loops use an ``ImpressionScorer`` directly.
/// - Complexity: O(n log n) per call.
public enum ImpressionMetrics {
    /// AUC = (Σ_{clicked} rank − P(P + 1)/2) / (P·N) with average ascending ranks for ties
    /// (sklearn `roc_auc_score`); nil when there is no clicked or no unclicked candidate.
    public static func auc(labels: [Int8], scores: [Float]) -> Double? {
        prepared(labels, scores).auc()
    }

    /// MRR = Σ_{clicked} 1/rank / P, ranks 1-based by descending score (official `mrr_score`);
    /// nil when P = 0.
    public static func mrr(labels: [Int8], scores: [Float]) -> Double? {
        prepared(labels, scores).mrr()
    }

    /// nDCG@k = Σ_{p<k} (2^{l_(p)} − 1)/log2(p + 2) over the ideal (official `ndcg_score`); nil when P = 0.
    public static func ndcg(labels: [Int8], scores: [Float], k: Int) -> Double? {
        prepared(labels, scores).ndcg(k: k)
    }

    /// sklearn's tie-averaged nDCG@k (`ndcg_score`, `ignore_ties=False`; linear gain, equal to
    /// 2^l − 1 for 0/1 labels); nil when P = 0.
    public static func ndcgTieAveraged(labels: [Int8], scores: [Float], k: Int) -> Double? {
        prepared(labels, scores).ndcgTieAveraged(k: k)
    }

    private static func prepared(_ labels: [Int8], _ scores: [Float]) -> ImpressionScorer {
        var scorer = ImpressionScorer()
        labels.withUnsafeBufferPointer { labelBuffer in
            scores.withUnsafeBufferPointer { scorer.prepare(labels: labelBuffer, scores: $0) }
        }
        return scorer
    }
}
