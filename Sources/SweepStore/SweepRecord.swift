public import Foundation

/// One row of `sweeps`: a sweep file registered in the store.
public struct SweepRecord: Sendable, Hashable {
    public var id: SweepID
    /// The sweep's name (unique in the store); registering the same name again extends it.
    public var name: String
    /// The sweep file as JSON, as last registered.
    public var specJSON: String
    /// Fingerprint of the data set every trial of the sweep runs on (part of each `TrialID`).
    public var datasetFingerprint: String
    /// Version of the code that last registered the sweep.
    public var codeVersion: String
    public var createdAt: Date

    public init(
        id: SweepID, name: String, specJSON: String, datasetFingerprint: String, codeVersion: String, createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.specJSON = specJSON
        self.datasetFingerprint = datasetFingerprint
        self.codeVersion = codeVersion
        self.createdAt = createdAt
    }
}
