public import Foundation

/// Writes a synthetic linked data set: MovieLens-format ratings and MIND-format impressions of
/// one latent population, with a planted genre × topic affinity and the truth beside them.
///
/// Generative model (G = 18 genres, T = 14 topics; every draw from a seeded xoshiro256** stream):
/// - Affinity: each genre is linked to one primary topic (weight 1; topics dealt out in shuffled
///   order so each topic gets a genre) and, with probability ½, one secondary topic (weight ½);
///   rows are normalised to sum 1 giving A, and the planted matrix is `s · A` with
///   s = `affinityStrength` (all zeros for s = 0).
/// - Users: genre taste g ~ Dirichlet(0.3); independent topic taste r ~ Dirichlet(0.3);
///   topic taste t = normalise(sAᵀg + (1 − s) r). A fraction `bothFraction` is in both domains,
///   the rest in one (shuffled). MovieLens ids are 1, 2, … in population order; MIND ids `U…` are
///   a shuffled numbering, joined only by `links.csv`. Tastes are rounded to 6 decimals before use
///   and written to truth.json.
/// - Planted groups (only with `groups` K > 0): prototypes p_1…p_K ~ Dirichlet(0.3) over genres,
///   the most separated (largest smallest pairwise total-variation distance) of 32 such sets; users are dealt into the K groups in turn, then the group labels are shuffled; a user of group
///   k has g = normalise((1 − w) p_k + w d), d ~ Dirichlet(0.3) the draw an ungrouped user's g would
///   be, w = `groupSpread`. The group of each user is written to truth.json.
/// - Movies: 1–3 distinct genres (50/35/15 %), frequencies roughly MovieLens'; Zipf-like
///   popularity π. Ratings per user n ~ density · movies · LogNormal(σ 0.7), clamped to 1…movies.
///   A rated movie is drawn by picking a genre k ∝ g_k + 0.02, then a movie of genre k ∝ π (no
///   repeats), so P(movie) grows with the user's taste for its genres.
///   Score σ(m) = mean_{k ∈ m} g_k / max g; rating =
///   clamp(round-to-half(3 + 2(σ(m) − mean σ over the user's rated movies) + noise · N(0, 1)), 0.5, 5).
///   A rating of 4 or more is tagged with probability 0.2, with a word of one of the movie's genres.
///   Rating timestamps: a start uniform over 2000–2017, then gaps of 20 s + Exp(240 s) and, with
///   probability 0.05, an extra Exp(30 days) break.
/// - News: one category (topic), frequencies roughly MIND's; Zipf-like popularity. A news user
///   targets c ~ density · news · LogNormal(σ 0.7) clicks (clamped to 1…news/2) and gets
///   impressions until reaching it: 5–10 candidates drawn ∝ popularity (no repeats, none already
///   clicked); each is clicked with probability 0.02 + 0.55 · t_topic / max t, and when none is,
///   one is clicked ∝ 0.05 + t_topic / max t. Impression times are uniform over 2019-11-09…15
///   (UTC); history = the user's earlier clicks (the latest ``historyLimit``, oldest first).
///   Impressions on 11-15 form `dev`, earlier ones `train`; both `news.tsv` hold the whole catalog.
///
/// - Complexity: O(ratings · log movies + shown · log news) time; memory O(users · (G + T) + movies + news)
///   besides one user's interactions (files are streamed).
/// - Determinism: the same configuration gives byte-identical files on one platform
///   (see ``SyntheticRandom`` about libm).
public struct SyntheticGenerator: Sendable {
    public let config: SyntheticConfig

    /// Bumped whenever a configuration starts giving different files, so caches keyed by the
    /// configuration (`SyntheticCache`) never serve data of an older generator. 2: planted-group
    /// prototypes are the most separated of several draws.
    public static let revision = 2

    /// Clicks kept in a behaviors `history` field.
    public static let historyLimit = 50
    /// Dirichlet concentration of genre and independent topic tastes (below 1: a few favourites).
    static let tasteConcentration = 0.3
    /// 2000-01-01T00:00:00Z: ratings start at or after it.
    static let ratingsEpoch: Int64 = 946_684_800
    /// 2019-11-09T00:00:00Z: the first day of MIND impression logs.
    static let mindEpoch: Int64 = 1_573_257_600
    static let mindDays = 7

    public init(config: SyntheticConfig) throws(DataError) {
        try config.validate()
        self.config = config
    }

    // MARK: - Streams

    enum Stream: UInt64 {
        case affinity = 1
        case movieCatalog = 2
        case newsCatalog = 3
        case roles = 4
        case mindUserIDs = 5
        case groups = 6
    }

    func makeRandom(_ stream: Stream) -> SyntheticRandom { SyntheticRandom(seed: config.seed, stream: stream.rawValue) }

    /// User `user`'s stream `part` (0 tastes, 1 ratings, 2 clicks): independent of other users.
    func makeRandom(user: Int, part: UInt64) -> SyntheticRandom {
        SyntheticRandom(seed: config.seed, stream: 16 + UInt64(user) * 4 + part)
    }

    // MARK: - Planted affinity

    /// The planted genre × topic matrix `s · A` (rows genres, columns topics), rounded to 6 decimals.
    func plantedAffinity() -> [[Double]] {
        let genreCount = SyntheticVocabulary.genres.count
        let topicCount = SyntheticVocabulary.topics.count
        var random = makeRandom(.affinity)
        var order = Array(0..<topicCount)
        random.shuffle(&order)
        var matrix: [[Double]] = []
        for genre in 0..<genreCount {
            var row = [Double](repeating: 0, count: topicCount)
            let primary = order[genre % topicCount]
            row[primary] = 1
            if random.chance(0.5) {
                var secondary = random.index(topicCount - 1)
                if secondary >= primary { secondary += 1 }
                row[secondary] = 0.5
            }
            let total = row.reduce(0, +)
            matrix.append(row.map { SyntheticFixed.round(config.affinityStrength * $0 / total, 6) })
        }
        return matrix
    }

    // MARK: - Users

    enum Role { case both, moviesOnly, newsOnly }

    /// Each latent user's domains: `bothFraction` in both, the rest split (odd one to movies), shuffled.
    func roles() -> [Role] {
        let both = Int((Double(config.users) * config.bothFraction).rounded())
        let rest = config.users - both
        var roles = [Role](repeating: .both, count: both)
        roles += [Role](repeating: .moviesOnly, count: (rest + 1) / 2)
        roles += [Role](repeating: .newsOnly, count: rest / 2)
        var random = makeRandom(.roles)
        random.shuffle(&roles)
        return roles
    }

    /// MIND user numbers `1...count` in shuffled order, so that a linked user's two ids differ and
    /// only `links.csv` joins them (as with real linked data).
    func mindUserNumbers(count: Int) -> [Int] {
        var numbers = Array(1...max(count, 1))
        var random = makeRandom(.mindUserIDs)
        random.shuffle(&numbers)
        return numbers
    }

    /// Candidate prototype sets drawn for planted groups; the most separated one is kept.
    static let prototypeCandidates = 32

    /// The planted groups: K genre prototypes (rounded to 6 decimals) and each user's group; empty
    /// when `groups` is 0 (no draw is made, so the other streams are untouched).
    ///
    /// The prototypes are the most separated of ``prototypeCandidates`` sets of K draws from
    /// Dirichlet(0.3): the set whose closest pair is farthest apart in total variation (the first
    /// such set on ties). Independent draws alone often give two groups the same favourite genres,
    /// and then no method can tell their users apart (issue 16: a Bayes classifier that knows the
    /// prototypes recovered such groups with an adjusted Rand index of 0.70).
    func plantedGroups() -> (prototypes: [[Double]], groupOf: [Int]) {
        guard config.groups > 0 else { return ([], []) }
        var random = makeRandom(.groups)
        var prototypes: [[Double]] = []
        var bestSeparation = -Double.infinity
        for _ in 0..<Self.prototypeCandidates {
            let candidate = (0..<config.groups).map { _ in
                random.dirichlet(count: SyntheticVocabulary.genres.count, concentration: Self.tasteConcentration)
                    .map { SyntheticFixed.round($0, 6) }
            }
            let separation = Self.minimumSeparation(candidate)
            if separation > bestSeparation { (prototypes, bestSeparation) = (candidate, separation) }
        }
        var groupOf = (0..<config.users).map { $0 % config.groups }
        random.shuffle(&groupOf)
        return (prototypes, groupOf)
    }

    /// The smallest total-variation distance between two of `prototypes` (1 for a single one).
    static func minimumSeparation(_ prototypes: [[Double]]) -> Double {
        var smallest = 1.0
        for i in prototypes.indices {
            for j in prototypes.indices where j > i {
                var distance = 0.0
                for k in prototypes[i].indices { distance += abs(prototypes[i][k] - prototypes[j][k]) }
                smallest = min(smallest, distance / 2)
            }
        }
        return smallest
    }

    /// User `user`'s (genre taste, topic taste), rounded to 6 decimals; drawn around `prototype`
    /// when the user belongs to a planted group.
    func tastes(user: Int, affinity: [[Double]], prototype: [Double]? = nil) -> (genre: [Double], topic: [Double]) {
        var random = makeRandom(user: user, part: 0)
        let genreCount = affinity.count
        let topicCount = affinity.first?.count ?? 0
        var own = random.dirichlet(count: genreCount, concentration: Self.tasteConcentration)
        if let prototype {
            let w = config.groupSpread
            own = own.indices.map { (1 - w) * prototype[$0] + w * own[$0] }
            let total = own.reduce(0, +)
            own = own.map { $0 / total }
        }
        let genre = own.map { SyntheticFixed.round($0, 6) }
        let independent = random.dirichlet(count: topicCount, concentration: Self.tasteConcentration)
        var topic = [Double](repeating: 0, count: topicCount)
        for k in 0..<topicCount {
            var linked = 0.0
            for j in 0..<genreCount { linked += affinity[j][k] * genre[j] }
            topic[k] = linked + (1 - config.affinityStrength) * independent[k]
        }
        let total = topic.reduce(0, +)
        return (genre, topic.map { SyntheticFixed.round($0 / total, 6) })
    }

    /// A log-normal activity multiplier with mean 1.
    static func activity(_ random: inout SyntheticRandom) -> Double {
        let sigma = 0.7
        return exp(sigma * random.normal() - sigma * sigma / 2)
    }

    // MARK: - Writing

    /// Generates the data set into `folder` (created when missing; generated files are replaced).
    ///
    /// Writes ``SyntheticLayout/all``. Throws ``DataError`` (`.io`) naming the file that failed.
    public func write(to folder: URL) throws -> SyntheticSummary {
        let manager = FileManager.default
        for subfolder in ["movielens", "mind/train", "mind/dev"] {
            let url = folder.appendingPathComponent(subfolder)
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw DataError(.io, file: url.path, message: "cannot create folder: \(error.localizedDescription)")
            }
        }
        func open(_ path: String) throws(DataError) -> SyntheticFileWriter {
            try SyntheticFileWriter(url: folder.appendingPathComponent(path))
        }

        let affinity = plantedAffinity()
        let movieCatalog = SyntheticMovieCatalog(config: config, random: makeRandom(.movieCatalog))
        let newsCatalog = SyntheticNewsCatalog(config: config, random: makeRandom(.newsCatalog))
        var counts = SyntheticCounts(users: config.users, movies: movieCatalog.count, news: newsCatalog.count)

        var moviesFile = try open(SyntheticLayout.movies)
        try movieCatalog.write(to: &moviesFile)
        try moviesFile.close()
        for path in [SyntheticLayout.trainNews, SyntheticLayout.devNews] {
            var newsFile = try open(path)
            try newsCatalog.write(to: &newsFile)
            try newsFile.close()
        }

        var ratingsFile = try open(SyntheticLayout.ratings)
        var tagsFile = try open(SyntheticLayout.tags)
        var trainFile = try open(SyntheticLayout.trainBehaviors)
        var devFile = try open(SyntheticLayout.devBehaviors)
        var linksFile = try open(SyntheticLayout.links)
        ratingsFile.text("userId,movieId,rating,timestamp")
        try ratingsFile.newline()
        tagsFile.text("userId,movieId,tag,timestamp")
        try tagsFile.newline()
        linksFile.text("movielens_user,mind_user")
        try linksFile.newline()

        var ratingsState = SyntheticRatings(catalog: movieCatalog, config: config)
        var clicksState = SyntheticClicks(catalog: newsCatalog, config: config)
        var truthUsers: [SyntheticTruth.User] = []
        truthUsers.reserveCapacity(config.users)
        let roles = roles()
        let mindNumbers = mindUserNumbers(count: roles.filter { $0 != .moviesOnly }.count)
        let groups = plantedGroups()
        for (user, role) in roles.enumerated() {
            let group = groups.groupOf.isEmpty ? nil : groups.groupOf[user]
            let taste = tastes(user: user, affinity: affinity, prototype: group.map { groups.prototypes[$0] })
            var movielensUser: String?
            var mindUser: String?
            if role != .newsOnly {
                counts.movieUsers += 1
                let id = counts.movieUsers
                movielensUser = String(id)
                var random = makeRandom(user: user, part: 1)
                let written = try ratingsState.writeUser(
                    id: id, genreTaste: taste.genre, random: &random, ratings: &ratingsFile, tags: &tagsFile)
                counts.ratings += written.ratings
                counts.tags += written.tags
            }
            if role != .moviesOnly {
                let id = "U\(mindNumbers[counts.newsUsers])"
                counts.newsUsers += 1
                mindUser = id
                var random = makeRandom(user: user, part: 2)
                try clicksState.writeUser(
                    id: id, topicTaste: taste.topic, random: &random, train: &trainFile, dev: &devFile,
                    trainCounts: &counts.train, devCounts: &counts.dev)
            }
            if let movielensUser, let mindUser {
                counts.linkedUsers += 1
                linksFile.text(movielensUser)
                linksFile.byte(UInt8(ascii: ","))
                linksFile.text(mindUser)
                try linksFile.newline()
            }
            let domains = (movielensUser == nil ? [] : ["movies"]) + (mindUser == nil ? [] : ["news"])
            truthUsers.append(
                SyntheticTruth.User(
                    movielensUser: movielensUser, mindUser: mindUser, domains: domains, genreTaste: taste.genre,
                    topicTaste: taste.topic, group: group))
        }
        try ratingsFile.close()
        try tagsFile.close()
        try trainFile.close()
        try devFile.close()
        try linksFile.close()

        let truth = SyntheticTruth(
            model: Self.modelDescription + (config.groups > 0 ? Self.groupsDescription : ""), parameters: config,
            genres: SyntheticVocabulary.genres, topics: SyntheticVocabulary.topics, affinity: affinity, counts: counts,
            users: truthUsers, groupPrototypes: config.groups > 0 ? groups.prototypes : nil)
        var truthFile = try open(SyntheticLayout.truth)
        try truth.write(to: &truthFile)
        try truthFile.close()
        return SyntheticSummary(folder: folder.path, files: SyntheticLayout.all, counts: counts)
    }

    static let modelDescription = """
        g ~ Dirichlet(0.3) over genres; r ~ Dirichlet(0.3) over topics; t = normalise(affinity^T g + \
        (1 - affinityStrength) r), affinity = affinityStrength * A with rows of A summing to 1. \
        Rated movies: genre k drawn with weight g_k + 0.02, then a movie of genre k by popularity; \
        rating = clamp(round-to-half(3 + 2 (score - user mean score) + noise N(0,1)), 0.5, 5), \
        score = mean of g over the movie's genres / max g. Clicks: each of 5-10 candidates drawn by \
        popularity is clicked with probability 0.02 + 0.55 t_topic / max t (at least one per impression); \
        history = the user's earlier clicks; dev = impressions on 2019-11-15, train = 2019-11-09..14.
        """

    static let groupsDescription = """
         Planted groups: prototypes p_k ~ Dirichlet(0.3) over genres, the most separated (largest \
        smallest pairwise total-variation distance) of 32 such sets; users dealt into the groups in \
        turn, labels shuffled; g = normalise((1 - groupSpread) p_k + groupSpread Dirichlet(0.3)).
        """
}
