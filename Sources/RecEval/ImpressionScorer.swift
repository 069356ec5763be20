import Foundation

/// The per-impression metrics of the official MIND scorer (msnews/MIND `evaluate.py`, also the
/// `recommenders` MIND metrics), computed with one sort into buffers reused across impressions.
///
/// An impression has n candidates with labels `l_j` (1 clicked, 0 not clicked; −1 unlabeled) and
/// model scores `s_j`; P clicked, N = n − P not clicked. NaN scores count as −∞.
///
/// **Order.** The official code ranks by `np.argsort(y_score)[::-1]`: an ascending argsort,
/// reversed. Here candidates are sorted ascending by (score, position) and the result reversed, so
/// the ranking is by descending score and, **among equal scores, the later candidate (larger
/// position in the impression) ranks first**. That is exactly what the official code does when
/// numpy's argsort is stable (`kind="stable"`, or the insertion sort numpy's default introsort once
/// used for short arrays). numpy's default `quicksort` kind is not stable, and on recent numpy
/// with SIMD sorting (x86-simd-sort, numpy ≥ 2) the tie order differs even for 5 candidates and
/// depends on the CPU; no fixed rule reproduces it. Ties only affect MRR and nDCG; AUC is
/// tie-aware. The official competition scores rank submissions (a permutation), which have no ties.
///
/// - AUC = (Σ_{j clicked} rank_j − P(P + 1)/2) / (P · N), rank_j the 1-based ascending rank of
///   `s_j` with **average ranks for ties** (Mann–Whitney U / (P·N)); equal to sklearn's
///   `roc_auc_score` (trapezoidal ROC area). Undefined (sklearn raises) when P = 0 or N = 0.
/// - MRR = Σ_{r=1}^{n} l_(r) / r / Σ_j l_j, with l_(r) the label at descending rank r.
/// - nDCG@k = DCG@k / IDCG@k, DCG@k = Σ_{p=0}^{min(k, n)−1} (2^{l_(p)} − 1) / log2(p + 2) with
///   p the 0-based position; IDCG@k the same over labels sorted descending.
/// - Tie-averaged nDCG@k (sklearn `ndcg_score`, `ignore_ties=False`): within each group of equal
///   scores every position receives the group's mean gain. Offered for comparison; not official.
///
/// - Complexity: O(n log n) per impression (heap sort; insertion sort for n ≤ 16); no allocation
///   once the buffers have held the longest impression.
public struct ImpressionScorer: Sendable {
    /// The four figures the official scorer reports for one impression.
    public struct Values: Sendable, Equatable, Codable {
        public var auc: Double
        public var mrr: Double
        public var ndcg5: Double
        public var ndcg10: Double

        public init(auc: Double, mrr: Double, ndcg5: Double, ndcg10: Double) {
            self.auc = auc
            self.mrr = mrr
            self.ndcg5 = ndcg5
            self.ndcg10 = ndcg10
        }
    }

    /// Why an impression is left out: the official scorer would fail on it (AUC undefined) or
    /// has no truth for it.
    public enum SkipReason: String, Sendable, CaseIterable, Codable {
        case noCandidates = "no candidates"
        case unlabeled = "unlabeled"
        case noClick = "no clicked candidate"
        case allClicked = "no unclicked candidate"
    }

    public enum Outcome: Sendable, Equatable {
        case scored(Values)
        case skipped(SkipReason)
    }

    /// Candidate positions sorted ascending by (key, position).
    private var order: [Int32] = []
    /// Scores with NaN replaced by −∞.
    private var keys: [Float] = []
    private var labels: [Int8] = []
    /// Number of candidates of the prepared impression.
    public private(set) var count = 0
    /// Clicked candidates (P) of the prepared impression.
    public private(set) var positives = 0
    /// NaN scores in the prepared impression.
    public private(set) var nanCount = 0

    public init() {}

    /// Why the official scorer could not score an impression with these labels, or nil. O(n).
    public static func skipReason(labels: UnsafeBufferPointer<Int8>) -> SkipReason? {
        guard !labels.isEmpty else { return .noCandidates }
        var clicked = 0
        for label in labels {
            if label < 0 { return .unlabeled }
            precondition(label <= 1, "MIND labels are 1, 0 or -1, got \(label)")
            if label == 1 { clicked += 1 }
        }
        if clicked == 0 { return .noClick }
        if clicked == labels.count { return .allClicked }
        return nil
    }

    /// All four official figures, or why the impression is skipped.
    public mutating func score(labels: UnsafeBufferPointer<Int8>, scores: UnsafeBufferPointer<Float>) -> Outcome {
        if let reason = Self.skipReason(labels: labels) { return .skipped(reason) }
        prepare(labels: labels, scores: scores)
        return .scored(Values(auc: auc()!, mrr: mrr()!, ndcg5: ndcg(k: 5)!, ndcg10: ndcg(k: 10)!))
    }

    /// Copies and sorts one impression; then ``auc()``, ``mrr()`` and ``ndcg(k:)`` read it.
    /// Labels must be 0 or 1 (precondition).
    public mutating func prepare(labels newLabels: UnsafeBufferPointer<Int8>, scores: UnsafeBufferPointer<Float>) {
        precondition(newLabels.count == scores.count, "\(newLabels.count) labels for \(scores.count) scores")
        let n = scores.count
        if order.count < n {
            order = [Int32](repeating: 0, count: n)
            keys = [Float](repeating: 0, count: n)
            labels = [Int8](repeating: 0, count: n)
        }
        count = n
        positives = 0
        nanCount = 0
        for j in 0..<n {
            let label = newLabels[j]
            precondition(label == 0 || label == 1, "MIND metrics need labels 0 or 1, got \(label) at \(j)")
            labels[j] = label
            positives += Int(label)
            if scores[j].isNaN { nanCount += 1 }
            keys[j] = scores[j].isNaN ? -Float.infinity : scores[j]
            order[j] = Int32(j)
        }
        keys.withUnsafeBufferPointer { keyBuffer in
            order.withUnsafeMutableBufferPointer { orderBuffer in
                Self.sortAscending(UnsafeMutableBufferPointer(rebasing: orderBuffer[0..<n]), keys: keyBuffer)
            }
        }
    }

    /// Mann–Whitney AUC with average ranks for ties; nil when P = 0 or N = 0.
    public func auc() -> Double? {
        let negatives = count - positives
        guard positives > 0, negatives > 0 else { return nil }
        var positiveRankSum = 0.0
        var start = 0
        while start < count {
            var end = start
            let key = keys[Int(order[start])]
            while end + 1 < count && keys[Int(order[end + 1])] == key { end += 1 }
            let averageRank = Double(start + end + 2) / 2
            for slot in start...end where labels[Int(order[slot])] == 1 { positiveRankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Σ_r l_(r) / r / P over the descending ranking; nil when P = 0.
    public func mrr() -> Double? {
        guard positives > 0 else { return nil }
        var sum = 0.0
        for rank in 1...count where labels[Int(order[count - rank])] == 1 { sum += 1 / Double(rank) }
        return sum / Double(positives)
    }

    /// MIND nDCG@k (gain 2^l − 1, discount log2(p + 2)); nil when P = 0 (IDCG = 0, official NaN).
    public func ndcg(k: Int) -> Double? {
        precondition(k >= 1, "nDCG@k needs k ≥ 1, got \(k)")
        guard positives > 0 else { return nil }
        var dcg = 0.0
        for position in 0..<min(k, count) where labels[Int(order[count - 1 - position])] == 1 {
            dcg += 1 / log2(Double(position + 2))
        }
        return dcg / Self.idealDCG(positives: positives, k: k)
    }

    /// sklearn's tie-averaged nDCG@k (`ndcg_score` with `ignore_ties=False`); nil when P = 0.
    public func ndcgTieAveraged(k: Int) -> Double? {
        precondition(k >= 1, "nDCG@k needs k ≥ 1, got \(k)")
        guard positives > 0 else { return nil }
        var dcg = 0.0
        var start = 0
        while start < count {
            var end = start
            let key = keys[Int(order[start])]
            while end + 1 < count && keys[Int(order[end + 1])] == key { end += 1 }
            var gain = 0
            for slot in start...end { gain += Int(labels[Int(order[slot])]) }
            // Ascending slots start...end are descending positions (count-1-end)...(count-1-start).
            var discounts = 0.0
            for position in (count - 1 - end)...(count - 1 - start) where position < k {
                discounts += 1 / log2(Double(position + 2))
            }
            dcg += Double(gain) / Double(end - start + 1) * discounts
            start = end + 1
        }
        return dcg / Self.idealDCG(positives: positives, k: k)
    }

    /// IDCG@k for binary labels: Σ_{p=0}^{min(P, k)−1} 1 / log2(p + 2).
    static func idealDCG(positives: Int, k: Int) -> Double {
        var ideal = 0.0
        for position in 0..<min(positives, k) { ideal += 1 / log2(Double(position + 2)) }
        return ideal
    }

    // MARK: Sorting (no allocation)

    @inline(__always)
    private static func less(_ a: Int32, _ b: Int32, _ keys: UnsafeBufferPointer<Float>) -> Bool {
        let keyA = keys[Int(a)], keyB = keys[Int(b)]
        return keyA < keyB || (keyA == keyB && a < b)
    }

    /// Sorts positions ascending by (key, position): insertion sort up to 16, else heap sort.
    static func sortAscending(_ positions: UnsafeMutableBufferPointer<Int32>, keys: UnsafeBufferPointer<Float>) {
        let n = positions.count
        if n <= 16 {
            guard n > 1 else { return }
            for i in 1..<n {
                let value = positions[i]
                var j = i
                while j > 0 && less(value, positions[j - 1], keys) {
                    positions[j] = positions[j - 1]
                    j -= 1
                }
                positions[j] = value
            }
            return
        }
        func siftDown(_ start: Int, _ end: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < end else { return }
                var largest = left
                if left + 1 < end && less(positions[left], positions[left + 1], keys) { largest = left + 1 }
                guard less(positions[parent], positions[largest], keys) else { return }
                positions.swapAt(parent, largest)
                parent = largest
            }
        }
        for start in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(start, n) }
        var end = n
        while end > 1 {
            end -= 1
            positions.swapAt(0, end)
            siftDown(0, end)
        }
    }
}
