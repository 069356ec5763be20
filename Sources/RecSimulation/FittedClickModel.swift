import Foundation
import RecData
import SeededRandom

/// A click model fitted to real interactions, for data with no planted truth. It is a model of
/// users, not users, and every report says so.
///
/// Logistic regression on held-out interactions (label 1) against items the user never touched
/// drawn at random (label 0, `negativesPerPositive` per positive, seeded), with features from the
/// training rows only: one intercept per domain, the item's popularity `log(1 + count)` in its
/// domain, and the user's affinity for the item's categories (the mean, over the item's
/// categories, of the share of the user's training rows in that domain that carry the category).
/// Fitted by gradient descent with a small L2 penalty (deterministic). Its probabilities are
/// calibrated to a 1 : `negativesPerPositive` mix of interacted and random items, not to real
/// impressions, so absolute CTRs mean little; differences between policies under it are what it
/// offers.
public struct FittedClickModel: ClickModel {
    /// [intercept per domain…, popularity, category affinity].
    public let weights: [Double]
    public let heldOutRows: Int
    public let negativesPerPositive: Int
    /// Mean log loss on the fitting rows.
    public let logLoss: Double
    let popularity: [[Double]]
    let categories: [[[Int32]]]
    /// Per domain, per user: category → share of the user's training rows in that domain.
    let affinity: [[[Int32: Double]]]

    public var description: String {
        "a logistic click model fitted on \(heldOutRows) held-out interactions against \(negativesPerPositive) random items each (a model of users, not users; calibrated to that mix, not to real impressions)"
    }

    public init(split: HeldOutSplit, negativesPerPositive: Int = 4, seed: UInt64 = 1) throws {
        let dataset = split.training
        precondition(negativesPerPositive >= 1, "negatives per positive: at least 1")
        var popularity: [[Double]] = []
        var categories: [[[Int32]]] = []
        var affinity: [[[Int32: Double]]] = []
        var consumed: [[Int32: Set<Int32>]] = []
        for (d, domain) in dataset.domains.enumerated() {
            var counts = [Double](repeating: 0, count: domain.items.count)
            var perUser = [[Int32: Double]](repeating: [:], count: dataset.users.count)
            var rowsPerUser = [Double](repeating: 0, count: dataset.users.count)
            var seen: [Int32: Set<Int32>] = [:]
            let itemCategories = (0..<domain.items.count).map { domain.catalog.records.indices.contains($0) ? domain.catalog.records[$0]?.categories ?? [] : [] }
            let rows = domain.interactions
            for k in 0..<rows.count {
                let user = Int(rows.users[k]), item = rows.items[k]
                counts[Int(item)] += 1
                rowsPerUser[user] += 1
                for category in itemCategories[Int(item)] { perUser[user][category, default: 0] += 1 }
                seen[rows.users[k], default: []].insert(item)
            }
            for user in perUser.indices where rowsPerUser[user] > 0 {
                for key in perUser[user].keys { perUser[user][key]! /= rowsPerUser[user] }
            }
            for k in 0..<split.heldOut[d].count { seen[split.heldOut[d].users[k], default: []].insert(split.heldOut[d].items[k]) }
            popularity.append(counts.map { log(1 + $0) })
            categories.append(itemCategories)
            affinity.append(perUser)
            consumed.append(seen)
        }
        self.popularity = popularity
        self.categories = categories
        self.affinity = affinity
        self.negativesPerPositive = negativesPerPositive

        // Fitting rows: each held-out interaction, and random untouched items of its domain.
        var features: [[Double]] = []
        var labels: [Double] = []
        var random = SplitMix64(seed: seed)
        let domainCount = dataset.domains.count
        func row(_ d: Int, _ user: Int32, _ item: Int32) -> [Double] {
            var x = [Double](repeating: 0, count: domainCount + 2)
            x[d] = 1
            x[domainCount] = popularity[d][Int(item)]
            x[domainCount + 1] = Self.categoryAffinity(affinity[d][Int(user)], categories[d][Int(item)])
            return x
        }
        for d in 0..<domainCount {
            let held = split.heldOut[d]
            let itemCount = dataset.domains[d].items.count
            for k in 0..<held.count {
                features.append(row(d, held.users[k], held.items[k]))
                labels.append(1)
                var drawn = 0, attempts = 0
                while drawn < negativesPerPositive && attempts < 50 * negativesPerPositive {
                    attempts += 1
                    let item = Int32(random.next(below: itemCount))
                    if consumed[d][held.users[k]]?.contains(item) == true { continue }
                    features.append(row(d, held.users[k], item))
                    labels.append(0)
                    drawn += 1
                }
            }
        }
        guard labels.contains(1) else {
            throw SimulationError("no held-out interaction to fit a click model to: the data set is too small")
        }
        heldOutRows = labels.filter { $0 == 1 }.count
        // Standardize the two numeric features for the descent, then fold the scaling back.
        let width = domainCount + 2
        var mean = [Double](repeating: 0, count: width), scale = [Double](repeating: 1, count: width)
        for j in domainCount..<width {
            let column = features.map { $0[j] }
            mean[j] = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean[j]) * ($1 - mean[j]) } / Double(column.count)
            scale[j] = variance > 0 ? variance.squareRoot() : 1
        }
        let z = features.map { x in (0..<width).map { j in j < domainCount ? x[j] : (x[j] - mean[j]) / scale[j] } }
        var w = [Double](repeating: 0, count: width)
        let rate = 0.5, penalty = 1e-4, n = Double(z.count)
        var loss = 0.0
        for _ in 0..<400 {
            var gradient = w.map { penalty * $0 }
            loss = 0
            for (x, y) in zip(z, labels) {
                let p = Self.sigmoid(zip(w, x).reduce(0) { $0 + $1.0 * $1.1 })
                for j in 0..<width { gradient[j] += (p - y) * x[j] / n }
                loss -= (y * log(max(p, 1e-12)) + (1 - y) * log(max(1 - p, 1e-12))) / n
            }
            for j in 0..<width { w[j] -= rate * gradient[j] }
        }
        // Back to raw features: w·z = Σ w_j (x_j − m_j)/s_j over the numeric ones.
        var raw = w
        for j in domainCount..<width {
            raw[j] = w[j] / scale[j]
            for d in 0..<domainCount { raw[d] -= w[j] * mean[j] / scale[j] }
        }
        weights = raw
        logLoss = loss
    }

    public func clickProbability(user: Int32, _ item: SlateItem) -> Double {
        let domainCount = popularity.count
        let x = weights[item.domain] + weights[domainCount] * popularity[item.domain][Int(item.item)]
            + weights[domainCount + 1] * Self.categoryAffinity(affinity[item.domain][Int(user)], categories[item.domain][Int(item.item)])
        return Self.sigmoid(x)
    }

    static func categoryAffinity(_ shares: [Int32: Double], _ categories: [Int32]) -> Double {
        guard !categories.isEmpty else { return 0 }
        return categories.reduce(0) { $0 + (shares[$1] ?? 0) } / Double(categories.count)
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
