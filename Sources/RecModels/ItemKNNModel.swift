internal import RecData

/// Item-based nearest neighbors with shrunk cosine similarity.
///
/// With x_ui = r_ui for explicit data and 1 for implicit data (repeated rows add up),
/// sim(i, j) = Σ_u x_ui x_uj / (‖x_i‖ ‖x_j‖ + shrink) for i ≠ j (0 on the diagonal). Each item j
/// keeps its `neighbors` most similar items (ties to the smaller index; 0 keeps all with a
/// non-zero similarity), and score(u, i) = Σ_(j∈I(u)) sim(j → i) x_uj, where j → i means i is
/// among j's kept neighbors (the `implicit` library's ItemItemRecommender convention; with all
/// neighbors kept it is the plain symmetric sum). Users without training rows are scored by
/// item popularity.
///
/// Memory is checked before the fit: ``estimatedBytes(_:neighbors:)`` (an upper bound on the
/// kept pairs from the rows alone) against `max_memory_gb` (default: ``MemoryBudget/available()``).
///
/// - Complexity: fit O(Σ_u |I(u)|² + Σ_i c_i log c_i) time, where c_i is the number of items
///   co-rated with i, and O(items × kept neighbors + nnz) memory (items² in the worst case with
///   all neighbors); ``scoreAll(user:into:)`` costs O(items + Σ_(j∈I(u)) kept(j)).
/// - Determinism: exact for a given build (no randomness, fixed summation order); the seed is not used.
public struct ItemKNNModel: Recommender {
    public static let name = "itemknn"

    public struct Hyperparameters: Sendable, Hashable {
        /// Neighbors kept per item; 0 keeps all.
        public var neighbors: Int
        /// Added to the norm product in the similarity's denominator.
        public var shrink: Float
        /// The memory the fit may use, in GB (10⁹ bytes); nil: what the system has available.
        public var maximumMemoryGB: Double?

        public init(neighbors: Int = 0, shrink: Float = 0, maximumMemoryGB: Double? = nil) {
            self.neighbors = neighbors
            self.shrink = shrink
            self.maximumMemoryGB = maximumMemoryGB
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// Row j: j's kept neighbors i and sim(j, i), ascending by i.
    var neighbourStarts: [Int] = [0]
    var neighbourItems: [Int32] = []
    var neighbourSimilarities: [Float] = []
    var trainingRows: SparseMatrix? = nil
    var isExplicit = false
    var itemCounts: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Kept neighbors in total (the size of the similarity model).
    public var neighbourCount: Int { neighbourItems.count }

    /// An upper bound on the fit's memory in bytes: for each item j at most
    /// min(Σ_(u∈U(j)) (|I(u)| − 1), items − 1, K) neighbours are kept (K = `neighbors`, none for 0),
    /// each an Int32 and a Float, counted twice for the arrays' growth while they are appended.
    /// O(nnz) time; buffers of O(items) are left out.
    public static func estimatedBytes(_ data: TrainingData, neighbors: Int) -> Int {
        let cap = neighbors > 0 ? min(neighbors, max(data.itemCount - 1, 0)) : max(data.itemCount - 1, 0)
        var pairs = 0
        for j in 0..<data.itemCount {
            var coRated = 0
            for e in data.byItem.rowRange(j) { coRated += data.byUser.rowLength(Int(data.byItem.columns[e])) - 1 }
            pairs += min(coRated, cap)
        }
        return pairs * (MemoryLayout<Int32>.size + MemoryLayout<Float>.size) * 2
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        guard h.neighbors >= 0 else {
            throw ModelError(model: Self.name, message: "neighbors must not be negative, got \(h.neighbors)")
        }
        guard h.shrink >= 0, h.shrink.isFinite else {
            throw ModelError(model: Self.name, message: "shrink must not be negative, got \(h.shrink)")
        }
        try MemoryBudget.check(
            model: Self.name, estimate: Self.estimatedBytes(data, neighbors: h.neighbors),
            what: "\(data.itemCount) items with \(h.neighbors == 0 ? "all" : "at most \(h.neighbors)") neighbours each",
            formula: "Σ_items min(co-rated rows, items − 1\(h.neighbors > 0 ? ", neighbors" : "")) × 16 bytes",
            limitGB: h.maximumMemoryGB, alternatives: h.neighbors == 0 ? "; or keep fewer with neighbors=K" : "")
        let explicit = data.isExplicit
        let itemCount = data.itemCount
        let byUser = data.byUser, byItem = data.byItem
        var norms = [Float](repeating: 0, count: itemCount)
        for i in 0..<itemCount {
            // ‖x_i‖² = Σ_u x_ui², repeated rows of one user (adjacent: columns ascend) summed first.
            var squares: Float = 0
            var userTotal: Float = 0
            for k in byItem.rowRange(i) {
                userTotal += explicit ? byItem.values[k] : 1
                if k + 1 == byItem.rowStarts[i + 1] || byItem.columns[k + 1] != byItem.columns[k] {
                    squares += userTotal * userTotal
                    userTotal = 0
                }
            }
            norms[i] = squares.squareRoot()
        }
        var starts = [Int](repeating: 0, count: itemCount + 1)
        var neighbourItems: [Int32] = []
        var neighbourSimilarities: [Float] = []
        var dots = [Float](repeating: 0, count: itemCount)
        var touched: [Int32] = []
        var isTouched = [Bool](repeating: false, count: itemCount)
        var candidates: [(similarity: Float, item: Int32)] = []
        byUser.rowStarts.withUnsafeBufferPointer { userStarts in
            byUser.columns.withUnsafeBufferPointer { userColumns in
                byUser.values.withUnsafeBufferPointer { userValues in
                    dots.withUnsafeMutableBufferPointer { dots in
                        for j in 0..<itemCount {
                            // dots[i] = Σ_u x_uj x_ui over the users of j.
                            for e in byItem.rowRange(j) {
                                let u = Int(byItem.columns[e])
                                let xj = explicit ? byItem.values[e] : 1
                                for k in userStarts[u]..<userStarts[u + 1] {
                                    let i = Int(userColumns[k])
                                    if !isTouched[i] {
                                        isTouched[i] = true
                                        touched.append(Int32(i))
                                    }
                                    dots[i] += xj * (explicit ? userValues[k] : 1)
                                }
                            }
                            candidates.removeAll(keepingCapacity: true)
                            for i in touched where Int(i) != j {
                                let denominator = norms[j] * norms[Int(i)] + h.shrink
                                let similarity = denominator > 0 ? dots[Int(i)] / denominator : 0
                                if similarity != 0 { candidates.append((similarity, i)) }
                            }
                            for i in touched {
                                dots[Int(i)] = 0
                                isTouched[Int(i)] = false
                            }
                            touched.removeAll(keepingCapacity: true)
                            if h.neighbors > 0 && candidates.count > h.neighbors {
                                candidates.sort {
                                    $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item
                                }
                                candidates.removeLast(candidates.count - h.neighbors)
                            }
                            candidates.sort { $0.item < $1.item }
                            for candidate in candidates {
                                neighbourItems.append(candidate.item)
                                neighbourSimilarities.append(candidate.similarity)
                            }
                            starts[j + 1] = neighbourItems.count
                        }
                    }
                }
            }
        }
        neighbourStarts = starts
        self.neighbourItems = neighbourItems
        self.neighbourSimilarities = neighbourSimilarities
        trainingRows = byUser
        isExplicit = explicit
        itemCounts = data.itemRowCounts()
    }

    /// Σ_(j∈I(u)) sim(j → i) x_uj for every item; item popularity for a user without training rows.
    /// The MIND impression protocol: score(c) = Σ over the history's items h of sim(h, c), from
    /// the impression's own history (each click counts 1); an empty history gets popularity.
    /// O(Σ neighbours of the history's items + candidates).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let known = history.filter { $0 >= 0 && Int($0) + 1 < neighbourStarts.count }
        guard !known.isEmpty else {
            PopularityFallback.scoreCandidates(itemCounts, candidates: candidates, into: scores)
            return
        }
        ItemNeighborScoring.scoreCandidates(
            history: known, candidates: candidates, starts: neighbourStarts, targets: neighbourItems,
            weights: neighbourSimilarities, into: scores)
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let rows = trainingRows, ItemNeighborScoring.hasRows(rows, user: user) else {
            PopularityFallback.scoreAll(itemCounts, into: scores)
            return
        }
        ItemNeighborScoring.scoreAll(
            rows: rows, user: user, isExplicit: isExplicit, starts: neighbourStarts, targets: neighbourItems,
            weights: neighbourSimilarities, into: scores)
    }
}
