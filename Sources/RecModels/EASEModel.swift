internal import RecData
internal import RecEval

/// Embarrassingly shallow autoencoder (Steck, "Embarrassingly Shallow Autoencoders for Sparse
/// Data", 2019): a dense item-to-item weight matrix in closed form.
///
/// With X the users × items matrix (x_ui = r_ui for explicit data, 1 for implicit data, repeated
/// rows adding up): G = XᵀX + λI, P = G⁻¹, B_ij = −P_ij / P_jj with B_jj = 0, which minimises
/// ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0. score(u, ·) = x_u B = Σ_(j∈I(u)) x_uj B_j·.
/// P comes from LAPACK `spotrf` + `spotri` (Cholesky) in place on the dense matrix, OpenBLAS
/// pinned to one thread. Users without training rows are scored by item popularity.
///
/// `neighbors` K > 0 keeps, for each item j, only the K weights B_ij of largest magnitude (the K
/// items that push j's score up or down the most; ties to the smaller index), stored sparse by
/// source item: scoring then costs O(Σ_(i∈I(u)) kept(i)) time and the model O(items × K) memory
/// instead of O(items²). The solve is the same dense one, so the fit's peak memory and time do not
/// shrink; K ≥ items − 1 keeps every weight and gives the dense model's scores exactly.
///
/// Memory is checked before anything is allocated: ``estimatedBytes(items:neighbors:)`` against
/// `max_memory_gb` (default: ``MemoryBudget/available()``), and a fit that would not fit throws a
/// ``ModelError`` naming the estimate, the limit and the option.
///
/// - Complexity: fit O(Σ_u |I(u)|² + items³) time (about items³ flops: Cholesky items³/3, inverse
///   2·items³/3) and items² × 4 bytes at peak (one buffer: 11 MB for ML-100K's 1 682 items,
///   1.74 GB for 20 845 items; measured times and peaks in docs/model-costs.md);
///   ``scoreAll(user:into:)`` costs
///   O(|I(u)| × items) dense, O(|I(u)| × K) with `neighbors`.
/// - Determinism: bit-identical on one machine type and build (LAPACK on one OpenBLAS thread,
///   whose kernels are chosen by CPU); the seed is not used.
public struct EASEModel: Recommender {
    public static let name = "ease"
    /// n × n Float buffers alive at the fit's peak: the Gram matrix, inverted and turned into B in
    /// place (LAPACK works on it as column-major lower, so LAPACKE makes no transposed copy).
    public static let denseBuffers = 1

    public struct Hyperparameters: Sendable, Hashable {
        /// λ, the L2 weight added to the Gram matrix's diagonal.
        public var lambda: Float
        /// Weights kept per target item (largest magnitude first); 0 keeps the dense matrix.
        public var neighbors: Int
        /// The memory the fit may use, in GB (10⁹ bytes); nil: what the system has available.
        public var maximumMemoryGB: Double?

        public init(lambda: Float = 500, neighbors: Int = 0, maximumMemoryGB: Double? = nil) {
            self.lambda = lambda
            self.neighbors = neighbors
            self.maximumMemoryGB = maximumMemoryGB
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// B, items × items, row-major (empty with `neighbors`).
    var weights: [Float] = []
    /// With `neighbors`: B's kept entries by source item i (row i: targets j ascending, B_ij).
    var keptStarts: [Int] = []
    var keptTargets: [Int32] = []
    var keptWeights: [Float] = []
    var itemCount = 0
    var trainingRows: SparseMatrix? = nil
    var isExplicit = false
    var itemCounts: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Weights the model scores with: items² − items off the diagonal when dense (the diagonal is
    /// 0), the kept ones with `neighbors`.
    public var storedWeightCount: Int { weights.isEmpty ? keptWeights.count : itemCount * itemCount - itemCount }

    /// The fit's peak memory in bytes for `items` items and `neighbors` kept weights per item:
    /// items² × 4 bytes × ``denseBuffers``, plus items × min(K, items − 1) × 16 bytes with K > 0 (an
    /// Int32 index and a Float per kept weight, held twice while they are regrouped by source).
    /// Buffers of O(items) and the training data are left out.
    public static func estimatedBytes(items n: Int, neighbors k: Int) -> Int {
        let dense = n * n * MemoryLayout<Float>.size * denseBuffers
        let kept = k > 0 ? n * min(k, max(n - 1, 0)) * 2 * (MemoryLayout<Int32>.size + MemoryLayout<Float>.size) : 0
        return dense + kept
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters, lambda = h.lambda
        let n = data.itemCount
        guard lambda > 0, lambda.isFinite else {
            throw ModelError(model: Self.name, message: "lambda must be positive, got \(lambda)")
        }
        guard h.neighbors >= 0 else {
            throw ModelError(model: Self.name, message: "neighbors must not be negative, got \(h.neighbors)")
        }
        guard n > 0 else { throw ModelError(model: Self.name, message: "no items") }
        try MemoryBudget.check(
            model: Self.name, estimate: Self.estimatedBytes(items: n, neighbors: h.neighbors),
            what: "\(n) items need a dense \(n)×\(n) Gram/inverse matrix",
            formula: "items² × 4 bytes × \(Self.denseBuffers) buffer"
                + (h.neighbors > 0 ? " + items × neighbors × 16 bytes" : ""),
            limitGB: h.maximumMemoryGB,
            alternatives:
                "; neighbors=K shrinks only the fitted model, not the solve: for more items use itemknn or als")
        LinearAlgebra.useOneThread()
        let explicit = data.isExplicit
        let byUser = data.byUser
        var matrix = [Float](repeating: 0, count: n * n)
        var info: Int32 = 0
        var inverseDiagonal = [Float](repeating: 0, count: n)
        matrix.withUnsafeMutableBufferPointer { g in
            byUser.rowStarts.withUnsafeBufferPointer { starts in
                byUser.columns.withUnsafeBufferPointer { columns in
                    byUser.values.withUnsafeBufferPointer { values in
                        let g = g.baseAddress!
                        // Upper triangle of XᵀX: column indices ascend within a row.
                        for u in 0..<byUser.rowCount {
                            for a in starts[u]..<starts[u + 1] {
                                let row = g + Int(columns[a]) * n
                                let xa = explicit ? values[a] : 1
                                for b in a..<starts[u + 1] {
                                    let product = xa * (explicit ? values[b] : 1)
                                    // A repeated item meets its twin once here but twice in (Σx)².
                                    row[Int(columns[b])] += b != a && columns[b] == columns[a] ? 2 * product : product
                                }
                            }
                        }
                        for i in 0..<n { g[i * n + i] += lambda }
                        info = LinearAlgebra.invertPositiveDefinite(g, order: n)
                        guard info == 0 else { return }
                        // P is in the upper triangle: mirror it (rows of P are now its columns).
                        for i in 0..<n {
                            for j in 0..<i { g[i * n + j] = g[j * n + i] }
                        }
                        for j in 0..<n { inverseDiagonal[j] = -1 / g[j * n + j] }
                    }
                }
            }
        }
        guard info == 0 else {
            throw ModelError(
                model: Self.name,
                message: "XᵀX + λI is not positive definite (LAPACK info \(info)); raise lambda (now \(lambda))")
        }
        if h.neighbors > 0 {
            keepStrongest(h.neighbors, of: &matrix, inverseDiagonal: inverseDiagonal, items: n)
            weights = []
        } else {
            // B_ij = −P_ij / P_jj, B_jj = 0.
            matrix.withUnsafeMutableBufferPointer { g in
                for i in 0..<n {
                    let row = g.baseAddress! + i * n
                    for j in 0..<n { row[j] *= inverseDiagonal[j] }
                    row[i] = 0
                }
            }
            weights = matrix
            keptStarts = []
            keptTargets = []
            keptWeights = []
        }
        itemCount = n
        trainingRows = byUser
        isExplicit = explicit
        itemCounts = data.itemRowCounts()
    }

    /// From the symmetric P (both triangles filled) and −1/P_jj: for each target item j, the `k`
    /// sources i ≠ j of largest |B_ij| = |P_ji| / P_jj (row j of P, read contiguously), then
    /// regrouped by source i into ``keptStarts``/``keptTargets``/``keptWeights``. Frees `matrix`
    /// before regrouping. O(items² + items × k log k) time.
    private mutating func keepStrongest(_ k: Int, of matrix: inout [Float], inverseDiagonal: [Float], items n: Int) {
        let kept = min(k, n - 1)
        var byTargetSources = [Int32](repeating: 0, count: n * kept)
        var byTargetWeights = [Float](repeating: 0, count: n * kept)
        var magnitudes = [Float](repeating: 0, count: n)
        var excluded = [Bool](repeating: false, count: n)
        var selector = TopKSelector(capacity: kept)
        matrix.withUnsafeBufferPointer { p in
            for j in 0..<n {
                let row = p.baseAddress! + j * n
                for i in 0..<n { magnitudes[i] = abs(row[i]) }
                excluded[j] = true
                magnitudes.withUnsafeBufferPointer { scores in
                    excluded.withUnsafeBufferPointer { _ = selector.select(kept, scores: scores, excluded: $0) }
                }
                excluded[j] = false
                // Ascending source index inside a target, so the regrouped rows ascend too.
                let sources = selector.selectedItems.sorted()
                for (slot, i) in sources.enumerated() {
                    byTargetSources[j * kept + slot] = i
                    byTargetWeights[j * kept + slot] = row[Int(i)] * inverseDiagonal[j]
                }
            }
        }
        matrix = []
        var starts = [Int](repeating: 0, count: n + 1)
        for i in byTargetSources { starts[Int(i) + 1] += 1 }
        for i in 0..<n { starts[i + 1] += starts[i] }
        var next = Array(starts.dropLast())
        var targets = [Int32](repeating: 0, count: n * kept)
        var values = [Float](repeating: 0, count: n * kept)
        for j in 0..<n {
            for slot in (j * kept)..<((j + 1) * kept) {
                let i = Int(byTargetSources[slot])
                targets[next[i]] = Int32(j)
                values[next[i]] = byTargetWeights[slot]
                next[i] += 1
            }
        }
        keptStarts = starts
        keptTargets = targets
        keptWeights = values
    }

    /// x_u B for every item; item popularity for a user without training rows.
    /// The MIND impression protocol: score(c) = Σ over the history's items h of B[h, c], from the
    /// impression's own history (each click counts 1); an empty history gets popularity.
    /// O(history × candidates) dense, O(Σ kept(h) + candidates) with `neighbors`.
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let n = self.itemCount
        let known = history.filter { $0 >= 0 && Int($0) < n }
        guard !known.isEmpty, weights.count == n * n || keptStarts.count == n + 1 else {
            PopularityFallback.scoreCandidates(itemCounts, candidates: candidates, into: scores)
            return
        }
        if weights.isEmpty {
            ItemNeighborScoring.scoreCandidates(
                history: known, candidates: candidates, starts: keptStarts, targets: keptTargets, weights: keptWeights,
                into: scores)
            return
        }
        for k in 0..<candidates.count { scores[k] = 0 }
        weights.withUnsafeBufferPointer { b in
            for h in known {
                let row = b.baseAddress! + Int(h) * n
                for (k, item) in candidates.enumerated() where item >= 0 && Int(item) < n { scores[k] += row[Int(item)] }
            }
        }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        guard let rows = trainingRows, ItemNeighborScoring.hasRows(rows, user: user) else {
            PopularityFallback.scoreAll(itemCounts, into: scores)
            return
        }
        if weights.isEmpty {
            // The same additions in the same order per item as the dense loop below, minus B_jj = 0.
            ItemNeighborScoring.scoreAll(
                rows: rows, user: user, isExplicit: isExplicit, starts: keptStarts, targets: keptTargets,
                weights: keptWeights, into: scores)
            return
        }
        for i in 0..<scores.count { scores[i] = 0 }
        let n = itemCount
        let count = min(scores.count, n)
        weights.withUnsafeBufferPointer { b in
            for k in rows.rowRange(Int(user)) {
                let x = isExplicit ? rows.values[k] : 1
                let row = b.baseAddress! + Int(rows.columns[k]) * n
                for i in 0..<count { scores[i] += x * row[i] }
            }
        }
    }
}
