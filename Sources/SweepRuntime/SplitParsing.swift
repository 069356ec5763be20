public import Sweep

/// Parses split names of the command line: `official:u1`, `random:0.2[:SEED]`,
/// `per-user:0.2[:SEED]`, `cold-users:0.2[:SEED[:FOLD]]`, `leave-last-out[:N]`, `temporal:0.2`, `mind`,
/// `mind-time[:DAYS]`, `cold-items[:0.2[:SEED]]`, `cold-items-time[:0.2]` (the fraction of items held
/// out defaults to 0.2 and the seed to 1, as in a sweep file), `files` (the test files of a
/// data-set description), `files:TRAIN,TEST` (a fixed pair of files).
public enum SplitParsing {
    public static func parse(_ text: String) throws -> SplitSpec {
        let parts = text.split(separator: ":").map(String.init)
        func fraction(_ index: Int) throws -> Double {
            guard parts.count > index, let value = Double(parts[index]), value > 0, value < 1 else {
                throw RuntimeError("split '\(text)': expected a test fraction in (0, 1), e.g. \(parts[0]):0.2")
            }
            return value
        }
        func seed(_ index: Int) throws -> UInt64 {
            guard parts.count > index else { return 1 }
            guard let value = UInt64(parts[index]) else { throw RuntimeError("split '\(text)': seed must be a non-negative integer") }
            return value
        }
        switch parts.first ?? "" {
        case "official":
            guard parts.count == 2 else { throw RuntimeError("split '\(text)': expected official:u1 (u1…u5, ua, ub)") }
            return .official(parts[1])
        case "random": return .random(testFraction: try fraction(1), seed: try seed(2))
        case "per-user": return .perUser(testFraction: try fraction(1), seed: try seed(2))
        case "cold-users":
            guard parts.count <= 4 else {
                throw RuntimeError("split '\(text)': expected cold-users:0.2, cold-users:0.2:SEED or cold-users:0.2:SEED:FOLD")
            }
            guard parts.count == 4 else { return .coldUsers(testFraction: try fraction(1), seed: try seed(2)) }
            guard let fold = Int(parts[3]), fold >= 0 else {
                throw RuntimeError(
                    "split '\(text)': the fold must be a whole number ≥ 0 (fold 0 is the draw itself; folds 0…K−1 make every user cold once)")
            }
            return .coldUsers(testFraction: try fraction(1), seed: try seed(2), fold: fold)
        case "leave-last-out":
            guard parts.count == 1 || Int(parts[1]).map({ $0 >= 1 }) == true else {
                throw RuntimeError("split '\(text)': expected leave-last-out or leave-last-out:N with N ≥ 1")
            }
            return .leaveLastOut(count: parts.count == 1 ? 1 : Int(parts[1])!)
        case "temporal": return .temporal(testFraction: try fraction(1))
        case "mind": return .mind(train: "train", evaluate: "dev")
        case "mind-time":
            guard parts.count == 1 || Int(parts[1]).map({ (1...365).contains($0) }) == true else {
                throw RuntimeError("split '\(text)': expected mind-time or mind-time:DAYS (the last DAYS calendar days of train are evaluated)")
            }
            return .mindTime(part: "train", testDays: parts.count == 1 ? 1 : Int(parts[1])!)
        case "cold-items":
            guard parts.count <= 3 else { throw RuntimeError("split '\(text)': expected cold-items:0.2 or cold-items:0.2:SEED") }
            return .coldItems(testFraction: parts.count == 1 ? 0.2 : try fraction(1), seed: try seed(2), by: .random)
        case "files":
            if parts.count == 1 { return .files }
            let pair = text.dropFirst("files:".count).split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw RuntimeError(
                    "split '\(text)': expected files:TRAIN,TEST (two files, e.g. files:u1.base,u1.test), or files alone (the test files a data-set description names)")
            }
            return .givenFiles(train: pair[0], test: pair[1])
        case "cold-items-time":
            guard parts.count <= 2 else {
                throw RuntimeError("split '\(text)': expected cold-items-time:0.2 (the latest items are held out; no seed)")
            }
            return .coldItems(testFraction: parts.count == 1 ? 0.2 : try fraction(1), seed: 1, by: .time)
        default:
            throw RuntimeError(
                "unknown split '\(text)'; use official:u1, random:0.2, per-user:0.2, cold-users:0.2[:SEED[:FOLD]], leave-last-out, temporal:0.2, mind, mind-time[:DAYS], cold-items:0.2[:SEED], cold-items-time:0.2, files or files:TRAIN,TEST")
        }
    }
}
