public import Foundation

/// A server folder that publishes dataset archives.
///
/// Archives name their source rather than a full URL so that a ``Fetcher`` can point a whole
/// source at another base URL (a mirror, or a loopback server in tests) without editing the catalog.
public enum DatasetSource: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// GroupLens Research, publisher of MovieLens. Publishes `<archive>.md5` beside each zip.
    case grouplens
    /// Microsoft's blob container for the MIND release archives (small and large). No published checksums.
    case mindRelease
    /// The Microsoft Recommenders container that hosts the MIND demo subset. No published checksums.
    case mindDemo

    /// The folder URL that the archives of this source live in, ending in `/`.
    public var officialBaseURL: URL {
        switch self {
        case .grouplens: URL(string: "https://files.grouplens.org/datasets/movielens/")!
        case .mindRelease: URL(string: "https://mind201910small.blob.core.windows.net/release/")!
        case .mindDemo: URL(string: "https://recodatasets.z20.web.core.windows.net/newsrec/")!
        }
    }

    public var description: String { rawValue }
}
