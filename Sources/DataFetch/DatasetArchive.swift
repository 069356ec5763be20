/// One downloadable archive of a ``DatasetRelease``.
///
/// The archive is fetched from `source`'s base URL joined with `fileName` and unpacked into
/// `<cache>/<extractionPath>`. MovieLens zips carry their own top folder (`ml-100k/…`), so they unpack
/// into the cache folder itself (`extractionPath == ""`); MIND zips hold bare files and unpack into
/// `mind-small/train` and the like.
public struct DatasetArchive: Sendable, Hashable {
    /// How the integrity of a downloaded archive can be checked.
    public enum Checksum: Sendable, Hashable {
        /// The publisher serves `<fileName>.md5` beside the archive; the download must match it.
        case publishedMD5
        /// The publisher serves no checksum. The fetcher records the SHA-256 of what it downloaded
        /// in the cache manifest, so later runs detect a local file that changed.
        case none

        /// One sentence for users on how the download is checked, for example printed by `crossrec data fetch`.
        public var explanation: String {
            switch self {
            case .publishedMD5:
                return "verified against the MD5 the publisher serves beside the archive"
            case .none:
                return "the publisher serves no checksum; the SHA-256 of the download is recorded in "
                    + "downloads.sha256 in the cache and checked on later runs"
            }
        }
    }

    /// Where the archive is published.
    public var source: DatasetSource
    /// The archive's file name on the server and in the cache, for example `ml-100k.zip`.
    public var fileName: String
    /// How the download is verified.
    public var checksum: Checksum
    /// Folder, relative to the cache folder, that the archive's entries are extracted into.
    /// Empty for archives that carry their own top folder.
    public var extractionPath: String

    public init(source: DatasetSource, fileName: String, checksum: Checksum, extractionPath: String) {
        self.source = source
        self.fileName = fileName
        self.checksum = checksum
        self.extractionPath = extractionPath
    }
}
