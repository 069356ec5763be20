/// The outcome of one ``CIAssertion`` on a leaderboard.
public struct CIAssertionResult: Sendable, Hashable, Codable {
    public var assertion: CIAssertion
    public var passed: Bool
    /// The value checked; nil when no trial reported the metric (the assertion then fails).
    public var actual: Double?
    /// The configuration the value came from.
    public var configuration: ConfigurationKey?
    /// One line for logs: `PASS rmse<=0.95: top-ranked mean rmse = 0.9123 (mf(factors=8, lr=0.01))`.
    public var message: String

    public init(
        assertion: CIAssertion, passed: Bool, actual: Double?, configuration: ConfigurationKey?, message: String
    ) {
        self.assertion = assertion
        self.passed = passed
        self.actual = actual
        self.configuration = configuration
        self.message = message
    }
}
