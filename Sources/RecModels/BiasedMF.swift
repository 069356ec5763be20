public import RecData

/// Biased matrix factorization of explicit ratings trained by SGD: the Funk/Koren model that
/// Surprise calls `SVD`.
///
/// r̂(u,i) = μ + b_u + b_i + p_u · q_i, minimising
/// Σ_(u,i,r) (r − r̂)² + λ(‖p_u‖² + ‖q_i‖²) + λ_b(b_u² + b_i²).
/// μ is the training mean; biases start at 0, factors at N(0, init_std²) (users, then items).
/// Each epoch visits every training row once, in the order ``Order`` names (`order`): a fresh
/// seeded shuffle per epoch (`shuffled`, the default), or the same by-user order every epoch
/// (`fixed`, Surprise's: see ``fixedVisitingOrder(of:)``). For each row, with
/// e = r − r̂ computed before the update:
///   b_u += η_b(e − λ_b b_u),  b_i += η_b(e − λ_b b_i),
///   p_u ← (1 − ηλ) p_u + ηe q_i,  q_i ← (1 − ηλ) q_i + ηe p_u  (both from the old values),
/// which is Surprise's update written with the decay factored out. With `lr_decay` < 1 both steps
/// shrink by that factor after each epoch (Koren's schedule); the default 1 is Surprise's.
/// Users and items without training rows keep zero factors and biases, so they are scored by
/// μ + b_i (or μ + b_u). ``predictRating(user:item:)`` clamps to the training rating range.
///
/// The loop reads the next row's p · q during the current row's update whenever the two rows
/// share neither a user nor an item, which gives exactly the values of the plain sequential loop.
///
/// - Complexity: O(epochs × nnz × factors) time, O((users + items) × factors + nnz) memory
///   (measured fit times, against Surprise's: docs/benchmarks.md). `order` does not change the
///   bound: `shuffled` pays one O(nnz) shuffle per epoch, `fixed` one O(nnz + users) grouping
///   before the first epoch.
///   ``fit(_:validation:progress:)`` adds O(validation rows × factors) per epoch.
/// - Determinism: bit-identical for a given seed, build and C math library (`log`/`cos`/`sin` in
///   the initial draws) on any machine: no BLAS, fixed summation order, one thread.
public struct BiasedMF: Recommender {
    public static let name = "mf"

    /// The order in which each epoch visits the training rows.
    ///
    /// Measured by `crossrec-bench models` (`orderValidation`) at Surprise's defaults on 90% of
    /// each ML-100K u*.base, seeds 0–4: `fixed` fits faster than `shuffled` (no
    /// shuffle, and consecutive rows share a user's factors), but its mean validation RMSE is
    /// higher, 0.94593 against 0.94585 (paired t-test over seeds: p = 0.04), so `shuffled` stays
    /// the default.
    public enum Order: String, Sendable, Hashable, CaseIterable {
        /// A fresh shuffle every epoch, drawn from the seeded generator after the initial factors.
        case shuffled
        /// Every epoch the same order, ``BiasedMF/fixedVisitingOrder(of:)``: Surprise's
        /// `trainset.all_ratings()`. The seed then only sets the initial factors.
        case fixed
    }

    public struct Hyperparameters: Sendable, Hashable {
        /// Latent dimensions (Surprise `n_factors`).
        public var factors: Int
        /// Passes over the training rows (`n_epochs`).
        public var epochs: Int
        /// SGD step η for the factors (`lr_all`).
        public var learningRate: Float
        /// L2 weight λ on the factors (`reg_all`).
        public var regularization: Float
        /// Standard deviation of the initial factors (`init_std_dev`).
        public var initStandardDeviation: Float
        /// Step η_b for the biases; nil means ``learningRate``.
        public var biasLearningRate: Float?
        /// L2 weight λ_b on the biases; nil means ``regularization``.
        public var biasRegularization: Float?
        /// Both steps are multiplied by this after every epoch (Koren 2008 uses 0.9); 1 keeps them fixed.
        public var learningRateDecay: Float
        /// How each epoch orders the training rows (`order`).
        public var order: Order

        public init(
            factors: Int = 100, epochs: Int = 20, learningRate: Float = 0.005, regularization: Float = 0.02,
            initStandardDeviation: Float = 0.1, biasLearningRate: Float? = nil, biasRegularization: Float? = nil,
            learningRateDecay: Float = 1, order: Order = .shuffled
        ) {
            self.factors = factors
            self.epochs = epochs
            self.learningRate = learningRate
            self.regularization = regularization
            self.initStandardDeviation = initStandardDeviation
            self.biasLearningRate = biasLearningRate
            self.biasRegularization = biasRegularization
            self.learningRateDecay = learningRateDecay
            self.order = order
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// μ, the mean training rating.
    public private(set) var globalMean: Float = 0
    /// The smallest and largest training rating: ``predictRating(user:item:)`` clamps to it.
    public private(set) var ratingRange: ClosedRange<Float> = 0...0
    /// Epochs run by the last ``fit(_:progress:)`` (fewer than `epochs` after `.stop`).
    public private(set) var epochsCompleted = 0
    var userBias: [Float] = []
    var itemBias: [Float] = []
    var userFactors = FactorMatrix(rows: 0, factors: 0)
    var itemFactors = FactorMatrix(rows: 0, factors: 0)

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Reports `train_rmse` (over the epoch's rows, each error taken before its update) after each epoch.
    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        try fit(data, validation: data.validation?.rows, progress: progress)
    }

    /// ``fit(_:progress:)`` that also reports `validation_rmse` after each epoch: the RMSE over
    /// `validation` (rows held out of `data`, never test rows) of exactly what
    /// ``predictRating(user:item:)`` would return had training stopped after that epoch. The
    /// training itself is the same, so a curve over epochs 1…E equals fits of 1…E epochs.
    public mutating func fit(
        _ data: TrainingData, validation: Interactions?, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) {
        let h = hyperparameters
        try check(h, data)
        let nnz = data.interactions.count
        var generator = SeededGenerator(seed: seed)
        var users = FactorMatrix(
            rows: data.userCount, factors: h.factors, standardDeviation: h.initStandardDeviation, generator: &generator)
        var items = FactorMatrix(
            rows: data.itemCount, factors: h.factors, standardDeviation: h.initStandardDeviation, generator: &generator)
        var userBias = [Float](repeating: 0, count: data.userCount)
        var itemBias = [Float](repeating: 0, count: data.itemCount)
        var total = 0.0
        for value in data.interactions.values { total += Double(value) }
        let mean = Float(total / Double(nnz))
        // The rows in one array, in visiting order: shuffled in place each epoch (gathering through
        // a shuffled index costs a cache miss per row per column), or grouped by user once.
        var rows = [RatingRow](repeating: RatingRow(user: 0, item: 0, rating: 0), count: nnz)
        let source: [Int] = h.order == .fixed ? Self.fixedVisitingOrder(of: data.interactions) : Array(0..<nnz)
        for (k, row) in source.enumerated() {
            rows[k] = RatingRow(
                user: data.interactions.users[row], item: data.interactions.items[row],
                rating: data.interactions.values[row])
        }
        let ratingRange = data.valueRange()

        let stride = users.stride
        var rate = h.learningRate
        var biasRate = h.biasLearningRate ?? h.learningRate
        let biasRegularization = h.biasRegularization ?? h.regularization
        epochsCompleted = 0
        for epoch in Swift.stride(from: 1, through: h.epochs, by: 1) {
            var squaredError = 0.0
            rows.withUnsafeMutableBufferPointer { rows in
                users.values.withUnsafeMutableBufferPointer { p in
                    items.values.withUnsafeMutableBufferPointer { q in
                        userBias.withUnsafeMutableBufferPointer { bu in
                            itemBias.withUnsafeMutableBufferPointer { bi in
                                if h.order == .shuffled { generator.shuffle(rows) }
                                let keep = SIMD8<Float>(repeating: 1 - rate * h.regularization)
                                guard let first = rows.first else { return }
                                var dot = Self.rowDot(
                                    p.baseAddress! + Int(first.user) * stride,
                                    q.baseAddress! + Int(first.item) * stride,
                                    count: stride)
                                for k in 0..<rows.count {
                                    let row = rows[k]
                                    let u = Int(row.user), i = Int(row.item)
                                    let pu = p.baseAddress! + u &* stride
                                    let qi = q.baseAddress! + i &* stride
                                    let error = row.rating - (mean + bu[u] + bi[i] + dot)
                                    squaredError += Double(error * error)
                                    bu[u] += biasRate * (error - biasRegularization * bu[u])
                                    bi[i] += biasRate * (error - biasRegularization * bi[i])
                                    let step = SIMD8<Float>(repeating: rate * error)
                                    guard k + 1 < rows.count else {
                                        Self.update(pu, qi, keep: keep, step: step, count: stride)
                                        break
                                    }
                                    // The next row's dot product, read during this update when it
                                    // shares neither factor row (same values as reading it after).
                                    let next = rows[k + 1]
                                    let nextP = p.baseAddress! + Int(next.user) &* stride
                                    let nextQ = q.baseAddress! + Int(next.item) &* stride
                                    if Int(next.user) != u && Int(next.item) != i {
                                        dot = Self.update(
                                            pu, qi, keep: keep, step: step, count: stride, dotOf: nextP, nextQ)
                                    } else {
                                        Self.update(pu, qi, keep: keep, step: step, count: stride)
                                        dot = Self.rowDot(nextP, nextQ, count: stride)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let rmse = (squaredError / Double(nnz)).squareRoot()
            guard rmse.isFinite else {
                throw ModelError(
                    model: Self.name,
                    message: "diverged in epoch \(epoch): training RMSE is not finite; lower lr (now \(h.learningRate))"
                )
            }
            epochsCompleted = epoch
            rate *= h.learningRateDecay
            biasRate *= h.learningRateDecay
            var values = ["train_rmse": rmse]
            if let validation, data.validation?.isDue(epoch: epoch, total: h.epochs) ?? true {
                values["validation_rmse"] = Self.validationRMSE(
                    validation, data: data, mean: mean, range: ratingRange, userBias: userBias, itemBias: itemBias,
                    users: users, items: items)
            }
            let decision = progress(EpochProgress(epoch: epoch, totalEpochs: h.epochs, values: values))
            if decision == .stop { break }
        }
        // Rows with no training data keep their random start otherwise: zero them so such users
        // and items are scored by their (zero) bias alone.
        for u in 0..<data.userCount where data.byUser.rowLength(u) == 0 { users.clear(row: u) }
        for i in 0..<data.itemCount where data.byItem.rowLength(i) == 0 { items.clear(row: i) }
        globalMean = mean
        self.ratingRange = ratingRange
        self.userBias = userBias
        self.itemBias = itemBias
        userFactors = users
        itemFactors = items
    }

    /// The training rows (indices into `interactions`) in the order `order: fixed` visits them in
    /// every epoch: grouped by user, the users in the order of their first row, each user's rows
    /// in their original order. This is Surprise's `trainset.all_ratings()`: its inner user ids
    /// follow first appearance in the file and each user's list keeps file order. The MovieLens
    /// loaders keep file order, and every official 100K `u*.base` is sorted by user id and then
    /// item id, so on those folds (and on `Splitting` holdouts of them, which keep order) the fixed
    /// order is file order: users by ascending id, each user's items by ascending id.
    /// - Complexity: O(nnz + largest user index) time and memory (a stable counting sort).
    public static func fixedVisitingOrder(of interactions: Interactions) -> [Int] {
        let users = interactions.users
        guard let largest = users.max() else { return [] }
        // Each user's rank by first appearance, and the row count per rank.
        var rank = [Int](repeating: -1, count: Int(largest) + 1)
        var counts: [Int] = []
        for user in users {
            let u = Int(user)
            if rank[u] < 0 {
                rank[u] = counts.count
                counts.append(0)
            }
            counts[rank[u]] += 1
        }
        var next = [Int](repeating: 0, count: counts.count)
        var offset = 0
        for r in counts.indices {
            next[r] = offset
            offset += counts[r]
        }
        var order = [Int](repeating: 0, count: users.count)
        for (row, user) in users.enumerated() {
            let r = rank[Int(user)]
            order[next[r]] = row
            next[r] += 1
        }
        return order
    }

    /// RMSE over `validation` of the clamped prediction ``predictRating(user:item:)`` makes once
    /// `fit` ends (users and items without training rows get zero factors then), summed in
    /// `Double` in row order.
    static func validationRMSE(
        _ validation: Interactions, data: TrainingData, mean: Float, range: ClosedRange<Float>, userBias: [Float],
        itemBias: [Float], users: FactorMatrix, items: FactorMatrix
    ) -> Double {
        guard !validation.isEmpty else { return .nan }
        let stride = users.stride
        var sum = 0.0
        users.values.withUnsafeBufferPointer { p in
            items.values.withUnsafeBufferPointer { q in
                for k in 0..<validation.count {
                    let u = Int(validation.users[k]), i = Int(validation.items[k])
                    let knownUser = u >= 0 && u < userBias.count, knownItem = i >= 0 && i < itemBias.count
                    var prediction = mean + (knownUser ? userBias[u] : 0) + (knownItem ? itemBias[i] : 0)
                    if knownUser && knownItem && data.byUser.rowLength(u) > 0 && data.byItem.rowLength(i) > 0 {
                        prediction += VectorKernels.dot(
                            p.baseAddress! + u * stride, q.baseAddress! + i * stride, count: stride)
                    }
                    prediction = min(max(prediction, range.lowerBound), range.upperBound)
                    let error = Double(prediction) - Double(validation.values[k])
                    sum += error * error
                }
            }
        }
        return (sum / Double(validation.count)).squareRoot()
    }

    /// p ← keep·p + step·q and q ← keep·q + step·p (both from the old values).
    @inline(__always)
    static func update(
        _ p: UnsafeMutablePointer<Float>, _ q: UnsafeMutablePointer<Float>, keep: SIMD8<Float>, step: SIMD8<Float>,
        count: Int
    ) {
        var f = 0
        while f < count {
            let oldP = VectorKernels.load(p, f), oldQ = VectorKernels.load(q, f)
            VectorKernels.store(keep * oldP + step * oldQ, p, f)
            VectorKernels.store(keep * oldQ + step * oldP, q, f)
            f += VectorKernels.lanes
        }
    }

    /// The same update, returning a · b (which must not overlap p or q) summed exactly as
    /// ``rowDot(_:_:count:)`` sums it.
    @inline(__always)
    static func update(
        _ p: UnsafeMutablePointer<Float>, _ q: UnsafeMutablePointer<Float>, keep: SIMD8<Float>, step: SIMD8<Float>,
        count: Int,
        dotOf a: UnsafePointer<Float>, _ b: UnsafePointer<Float>
    ) -> Float {
        var sum = SIMD8<Float>.zero
        var f = 0
        while f < count {
            let oldP = VectorKernels.load(p, f), oldQ = VectorKernels.load(q, f)
            sum += VectorKernels.load(a, f) * VectorKernels.load(b, f)
            VectorKernels.store(keep * oldP + step * oldQ, p, f)
            VectorKernels.store(keep * oldQ + step * oldP, q, f)
            f += VectorKernels.lanes
        }
        return VectorKernels.sum(sum)
    }

    /// p · q with one running 8-lane sum (the order the fused update uses; the SGD loop is bound
    /// by registers, not by this chain).
    @inline(__always)
    static func rowDot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, count: Int) -> Float {
        var sum = SIMD8<Float>.zero
        var f = 0
        while f < count {
            sum += VectorKernels.load(p, f) * VectorKernels.load(q, f)
            f += VectorKernels.lanes
        }
        return VectorKernels.sum(sum)
    }

    private func check(_ h: Hyperparameters, _ data: TrainingData) throws(ModelError) {
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard data.isExplicit else {
            throw fail("needs explicit ratings; this data is implicit (use als or bpr for implicit feedback)")
        }
        guard !data.interactions.isEmpty else { throw fail("no training ratings") }
        guard h.factors >= 1 else { throw fail("factors must be at least 1, got \(h.factors)") }
        guard h.epochs >= 0 else { throw fail("epochs must not be negative, got \(h.epochs)") }
        guard h.learningRate > 0, h.learningRate.isFinite else {
            throw fail("lr must be positive, got \(h.learningRate)")
        }
        guard h.regularization >= 0, h.regularization.isFinite else {
            throw fail("reg must not be negative, got \(h.regularization)")
        }
        guard h.initStandardDeviation >= 0 else {
            throw fail("init_std must not be negative, got \(h.initStandardDeviation)")
        }
        if let rate = h.biasLearningRate, !(rate > 0) { throw fail("lr_bias must be positive, got \(rate)") }
        if let reg = h.biasRegularization, !(reg >= 0) { throw fail("reg_bias must not be negative, got \(reg)") }
        guard h.learningRateDecay > 0, h.learningRateDecay <= 1 else {
            throw fail("lr_decay must be in (0, 1], got \(h.learningRateDecay)")
        }
    }

    /// μ + b_u + b_i + p_u · q_i for every item (not clamped); μ + b_i for an unknown user.
    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        let known = u >= 0 && u < userBias.count
        let base = globalMean + (known ? userBias[u] : 0)
        let stride = itemFactors.stride
        userFactors.values.withUnsafeBufferPointer { p in
            itemFactors.values.withUnsafeBufferPointer { q in
                itemBias.withUnsafeBufferPointer { bi in
                    for i in 0..<min(scores.count, bi.count) {
                        let dot =
                            known
                            ? VectorKernels.dot(p.baseAddress! + u * stride, q.baseAddress! + i * stride, count: stride)
                            : 0
                        scores[i] = base + bi[i] + dot
                    }
                }
            }
        }
    }

    /// ``scoreAll(user:into:)``'s values at the candidates only (0 outside the catalog), in
    /// O(candidates × factors) per impression. The history is not used (MF has no fold-in).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let u = Int(user)
        let known = u >= 0 && u < userBias.count
        let base = globalMean + (known ? userBias[u] : 0)
        let stride = itemFactors.stride
        userFactors.values.withUnsafeBufferPointer { p in
            itemFactors.values.withUnsafeBufferPointer { q in
                for (k, item) in candidates.enumerated() {
                    let i = Int(item)
                    guard i >= 0, i < itemCount, i < itemBias.count else {
                        scores[k] = 0
                        continue
                    }
                    let dot =
                        known ? VectorKernels.dot(p.baseAddress! + u * stride, q.baseAddress! + i * stride, count: stride) : 0
                    scores[k] = base + itemBias[i] + dot
                }
            }
        }
    }

    /// r̂(u,i) clamped to the training rating range; unknown users or items contribute no bias or factors.
    public func predictRating(user: Int32, item: Int32) -> Float? {
        let u = Int(user), i = Int(item)
        let knownUser = u >= 0 && u < userBias.count
        let knownItem = i >= 0 && i < itemBias.count
        var prediction = globalMean + (knownUser ? userBias[u] : 0) + (knownItem ? itemBias[i] : 0)
        if knownUser && knownItem {
            let stride = itemFactors.stride
            prediction += userFactors.values.withUnsafeBufferPointer { p in
                itemFactors.values.withUnsafeBufferPointer { q in
                    VectorKernels.dot(p.baseAddress! + u * stride, q.baseAddress! + i * stride, count: stride)
                }
            }
        }
        return min(max(prediction, ratingRange.lowerBound), ratingRange.upperBound)
    }
}

/// One training rating, packed for the SGD loop.
private struct RatingRow {
    var user: Int32
    var item: Int32
    var rating: Float
}
