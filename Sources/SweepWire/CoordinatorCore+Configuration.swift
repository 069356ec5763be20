extension CoordinatorCore {
    /// The coordinator's protocol settings. Defaults: heartbeat every second, a worker lost after
    /// 3 silent intervals, 2 retries after infrastructure failures, 30 s to drain on shutdown, one
    /// prefetched lease per slot while trials take under a second.
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

        public init(
            protocolVersion: Int = WireCodec.protocolVersion, heartbeatInterval: Duration = .seconds(1),
            livenessMisses: Int = 3, retryLimit: Int = 2, drainTimeout: Duration = .seconds(30),
            defaultTrialTimeout: Duration = .seconds(3600), prefetchPerSlot: Int = 1, prefetchBelow: Duration = .seconds(1),
            logLevel: LogLevel = .trace
        ) {
            self.logLevel = logLevel
            self.protocolVersion = protocolVersion
            self.heartbeatInterval = heartbeatInterval
            self.livenessMisses = livenessMisses
            self.retryLimit = retryLimit
            self.drainTimeout = drainTimeout
            self.defaultTrialTimeout = defaultTrialTimeout
            self.prefetchPerSlot = prefetchPerSlot
            self.prefetchBelow = prefetchBelow
        }

        /// Silence after which a worker is lost: `heartbeatInterval × livenessMisses`.
        public var liveness: Duration { heartbeatInterval * livenessMisses }
    }
}
