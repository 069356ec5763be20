public import Foundation
public import SweepWire
import GRDB

/// The durable record of a sweep: sweeps, trials, leases (attempts), results, duplicates and an
/// event log in one SQLite file, so a coordinator killed at any moment (SIGKILL included) and
/// restarted on the same file resumes with finished trials finished, running trials re-leasable,
/// and nothing lost or counted twice.
///
/// - Threading: not `Sendable`. Use one instance from one thread or actor (the coordinator's
///   loop). Other processes, or other threads with their own instance, may read concurrently
///   through `SweepStore(path:access: .readOnly)`.
/// - Writers: exactly one coordinator writes a store. Every write is one `BEGIN IMMEDIATE`
///   transaction (`apply(_:)`, `write(_:)`, `registerSweep`); a thrown error rolls all of it back.
/// - Connection: one GRDB `DatabaseQueue` (a single connection) with the file in WAL mode.
///   A `DatabasePool` would add reader connections the single-threaded coordinator never uses
///   at the same time as it writes; the readers that matter (`crossrec leaderboard`, status
///   views) live in other processes and get WAL's concurrency from the file, not from the pool.
///   A queue also means every read the coordinator does sees its own latest writes.
/// - Durability: WAL with `synchronous = FULL` (`Durability.osCrashSafe`, the default; see
///   `SweepStore+Durability.swift`). What a crash keeps is decided by whether the call that
///   committed returned (`apply`, `write`, `registerSweep`, `nextLeaseEpoch`; `open` for the
///   store's creation):
///   - Process killed (SIGKILL, a crash of the coordinator): every transaction whose call
///     returned survives, since it is in the WAL file and the kernel keeps written pages.
///   - OS crash, kernel panic or power loss: every transaction whose call returned survives too,
///     since each commit fsyncs the WAL before returning, and `open` fsyncs the folders it
///     created and the store's folder, so a new store and its WAL keep their directory entries.
///     This assumes a disk that honours fsync (no volatile write cache that lies about it).
///   - Either way, a transaction that had not returned is absent as a whole or, if the crash came
///     after its fsync, present as a whole: never in part. The file is never left empty or
///     damaged. Commands a caller still buffers (the coordinator batches them) are not in the
///     store: tell no one a result is recorded before the `apply` holding it has returned.
///   With `Durability.processCrashSafe` (`synchronous = NORMAL`) only the SIGKILL guarantee holds:
///   the WAL is fsynced only at checkpoints, so an OS crash may lose everything since the last
///   one, the registration included (a store reported after such a crash was an empty 4 KB file).
///   Tests: `PowerLossTests` (a simulated OS crash), `SigkillTests`, `CrashSafetyTests`.
/// - Cost: each command is a handful of primary-key lookups and index updates, O(log n) in the
///   store size, and each transaction one fsync of the WAL; batch commands (the runtime flushes
///   every N ms or N commands) so each transaction commits hundreds of them. See
///   `benchmark(trials:batchSize:directory:durability:)`.
public final class SweepStore {
    /// How a store is opened.
    public enum Access: Sendable, Hashable {
        /// The coordinator: creates and migrates the file, records everything.
        case readWrite
        /// Viewers: never writes, may run while a coordinator writes.
        case readOnly
    }

    /// The file this store reads and writes.
    public let path: String
    public let access: Access
    let database: DatabaseQueue
    let clock: () -> Date
    let coding = StoreCoding()

    /// Opens the store at `path`.
    ///
    /// Read-write creates missing folders and the file, refuses a file that is not a crossrec
    /// store before changing anything in it, and upgrades an older schema. Read-only requires
    /// an existing, up-to-date store.
    /// - Parameters:
    ///   - durability: what a returned write survives (read-write only); keep the default.
    ///   - clock: the time stamped on rows; a transaction stamps all its rows with one reading
    ///     taken when it begins.
    /// - Throws: `SweepStoreError` naming the path and what to do.
    public init(
        path: String, access: Access = .readWrite, durability: Durability = .osCrashSafe,
        clock: @escaping () -> Date = Date.init
    ) throws {
        self.path = path
        self.access = access
        self.clock = clock
        switch access {
        case .readWrite: database = try Self.openForWriting(path, durability: durability)
        case .readOnly: database = try Self.openForReading(path)
        }
    }

    /// Opens (creating if needed) the store at `path` for the coordinator.
    public static func open(_ path: String, durability: Durability = .osCrashSafe) throws -> SweepStore {
        try SweepStore(path: path, access: .readWrite, durability: durability)
    }

    /// Opens the existing store at `path` for reading while a coordinator may be writing it.
    public static func openReadOnly(_ path: String) throws -> SweepStore {
        try SweepStore(path: path, access: .readOnly)
    }

    /// Closes the connection (checkpointing the WAL into the main file). The store must not be
    /// used afterwards. Dropping the store closes it too; not closing it (a crash) loses nothing
    /// committed.
    public func close() throws {
        try database.close()
    }

    /// Applies `commands` in order, in one transaction: all of them or, if one throws, none.
    public func apply(_ commands: [StoreCommand], sweep: SweepID? = nil) throws {
        if commands.isEmpty { return }
        try write { transaction in
            transaction.sweep = sweep
            for command in commands { try transaction.apply(command) }
        }
    }

    /// Runs `body` in one write transaction and commits it if `body` returns; if anything throws
    /// nothing of it is kept. The transaction object is valid only inside `body`.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try writeTransaction { db in
            let transaction = StoreTransaction(db: db, now: clock(), coding: coding)
            let value = try body(transaction)
            try transaction.finish()
            return value
        }
    }

    /// Allocates the next lease epoch and persists it before returning: epochs strictly
    /// increase across coordinator restarts. One transaction per call; inside a batch use
    /// `StoreTransaction.nextLeaseEpoch()`.
    public func nextLeaseEpoch() throws -> UInt64 {
        try write { try $0.nextLeaseEpoch() }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction on the writer connection.
    func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        guard access == .readWrite else { throw SweepStoreError.readOnly(path: path) }
        return try database.writeWithoutTransaction { db in
            var value: T?
            try db.inTransaction(.immediate) {
                value = try body(db)
                return .commit
            }
            return value!
        }
    }
}
