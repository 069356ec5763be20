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
/// - Durability: WAL with `synchronous = NORMAL`. A committed transaction is in the WAL file
///   before `apply` returns, so it survives the process being killed (the kernel keeps written
///   pages); it is *not* fsynced at each commit, so a power loss or kernel crash may lose the
///   last transactions (never corrupting the file). That is the right trade for a sweep: a lost
///   trial result is re-run; an fsync per flush would cost more than the trials.
/// - Cost: each command is a handful of primary-key lookups and index updates, O(log n) in the
///   store size; batch commands (the runtime flushes every N ms or N commands) so each
///   transaction commits hundreds of them. See `benchmark(trials:batchSize:)`.
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
    /// - Parameter clock: the time stamped on rows; a transaction stamps all its rows with one
    ///   reading taken when it begins.
    /// - Throws: `SweepStoreError` naming the path and what to do.
    public init(path: String, access: Access = .readWrite, clock: @escaping () -> Date = Date.init) throws {
        self.path = path
        self.access = access
        self.clock = clock
        switch access {
        case .readWrite: database = try Self.openForWriting(path)
        case .readOnly: database = try Self.openForReading(path)
        }
    }

    /// Opens (creating if needed) the store at `path` for the coordinator.
    public static func open(_ path: String) throws -> SweepStore {
        try SweepStore(path: path, access: .readWrite)
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
    public func apply(_ commands: [StoreCommand]) throws {
        if commands.isEmpty { return }
        try write { transaction in
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
