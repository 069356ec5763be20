internal import RecData

/// Scoring by the learned vectors: every item of the evaluated or another domain, and MIND
/// impressions by fold-in of the history.
extension UnifiedModel {
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
        let u = Int(user)
        for (index, gram) in otherFoldInGrams.enumerated()
        where !(u >= 0 && u < otherRows[index].byUser.rowCount && otherRows[index].byUser.rowLength(u) > 0) {
            // AbsentUsers.unobserved: a domain the user has no rows in adds nothing to the system.
            for entry in matrix.indices { matrix[entry] -= gram[entry] }
        }
        var rhs = [Float](repeating: 0, count: stride)
        var rows = 0
        for item in history where item >= 0 && Int(item) < itemFactors.rows {
            Self.accumulate(itemFactors, row: Int(item), outer: h.alpha, linear: 1 + h.alpha, into: &matrix, &rhs)
            rows += 1
        }
        for (index, other) in otherRows.enumerated() where u >= 0 && u < other.byUser.rowCount {
            for e in other.byUser.rowRange(u) {
                let c = other.confidence[e]
                Self.accumulate(
                    otherItemFactors[index], row: Int(other.byUser.columns[e]), outer: other.weight * (c - 1),
                    linear: other.weight * c, into: &matrix, &rhs)
                rows += 1
            }
        }
        var x = FactorMatrix(rows: 1, factors: itemFactors.factors)
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

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        if let cold = coldUsersModel(for: user) { return cold.scoreAll(user: user, into: scores) }
        Self.score(user: user, users: userFactors, known: knownUsers, items: itemFactors, popularity: popularity, into: scores)
        blendPopularityForColdUser(user, into: scores)
    }

    /// Scores every item of the other domain `name` (one of ``otherDomainNames``) for `user` with
    /// the same user vector: what a mixed slate ranks. False when the model did not learn that domain.
    public func scoreOtherDomain(_ name: String, user: Int32, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        if let cold = coldUsers.first, coldUsersModel(for: user) != nil || !otherDomainNames.contains(name) {
            // The cold users' model, or (w = 0 for everyone else) the one model that learned the domain.
            return cold.scoreOtherDomain(name, user: user, into: scores)
        }
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
            PopularityFallback.scoreAll(popularity, into: scores)
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
