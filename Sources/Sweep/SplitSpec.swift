public import RecData

/// How a data set is divided into training and evaluation rows (`dataset: {split: …}`).
///
/// Forms in a sweep file: `official: u1`, `random: {test: 0.2, seed: 1}`,
/// `per-user: {test: 0.2, seed: 1}`, `cold-users: {test: 0.2, seed: 1}`, `leave-last-out: 1`,
/// `temporal: {test: 0.2}`, `mind: train/dev`, `mind-time: {part: train, test-days: 1}`,
/// `cold-items: {test: 0.2, seed: 1, by: random}`, `files` (the test files of a data-set
/// description), `files: {train: TRAIN, test: TEST}` (a fixed pair of files for any layout).
///
/// Codable as Swift synthesizes it for enums: adding a case leaves every existing encoding (stored
/// sweep descriptors, leases) unchanged.
public enum SplitSpec: Sendable, Hashable, Codable {
    /// A split shipped with the data set (MovieLens 100K folds `u1`…`u5`, `ua`, `ub`).
    case official(String)
    /// Each row goes to test with probability `testFraction`, by a seeded shuffle.
    case random(testFraction: Double, seed: UInt64)
    /// `testFraction` of each user's rows go to test (at least one stays in training).
    case perUser(testFraction: Double, seed: UInt64)
    /// `testFraction` of the users (among those with rows in another domain, when the data set has
    /// one) have all their rows in test: cold-start users of the evaluated domain.
    case coldUsers(testFraction: Double, seed: UInt64)
    /// Fold `fold` (≥ 1) of the cold-users draw: the next `testFraction` of the same seeded order
    /// of users (``RecData/Splitting/ColdUserFolds``); fold 0 is `coldUsers` itself. Made with
    /// ``coldUsers(testFraction:seed:fold:)``, which keeps fold 0 spelled as before.
    case coldUsersFold(testFraction: Double, seed: UInt64, fold: Int)
    /// Each user's latest `count` rows go to test.
    case leaveLastOut(count: Int)
    /// The latest `testFraction` of rows (by time) go to test.
    case temporal(testFraction: Double)
    /// MIND's own parts: train on `train`, evaluate on `evaluate` (`train`, `dev` or `test`).
    case mind(train: String, evaluate: String)
    /// One MIND part split by time: its last `testDays` calendar days (UTC) of impressions are
    /// evaluated, each from its own history; models train on the earlier impressions' clicks.
    case mindTime(part: String, testDays: Int)
    /// `testFraction` of the items with rows have all their rows in test (drawn by a seeded shuffle,
    /// or the latest-arriving ones `by: .time`, which ignores the seed); top-K then ranks only
    /// those items: cold-start items, scored from their content alone.
    case coldItems(testFraction: Double, seed: UInt64, by: Splitting.ColdItemOrder)
    /// The test files a data-set description names (`test:` per domain), used as they are.
    case files
    /// A fixed train/test pair of delimited files read for the evaluated domain
    /// (``RecData/Dataset/readSplitFiles(train:test:domain:reader:)``), paths as written: the
    /// trial identity changes with them (the files' content is not hashed, as for `path`).
    case givenFiles(train: String, test: String)

    /// The form keys a sweep file may use, in documentation order.
    public static let keys = [
        "official", "random", "per-user", "cold-users", "leave-last-out", "temporal", "mind", "mind-time", "cold-items", "files",
    ]

    /// Stable text for fingerprints and reports: `random(test=0.2,seed=1)`.
    public var canonicalText: String {
        switch self {
        case .official(let name): return "official(\(name))"
        case .random(let fraction, let seed): return "random(test=\(fraction),seed=\(seed))"
        case .perUser(let fraction, let seed): return "per-user(test=\(fraction),seed=\(seed))"
        case .coldUsers(let fraction, let seed): return "cold-users(test=\(fraction),seed=\(seed))"
        case .coldUsersFold(let fraction, let seed, let fold): return "cold-users(test=\(fraction),seed=\(seed),fold=\(fold))"
        case .leaveLastOut(let count): return "leave-last-out(\(count))"
        case .temporal(let fraction): return "temporal(test=\(fraction))"
        case .mind(let train, let evaluate): return "mind(\(train)/\(evaluate))"
        case .mindTime(let part, let days): return "mind-time(\(part),\(days)d)"
        case .coldItems(let fraction, let seed, .random): return "cold-items(test=\(fraction),seed=\(seed))"
        // The seed draws nothing here: leaving it out keeps one fingerprint for one split.
        case .coldItems(let fraction, _, .time): return "cold-items(test=\(fraction),by=time)"
        case .files: return "files"
        case .givenFiles(let train, let test): return "files(train=\(train),test=\(test))"
        }
    }

    /// Cold users' fold `fold` of the draw (`test`, `seed`): `coldUsers` for fold 0, so a draw
    /// keeps its fingerprint (trial ids, stored sweeps) whether or not a fold is named.
    public static func coldUsers(testFraction: Double, seed: UInt64, fold: Int) -> SplitSpec {
        fold == 0 ? .coldUsers(testFraction: testFraction, seed: seed) : .coldUsersFold(testFraction: testFraction, seed: seed, fold: fold)
    }

    /// The cold-users draw and fold this split is (fold 0 for `coldUsers`), nil for other splits.
    public var coldUsersDraw: (testFraction: Double, seed: UInt64, fold: Int)? {
        switch self {
        case .coldUsers(let fraction, let seed): return (fraction, seed, 0)
        case .coldUsersFold(let fraction, let seed, let fold): return (fraction, seed, fold)
        default: return nil
        }
    }
}
