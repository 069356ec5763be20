public import Foundation

/// Downloads, verifies and unpacks the datasets of a ``DatasetCatalog`` into a cache folder:
/// the module behind `crossrec data fetch NAME`.
///
/// For each archive of the dataset, ``fetch(name:into:progress:)``:
/// 1. reuses `<cache>/<archive>` when present: its SHA-256 must match the one recorded in
///    `<cache>/downloads.sha256` (otherwise it is deleted and
///    ``FetchError/archiveChanged(dataset:file:recorded:actual:)`` is thrown); a file placed by hand and not
///    yet recorded is checked against the published MD5, if any;
/// 2. otherwise downloads to `<cache>/<archive>.part`, resuming an existing part with `Range: bytes=N-`
///    (206 appends, 200 restarts from zero, 416 means the part is complete);
/// 3. checks the MD5 against the published `<archive>.md5` when the source publishes one: on mismatch the
///    part is deleted and ``FetchError/checksumMismatch(dataset:url:expected:actual:file:deleted:)`` is thrown;
/// 4. renames the part to `<cache>/<archive>` and records its SHA-256 in the manifest.
///
/// It then extracts every archive into a staging folder (rejecting zip-slip entries), writes
/// `<directoryName>/.complete` and moves the folder to `<cache>/<name>` (the name users type, so that
/// `crossrec train ml-10m` finds what `crossrec data fetch ml-10m` unpacked) in one rename (replacing an
/// unmarked folder left there), so a dataset folder with a marker is always whole. A later fetch of a
/// complete dataset does no I/O beyond checking the marker. Archives stay in the cache so the folder can be
/// rebuilt offline.
///
/// Errors are ``FetchError``s, except `CancellationError` when the calling task is cancelled.
/// Not safe for two processes fetching the same dataset into one cache folder at once.
public struct Fetcher: Sendable {
    /// Name of the marker file written inside a dataset folder once it is completely unpacked.
    public static let completeMarkerName = ".complete"

    /// The datasets this fetcher knows.
    public var catalog: DatasetCatalog
    /// Base URLs that replace a source's ``DatasetSource/officialBaseURL`` (mirrors, tests).
    public var baseURLs: [DatasetSource: URL]
    /// Seconds a request may stay idle before it fails.
    public var requestTimeout: TimeInterval

    public init(
        catalog: DatasetCatalog = .official,
        baseURLs: [DatasetSource: URL] = [:],
        requestTimeout: TimeInterval = 60
    ) {
        self.catalog = catalog
        self.baseURLs = baseURLs
        self.requestTimeout = requestTimeout
    }

    /// Where `archive` is downloaded from.
    public func url(of archive: DatasetArchive) -> URL {
        (baseURLs[archive.source] ?? archive.source.officialBaseURL).appendingPathComponent(archive.fileName)
    }

    /// Where the published MD5 of `archive` is downloaded from
    /// (meaningful for ``DatasetArchive/Checksum/publishedMD5``).
    public func checksumURL(of archive: DatasetArchive) -> URL {
        (baseURLs[archive.source] ?? archive.source.officialBaseURL).appendingPathComponent(archive.fileName + ".md5")
    }

    /// The unpacked dataset folder if a previous fetch completed it, else `nil`.
    /// - Throws: ``FetchError/unknownDataset(name:known:)``.
    public func completedDirectory(of name: String, in cacheDirectory: URL) throws -> URL? {
        let dataset = try catalog.dataset(named: name)
        let directory = Self.directory(of: dataset, in: cacheDirectory)
        let marker = directory.appendingPathComponent(Self.completeMarkerName)
        return FileManager.default.fileExists(atPath: marker.path) ? directory : nil
    }

    /// Makes dataset `name` available under `cacheDirectory` and returns its folder
    /// (`<cache>/<name>`); a no-op returning the folder when it is already complete.
    ///
    /// - Parameters:
    ///   - progress: called with (bytes of the current archive on disk, its full size when known),
    ///     from a background queue, starting again for each archive.
    ///   - events: called as each step is done (never before: `verified` comes after the digest
    ///     matched), from the calling task.
    /// - Throws: ``FetchError`` naming the dataset, the URL or file, and what to do; `CancellationError`.
    @discardableResult
    public func fetch(
        name: String,
        into cacheDirectory: URL,
        progress: @escaping @Sendable (_ done: Int64, _ total: Int64?) -> Void = { _, _ in },
        events: @escaping @Sendable (FetchEvent) -> Void = { _ in }
    ) async throws -> URL {
        let dataset = try catalog.dataset(named: name)
        if let directory = try completedDirectory(of: name, in: cacheDirectory) {
            events(.alreadyComplete(folder: directory))
            return directory
        }
        try fileSystem(dataset, cacheDirectory) {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        }
        var archiveFiles: [(archive: DatasetArchive, file: URL, sha256: String)] = []
        for archive in dataset.archives {
            let (file, sha256) = try await obtain(
                archive, of: dataset, in: cacheDirectory, progress: progress, events: events)
            archiveFiles.append((archive, file, sha256))
        }
        let folder = try unpack(dataset, archiveFiles, in: cacheDirectory)
        events(.unpacked(folder: folder))
        return folder
    }

    // MARK: - Archives

    /// Returns the verified archive file in the cache and its SHA-256, downloading it if needed.
    private func obtain(
        _ archive: DatasetArchive,
        of dataset: DatasetRelease,
        in cacheDirectory: URL,
        progress: @escaping @Sendable (Int64, Int64?) -> Void,
        events: @Sendable (FetchEvent) -> Void
    ) async throws -> (URL, String) {
        let file = cacheDirectory.appendingPathComponent(archive.fileName)
        let part = cacheDirectory.appendingPathComponent(archive.fileName + ".part")
        var manifest = try fileSystem(dataset, ChecksumManifest.url(in: cacheDirectory)) {
            try ChecksumManifest(in: cacheDirectory)
        }

        if FileManager.default.fileExists(atPath: file.path) {
            let digests = try fileSystem(dataset, file) { try FileDigests(of: file) }
            if let recorded = manifest.sha256ByFileName[archive.fileName] {
                guard recorded == digests.sha256 else {
                    try fileSystem(dataset, file) { try FileManager.default.removeItem(at: file) }
                    manifest.sha256ByFileName[archive.fileName] = nil
                    try saveManifest(manifest, dataset, cacheDirectory)
                    throw FetchError.archiveChanged(
                        dataset: dataset.name, file: file, recorded: recorded, actual: digests.sha256)
                }
                events(.reused(archive: archive.fileName, sha256: digests.sha256))
                return (file, digests.sha256)
            }
            // Placed by hand: verify against the publisher when possible, then adopt it.
            if archive.checksum == .publishedMD5 {
                let expected = try await publishedMD5(of: archive, dataset, cacheDirectory)
                guard expected == digests.md5 else {
                    throw FetchError.checksumMismatch(
                        dataset: dataset.name, url: url(of: archive), expected: expected, actual: digests.md5,
                        file: file, deleted: false)
                }
                events(.verified(archive: archive.fileName, md5: digests.md5, url: checksumURL(of: archive)))
            }
            manifest.sha256ByFileName[archive.fileName] = digests.sha256
            try saveManifest(manifest, dataset, cacheDirectory)
            if archive.checksum == .none { events(.recorded(archive: archive.fileName, sha256: digests.sha256)) }
            return (file, digests.sha256)
        }

        let expectedMD5: String? =
            switch archive.checksum {
            case .publishedMD5: try await publishedMD5(of: archive, dataset, cacheDirectory)
            case .none: nil
            }
        events(.downloading(archive: archive.fileName, url: url(of: archive)))
        try await download(archive, of: dataset, to: part, cacheDirectory: cacheDirectory, progress: progress)
        let digests = try fileSystem(dataset, part) { try FileDigests(of: part) }
        if let expectedMD5, expectedMD5 != digests.md5 {
            try? FileManager.default.removeItem(at: part)
            throw FetchError.checksumMismatch(
                dataset: dataset.name, url: url(of: archive), expected: expectedMD5, actual: digests.md5,
                file: part, deleted: true)
        }
        if expectedMD5 != nil { events(.verified(archive: archive.fileName, md5: digests.md5, url: checksumURL(of: archive))) }
        try fileSystem(dataset, file) { try FileManager.default.moveItem(at: part, to: file) }
        manifest.sha256ByFileName[archive.fileName] = digests.sha256
        try saveManifest(manifest, dataset, cacheDirectory)
        if expectedMD5 == nil { events(.recorded(archive: archive.fileName, sha256: digests.sha256)) }
        return (file, digests.sha256)
    }

    /// Downloads into `part`, resuming it; restarts once from zero when the server's file no longer
    /// matches the part's length.
    private func download(
        _ archive: DatasetArchive,
        of dataset: DatasetRelease,
        to part: URL,
        cacheDirectory: URL,
        progress: @escaping @Sendable (Int64, Int64?) -> Void
    ) async throws {
        let url = url(of: archive)
        do {
            try await FileDownload.runUntilComplete(
                url: url, to: part, requestTimeout: requestTimeout, progress: progress)
        } catch let failure as FileDownload.Failure {
            throw FetchError(failure, name: dataset.name, url: url, part: part, cacheDirectory: cacheDirectory)
        }
    }

    /// Downloads and parses `<archive>.md5`.
    private func publishedMD5(of archive: DatasetArchive, _ dataset: DatasetRelease, _ cacheDirectory: URL) async throws
        -> String
    {
        let url = checksumURL(of: archive)
        let text: String
        do {
            text = try await FileDownload.text(of: url, requestTimeout: requestTimeout)
        } catch let failure as FileDownload.Failure {
            throw FetchError(failure, name: dataset.name, url: url, part: nil, cacheDirectory: cacheDirectory)
        }
        let checksums: MD5ChecksumFile
        do {
            checksums = try MD5ChecksumFile(parsing: text)
        } catch {
            throw FetchError.malformedChecksumFile(dataset: dataset.name, url: url, reason: error.description)
        }
        guard let digest = checksums.digest(for: archive.fileName) else {
            let named = checksums.entries.compactMap(\.fileName).joined(separator: ", ")
            throw FetchError.malformedChecksumFile(
                dataset: dataset.name, url: url, reason: "it lists \(named), not \(archive.fileName)")
        }
        return digest
    }

    // MARK: - Unpacking

    /// Extracts every archive into `<cache>/.<name>.unpacking`, marks the dataset folder complete and moves it
    /// into place.
    private func unpack(
        _ dataset: DatasetRelease,
        _ archives: [(archive: DatasetArchive, file: URL, sha256: String)],
        in cacheDirectory: URL
    ) throws -> URL {
        let manager = FileManager.default
        let staging = cacheDirectory.appendingPathComponent(".\(dataset.name).unpacking", isDirectory: true)
        try fileSystem(dataset, staging) {
            if manager.fileExists(atPath: staging.path) { try manager.removeItem(at: staging) }
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        }
        defer { try? manager.removeItem(at: staging) }
        for (archive, file, _) in archives {
            let target =
                archive.extractionPath.isEmpty
                ? staging : staging.appendingPathComponent(archive.extractionPath, isDirectory: true)
            do {
                try ArchiveUnpacker.unpack(file, into: target)
            } catch .unsafeEntry(let entry) {
                throw FetchError.unsafeArchiveEntry(dataset: dataset.name, archive: file, entry: entry)
            } catch .unreadable(let reason) {
                throw FetchError.unpackFailed(dataset: dataset.name, archive: file, reason: reason)
            }
        }
        let unpacked = staging.appendingPathComponent(dataset.directoryName, isDirectory: true)
        let destination = Self.directory(of: dataset, in: cacheDirectory)
        guard manager.fileExists(atPath: unpacked.path) else {
            throw FetchError.missingFolder(dataset: dataset.name, folder: destination)
        }
        let marker =
            "dataset \(dataset.name)\n"
            + archives.map { "sha256 \($0.sha256)  \($0.file.lastPathComponent)\n" }.joined()
        try fileSystem(dataset, destination) {
            try Data(marker.utf8).write(to: unpacked.appendingPathComponent(Self.completeMarkerName))
            if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
            try manager.moveItem(at: unpacked, to: destination)
        }
        return destination
    }

    // MARK: - Helpers

    private static func directory(of dataset: DatasetRelease, in cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent(dataset.name, isDirectory: true)
    }

    private func saveManifest(_ manifest: ChecksumManifest, _ dataset: DatasetRelease, _ cacheDirectory: URL) throws {
        try fileSystem(dataset, ChecksumManifest.url(in: cacheDirectory)) { try manifest.write(in: cacheDirectory) }
    }

    /// Runs a file system operation, wrapping its error in ``FetchError/fileSystem(dataset:path:reason:)``.
    private func fileSystem<T>(_ dataset: DatasetRelease, _ path: URL, _ operation: () throws -> T) throws -> T {
        do {
            return try operation()
        } catch {
            throw FetchError.fileSystem(dataset: dataset.name, path: path, reason: FileDownload.describe(error))
        }
    }
}
