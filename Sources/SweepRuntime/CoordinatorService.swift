import Foundation
public import Sweep
public import SweepStore
public import SweepWire
import ZeroMQ

/// The coordinator's I/O shell: a ROUTER socket, the durable store, and a loop that feeds
/// messages and time into ``CoordinatorCore`` and carries out its actions. The core decides;
/// this type moves bytes, batches store writes and reports status.
///
/// Store writes are batched (every `flushInterval` or `flushBatch` commands, and always before
/// the sweep ends): a result that arrives just before a SIGKILL may be lost, in which case the
/// trial is leased again after restart and counted once — never twice.
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
        public var flushInterval: Duration = .milliseconds(20)
        public var flushBatch: Int = 2048
        public var verbose = false

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
        public var pending: Int { max(0, total - finished - failed - running) }
    }

    public struct Outcome: Sendable {
        public var summary: SweepSummary
        public var leaderboard: Leaderboard
        public var sweep: SweepID
        /// This process's resident memory when the dispatch loop started (store loaded, core
        /// built) and when it ended: their difference is what running the trials cost, the
        /// figure that must stay flat however many trials finish (`nil` without `/proc`).
        public var residentBytesAtLoopStart: Int?
        public var residentBytesAtLoopEnd: Int?
        /// Time from the first lease-ready moment (store loaded, core built) to the last trial
        /// recorded and flushed: the dispatch loop alone, without start-up and the leaderboard.
        public var loopDuration: Duration = .zero
    }

    /// Most messages one multipart batch may carry, in either direction.
    public static let maxMessagesPerBatch = 1024

    /// Current resident set size from `/proc/self/statm`, or nil where there is none.
    public static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `bytes` as `12.3 MiB`, or `unknown`.
    public static func mebibytes(_ bytes: Int?) -> String {
        guard let bytes else { return "unknown" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    public let spec: SweepSpec
    public let options: Options
    /// The expansion, computed once: by ``trialCount()`` before the run, or by ``run(status:)``,
    /// which releases it once the core holds the trials.
    private var cachedExpansion: SweepExpansion?
    private let shutdown: ShutdownSignal
    private let codec = WireCodec()
    private var context: ZMQContext?
    private var router: ZMQSocket?
    private var authenticator: ZAPAuthenticator.BackgroundHandler?
    public private(set) var endpoint: String?

    public init(spec: SweepSpec, options: Options, shutdown: ShutdownSignal = ShutdownSignal()) {
        self.spec = spec
        self.options = options
        self.shutdown = shutdown
    }

    /// The number of trials the sweep file expands to (expanding it once; `run` reuses it).
    public func trialCount() -> Int {
        if cachedExpansion == nil { cachedExpansion = spec.expand() }
        return cachedExpansion!.trials.count
    }

    /// Binds the socket (with CURVE and the allow-list when keys are given) and returns the
    /// actual endpoint (`tcp://127.0.0.1:0` picks a free port).
    @discardableResult
    public func bind() throws -> String {
        let context = try ZMQContext()
        let router = try context.socket(.router)
        try router.setLinger(.zero)
        try router.setRouterMandatory(true)
        // A worker that gave up waiting (e.g. for a coordinator still loading a large store) and
        // reconnected with a fresh socket must get its routing id back, or every reply to it would
        // go to the dead pipe and its own messages would arrive under a random id.
        try router.setRouterHandover(true)
        try router.setMaxMessageSize(options.maxMessageSize)
        try router.setSendHWM(100_000)
        try router.setReceiveHWM(100_000)
        if let keyFile = options.keyFile {
            guard let allowList = options.allowList else {
                throw RuntimeError("--curve-key needs --allow (the worker public keys allowed to connect)")
            }
            let keys = try CurveKeyFiles.loadAllowList(path: allowList)
            authenticator = try ZAPAuthenticator.startInBackground(
                context: context, allow: ZAPAuthenticator.allowingCurveKeys(keys))
            try router.makeCurveServer(keyPair: try CurveKeyFiles.loadKeyPair(path: keyFile))
        }
        do {
            try router.bind(options.bind)
        } catch {
            throw RuntimeError("cannot bind \(options.bind): \(error) (is another coordinator using the port?)")
        }
        let actual = try router.lastEndpoint ?? options.bind
        self.context = context
        self.router = router
        self.endpoint = actual
        return actual
    }

    /// Runs the sweep to the end (or to a graceful shutdown) and returns the leaderboard.
    public func run(status: ((Status) -> Void)? = nil) throws -> Outcome {
        if router == nil { try bind() }
        guard let router, let context else { throw RuntimeError("coordinator socket not bound") }
        defer {
            router.close()
            authenticator?.stop()
            context.shutdown()
        }
        let store = try SweepStore.open(options.storePath)
        defer { try? store.close() }
        let preparing = ContinuousClock.now
        var expansion = cachedExpansion ?? spec.expand()
        cachedExpansion = nil
        let expanded = ContinuousClock.now
        let residentAfterExpansion = Self.residentBytes()
        let specJSON = String(decoding: try JSONEncoder.sorted.encode(spec), as: UTF8.self)
        let registration = try store.registerSweep(
            name: spec.name, specJSON: specJSON, datasetFingerprint: spec.datasetFingerprint,
            codeVersion: RuntimeVersion.current, trials: expansion.trials.map { (id: $0.id, config: $0.config) })
        let sweep = registration.sweep
        if options.verbose {
            log(
                .info,
                "expanded \(expansion.trials.count) trials in \(expanded - preparing) (resident \(Self.mebibytes(residentAfterExpansion))), "
                    + "registered them in \(ContinuousClock.now - expanded) (\(registration.addedTrials) new, resident "
                    + "\(Self.mebibytes(Self.residentBytes())))", [:])
        }
        // Only trials with a history: the expansion already describes the never-leased ones.
        let stored = try store.snapshot(sweep: sweep, startedOnly: true)
        let datasetJSON = String(decoding: try JSONEncoder.sorted.encode(spec.dataset), as: UTF8.self)
        // Infrastructure failures so far of every unfinished trial that was tried: its retry budget.
        var infrastructureFailures: [TrialID: Int] = [:]
        for trial in stored.trials where (trial.state == .pending || trial.state == .running) && trial.attempts > 0 {
            infrastructureFailures[trial.id] = try store.attempts(trial: trial.id).filter { $0.outcome == .failed || $0.outcome == .lost }.count
        }
        let total = expansion.trials.count
        var tracker = StatusTracker(total: total, metric: spec.metric)
        if !stored.trials.isEmpty { tracker.seed(from: stored, ids: Set(expansion.ids)) }
        // From here on the core's records are the only copy of the trials: the snapshot is a
        // temporary the core adopts, and the expansion is released (the leaderboard looks
        // configurations up in the core).
        let snapshot = Self.wireSnapshot(
            stored, expansion: expansion, dataset: datasetJSON, timeout: spec.timeout, sweepName: spec.name,
            infrastructureFailures: infrastructureFailures)
        expansion = SweepExpansion(trials: [], duplicatesRemoved: 0)

        var core = CoordinatorCore(
            configuration: CoordinatorCore.Configuration(
                protocolVersion: WireCodec.protocolVersion, heartbeatInterval: options.heartbeatInterval,
                livenessMisses: options.livenessMisses, retryLimit: spec.retries, drainTimeout: options.drainTimeout,
                defaultTrialTimeout: spec.timeout, logLevel: options.verbose ? .debug : .warning))
        let start = ContinuousClock.now
        func now() -> ProtocolInstant { ProtocolInstant(ContinuousClock.now, origin: start) }

        var buffer: [SweepStore.Command] = []
        var firstBuffered: ContinuousClock.Instant?
        var wakeUp: ProtocolInstant?
        var finished: SweepSummary?
        var shutdownSent = false
        var lastStatus = ContinuousClock.now - .seconds(1)

        func flush() throws {
            guard !buffer.isEmpty else { return }
            try store.apply(buffer)
            buffer.removeAll(keepingCapacity: true)
            firstBuffered = nil
        }

        // Frames for each worker, sent as one multipart message per worker after each batch of
        // actions: one wake-up of ZeroMQ's I/O thread for many leases instead of one per lease.
        var outgoing: [WorkerID: [[UInt8]]] = [:]
        var outgoingOrder: [WorkerID] = []
        func sendOutgoing() throws {
            for worker in outgoingOrder {
                guard let frames = outgoing[worker] else { continue }
                do {
                    _ = try router.sendMultipart([Array(worker.rawValue.utf8)] + frames, flags: .dontWait)
                } catch {
                    // The peer is gone (ROUTER_MANDATORY): the core notices through missed heartbeats.
                    guard error.kind == .hostUnreachable else { throw error }
                    if options.verbose { log(.debug, "send to \(worker) failed: peer unreachable", [:]) }
                }
            }
            outgoing.removeAll(keepingCapacity: true)
            outgoingOrder.removeAll(keepingCapacity: true)
        }

        var pending = core.handle(.storeLoaded(consume snapshot), now: now())
        let residentAtLoopStart = Self.residentBytes()
        if options.verbose {
            log(.info, "core loaded \(total) trials (resident \(Self.mebibytes(residentAtLoopStart)))", [:])
        }
        let loopStart = ContinuousClock.now
        while finished == nil {
            while !pending.isEmpty {
                let actions = pending
                pending = []
                for action in actions {
                    switch action {
                    case .send(let worker, let message):
                        if outgoing[worker] == nil { outgoingOrder.append(worker) }
                        outgoing[worker, default: []].append(try codec.encode(message))
                    case .persist(let command):
                        tracker.observe(command)
                        buffer.append(Self.storeCommand(command))
                        if firstBuffered == nil { firstBuffered = ContinuousClock.now }
                    case .scheduleWakeUp(let at):
                        // Replace, not min: each request is the core's current earliest deadline, and the core does
                        // not repeat a request it already made. Keeping an older, earlier instant would fire a tick
                        // the core no longer needs and drop the one it does (a worker then stopped checking liveness
                        // after a reconnect and hung until a message arrived).
                        wakeUp = at
                    case .log(let level, let message, let metadata):
                        log(level, message, metadata)
                    case .sweepFinished(let summary):
                        finished = summary
                    }
                }
                try sendOutgoing()
                if buffer.count >= options.flushBatch { try flush() }
            }
            if finished != nil { break }
            if let first = firstBuffered, ContinuousClock.now - first >= options.flushInterval { try flush() }
            if shutdown.isRequested && !shutdownSent {
                shutdownSent = true
                try flush()
                pending += core.handle(.shutdownRequested, now: now())
                continue
            }
            if let status, ContinuousClock.now - lastStatus >= .milliseconds(200) {
                lastStatus = ContinuousClock.now
                status(tracker.status(workers: core.workerStatuses, elapsed: ContinuousClock.now - start))
            }
            var timeout: Duration = .milliseconds(100)
            if let wakeUp { timeout = min(timeout, max(.zero, now().duration(to: wakeUp))) }
            if let first = firstBuffered { timeout = min(timeout, max(.zero, options.flushInterval - (ContinuousClock.now - first))) }
            var poller = ZMQPoller()
            _ = poller.register(router)
            if try !poller.poll(timeout: timeout).isEmpty {
                var received = 0
                while received < 4096, let frames = try router.receiveMultipart(flags: .dontWait) {
                    received += 1
                    let worker = WorkerID(String(decoding: frames.first ?? [], as: UTF8.self))
                    // Routing id, then one or more messages (a worker batches what it has to say).
                    guard frames.count >= 2, frames.count <= Self.maxMessagesPerBatch + 1 else {
                        let reason = "expected a routing id and 1…\(Self.maxMessagesPerBatch) message frames, got \(frames.count) frame(s)"
                        pending += core.handle(.malformedMessage(worker, reason: reason), now: now())
                        continue
                    }
                    for frame in frames.dropFirst() {
                        do {
                            let message = try codec.decodeWorkerMessage(frame)
                            pending += core.handle(.workerMessage(worker, message), now: now())
                        } catch {
                            pending += core.handle(.malformedMessage(worker, reason: "\(error)"), now: now())
                        }
                    }
                }
            }
            if let due = wakeUp, now() >= due {
                wakeUp = nil
                pending += core.handle(.tick, now: now())
            }
        }
        try flush()
        // The last frames (shutdown to every worker) were only queued: give them time to leave,
        // so workers exit at once instead of waiting to notice the coordinator is gone.
        try? router.setLinger(.milliseconds(500))
        let residentAtLoopEnd = Self.residentBytes()
        let loopDuration = ContinuousClock.now - loopStart
        if let status { status(tracker.status(workers: core.workerStatuses, elapsed: ContinuousClock.now - start)) }
        let leaderboard = try Self.leaderboard(store: store, sweep: sweep, metric: spec.metric) { core.config(of: $0) }
        return Outcome(
            summary: finished!, leaderboard: leaderboard, sweep: sweep, residentBytesAtLoopStart: residentAtLoopStart,
            residentBytesAtLoopEnd: residentAtLoopEnd, loopDuration: loopDuration)
    }

    /// The leaderboard of the trials of `expansion` recorded in `store` (finished and failed),
    /// streamed from the store: trials registered by an earlier version of the sweep file but
    /// absent from this one are left out, and configurations come from the expansion.
    public static func leaderboard(store: SweepStore, sweep: SweepID, expansion: SweepExpansion, metric: MetricSpec) throws -> Leaderboard {
        var configs: [TrialID: TrialConfig] = Dictionary(minimumCapacity: expansion.trials.count)
        for trial in expansion.trials { configs[trial.id] = trial.config }
        return try leaderboard(store: store, sweep: sweep, metric: metric) { configs[$0] }
    }

    /// The leaderboard of the trials `config` knows (nil leaves a trial out), streamed from the store.
    static func leaderboard(
        store: SweepStore, sweep: SweepID, metric: MetricSpec, config: (TrialID) -> TrialConfig?
    ) throws -> Leaderboard {
        var board = Leaderboard.Accumulator(metric: metric)
        try store.forEachOutcome(sweep: sweep) { id, outcome in
            guard let config = config(id) else { return }
            switch outcome {
            case .success(let metrics): board.add(config, metrics)
            case .failure(let failure): board.add(config, failure: failure)
            }
        }
        return board.leaderboard
    }

    /// The core's view of the store: running trials of an earlier coordinator life become pending
    /// (their attempt counts kept, so the next lease is attempt + 1); trials registered by an
    /// earlier version of the sweep file but absent from this one are left out.
    static func wireSnapshot(
        _ stored: StoreSnapshot, expansion: SweepExpansion, dataset: String, timeout: Duration, sweepName: String,
        infrastructureFailures: [TrialID: Int] = [:]
    ) -> SweepSnapshot {
        var byID: [TrialID: StoredTrial] = [:]
        for trial in stored.trials { byID[trial.id] = trial }
        let records = expansion.trials.map { trial -> TrialRecord in
            guard let stored = byID[trial.id] else { return TrialRecord(id: trial.id, config: trial.config, timeout: timeout) }
            let state: SweepWire.TrialState
            switch stored.state {
            case .finished:
                if let result = stored.result {
                    state = .finished(attempt: result.attempt, worker: WorkerID(result.worker))
                } else {
                    state = .pending
                }
            case .failed:
                state = .failed(attempt: stored.attempts, failure: stored.failure ?? TrialFailure(kind: .infrastructure, message: "failed"))
            case .pending, .running:
                state = .pending
            }
            return TrialRecord(
                id: trial.id, config: trial.config, timeout: timeout, state: state, attemptsUsed: stored.attempts,
                infrastructureFailures: infrastructureFailures[trial.id] ?? 0)
        }
        return SweepSnapshot(sweepID: sweepName, dataset: dataset, trials: records, lastLeaseEpoch: LeaseEpoch(stored.leaseEpochHighWater))
    }

    static func storeCommand(_ command: StoreCommand) -> SweepStore.Command {
        switch command {
        case .trialLeased(let ticket, let worker):
            return .trialLeased(ticket.trial, attempt: ticket.attempt, leaseEpoch: ticket.epoch.rawValue, worker: worker.rawValue)
        case .trialFinished(let trial, let attempt, let metrics, let worker):
            return .trialFinished(trial, attempt: attempt, metrics: metrics, worker: worker.rawValue, codeVersion: RuntimeVersion.current)
        case .trialFailed(let trial, let attempt, let failure, let willRetry):
            return .trialFailed(trial, attempt: attempt, failure: failure, willRetry: willRetry)
        case .trialReturned(let trial, let attempt, let reason):
            return .trialReturned(trial, attempt: attempt, reason: reason)
        case .duplicateResult(let ticket, let worker):
            return .duplicateResult(ticket.trial, attempt: ticket.attempt, leaseEpoch: ticket.epoch.rawValue, worker: worker.rawValue)
        case .workerJoined(let hello):
            return .workerJoined(hello.workerID.rawValue, host: hello.host, slots: hello.slots)
        case .workerLost(let worker, let reason):
            return .workerLost(worker.rawValue, reason: reason)
        case .event(let text):
            return .event(text)
        }
    }

    private func log(_ level: LogLevel, _ message: String, _ metadata: [String: String]) {
        guard options.verbose || level >= .warning else { return }
        let extra = metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
        FileHandle.standardError.write(Data("coordinator [\(level)] \(Self.printable(message)) \(Self.printable(extra))\n".utf8))
    }

    /// `text` with control characters and undecodable bytes escaped: peers' routing ids and
    /// messages reach the log, and a random or hostile id must not garble the terminal.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Counts for the progress line, kept from the store commands the core emits.
struct StatusTracker {
    var total: Int
    var metric: MetricSpec
    var finished = 0
    var failed = 0
    var best: Double?

    init(total: Int, metric: MetricSpec) {
        self.total = total
        self.metric = metric
    }

    mutating func seed(from stored: StoreSnapshot, ids: Set<TrialID>) {
        for trial in stored.trials where ids.contains(trial.id) {
            if trial.state == .finished, let value = trial.result?.metrics.values[metric.primary] { finished += 1; consider(value) }
            if trial.state == .failed { failed += 1 }
        }
    }

    mutating func observe(_ command: StoreCommand) {
        switch command {
        case .trialFinished(_, _, let metrics, _):
            finished += 1
            if let value = metrics.values[metric.primary] { consider(value) }
        case .trialFailed(_, _, _, let willRetry):
            if !willRetry { failed += 1 }
        default:
            break
        }
    }

    mutating func consider(_ value: Double) {
        guard value.isFinite else { return }
        if let current = best, !metric.direction.isBetter(value, than: current) { return }
        best = value
    }

    func status(workers: [WorkerStatus], elapsed: Duration) -> CoordinatorService.Status {
        CoordinatorService.Status(
            total: total, finished: finished, failed: failed, running: workers.reduce(0) { $0 + $1.leases.count },
            workers: workers.count, best: best, elapsed: elapsed)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
