import Sweep
import Testing

/// What `sweep run --dry-run` reports before running: asserts the leaderboard cannot check,
/// lines of keys for messages, and failed trials grouped for the terminal.
@Suite("Sweep preflight: asserts, key lines, failure reports")
struct SweepPreflightTests {
    static let yaml = """
        name: pre
        dataset:
          path: data/ml-100k
          layout: movielens
        metric: {primary: rmse, direction: minimize, record: [mae]}
        models:
          mf: {factors: [8, 16]}
          sleep: {seconds: 0}
        """

    static func spec(_ text: String = yaml) throws -> SweepSpec {
        try SweepSpec(yaml: text, file: "sweeps/pre.yaml", catalog: TestCatalog.catalog)
    }

    @Test(arguments: ["rmse<=0.95", "mae<1", "rmse==0.9"])
    func assertsOnTheLeaderboardsColumnsAreFine(_ text: String) throws {
        #expect(try Self.spec().assertionProblem(CIAssertion(parsing: text), catalog: TestCatalog.catalog, file: "sweeps/pre.yaml") == nil)
    }

    @Test func aMetricAModelReportsButTheBoardDoesNotKeepSaysAddItToRecord() throws {
        let problem = try #require(
            try Self.spec().assertionProblem(CIAssertion(parsing: "ndcg@10>=0.3"), catalog: TestCatalog.catalog, file: "sweeps/pre.yaml"))
        #expect(problem.contains("'ndcg@10' is not on this sweep's leaderboard (its metrics: rmse, mae)"), "\(problem)")
        #expect(problem.contains("add it to 'metric.record' in sweeps/pre.yaml (mf reports it)"), "\(problem)")
    }

    @Test func aMetricNoModelReportsListsWhatCanBeAsserted() throws {
        let problem = try #require(
            try Self.spec().assertionProblem(CIAssertion(parsing: "nosuchmetric>=1"), catalog: TestCatalog.catalog, file: "sweeps/pre.yaml"))
        #expect(problem.hasPrefix("no model in this sweep reports 'nosuchmetric'; the metrics that can be asserted are rmse, mae"), "\(problem)")
        let typo = try #require(
            try Self.spec().assertionProblem(CIAssertion(parsing: "rmes<=1"), catalog: TestCatalog.catalog, file: "sweeps/pre.yaml"))
        #expect(typo.contains("did you mean 'rmse'?"), "\(typo)")
    }

    @Test func builtInsReportTheirScoreOnly() throws {
        let spec = try Self.spec(
            """
            name: builtins
            dataset: {synthetic: {}}
            metric: {primary: score, direction: maximize}
            models:
              noop: {}
            """)
        #expect(spec.assertionProblem(try CIAssertion(parsing: "score>=0"), catalog: TestCatalog.catalog, file: "f") == nil)
        let problem = try #require(spec.assertionProblem(try CIAssertion(parsing: "nosuchmetric>=1"), catalog: TestCatalog.catalog, file: "f"))
        #expect(problem == "no model in this sweep reports 'nosuchmetric'; the metrics that can be asserted are score", "\(problem)")
    }

    @Test func linesOfKeys() {
        #expect(SweepSpec.line(of: "dataset.path", inYAML: Self.yaml) == 3)
        #expect(SweepSpec.line(of: "dataset.layout", inYAML: Self.yaml) == 4)
        #expect(SweepSpec.line(of: "models.mf.factors", inYAML: Self.yaml) == 7)
        #expect(SweepSpec.line(of: "dataset.split", inYAML: Self.yaml) == nil)
        #expect(SweepSpec.line(of: "name.x", inYAML: Self.yaml) == nil)
        #expect(SweepSpec.line(of: "dataset.path", inYAML: "a: [") == nil)
    }

    @Test func failedTrialsAreGroupedByMessageLargestGroupFirst() {
        let failure = TrialFailure(kind: .infrastructure, message: "data: data/x: no such file or folder")
        let failures = (1...5).map { (config: TrialConfig(model: "mf", parameters: ["factors": .int(8 * $0)], seed: 1), failure: failure) }
            + [(config: TrialConfig(model: "sleep", parameters: ["fail": .bool(true)], seed: 2),
                failure: TrialFailure(kind: .deterministic, message: "sleep: failed\non request"))]
        let board = Leaderboard(
            metric: MetricSpec(primary: "rmse", direction: .minimize), results: LeaderboardFixtures.results, failures: failures)
        let groups = board.failureGroups
        #expect(groups.map(\.trials.count) == [5, 1])
        #expect(groups.first?.kind == .infrastructure && groups.first?.message == failure.message)
        #expect(groups.first?.trials.first == "mf(factors=8) seed 1")
        #expect(
            board.failureReport(maxGroups: 5, maxTrials: 2) == [
                "5 trials [infrastructure]: data: data/x: no such file or folder",
                "  mf(factors=8) seed 1; mf(factors=16) seed 1; and 3 more",
                "1 trial [deterministic]: sleep: failed on request",
                "  sleep(fail=true) seed 2",
            ])
        #expect(board.failureReport(maxGroups: 1).last == "… and 1 more distinct error")
        #expect(Leaderboard(metric: LeaderboardFixtures.rmse, results: LeaderboardFixtures.results).failureReport().isEmpty)
        let long = Leaderboard(
            metric: LeaderboardFixtures.rmse, results: [],
            failures: [(TrialConfig(model: "noop", parameters: [:], seed: 1), TrialFailure(kind: .deterministic, message: String(repeating: "x", count: 50)))])
        #expect(long.failureReport(maxMessageLength: 10).first == "1 trial [deterministic]: xxxxxxxxxx…")
    }
}
