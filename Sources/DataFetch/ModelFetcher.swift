public import Foundation

/// Downloads the files of a ``ModelCatalog`` model into a cache folder and checks each against its pinned
/// SHA-256: the module behind `crossrec models fetch NAME`.
///
/// For each file of the model, in catalog order, ``fetch(name:into:progress:)``:
/// 1. keeps `<cache>/models/<name>/<path>` when it is present with the pinned SHA-256; when it is present
///    with another SHA-256, deletes it and downloads it again (listed in ``ModelFetchReport/replaced``);
/// 2. otherwise downloads `<base>/<repository>/resolve/<revision>/<path>` into `<path>.part`, resuming an
///    existing part (the same machinery as ``Fetcher``: `Range: bytes=N-`, 206 appends, 200 restarts, 416
///    means the part is complete);
/// 3. checks the part's SHA-256: on mismatch the part is deleted and
///    ``FetchError/modelFileMismatch(model:file:url:expected:actual:)`` is thrown;
/// 4. renames the part to `<path>` (one `rename(2)`), so a model file under its real name always has the
///    pinned bytes.
///
/// A folder whose every file is present is complete; a fetch that stopped part way leaves the files done so
/// far and the part being downloaded, and re-running resumes. A later fetch of a complete model downloads
/// nothing but re-hashes the files (about 90 MB for all-MiniLM-L6-v2).
///
/// Errors are ``FetchError``s, except `CancellationError` when the calling task is cancelled.
/// Not safe for two processes fetching the same model into one cache folder at once.
public struct ModelFetcher: Sendable {
    /// The folder, inside the cache folder, that holds one folder per model.
    public static let modelsFolderName = "models"

    /// The models this fetcher knows.
    public var catalog: ModelCatalog
    /// The server the repositories are downloaded from (a mirror, or a loopback server in tests).
    public var baseURL: URL
    /// Seconds a request may stay idle before it fails.
    public var requestTimeout: TimeInterval

    public init(
        catalog: ModelCatalog = .official,
        baseURL: URL = ModelCatalog.huggingFaceBaseURL,
        requestTimeout: TimeInterval = 60
    ) {
        self.catalog = catalog
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
    }

    /// The folder model `name` is fetched into: `<cache>/models/<name>`.
    public static func directory(of name: String, in cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent(modelsFolderName, isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    /// Where `file` of `model` is downloaded from.
    public func url(of file: ModelFile, in model: ModelRelease) -> URL {
        model.url(of: file, base: baseURL)
    }

    /// Makes every file of model `name` present and verified under `cacheDirectory`.
    ///
    /// - Parameter progress: called with (file path, bytes of that file on disk, its full size when known),
    ///   from a background queue while downloading, and once with (path, size, size) for a file kept as is.
    /// - Throws: ``FetchError`` naming the model, the file or URL, and what to do; `CancellationError`.
    @discardableResult
    public func fetch(
        name: String,
        into cacheDirectory: URL,
        progress: @escaping @Sendable (_ file: String, _ done: Int64, _ total: Int64?) -> Void = { _, _, _ in }
    ) async throws -> ModelFetchReport {
        let model = try catalog.model(named: name)
        let folder = Self.directory(of: name, in: cacheDirectory)
        var report = ModelFetchReport(model: name, folder: folder)
        for file in model.files {
            let target = folder.appendingPathComponent(file.path)
            let part = URL(fileURLWithPath: target.path + ".part")
            try fileSystem(name, target.deletingLastPathComponent()) {
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            if FileManager.default.fileExists(atPath: target.path) {
                let actual = try fileSystem(name, target) { try FileDigests(of: target).sha256 }
                if actual == file.sha256 {
                    report.verified.append(file.path)
                    progress(file.path, file.size, file.size)
                    continue
                }
                try fileSystem(name, target) { try FileManager.default.removeItem(at: target) }
                report.replaced.append(.init(path: file.path, actualSHA256: actual))
            }
            let url = url(of: file, in: model)
            do {
                try await FileDownload.runUntilComplete(
                    url: url, to: part, requestTimeout: requestTimeout, progress: { progress(file.path, $0, $1) })
            } catch let failure as FileDownload.Failure {
                throw FetchError(
                    failure, name: name, url: url, part: part, cacheDirectory: target.deletingLastPathComponent())
            }
            let actual = try fileSystem(name, part) { try FileDigests(of: part).sha256 }
            guard actual == file.sha256 else {
                try? FileManager.default.removeItem(at: part)
                throw FetchError.modelFileMismatch(
                    model: name, file: file.path, url: url, expected: file.sha256, actual: actual)
            }
            try fileSystem(name, target) { try FileManager.default.moveItem(at: part, to: target) }
            report.downloaded.append(file.path)
        }
        return report
    }

    /// Runs a file system operation, wrapping its error in ``FetchError/fileSystem(dataset:path:reason:)``.
    private func fileSystem<T>(_ model: String, _ path: URL, _ operation: () throws -> T) throws -> T {
        do {
            return try operation()
        } catch {
            throw FetchError.fileSystem(dataset: model, path: path, reason: FileDownload.describe(error))
        }
    }
}
