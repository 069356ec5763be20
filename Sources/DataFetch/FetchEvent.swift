public import Foundation

/// A step of ``Fetcher/fetch(name:into:progress:events:)`` that is done: what `crossrec data fetch`
/// prints, each line only once the step has happened (a checksum is reported verified after it
/// matched, never before the download).
public enum FetchEvent: Sendable, Equatable {
    /// The data set was unpacked completely by an earlier fetch; nothing was done.
    case alreadyComplete(folder: URL)
    /// The archive is in the cache and matches the SHA-256 recorded when it was first fetched.
    case reused(archive: String, sha256: String)
    /// The archive is being downloaded (or a partial download resumed) from `url`.
    case downloading(archive: String, url: URL)
    /// The archive's MD5 matched the one the publisher serves at `url`.
    case verified(archive: String, md5: String, url: URL)
    /// The publisher serves no checksum: the archive's SHA-256 was recorded in `downloads.sha256`
    /// and is checked on later runs.
    case recorded(archive: String, sha256: String)
    /// Every archive is unpacked into `folder`, marked complete.
    case unpacked(folder: URL)
}
