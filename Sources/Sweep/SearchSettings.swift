/// How a sweep explores its spaces (`search:`) and whether it stops trials early (`stopping:`).
///
/// - `grid` (default): every configuration of the spaces, as ``SweepSpec/expand()`` lists them.
/// - `random`: `trials` configurations per model entry drawn from the spaces (lists are drawn
///   like `choice`), suggestion `i` from a generator seeded by (`seed`, `i`).
/// - `tpe`: `trials` configurations per model entry suggested by ``TPESampler`` from the results
///   so far (its first `startup` are the random search's).
///
/// Adaptive searches (`random`, `tpe`) add trials while the sweep runs; the coordinator persists
/// each suggestion before leasing it. Their objective is ``objective(for:)``: the validation
/// figure of the primary metric when the data set has a validation holdout, so that neither the
/// search nor early stopping ever reads the test split.
public struct SearchSettings: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        case grid, random, tpe
    }

    public var method: Method
    /// Configurations per model entry (`random`, `tpe`); nil for `grid`.
    public var trials: Int?
    public var seed: UInt64
    /// Random start-up suggestions of `tpe` (Optuna's default, 10).
    public var startup: Int
    public var stopping: EarlyStoppingRule?

    public init(
        method: Method = .grid, trials: Int? = nil, seed: UInt64 = 0, startup: Int = 10,
        stopping: EarlyStoppingRule? = nil
    ) {
        self.method = method
        self.trials = trials
        self.seed = seed
        self.startup = startup
        self.stopping = stopping
    }

    /// The default: a grid, no early stopping.
    public static let grid = SearchSettings()

    /// True when trials are suggested while the sweep runs (`random`, `tpe`).
    public var isAdaptive: Bool { method != .grid }

    /// The figure the search minimises or maximises and early stopping reads: progress reports
    /// and results name it `validation_<primary>` when the data set has a validation holdout,
    /// else the primary metric itself (then only a search without early stopping can use it).
    public static func objective(for metric: MetricSpec, validation: Bool) -> String {
        validation ? "validation_" + metric.primary : metric.primary
    }
}

/// When the coordinator stops a running trial (`stopping:` in a sweep file).
public enum EarlyStoppingRule: Sendable, Hashable, Codable {
    /// Asynchronous successive halving (Li et al. 2020) over epochs: rungs at `min·reduction^k`
    /// below `max`; every trial trains up to `max` epochs (its `epochs` parameter is set to it).
    case asha(min: Int, max: Int, reduction: Int)
    /// The median stopping rule (Golovin et al. 2017): from epoch `warmup` on, once `minTrials`
    /// other trials reported that epoch.
    case median(warmup: Int, minTrials: Int)

    /// The rungs of `asha` (the epochs at which a trial is judged), ascending; empty for `median`.
    public var rungs: [Int] {
        guard case .asha(let low, let high, let reduction) = self else { return [] }
        var rungs: [Int] = []
        var rung = low
        while rung < high {
            rungs.append(rung)
            let (next, overflow) = rung.multipliedReportingOverflow(by: reduction)
            if overflow { break }
            rung = next
        }
        return rungs
    }

    /// `asha(min 1, max 81, reduction 3)` or `median(warmup 5, min_trials 5)`, for logs.
    public var phrase: String {
        switch self {
        case .asha(let low, let high, let reduction): return "asha(min \(low), max \(high), reduction \(reduction))"
        case .median(let warmup, let minTrials): return "median(warmup \(warmup), min_trials \(minTrials))"
        }
    }
}
