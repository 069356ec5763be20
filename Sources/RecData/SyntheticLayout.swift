/// Where ``SyntheticGenerator`` puts each file, relative to the output folder.
public enum SyntheticLayout {
    public static let movies = "movielens/movies.csv"
    public static let ratings = "movielens/ratings.csv"
    public static let tags = "movielens/tags.csv"
    public static let trainNews = "mind/train/news.tsv"
    public static let trainBehaviors = "mind/train/behaviors.tsv"
    public static let devNews = "mind/dev/news.tsv"
    public static let devBehaviors = "mind/dev/behaviors.tsv"
    public static let links = "links.csv"
    public static let truth = "truth.json"

    /// Every file, in the order the generator writes them.
    public static let all = [movies, trainNews, devNews, ratings, tags, trainBehaviors, devBehaviors, links, truth]
}
