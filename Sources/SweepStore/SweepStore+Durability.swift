import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SweepStore {
    /// What a committed write survives by the time `apply`, `write`, `registerSweep` or
    /// `nextLeaseEpoch` returns: SQLite's `synchronous` setting of the read-write connection (the
    /// file is always in WAL mode). Read-only stores ignore it.
    public enum Durability: Sendable, Hashable, CaseIterable {
        /// `synchronous = FULL`, the default: each commit fsyncs the WAL before it returns, so a
        /// committed transaction survives an OS crash or power loss. Costs one fsync per commit,
        /// so batch commands (`crossrec-bench store` measures trials/s by trials per commit against
        /// NORMAL; the gap closes as batches grow). A coordinator keeps R trials/s while each
        /// commit holds more than R × (fsync seconds + CPU seconds per commit) trials; its 20 ms
        /// flush interval batches R × 0.02 of them.
        case osCrashSafe
        /// `synchronous = NORMAL`: a commit is written to the WAL but fsynced only at checkpoints,
        /// so it survives the process being killed, not an OS crash or power loss (which may
        /// lose every transaction since the last checkpoint, the store's creation included).
        /// For measurements and tests; no coordinator should run with it.
        case processCrashSafe

        /// The value of `PRAGMA synchronous`: `FULL` or `NORMAL`.
        public var synchronous: String {
            switch self {
            case .osCrashSafe: return "FULL"
            case .processCrashSafe: return "NORMAL"
            }
        }

        /// What `PRAGMA synchronous` reads back: 2 or 1.
        var synchronousLevel: Int {
            switch self {
            case .osCrashSafe: return 2
            case .processCrashSafe: return 1
            }
        }
    }

    /// Makes `folder`'s entries durable (a new file or folder in it survives power loss) by
    /// fsyncing the folder, as SQLite does for a journal it creates.
    /// - Throws: `SweepStoreError.cannotOpen` for `path` when the folder cannot be opened or synced;
    ///   a file system that cannot sync folders at all (EINVAL) is accepted, as SQLite does.
    static func syncFolder(_ folder: String, for path: String) throws {
        let descriptor = openFolder(folder)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw SweepStoreError.cannotOpen(path: path, reason: "cannot open folder \(folder) to sync it: \(reason)")
        }
        defer { closeFolder(descriptor) }
        if fsync(descriptor) != 0 && errno != EINVAL {
            let reason = String(cString: strerror(errno))
            throw SweepStoreError.cannotOpen(path: path, reason: "cannot sync folder \(folder): \(reason)")
        }
    }

    /// The folders `createDirectory(withIntermediateDirectories:)` would create for `folder`,
    /// outermost first.
    static func missingFolders(_ folder: URL) -> [URL] {
        var missing: [URL] = []
        var current = folder.standardizedFileURL
        while current.path != "/" && !FileManager.default.fileExists(atPath: current.path) {
            missing.insert(current, at: 0)
            current = current.deletingLastPathComponent()
        }
        return missing
    }
}

// File scope: inside `SweepStore`, `open` and `close` name the store's own methods.
private func openFolder(_ path: String) -> Int32 {
    #if canImport(Glibc)
        return Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    #else
        return Darwin.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    #endif
}

private func closeFolder(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}
