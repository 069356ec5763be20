/// Bounds `WireCodec` enforces on every frame, in both directions, so a hostile or broken peer
/// cannot make a process allocate without limit or accept nonsense.
public struct WireLimits: Sendable, Hashable {
    /// Largest frame accepted or produced, header included.
    public var maxFrameBytes: Int
    /// Identifiers: worker ids, trial ids, host and version names, model, parameter and metric names.
    public var maxIdentifierBytes: Int
    /// Free text: failure and rejection messages, cancel reasons, string parameter values, the
    /// data set descriptor.
    public var maxTextBytes: Int
    /// Lists and maps: models, lease lists, metrics, timings, parameters. Also the most leases a
    /// coordinator lets one worker hold at once (running, queued and awaiting confirmation of its
    /// report together), so whatever a worker lists in `heartbeat`, `reattach` or `goodbye`
    /// always fits one message.
    public var maxCollectionCount: Int
    /// Largest slot count a worker may announce.
    public var maxSlots: Int
    /// Largest attempt number accepted.
    public var maxAttempt: Int
    /// Largest duration (heartbeat interval, trial timeout) accepted.
    public var maxDuration: Duration

    public init(
        maxFrameBytes: Int = 1 << 20, maxIdentifierBytes: Int = 256, maxTextBytes: Int = 64 * 1024,
        maxCollectionCount: Int = 1024, maxSlots: Int = 1024, maxAttempt: Int = 10_000,
        maxDuration: Duration = .seconds(30 * 24 * 3600)
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxIdentifierBytes = maxIdentifierBytes
        self.maxTextBytes = maxTextBytes
        self.maxCollectionCount = maxCollectionCount
        self.maxSlots = maxSlots
        self.maxAttempt = maxAttempt
        self.maxDuration = maxDuration
    }
}
