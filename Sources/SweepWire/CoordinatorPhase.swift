/// The coordinator's life cycle: loading → running → (draining →) finished.
public enum CoordinatorPhase: Sendable, Hashable {
    /// Waiting for `storeLoaded`. Workers may already register; nothing is leased.
    case loading
    /// Leasing pending trials to workers with free slots.
    case running
    /// Shutdown requested: no new leases; running attempts may still report until `until`.
    case draining(until: ProtocolInstant)
    /// `sweepFinished` was emitted.
    case finished
}
