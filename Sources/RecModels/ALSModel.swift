internal import RecData

/// Implicit-feedback matrix factorization by alternating least squares (Hu, Koren and Volinsky,
/// "Collaborative Filtering for Implicit Feedback Datasets", 2008).
///
/// Every training row (u, i, r) is a preference p_ui = 1 with confidence c_ui = 1 + α·r (r = 1 for
/// implicit rows; repeated rows add their α·r); every other cell has p = 0, c = 1. Minimises
/// Σ_(u,i) c_ui (p_ui − x_u · y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all cells by solving, for each user,
/// (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p(u), then the same for each item with X fixed. YᵀY is
/// formed once per half-iteration, so a row's system costs O(|row| × factors) to apply.
/// - `cg` (default): `cg_steps` conjugate-gradient steps warm-started from the previous factors,
///   never forming the matrix (Takács et al. 2011; the `implicit` library's default solver).
/// - `cholesky`: forms the matrix and solves exactly with LAPACK `sposv`.
/// Factors start at N(0, init_std²) (`init` normal), or at U[0, init_std) (`init` uniform: the
/// `implicit` library's start, `random((rows, factors)) * 0.01`), users then items; users first in
/// each iteration. Rows with no training data get zero factors, and users without rows are scored
/// by item popularity.
///
/// The `implicit` library (0.7) reads a matrix value as the confidence itself, c = alpha·r, so with
/// binary data its default (alpha 1) is c = 1 on positives; here that is alpha 0. Its alpha a
/// equals alpha a − 1 here on binary data; the solver (3 CG steps, warm start, λI added to YᵀY)
/// is the same.
///
/// - Complexity: per iteration O((users + items) × factors² + nnz × factors × cg_steps) time with
///   `cg`, O(nnz × factors² + (users + items) × factors³) with `cholesky`;
///   O((users + items) × factors + nnz) memory (with alpha 0 the CG steps skip the nnz term).
///   Measured fit times of both solvers: docs/benchmarks.md.
/// - Determinism: bit-identical for a given seed, build and C math library with `cg` (own kernels,
///   fixed order; libm only in the initial normal draws); `cholesky` also uses LAPACK on one
///   OpenBLAS thread, whose kernels are chosen by CPU: bit-identical on one machine type.
public struct ALSModel: Recommender {
    public static let name = "als"

    public enum Solver: String, Sendable, Hashable, CaseIterable {
        case conjugateGradient = "cg"
        case cholesky
    }

    /// How the factors start.
    public enum Initialization: String, Sendable, Hashable, CaseIterable {
        /// N(0, init_std²).
        case normal
        /// U[0, init_std), as `implicit` starts (with init_std 0.01).
        case uniform
    }

    public struct Hyperparameters: Sendable, Hashable {
        public var factors: Int
        public var iterations: Int
        /// λ.
        public var regularization: Float
        /// α in c = 1 + α·r.
        public var alpha: Float
        /// Standard deviation (`normal`) or upper bound (`uniform`) of the initial factors.
        public var initStandardDeviation: Float
        public var initialization: Initialization
        public var solver: Solver
        /// Conjugate-gradient steps per row and half-iteration (`cg` only).
        public var cgSteps: Int

        public init(
            factors: Int = 64, iterations: Int = 15, regularization: Float = 0.01, alpha: Float = 1,
            initStandardDeviation: Float = 0.01, initialization: Initialization = .normal,
            solver: Solver = .conjugateGradient, cgSteps: Int = 3
        ) {
            self.factors = factors
            self.iterations = iterations
            self.regularization = regularization
            self.alpha = alpha
            self.initStandardDeviation = initStandardDeviation
            self.initialization = initialization
            self.solver = solver
            self.cgSteps = cgSteps
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// Iterations run by the last ``fit(_:progress:)`` (fewer than `iterations` after `.stop`).
    public private(set) var iterationsCompleted = 0
    var userFactors = FactorMatrix(rows: 0, factors: 0)
    var itemFactors = FactorMatrix(rows: 0, factors: 0)
    var knownUsers: [Bool] = []
    var itemCounts: [Float] = []
    /// YᵀY of the final item factors, for folding in a user from a history.
    var itemGram: [Float] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// Reports `loss` after each iteration: the objective divided by the total confidence weight
    /// Σc + (users × items − nnz), as the `implicit` library reports it.
    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        try check(h, data)
        LinearAlgebra.useOneThread()
        var generator = SeededGenerator(seed: seed)
        var users: FactorMatrix, items: FactorMatrix
        switch h.initialization {
        case .normal:
            users = FactorMatrix(
                rows: data.userCount, factors: h.factors, standardDeviation: h.initStandardDeviation,
                generator: &generator)
            items = FactorMatrix(
                rows: data.itemCount, factors: h.factors, standardDeviation: h.initStandardDeviation,
                generator: &generator)
        case .uniform:
            users = FactorMatrix(
                rows: data.userCount, factors: h.factors, uniformBound: h.initStandardDeviation, generator: &generator)
            items = FactorMatrix(
                rows: data.itemCount, factors: h.factors, uniformBound: h.initStandardDeviation, generator: &generator)
        }
        let userConfidence = data.byUser.values.map { 1 + h.alpha * $0 }
        let itemConfidence = data.byItem.values.map { 1 + h.alpha * $0 }
        // YᵀY of the current item factors: the users' solve needs it, and so does the loss after
        // the items' solve (which is then the next users' solve's).
        var itemGram = items.gram()
        iterationsCompleted = 0
        for iteration in stride(from: 1, through: h.iterations, by: 1) {
            try Self.solve(&users, fixed: items, gram: itemGram, data.byUser, userConfidence, h)
            try Self.solve(&items, fixed: users, gram: users.gram(), data.byItem, itemConfidence, h)
            itemGram = items.gram()
            let loss = Self.loss(users: users, items: items, itemGram: itemGram, data.byUser, userConfidence, h)
            guard loss.isFinite else {
                throw ModelError(
                    model: Self.name, message: "diverged in iteration \(iteration): loss is not finite; raise reg")
            }
            iterationsCompleted = iteration
            var values = ["loss": loss]
            if let validation = data.validation, validation.isDue(epoch: iteration, total: h.iterations) {
                values.merge(validation.factorRanking(data: data, users: users, items: items, itemBias: nil)) { $1 }
            }
            if progress(EpochProgress(epoch: iteration, totalEpochs: h.iterations, values: values)) == .stop {
                break
            }
        }
        for u in 0..<data.userCount where data.byUser.rowLength(u) == 0 { users.clear(row: u) }
        for i in 0..<data.itemCount where data.byItem.rowLength(i) == 0 { items.clear(row: i) }
        userFactors = users
        itemFactors = items
        self.itemGram = items.gram()
        knownUsers = data.usersWithRows()
        itemCounts = data.itemRowCounts()
    }

    private func check(_ h: Hyperparameters, _ data: TrainingData) throws(ModelError) {
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard !data.interactions.isEmpty else { throw fail("no training rows") }
        guard h.factors >= 1 else { throw fail("factors must be at least 1, got \(h.factors)") }
        guard h.iterations >= 0 else { throw fail("iterations must not be negative, got \(h.iterations)") }
        guard h.regularization >= 0, h.regularization.isFinite else {
            throw fail("reg must not be negative, got \(h.regularization)")
        }
        guard h.alpha >= 0, h.alpha.isFinite else { throw fail("alpha must not be negative, got \(h.alpha)") }
        guard h.initStandardDeviation >= 0 else {
            throw fail("init_std must not be negative, got \(h.initStandardDeviation)")
        }
        guard h.cgSteps >= 1 else { throw fail("cg_steps must be at least 1, got \(h.cgSteps)") }
        guard data.interactions.values.allSatisfy({ $0 >= 0 }) else {
            throw fail("confidence 1 + alpha·r needs non-negative values r")
        }
    }


    /// Solves every row of `target` against `fixed` (whose Gram matrix FᵀF is `fixedGram`), rows
    /// of `matrix` giving the observed columns.
    static func solve(
        _ target: inout FactorMatrix, fixed: FactorMatrix, gram fixedGram: [Float], _ matrix: SparseMatrix,
        _ confidence: [Float], _ h: Hyperparameters
    ) throws(ModelError) {
        var gram = fixedGram
        let k = fixed.factors, stride = fixed.stride
        for a in 0..<k { gram[a * stride + a] += h.regularization }
        var scratch = [Float](repeating: 0, count: stride * (h.solver == .cholesky ? stride + 1 : 4))
        var failedRow = -1
        target.values.withUnsafeMutableBufferPointer { t in
            fixed.values.withUnsafeBufferPointer { f in
                gram.withUnsafeBufferPointer { g in
                    matrix.rowStarts.withUnsafeBufferPointer { starts in
                        matrix.columns.withUnsafeBufferPointer { columns in
                            confidence.withUnsafeBufferPointer { c in
                                scratch.withUnsafeMutableBufferPointer { s in
                                    let y = f.baseAddress!, g = g.baseAddress!, s = s.baseAddress!
                                    for row in 0..<matrix.rowCount {
                                        let x = t.baseAddress! + row * stride
                                        let entries = starts[row]..<starts[row + 1]
                                        if entries.isEmpty {
                                            for index in 0..<stride { x[index] = 0 }
                                            continue
                                        }
                                        switch h.solver {
                                        case .conjugateGradient:
                                            conjugateGradient(
                                                x: x, y: y, gram: g, columns: columns.baseAddress!,
                                                confidence: c.baseAddress!,
                                                entries: entries, factors: k, stride: stride, steps: h.cgSteps,
                                                unitConfidence: h.alpha == 0, scratch: s)
                                        case .cholesky:
                                            if !cholesky(
                                                x: x, y: y, gram: g, columns: columns.baseAddress!,
                                                confidence: c.baseAddress!,
                                                entries: entries, factors: k, stride: stride, scratch: s), failedRow < 0
                                            {
                                                failedRow = row
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if failedRow >= 0 {
            throw ModelError(
                model: name,
                message:
                    "cholesky: the system of row \(failedRow) is not positive definite; raise reg (now \(h.regularization))"
            )
        }
    }

    /// `steps` CG steps on A x = b from the current x, with A v = G v + Σ (c − 1)(y·v) y and
    /// b = Σ c y; stops early when ‖r‖² < 1e-20 (as `implicit` does). With `unitConfidence` (every
    /// c = 1, i.e. alpha 0) the sum in A v is zero and is skipped: the same values (adding ±0 leaves
    /// a finite sum unchanged), without a pass over the row's entries per step.
    @inline(__always)
    static func conjugateGradient(
        x: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        columns: UnsafePointer<Int32>,
        confidence: UnsafePointer<Float>, entries: Range<Int>, factors k: Int, stride: Int, steps: Int,
        unitConfidence: Bool, scratch: UnsafeMutablePointer<Float>
    ) {
        let r = scratch, p = scratch + stride, ap = scratch + 2 * stride
        // r = b − A x = −G x + Σ (c − (c − 1)(y·x)) y
        VectorKernels.symmetricProduct(gram, x, into: ap, order: k, stride: stride)
        for a in 0..<stride { r[a] = -ap[a] }
        VectorKernels.accumulateWeightedRows(
            y, columns: columns, confidence: confidence, entries: entries, v: x, alpha: 1, beta: -1, into: r,
            stride: stride)
        for a in 0..<stride { p[a] = r[a] }
        var rsOld = VectorKernels.dot(r, r, count: stride)
        guard rsOld >= 1e-20 else { return }
        for _ in 0..<steps {
            // ap = A p = G p + Σ (c − 1)(y·p) y
            VectorKernels.symmetricProduct(gram, p, into: ap, order: k, stride: stride)
            if !unitConfidence {
                VectorKernels.accumulateWeightedRows(
                    y, columns: columns, confidence: confidence, entries: entries, v: p, alpha: 0, beta: 1, into: ap,
                    stride: stride)
            }
            let step = rsOld / VectorKernels.dot(p, ap, count: stride)
            VectorKernels.axpy(step, p, x, count: stride)
            VectorKernels.axpy(-step, ap, r, count: stride)
            let rsNew = VectorKernels.dot(r, r, count: stride)
            if rsNew < 1e-20 { break }
            VectorKernels.xpby(r, rsNew / rsOld, p, count: stride)
            rsOld = rsNew
        }
    }

    /// Forms A = G + Σ (c − 1) y yᵀ and b = Σ c y, then x = A⁻¹ b by LAPACK `sposv`. False when A
    /// is not positive definite (x is then left unchanged).
    static func cholesky(
        x: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        columns: UnsafePointer<Int32>,
        confidence: UnsafePointer<Float>, entries: Range<Int>, factors k: Int, stride: Int,
        scratch: UnsafeMutablePointer<Float>
    ) -> Bool {
        let matrix = scratch, b = scratch + stride * stride
        for index in 0..<(stride * stride) { matrix[index] = gram[index] }
        for a in 0..<stride { b[a] = 0 }
        for e in entries {
            let yi = y + Int(columns[e]) * stride
            let weight = confidence[e] - 1
            for a in 0..<k where yi[a] != 0 {
                let start = a / VectorKernels.lanes * VectorKernels.lanes
                VectorKernels.axpy(weight * yi[a], yi + start, matrix + a * stride + start, count: stride - start)
            }
            VectorKernels.axpy(confidence[e], yi, b, count: stride)
        }
        let info = LinearAlgebra.solvePositiveDefinite(matrix, order: k, leadingDimension: stride, rightHandSide: b)
        guard info == 0 else { return false }
        for a in 0..<k { x[a] = b[a] }
        return true
    }

    /// The objective over all cells, divided by Σc + users × items − nnz:
    /// Σ_u x_uᵀ(YᵀY)x_u + Σ_obs [c(1 − s)² − s²] + λ(‖X‖² + ‖Y‖²), s = x_u · y_i.
    static func loss(
        users: FactorMatrix, items: FactorMatrix, itemGram gram: [Float], _ byUser: SparseMatrix, _ confidence: [Float],
        _ h: Hyperparameters
    ) -> Double {
        let k = items.factors, stride = items.stride
        var total = 0.0, totalConfidence = 0.0
        var product = [Float](repeating: 0, count: stride)
        users.values.withUnsafeBufferPointer { xs in
            items.values.withUnsafeBufferPointer { ys in
                gram.withUnsafeBufferPointer { g in
                    byUser.rowStarts.withUnsafeBufferPointer { starts in
                        byUser.columns.withUnsafeBufferPointer { columns in
                            confidence.withUnsafeBufferPointer { c in
                                product.withUnsafeMutableBufferPointer { product in
                                    let xs = xs.baseAddress!, ys = ys.baseAddress!, product = product.baseAddress!
                                    for u in 0..<users.rows {
                                        let x = xs + u * stride
                                        VectorKernels.symmetricProduct(
                                            g.baseAddress!, x, into: product, order: k, stride: stride)
                                        var userTotal = VectorKernels.dot(x, product, count: stride)
                                        for e in starts[u]..<starts[u + 1] {
                                            let s = VectorKernels.dot(x, ys + Int(columns[e]) * stride, count: stride)
                                            userTotal += c[e] * (1 - s) * (1 - s) - s * s
                                            totalConfidence += Double(c[e])
                                        }
                                        total += Double(userTotal)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        total += Double(h.regularization) * (users.squaredNorm + items.squaredNorm)
        let cells = Double(users.rows) * Double(items.rows) - Double(byUser.nonZeroCount)
        return total / max(totalConfidence + cells, 1)
    }

    /// The MIND impression protocol by fold-in: the user vector is solved from the impression's
    /// history alone, exactly as a training user step would (A = YᵀY + λI + Σ_h (c − 1) y_h y_hᵀ,
    /// b = Σ_h c y_h, c = 1 + alpha, by Cholesky), against the final item factors; then
    /// score(c) = x · y_c. An empty history (or a singular system) gets popularity.
    /// O(history · k² + k³ + candidates · k).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let columns = history.filter { $0 >= 0 && Int($0) < itemFactors.rows }
        let k = itemFactors.factors, stride = itemFactors.stride
        var x = [Float](repeating: 0, count: stride)
        var solved = false
        if !columns.isEmpty && itemGram.count == stride * stride {
            let h = hyperparameters
            var gram = itemGram
            for a in 0..<k { gram[a * stride + a] += h.regularization }
            let confidence = [Float](repeating: 1 + h.alpha, count: columns.count)
            var scratch = [Float](repeating: 0, count: stride * (stride + 1))
            solved = itemFactors.values.withUnsafeBufferPointer { y in
                gram.withUnsafeBufferPointer { g in
                    columns.withUnsafeBufferPointer { c in
                        confidence.withUnsafeBufferPointer { w in
                            x.withUnsafeMutableBufferPointer { xs in
                                scratch.withUnsafeMutableBufferPointer { s in
                                    Self.cholesky(
                                        x: xs.baseAddress!, y: y.baseAddress!, gram: g.baseAddress!, columns: c.baseAddress!,
                                        confidence: w.baseAddress!, entries: 0..<columns.count, factors: k, stride: stride,
                                        scratch: s.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard solved else {
            for (index, item) in candidates.enumerated() {
                scores[index] = item >= 0 && Int(item) < itemCounts.count ? itemCounts[Int(item)] : 0
            }
            return
        }
        x.withUnsafeBufferPointer { xs in
            itemFactors.values.withUnsafeBufferPointer { ys in
                for (index, item) in candidates.enumerated() {
                    scores[index] =
                        item >= 0 && Int(item) < itemFactors.rows
                        ? VectorKernels.dot(xs.baseAddress!, ys.baseAddress! + Int(item) * stride, count: stride) : 0
                }
            }
        }
    }

    /// x_u · y_i for every item; item popularity for a user without training rows.
    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        guard u >= 0 && u < knownUsers.count && knownUsers[u] else {
            for i in 0..<scores.count { scores[i] = i < itemCounts.count ? itemCounts[i] : 0 }
            return
        }
        let stride = itemFactors.stride
        userFactors.values.withUnsafeBufferPointer { xs in
            itemFactors.values.withUnsafeBufferPointer { ys in
                let x = xs.baseAddress! + u * stride
                for i in 0..<min(scores.count, itemFactors.rows) {
                    scores[i] = VectorKernels.dot(x, ys.baseAddress! + i * stride, count: stride)
                }
            }
        }
    }
}
