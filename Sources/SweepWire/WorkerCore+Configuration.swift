extension WorkerCore {
    /// The worker's identity and protocol settings.
    public struct Configuration: Sendable, Hashable {
        /// Sent in `hello` and `reattach`; `hello.slots` bounds concurrent attempts.
        public var hello: WorkerHello
        /// Heartbeat interval until the coordinator's `welcome` sets its own.
        public var heartbeatInterval: Duration
        /// The coordinator is lost after this many intervals without any message from it
        /// (until `welcome` sets its own).
        public var livenessMisses: Int
        /// On shutdown, how long running attempts may finish before they are cancelled and handed back.
        public var drainTimeout: Duration
        /// Failure messages are cut to this many UTF-8 bytes before they are sent.
        public var maxFailureMessageBytes: Int
        /// `log` actions below this level are not produced at all (their text is never built):
        /// a shell that prints only warnings saves that work on every trial.
        public var logLevel: LogLevel
        /// A worker never welcomed by any coordinator exits with `.unreachable` after this long;
        /// `nil` waits forever. Once welcomed, a lost coordinator is waited for indefinitely.
        public var giveUpAfter: Duration?
        /// How log lines name the coordinator (the shell passes its endpoint).
        public var coordinatorName: String
        /// Most tickets one `heartbeat`, `reattach` or `goodbye` lists: the wire's list limit.
        public var maxHeldTickets: Int

        public init(
            hello: WorkerHello, heartbeatInterval: Duration = .seconds(1), livenessMisses: Int = 3,
            drainTimeout: Duration = .seconds(30), maxFailureMessageBytes: Int = 16 * 1024, logLevel: LogLevel = .trace,
            giveUpAfter: Duration? = nil, coordinatorName: String = "the coordinator",
            maxHeldTickets: Int = WireLimits().maxCollectionCount
        ) {
            self.giveUpAfter = giveUpAfter
            self.coordinatorName = coordinatorName
            self.maxHeldTickets = maxHeldTickets
            self.logLevel = logLevel
            self.hello = hello
            self.heartbeatInterval = heartbeatInterval
            self.livenessMisses = livenessMisses
            self.drainTimeout = drainTimeout
            self.maxFailureMessageBytes = maxFailureMessageBytes
        }
    }
}
