public import Sweep

/// Why the store refused: each case names the file or the entity and says what to do.
public enum SweepStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or its folder could not be created or opened (permissions, missing, a folder).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a crossrec sweep store (another SQLite database, or not SQLite).
    case notAStore(path: String, reason: String)
    /// The store was written by a newer crossrec whose schema this build does not know.
    case newerSchema(path: String)
    /// A read-only store was opened on a store whose schema is not yet up to date.
    case needsMigration(path: String)
    /// A write was attempted through a store opened read-only.
    case readOnly(path: String)
    /// The sweep name is already registered for another data set.
    case fingerprintMismatch(sweep: String, stored: String, given: String)
    /// A command named a trial the store has never registered.
    case unknownTrial(TrialID)
    /// A query named a sweep id the store does not have.
    case unknownSweep(SweepID)
    /// A stored JSON column could not be decoded.
    case corruptRow(table: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the sweep store: \(reason)"
        case .notAStore(let path, let reason):
            return "\(path): not a crossrec sweep store (\(reason)); pass a new path or an existing store"
        case .newerSchema(let path):
            return "\(path): the store was written by a newer crossrec; upgrade crossrec to read it"
        case .needsMigration(let path):
            return "\(path): the store's schema is older than this crossrec; open it once read-write to upgrade it"
        case .readOnly(let path):
            return "\(path): the store was opened read-only; open it read-write to record anything"
        case .fingerprintMismatch(let sweep, let stored, let given):
            return "sweep '\(sweep)' is registered for data fingerprint \(stored), not \(given); "
                + "results on different data are not comparable: use a new sweep name or a new store"
        case .unknownTrial(let trial):
            return "trial \(trial) is not registered in the store"
        case .unknownSweep(let sweep):
            return "sweep id \(sweep) is not in the store"
        case .corruptRow(let table, let key, let reason):
            return "\(table) row \(key): \(reason)"
        }
    }
}
