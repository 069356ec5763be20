import Foundation

/// The datasets the fetcher knows, looked up by name.
///
/// ``official`` lists the GroupLens MovieLens archives and the Microsoft MIND archives. Names are unique;
/// ``dataset(named:)`` throws ``FetchError/unknownDataset(name:known:)`` listing every name otherwise.
public struct DatasetCatalog: Sendable, Hashable {
    /// Every dataset, in the order they are listed to users.
    public var datasets: [DatasetRelease]

    /// Creates a catalog. Names must be unique (checked: a duplicate is a programmer error).
    public init(datasets: [DatasetRelease]) {
        let names = datasets.map(\.name)
        precondition(Set(names).count == names.count, "duplicate dataset names in catalog: \(names)")
        self.datasets = datasets
    }

    /// Every known name, in catalog order.
    public var names: [String] { datasets.map(\.name) }

    /// The dataset called `name`.
    /// - Throws: ``FetchError/unknownDataset(name:known:)`` naming every known dataset.
    public func dataset(named name: String) throws -> DatasetRelease {
        guard let dataset = datasets.first(where: { $0.name == name }) else {
            throw FetchError.unknownDataset(name: name, known: names)
        }
        return dataset
    }

    /// The archives published by GroupLens and Microsoft.
    public static let official = DatasetCatalog(datasets: movieLens + mind)

    private static let movieLensHomepage = URL(string: "https://grouplens.org/datasets/movielens/")!
    private static let movieLensLicense =
        "GroupLens MovieLens terms: research use, no commercial use or redistribution without permission; "
        + "cite F. M. Harper and J. A. Konstan, ACM TiiS 5(4), 2015. See README in the archive."

    private static let movieLens: [DatasetRelease] = [
        ("ml-100k", "ml-100k"),
        ("ml-1m", "ml-1m"),
        ("ml-10m", "ml-10M100K"),
        ("ml-20m", "ml-20m"),
        ("ml-25m", "ml-25m"),
        ("ml-32m", "ml-32m"),
        ("ml-latest-small", "ml-latest-small"),
        ("ml-latest", "ml-latest"),
    ].map { name, folder in
        DatasetRelease(
            name: name,
            archives: [
                DatasetArchive(source: .grouplens, fileName: "\(name).zip", checksum: .publishedMD5, extractionPath: "")
            ],
            directoryName: folder,
            homepage: movieLensHomepage,
            license: movieLensLicense
        )
    }

    private static let mindHomepage = URL(string: "https://msnews.github.io/")!
    private static let mindLicense =
        "Microsoft Research License Terms for MIND: non-commercial research use only; "
        + "cite F. Wu et al., MIND: A Large-scale DatasetRelease for News Recommendation, ACL 2020."

    private static let mind: [DatasetRelease] = [
        ("mind-small", DatasetSource.mindRelease, "MINDsmall", ["train", "dev"]),
        ("mind-large", DatasetSource.mindRelease, "MINDlarge", ["train", "dev", "test"]),
        ("mind-demo", DatasetSource.mindDemo, "MINDdemo", ["train", "dev"]),
    ].map { name, source, prefix, splits in
        DatasetRelease(
            name: name,
            archives: splits.map { split in
                DatasetArchive(
                    source: source,
                    fileName: "\(prefix)_\(split).zip",
                    checksum: .none,
                    extractionPath: "\(name)/\(split)"
                )
            },
            directoryName: name,
            homepage: mindHomepage,
            license: mindLicense
        )
    }
}
