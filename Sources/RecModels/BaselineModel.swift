internal import RecData

/// Koren's baseline predictor: global mean plus regularised user and item biases, fitted by
/// alternating closed-form least squares exactly as Surprise's `BaselineOnly(method='als')`.
///
/// r̂(u,i) = μ + b_u + b_i, minimising Σ (r − μ − b_u − b_i)² + λ_u Σ b_u² + λ_i Σ b_i².
/// Each epoch first sets every item bias, then every user bias, to its exact minimiser given the
/// other side: b_i = Σ_(u∈U(i)) (r − μ − b_u) / (λ_i + |U(i)|), then
/// b_u = Σ_(i∈I(u)) (r − μ − b_i) / (λ_u + |I(u)|). Biases start at 0.
/// ``predictRating(user:item:)`` clamps to the training rating range; unknown users or items get
/// a zero bias. Needs explicit ratings.
/// - Complexity: O(epochs × nnz) time, O(users + items) memory.
/// - Determinism: exact (no randomness); the seed is not used.
public struct BaselineModel: Recommender {
    public static let name = "baseline"

    public struct Hyperparameters: Sendable, Hashable {
        /// λ_u (Surprise `reg_u`).
        public var userRegularization: Float
        /// λ_i (Surprise `reg_i`).
        public var itemRegularization: Float
        /// Alternating passes (Surprise `n_epochs`).
        public var epochs: Int

        public init(userRegularization: Float = 15, itemRegularization: Float = 10, epochs: Int = 10) {
            self.userRegularization = userRegularization
            self.itemRegularization = itemRegularization
            self.epochs = epochs
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public private(set) var globalMean: Float = 0
    public private(set) var ratingRange: ClosedRange<Float> = 0...0
    public private(set) var epochsCompleted = 0
    public private(set) var userBias: [Float] = []
    public private(set) var itemBias: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Reports `train_rmse` after each epoch, and `validation_rmse` with a validation holdout.
    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard data.isExplicit else { throw fail("needs explicit ratings; this data is implicit") }
        guard !data.interactions.isEmpty else { throw fail("no training ratings") }
        guard h.userRegularization >= 0, h.itemRegularization >= 0 else {
            throw fail(
                "reg_user and reg_item must not be negative, got \(h.userRegularization), \(h.itemRegularization)")
        }
        guard h.epochs >= 0 else { throw fail("epochs must not be negative, got \(h.epochs)") }
        var total = 0.0
        for value in data.interactions.values { total += Double(value) }
        let mean = Float(total / Double(data.interactions.count))
        var userBias = [Float](repeating: 0, count: data.userCount)
        var itemBias = [Float](repeating: 0, count: data.itemCount)
        epochsCompleted = 0
        for epoch in stride(from: 1, through: h.epochs, by: 1) {
            Self.solve(&itemBias, given: userBias, data.byItem, mean: mean, regularization: h.itemRegularization)
            Self.solve(&userBias, given: itemBias, data.byUser, mean: mean, regularization: h.userRegularization)
            var squaredError = 0.0
            let byUser = data.byUser
            for u in 0..<data.userCount {
                for k in byUser.rowRange(u) {
                    let error = Double(byUser.values[k] - (mean + userBias[u] + itemBias[Int(byUser.columns[k])]))
                    squaredError += error * error
                }
            }
            epochsCompleted = epoch
            let rmse = (squaredError / Double(data.interactions.count)).squareRoot()
            var values = ["train_rmse": rmse]
            if let validation = data.validation, validation.isDue(epoch: epoch, total: h.epochs) {
                // What `predictRating` would give had training stopped here.
                let range = data.valueRange()
                values["validation_rmse"] = validation.rmse { user, item in
                    min(max(mean + userBias[Int(user)] + itemBias[Int(item)], range.lowerBound), range.upperBound)
                }
            }
            if progress(EpochProgress(epoch: epoch, totalEpochs: h.epochs, values: values)) == .stop {
                break
            }
        }
        globalMean = mean
        ratingRange = data.valueRange()
        self.userBias = userBias
        self.itemBias = itemBias
    }

    /// For each row r of `matrix`: bias[r] = Σ (value − μ − other[column]) / (λ + row length).
    private static func solve(
        _ bias: inout [Float], given other: [Float], _ matrix: SparseMatrix, mean: Float, regularization: Float
    ) {
        let starts = matrix.rowStarts, columns = matrix.columns, values = matrix.values
        for row in 0..<matrix.rowCount {
            var deviation: Float = 0
            for k in starts[row]..<starts[row + 1] { deviation += values[k] - mean - other[Int(columns[k])] }
            let count = starts[row + 1] - starts[row]
            bias[row] = count == 0 ? 0 : deviation / (regularization + Float(count))
        }
    }

    /// μ + b_u + b_i (not clamped).
    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        let base = globalMean + (u >= 0 && u < userBias.count ? userBias[u] : 0)
        for i in 0..<scores.count { scores[i] = base + (i < itemBias.count ? itemBias[i] : 0) }
    }

    /// ``scoreAll(user:into:)``'s values at the candidates only (0 outside the catalog).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let u = Int(user)
        let base = globalMean + (u >= 0 && u < userBias.count ? userBias[u] : 0)
        for (k, item) in candidates.enumerated() {
            let i = Int(item)
            scores[k] = i >= 0 && i < itemCount ? base + (i < itemBias.count ? itemBias[i] : 0) : 0
        }
    }

    public func predictRating(user: Int32, item: Int32) -> Float? {
        let u = Int(user), i = Int(item)
        let prediction =
            globalMean + (u >= 0 && u < userBias.count ? userBias[u] : 0)
            + (i >= 0 && i < itemBias.count ? itemBias[i] : 0)
        return min(max(prediction, ratingRange.lowerBound), ratingRange.upperBound)
    }
}
