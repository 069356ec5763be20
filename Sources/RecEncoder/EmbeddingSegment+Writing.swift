import Checksums
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension EmbeddingSegment {
    /// Prefix of temporary files; only a writer holding the cache's lock creates them, so one found while
    /// holding the lock was left by a writer that died.
    static let temporaryPrefix = ".tmp-"

    /// The bytes of a segment holding `vectors` (each `dimension` long) under `keys`, checksum included.
    static func encoded(keys: [EmbeddingKey], vectors: [[Float]], dimension: Int, modelDigest: [UInt8]) -> [UInt8] {
        precondition(
            keys.count == vectors.count && modelDigest.count == 32, "\(keys.count) keys, \(vectors.count) vectors")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + keys.count * (EmbeddingKey.byteCount + 4 * dimension) + trailerSize)
        bytes += magic
        withUnsafeBytes(of: formatVersion.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(dimension).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(keys.count).littleEndian) { bytes += $0 }
        bytes += modelDigest
        bytes += [UInt8](repeating: 0, count: 8)
        for key in keys { key.append(to: &bytes) }
        for vector in vectors {
            precondition(vector.count == dimension, "vector of \(vector.count) numbers in a \(dimension)-d segment")
            for value in vector {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        bytes += SHA256.hash(data: bytes)
        return bytes
    }

    /// Writes `bytes` (from ``encoded(keys:vectors:dimension:modelDigest:)``) into `folder` as
    /// `<checksum prefix>.embeddings`: to a temporary file first, synced, then renamed into place and the
    /// folder synced, so the file is either absent or whole, even after a crash or power loss.
    /// Writing content that is already there replaces the file with identical bytes.
    /// - Returns: the file's URL.
    /// - Throws: ``EmbeddingCacheError/fileSystem(path:reason:)``.
    static func write(_ bytes: [UInt8], into folder: URL) throws(EmbeddingCacheError) -> URL {
        let checksum = bytes.suffix(trailerSize).prefix(16)
        let final = folder.appendingPathComponent("\(ModelDigest.hex(checksum)).\(fileExtension)")
        let temporary = folder.appendingPathComponent(
            "\(temporaryPrefix)\(getpid())-\(UUID().uuidString).\(fileExtension)")
        func failure(_ path: URL, _ action: String) -> EmbeddingCacheError {
            .fileSystem(path: path.path, reason: "cannot \(action): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(temporary, "create it") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { writeBytes(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = failure(temporary, "write it")
                close(descriptor)
                unlink(temporary.path)
                throw error
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let error = failure(temporary, "sync it")
            close(descriptor)
            unlink(temporary.path)
            throw error
        }
        close(descriptor)
        guard rename(temporary.path, final.path) == 0 else {
            let error = failure(final, "rename \(temporary.lastPathComponent) to it")
            unlink(temporary.path)
            throw error
        }
        let folderDescriptor = open(folder.path, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return final
    }
}

/// `write(2)`, named apart from ``EmbeddingSegment/write(_:into:)``.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}
