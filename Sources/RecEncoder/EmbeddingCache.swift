import Checksums
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Item-text embeddings computed once per (model, text) and kept on disk, shared by every process on the
/// machine that opens the same folder.
///
/// Layout: `<folder>/<first 16 hex digits of the model fingerprint>/` holds immutable segment files
/// (`<checksum>.embeddings`, see ``EmbeddingSegment``: text keys plus a float32 matrix) and a `.lock`
/// file. A text's key is the SHA-256 of its exact UTF-8 bytes. Segments are memory-mapped; each is
/// checked (size, header, model, SHA-256 checksum) once per instance before any of its rows is used.
///
/// ``matrix(for:encode:)`` looks every text up; when some are missing it takes the folder's lock
/// (`flock(2)`, released by the kernel if the holder dies), looks again — another process may have
/// just written them — and calls `encode` only for the texts still missing, at most ``rowsPerFile`` at a
/// time, writing each batch as a new segment (temporary file, `fsync`, `rename(2)`) before the next one.
/// So:
/// - a text is encoded once even when several processes ask for it at once: the others wait for the lock,
///   then find it;
/// - readers never wait and never see a partial file; a writer killed mid-way leaves the batches it
///   finished, and the next caller encodes only the rest;
/// - a file that fails its checks is reported to `warning` as ``EmbeddingCacheError/discardedFile(path:reason:)``,
///   never read, deleted under the lock, and its texts are encoded again.
///
/// Thread-safe; calls on one instance run one at a time. `encode` runs while the folder is locked and must
/// not call back into a cache on the same folder.
public final class EmbeddingCache: @unchecked Sendable {
    /// Texts per `encode` call and per segment file when many are missing.
    public static let defaultRowsPerFile = 4096
    /// Name of the lock file inside the model's folder.
    static let lockFileName = ".lock"

    /// The folder shared by all models (`<cache>/embeddings` by default).
    public let folder: URL
    /// This model's folder inside it, `<folder>/<first 16 hex digits of modelFingerprint>`.
    public let modelFolder: URL
    /// Identity of the model and of whatever else changes its vectors (see ``SentenceModelFolder/fingerprint()``).
    public let modelFingerprint: String
    /// Length of every vector.
    public let dimension: Int
    /// Texts per `encode` call and per segment file.
    public let rowsPerFile: Int

    /// SHA-256 of the fingerprint, stamped in every segment file.
    let modelDigest: [UInt8]
    private let warning: @Sendable (EmbeddingCacheError) -> Void
    private let lock = NSLock()
    /// Segments mapped and checked by this instance, by file name.
    private var segments: [String: EmbeddingSegment] = [:]
    /// Files that failed their checks while the folder was not locked; examined again under the lock.
    private var rejected: Set<String> = []
    private var index: [EmbeddingKey: (segment: EmbeddingSegment, row: Int)] = [:]

    /// The default shared folder inside a crossrec cache folder: `<cache>/embeddings`.
    public static func defaultFolder(inCache cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent("embeddings", isDirectory: true)
    }

    /// Opens (creating it if needed) the cache of model `modelFingerprint` under `folder`.
    ///
    /// - Parameters:
    ///   - modelFingerprint: lowercase hex, at least 16 digits, such as ``SentenceModelFolder/fingerprint()``
    ///     (a programmer error otherwise).
    ///   - dimension: the length of the model's vectors.
    ///   - warning: told about each cache file found damaged and discarded (for a log line); never called
    ///     for anything that stops the work, which is thrown instead.
    /// - Throws: ``EmbeddingCacheError/fileSystem(path:reason:)`` when the folder cannot be created.
    public init(
        folder: URL,
        modelFingerprint: String,
        dimension: Int,
        rowsPerFile: Int = EmbeddingCache.defaultRowsPerFile,
        warning: @escaping @Sendable (EmbeddingCacheError) -> Void = { _ in }
    ) throws {
        precondition(
            modelFingerprint.count >= 16 && modelFingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase },
            "a model fingerprint is lowercase hex, at least 16 digits (SentenceModelFolder.fingerprint()); got '\(modelFingerprint)'"
        )
        precondition(dimension > 0 && rowsPerFile > 0, "dimension \(dimension), rowsPerFile \(rowsPerFile)")
        self.folder = folder
        self.modelFolder = folder.appendingPathComponent(String(modelFingerprint.prefix(16)), isDirectory: true)
        self.modelFingerprint = modelFingerprint
        self.dimension = dimension
        self.rowsPerFile = rowsPerFile
        self.modelDigest = Array(SHA256.hash(data: Data(modelFingerprint.utf8)))
        self.warning = warning
        do {
            try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        } catch {
            throw EmbeddingCacheError.fileSystem(
                path: modelFolder.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
    }

    /// The vectors of `texts`, in order, one array per text; see ``matrix(for:encode:)``.
    public func vectors(for texts: [String], encode: ([String]) throws -> [[Float]]) throws -> [[Float]] {
        let flat = try matrix(for: texts, encode: encode)
        return (0..<texts.count).map { Array(flat[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// The vectors of `texts` as one row-major matrix (`texts.count × dimension` floats), calling `encode`
    /// only for texts the cache lacks (each distinct text once, in order of first appearance, at most
    /// ``rowsPerFile`` per call) and storing what it returns.
    ///
    /// - Parameter encode: maps texts to vectors of ``dimension`` numbers, one per text, in order.
    /// - Throws: what `encode` throws (the batches stored before it are kept);
    ///   ``EmbeddingCacheError/encoderOutput(texts:vectors:dimension:badLength:)`` when it returns the wrong
    ///   shape; ``EmbeddingCacheError/fileSystem(path:reason:)``.
    /// - Complexity: O(texts) hashing and lookups on a hit, plus checking each segment file once per instance.
    public func matrix(for texts: [String], encode: ([String]) throws -> [[Float]]) throws -> [Float] {
        let keys = texts.map(EmbeddingKey.init(text:))
        lock.lock()
        defer { lock.unlock() }
        try refresh(holdingFolderLock: false)
        if keys.contains(where: { index[$0] == nil }) {
            let folderLock = try EmbeddingCacheLock(
                acquiring: modelFolder.appendingPathComponent(Self.lockFileName).path)
            defer { folderLock.release() }
            try refresh(holdingFolderLock: true)
            try encodeMissing(texts, keys: keys, encode: encode)
        }
        var matrix = [Float](repeating: 0, count: texts.count * dimension)
        matrix.withUnsafeMutableBufferPointer { buffer in
            for (position, key) in keys.enumerated() {
                guard let location = index[key] else {
                    preconditionFailure("text \(position) has no cached vector after encoding")
                }
                location.segment.copyRow(location.row, to: buffer.baseAddress! + position * dimension)
            }
        }
        return matrix
    }

    /// How many distinct texts the cache holds, counting files other processes wrote since the last call.
    public func count() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        try refresh(holdingFolderLock: false)
        return index.count
    }

    // MARK: - Internals (caller holds `lock`)

    /// Encodes and stores the texts of `keys` still missing. The caller holds the folder lock.
    private func encodeMissing(_ texts: [String], keys: [EmbeddingKey], encode: ([String]) throws -> [[Float]])
        throws
    {
        var seen: Set<EmbeddingKey> = []
        var missing: [(key: EmbeddingKey, text: String)] = []
        for (key, text) in zip(keys, texts) where index[key] == nil && seen.insert(key).inserted {
            missing.append((key, text))
        }
        guard !missing.isEmpty else { return }
        removeTemporaryFiles()
        for start in stride(from: 0, to: missing.count, by: rowsPerFile) {
            let batch = missing[start..<min(start + rowsPerFile, missing.count)]
            let vectors = try encode(batch.map(\.text))
            guard vectors.count == batch.count else {
                throw EmbeddingCacheError.encoderOutput(
                    texts: batch.count, vectors: vectors.count, dimension: dimension, badLength: nil)
            }
            if let bad = vectors.first(where: { $0.count != dimension }) {
                throw EmbeddingCacheError.encoderOutput(
                    texts: batch.count, vectors: vectors.count, dimension: dimension, badLength: bad.count)
            }
            let bytes = EmbeddingSegment.encoded(
                keys: batch.map(\.key), vectors: vectors, dimension: dimension, modelDigest: modelDigest)
            let url = try EmbeddingSegment.write(bytes, into: modelFolder)
            try adopt(url.lastPathComponent, holdingFolderLock: true)
        }
    }

    /// Maps and indexes segment files that appeared since the last look.
    private func refresh(holdingFolderLock: Bool) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: modelFolder.path)
        } catch {
            throw EmbeddingCacheError.fileSystem(
                path: modelFolder.path, reason: "cannot list the folder (\(error.localizedDescription))")
        }
        for name in names.sorted()
        where !name.hasPrefix(".") && name.hasSuffix("." + EmbeddingSegment.fileExtension) && segments[name] == nil {
            if rejected.contains(name) && !holdingFolderLock { continue }
            try adopt(name, holdingFolderLock: holdingFolderLock)
        }
    }

    /// Maps segment `name` and indexes its rows; reports and (under the folder lock) deletes it when it
    /// fails its checks.
    private func adopt(_ name: String, holdingFolderLock: Bool) throws {
        let url = modelFolder.appendingPathComponent(name)
        do throws(EmbeddingSegment.OpenFailure) {
            let segment = try EmbeddingSegment(mapping: url, modelDigest: modelDigest, dimension: dimension)
            segments[name] = segment
            rejected.remove(name)
            for row in 0..<segment.rows {
                let key = segment.key(at: row)
                if index[key] == nil { index[key] = (segment, row) }
            }
        } catch .gone {
            rejected.remove(name)
        } catch .invalid(let reason) {
            if !rejected.contains(name) { warning(.discardedFile(path: url.path, reason: reason)) }
            if holdingFolderLock {
                // Only lock holders write segments, so this name cannot be a file being replaced right now.
                unlink(url.path)
                rejected.remove(name)
            } else {
                rejected.insert(name)
            }
        } catch .unreadable(let reason) {
            throw EmbeddingCacheError.fileSystem(path: url.path, reason: "cannot read it (\(reason))")
        }
    }

    /// Deletes temporary files left by writers that died; the caller holds the folder lock.
    private func removeTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelFolder.path)) ?? []
        for name in names where name.hasPrefix(EmbeddingSegment.temporaryPrefix) {
            unlink(modelFolder.appendingPathComponent(name).path)
        }
    }
}
