public import RecData

/// The `dataset: {synthetic: …}` section: the parameters of RecData's linked synthetic data set,
/// which a worker generates before training. One type, so the sweep file and the generator cannot
/// disagree on a default; absent keys take ``SyntheticConfig``'s defaults.
public typealias SyntheticDatasetSpec = SyntheticConfig

extension SyntheticConfig {
    /// `users=600,bothFraction=0.6,…` in declaration order, doubles in shortest round-trip form:
    /// what the data set fingerprint hashes, so `synthetic: {}` and the defaults written out give
    /// the same trial ids. Planted groups are appended only when on, so ids without them are unchanged.
    var canonicalText: String {
        "users=\(users),bothFraction=\(bothFraction),movies=\(movies),news=\(news),density=\(density),"
            + "affinityStrength=\(affinityStrength),noise=\(noise),seed=\(seed)"
            + (groups > 0 ? ",groups=\(groups),groupSpread=\(groupSpread)" : "")
    }
}
