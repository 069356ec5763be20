public import Sweep

extension CoordinatorCore {
    /// How workers prove who they are.
    public enum Authentication: Sendable, Hashable {
        /// Every connection authenticated with CURVE; a worker's identity is its public key (the
        /// `Peer.publicKey` the shell reads from ZAP). A message without a key is refused.
        case curveKeys
        /// No transport authentication (loopback, or an explicitly `--insecure` network): a
        /// worker's identity is its session token, so only the process that registered a worker
        /// id can take it over from another connection.
        case sessionTokens
    }

    /// The coordinator's protocol settings. Defaults: heartbeat every second, a worker lost after
    /// 3 silent intervals, 2 retries after infrastructure failures, 30 s to drain on shutdown, one
    /// prefetched lease per slot while trials take under a second, slow start from one lease,
    /// at most 64 leases on workers that have not yet acknowledged one, 4,096 workers.
    public struct Configuration: Sendable, Hashable {
        /// Workers must speak exactly this protocol version.
        public var protocolVersion: Int
        /// How often heartbeats go both ways.
        public var heartbeatInterval: Duration
        /// A worker is lost after this many heartbeat intervals without any message from it.
        public var livenessMisses: Int
        /// How many times a trial is leased again after infrastructure failures; the failure after
        /// that fails it for good. Deterministic failures are never retried.
        public var retryLimit: Int
        /// On shutdown, how long running attempts may still report before they are abandoned.
        public var drainTimeout: Duration
        /// Timeout of trials whose record has none.
        public var defaultTrialTimeout: Duration
        /// Extra leases per slot a worker may hold while trials are short, so a worker starts its
        /// next trial without waiting a round trip to the coordinator; 8 times as many while they
        /// are very short (under `prefetchBelow / 100`), so the coordinator handles results and
        /// leases in batches (its wake-ups, not the trials, were then the cost). The queueing this
        /// adds is bounded by about `prefetchBelow` per slot. `0` turns prefetch off.
        public var prefetchPerSlot: Int
        /// Prefetch only while the recent mean attempt time (lease to result, an exponentially
        /// weighted mean) is below this: for longer trials a round trip is negligible and a
        /// prefetched lease could sit behind a long trial while another worker idles.
        public var prefetchBelow: Duration
        /// `log` actions below this level are not produced at all (their text is never built).
        public var logLevel: LogLevel
        /// How workers prove who they are.
        public var authentication: Authentication
        /// Most registered workers; a `hello` beyond it is refused with `coordinatorFull` (the
        /// worker retries later) and counted in the rejection summary.
        public var maxWorkers: Int
        /// Leases a newly registered worker may hold (slow start). Each lease it acknowledges
        /// raises its allowance by two, up to `slots × prefetch depth`: a real worker doubles what
        /// it holds every round trip, a worker that vanishes after `hello` holds this many.
        public var initialAllowance: Int
        /// Leases held at once by all workers that have not yet acknowledged any lease. A flood of
        /// `hello`s can tie up at most this many trials, and only until its workers are lost.
        public var probationLeaseLimit: Int
        /// Most leases one worker may hold at once, whatever its slots: a worker lists all of
        /// them in one `heartbeat` or `reattach`, so this must not exceed the wire's
        /// `maxCollectionCount`.
        public var maxLeasesPerWorker: Int
        /// After a restart, how long trials that were running stay reserved for their worker to
        /// take back with `reattach` before they return to pending. `nil`: twice the liveness.
        public var reattachGrace: Duration?
        /// The metrics each model may report, by model name. A result whose metric names are not
        /// all declared for its trial's model is refused (the attempt fails as infrastructure, so
        /// another worker runs it). `nil` accepts any names (scripted tests).
        public var metricsByModel: [String: Set<String>]?
        /// Reopen, when the store is loaded, trials that failed for good through infrastructure
        /// (their cause, e.g. a missing data file, may be fixed now).
        public var reopensInfrastructureFailures: Bool
        /// Refused input is logged once per peer and reason, then summarised every this often.
        public var rejectionReportInterval: Duration
        /// The sweep, when it searches adaptively (`search: random|tpe`) or stops trials early
        /// (`stopping:`): the core then suggests trials and stops them (see ``SearchDriver`` and
        /// ``Sweep/EarlyStopper``). nil: a grid without early stopping, every trial in the snapshot.
        public var sweep: SweepSpec?

        public init(
            protocolVersion: Int = WireCodec.protocolVersion, heartbeatInterval: Duration = .seconds(1),
            livenessMisses: Int = 3, retryLimit: Int = 2, drainTimeout: Duration = .seconds(30),
            defaultTrialTimeout: Duration = .seconds(3600), prefetchPerSlot: Int = 1,
            prefetchBelow: Duration = .seconds(1), logLevel: LogLevel = .trace,
            authentication: Authentication = .sessionTokens, maxWorkers: Int = 4096, initialAllowance: Int = 1,
            probationLeaseLimit: Int = 64, maxLeasesPerWorker: Int = WireLimits().maxCollectionCount,
            reattachGrace: Duration? = nil, metricsByModel: [String: Set<String>]? = nil,
            reopensInfrastructureFailures: Bool = true, rejectionReportInterval: Duration = .seconds(10),
            sweep: SweepSpec? = nil
        ) {
            self.sweep = sweep
            self.logLevel = logLevel
            self.protocolVersion = protocolVersion
            self.heartbeatInterval = heartbeatInterval
            self.livenessMisses = livenessMisses
            self.retryLimit = retryLimit
            self.drainTimeout = drainTimeout
            self.defaultTrialTimeout = defaultTrialTimeout
            self.prefetchPerSlot = prefetchPerSlot
            self.prefetchBelow = prefetchBelow
            self.authentication = authentication
            self.maxWorkers = maxWorkers
            self.initialAllowance = initialAllowance
            self.probationLeaseLimit = probationLeaseLimit
            self.maxLeasesPerWorker = maxLeasesPerWorker
            self.reattachGrace = reattachGrace
            self.metricsByModel = metricsByModel
            self.reopensInfrastructureFailures = reopensInfrastructureFailures
            self.rejectionReportInterval = rejectionReportInterval
        }

        /// Silence after which a worker is lost: `heartbeatInterval × livenessMisses`.
        public var liveness: Duration { heartbeatInterval * livenessMisses }

        /// `reattachGrace`, or twice the liveness.
        public var effectiveReattachGrace: Duration { reattachGrace ?? liveness * 2 }

        /// Whether the values make sense together; nil if they do, else what is wrong.
        var problem: String? {
            if heartbeatInterval <= .zero { return "heartbeatInterval must be positive" }
            if livenessMisses < 1 { return "livenessMisses must be at least 1" }
            if retryLimit < 0 { return "retryLimit must not be negative" }
            if drainTimeout < .zero { return "drainTimeout must not be negative" }
            if defaultTrialTimeout <= .zero { return "defaultTrialTimeout must be positive" }
            if prefetchPerSlot < 0 { return "prefetchPerSlot must not be negative" }
            if maxWorkers < 1 { return "maxWorkers must be at least 1" }
            if initialAllowance < 1 { return "initialAllowance must be at least 1" }
            if probationLeaseLimit < 1 { return "probationLeaseLimit must be at least 1" }
            if !(1...WireLimits().maxCollectionCount).contains(maxLeasesPerWorker) {
                return "maxLeasesPerWorker must be in 1…\(WireLimits().maxCollectionCount) (the wire's list limit)"
            }
            if let reattachGrace, reattachGrace < .zero { return "reattachGrace must not be negative" }
            if rejectionReportInterval <= .zero { return "rejectionReportInterval must be positive" }
            return nil
        }
    }
}
