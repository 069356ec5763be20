/// The result of ``SyntheticGenerator/write(to:)``: where the files are and how much they hold.
public struct SyntheticSummary: Codable, Equatable, Sendable {
    /// The output folder's path, as given.
    public var folder: String
    /// Files written, relative to `folder`, in writing order (``SyntheticLayout/all``).
    public var files: [String]
    public var counts: SyntheticCounts

    public init(folder: String, files: [String], counts: SyntheticCounts) {
        self.folder = folder
        self.files = files
        self.counts = counts
    }
}
