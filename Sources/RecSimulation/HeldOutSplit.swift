public import RecData
import SeededRandom

/// A data set cut in two for a fitted click model: `training` keeps most of every domain's rows
/// (what the policies learn from, and the click model's features), `heldOut` the rest (what the
/// click model is fitted to). Each row is held out with probability `fraction`, drawn from `seed`.
public struct HeldOutSplit: Sendable {
    public var training: Dataset
    /// Per domain (the data set's order): the held-out rows.
    public var heldOut: [Interactions]

    public init(_ dataset: Dataset, fraction: Double, seed: UInt64) {
        precondition(fraction > 0 && fraction < 1, "held-out fraction \(fraction): must be in (0, 1)")
        var random = SplitMix64(seed: seed)
        training = dataset
        heldOut = []
        for (d, domain) in dataset.domains.enumerated() {
            let rows = domain.interactions
            var kept = Interactions(), held = Interactions()
            for k in 0..<rows.count {
                let timestamp = k < rows.timestamps.count ? rows.timestamps[k] : 0
                if random.nextUnit() < fraction {
                    held.users.append(rows.users[k]); held.items.append(rows.items[k])
                    held.values.append(rows.values[k]); held.timestamps.append(timestamp)
                } else {
                    kept.users.append(rows.users[k]); kept.items.append(rows.items[k])
                    kept.values.append(rows.values[k]); kept.timestamps.append(timestamp)
                }
            }
            training.domains[d].interactions = kept
            training.domains[d].givenTest = nil
            heldOut.append(held)
        }
    }
}
