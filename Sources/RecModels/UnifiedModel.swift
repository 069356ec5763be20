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
/// where w_i is 1 for evaluated items and w for the others. With `absent_users: unobserved` each
/// domain's L runs over the users with rows in that domain only, so the Gram terms above are
/// summed over the domains the user has rows in (for x_u) and over the domain's own users (for
/// y_i); the default, `negative`, is the formula as written. A user with rows only in another
/// domain gets a vector from those rows, so the model ranks the evaluated domain's items for a
/// user it has never seen there (a cold-start user); a user with no rows anywhere is scored by
/// popularity. With `other_weight` 0 the other domains are left out and the model is implicit ALS
/// on the evaluated domain alone (the exact solve of ``ALSModel`` with `solver cholesky`).
///
/// `other_weight: auto` chooses w among ``OtherWeightChoice/grid`` on a holdout of the evaluated domain's
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
///   Measured times by thread count: docs/model-costs.md.
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
        /// `other_weight: auto`: w is chosen among ``OtherWeightChoice/grid`` on a holdout of
        /// the evaluated domain's training rows (see ``UnifiedModel/chooseOtherWeight(_:progress:)``).
        public var choosesOtherWeight: Bool
        public var initStandardDeviation: Float
        /// What a user without rows in the evaluated domain is scored by besides their vector.
        public var coldPrior: ColdPrior
        /// How a domain's loss treats a user with no rows in it.
        public var absentUsers: AbsentUsers
        /// Per-domain user factors beside the `factors` shared ones (0: all shared).
        public var specificFactors: Int
        /// Share of the users with rows in the evaluated domain and another whose evaluated rows
        /// are left out of their own solve each iteration (drawn anew per iteration), so that the
        /// evaluated items learn to serve vectors built from the other domains alone, as a cold
        /// user's is (0: none).
        public var coldSimulation: Double = 0
        /// Threads solving the rows of each half-step; 0: the active processor count, at most
        /// ``ParallelRows/maximumDefaultThreads``. Results do not depend on it.
        public var threads: Int

        public init(
            factors: Int = 32, iterations: Int = 10, regularization: Float = 0.05, alpha: Float = 1,
            otherWeight: Float = 1, choosesOtherWeight: Bool = false, initStandardDeviation: Float = 0.01,
            coldPrior: ColdPrior = .none, absentUsers: AbsentUsers = .negative, specificFactors: Int = 0,
            threads: Int = 0, coldSimulation: Double = 0
        ) {
            self.coldSimulation = coldSimulation
            self.specificFactors = specificFactors
            self.coldPrior = coldPrior
            self.absentUsers = absentUsers
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

    /// A user with no rows in a domain (e.g. a cold-start user in the evaluated one).
    public enum AbsentUsers: String, Sendable, Hashable, CaseIterable {
        /// Every item of the domain is an unobserved cell of theirs (p = 0, c = 1), as in
        /// single-domain implicit ALS: their vector is pulled towards scoring the domain's items
        /// 0, and the domain's item solves push its items away from them.
        case negative
        /// The domain's loss covers only the users with rows in it (Singh and Gordon's relations,
        /// each over its own rows): an absent user's system holds no Gram term of that domain, and
        /// the domain's item solves sum XᵀX over its own users only. A cold user's vector is then
        /// the fold-in of their other-domain rows alone.
        case unobserved
    }

    /// What ``fitSummary`` may hold.
    public static let fitSummaryNames = [
        "users_from_other_domains"
    ] + ColdPopularityPrior.summaryNames + OtherWeightChoice.summaryNames

    /// Offset added to the seed for the simulated cold users.
    static let coldSeedOffset: UInt64 = 0xC01D

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public internal(set) var fitSummary: [String: Double] = [:]
    /// β of ``ColdPrior/popularity`` (0 with ``ColdPrior/none``).
    public private(set) var coldPopularityWeight: Double = 0
    /// The w the last fit used: `other_weight`, or the one `other_weight: auto` chose.
    public private(set) var chosenOtherWeight: Float = 0
    /// Per user: training rows in the evaluated domain.
    var hasEvaluatedRows: [Bool] = []
    /// With `other_weight: auto` choosing 0 while a positive weight serves simulated cold users:
    /// the model fitted with that weight (one element), which scores the users only other
    /// domains know (``servedByColdUsersModel``); everyone else gets this model (w = 0).
    var coldUsers: [UnifiedModel] = []
    var servedByColdUsersModel: [Bool] = []
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
    /// With ``AbsentUsers/unobserved``: per other domain, w·Y_dᵀY_d, which the fold-in subtracts
    /// from ``foldInGram`` for a user with no rows in that domain.
    var otherFoldInGrams: [[Float]] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
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
        guard (0..<1).contains(h.coldSimulation) else {
            throw fail("cold_simulation must be in [0, 1), got \(h.coldSimulation)")
        }
        guard h.specificFactors >= 0 else { throw fail("specific_factors must not be negative, got \(h.specificFactors)") }
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
        if h.choosesOtherWeight {
            guard let choice = try chooseOtherWeight(data, progress: progress) else { return }
            return try fitChosen(data, choice: choice, progress: progress)
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
        // With specific_factors s: user vectors [shared | s per domain]; a domain's items live in
        // the shared part and their own domain's s (the other coordinates stay 0).
        let blockCount =
            1 + (h.otherWeight > 0 ? data.otherDomains.filter { !$0.interactions.isEmpty }.count : 0)
        let width = h.factors + (h.specificFactors > 0 ? blockCount * h.specificFactors : 0)
        var users = FactorMatrix(
            rows: data.userCount, factors: width, standardDeviation: h.initStandardDeviation, generator: &generator)
        func block(_ byUser: SparseMatrix, _ byItem: SparseMatrix, itemCount: Int, weight: Float, index: Int) -> Block {
            var items = FactorMatrix(
                rows: itemCount, factors: width, standardDeviation: h.initStandardDeviation, generator: &generator)
            var active: [Bool]? = nil
            if h.specificFactors > 0 {
                let own = (h.factors + index * h.specificFactors)..<(h.factors + (index + 1) * h.specificFactors)
                let mask = (0..<width).map { $0 < h.factors || own.contains($0) }
                for i in 0..<itemCount { for a in 0..<width where !mask[a] { items.values[i * items.stride + a] = 0 } }
                active = mask
            }
            return Block(
                byUser: byUser, byItem: byItem, userConfidence: byUser.values.map { 1 + h.alpha * $0 },
                itemConfidence: byItem.values.map { 1 + h.alpha * $0 }, weight: weight, items: items, active: active)
        }
        var blocks = [block(data.byUser, data.byItem, itemCount: data.itemCount, weight: 1, index: 0)]
        if h.otherWeight > 0 {
            for domain in data.otherDomains where !domain.interactions.isEmpty {
                blocks.append(
                    block(
                        SparseMatrix(domain.interactions, userCount: data.userCount, itemCount: domain.itemCount),
                        SparseMatrix(
                            domain.interactions, userCount: data.userCount, itemCount: domain.itemCount,
                            orientation: .itemsByUsers),
                        itemCount: domain.itemCount, weight: h.otherWeight, index: blocks.count))
            }
        }
        // cold_simulation: the users eligible to have their evaluated rows hidden from their own solve.
        let shared =
            h.coldSimulation > 0 && blocks.count > 1
            ? (0..<data.userCount).filter { u in
                blocks[0].byUser.rowLength(u) > 0 && blocks.dropFirst().contains { $0.byUser.rowLength(u) > 0 }
            } : []
        for iteration in Swift.stride(from: 1, through: h.iterations, by: 1) {
            var hidden: [Bool] = []
            if !shared.isEmpty {
                hidden = [Bool](repeating: false, count: data.userCount)
                for u in shared where generator.nextUnit() < h.coldSimulation { hidden[u] = true }
            }
            try Self.solveUsers(&users, blocks, h, hidingEvaluatedRowsOf: hidden)
            let userGram = h.absentUsers == .negative ? users.gram() : []
            for b in blocks.indices {
                let gram = h.absentUsers == .negative ? userGram : Self.gram(of: users, withRowsIn: blocks[b])
                try Self.solveItems(&blocks[b], users: users, userGram: gram, h)
            }
            var values: [String: Double] = [:]
            if let validation = data.validation, validation.isDue(epoch: iteration, total: h.iterations) {
                // The warm users' scores (the held-out rows' users all have training rows).
                values = validation.factorRanking(data: data, users: users, items: blocks[0].items, itemBias: nil)
            }
            if progress(EpochProgress(epoch: iteration, totalEpochs: h.iterations, values: values)) == .stop { break }
        }
        // Every user's final vector from all their rows (the last iteration hid some).
        if !shared.isEmpty && h.iterations > 0 { try Self.solveUsers(&users, blocks, h) }
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
        fitSummary = coldSummary.merging(["users_from_other_domains": Double(fromOthers)]) { $1 }
        hasEvaluatedRows = (0..<data.userCount).map { data.byUser.rowLength($0) > 0 }
        coldUsers = []
        servedByColdUsersModel = []
        foldInGram = FactorMatrix.weightedGram(
            [(itemFactors, 1)] + otherItemFactors.map { ($0, h.otherWeight) }, ridge: h.regularization)
        otherFoldInGrams =
            h.absentUsers == .unobserved ? otherItemFactors.map { FactorMatrix.weightedGram([($0, h.otherWeight)], ridge: 0) } : []
    }
}
