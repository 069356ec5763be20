/// What a model scores a user by when it knows nothing about them (no training rows, an empty
/// impression history): item popularity, the training rows per item, and 0 for an item past them.
enum PopularityFallback {
    /// scores[i] = counts[i] for every item.
    static func scoreAll(_ counts: [Float], into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count { scores[i] = i < counts.count ? counts[i] : 0 }
    }

    /// scores[k] = counts[candidates[k]] for every candidate.
    static func scoreCandidates(
        _ counts: [Float], candidates: ArraySlice<Int32>, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        for (k, item) in candidates.enumerated() {
            scores[k] = item >= 0 && Int(item) < counts.count ? counts[Int(item)] : 0
        }
    }
}
