internal import RecData

/// The alternating exact solves of ``UnifiedModel``: per half-step every row's normal equations
/// (the weighted Gram matrix of the fixed side plus its observed rows), solved by LAPACK `sposv`.
extension UnifiedModel {
    /// One domain's matrices, confidences, weight and item factors.
    struct Block {
        var byUser: SparseMatrix
        var byItem: SparseMatrix
        var userConfidence: [Float]
        var itemConfidence: [Float]
        var weight: Float
        var items: FactorMatrix
        /// With `specific_factors`: the coordinates this domain's items use (the shared ones and
        /// their own domain's); the others are held at 0. nil: all.
        var active: [Bool]? = nil
    }

    /// Every user's exact solve against all blocks' item factors, rows spread over `threads`
    /// (each row's system is built and solved alone, in a fixed order: the result does not
    /// depend on the thread count). A user u with `hidden[u]` is solved without their rows in the
    /// evaluated block (block 0), as a cold user would be (``Hyperparameters/coldSimulation``).
    static func solveUsers(
        _ users: inout FactorMatrix, _ blocks: [Block], _ h: Hyperparameters, hidingEvaluatedRowsOf hidden: [Bool] = []
    ) throws(ModelError) {
        let k = users.factors, stride = users.stride
        let bases = gramsByMembership(users: users.rows, blocks, h, hidden: hidden)
        let rows = users.rows
        let failed = users.values.withUnsafeMutableBufferPointer { values in
            let output = SharedRows(base: values.baseAddress!, stride: stride)
            return ParallelRows.firstFailure(rows: rows, threads: ParallelRows.threads(requested: h.threads)) { range in
                var matrix = [Float](repeating: 0, count: stride * stride)
                var rhs = [Float](repeating: 0, count: stride)
                for u in range {
                    let x = output.row(u)
                    guard blocks.contains(where: { $0.byUser.rowLength(u) > 0 }) else {
                        x.update(repeating: 0, count: stride)
                        continue
                    }
                    let base = bases.grams[bases.ofUser[u]]
                    matrix.withUnsafeMutableBufferPointer { m in
                        base.withUnsafeBufferPointer { m.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                    }
                    for a in 0..<stride { rhs[a] = 0 }
                    for (b, block) in blocks.enumerated() where b > 0 || hidden.isEmpty || !hidden[u] {
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

    /// The fixed part of each user's normal equations: Σ_b w_b Y_bᵀY_b + λI over every block
    /// (``AbsentUsers/negative``: one matrix for all), or over the blocks the user has rows in
    /// (``AbsentUsers/unobserved``: one matrix per membership pattern that occurs, summed in block
    /// order); `ofUser[u]` indexes `grams`.
    static func gramsByMembership(
        users: Int, _ blocks: [Block], _ h: Hyperparameters, hidden: [Bool] = []
    ) -> (grams: [[Float]], ofUser: [Int]) {
        guard h.absentUsers == .unobserved else {
            let all = FactorMatrix.weightedGram(blocks.map { ($0.items, $0.weight) }, ridge: h.regularization)
            return ([all], [Int](repeating: 0, count: users))
        }
        let perBlock = blocks.map { FactorMatrix.weightedGram([($0.items, $0.weight)], ridge: 0) }
        let k = blocks[0].items.factors, stride = blocks[0].items.stride
        var patterns: [[Bool]: Int] = [:]
        var grams: [[Float]] = []
        var ofUser = [Int](repeating: 0, count: users)
        for u in 0..<users {
            let member = blocks.indices.map { b in
                blocks[b].byUser.rowLength(u) > 0 && (b > 0 || hidden.isEmpty || !hidden[u])
            }
            if let index = patterns[member] {
                ofUser[u] = index
                continue
            }
            var sum = [Float](repeating: 0, count: stride * stride)
            for (b, gram) in perBlock.enumerated() where member[b] {
                for index in sum.indices { sum[index] += gram[index] }
            }
            for a in 0..<k { sum[a * stride + a] += h.regularization }
            patterns[member] = grams.count
            ofUser[u] = grams.count
            grams.append(sum)
        }
        return (grams, ofUser)
    }

    /// XᵀX over the users with rows in `block` (the others' rows count as zero), for
    /// ``AbsentUsers/unobserved``.
    static func gram(of users: FactorMatrix, withRowsIn block: Block) -> [Float] {
        var members = users
        for u in 0..<users.rows where block.byUser.rowLength(u) == 0 { members.clear(row: u) }
        return members.gram()
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
        let active = block.active
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
                    if let active { pin(&matrix, &rhs, inactive: active, factors: k, stride: stride) }
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

    /// Holds the coordinates outside `active` at 0: their rows and columns become those of the
    /// identity and their right-hand side 0, so the solve over the active ones is unchanged.
    @inline(__always)
    static func pin(_ matrix: inout [Float], _ rhs: inout [Float], inactive active: [Bool], factors k: Int, stride: Int) {
        for a in 0..<k where !active[a] {
            for b in 0..<k {
                matrix[a * stride + b] = 0
                matrix[b * stride + a] = 0
            }
            matrix[a * stride + a] = 1
            rhs[a] = 0
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

    static func notPositiveDefinite(_ what: String, _ h: Hyperparameters) -> ModelError {
        ModelError(
            model: name, message: "the system of \(what) is not positive definite; raise reg (now \(h.regularization))")
    }
}
