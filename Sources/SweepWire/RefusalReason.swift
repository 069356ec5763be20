/// Why the coordinator refused a frame: a fixed set, so that counts by reason stay bounded
/// whatever peers send (a metric's label values, a log summary's phrase). Peer-supplied text never
/// becomes a reason; it goes into the log line's detail.
///
/// Several reasons share one ``Rejection/Code`` on the wire (the worker needs to know what to do,
/// the operator why).
public enum RefusalReason: String, Sendable, Hashable, CaseIterable {
    /// A frame that did not decode, or a multipart message without a routing id and 1…1024 frames.
    case malformed
    /// A heartbeat, progress, result, failure or goodbye from a connection no worker is bound to.
    case unregistered
    /// A `hello` or `reattach` speaking another protocol version.
    case versionMismatch = "version_mismatch"
    /// A `hello` or `reattach` without a CURVE key on a coordinator that requires one.
    case noCurveKey = "no_curve_key"
    /// A `hello` or `reattach` naming a second worker id on a connection that already carries one.
    case secondWorkerID = "second_worker_id"
    /// A claim on a worker id that another identity (CURVE key or session) holds.
    case workerIDInUse = "worker_id_in_use"
    /// A registration while the worker table was full.
    case coordinatorFull = "coordinator_full"
    /// A new worker's registration while the coordinator drains for shutdown.
    case shuttingDown = "shutting_down"
    /// Any message after the sweep ended (answered with `shutdown`). A few are normal: workers
    /// that were mid-heartbeat when the sweep finished.
    case sweepEnded = "sweep_ended"

    /// The metric label value (`snake_case`, stable).
    public var label: String { rawValue }

    /// How the log's rejection summary names frames refused for this reason
    /// (`rejected 120000 malformed frames from … in the last 10 s`).
    public var phrase: String {
        switch self {
        case .malformed: "malformed frames"
        case .unregistered: "messages from unregistered connections"
        case .versionMismatch: "workers of another protocol version"
        case .noCurveKey: "registrations without a CURVE key"
        case .secondWorkerID: "registrations naming a second worker id"
        case .workerIDInUse: "claims on worker ids held by another identity"
        case .coordinatorFull: "registrations while the worker table was full"
        case .shuttingDown: "registrations while shutting down"
        case .sweepEnded: "messages after the sweep ended"
        }
    }
}
