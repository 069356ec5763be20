import Foundation
public import Sweep
public import SweepWire
import ZeroMQ

/// Misbehaving peers for tests and the fault benchmark: they talk to a coordinator the way an
/// attacker or a broken client would. crossrec itself never uses them. Every attack is bounded
/// in count and time, and runs on loopback or wherever `endpoint` points.
public enum HostilePeer {
    /// CURVE settings for a hostile peer that holds a key the coordinator allows.
    public struct Curve: Sendable {
        public var serverPublicKey: String
        public var clientKeyFile: String

        public init(serverPublicKey: String, clientKeyFile: String) {
            self.serverPublicKey = serverPublicKey
            self.clientKeyFile = clientKeyFile
        }
    }

    /// Opens `count` connections, spread evenly over `within`, each sending one valid `hello`
    /// (`slots`, `models`, a fresh worker id) and then nothing: workers that vanish. At most
    /// `openAtOnce` connections are open at a time (the oldest is closed first, silently, as a
    /// vanished host would). Returns how many hellos were queued.
    @discardableResult
    public static func helloFlood(
        endpoint: String, count: Int, within: Duration, slots: Int = 8, models: [String] = ["noop", "sleep"],
        openAtOnce: Int = 200
    ) throws -> Int {
        let context = try ZMQContext()
        defer { context.shutdown() }
        let codec = WireCodec()
        var open: [ZMQSocket] = []
        var sent = 0
        let start = ContinuousClock.now
        for index in 0..<count {
            let due = start + within * (Double(index) / Double(max(1, count)))
            let wait = due - ContinuousClock.now
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) * 1e-18) }
            let socket = try context.socket(.dealer)
            try socket.setLinger(.milliseconds(200))
            try socket.setSendHWM(4)
            try socket.connect(endpoint)
            let hello = WorkerHello(
                workerID: WorkerID("flood-\(index)"), host: "flood", version: RuntimeVersion.current, slots: slots,
                models: models, pid: index, session: "flood-session-\(index)")
            if try socket.send(codec.encode(WorkerMessage.hello(hello)), flags: .dontWait) { sent += 1 }
            open.append(socket)
            if open.count > openAtOnce { open.removeFirst().close() }
        }
        Thread.sleep(forTimeInterval: 0.2)
        for socket in open { socket.close() }
        return sent
    }

    /// Sends `frames` frames of random bytes over one connection as fast as the connection
    /// takes them, never reading anything. Returns how many were queued.
    @discardableResult
    public static func garbageFlood(endpoint: String, frames: Int, frameBytes: Int = 64, seed: UInt64 = 1) throws -> Int {
        let context = try ZMQContext()
        defer { context.shutdown() }
        let socket = try context.socket(.dealer)
        try socket.setLinger(.zero)
        try socket.connect(endpoint)
        var state = seed
        var sent = 0
        var frame = [UInt8](repeating: 0, count: frameBytes)
        for _ in 0..<frames {
            for index in frame.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                frame[index] = UInt8(truncatingIfNeeded: state >> 33)
            }
            if try socket.send(frame) { sent += 1 }
        }
        socket.close()
        return sent
    }

    /// What an impersonator achieved: the coordinator's answers to its claim.
    public struct Impersonation: Sendable {
        /// Every message the coordinator sent back within the wait.
        public var answers: [CoordinatorMessage]
        /// Whether it was welcomed as the worker it claimed to be.
        public var welcomed: Bool { answers.contains { if case .welcome = $0 { true } else { false } } }
    }

    /// Connects (with `curve`'s key, if given) and claims to be worker `workerID` with a session
    /// of its own: re-attaches naming it and listing `tickets`, then sends a result for each with
    /// `metrics`, then waits `wait` for answers. A correct coordinator refuses it and counts none
    /// of the results.
    public static func impersonate(
        endpoint: String, workerID: String, tickets: [LeaseTicket], metrics: TrialMetrics, curve: Curve? = nil,
        wait: Duration = .milliseconds(500)
    ) throws -> Impersonation {
        let context = try ZMQContext()
        defer { context.shutdown() }
        let socket = try context.socket(.dealer)
        try socket.setLinger(.zero)
        if let curve {
            try socket.makeCurveClient(
                serverPublicKey: curve.serverPublicKey, clientKeyPair: try CurveKeyFiles.loadKeyPair(path: curve.clientKeyFile))
        }
        try socket.connect(endpoint)
        defer { socket.close() }
        let codec = WireCodec()
        let hello = WorkerHello(
            workerID: WorkerID(workerID), host: "impersonator", version: RuntimeVersion.current, slots: 8,
            models: TrialRunner.catalog.names, pid: 1, session: "impersonator-session")
        var frames = [try codec.encode(WorkerMessage.reattach(hello, running: tickets, leasesThrough: LeaseEpoch(.max)))]
        for ticket in tickets { frames.append(try codec.encode(WorkerMessage.result(ticket, metrics))) }
        _ = try socket.sendMultipart(frames)
        var answers: [CoordinatorMessage] = []
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline {
            var poller = ZMQPoller()
            _ = poller.register(socket)
            guard try !poller.poll(timeout: deadline - ContinuousClock.now).isEmpty else { continue }
            while let received = try socket.receiveMultipart(flags: .dontWait) {
                for frame in received { if let message = try? codec.decodeCoordinatorMessage(frame) { answers.append(message) } }
            }
        }
        return Impersonation(answers: answers)
    }
}
