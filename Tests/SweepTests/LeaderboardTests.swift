import Sweep
import Testing

@Suite("Leaderboard aggregation and ranking")
struct LeaderboardTests {
    @Test func meanStandardDeviationAndCountByHand() throws {
        let board = LeaderboardFixtures.board
        let best = try #require(board.rows.first)
        #expect(best.configuration.description == "mf(factors=8, lr=0.01)")
        #expect(best.metrics["rmse"] == MetricSummary(mean: 0.75, standardDeviation: 0.25, count: 3))
        #expect(best.metrics["mae"] == MetricSummary(mean: 0.5, standardDeviation: 0.25, count: 3))
        // Only the board's columns are kept.
        #expect(best.metrics["auc"] == nil)
        #expect(best.seeds == [1, 2, 3])
        #expect(best.failed == 0)

        let second = board.rows[1]
        #expect(second.metrics["rmse"] == MetricSummary(mean: 0.875, standardDeviation: nil, count: 1))
        #expect(second.failures == [.init(seed: 2, kind: .deterministic, message: "diverged: loss is NaN")])
        #expect(second.trials == 2)
    }

    @Test func summaryOfNonDyadicValues() {
        // mean 2, squares 1 + 0 + 1 over n − 1 = 2: sd 1.
        #expect(MetricSummary(values: [3, 1, 2]) == MetricSummary(mean: 2, standardDeviation: 1, count: 3))
        let summary = MetricSummary(values: [0.9, 0.92, 0.94])
        #expect(abs(summary.mean - 0.92) < 1e-12)
        #expect(abs(summary.standardDeviation! - 0.02) < 1e-12)
    }

    @Test func ranksAndUnrankedRows() {
        let board = LeaderboardFixtures.board
        #expect(board.rows.map(\.rank) == [1, 2, nil])
        #expect(
            board.rows.map(\.configuration.description) == [
                "mf(factors=8, lr=0.01)", "mf(factors=16, lr=0.01)", "sleep(fail=true)",
            ])
        #expect(board.trialCount == 6)
        #expect(board.failedCount == 2)
        #expect(board.best?.configuration.description == "mf(factors=8, lr=0.01)")
    }

    @Test func directionDecidesTheOrder() {
        let results = [
            (
                config: LeaderboardFixtures.config("als", ["factors": .int(8)], seed: 1),
                metrics: TrialMetrics(values: ["ndcg@10": 0.2])
            ),
            (
                config: LeaderboardFixtures.config("als", ["factors": .int(16)], seed: 1),
                metrics: TrialMetrics(values: ["ndcg@10": 0.3])
            ),
            (
                config: LeaderboardFixtures.config("ease", ["lambda": .double(500)], seed: 1),
                metrics: TrialMetrics(values: ["ndcg@10": 0.25])
            ),
        ]
        let maximize = Leaderboard(metric: MetricSpec(primary: "ndcg@10", direction: .maximize), results: results)
        #expect(maximize.rows.map { $0.mean("ndcg@10")! } == [0.3, 0.25, 0.2])
        let minimize = Leaderboard(metric: MetricSpec(primary: "ndcg@10", direction: .minimize), results: results)
        #expect(minimize.rows.map { $0.mean("ndcg@10")! } == [0.2, 0.25, 0.3])
    }

    @Test func tiesAreBrokenByConfiguration() {
        // Equal means: model name first, then parameters numerically (8 before 16, unlike text order).
        let results =
            [16, 8, 128].map { factors in
                (
                    config: LeaderboardFixtures.config("mf", ["factors": .int(factors)], seed: 1),
                    metrics: TrialMetrics(values: ["rmse": 0.9])
                )
            } + [
                (
                    config: LeaderboardFixtures.config("baseline", [:], seed: 1),
                    metrics: TrialMetrics(values: ["rmse": 0.9])
                )
            ]
        let board = Leaderboard(metric: MetricSpec(primary: "rmse", direction: .minimize), results: results)
        #expect(
            board.rows.map(\.configuration.description) == [
                "baseline()", "mf(factors=8)", "mf(factors=16)", "mf(factors=128)",
            ])
        #expect(board.rows.map(\.rank) == [1, 2, 3, 4])
    }

    @Test func perModelBoardsAndBestPerModel() {
        var results = LeaderboardFixtures.results
        results.append(
            (
                LeaderboardFixtures.config("baseline", ["reg_user": .double(10)], seed: 1),
                TrialMetrics(values: ["rmse": 0.8])
            ))
        let board = Leaderboard(
            metric: LeaderboardFixtures.rmse, results: results, failures: LeaderboardFixtures.failures)
        #expect(board.models == ["baseline", "mf", "sleep"])
        #expect(board.rows.map(\.rank) == [1, 2, 3, nil])
        let mf = board.model("mf")
        #expect(mf.rows.map(\.rank) == [1, 2])
        #expect(mf.rows.map(\.model) == ["mf", "mf"])
        #expect(board.model("sleep").rows.map(\.rank) == [nil])
        #expect(
            board.bestPerModel.map(\.configuration.description) == [
                "mf(factors=8, lr=0.01)", "baseline(reg_user=10.0)",
            ])
        #expect(board.bestPerModel.map(\.rank) == [1, 2])
    }

    @Test func nonFiniteValuesAreLeftOut() {
        let results = [
            (config: LeaderboardFixtures.config("mf", [:], seed: 1), metrics: TrialMetrics(values: ["rmse": .nan])),
            (config: LeaderboardFixtures.config("mf", [:], seed: 2), metrics: TrialMetrics(values: ["rmse": 0.5])),
        ]
        let board = Leaderboard(metric: MetricSpec(primary: "rmse", direction: .minimize), results: results)
        #expect(board.rows[0].metrics["rmse"] == MetricSummary(mean: 0.5, standardDeviation: nil, count: 1))
        #expect(board.rows[0].seeds == [1, 2])
    }

    @Test func emptyBoard() {
        let board = Leaderboard(metric: LeaderboardFixtures.rmse, results: [])
        #expect(board.rows.isEmpty)
        #expect(board.best == nil)
        #expect(board.html(title: "empty").contains("<svg"))
    }

    /// Values whose floating-point sum depends on the order of addition:
    /// (0.1 + 0.2) + 0.3 = 0.6000000000000001 but 0.1 + (0.2 + 0.3) = 0.6.
    static let orderSensitive: [(config: TrialConfig, metrics: TrialMetrics)] = {
        var results: [(config: TrialConfig, metrics: TrialMetrics)] = []
        for (index, value) in [0.3, 0.1, 0.2, 0.7].enumerated() {
            results.append(
                (
                    LeaderboardFixtures.config("mf", ["factors": .int(8)], seed: UInt64(index)),
                    TrialMetrics(values: ["rmse": value, "mae": value / 3])
                ))
            results.append(
                (
                    LeaderboardFixtures.config("als", ["reg": .double(0.1)], seed: UInt64(index)),
                    TrialMetrics(values: ["rmse": value + 0.1, "mae": value / 7])
                ))
        }
        results.append(
            (
                LeaderboardFixtures.config("ease", ["lambda": .double(500)], seed: 1),
                TrialMetrics(values: ["rmse": 0.325])
            ))
        return results
    }()

    @Test func insertionOrderDoesNotMatter() {
        let reference = Leaderboard(
            metric: LeaderboardFixtures.rmse, results: Self.orderSensitive, failures: LeaderboardFixtures.failures)
        let outputs = [reference.markdown(), reference.csv(), reference.json(), reference.html(title: "t")]
        var generator = TestGenerator(seed: 5)
        for round in 0..<50 {
            var results = Self.orderSensitive
            var failures = LeaderboardFixtures.failures
            if round == 0 {
                results.reverse()
                failures.reverse()
            } else {
                results.shuffle(using: &generator)
                failures.shuffle(using: &generator)
            }
            let board = Leaderboard(metric: LeaderboardFixtures.rmse, results: results, failures: failures)
            #expect(board == reference)
            #expect([board.markdown(), board.csv(), board.json(), board.html(title: "t")] == outputs)
        }
    }
}

/// A fixed pseudo-random sequence for shuffles in tests (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
