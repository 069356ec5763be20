import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock(2)` on a lock file, held by one cache writer at a time.
///
/// `flock` locks belong to an open file description, so two ``EmbeddingCache`` instances exclude each
/// other whether they live in two processes or in one; the kernel releases the lock when its holder
/// exits or is killed, so a crashed writer never leaves the cache locked.
final class EmbeddingCacheLock {
    private var descriptor: Int32

    /// Opens (creating it if needed) the file at `path` and waits until the lock is ours.
    /// - Throws: ``EmbeddingCacheError/fileSystem(path:reason:)``.
    init(acquiring path: String) throws(EmbeddingCacheError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .fileSystem(path: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(descriptor)
            descriptor = -1
            throw .fileSystem(path: path, reason: "cannot lock: \(String(cString: strerror(code)))")
        }
    }

    /// Releases the lock. Idempotent.
    func release() {
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
