import Foundation
import Sweep
public import SweepWire
import ZeroMQ

/// The worker's I/O shell: a DEALER socket to the coordinator, trial threads, and a loop that
/// feeds socket messages, trial completions and time into ``WorkerCore`` and carries out its
/// actions. All protocol decisions are the core's; this type only moves bytes and time.
///
/// Trials run on their own threads (so heartbeats continue during long training) and report
/// back over an `inproc` PUSH/PULL pair, which wakes the loop at once. The frames of one
/// multipart message from the coordinator reach the core as one batch of events.
public final class WorkerService {
    public struct Options: Sendable {
        public var endpoint: String
        public var workerID: String
        public var slots: Int
        /// The coordinator's public key and this worker's key file, for CURVE.
        public var serverPublicKey: String?
        public var keyFile: String?
        public var heartbeatInterval: Duration = .seconds(1)
        public var livenessMisses: Int = 3
        public var maxMessageSize: Int = 16 << 20
        /// A worker no coordinator ever answered exits after this long (nil: waits forever).
        public var giveUpAfter: Duration? = .seconds(300)
        public var verbose = false
        /// How log lines are written: text for people, JSON lines for collectors.
        public var logFormat: LogFormat = .text
        /// `HOST:PORT` to serve Prometheus metrics on (`GET /metrics`); nil serves none.
        public var metrics: String?
        /// Longest wait in one poll. Messages, trial completions, the core's own deadlines and
        /// shutdown requests wake the loop before it; this is only a safety net.
        var pollCap: Duration = .milliseconds(100)

        public init(endpoint: String, workerID: String, slots: Int = 1, serverPublicKey: String? = nil, keyFile: String? = nil) {
            self.endpoint = endpoint
            self.workerID = workerID
            self.slots = slots
            self.serverPublicKey = serverPublicKey
            self.keyFile = keyFile
        }
    }

    private let options: Options
    private let runner: TrialRunner
    private let shutdown: ShutdownSignal
    private let codec = WireCodec()
    private let log: ProcessLog
    /// The Prometheus metrics, when `options.metrics` asks for them, and the endpoint serving them.
    public let metrics: WorkerMetrics?
    public private(set) var metricsServer: MetricsServer?

    public init(options: Options, runner: TrialRunner = TrialRunner(), shutdown: ShutdownSignal = ShutdownSignal()) {
        self.options = options
        self.runner = runner
        self.shutdown = shutdown
        self.log = ProcessLog(
            who: "worker \(options.workerID)", verbose: options.verbose, format: options.logFormat,
            metadata: ["worker.id": .string(options.workerID)])
        self.metrics = options.metrics == nil ? nil : WorkerMetrics(worker: options.workerID)
    }

    /// Starts serving `options.metrics` (once; ``run()`` starts it if this was not called), so a
    /// caller can tell where before the worker connects. Nil when no metrics were asked for.
    @discardableResult
    public func startMetricsServer() throws -> MetricsServer? {
        if let address = options.metrics, let metrics, metricsServer == nil {
            metricsServer = try MetricsServer(address: address) { metrics.text() }
        }
        return metricsServer
    }

    /// A random token for this process's `hello`: 128 bits as hex.
    static func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }

    /// Runs until the coordinator finishes the sweep, rejects this worker, no coordinator ever
    /// answers, or a shutdown is requested.
    public func run() throws -> WorkerExit {
        try startMetricsServer()
        defer { metricsServer?.stop() }
        let context = try ZMQContext()
        defer { context.shutdown() }
        let doneEndpoint = "inproc://crossrec-worker-done-\(UUID().uuidString)"
        let completions = try context.socket(.pull)
        try completions.setLinger(.zero)
        try completions.bind(doneEndpoint)
        // A signal wakes the loop at once: an empty frame on the completion endpoint (ignored as a
        // message), sent from a socket of its own on the signal's thread. Best effort by design:
        // if it fails, the loop still sees the request within its poll cap (100 ms).
        shutdown.onRequest { [weak context] in
            guard let push = try? context?.socket(.push) else { return }
            defer { push.close() }
            try? push.setLinger(.milliseconds(100))
            guard (try? push.connect(doneEndpoint)) != nil else { return }
            _ = try? push.send([UInt8](), flags: .dontWait)
        }
        var (dealer, handshakes) = try connect(context)
        var lastHandshakeComplaint: ContinuousClock.Instant?

        let hello = WorkerHello(
            protocolVersion: WireCodec.protocolVersion, workerID: WorkerID(options.workerID),
            host: ProcessInfo.processInfo.hostName, version: RuntimeVersion.current, slots: options.slots,
            models: TrialRunner.catalog.names, pid: Int(ProcessInfo.processInfo.processIdentifier),
            session: Self.newSession())
        var core = WorkerCore(
            configuration: WorkerCore.Configuration(
                hello: hello, heartbeatInterval: options.heartbeatInterval, livenessMisses: options.livenessMisses,
                logLevel: options.verbose ? .debug : .warning, giveUpAfter: options.giveUpAfter,
                coordinatorName: options.endpoint))
        let origin = ContinuousClock.now
        func now() -> ProtocolInstant { ProtocolInstant(ContinuousClock.now, origin: origin) }
        var wakeUp: ProtocolInstant?
        var cancelFlags: [LeaseTicket: CancellationFlag] = [:]
        var shutdownSent = false
        let executor = TrialExecutor(
            slots: options.slots, runner: runner, codec: codec, context: context, endpoint: doneEndpoint, log: log)
        defer { executor.stop() }
        var pending = core.handle(.connected, now: now())
        // Messages for the coordinator, sent as one multipart message per batch of actions.
        var outgoing: [[UInt8]] = []

        while true {
            // Carry out actions; a reconnect produces more (the registration).
            while !pending.isEmpty {
                let actions = pending
                pending = []
                for action in actions {
                    switch action {
                    case .send(let message):
                        outgoing.append(try codec.encode(message))
                    case .startTrial(let lease):
                        let flag = CancellationFlag()
                        cancelFlags[lease.ticket] = flag
                        executor.submit(lease, cancel: flag)
                    case .cancelTrial(let ticket):
                        cancelFlags[ticket]?.cancel()
                    case .reconnect:
                        outgoing.removeAll()  // addressed to the connection being dropped
                        dealer.stopMonitor()
                        handshakes.close()
                        dealer.close()
                        (dealer, handshakes) = try connect(context)
                        pending += core.handle(.connected, now: now())
                    case .scheduleWakeUp(let at):
                        // Replace, not min: each request is the core's current earliest deadline, and the core does
                        // not repeat a request it already made. Keeping an older, earlier instant would fire a tick
                        // the core no longer needs and drop the one it does (a worker then stopped checking liveness
                        // after a reconnect and hung until a message arrived).
                        wakeUp = at
                    case .log(let level, let message, let metadata):
                        log.log(level, message, metadata)
                    case .exit(let exit):
                        if !outgoing.isEmpty {
                            // A goodbye must leave before the socket closes: linger briefly for it.
                            // Briefly: when the coordinator is already gone it never leaves, and
                            // a lost goodbye costs nothing (the coordinator's liveness covers it).
                            try dealer.setLinger(.milliseconds(250))
                            if try !dealer.sendMultipart(outgoing, flags: .dontWait) {
                                log.log(.warning, "could not queue the goodbye: the connection's queue is full")
                            }
                        }
                        for flag in cancelFlags.values { flag.cancel() }
                        dealer.stopMonitor()
                        handshakes.close()
                        dealer.close()
                        completions.close()
                        // The goodbye is only queued: terminate the context (which waits for it to
                        // leave, up to the linger) once the trial threads have closed their sockets,
                        // rather than let the process exit with it still in the queue.
                        executor.stop()
                        if executor.waitUntilStopped(timeout: .seconds(2)) { context.terminate() }
                        return exit
                    }
                }
                if !outgoing.isEmpty {
                    for start in stride(from: 0, to: outgoing.count, by: CoordinatorService.maxMessagesPerBatch) {
                        let end = min(start + CoordinatorService.maxMessagesPerBatch, outgoing.count)
                        if try !dealer.sendMultipart(Array(outgoing[start..<end]), flags: .dontWait) {
                            // Nothing is lost for good: reports stay unconfirmed and are resent.
                            log.log(.warning, "dropped \(end - start) message(s): the connection's queue is full")
                        }
                    }
                    outgoing.removeAll(keepingCapacity: true)
                }
            }
            if shutdown.isRequested && !shutdownSent {
                shutdownSent = true
                pending += core.handle(.shutdownRequested, now: now())
                continue
            }
            let timeout: Duration = wakeUp.map { max(.zero, now().duration(to: $0)) } ?? options.pollCap
            var poller = ZMQPoller()
            let dealerIndex = poller.register(dealer)
            _ = poller.register(completions)
            let handshakeIndex = poller.register(handshakes)
            let ready = try poller.poll(timeout: min(timeout, options.pollCap))
            for item in ready {
                if item.index == dealerIndex {
                    while let frames = try dealer.receiveMultipart(flags: .dontWait) {
                        // One or more messages per multipart (the coordinator batches per worker): one batch.
                        var events: [WorkerEvent] = []
                        for frame in frames {
                            do {
                                events.append(.coordinatorMessage(try codec.decodeCoordinatorMessage(frame)))
                            } catch {
                                events.append(.malformedMessage(reason: "\(error)"))
                            }
                        }
                        pending += core.handle(events, now: now())
                    }
                } else if item.index == handshakeIndex {
                    while let frames = try handshakes.receiveMultipart(flags: .dontWait) {
                        guard let event = ZMQMonitorEvent(frames: frames), let complaint = Self.explain(event, options: options) else { continue }
                        // Once, then at most every 30 s: libzmq retries the connection on its own.
                        if lastHandshakeComplaint.map({ ContinuousClock.now - $0 >= .seconds(30) }) ?? true {
                            lastHandshakeComplaint = ContinuousClock.now
                            log.log(.error, complaint)
                        }
                    }
                } else {
                    while let frame = try completions.receive(flags: .dontWait) {
                        guard !frame.isEmpty else { continue }  // a shutdown wake-up
                        let message: WorkerMessage
                        do {
                            message = try codec.decodeWorkerMessage(frame)
                        } catch {
                            log.log(.error, "a trial thread sent a frame that does not decode: \(error)")
                            continue
                        }
                        switch message {
                        case .progress(let ticket, let progress):
                            pending += core.handle(.trialProgress(ticket, progress), now: now())
                        case .result(let ticket, let reported):
                            count(.finished, cancel: cancelFlags.removeValue(forKey: ticket), fitSeconds: reported.timings["fit"])
                            pending += core.handle(.trialCompleted(ticket, .finished(reported)), now: now())
                        case .failure(let ticket, let failure):
                            count(.failed, cancel: cancelFlags.removeValue(forKey: ticket), fitSeconds: nil)
                            pending += core.handle(.trialCompleted(ticket, .failed(failure)), now: now())
                        case .hello, .heartbeat, .goodbye, .reattach:
                            log.log(.error, "a trial thread sent a \(message.kind) message; ignored")
                        }
                    }
                }
            }
            if let due = wakeUp, now() >= due {
                wakeUp = nil
                pending += core.handle(.tick, now: now())
            }
        }
    }

    /// Counts a trial that ended as `end` in the metrics (as `cancelled` when its flag says the
    /// coordinator cancelled it) and brings the data-cache counters up to date.
    private func count(_ end: WorkerMetrics.TrialEnd, cancel: CancellationFlag?, fitSeconds: Double?) {
        guard let metrics else { return }
        if cancel?.isCancelled == true {
            metrics.trialEnded(.cancelled)
        } else {
            metrics.trialEnded(end, fitSeconds: fitSeconds)
        }
        metrics.followDataCache(runner.dataCacheCounts)
    }

    /// A DEALER to the coordinator, and a PAIR receiving its handshake events (a refused CURVE
    /// key is otherwise invisible: the connection just never comes up). The DEALER sets no
    /// routing id: the coordinator's socket gives each connection its own.
    private func connect(_ context: ZMQContext) throws -> (ZMQSocket, ZMQSocket) {
        let socket = try context.socket(.dealer)
        let address = "inproc://crossrec-worker-handshakes-\(UUID().uuidString)"
        try socket.monitor(address, events: [.handshakeFailedAuthentication, .handshakeFailedProtocol])
        let handshakes = try context.socket(.pair)
        try handshakes.setLinger(.zero)
        try handshakes.connect(address)
        try socket.setLinger(.zero)
        try socket.setMaxMessageSize(options.maxMessageSize)
        try socket.setReconnectInterval(.milliseconds(100))
        try socket.setReconnectIntervalMax(.seconds(2))
        if options.endpoint.hasPrefix("tcp://[") { try socket.setIPv6(true) }
        if let serverPublicKey = options.serverPublicKey, let keyFile = options.keyFile {
            try socket.makeCurveClient(serverPublicKey: serverPublicKey, clientKeyPair: try CurveKeyFiles.loadKeyPair(path: keyFile))
        }
        try socket.connect(options.endpoint)
        return (socket, handshakes)
    }

    /// What a failed handshake means for the user, or nil for events that need no words.
    static func explain(_ event: ZMQMonitorEvent, options: Options) -> String? {
        if event.kind.contains(.handshakeFailedAuthentication) {
            let key = options.keyFile.map { " (\($0); its public half is the .pub file beside it)" } ?? ""
            return "the coordinator at \(event.endpoint) refused this worker's CURVE key\(key), ZAP status \(event.value): "
                + "add the worker's public key to the folder or file the coordinator's --allow names, then restart the coordinator"
        }
        if event.kind.contains(.handshakeFailedProtocol) {
            return "the handshake with the coordinator at \(event.endpoint) failed: check that --server-key is the "
                + "coordinator's public key and that both sides use CURVE, or neither (a coordinator without --curve-key, a "
                + "worker without --server-key and --curve-key)"
        }
        return nil
    }
}

public enum RuntimeVersion {
    public static let current = "0.2.0"
}

/// Long-lived trial threads, one per slot, each with its own PUSH socket to the worker loop's
/// completion endpoint: a trial costs a queue hand-off, not a new thread and socket.
final class TrialExecutor: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [(TrialLease, CancellationFlag)] = []
    private var stopping = false
    /// Trial threads whose loop has not ended yet (their sockets still open).
    private var liveThreads = 0

    init(slots: Int, runner: TrialRunner, codec: WireCodec, context: ZMQContext, endpoint: String, log: ProcessLog) {
        liveThreads = max(1, slots)
        for index in 0..<max(1, slots) {
            let thread = Thread { [self] in
                defer { threadEnded() }
                let push: ZMQSocket
                do {
                    push = try context.socket(.push)
                    try push.setLinger(.seconds(1))
                    try push.connect(endpoint)
                } catch {
                    log.log(.critical, "trial thread \(index) cannot reach the worker loop: \(error); it runs no trials")
                    return
                }
                defer { push.close() }
                func report(_ message: WorkerMessage) {
                    do {
                        try push.send(codec.encode(message))
                    } catch {
                        log.log(.error, "trial thread \(index) could not hand a \(message.kind) to the worker loop: \(error)")
                    }
                }
                // A sweep sends the same data set descriptor with every lease: parse it once.
                var parsed: (text: String, spec: Result<DatasetSpec?, TrialFailure>)?
                while let (lease, cancel) = next() {
                    if parsed?.text != lease.dataset { parsed = (lease.dataset, Self.dataset(lease.dataset)) }
                    let outcome: Result<TrialMetrics, TrialFailure>
                    switch parsed!.spec {
                    case .failure(let failure):
                        outcome = .failure(failure)
                    case .success(let dataset):
                        outcome = runner.run(lease.config, dataset: dataset, cancel: cancel) { progress in
                            report(.progress(lease.ticket, progress))
                        }
                    }
                    switch outcome {
                    case .success(let metrics):
                        if let problem = Self.unencodable(.result(lease.ticket, metrics), codec: codec) {
                            report(.failure(lease.ticket, TrialFailure(kind: .deterministic, message: problem)))
                        } else {
                            report(.result(lease.ticket, metrics))
                        }
                    case .failure(let failure):
                        report(.failure(lease.ticket, failure))
                    }
                }
            }
            thread.name = "crossrec-trial-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The data set of a lease's descriptor: nil for an empty one (built-in trials), a failure
    /// naming the problem for one that is not a valid descriptor.
    static func dataset(_ descriptor: String) -> Result<DatasetSpec?, TrialFailure> {
        guard !descriptor.isEmpty else { return .success(nil) }
        do {
            return .success(try JSONDecoder().decode(DatasetSpec.self, from: Data(descriptor.utf8)))
        } catch {
            return .failure(
                TrialFailure(
                    kind: .deterministic,
                    message:
                        "the lease's data set descriptor is not one this worker reads (\(error)); run the same crossrec "
                        + "release on the coordinator and the workers"))
        }
    }

    /// Why `message` cannot be sent (a model reported too many or too long metric names), or nil.
    static func unencodable(_ message: WorkerMessage, codec: WireCodec) -> String? {
        do {
            _ = try codec.encode(message)
            return nil
        } catch {
            return "the trial's result cannot be sent: \(error)"
        }
    }

    func submit(_ lease: TrialLease, cancel: CancellationFlag) {
        condition.lock()
        jobs.append((lease, cancel))
        condition.signal()
        condition.unlock()
    }

    /// The next job, or nil once stopping.
    private func next() -> (TrialLease, CancellationFlag)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopping { condition.wait() }
        if stopping { return nil }
        return jobs.removeFirst()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func threadEnded() {
        condition.lock()
        liveThreads -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits up to `timeout` for every trial thread to end (after `stop()`; a thread finishes
    /// the trial it runs first). Returns whether they all did.
    func waitUntilStopped(timeout: Duration) -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while liveThreads > 0 && condition.wait(until: deadline) {}
        return liveThreads == 0
    }
}
