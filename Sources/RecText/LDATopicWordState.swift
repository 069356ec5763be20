internal import Foundation

/// The online fit's λ, kept so that an M-step costs O(words in the batch · K) instead of O(V·K).
///
/// A word absent from a batch only decays towards the prior, λ ← (1 − ρ)·λ + ρ·η, that is
/// λ − η ← (1 − ρ)·(λ − η). So λ_wk = η + s·μ_wk with one shared scale s = Π_t (1 − ρ_t):
/// the decay of every word is the update of s alone, and a word in the batch, whose
/// λ̂_wk = η + r·S_wk (r = D/|B|, S the sufficient statistics times exp(E[log β])), gets
/// μ_wk += ρ·r·S_wk / s_new. The topic totals Σ_w λ_wk = V·η + s·Σ_w μ_wk follow from running
/// sums of μ, recomputed exactly at each pass. exp(E[log β]) is computed only for the batch's
/// words, when the E-step needs it. Mathematically the same λ as the dense update (and as
/// scikit-learn's); numerically it differs by rounding only.
///
/// When s falls below 1e-200 (after about 10⁷ batches at κ = 0.7, or at once when ρ = 1) μ is
/// rescaled to s = 1, an O(V·K) step.
struct LDATopicWordState {
    let topicCount: Int
    let termCount: Int
    let eta: Double
    /// (λ − η) / scale, word-major V × K.
    private(set) var offsets: [Double]
    private(set) var scale = 1.0
    /// Σ_w offsets[w, k] per topic.
    private var offsetTotals: [Double]

    init(lambda: [Double], topicCount: Int, eta: Double) {
        self.topicCount = topicCount
        self.termCount = lambda.count / topicCount
        self.eta = eta
        offsets = lambda.map { $0 - eta }
        offsetTotals = [Double](repeating: 0, count: topicCount)
        recomputeTotals()
    }

    /// λ, word-major. O(V·K).
    var lambda: [Double] { offsets.map { eta + scale * $0 } }

    /// Σ_w λ_wk per topic. O(K).
    var topicTotals: [Double] { offsetTotals.map { Double(termCount) * eta + scale * $0 } }

    /// Sums μ afresh, so that rounding does not accumulate over passes. O(V·K).
    mutating func recomputeTotals() {
        for topic in 0..<topicCount { offsetTotals[topic] = 0 }
        for word in 0..<termCount {
            for topic in 0..<topicCount { offsetTotals[topic] += offsets[word * topicCount + topic] }
        }
    }

    /// Fills row j of `table` (|words| × K) with exp(ψ(λ_wk) − ψ(Σ_v λ_vk)) for w = words[j].
    /// O(|words|·K) digammas and exponentials.
    func expectationExp(of words: [Int32], into table: inout [Double]) {
        let k = topicCount
        if table.count < words.count * k { table = [Double](repeating: 0, count: words.count * k) }
        let digammaOfTotals = topicTotals.map(Double.digamma)
        let scale = scale
        let eta = eta
        offsets.withUnsafeBufferPointer { offsets in
            table.withUnsafeMutableBufferPointer { table in
                for (row, word) in words.enumerated() {
                    let source = Int(word) * k
                    let target = row * k
                    for topic in 0..<k {
                        let lambda = eta + scale * offsets[source + topic]
                        table[target + topic] = exp(Double.digamma(lambda) - digammaOfTotals[topic])
                    }
                }
            }
        }
    }

    /// The M-step λ ← (1 − ρ)·λ + ρ·(η + r·S) for every word, where `statistics` (|words| × K)
    /// holds S for `words` and S = 0 elsewhere. O(|words|·K), plus O(V·K) on a rescale.
    mutating func update(words: [Int32], statistics: [Double], rho: Double, ratio: Double) {
        let k = topicCount
        let decay = 1 - rho
        if decay <= 0 {
            // ρ = 1: λ becomes λ̂; every word's μ restarts from 0.
            for index in offsets.indices { offsets[index] = 0 }
            for topic in 0..<k { offsetTotals[topic] = 0 }
            scale = 1
        } else if scale * decay < 1e-200 {
            for index in offsets.indices { offsets[index] *= scale }
            scale = 1
            recomputeTotals()
            scale = decay
        } else {
            scale *= decay
        }
        let step = (decay <= 0 ? 1 : rho) * ratio / scale
        statistics.withUnsafeBufferPointer { statistics in
            offsets.withUnsafeMutableBufferPointer { offsets in
                offsetTotals.withUnsafeMutableBufferPointer { totals in
                    for (row, word) in words.enumerated() {
                        let target = Int(word) * k
                        let source = row * k
                        for topic in 0..<k {
                            let change = step * statistics[source + topic]
                            offsets[target + topic] += change
                            totals[topic] += change
                        }
                    }
                }
            }
        }
    }
}
