/// Counts of one MIND split's `behaviors.tsv`.
public struct SyntheticSplitCounts: Codable, Equatable, Sendable {
    /// Impression logs: lines of `behaviors.tsv`.
    public var impressions: Int
    /// Candidate news shown across those impressions (`N…-0` and `N…-1` entries).
    public var shown: Int
    /// Clicked candidates (`N…-1` entries).
    public var clicks: Int

    /// Counts one more impression.
    mutating func record(shown: Int, clicks: Int) {
        impressions += 1
        self.shown += shown
        self.clicks += clicks
    }

    public init(impressions: Int = 0, shown: Int = 0, clicks: Int = 0) {
        self.impressions = impressions
        self.shown = shown
        self.clicks = clicks
    }
}

/// What a synthetic data set holds; every count equals a line or entry count of the written files.
public struct SyntheticCounts: Codable, Equatable, Sendable {
    /// People in the latent population (movie-only + news-only + linked).
    public var users: Int
    /// Distinct users in `ratings.csv` (every movie user has at least one rating).
    public var movieUsers: Int
    /// Distinct users in the two `behaviors.tsv` files (every news user has at least one impression).
    public var newsUsers: Int
    /// Data lines of `links.csv`: users present in both domains.
    public var linkedUsers: Int
    /// Data lines of `movies.csv`.
    public var movies: Int
    /// Data lines of `ratings.csv`.
    public var ratings: Int
    /// Data lines of `tags.csv`.
    public var tags: Int
    /// Lines of each `news.tsv` (both splits carry the whole catalog).
    public var news: Int
    public var train: SyntheticSplitCounts
    public var dev: SyntheticSplitCounts

    public init(
        users: Int = 0, movieUsers: Int = 0, newsUsers: Int = 0, linkedUsers: Int = 0, movies: Int = 0,
        ratings: Int = 0, tags: Int = 0, news: Int = 0, train: SyntheticSplitCounts = SyntheticSplitCounts(),
        dev: SyntheticSplitCounts = SyntheticSplitCounts()
    ) {
        self.users = users
        self.movieUsers = movieUsers
        self.newsUsers = newsUsers
        self.linkedUsers = linkedUsers
        self.movies = movies
        self.ratings = ratings
        self.tags = tags
        self.news = news
        self.train = train
        self.dev = dev
    }

    /// Clicks in both splits.
    public var clicks: Int { train.clicks + dev.clicks }
}
