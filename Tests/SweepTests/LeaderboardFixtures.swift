import ParameterSpecs
import Sweep

/// Small result sets with hand-checkable figures.
enum LeaderboardFixtures {
    static func config(_ model: String, _ parameters: [String: ParameterValue], seed: UInt64) -> TrialConfig {
        TrialConfig(model: model, parameters: parameters, seed: seed)
    }

    static let rmse = MetricSpec(primary: "rmse", direction: .minimize, record: ["mae"])

    /// Dyadic values, so means and deviations are exact:
    /// mf(factors=8): rmse 0.5, 0.75, 1.0 → 0.75 ± 0.25; mae 0.25, 0.5, 0.75 → 0.5 ± 0.25.
    /// mf(factors=16): rmse 0.875, mae 0.625 (seed 1); seed 2 diverged.
    /// sleep(fail=true): seed 1 timed out.
    static let results: [(config: TrialConfig, metrics: TrialMetrics)] = [
        (
            config("mf", ["factors": .int(8), "lr": .double(0.01)], seed: 1),
            TrialMetrics(values: ["rmse": 0.5, "mae": 0.25, "auc": 0.9])
        ),
        (
            config("mf", ["factors": .int(8), "lr": .double(0.01)], seed: 2),
            TrialMetrics(values: ["rmse": 0.75, "mae": 0.5])
        ),
        (
            config("mf", ["factors": .int(8), "lr": .double(0.01)], seed: 3),
            TrialMetrics(values: ["rmse": 1.0, "mae": 0.75])
        ),
        (
            config("mf", ["factors": .int(16), "lr": .double(0.01)], seed: 1),
            TrialMetrics(values: ["rmse": 0.875, "mae": 0.625])
        ),
    ]

    static let failures: [(config: TrialConfig, failure: TrialFailure)] = [
        (
            config("mf", ["factors": .int(16), "lr": .double(0.01)], seed: 2),
            TrialFailure(kind: .deterministic, message: "diverged: loss is NaN")
        ),
        (
            config("sleep", ["fail": .bool(true)], seed: 1),
            TrialFailure(kind: .infrastructure, message: "timed out after 60s")
        ),
    ]

    static var board: Leaderboard { Leaderboard(metric: rmse, results: results, failures: failures) }
}
