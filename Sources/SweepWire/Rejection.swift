/// Why the coordinator refused a message or a worker, sent in `CoordinatorMessage.reject`.
public struct Rejection: Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The worker's protocol version differs from the coordinator's. The worker exits.
        case versionMismatch = "version-mismatch"
        /// The coordinator could not decode or accept the message; it was ignored. The worker keeps going.
        case malformedMessage = "malformed-message"
        /// The worker is not registered (the coordinator restarted, or declared it lost). The
        /// worker sends `reattach` with its running leases.
        case unknownWorker = "unknown-worker"
        /// The coordinator is shutting down and takes no new workers. The worker exits.
        case shuttingDown = "shutting-down"
        /// A live worker (or one whose leases survive a coordinator restart) already has this id
        /// under another identity: another CURVE key, or without CURVE another process (session).
        /// The worker waits a liveness period and registers again.
        case workerIDInUse = "worker-id-in-use"
        /// The coordinator's worker table is full. The worker waits a liveness period and
        /// registers again.
        case coordinatorFull = "coordinator-full"
    }

    public var code: Code
    /// What happened and what to do about it, for the worker's log.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
