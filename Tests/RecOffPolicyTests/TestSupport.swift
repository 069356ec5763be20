import RecOffPolicy

/// |a − b| ≤ tolerance.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

/// The three-impression log every hand-computed case uses:
///
///     impression  candidates    logged        p      r
///     0           10, 11        10 (pos 0)    1/2    1
///     1           10, 12, 13    13 (pos 2)    1/3    0
///     2           11, 12        12 (pos 1)    1/2    1
///
/// propensities uniform (not given), so 1/|C|.
func handLog() throws -> BanditLog {
    var log = BanditLog()
    try log.append(context: 0, candidates: [10, 11], loggedPosition: 0, reward: 1)
    try log.append(context: 1, candidates: [10, 12, 13], loggedPosition: 2, reward: 0)
    try log.append(context: 2, candidates: [11, 12], loggedPosition: 1, reward: 1)
    return log
}

/// π per slot: impression 0 [0.8, 0.2], impression 1 [0.1, 0.3, 0.6], impression 2 [0.5, 0.5].
let handTarget = [0.8, 0.2, 0.1, 0.3, 0.6, 0.5, 0.5]
/// q̂ per slot: impression 0 [0.5, 0.2], impression 1 [0.3, 0.1, 0.4], impression 2 [0.2, 0.1].
let handPredictions = [0.5, 0.2, 0.3, 0.1, 0.4, 0.2, 0.1]
