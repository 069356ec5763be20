/// One trial of a sweep: its stable id and the configuration a worker runs.
public struct SweepTrial: Sendable, Hashable, Codable {
    /// `TrialID(config:datasetFingerprint:)` of ``config`` and the sweep's data set.
    public var id: TrialID
    public var config: TrialConfig

    public init(id: TrialID, config: TrialConfig) {
        self.id = id
        self.config = config
    }
}
