import Foundation

/// The click loss of impression ranking (NPA/NRMS style): each impression g shows a group of
/// candidates with scores s and labels (1 clicked, 0 not clicked), and the clicked ones should win
/// the softmax over the group:
///
///     L_g = −(1/|C_g|) Σ_{c ∈ C_g} log softmax(s_g)_c = log Σ_{j ∈ g} e^{s_j} − (1/|C_g|) Σ_{c ∈ C_g} s_c
///     loss = (1/G) Σ_g L_g,     ∂loss/∂s_j = (p_j − [j ∈ C_g] / |C_g|) / G   for j in group g
///
/// with C_g the clicked candidates and p = softmax(s_g). Only groups with at least one click and at
/// least one non-click count (G of them): a group without a click or without a non-click has
/// nothing to rank and contributes neither loss nor gradient. Candidates labelled −1 (unlabelled,
/// as in MIND's test set) are left out of their group's softmax.
///
/// Unlike NRMS's training, which pairs each click with K sampled non-clicks, every candidate of the
/// impression is in the softmax, and several clicks share it.
/// - Complexity: O(candidates) time, one exponential per candidate.
public struct ImpressionSoftmax: Sendable, Hashable {
    public init() {}

    /// The mean loss over the counted groups, its gradient with respect to `scores` (zero in the
    /// groups that do not count) and the number G of groups that count; (0, zeros, 0) when none does.
    /// - Parameters:
    ///   - offsets: G' + 1 non-decreasing offsets into `scores`, from 0 to `scores.count` (the layout
    ///     of `MINDImpressionLog.candidateStarts`).
    ///   - labels: one per score: 1 clicked, 0 not clicked, −1 unlabelled.
    public func loss(scores: [Float], offsets: [Int], labels: [Int8])
        -> (loss: Float, gradient: [Float], groupCount: Int)
    {
        precondition(labels.count == scores.count, "ImpressionSoftmax needs one label per score")
        precondition(
            offsets.first == 0 && offsets.last == scores.count
                && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 },
            "impression offsets must run non-decreasing from 0 to scores.count (\(scores.count))")
        var gradient = [Float](repeating: 0, count: scores.count)
        var total = 0.0
        var counted: [Range<Int>] = []
        for g in 0..<(offsets.count - 1) {
            let group = offsets[g]..<offsets[g + 1]
            let clicks = group.reduce(0) { $0 + (labels[$1] == 1 ? 1 : 0) }
            let others = group.reduce(0) { $0 + (labels[$1] == 0 ? 1 : 0) }
            guard clicks > 0 && others > 0 else { continue }
            counted.append(group)
            var largest = -Float.infinity
            for j in group where labels[j] >= 0 { largest = max(largest, scores[j]) }
            var sum = Float(0)
            var clickedMean = Float(0)
            for j in group where labels[j] >= 0 {
                let e = exp(scores[j] - largest)
                gradient[j] = e
                sum += e
                if labels[j] == 1 { clickedMean += scores[j] - largest }
            }
            clickedMean /= Float(clicks)
            total += Double(log(sum) - clickedMean)
            for j in group where labels[j] >= 0 {
                gradient[j] = gradient[j] / sum - (labels[j] == 1 ? 1 / Float(clicks) : 0)
            }
        }
        guard !counted.isEmpty else { return (0, gradient, 0) }
        let scale = 1 / Float(counted.count)
        for group in counted {
            for j in group { gradient[j] *= scale }
        }
        return (Float(total / Double(counted.count)), gradient, counted.count)
    }
}
