/// How a worker reads a data set folder (`dataset: {path: …, layout: …}`); the names of RecData's
/// `DatasetLocator.Kind`.
public enum DatasetLayout: String, Sendable, Hashable, Codable, CaseIterable {
    /// Detected from the files present.
    case auto
    /// Any MovieLens release (100K, 1M, 10M, 20M/25M/32M/latest CSV).
    case movielens
    /// MIND `behaviors.tsv` + `news.tsv`, one split or `train/`, `dev/`, `test/`.
    case mind
    /// A linked two-domain folder (generated or user-linked).
    case linked
    /// A generic `user,item,value[,timestamp]` table.
    case generic
}
