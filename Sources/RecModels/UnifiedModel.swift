internal import RecData

/// One user vector for every domain: collective implicit matrix factorization (Singh and Gordon,
/// "Relational Learning via Collective Matrix Factorization", 2008, with Hu, Koren and Volinsky's
/// implicit-feedback loss per domain).
///
/// The evaluated domain (items Y) and each other domain d of the data set (items Y_d,
/// ``TrainingData/otherDomains``) share the user factors X. With preferences p = 1 on observed
/// cells and 0 elsewhere, confidence c = 1 + α·r on observed cells and 1 elsewhere, it minimises
///   L(X, Y) + w · Σ_d L(X, Y_d) + λ(‖X‖² + ‖Y‖² + Σ_d ‖Y_d‖²),
///   L(X, Y) = Σ_(u,i) c_ui (p_ui − x_u · y_i)²   (all cells),
/// w = `other_weight`, by alternating exact solves (LAPACK `sposv` per row):
///   x_u = (YᵀY + w Σ_d Y_dᵀY_d + Σ_obs w_i (c_ui − 1) y_i y_iᵀ + λI)⁻¹ Σ_obs w_i c_ui y_i,
///   y_i = (w_i (XᵀX + Σ_obs (c_ui − 1) x_u x_uᵀ) + λI)⁻¹ w_i Σ_obs c_ui x_u,
/// where w_i is 1 for evaluated items and w for the others. A user with rows only in another
/// domain gets a vector from those rows, so the model ranks the evaluated domain's items for a
/// user it has never seen there (a cold-start user); a user with no rows anywhere is scored by
/// popularity. With `other_weight` 0 the other domains are left out and the model is implicit ALS
/// on the evaluated domain alone (the exact solve of ``ALSModel`` with `solver cholesky`).
///
/// `other_weight: auto` chooses w among ``otherWeightGrid`` on a holdout of the evaluated domain's
/// training rows, preferring the smallest (``chooseOtherWeight(_:progress:)``), then refits with it.
///
/// Factors start at N(0, init_std²): users, evaluated items, then each other domain's items.
/// Each half-step's rows (users, then each domain's items) are solved on `threads` threads; a
/// row's system is built and solved on its own, so results are the same for any thread count.
/// ``fitSummary`` reports `users_from_other_domains`: users with no training row in the evaluated
/// domain whose vector came from another domain, and with `auto` the `chosen_other_weight`.
/// - Complexity: per iteration O((nnz + nnz_other) × factors² + (users + items + items_other) ×
///   factors³) time, divided among the threads but for the Gram matrices
///   (O((users + items + items_other) × factors²), one thread); `auto` adds four fits on 80% of the
///   rows. O((users + items + items_other) × factors + nnz + nnz_other + threads × factors²) memory.
///   Sport with phone as the other domain (4 998 users, 34 500 items, 93 000 rows), 128 factors,
///   10 iterations: 28.4 s on 1 thread, 14.3–14.9 s on 2 (docs/model-costs.md).
/// - Determinism: bit-identical for a given seed, build and machine type, for any `threads` (LAPACK
///   on one OpenBLAS thread per solving thread).
public struct UnifiedModel: CrossDomainScoring {
    public static let name = "unified"

    public struct Hyperparameters: Sendable, Hashable {
        public var factors: Int
        public var iterations: Int
        /// λ.
        public var regularization: Float
        /// α in c = 1 + α·r.
        public var alpha: Float
        /// w: the other domains' share of the loss (0 leaves them out); not read when
        /// ``choosesOtherWeight``.
        public var otherWeight: Float
        /// `other_weight: auto`: w is chosen among ``UnifiedModel/otherWeightGrid`` on a holdout of
        /// the evaluated domain's training rows (see ``UnifiedModel/chooseOtherWeight(_:progress:)``).
        public var choosesOtherWeight: Bool
        public var initStandardDeviation: Float
        /// What a user without rows in the evaluated domain is scored by besides their vector.
        public var coldPrior: ColdPrior
        /// Threads solving the rows of each half-step; 0: the active processor count, at most
        /// ``ParallelRows/maximumDefaultThreads``. Results do not depend on it.
        public var threads: Int

        public init(
            factors: Int = 32, iterations: Int = 10, regularization: Float = 0.05, alpha: Float = 1,
            otherWeight: Float = 1, choosesOtherWeight: Bool = false, initStandardDeviation: Float = 0.01,
            coldPrior: ColdPrior = .none, threads: Int = 0
        ) {
            self.coldPrior = coldPrior
            self.factors = factors
            self.iterations = iterations
            self.regularization = regularization
            self.alpha = alpha
            self.otherWeight = otherWeight
            self.choosesOtherWeight = choosesOtherWeight
            self.initStandardDeviation = initStandardDeviation
            self.threads = threads
        }
    }

    /// For users the evaluated domain has never seen (rows only in other domains).
    public enum ColdPrior: String, Sendable, Hashable, CaseIterable {
        /// Their vector alone.
        case none
        /// (1 − β)·z(x_u · y_i) + β·z(popularity), β ∈ {0, 0.05, …, 1} learned on simulated cold
        /// users: 20% of the training users with other-domain rows lose their evaluated-domain rows,
        /// the model is fitted on the rest, and β maximises NDCG@10 on the rows taken away
        /// (``HybridModel``'s stacking); then the model is refitted on all rows.
        case popularity
    }

    /// What ``fitSummary`` may hold.
    public static let fitSummaryNames = [
        "users_from_other_domains", "cold_popularity_weight", "validation_ndcg@10_cold", "validation_ndcg@10_cold_vector",
        "validation_ndcg@10_cold_popularity", "chosen_other_weight", "validation_ndcg@10_chosen",
        "validation_ndcg@10_without_other",
    ]

    /// Offset added to the seed for the simulated cold users.
    static let coldSeedOffset: UInt64 = 0xC01D

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public private(set) var fitSummary: [String: Double] = [:]
    /// β of ``ColdPrior/popularity`` (0 with ``ColdPrior/none``).
    public private(set) var coldPopularityWeight: Double = 0
    /// The w the last fit used: `other_weight`, or the one `other_weight: auto` chose.
    public private(set) var chosenOtherWeight: Float = 0
    /// Per user: training rows in the evaluated domain.
    var hasEvaluatedRows: [Bool] = []
    var userFactors = FactorMatrix(rows: 0, factors: 0)
    var itemFactors = FactorMatrix(rows: 0, factors: 0)
    /// Users with a row in a domain the model learned from.
    var knownUsers: [Bool] = []
    var popularity: [Float] = []
    /// The other domains learned from (empty with `other_weight` 0), their item factors and
    /// training rows per item (for popularity).
    public private(set) var otherDomainNames: [String] = []
    var otherItemFactors: [FactorMatrix] = []
    var otherPopularity: [[Float]] = []
    /// For the fold-in of an impression's history: the other domains' rows by user with their
    /// confidences, and Σ_d w_d Y_dᵀY_d + λI over every learned domain's final item factors.
    var otherRows: [(byUser: SparseMatrix, confidence: [Float], weight: Float)] = []
    var foldInGram: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// One domain's matrices, confidences, weight and item factors.
    struct Block {
        var byUser: SparseMatrix
        var byItem: SparseMatrix
        var userConfidence: [Float]
        var itemConfidence: [Float]
        var weight: Float
        var items: FactorMatrix
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        var h = hyperparameters
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard h.factors >= 1 else { throw fail("factors must be at least 1, got \(h.factors)") }
        guard h.iterations >= 0 else { throw fail("iterations must not be negative, got \(h.iterations)") }
        guard h.regularization > 0, h.regularization.isFinite else {
            throw fail("reg must be positive (the exact solve needs it), got \(h.regularization)")
        }
        guard h.alpha >= 0, h.alpha.isFinite else { throw fail("alpha must not be negative, got \(h.alpha)") }
        guard h.otherWeight >= 0, h.otherWeight.isFinite else {
            throw fail("other_weight must not be negative, got \(h.otherWeight)")
        }
        guard h.initStandardDeviation >= 0 else { throw fail("init_std must not be negative, got \(h.initStandardDeviation)") }
        guard h.threads >= 0 else { throw fail("threads must not be negative, got \(h.threads)") }
        guard !data.interactions.isEmpty else { throw fail("no training rows") }
        for domain in data.otherDomains {
            guard domain.interactions.users.allSatisfy({ $0 >= 0 && Int($0) < data.userCount }),
                domain.interactions.items.allSatisfy({ $0 >= 0 && Int($0) < domain.itemCount }),
                domain.interactions.values.allSatisfy({ $0 >= 0 })
            else {
                throw fail(
                    "domain '\(domain.name)' has users outside the evaluated domain's \(data.userCount), items outside its own \(domain.itemCount), or negative values"
                )
            }
        }
        guard data.interactions.values.allSatisfy({ $0 >= 0 }) else {
            throw fail("confidence 1 + alpha·r needs non-negative values r")
        }
        var choiceSummary: [String: Double] = [:]
        if h.choosesOtherWeight {
            guard let choice = try chooseOtherWeight(data, progress: progress) else { return }
            h.otherWeight = choice.weight
            h.choosesOtherWeight = false
            choiceSummary = choice.summary
        }
        chosenOtherWeight = h.otherWeight
        var coldSummary: [String: Double] = [:]
        coldPopularityWeight = 0
        if h.coldPrior == .popularity {
            guard let chosen = try learnColdWeight(data, hyperparameters: h, progress: progress) else { return }
            coldPopularityWeight = chosen.weight
            coldSummary = chosen.summary
        }
        LinearAlgebra.useOneThread()
        var generator = SeededGenerator(seed: seed)
        var users = FactorMatrix(
            rows: data.userCount, factors: h.factors, standardDeviation: h.initStandardDeviation, generator: &generator)
        func block(_ byUser: SparseMatrix, _ byItem: SparseMatrix, itemCount: Int, weight: Float) -> Block {
            Block(
                byUser: byUser, byItem: byItem, userConfidence: byUser.values.map { 1 + h.alpha * $0 },
                itemConfidence: byItem.values.map { 1 + h.alpha * $0 }, weight: weight,
                items: FactorMatrix(
                    rows: itemCount, factors: h.factors, standardDeviation: h.initStandardDeviation,
                    generator: &generator))
        }
        var blocks = [block(data.byUser, data.byItem, itemCount: data.itemCount, weight: 1)]
        if h.otherWeight > 0 {
            for domain in data.otherDomains where !domain.interactions.isEmpty {
                blocks.append(
                    block(
                        SparseMatrix(domain.interactions, userCount: data.userCount, itemCount: domain.itemCount),
                        SparseMatrix(
                            domain.interactions, userCount: data.userCount, itemCount: domain.itemCount,
                            orientation: .itemsByUsers),
                        itemCount: domain.itemCount, weight: h.otherWeight))
            }
        }
        for iteration in Swift.stride(from: 1, through: h.iterations, by: 1) {
            try Self.solveUsers(&users, blocks, h)
            let userGram = ALSModel.gram(users)
            for b in blocks.indices { try Self.solveItems(&blocks[b], users: users, userGram: userGram, h) }
            var values: [String: Double] = [:]
            if let validation = data.validation, validation.isDue(epoch: iteration, total: h.iterations) {
                // The warm users' scores (the held-out rows' users all have training rows).
                values = ALSModel.validationRanking(validation, data: data, users: users, items: blocks[0].items, itemBias: nil)
            }
            if progress(EpochProgress(epoch: iteration, totalEpochs: h.iterations, values: values)) == .stop { break }
        }
        var known = [Bool](repeating: false, count: data.userCount)
        for block in blocks { for u in 0..<data.userCount where block.byUser.rowLength(u) > 0 { known[u] = true } }
        for u in 0..<data.userCount where !known[u] { users.clear(row: u) }
        let fromOthers = (0..<data.userCount).filter { known[$0] && data.byUser.rowLength($0) == 0 }.count
        userFactors = users
        itemFactors = blocks[0].items
        for i in 0..<data.itemCount where data.byItem.rowLength(i) == 0 { itemFactors.clear(row: i) }
        knownUsers = known
        popularity = data.itemRowCounts()
        otherDomainNames = []
        otherItemFactors = []
        otherPopularity = []
        otherRows = blocks.dropFirst().map { ($0.byUser, $0.userConfidence, $0.weight) }
        var next = 1
        for domain in data.otherDomains where h.otherWeight > 0 && !domain.interactions.isEmpty {
            var factors = blocks[next].items
            let counts = (0..<domain.itemCount).map { Float(blocks[next].byItem.rowLength($0)) }
            for i in 0..<domain.itemCount where counts[i] == 0 { factors.clear(row: i) }
            otherDomainNames.append(domain.name)
            otherItemFactors.append(factors)
            otherPopularity.append(counts)
            next += 1
        }
        fitSummary = coldSummary.merging(choiceSummary) { $1 }.merging(["users_from_other_domains": Double(fromOthers)]) { $1 }
        hasEvaluatedRows = (0..<data.userCount).map { data.byUser.rowLength($0) > 0 }
        let stride = users.stride
        foldInGram = [Float](repeating: 0, count: stride * stride)
        for (index, factors) in ([itemFactors] + otherItemFactors).enumerated() {
            let g = ALSModel.gram(factors), weight = index == 0 ? 1 : h.otherWeight
            for entry in foldInGram.indices { foldInGram[entry] += weight * g[entry] }
        }
        for a in 0..<h.factors { foldInGram[a * stride + a] += h.regularization }
    }

    /// The MIND impression protocol by fold-in: the user vector is solved, as a training user step
    /// would be, from the impression's history (each a click, c = 1 + alpha) and the user's rows in
    /// the other domains (weight `other_weight`), against the final item factors; then
    /// score(c) = x · y_c. Nothing to solve from (or a singular system) gets popularity.
    /// O((history + other rows) · k² + k³ + candidates · k).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let h = hyperparameters, stride = itemFactors.stride
        var matrix = foldInGram
        var rhs = [Float](repeating: 0, count: stride)
        var rows = 0
        for item in history where item >= 0 && Int(item) < itemFactors.rows {
            Self.accumulate(itemFactors, row: Int(item), outer: h.alpha, linear: 1 + h.alpha, into: &matrix, &rhs)
            rows += 1
        }
        let u = Int(user)
        for (index, other) in otherRows.enumerated() where u >= 0 && u < other.byUser.rowCount {
            for e in other.byUser.rowRange(u) {
                let c = other.confidence[e]
                Self.accumulate(
                    otherItemFactors[index], row: Int(other.byUser.columns[e]), outer: other.weight * (c - 1),
                    linear: other.weight * c, into: &matrix, &rhs)
                rows += 1
            }
        }
        var x = FactorMatrix(rows: 1, factors: h.factors)
        let solved =
            rows > 0 && matrix.count == stride * stride
            && (try? Self.solve(&matrix, &rhs, into: &x, row: 0, what: "the history", h)) != nil
        for (k, item) in candidates.enumerated() {
            let i = Int(item)
            guard i >= 0, i < itemCount else {
                scores[k] = 0
                continue
            }
            if !solved {
                scores[k] = i < popularity.count ? popularity[i] : 0
            } else {
                scores[k] =
                    i < itemFactors.rows
                    ? x.values.withUnsafeBufferPointer { xs in
                        itemFactors.values.withUnsafeBufferPointer { ys in
                            VectorKernels.dot(xs.baseAddress!, ys.baseAddress! + i * stride, count: stride)
                        }
                    } : 0
            }
        }
    }

    /// β of ``ColdPrior/popularity``, learned on simulated cold users; nil when progress said stop.
    func learnColdWeight(
        _ data: TrainingData, hyperparameters h: Hyperparameters, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (weight: Double, summary: [String: Double])? {
        var eligible = [Bool](repeating: false, count: data.userCount)
        for other in data.otherDomains { for user in other.interactions.users { eligible[Int(user)] = true } }
        let split: Split
        do {
            split = try Splitting.coldUsers(
                data.interactions, testFraction: 0.2, seed: seed &+ Self.coldSeedOffset, eligible: eligible)
        } catch {
            throw ModelError(model: Self.name, message: "cold_prior: \(error)")
        }
        let reduced = data.keeping(split.train)
        guard let inner = try validationFit(reduced, h, progress: progress) else { return nil }
        var popularity = PopularityModel()
        try popularity.fit(reduced)
        let curve = HybridModel.validationCurve(
            blending: AnyRecommender(inner), with: AnyRecommender(popularity), reduced: reduced, heldOut: split.test,
            isExplicit: data.isExplicit, maximumUsers: 1000, seed: seed &+ Self.coldSeedOffset)
        guard curve.users > 0 else {
            throw ModelError(
                model: Self.name,
                message:
                    "cold_prior popularity: no simulated cold user has a relevant row (it needs users with rows in another domain); use cold_prior=none"
            )
        }
        let best = HybridModel.bestWeightIndex(curve.ndcg)
        return (
            HybridModel.weightGrid[best],
            [
                "cold_popularity_weight": HybridModel.weightGrid[best], "validation_ndcg@10_cold": curve.ndcg[best],
                "validation_ndcg@10_cold_vector": curve.ndcg.first!, "validation_ndcg@10_cold_popularity": curve.ndcg.last!,
            ]
        )
    }

    /// Every user's exact solve against all blocks' item factors, rows spread over `threads`
    /// (each row's system is built and solved alone, in a fixed order: the result does not
    /// depend on the thread count).
    static func solveUsers(_ users: inout FactorMatrix, _ blocks: [Block], _ h: Hyperparameters) throws(ModelError) {
        let k = users.factors, stride = users.stride
        var gram = [Float](repeating: 0, count: stride * stride)
        for block in blocks {
            let g = ALSModel.gram(block.items)
            for index in gram.indices { gram[index] += block.weight * g[index] }
        }
        for a in 0..<k { gram[a * stride + a] += h.regularization }
        let base = gram, rows = users.rows
        let failed = users.values.withUnsafeMutableBufferPointer { values in
            let output = SharedRows(base: values.baseAddress!, stride: stride)
            return ParallelRows.firstFailure(rows: rows, threads: ParallelRows.threads(requested: h.threads)) { range in
                var matrix = base
                var rhs = [Float](repeating: 0, count: stride)
                for u in range {
                    let x = output.row(u)
                    guard blocks.contains(where: { $0.byUser.rowLength(u) > 0 }) else {
                        x.update(repeating: 0, count: stride)
                        continue
                    }
                    matrix.withUnsafeMutableBufferPointer { m in
                        base.withUnsafeBufferPointer { m.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                    }
                    for a in 0..<stride { rhs[a] = 0 }
                    for block in blocks {
                        for e in block.byUser.rowRange(u) {
                            let c = block.userConfidence[e]
                            accumulate(
                                block.items, row: Int(block.byUser.columns[e]), outer: block.weight * (c - 1),
                                linear: block.weight * c, into: &matrix, &rhs)
                        }
                    }
                    guard solveInPlace(&matrix, &rhs, factors: k, stride: stride) else { return u }
                    for a in 0..<k { x[a] = rhs[a] }
                }
                return nil
            }
        }
        if let u = failed { throw notPositiveDefinite("user \(u)", h) }
    }

    /// Every item of `block`: (w (XᵀX + Σ (c − 1) x xᵀ) + λI) y = w Σ c x, rows spread over
    /// `threads` as in ``solveUsers(_:_:_:)``.
    static func solveItems(
        _ block: inout Block, users: FactorMatrix, userGram: [Float], _ h: Hyperparameters
    ) throws(ModelError) {
        let k = users.factors, stride = users.stride
        var base = userGram.map { block.weight * $0 }
        for a in 0..<k { base[a * stride + a] += h.regularization }
        let start = base, byItem = block.byItem, confidence = block.itemConfidence, weight = block.weight
        let rows = block.items.rows
        let failed = block.items.values.withUnsafeMutableBufferPointer { values in
            let output = SharedRows(base: values.baseAddress!, stride: stride)
            return ParallelRows.firstFailure(rows: rows, threads: ParallelRows.threads(requested: h.threads)) { range in
                var matrix = start
                var rhs = [Float](repeating: 0, count: stride)
                for i in range {
                    let y = output.row(i)
                    let entries = byItem.rowRange(i)
                    guard !entries.isEmpty else {
                        y.update(repeating: 0, count: stride)
                        continue
                    }
                    matrix.withUnsafeMutableBufferPointer { m in
                        start.withUnsafeBufferPointer { m.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                    }
                    for a in 0..<stride { rhs[a] = 0 }
                    for e in entries {
                        let c = confidence[e]
                        accumulate(
                            users, row: Int(byItem.columns[e]), outer: weight * (c - 1), linear: weight * c,
                            into: &matrix, &rhs)
                    }
                    guard solveInPlace(&matrix, &rhs, factors: k, stride: stride) else { return i }
                    for a in 0..<k { y[a] = rhs[a] }
                }
                return nil
            }
        }
        if let i = failed { throw notPositiveDefinite("item \(i)", h) }
    }

    /// matrix += outer · v vᵀ (upper triangle, which LAPACK reads) and rhs += linear · v, v = row of `factors`.
    @inline(__always)
    static func accumulate(
        _ factors: FactorMatrix, row: Int, outer: Float, linear: Float, into matrix: inout [Float], _ rhs: inout [Float]
    ) {
        let k = factors.factors, stride = factors.stride, lanes = VectorKernels.lanes
        factors.values.withUnsafeBufferPointer { values in
            matrix.withUnsafeMutableBufferPointer { m in
                rhs.withUnsafeMutableBufferPointer { b in
                    let v = values.baseAddress! + row * stride
                    if outer != 0 {
                        for a in 0..<k where v[a] != 0 {
                            let start = a / lanes * lanes
                            VectorKernels.axpy(
                                outer * v[a], v + start, m.baseAddress! + a * stride + start, count: stride - start)
                        }
                    }
                    VectorKernels.axpy(linear, v, b.baseAddress!, count: stride)
                }
            }
        }
    }

    /// Solves matrix · x = rhs by LAPACK `sposv`, destroying `matrix` and leaving x in `rhs`;
    /// false when the matrix is not positive definite.
    @inline(__always)
    static func solveInPlace(_ matrix: inout [Float], _ rhs: inout [Float], factors k: Int, stride: Int) -> Bool {
        matrix.withUnsafeMutableBufferPointer { m in
            rhs.withUnsafeMutableBufferPointer { b in
                LinearAlgebra.solvePositiveDefinite(
                    m.baseAddress!, order: k, leadingDimension: stride, rightHandSide: b.baseAddress!)
            }
        } == 0
    }

    static func notPositiveDefinite(_ what: String, _ h: Hyperparameters) -> ModelError {
        ModelError(
            model: name, message: "the system of \(what) is not positive definite; raise reg (now \(h.regularization))")
    }

    /// Solves matrix · x = rhs (destroying both) and stores x as `row` of `target`.
    static func solve(
        _ matrix: inout [Float], _ rhs: inout [Float], into target: inout FactorMatrix, row: Int, what: String,
        _ h: Hyperparameters
    ) throws(ModelError) {
        let k = target.factors, stride = target.stride
        guard solveInPlace(&matrix, &rhs, factors: k, stride: stride) else { throw notPositiveDefinite(what, h) }
        target.values.withUnsafeMutableBufferPointer { t in
            for a in 0..<k { t[row * stride + a] = rhs[a] }
        }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        Self.score(user: user, users: userFactors, known: knownUsers, items: itemFactors, popularity: popularity, into: scores)
        let u = Int(user)
        guard coldPopularityWeight > 0, u >= 0, u < knownUsers.count, knownUsers[u], !hasEvaluatedRows[u] else { return }
        // A cold user: blend the standardized vector scores with standardized popularity, over the
        // items seen in training.
        var vector = Array(scores), prior = (0..<scores.count).map { $0 < popularity.count ? popularity[$0] : 0 }
        let unseen = prior.map { $0 == 0 }
        HybridModel.standardize(&vector, excluded: unseen)
        HybridModel.standardize(&prior, excluded: unseen)
        let beta = Float(coldPopularityWeight)
        for i in 0..<scores.count { scores[i] = (1 - beta) * vector[i] + beta * prior[i] }
    }

    /// Scores every item of the other domain `name` (one of ``otherDomainNames``) for `user` with
    /// the same user vector: what a mixed slate ranks. False when the model did not learn that domain.
    public func scoreOtherDomain(_ name: String, user: Int32, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        guard let index = otherDomainNames.firstIndex(of: name) else { return false }
        Self.score(
            user: user, users: userFactors, known: knownUsers, items: otherItemFactors[index],
            popularity: otherPopularity[index], into: scores)
        return true
    }

    /// x_u · y_i for every item, or popularity for a user the model knows nothing about.
    static func score(
        user: Int32, users: FactorMatrix, known: [Bool], items: FactorMatrix, popularity: [Float],
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let u = Int(user)
        guard u >= 0, u < known.count, known[u] else {
            for i in 0..<scores.count { scores[i] = i < popularity.count ? popularity[i] : 0 }
            return
        }
        let stride = users.stride
        users.values.withUnsafeBufferPointer { x in
            items.values.withUnsafeBufferPointer { y in
                let xu = x.baseAddress! + u * stride
                for i in 0..<scores.count {
                    scores[i] = i < items.rows ? VectorKernels.dot(xu, y.baseAddress! + i * stride, count: stride) : 0
                }
            }
        }
    }
}
