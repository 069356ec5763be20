/// The trials a sweep file asks for, each listed once, in the deterministic order of
/// ``SweepSpec/expand()``.
public struct SweepExpansion: Sendable, Hashable, Codable {
    public var trials: [SweepTrial]
    /// Trials produced more than once and listed once (repeated grid values such as
    /// `[10, 10]` or `[1, 1.0]` on a double parameter, random draws that coincide).
    public var duplicatesRemoved: Int

    public init(trials: [SweepTrial], duplicatesRemoved: Int) {
        self.trials = trials
        self.duplicatesRemoved = duplicatesRemoved
    }

    public var ids: [TrialID] { trials.map(\.id) }

    /// Trials per model name.
    public var countsByModel: [String: Int] { trials.reduce(into: [:]) { $0[$1.config.model, default: 0] += 1 } }
}
