import Foundation
public import Sweep
public import SweepStore
public import SweepWire
import ZeroMQ

/// The coordinator's I/O shell: the ROUTER socket (`CoordinatorSocket`), the durable store
/// (`StoreWriter`), and a loop that feeds messages and time into ``CoordinatorCore`` and carries
/// out its actions. The core decides; this type moves bytes, commits and reports status.
///
/// The loop, once the store is loaded: wait for a message or the core's next wake-up; take every
/// message already queued (up to `maxMessagesPerRound`) plus a due tick as one batch of events;
/// hand the batch to the core; commit the batch's store commands in one transaction; only then
/// send the batch's messages, one multipart message per connection. So nothing leaves the
/// coordinator that the store does not already know: a lease a worker holds, a result a worker
/// was told is recorded (`confirm`), and every lease epoch ever sent are durable, whenever the
/// process dies. A restarted coordinator gives running trials back to the workers that hold them.
public final class CoordinatorService {
    public struct Options: Sendable {
        public var bind: String
        public var storePath: String
        /// This coordinator's CURVE secret key file and the allow-list of worker public keys.
        public var keyFile: String?
        public var allowList: String?
        public var heartbeatInterval: Duration = .seconds(1)
        public var livenessMisses: Int = 3
        public var drainTimeout: Duration = .seconds(30)
        public var maxMessageSize: Int = 16 << 20
        /// Messages each connection's queue holds in each direction before more are dropped.
        public var highWaterMark: Int = 1000
        /// Most registered workers (`CoordinatorCore.Configuration.maxWorkers`).
        public var maxWorkers: Int = 4096
        /// Most messages taken into one batch (one core call, one commit).
        public var maxMessagesPerRound: Int = 4096
        public var verbose = false
        /// How log lines are written: text for people, JSON lines for collectors.
        public var logFormat: LogFormat = .text
        /// `HOST:PORT` to serve Prometheus metrics on (`GET /metrics`); nil serves none.
        public var metrics: String?
        /// Tests only: stop as a SIGKILL would at this point of the store's commits.
        var crashPoint: StoreWriter.CrashPoint?

        public init(bind: String, storePath: String, keyFile: String? = nil, allowList: String? = nil) {
            self.bind = bind
            self.storePath = storePath
            self.keyFile = keyFile
            self.allowList = allowList
        }
    }

    /// Live counts for a progress line.
    public struct Status: Sendable {
        public var total: Int
        public var finished: Int
        public var failed: Int
        public var running: Int
        public var workers: Int
        public var best: Double?
        public var elapsed: Duration
        /// Stopped early by the sweep's stopping rule (final, like finished and failed).
        public var stopped = 0
        public var pending: Int { max(0, total - finished - failed - stopped - running) }
    }

    public struct Outcome: Sendable {
        public var summary: SweepSummary
        public var leaderboard: Leaderboard
        public var sweep: SweepID
        /// The search's course (adaptive search or early stopping), else nil.
        public var search: SearchReport? = nil
        /// This process's resident memory when the dispatch loop started (store loaded, core
        /// built) and when it ended: their difference is what running the trials cost, the
        /// figure that must stay flat however many trials finish (`nil` without `/proc`).
        public var residentBytesAtLoopStart: Int?
        public var residentBytesAtLoopEnd: Int?
        /// Time from the first lease-ready moment (store loaded, core built) to the last trial
        /// recorded: the dispatch loop alone, without start-up and the leaderboard.
        public var loopDuration: Duration = .zero
        /// Store transactions committed by the loop, and their total and longest time.
        public var commits = 0
        public var commitSeconds = 0.0
        public var longestCommitSeconds = 0.0
        /// Messages dropped because a connection's queue was full or it was gone.
        public var droppedSends = 0
    }

    /// Most messages a worker puts in one multipart message (the coordinator refuses more).
    public static let maxMessagesPerBatch = 1024

    public let spec: SweepSpec
    public let options: Options
    /// The expansion, computed once: by ``trialCount()`` before the run, or by ``run(status:)``,
    /// which releases it once the core holds the trials.
    var cachedExpansion: SweepExpansion?
    private let shutdown: ShutdownSignal
    private let codec = WireCodec()
    let log: ProcessLog
    /// The Prometheus metrics, when `options.metrics` asks for them, and the endpoint serving them.
    public let metrics: CoordinatorMetrics?
    public private(set) var metricsServer: MetricsServer?
    private var socket: CoordinatorSocket?
    public private(set) var endpoint: String?

    public init(spec: SweepSpec, options: Options, shutdown: ShutdownSignal = ShutdownSignal()) {
        self.spec = spec
        self.options = options
        self.shutdown = shutdown
        self.log = ProcessLog(
            who: "coordinator", verbose: options.verbose, format: options.logFormat, metadata: ["sweep": .string(spec.name)])
        self.metrics = options.metrics == nil ? nil : CoordinatorMetrics(sweep: spec.name)
    }

    /// The number of trials the sweep file expands to (expanding it once; `run` reuses it).
    public func trialCount() -> Int {
        if let planned = spec.plannedTrials { return planned }
        if cachedExpansion == nil { cachedExpansion = spec.expand() }
        return cachedExpansion!.trials.count
    }

    /// Binds the socket (with CURVE and the allow-list when keys are given) and returns the
    /// actual endpoint (`tcp://127.0.0.1:0` picks a free port).
    @discardableResult
    public func bind() throws -> String {
        let socket = try CoordinatorSocket(options: options, log: log, metrics: metrics)
        self.socket = socket
        endpoint = socket.endpoint
        if let address = options.metrics, let metrics, metricsServer == nil {
            metricsServer = try MetricsServer(address: address) { metrics.text() }
        }
        return socket.endpoint
    }

    /// The core's settings for this sweep and these options.
    func coreConfiguration() -> CoordinatorCore.Configuration {
        CoordinatorCore.Configuration(
            protocolVersion: WireCodec.protocolVersion, heartbeatInterval: options.heartbeatInterval,
            livenessMisses: options.livenessMisses, retryLimit: spec.retries, drainTimeout: options.drainTimeout,
            defaultTrialTimeout: spec.timeout, logLevel: options.verbose ? .debug : .warning,
            authentication: options.keyFile == nil ? .sessionTokens : .curveKeys, maxWorkers: options.maxWorkers,
            metricsByModel: Self.declaredMetrics(),
            sweep: spec.search.isAdaptive || spec.search.stopping != nil ? spec : nil)
    }

    /// The metrics each model of the runtime's catalog may report: what it declares plus the
    /// evaluation counts every model trial reports (`users_evaluated`, `mind_impressions`), and for
    /// the built-ins (`noop`, `sleep`, which declare none so that a machinery benchmark may rank
    /// them by any name) the one they report, `score`.
    static func declaredMetrics() -> [String: Set<String>] {
        var metrics: [String: Set<String>] = [:]
        for model in TrialRunner.catalog.models {
            metrics[model.name] =
                model.metrics.isEmpty
                ? TrialRunner.builtinMetrics
                : Set(model.metrics).union(TrialRunner.evaluationCounts).union(TrialRunner.validationMetrics)
        }
        return metrics
    }

    /// Runs the sweep to the end (or to a graceful shutdown) and returns the leaderboard.
    public func run(status: ((Status) -> Void)? = nil) throws -> Outcome {
        if socket == nil { try bind() }
        guard let socket else { throw RuntimeError("coordinator socket not bound") }
        var lingerOnClose: Duration = .zero
        defer {
            // Dropping the last reference terminates the context, which waits until the socket is
            // really closed: a coordinator restarted in the same process can bind the port again.
            socket.close(linger: lingerOnClose)
            self.socket = nil
        }
        let store = try SweepStore.open(options.storePath)
        defer { try? store.close() }
        let start = ContinuousClock.now
        func now() -> ProtocolInstant { ProtocolInstant(ContinuousClock.now, origin: start) }

        var loaded = try load(into: store)
        var tracker = loaded.tracker
        // Hand the core the only reference to the trial table: for a large sweep it is most of the
        // coordinator's memory, and the core adopts the array instead of copying it.
        let snapshot = loaded.snapshot
        loaded.snapshot = SweepSnapshot(sweepID: "", dataset: "", trials: [])
        var core = CoordinatorCore(configuration: coreConfiguration())
        let writer = StoreWriter(store: store, sweep: loaded.sweep, crashPoint: options.crashPoint)
        var wakeUp: ProtocolInstant?
        var finished: SweepSummary?

        /// Carries out one batch of actions: logs at once, then commit, then send.
        func execute(_ actions: [CoordinatorAction]) throws {
            var commands: [StoreCommand] = []
            var outgoing: [ConnectionID: [[UInt8]]] = [:]
            var order: [ConnectionID] = []
            for action in actions {
                switch action {
                case .send(let connection, let message):
                    if outgoing[connection] == nil { order.append(connection) }
                    outgoing[connection, default: []].append(try codec.encode(message))
                case .persist(let command):
                    commands.append(command)
                case .scheduleWakeUp(let at):
                    // Replace, not min: each request is the core's current earliest deadline.
                    wakeUp = at
                case .log(let level, let message, let metadata):
                    log.log(level, message, metadata)
                case .sweepFinished(let summary):
                    finished = summary
                }
            }
            let committing = ContinuousClock.now
            try writer.commit(commands)
            if let metrics {
                metrics.committed(in: ContinuousClock.now - committing)
                for command in commands { metrics.observe(command) }
            }
            for command in commands { tracker.observe(command) }
            for connection in order { try socket.send(outgoing[connection]!, to: connection) }
        }

        try execute(core.handle(.storeLoaded(consume snapshot), now: now()))
        if finished != nil {
            // Nothing left to run: an earlier life finished the sweep (it may have died before its
            // `shutdown` reached the workers). Answer whoever shows up within a liveness period
            // with `shutdown`, so its workers exit instead of waiting for a coordinator forever.
            try farewell(
                for: options.heartbeatInterval * options.livenessMisses, untilWorkersLeft: false, core: &core,
                execute: execute, socket: socket, now: now)
        }
        let residentAtLoopStart = ResidentMemory.bytes()
        if options.verbose {
            log.log(.info, "core loaded \(loaded.total) trials (resident \(ResidentMemory.mebibytes(residentAtLoopStart)))")
        }
        let loopStart = ContinuousClock.now
        var shutdownSent = false
        var lastStatus = ContinuousClock.now - .seconds(1)
        var events: [CoordinatorEvent] = []
        while finished == nil {
            if status != nil || metrics != nil, ContinuousClock.now - lastStatus >= .milliseconds(200) {
                lastStatus = ContinuousClock.now
                let current = tracker.status(
                    workers: core.workerStatuses, unclaimed: core.unclaimedAttempts, elapsed: ContinuousClock.now - start)
                metrics?.update(current, refusedFrames: core.refusedFrames)
                status?(current)
            }
            var timeout: Duration = .milliseconds(100)
            if let wakeUp { timeout = min(timeout, max(.zero, now().duration(to: wakeUp))) }
            events.removeAll(keepingCapacity: true)
            if try socket.poll(timeout: timeout) {
                for message in try socket.receiveQueued(limit: options.maxMessagesPerRound) {
                    decode(message, into: &events)
                }
            }
            if let due = wakeUp, now() >= due {
                wakeUp = nil
                events.append(.tick)
            }
            if shutdown.isRequested && !shutdownSent {
                shutdownSent = true
                events.append(.shutdownRequested)
            }
            if !events.isEmpty { try execute(core.handle(events, now: now())) }
        }
        // Workers say goodbye within milliseconds of their `shutdown`; one that was reconnecting
        // when the sweep ended hears `shutdown` if it speaks up within a heartbeat interval.
        try farewell(
            for: options.heartbeatInterval, untilWorkersLeft: true, core: &core, execute: execute, socket: socket, now: now)
        // The last frames were only queued: give them time to leave, so workers exit at once
        // instead of waiting to notice the coordinator is gone.
        lingerOnClose = .milliseconds(500)
        let residentAtLoopEnd = ResidentMemory.bytes()
        let loopDuration = ContinuousClock.now - loopStart
        let last = tracker.status(
            workers: core.workerStatuses, unclaimed: core.unclaimedAttempts, elapsed: ContinuousClock.now - start)
        metrics?.update(last, refusedFrames: core.refusedFrames)
        status?(last)
        let leaderboard = try Self.leaderboard(store: store, sweep: loaded.sweep, metric: spec.metric) { core.config(of: $0) }
        let search = try SearchReport.load(store: store, sweep: loaded.sweep, spec: spec, trials: core.snapshot.trials)
        return Outcome(
            summary: finished!, leaderboard: leaderboard, sweep: loaded.sweep, search: search, residentBytesAtLoopStart: residentAtLoopStart,
            residentBytesAtLoopEnd: residentAtLoopEnd, loopDuration: loopDuration, commits: writer.batches,
            commitSeconds: writer.commitSeconds, longestCommitSeconds: writer.longestCommitSeconds,
            droppedSends: socket.droppedSends)
    }

    /// After the sweep: keeps answering for up to `duration` (the finished core answers every
    /// message with `shutdown`), or, with `untilWorkersLeft`, only until every registered worker
    /// has said goodbye or been lost.
    private func farewell(
        for duration: Duration, untilWorkersLeft: Bool, core: inout CoordinatorCore,
        execute: ([CoordinatorAction]) throws -> Void, socket: CoordinatorSocket, now: () -> ProtocolInstant
    ) throws {
        let ends = ContinuousClock.now + duration
        var events: [CoordinatorEvent] = []
        while ContinuousClock.now < ends, !shutdown.isRequested {
            if untilWorkersLeft && core.workerStatuses.isEmpty { return }
            events.removeAll(keepingCapacity: true)
            if try socket.poll(timeout: min(.milliseconds(20), ends - ContinuousClock.now)) {
                for message in try socket.receiveQueued(limit: options.maxMessagesPerRound) {
                    decode(message, into: &events)
                }
            }
            if !events.isEmpty { try execute(core.handle(events, now: now())) }
        }
        let staying = core.workerStatuses
        if untilWorkersLeft, !staying.isEmpty {
            log.log(
                .info,
                "\(staying.count) worker(s) did not say goodbye within \(duration): "
                    + staying.prefix(8).map(\.id.rawValue).joined(separator: ", "))
        }
    }

    /// One received multipart message as core events: routing id, then 1…`maxMessagesPerBatch`
    /// message frames, each decoded (or reported malformed) with the peer's credentials.
    private func decode(_ message: ZMQReceivedMessage, into events: inout [CoordinatorEvent]) {
        let peer = Peer(
            connection: ConnectionID(routingID: message.frames.first ?? []),
            publicKey: message.properties["User-Id"].flatMap { $0.isEmpty ? nil : $0 },
            address: message.properties["Peer-Address"])
        guard message.frames.count >= 2, message.frames.count <= Self.maxMessagesPerBatch + 1 else {
            let reason =
                "expected a routing id and 1…\(Self.maxMessagesPerBatch) message frames, got \(message.frames.count) frame(s)"
            events.append(.malformedMessage(peer, reason: reason))
            return
        }
        for frame in message.frames.dropFirst() {
            do {
                events.append(.workerMessage(peer, try codec.decodeWorkerMessage(frame)))
            } catch {
                events.append(.malformedMessage(peer, reason: "\(error)"))
            }
        }
    }
}
