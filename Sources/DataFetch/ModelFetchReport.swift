public import Foundation

/// What a ``ModelFetcher/fetch(name:into:progress:)`` did, file by file.
public struct ModelFetchReport: Sendable, Hashable {
    /// A file that was in the folder with the wrong SHA-256 and was downloaded again.
    public struct Replacement: Sendable, Hashable {
        public var path: String
        public var actualSHA256: String

        public init(path: String, actualSHA256: String) {
            self.path = path
            self.actualSHA256 = actualSHA256
        }
    }

    /// The model's name.
    public var model: String
    /// The model folder, `<cache>/models/<name>`.
    public var folder: URL
    /// Files downloaded by this fetch (including replacements), in download order.
    public var downloaded: [String] = []
    /// Files that were already present with the pinned SHA-256.
    public var verified: [String] = []
    /// Files that were present with another SHA-256; they were deleted and downloaded again.
    public var replaced: [Replacement] = []

    public init(model: String, folder: URL) {
        self.model = model
        self.folder = folder
    }
}
