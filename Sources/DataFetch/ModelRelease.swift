public import Foundation

/// A pretrained model that `crossrec models fetch NAME` downloads: files of a Hugging Face repository at a
/// pinned revision, each pinned by SHA-256.
///
/// The files land in `<cache>/models/<name>/<path>`. The revision fixes the URLs; the SHA-256s are what
/// guarantee that the bytes are the ones crossrec was tested with, whatever the server answers.
public struct ModelRelease: Sendable, Hashable {
    /// The name users type: `all-MiniLM-L6-v2`.
    public var name: String
    /// The Hugging Face repository, `owner/name`.
    public var repository: String
    /// The repository revision (a commit id) the files are downloaded at.
    public var revision: String
    /// The files to download, in download order.
    public var files: [ModelFile]
    /// The model's page.
    public var homepage: URL
    /// Licence in one line.
    public var license: String

    public init(name: String, repository: String, revision: String, files: [ModelFile], homepage: URL, license: String)
    {
        let paths = files.map(\.path)
        precondition(Set(paths).count == paths.count, "duplicate files in model \(name): \(paths)")
        self.name = name
        self.repository = repository
        self.revision = revision
        self.files = files
        self.homepage = homepage
        self.license = license
    }

    /// Total size of the files in bytes.
    public var totalSize: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Where `file` is published: `<base>/<repository>/resolve/<revision>/<path>`, the Hugging Face
    /// download URL when `base` is `https://huggingface.co/`.
    public func url(of file: ModelFile, base: URL) -> URL {
        var url = base.appendingPathComponent(repository).appendingPathComponent("resolve")
            .appendingPathComponent(revision)
        for component in file.path.split(separator: "/") { url.appendPathComponent(String(component)) }
        return url
    }
}
