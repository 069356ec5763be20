internal import Foundation
internal import RecData

/// Bayesian personalised ranking with a factor model and item biases, trained by SGD on sampled
/// triples (Rendle, Freudenthaler, Gantner and Schmidt-Thieme, 2009).
///
/// x̂_ui = b_i + p_u · q_i; for a triple (u, i, j) with i a training item of u and j not,
/// x = x̂_ui − x̂_uj, and BPR maximises Σ ln σ(x) − λ(‖p_u‖² + ‖q_i‖² + ‖q_j‖²) − λ_b(b_i² + b_j²).
/// With g = σ(−x) = 1 − σ(x), each step (from the old values):
///   p_u += η(g(q_i − q_j) − λp_u),  q_i += η(g p_u − λq_i),  q_j += η(−g p_u − λq_j),
///   b_i += η(g − λ_b b_i),  b_j += η(−g − λ_b b_j).
/// An epoch draws nnz triples: (u, i) uniformly among the training rows, j uniformly among all
/// items until one is not in u's training row (binary search; users who have every item are
/// skipped). Factors start at N(0, init_std²) (users, then items), biases at 0; the same
/// generator then draws the triples. Users without training rows are scored by item popularity.
/// Values are ignored: every row is a positive.
///
/// - Complexity: O(epochs × nnz × (factors + log(row length) × tries)) time, where tries ≈
///   items / (items − row length); O((users + items) × factors + nnz) memory.
/// - Determinism: bit-identical for a given seed, build and C math library (`exp`, `log1p`, and
///   `log`/`cos`/`sin` in the initial draws) on any machine: no BLAS, fixed summation order, one thread.
public struct BPRModel: Recommender {
    public static let name = "bpr"

    public struct Hyperparameters: Sendable, Hashable {
        public var factors: Int
        public var epochs: Int
        /// SGD step η.
        public var learningRate: Float
        /// λ on the factors.
        public var regularization: Float
        /// λ_b on the item biases.
        public var biasRegularization: Float
        public var initStandardDeviation: Float

        public init(
            factors: Int = 64, epochs: Int = 40, learningRate: Float = 0.05, regularization: Float = 0.02,
            biasRegularization: Float = 0.01, initStandardDeviation: Float = 0.1
        ) {
            self.factors = factors
            self.epochs = epochs
            self.learningRate = learningRate
            self.regularization = regularization
            self.biasRegularization = biasRegularization
            self.initStandardDeviation = initStandardDeviation
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// Epochs run by the last ``fit(_:progress:)`` (fewer than `epochs` after `.stop`).
    public private(set) var epochsCompleted = 0
    var userFactors = FactorMatrix(rows: 0, factors: 0)
    var itemFactors = FactorMatrix(rows: 0, factors: 0)
    var itemBias: [Float] = []
    var knownUsers: [Bool] = []
    var itemCounts: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Reports `loss` (mean −ln σ(x) over the epoch's triples, each before its update) and
    /// `train_auc` (the fraction of those triples with x > 0) after each epoch.
    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        try check(h, data)
        var generator = SeededGenerator(seed: seed)
        var users = FactorMatrix(
            rows: data.userCount, factors: h.factors, standardDeviation: h.initStandardDeviation, generator: &generator)
        var items = FactorMatrix(
            rows: data.itemCount, factors: h.factors, standardDeviation: h.initStandardDeviation, generator: &generator)
        var itemBias = [Float](repeating: 0, count: data.itemCount)
        let byUser = data.byUser
        let nnz = byUser.nonZeroCount
        var rowUser = [Int32](repeating: 0, count: nnz)
        for u in 0..<data.userCount {
            for k in byUser.rowRange(u) { rowUser[k] = Int32(u) }
        }
        let itemCount = data.itemCount
        let stride = users.stride
        let rate = h.learningRate
        let decay = SIMD8<Float>(repeating: 1 - h.learningRate * h.regularization)
        epochsCompleted = 0
        for epoch in Swift.stride(from: 1, through: h.epochs, by: 1) {
            var lossTotal = 0.0
            var correct = 0
            var samples = 0
            rowUser.withUnsafeBufferPointer { rowUser in
                byUser.rowStarts.withUnsafeBufferPointer { starts in
                    byUser.columns.withUnsafeBufferPointer { columns in
                        users.values.withUnsafeMutableBufferPointer { p in
                            items.values.withUnsafeMutableBufferPointer { q in
                                itemBias.withUnsafeMutableBufferPointer { b in
                                    for _ in 0..<nnz {
                                        let k = generator.next(below: nnz)
                                        let u = Int(rowUser[k])
                                        let i = Int(columns[k])
                                        let lower = starts[u], upper = starts[u + 1]
                                        guard upper - lower < itemCount else { continue }
                                        var j: Int
                                        repeat {
                                            j = generator.next(below: itemCount)
                                        } while Self.contains(columns.baseAddress!, lower, upper, Int32(j))
                                        let pu = p.baseAddress! + u * stride
                                        let qi = q.baseAddress! + i * stride
                                        let qj = q.baseAddress! + j * stride
                                        var difference = SIMD8<Float>.zero
                                        var f = 0
                                        while f < stride {
                                            difference +=
                                                VectorKernels.load(pu, f)
                                                * (VectorKernels.load(qi, f) - VectorKernels.load(qj, f))
                                            f += VectorKernels.lanes
                                        }
                                        let x = b[i] - b[j] + VectorKernels.sum(difference)
                                        // g = σ(−x) and −ln σ(x) from one e^(−|x|), stable for any x.
                                        let e = exp(-abs(x))
                                        let g = x >= 0 ? e / (1 + e) : 1 / (1 + e)
                                        lossTotal += Double((x >= 0 ? 0 : -x) + log1p(e))
                                        correct += x > 0 ? 1 : 0
                                        samples += 1
                                        b[i] += rate * (g - h.biasRegularization * b[i])
                                        b[j] += rate * (-g - h.biasRegularization * b[j])
                                        let step = SIMD8<Float>(repeating: rate * g)
                                        f = 0
                                        while f < stride {
                                            let oldP = VectorKernels.load(pu, f)
                                            let oldQi = VectorKernels.load(qi, f)
                                            let oldQj = VectorKernels.load(qj, f)
                                            VectorKernels.store(decay * oldP + step * (oldQi - oldQj), pu, f)
                                            VectorKernels.store(decay * oldQi + step * oldP, qi, f)
                                            VectorKernels.store(decay * oldQj - step * oldP, qj, f)
                                            f += VectorKernels.lanes
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let loss = lossTotal / Double(max(samples, 1))
            guard loss.isFinite else {
                throw ModelError(
                    model: Self.name, message: "diverged in epoch \(epoch): loss is not finite; lower lr (now \(rate))")
            }
            epochsCompleted = epoch
            var values = ["loss": loss, "train_auc": Double(correct) / Double(max(samples, 1))]
            if let validation = data.validation, validation.isDue(epoch: epoch, total: h.epochs) {
                values.merge(validation.factorRanking(data: data, users: users, items: items, itemBias: itemBias)) { $1 }
            }
            if progress(EpochProgress(epoch: epoch, totalEpochs: h.epochs, values: values)) == .stop { break }
        }
        for u in 0..<data.userCount where byUser.rowLength(u) == 0 { users.clear(row: u) }
        userFactors = users
        itemFactors = items
        self.itemBias = itemBias
        knownUsers = data.usersWithRows()
        itemCounts = data.itemRowCounts()
    }

    /// Whether `columns[lower..<upper]` (ascending) holds `item`.
    @inline(__always)
    static func contains(_ columns: UnsafePointer<Int32>, _ lower: Int, _ upper: Int, _ item: Int32) -> Bool {
        var lower = lower, upper = upper
        let end = upper
        while lower < upper {
            let middle = (lower + upper) / 2
            if columns[middle] < item { lower = middle + 1 } else { upper = middle }
        }
        return lower < end && columns[lower] == item
    }

    private func check(_ h: Hyperparameters, _ data: TrainingData) throws(ModelError) {
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard !data.interactions.isEmpty else { throw fail("no training rows") }
        guard data.itemCount >= 2 else { throw fail("needs at least 2 items to sample pairs, got \(data.itemCount)") }
        guard h.factors >= 1 else { throw fail("factors must be at least 1, got \(h.factors)") }
        guard h.epochs >= 0 else { throw fail("epochs must not be negative, got \(h.epochs)") }
        guard h.learningRate > 0, h.learningRate.isFinite else {
            throw fail("lr must be positive, got \(h.learningRate)")
        }
        guard h.regularization >= 0, h.biasRegularization >= 0 else {
            throw fail("reg and reg_bias must not be negative, got \(h.regularization), \(h.biasRegularization)")
        }
        guard h.initStandardDeviation >= 0 else {
            throw fail("init_std must not be negative, got \(h.initStandardDeviation)")
        }
    }

    /// b_i + p_u · q_i for every item; item popularity for a user without training rows.
    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        guard u >= 0 && u < knownUsers.count && knownUsers[u] else {
            for i in 0..<scores.count { scores[i] = i < itemCounts.count ? itemCounts[i] : 0 }
            return
        }
        let stride = itemFactors.stride
        userFactors.values.withUnsafeBufferPointer { ps in
            itemFactors.values.withUnsafeBufferPointer { qs in
                let pu = ps.baseAddress! + u * stride
                for i in 0..<min(scores.count, itemFactors.rows) {
                    scores[i] = itemBias[i] + VectorKernels.dot(pu, qs.baseAddress! + i * stride, count: stride)
                }
            }
        }
    }

    /// The trained user's scores at the candidates only: the values ``scoreAll(user:into:)`` gives
    /// them (0 for an index outside the catalog), in O(candidates × factors) instead of O(items ×
    /// factors) per impression. The history is not used (BPR has no fold-in).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let u = Int(user)
        let known = u >= 0 && u < knownUsers.count && knownUsers[u]
        let stride = itemFactors.stride
        userFactors.values.withUnsafeBufferPointer { ps in
            itemFactors.values.withUnsafeBufferPointer { qs in
                for (k, item) in candidates.enumerated() {
                    let i = Int(item)
                    guard i >= 0, i < itemCount else {
                        scores[k] = 0
                        continue
                    }
                    if !known {
                        scores[k] = i < itemCounts.count ? itemCounts[i] : 0
                    } else if i < itemFactors.rows {
                        scores[k] =
                            itemBias[i] + VectorKernels.dot(ps.baseAddress! + u * stride, qs.baseAddress! + i * stride, count: stride)
                    } else {
                        scores[k] = 0
                    }
                }
            }
        }
    }
}
