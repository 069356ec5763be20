internal import RecData
internal import RecEval

/// Blending two models' scores after standardizing each: the hybrid's CF and content parts
/// (``HybridModel``) and the unified model's vectors and popularity for cold users
/// (``UnifiedModel/ColdPrior/popularity``), and learning the blend weight on a validation split.
public enum ScoreBlend {
    /// The second model's weights tried on validation: 0, 0.05, …, 1.
    public static let weightGrid: [Double] = (0...20).map { Double($0) / 20 }

    /// Replaces `scores` by (s − mean) / std over the entries `excluded` does not flag (Double
    /// sums in index order); every entry becomes 0 when those are constant or there are none.
    public static func standardize(_ scores: inout [Float], excluded: [Bool]?) {
        var count = 0
        var sum = 0.0
        for i in scores.indices where excluded?[i] != true {
            count += 1
            sum += Double(scores[i])
        }
        let mean = count > 0 ? sum / Double(count) : 0
        var squares = 0.0
        for i in scores.indices where excluded?[i] != true { squares += (Double(scores[i]) - mean) * (Double(scores[i]) - mean) }
        let deviation = count > 0 ? (squares / Double(count)).squareRoot() : 0
        guard deviation > 0, deviation.isFinite else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        for i in scores.indices { scores[i] = Float((Double(scores[i]) - mean) / deviation) }
    }

    /// scores[i] = a · first[i] + b · second[i] (Float) for every index of `first`. Callers form a and
    /// b from their weight w: the hybrid as Float(1 − w) and Float(w), the unified cold prior as
    /// 1 − Float(w) and Float(w) (the two roundings differ in the last bit; each keeps its own).
    @inline(__always)
    static func combine(
        _ first: [Float], _ a: Float, _ second: [Float], _ b: Float, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(second.count == first.count && scores.count >= first.count, "combine: \(first.count), \(second.count) scores into \(scores.count)")
        for i in first.indices { scores[i] = a * first[i] + b * second[i] }
    }

    /// Mean validation NDCG@10 of (1 − w)·z(first) + w·z(second) at each weight w of ``weightGrid``,
    /// over the users with a relevant held-out candidate (a seeded sample of `maximumUsers` of them
    /// when there are more). The hybrid blends its CF part (first) with content (second); the
    /// unified model's cold prior blends its vectors with popularity.
    static func validationCurve(
        blending first: AnyRecommender, with second: AnyRecommender, reduced: TrainingData, heldOut: Interactions, isExplicit: Bool,
        maximumUsers: Int, seed: UInt64
    ) -> (ndcg: [Double], users: Int) {
        let itemCount = reduced.itemCount
        let unseen = (0..<itemCount).map { reduced.byItem.rowLength($0) == 0 }
        let threshold = isExplicit ? TopKEvaluator.explicitRelevanceThreshold : -Float.infinity
        var relevant = [[Int32]](repeating: [], count: reduced.userCount)
        for k in 0..<heldOut.count where heldOut.values[k] >= threshold {
            let user = Int(heldOut.users[k]), item = heldOut.items[k]
            guard !unseen[Int(item)], !reduced.byUser.contains(row: user, column: item) else { continue }
            if !relevant[user].contains(item) { relevant[user].append(item) }
        }
        var users = relevant.indices.filter { !relevant[$0].isEmpty }
        if users.count > maximumUsers {
            var generator = SeededGenerator(seed: seed)
            generator.shuffle(&users)
            users = Array(users.prefix(maximumUsers)).sorted()
        }
        var totals = [Double](repeating: 0, count: weightGrid.count)
        var firstScores = [Float](repeating: 0, count: itemCount)
        var secondScores = [Float](repeating: 0, count: itemCount)
        var combined = [Float](repeating: 0, count: itemCount)
        var excluded = [Bool](repeating: false, count: itemCount)
        var isRelevant = [Bool](repeating: false, count: itemCount)
        var selector = TopKSelector(capacity: 10)
        for user in users {
            for i in 0..<itemCount { excluded[i] = unseen[i] }
            for k in reduced.byUser.rowRange(user) { excluded[Int(reduced.byUser.columns[k])] = true }
            firstScores.withUnsafeMutableBufferPointer { first.scoreAll(user: Int32(user), into: $0) }
            secondScores.withUnsafeMutableBufferPointer { second.scoreAll(user: Int32(user), into: $0) }
            standardize(&firstScores, excluded: excluded)
            standardize(&secondScores, excluded: excluded)
            for item in relevant[user] { isRelevant[Int(item)] = true }
            for (g, w) in weightGrid.enumerated() {
                combined.withUnsafeMutableBufferPointer { combine(firstScores, Float(1 - w), secondScores, Float(w), into: $0) }
                let top = selector.select(10, scores: combined, excluded: excluded)
                totals[g] += RankingMetrics.ndcg(
                    hits: top.map { isRelevant[Int($0)] }, k: 10, relevantCount: relevant[user].count)
            }
            for item in relevant[user] { isRelevant[Int(item)] = false }
        }
        return (totals.map { users.isEmpty ? 0 : $0 / Double(users.count) }, users.count)
    }


    /// The grid index of the highest validation score (the first, i.e. the smaller weight, on ties).
    static func bestWeightIndex(_ ndcg: [Double]) -> Int {
        var best = 0
        for k in ndcg.indices where ndcg[k] > ndcg[best] { best = k }
        return best
    }

}
