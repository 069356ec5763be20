public import Foundation

/// A named dataset that `crossrec data fetch NAME` knows how to download.
///
/// After a successful fetch the dataset lives in `<cache>/<name>` and that folder holds a `.complete`
/// marker. A dataset made of several archives (MIND: train, dev, test) unpacks each archive into its own
/// subfolder of `directoryName`.
public struct DatasetRelease: Sendable, Hashable {
    /// The name users type: `ml-100k`, `mind-small`, …
    public var name: String
    /// The archives to download, in download order.
    public var archives: [DatasetArchive]
    /// The folder the archives unpack to (for MovieLens the archive's own top folder: `ml-10m` unpacks
    /// to `ml-10M100K`), renamed to ``name`` in the cache.
    public var directoryName: String
    /// The publisher's page, with the data description and citation.
    public var homepage: URL
    /// Licence terms in one line. Users must accept them; the fetcher does not.
    public var license: String

    public init(name: String, archives: [DatasetArchive], directoryName: String, homepage: URL, license: String) {
        self.name = name
        self.archives = archives
        self.directoryName = directoryName
        self.homepage = homepage
        self.license = license
    }
}
