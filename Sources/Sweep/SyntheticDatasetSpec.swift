/// The `dataset: {synthetic: …}` section: parameters of the linked synthetic data set a worker
/// generates before training (RecData's `SyntheticConfig`, which `Sweep` cannot import).
///
/// Absent keys take the generator's defaults, repeated here; keep them in step with
/// `SyntheticConfig` (a worker maps this struct onto it field by field). The fingerprint hashes
/// the resolved values, so `synthetic: {}` and the defaults written out give the same trial ids.
public struct SyntheticDatasetSpec: Sendable, Hashable, Codable {
    /// People in the latent population (2…50,000,000).
    public var users: Int
    /// Fraction of users present in both domains, in [0, 1].
    public var bothFraction: Double
    /// Movies in the catalog (10…10,000,000).
    public var movies: Int
    /// News articles in the catalog (10…10,000,000).
    public var news: Int
    /// Mean fraction of a catalog a user interacts with, in (0, 1].
    public var density: Double
    /// How strongly topic tastes follow genre tastes, in [0, 1]; 0 is the negative control.
    public var affinityStrength: Double
    /// Standard deviation of rating noise, in [0, 10].
    public var noise: Double
    /// Seed of the generator's random streams (not the training seed).
    public var seed: UInt64

    public static let defaultUsers = 600
    public static let defaultBothFraction = 0.6
    public static let defaultMovies = 400
    public static let defaultNews = 500
    public static let defaultDensity = 0.05
    public static let defaultAffinityStrength = 0.8
    public static let defaultNoise = 0.5
    public static let defaultSeed: UInt64 = 42

    public init(
        users: Int = defaultUsers, bothFraction: Double = defaultBothFraction, movies: Int = defaultMovies,
        news: Int = defaultNews, density: Double = defaultDensity, affinityStrength: Double = defaultAffinityStrength,
        noise: Double = defaultNoise, seed: UInt64 = defaultSeed
    ) {
        self.users = users
        self.bothFraction = bothFraction
        self.movies = movies
        self.news = news
        self.density = density
        self.affinityStrength = affinityStrength
        self.noise = noise
        self.seed = seed
    }

    /// `users=600,bothFraction=0.6,…` in declaration order, doubles in shortest round-trip form.
    var canonicalText: String {
        "users=\(users),bothFraction=\(bothFraction),movies=\(movies),news=\(news),density=\(density),"
            + "affinityStrength=\(affinityStrength),noise=\(noise),seed=\(seed)"
    }
}
