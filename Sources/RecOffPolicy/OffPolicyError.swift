/// A log, a policy or a setting that off-policy estimation cannot use, phrased so the user knows
/// what to fix: which impression, which field, what was expected and what was found.
public struct OffPolicyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was expected and what was found, naming the impression or the option.
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.map { "\(message) (\($0))" } ?? message }
}
