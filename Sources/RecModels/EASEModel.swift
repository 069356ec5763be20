internal import RecData

/// Embarrassingly shallow autoencoder (Steck, "Embarrassingly Shallow Autoencoders for Sparse
/// Data", 2019): a dense item-to-item weight matrix in closed form.
///
/// With X the users × items matrix (x_ui = r_ui for explicit data, 1 for implicit data, repeated
/// rows adding up): G = XᵀX + λI, P = G⁻¹, B_ij = −P_ij / P_jj with B_jj = 0, which minimises
/// ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0. score(u, ·) = x_u B = Σ_(j∈I(u)) x_uj B_j·.
/// P comes from LAPACK `spotrf` + `spotri` (Cholesky) on the dense matrix, OpenBLAS pinned to one
/// thread. Users without training rows are scored by item popularity.
///
/// - Complexity: fit O(Σ_u |I(u)|² + items³) time and O(items²) memory (4 bytes per entry:
///   11 MB and 0.1 s in release for ML-100K's 1 682 items); at most ``maximumItems`` items.
///   ``scoreAll(user:into:)`` costs O(|I(u)| × items).
/// - Determinism: bit-identical on one machine type and build (LAPACK on one OpenBLAS thread,
///   whose kernels are chosen by CPU); the seed is not used.
public struct EASEModel: Recommender {
    public static let name = "ease"
    /// Items beyond which the dense items × items matrix is refused (10 000² floats = 400 MB).
    public static let maximumItems = 10_000

    public struct Hyperparameters: Sendable, Hashable {
        /// λ, the L2 weight added to the Gram matrix's diagonal.
        public var lambda: Float

        public init(lambda: Float = 500) { self.lambda = lambda }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// B, items × items, row-major.
    var weights: [Float] = []
    var itemCount = 0
    var trainingRows: SparseMatrix? = nil
    var isExplicit = false
    var itemCounts: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let lambda = hyperparameters.lambda
        let n = data.itemCount
        guard lambda > 0, lambda.isFinite else {
            throw ModelError(model: Self.name, message: "lambda must be positive, got \(lambda)")
        }
        guard n <= Self.maximumItems else {
            throw ModelError(
                model: Self.name,
                message:
                    "\(n) items need a dense \(n)×\(n) matrix (\(n * n * 4 / 1_000_000) MB); at most \(Self.maximumItems) items are supported"
            )
        }
        guard n > 0 else { throw ModelError(model: Self.name, message: "no items") }
        LinearAlgebra.useOneThread()
        let explicit = data.isExplicit
        let byUser = data.byUser
        var matrix = [Float](repeating: 0, count: n * n)
        var info: Int32 = 0
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
                        // P is in the upper triangle: mirror it, then B_ij = −P_ij / P_jj.
                        for i in 0..<n {
                            for j in 0..<i { g[i * n + j] = g[j * n + i] }
                        }
                        var inverseDiagonal = [Float](repeating: 0, count: n)
                        for j in 0..<n { inverseDiagonal[j] = -1 / g[j * n + j] }
                        for i in 0..<n {
                            let row = g + i * n
                            for j in 0..<n { row[j] *= inverseDiagonal[j] }
                            row[i] = 0
                        }
                    }
                }
            }
        }
        guard info == 0 else {
            throw ModelError(
                model: Self.name,
                message: "XᵀX + λI is not positive definite (LAPACK info \(info)); raise lambda (now \(lambda))")
        }
        weights = matrix
        itemCount = n
        trainingRows = byUser
        isExplicit = explicit
        itemCounts = data.itemRowCounts()
    }

    /// x_u B for every item; item popularity for a user without training rows.
    /// The MIND impression protocol: score(c) = Σ over the history's items h of B[h, c], from the
    /// impression's own history (each click counts 1); an empty history gets popularity.
    /// O(history × candidates).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let n = self.itemCount
        let known = history.filter { $0 >= 0 && Int($0) < n }
        guard !known.isEmpty, weights.count == n * n else {
            for (k, item) in candidates.enumerated() {
                scores[k] = item >= 0 && Int(item) < itemCounts.count ? itemCounts[Int(item)] : 0
            }
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
        let u = Int(user)
        guard let rows = trainingRows, u >= 0, u < rows.rowCount, rows.rowLength(u) > 0 else {
            for i in 0..<scores.count { scores[i] = i < itemCounts.count ? itemCounts[i] : 0 }
            return
        }
        for i in 0..<scores.count { scores[i] = 0 }
        let n = itemCount
        let count = min(scores.count, n)
        weights.withUnsafeBufferPointer { b in
            for k in rows.rowRange(u) {
                let x = isExplicit ? rows.values[k] : 1
                let row = b.baseAddress! + Int(rows.columns[k]) * n
                for i in 0..<count { scores[i] += x * row[i] }
            }
        }
    }
}
