import Foundation
import SweepWire
import ZeroMQ

/// The coordinator's ROUTER socket and everything about it that is not protocol: binding (with
/// IPv6 when the endpoint is), CURVE with an allow-list and a ZAP handler that logs refused keys,
/// bounded queues, receiving messages with their peer's credentials, and sending batches.
///
/// - Identity: the socket assigns each connection its routing id (workers set none) and never
///   hands a live id to a new connection (`ROUTER_HANDOVER` off), so a routing id names exactly
///   one connection; `ConnectionID` is its hex form.
/// - Memory: every pipe holds at most `highWaterMark` messages each way, and ZMTP heartbeats
///   close connections whose peer stopped answering, so a peer that floods without reading, or
///   vanishes, costs bounded memory. A message to a connection whose queue is full, or that is
///   gone, is dropped and counted: the protocol recovers through heartbeats and liveness.
/// - Threading: one thread (the coordinator's loop); the ZAP handler runs on its own thread.
final class CoordinatorSocket {
    /// Properties read from each message: the ZAP user id (the CURVE public key) and the address.
    static let properties = ["User-Id", "Peer-Address"]

    let context: ZMQContext
    let router: ZMQSocket
    private let authenticator: ZAPAuthenticator.BackgroundHandler?
    let endpoint: String
    let usesCurve: Bool
    /// Messages dropped because the peer's queue was full or the peer was gone.
    private(set) var droppedSends = 0

    init(options: CoordinatorService.Options, log: ProcessLog, metrics: CoordinatorMetrics? = nil) throws {
        let context = try ZMQContext()
        let router = try context.socket(.router)
        try router.setLinger(.zero)
        try router.setRouterMandatory(true)
        try router.setMaxMessageSize(options.maxMessageSize)
        try router.setSendHWM(options.highWaterMark)
        try router.setReceiveHWM(options.highWaterMark)
        try router.setHeartbeatInterval(options.heartbeatInterval)
        try router.setHeartbeatTimeout(options.heartbeatInterval * options.livenessMisses)
        let parsed: BindEndpoint
        do {
            parsed = try BindEndpoint(parsing: options.bind)
        } catch {
            context.shutdown()
            throw RuntimeError("cannot bind \(options.bind): \(error)")
        }
        if parsed.isIPv6 { try router.setIPv6(true) }
        var authenticator: ZAPAuthenticator.BackgroundHandler?
        if let keyFile = options.keyFile {
            guard let allowList = options.allowList else {
                throw RuntimeError("--curve-key needs --allow (the worker public keys allowed to connect)")
            }
            let keys = try CurveKeyFiles.loadAllowList(path: allowList)
            let refusals = RefusedKeyLog(log: log, allowList: allowList, metrics: metrics)
            authenticator = try ZAPAuthenticator.startInBackground(context: context) { request in
                let allowed = request.curvePublicKey.map(keys.contains) ?? false
                if !allowed { refusals.note(request) }
                return allowed
            }
            try router.makeCurveServer(keyPair: try CurveKeyFiles.loadKeyPair(path: keyFile))
        }
        do {
            try router.bind(parsed.zmqEndpoint)
        } catch {
            authenticator?.stop()
            context.shutdown()
            throw RuntimeError("cannot bind \(options.bind): \(error) (is another coordinator using the port?)")
        }
        self.context = context
        self.router = router
        self.authenticator = authenticator
        self.endpoint = try router.lastEndpoint ?? options.bind
        self.usesCurve = options.keyFile != nil
    }

    /// Waits up to `timeout` for a message.
    func poll(timeout: Duration) throws -> Bool {
        var poller = ZMQPoller()
        _ = poller.register(router)
        return try !poller.poll(timeout: timeout).isEmpty
    }

    /// Up to `limit` messages that are already queued, without waiting.
    func receiveQueued(limit: Int) throws -> [ZMQReceivedMessage] {
        var messages: [ZMQReceivedMessage] = []
        while messages.count < limit, let message = try router.receiveMultipart(flags: .dontWait, properties: Self.properties) {
            messages.append(message)
        }
        return messages
    }

    /// Sends `frames` as one multipart message to `connection`, or drops it (counted) when the
    /// connection's queue is full or the connection is gone.
    func send(_ frames: [[UInt8]], to connection: ConnectionID) throws {
        guard let routingID = connection.routingID else { return }
        do {
            if try !router.sendMultipart([routingID] + frames, flags: .dontWait) { droppedSends += 1 }
        } catch where error.kind == .hostUnreachable {
            droppedSends += 1
        }
    }

    /// Lets queued messages leave for up to `linger`, then closes the socket and the ZAP handler.
    /// The context terminates (waiting for the socket's last bytes and its listener to close)
    /// when the last reference to this object goes.
    func close(linger: Duration = .zero) {
        try? router.setLinger(linger)
        router.close()
        authenticator?.stop()
    }
}

/// Refused CURVE handshakes, logged once per key and address and then summarised every 10 s:
/// without it a worker with the wrong key is invisible on the coordinator's side.
final class RefusedKeyLog: @unchecked Sendable {
    private let log: ProcessLog
    private let allowList: String
    private let metrics: CoordinatorMetrics?
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var windowStart = ContinuousClock.now
    static let window: Duration = .seconds(10)

    init(log: ProcessLog, allowList: String, metrics: CoordinatorMetrics? = nil) {
        self.log = log
        self.allowList = allowList
        self.metrics = metrics
    }

    /// Called on the ZAP thread for each refused handshake.
    func note(_ request: ZAPRequest) {
        metrics?.refusedHandshakes.increment()
        let key = request.curvePublicKey.map(Peer.keyFingerprint) ?? "no CURVE key (\(request.mechanism))"
        let source = "key \(key) from \(request.address.isEmpty ? "an unknown address" : request.address)"
        lock.lock()
        var summary: [(String, Int)] = []
        if ContinuousClock.now - windowStart >= Self.window {
            summary = counts.filter { $0.value > 1 }.sorted { $0.key < $1.key }
            counts.removeAll(keepingCapacity: true)
            windowStart = ContinuousClock.now
        }
        let first = counts[source] == nil
        if first, counts.count >= 256 {
            counts["other keys", default: 0] += 1
        } else {
            counts[source, default: 0] += 1
        }
        lock.unlock()
        for (source, count) in summary {
            log.log(.warning, "refused \(count) CURVE handshakes (\(source)) in the last \(Self.window)")
        }
        if first {
            log.log(
                .warning,
                "refused a CURVE handshake: \(source) is not on the allow-list \(allowList); add the worker's .pub "
                    + "there and restart the coordinator if it should connect")
        }
    }
}
