/// Most-popular ranking: every user gets the same scores.
///
/// score(u, i) = number of training rows of item i (repeated rows count; the values are ignored,
/// so explicit and implicit data are treated alike). Ties are left to the evaluator (smaller item
/// index first). There are no epochs and no hyperparameters.
/// - Complexity: O(nnz + items) time to fit, O(items) memory, O(items) per ``scoreAll(user:into:)``.
/// - Determinism: exact; the seed is not used.
public struct PopularityModel: Recommender {
    public static let name = "popularity"

    public var seed: UInt64
    /// Training rows per item.
    public private(set) var itemCounts: [Float] = []

    public init(seed: UInt64 = 0) { self.seed = seed }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        itemCounts = data.itemRowCounts()
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count { scores[i] = i < itemCounts.count ? itemCounts[i] : 0 }
    }

    /// The counts at the candidates (0 outside the catalog), O(candidates) per impression.
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        for (k, item) in candidates.enumerated() {
            let i = Int(item)
            scores[k] = i >= 0 && i < itemCount && i < itemCounts.count ? itemCounts[i] : 0
        }
    }
}
