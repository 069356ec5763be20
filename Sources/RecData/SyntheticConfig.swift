/// Parameters of the synthetic linked data set written by ``SyntheticGenerator``.
///
/// The defaults give a quick data set (600 users, about 12,000 ratings and 8,000 impressions).
/// Decoding fills absent keys with the defaults, so a parameter file may name only what it changes.
public struct SyntheticConfig: Codable, Hashable, Sendable {
    /// People in the latent population (at least 2).
    public var users: Int
    /// Fraction of users present in both domains; the rest are split evenly between movies only
    /// and news only (movies get the odd one).
    public var bothFraction: Double
    /// Movies in the catalog (at least 10).
    public var movies: Int
    /// News articles in the catalog (at least 10).
    public var news: Int
    /// Mean fraction of a catalog a user interacts with: about `density × movies` ratings per movie
    /// user and `density × news` clicks per news user, spread log-normally across users. In (0, 1].
    public var density: Double
    /// How strongly topic tastes follow genre tastes through the planted affinity matrix, in [0, 1].
    /// 0 is the negative control: topic tastes independent of genre tastes.
    public var affinityStrength: Double
    /// Standard deviation of the Gaussian noise added to a rating before rounding (≥ 0).
    public var noise: Double
    /// Seed of every random stream; the same configuration gives byte-identical files.
    public var seed: UInt64
    /// Planted user groups (0: none, the default). With K > 0 each user belongs to one of K groups
    /// (dealt out evenly, shuffled) and their genre taste is drawn around the group's prototype:
    /// g = normalise((1 − groupSpread) p_k + groupSpread · Dirichlet(0.3)), p_k ~ Dirichlet(0.3) (the
    /// most separated of 32 draws of the K prototypes: see `SyntheticGenerator`).
    /// Topic tastes follow g through the affinity as always, so at affinity 0 the groups plant no
    /// genre–topic link. Off by default so that existing data stays byte-identical.
    public var groups: Int
    /// How far a grouped user's genre taste strays from the group prototype, in [0, 1] (1: not at all
    /// grouped). Read only when `groups` > 0.
    public var groupSpread: Double

    public static let defaultUsers = 600
    public static let defaultBothFraction = 0.6
    public static let defaultMovies = 400
    public static let defaultNews = 500
    public static let defaultDensity = 0.05
    public static let defaultAffinityStrength = 0.8
    public static let defaultNoise = 0.5
    public static let defaultSeed: UInt64 = 42
    public static let defaultGroupSpread = 0.15
    /// Upper bound of `groups`.
    public static let maximumGroups = 50

    public init(
        users: Int = defaultUsers, bothFraction: Double = defaultBothFraction, movies: Int = defaultMovies,
        news: Int = defaultNews, density: Double = defaultDensity, affinityStrength: Double = defaultAffinityStrength,
        noise: Double = defaultNoise, seed: UInt64 = defaultSeed, groups: Int = 0, groupSpread: Double = defaultGroupSpread
    ) {
        self.users = users
        self.bothFraction = bothFraction
        self.movies = movies
        self.news = news
        self.density = density
        self.affinityStrength = affinityStrength
        self.noise = noise
        self.seed = seed
        self.groups = groups
        self.groupSpread = groupSpread
    }

    enum CodingKeys: String, CodingKey {
        case users, bothFraction, movies, news, density, affinityStrength, noise, seed, groups, groupSpread
    }

    /// The group keys are written only when `groups` > 0, so a configuration without groups encodes
    /// exactly as before they existed (its cache folder and trial ids do not change).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(users, forKey: .users)
        try container.encode(bothFraction, forKey: .bothFraction)
        try container.encode(movies, forKey: .movies)
        try container.encode(news, forKey: .news)
        try container.encode(density, forKey: .density)
        try container.encode(affinityStrength, forKey: .affinityStrength)
        try container.encode(noise, forKey: .noise)
        try container.encode(seed, forKey: .seed)
        if groups > 0 {
            try container.encode(groups, forKey: .groups)
            try container.encode(groupSpread, forKey: .groupSpread)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decodeIfPresent(Int.self, forKey: .users) ?? Self.defaultUsers
        bothFraction = try container.decodeIfPresent(Double.self, forKey: .bothFraction) ?? Self.defaultBothFraction
        movies = try container.decodeIfPresent(Int.self, forKey: .movies) ?? Self.defaultMovies
        news = try container.decodeIfPresent(Int.self, forKey: .news) ?? Self.defaultNews
        density = try container.decodeIfPresent(Double.self, forKey: .density) ?? Self.defaultDensity
        affinityStrength =
            try container.decodeIfPresent(Double.self, forKey: .affinityStrength) ?? Self.defaultAffinityStrength
        noise = try container.decodeIfPresent(Double.self, forKey: .noise) ?? Self.defaultNoise
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? Self.defaultSeed
        groups = try container.decodeIfPresent(Int.self, forKey: .groups) ?? 0
        groupSpread = try container.decodeIfPresent(Double.self, forKey: .groupSpread) ?? Self.defaultGroupSpread
    }

    /// Upper bounds that keep dense indices in `Int32` and memory sane.
    public static let maximumUsers = 50_000_000
    public static let maximumItems = 10_000_000

    /// Throws the first parameter that is out of range, naming it.
    public func validate() throws(DataError) {
        func fail(_ name: String, _ message: String) -> DataError {
            DataError(.invalidArgument, file: "<parameters>", fieldName: name, message: message)
        }
        guard users >= 2 && users <= Self.maximumUsers else {
            throw fail("users", "expected an integer 2…\(Self.maximumUsers), got \(users)")
        }
        guard bothFraction.isFinite && (0...1).contains(bothFraction) else {
            throw fail("bothFraction", "expected a fraction in [0, 1], got \(bothFraction)")
        }
        guard movies >= 10 && movies <= Self.maximumItems else {
            throw fail("movies", "expected an integer 10…\(Self.maximumItems), got \(movies)")
        }
        guard news >= 10 && news <= Self.maximumItems else {
            throw fail("news", "expected an integer 10…\(Self.maximumItems), got \(news)")
        }
        guard density.isFinite && density > 0 && density <= 1 else {
            throw fail("density", "expected a fraction in (0, 1], got \(density)")
        }
        guard affinityStrength.isFinite && (0...1).contains(affinityStrength) else {
            throw fail("affinityStrength", "expected a value in [0, 1], got \(affinityStrength)")
        }
        guard noise.isFinite && noise >= 0 && noise <= 10 else {
            throw fail("noise", "expected a standard deviation in [0, 10], got \(noise)")
        }
        guard groups >= 0 && groups <= min(Self.maximumGroups, users) else {
            throw fail("groups", "expected 0 (no planted groups) or 1…\(min(Self.maximumGroups, users)) (at most one per user), got \(groups)")
        }
        guard groupSpread.isFinite && (0...1).contains(groupSpread) else {
            throw fail("groupSpread", "expected a value in [0, 1], got \(groupSpread)")
        }
    }
}
