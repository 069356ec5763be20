/// What CI needs after a sweep: the leaderboard, the assertions checked against it, and
/// renderings for test dashboards (``junitXML()``) and job summaries (``markdown()``).
public struct CIReport: Sendable, Hashable {
    /// The sweep's name (suite name and heading).
    public var name: String
    public var leaderboard: Leaderboard
    public var assertions: [CIAssertionResult]

    /// Evaluates `assertions` against `leaderboard`.
    public init(name: String, leaderboard: Leaderboard, assertions: [CIAssertion]) {
        self.name = name
        self.leaderboard = leaderboard
        self.assertions = assertions.map { $0.evaluate(leaderboard) }
    }

    /// Every assertion holds.
    public var assertionsPassed: Bool { assertions.allSatisfy(\.passed) }

    /// Every assertion holds and no trial failed: the CI verdict.
    public var passed: Bool { assertionsPassed && leaderboard.failedCount == 0 }
}
