/// An evaluation request that cannot be carried out, phrased so the user knows what to change
/// (`top-K: 'ks' must be positive integers, got [0, 10]`).
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The evaluation or setting concerned (`top-K`, `ratings`).
    public var context: String
    public var message: String

    public init(_ context: String, _ message: String) {
        self.context = context
        self.message = message
    }

    public var description: String { "\(context): \(message)" }
}
