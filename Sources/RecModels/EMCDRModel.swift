internal import RecData
internal import RecNN

/// The embedding-and-mapping baseline of cross-domain recommendation (EMCDR: Man, Shen, Jin and
/// Cheng, "Cross-Domain Recommendation: An Embedding and Mapping Approach", IJCAI 2017).
///
/// 1. **Embedding**: the evaluated (target) domain and the source domain are factorised
///    separately by implicit ALS with the exact solve (``ALSModel`` with `solver cholesky`; the
///    same `factors`, `iterations`, `reg`, `alpha` and `init_std` for both): target user factors
///    x_u, target item factors y_i, source user factors s_u. Explicit ratings r enter as the
///    confidence 1 + α·r, as in ``UnifiedModel``.
/// 2. **Mapping**: f with f(s_u) ≈ x_u is learned on the n users with training rows in both
///    domains, minimising (1/n) Σ_u ‖f(s_u) − x_u‖² + μ ‖W‖² (μ = `mapping_reg`, W every weight
///    matrix, biases unpenalised):
///    - `linear`: f(s) = Wᵀs + b, by the closed form (ZᵀZ + nμD) [W; bᵀ] = Zᵀ X, Z = [S 1],
///      D = diag(1, …, 1, 0), solved by Cholesky (LAPACK `sposv`);
///    - `mlp`: f = Dense(k → hidden) → ReLU → Dense(hidden → k) (``RecNN/MLP``), trained by Adam
///      (``RecNN/AdamW`` with no decoupled decay: the μ term is in the gradient) for `epochs`
///      passes over the shared users in seeded mini-batches of `batch_size`.
/// 3. **Scoring** target item i for user u: x_u · y_i when u has training rows in the target
///    domain; f(s_u) · y_i when u has none there but has rows in the source domain (a cold-start
///    user: the case EMCDR is for); item popularity for a user neither domain knows.
///
/// The source is the first of ``TrainingData/otherDomains`` that shares at least one user with
/// the target's training rows (``sourceDomainName``). ``fitSummary`` reports `mapping_users` (n),
/// `mapping_train_r2` (1 − Σ‖f(s_u) − x_u‖² / Σ‖x_u − x̄‖² on those users: how much of the target
/// factors the map explains, not a test figure) and `users_from_other_domains` (cold users scored
/// through the map).
///
/// Progress reports one epoch per ALS iteration of the target (`target.loss`), then of the source
/// (`source.loss`), then per MLP epoch (`mapping.loss`). A stop ends the fit at once and leaves
/// the model as it was before the fit.
/// - Complexity: ALS as ``ALSModel`` (cholesky) on each domain; the linear map O(n × k² + k³),
///   the MLP O(epochs × n × k × hidden); scoring O(items × k) per user. Memory
///   O((users + items + source items) × k + nnz).
/// - Determinism: bit-identical for a given seed, build and machine type (LAPACK and OpenBLAS on
///   one thread; mini-batch order from the seed).
public struct EMCDRModel: Recommender {
    public static let name = "emcdr"

    /// The form of f.
    public enum Mapping: String, Sendable, Hashable, CaseIterable {
        /// f(s) = Wᵀs + b, ridge regression in closed form.
        case linear
        /// One hidden ReLU layer, trained by Adam.
        case mlp
    }

    public struct Hyperparameters: Sendable, Hashable {
        public var factors: Int
        public var iterations: Int
        /// λ of both factorisations.
        public var regularization: Float
        /// α in c = 1 + α·r.
        public var alpha: Float
        public var initStandardDeviation: Float
        public var mapping: Mapping
        /// μ, the mapping's L2 penalty on its weights.
        public var mappingRegularization: Float
        /// Hidden width of the `mlp` mapping.
        public var hidden: Int
        /// Passes of the `mlp` mapping over the shared users.
        public var epochs: Int
        /// Adam's learning rate for the `mlp` mapping.
        public var learningRate: Float
        /// Users per Adam step of the `mlp` mapping.
        public var batchSize: Int

        public init(
            factors: Int = 32, iterations: Int = 10, regularization: Float = 0.05, alpha: Float = 1,
            initStandardDeviation: Float = 0.01, mapping: Mapping = .linear, mappingRegularization: Float = 0.001,
            hidden: Int = 64, epochs: Int = 200, learningRate: Float = 0.003, batchSize: Int = 64
        ) {
            self.factors = factors
            self.iterations = iterations
            self.regularization = regularization
            self.alpha = alpha
            self.initStandardDeviation = initStandardDeviation
            self.mapping = mapping
            self.mappingRegularization = mappingRegularization
            self.hidden = hidden
            self.epochs = epochs
            self.learningRate = learningRate
            self.batchSize = batchSize
        }
    }

    /// What ``fitSummary`` holds.
    public static let fitSummaryNames = ["mapping_users", "mapping_train_r2", "users_from_other_domains"]

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public private(set) var fitSummary: [String: Double] = [:]
    /// The other domain the users were mapped from; nil before a fit.
    public private(set) var sourceDomainName: String?
    /// Per user: the target factors (warm), the mapped source factors (cold with source rows), or
    /// zeros (``knownUsers`` false: scored by popularity).
    var userFactors = FactorMatrix(rows: 0, factors: 0)
    var knownUsers: [Bool] = []
    var itemFactors = FactorMatrix(rows: 0, factors: 0)
    var popularity: [Float] = []
    /// The linear map, (k + 1) × k row-major: rows 0..<k are W, row k is b. Empty for `mlp`.
    var linearMap: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Offsets added to the seed for the source factorisation and the MLP.
    static let sourceSeedOffset: UInt64 = 0x5EED_0001
    static let mappingSeedOffset: UInt64 = 0x5EED_0002

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        try Self.check(h, data)
        let (sourceIndex, shared) = try Self.source(in: data)
        let source = data.otherDomains[sourceIndex]
        let sourceData = TrainingData(
            interactions: source.interactions, userCount: data.userCount, itemCount: source.itemCount,
            isExplicit: source.isExplicit)
        let als = ALSModel.Hyperparameters(
            factors: h.factors, iterations: h.iterations, regularization: h.regularization, alpha: h.alpha,
            initStandardDeviation: h.initStandardDeviation, solver: .cholesky)
        let totalEpochs = 2 * h.iterations + (h.mapping == .mlp ? h.epochs : 0)
        var stopped = false
        func report(_ epoch: Int, _ values: [String: Double]) -> TrainingDecision {
            let decision = progress(EpochProgress(epoch: epoch, totalEpochs: totalEpochs, values: values))
            if decision == .stop { stopped = true }
            return decision
        }

        var target = ALSModel(hyperparameters: als, seed: seed)
        var sourceModel = ALSModel(hyperparameters: als, seed: seed &+ Self.sourceSeedOffset)
        do {
            // The target factorisation's validation figures (a sweep's holdout) pass through: held-out
            // rows belong to warm users, whom the final model scores with exactly these factors.
            try target.fit(data) { epoch in
                var values = epoch.values.filter { $0.key.hasPrefix("validation_") }
                values["target.loss"] = epoch.values["loss"] ?? .nan
                return report(epoch.epoch, values)
            }
            if stopped { return }
            try sourceModel.fit(sourceData) {
                report(h.iterations + $0.epoch, ["source.loss": $0.values["loss"] ?? .nan])
            }
            if stopped { return }
        } catch {
            throw ModelError(model: Self.name, message: "factorising the domains: \(error.message)")
        }

        // The mapping's training pairs: (s_u, x_u) of the shared users, in user order.
        let k = h.factors, stride = target.userFactors.stride
        var inputs = [Float](), outputs = [Float]()
        inputs.reserveCapacity(shared.count * k)
        outputs.reserveCapacity(shared.count * k)
        for user in shared {
            inputs.append(contentsOf: sourceModel.userFactors.values[(user * stride)..<(user * stride + k)])
            outputs.append(contentsOf: target.userFactors.values[(user * stride)..<(user * stride + k)])
        }
        let sources = Matrix(rows: shared.count, columns: k, values: inputs)
        let targets = Matrix(rows: shared.count, columns: k, values: outputs)
        let mapUsers: (Matrix) -> Matrix
        var linear: [Float] = []
        switch h.mapping {
        case .linear:
            linear = try Self.ridge(sources, targets, penalty: h.mappingRegularization)
            let weights = linear
            mapUsers = { Self.applyLinear(weights, to: $0) }
        case .mlp:
            guard
                let network = Self.trainMLP(
                    sources, targets, h, seed: seed &+ Self.mappingSeedOffset,
                    progress: { report(2 * h.iterations + $0, ["mapping.loss": $1]) })
            else { return }
            mapUsers = { network.apply($0) }
        }

        // Cold users with source rows: their mapped factors.
        let sourceKnown = sourceData.usersWithRows()
        let targetKnown = data.usersWithRows()
        let cold = (0..<data.userCount).filter { sourceKnown[$0] && !targetKnown[$0] }
        var users = target.userFactors
        if !cold.isEmpty {
            var coldInputs = [Float]()
            coldInputs.reserveCapacity(cold.count * k)
            for user in cold {
                coldInputs.append(contentsOf: sourceModel.userFactors.values[(user * stride)..<(user * stride + k)])
            }
            let mapped = mapUsers(Matrix(rows: cold.count, columns: k, values: coldInputs))
            for (row, user) in cold.enumerated() {
                for a in 0..<k { users.values[user * stride + a] = mapped.values[row * k + a] }
            }
        }
        let fitted = mapUsers(sources)
        var known = targetKnown
        for user in cold { known[user] = true }

        userFactors = users
        knownUsers = known
        itemFactors = target.itemFactors
        popularity = data.itemRowCounts()
        linearMap = linear
        sourceDomainName = source.name
        fitSummary = [
            "mapping_users": Double(shared.count),
            "mapping_train_r2": Self.explainedVariance(fitted, targets),
            "users_from_other_domains": Double(cold.count),
        ]
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        UnifiedModel.score(
            user: user, users: userFactors, known: knownUsers, items: itemFactors, popularity: popularity, into: scores)
    }

    private static func check(_ h: Hyperparameters, _ data: TrainingData) throws(ModelError) {
        func fail(_ message: String) -> ModelError { ModelError(model: name, message: message) }
        guard h.factors >= 1 else { throw fail("factors must be at least 1, got \(h.factors)") }
        guard h.iterations >= 0 else { throw fail("iterations must not be negative, got \(h.iterations)") }
        guard h.regularization > 0, h.regularization.isFinite else {
            throw fail("reg must be positive (the exact solve needs it), got \(h.regularization)")
        }
        guard h.alpha >= 0, h.alpha.isFinite else { throw fail("alpha must not be negative, got \(h.alpha)") }
        guard h.initStandardDeviation >= 0 else {
            throw fail("init_std must not be negative, got \(h.initStandardDeviation)")
        }
        guard h.mappingRegularization >= 0, h.mappingRegularization.isFinite else {
            throw fail("mapping_reg must not be negative, got \(h.mappingRegularization)")
        }
        guard h.hidden >= 1 else { throw fail("hidden must be at least 1, got \(h.hidden)") }
        guard h.epochs >= 0 else { throw fail("epochs must not be negative, got \(h.epochs)") }
        guard h.learningRate > 0, h.learningRate.isFinite else {
            throw fail("lr must be positive, got \(h.learningRate)")
        }
        guard h.batchSize >= 1 else { throw fail("batch_size must be at least 1, got \(h.batchSize)") }
        guard !data.interactions.isEmpty else { throw fail("no training rows") }
        guard data.interactions.values.allSatisfy({ $0 >= 0 }) else {
            throw fail("confidence 1 + alpha·r needs non-negative values r")
        }
    }

    /// The source domain (the first other domain sharing a user with the target's training rows)
    /// and the shared users, ascending.
    static func source(in data: TrainingData) throws(ModelError) -> (index: Int, shared: [Int]) {
        guard !data.otherDomains.isEmpty else {
            throw ModelError(
                model: name,
                message:
                    "needs another domain to map users from, and the data set has only the evaluated one; use linked "
                    + "data (--synthetic, a linked folder) or --domain-split")
        }
        let targetKnown = data.usersWithRows()
        for (index, domain) in data.otherDomains.enumerated() {
            guard domain.interactions.users.allSatisfy({ $0 >= 0 && Int($0) < data.userCount }),
                domain.interactions.items.allSatisfy({ $0 >= 0 && Int($0) < domain.itemCount })
            else {
                throw ModelError(
                    model: name,
                    message:
                        "domain '\(domain.name)' has users outside the evaluated domain's \(data.userCount) or items outside its own \(domain.itemCount)"
                )
            }
            guard domain.interactions.values.allSatisfy({ $0 >= 0 }) else {
                throw ModelError(
                    model: name, message: "domain '\(domain.name)': confidence 1 + alpha·r needs non-negative values r")
            }
            var inSource = [Bool](repeating: false, count: data.userCount)
            for user in domain.interactions.users { inSource[Int(user)] = true }
            let shared = (0..<data.userCount).filter { inSource[$0] && targetKnown[$0] }
            if !shared.isEmpty { return (index, shared) }
        }
        let names = data.otherDomains.map { "'\($0.name)'" }.joined(separator: ", ")
        throw ModelError(
            model: name,
            message:
                "no user has training rows both in the evaluated domain and in \(names), so there is no pair to learn the mapping from; link the users first"
        )
    }

    /// The ridge solution [W; bᵀ], (k_in + 1) × k_out row-major (see the type's documentation).
    static func ridge(_ sources: Matrix, _ targets: Matrix, penalty: Float) throws(ModelError) -> [Float] {
        let n = sources.rows, input = sources.columns, output = targets.columns, order = input + 1
        // Normal equations in Double (ZᵀZ sums n products), solved in Float by LAPACK.
        var gram = [Double](repeating: 0, count: order * order)
        var right = [Double](repeating: 0, count: order * output)
        var z = [Double](repeating: 1, count: order)
        for row in 0..<n {
            for a in 0..<input { z[a] = Double(sources.values[row * input + a]) }
            for a in 0..<order {
                for b in a..<order { gram[a * order + b] += z[a] * z[b] }
                for c in 0..<output { right[a * output + c] += z[a] * Double(targets.values[row * output + c]) }
            }
        }
        for a in 0..<input { gram[a * order + a] += Double(n) * Double(penalty) }
        var matrix = gram.map(Float.init)
        var solution = right.map(Float.init)
        let info = matrix.withUnsafeMutableBufferPointer { m in
            solution.withUnsafeMutableBufferPointer { x in
                LinearAlgebra.solvePositiveDefinite(
                    m.baseAddress!, order: order, rightHandSides: x.baseAddress!, columns: output)
            }
        }
        guard info == 0 else {
            throw ModelError(
                model: name,
                message:
                    "the linear mapping's normal equations are singular (\(n) shared users for \(input) factors); raise mapping_reg (now \(penalty))"
            )
        }
        return solution
    }

    /// Rows of `inputs` mapped by the linear map `weights` ((k_in + 1) × k_out, bias last).
    static func applyLinear(_ weights: [Float], to inputs: Matrix) -> Matrix {
        let input = inputs.columns, output = weights.count / (input + 1)
        var result = Matrix(zeros: inputs.rows, columns: output)
        for row in 0..<inputs.rows {
            for c in 0..<output {
                var sum = weights[input * output + c]
                for a in 0..<input { sum += inputs.values[row * input + a] * weights[a * output + c] }
                result.values[row * output + c] = sum
            }
        }
        return result
    }

    /// The `mlp` mapping trained on (sources, targets); nil when progress said stop.
    static func trainMLP(
        _ sources: Matrix, _ targets: Matrix, _ h: Hyperparameters, seed: UInt64,
        progress: (_ epoch: Int, _ loss: Double) -> TrainingDecision
    ) -> MLP? {
        LinearAlgebra.useOneThread()
        let n = sources.rows, k = sources.columns
        var rng = NNRandom(seed: seed)
        var network = MLP(widths: [k, h.hidden, targets.columns], activation: .relu, rng: &rng)
        let optimizer = AdamW(learningRate: h.learningRate, weightDecay: 0)
        let mu = h.mappingRegularization
        var order = Array(0..<n)
        for epoch in Swift.stride(from: 1, through: h.epochs, by: 1) {
            rng.shuffle(&order)
            var total = 0.0
            var start = 0
            while start < n {
                let batch = order[start..<min(n, start + h.batchSize)]
                var x = [Float](), t = [Float]()
                x.reserveCapacity(batch.count * k)
                t.reserveCapacity(batch.count * targets.columns)
                for row in batch {
                    x.append(contentsOf: sources.row(row))
                    t.append(contentsOf: targets.row(row))
                }
                let prediction = network.forward(Matrix(rows: batch.count, columns: k, values: x), training: true)
                // (1/B) Σ_b ‖f(s_b) − x_b‖²: MeanSquaredError averages over B · k_out entries.
                let (loss, gradient) = MeanSquaredError().loss(predictions: prediction.values, targets: t)
                let scale = Float(targets.columns)
                total += Double(loss * scale) * Double(batch.count)
                _ = network.backward(
                    Matrix(rows: batch.count, columns: targets.columns, values: gradient.map { $0 * scale }))
                if mu > 0 {
                    network.visitParameters { parameter in
                        guard parameter.decays else { return }
                        for index in parameter.value.indices {
                            parameter.gradient[index] += 2 * mu * parameter.value[index]
                        }
                    }
                }
                optimizer.step(&network)
                start += h.batchSize
            }
            if progress(epoch, total / Double(max(n, 1))) == .stop { return nil }
        }
        return network
    }

    /// 1 − Σ‖fitted − targets‖² / Σ‖targets − column means‖² (NaN when the targets do not vary).
    static func explainedVariance(_ fitted: Matrix, _ targets: Matrix) -> Double {
        let n = targets.rows, k = targets.columns
        guard n > 0 else { return .nan }
        var means = [Double](repeating: 0, count: k)
        for row in 0..<n { for c in 0..<k { means[c] += Double(targets.values[row * k + c]) / Double(n) } }
        var residual = 0.0, spread = 0.0
        for row in 0..<n {
            for c in 0..<k {
                let value = Double(targets.values[row * k + c])
                residual += (Double(fitted.values[row * k + c]) - value) * (Double(fitted.values[row * k + c]) - value)
                spread += (value - means[c]) * (value - means[c])
            }
        }
        return spread > 0 ? 1 - residual / spread : .nan
    }
}
