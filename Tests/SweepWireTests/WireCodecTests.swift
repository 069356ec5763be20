import ParameterSpecs
import Sweep
import SweepWire
import Testing

@Suite("WireCodec: framing and round trips")
struct WireCodecTests {
    static let ticket = LeaseTicket(trial: TrialID(rawValue: "3f2a9c"), attempt: 2, epoch: 41)
    static let hello = WorkerHello(
        workerID: "gpu-box-7/3", host: "gpu-box-7", version: "0.4.1", slots: 4, models: ["mf", "als", "two-tower"],
        pid: 31337, session: "9f86d081884c7d659a2feaa0c55ad015")
    static let config = TrialConfig(
        model: "mf",
        parameters: ["factors": .int(64), "lr": .double(0.01), "loss": .string("bpr"), "bias": .bool(true)],
        seed: 18_446_744_073_709_551_615)

    static let workerMessages: [WorkerMessage] = [
        .hello(hello),
        .heartbeat(running: [ticket, LeaseTicket(trial: TrialID(rawValue: "b"), attempt: 1, epoch: 42)], slots: 3),
        .heartbeat(running: [], slots: 0),
        .progress(ticket, TrialProgress(epoch: 3, totalEpochs: 20, values: ["loss": 0.125, "val_rmse": 0.93])),
        .progress(ticket, TrialProgress(epoch: 0, totalEpochs: nil, values: [:])),
        .result(
            ticket, TrialMetrics(values: ["rmse": 0.8731, "ndcg@10": 0.41], timings: ["fit": 12.5, "evaluate": 0.75])),
        .failure(
            ticket, TrialFailure(kind: .deterministic, message: "diverged: loss is NaN at epoch 3 — «lr» too high")),
        .failure(ticket, TrialFailure(kind: .infrastructure, message: "")),
        .goodbye(returning: [ticket]),
        .reattach(hello, running: [ticket], leasesThrough: 41),
    ]

    static let coordinatorMessages: [CoordinatorMessage] = [
        .welcome(heartbeatInterval: .milliseconds(1500), liveness: 3),
        .reject(Rejection(code: .versionMismatch, message: "worker speaks 2, coordinator 1")),
        .reject(Rejection(code: .unknownWorker, message: "")),
        .lease(
            TrialLease(
                ticket: ticket, config: config, dataset: "{\"path\":\"/data/ml-100k\",\"split\":\"u1\"}",
                timeout: .seconds(900))),
        .cancel(ticket, reason: "timed out after 900 s"),
        .confirm([ticket, LeaseTicket(trial: TrialID(rawValue: "b"), attempt: 1, epoch: 42)]),
        .reject(Rejection(code: .workerIDInUse, message: "worker w1 is registered under another CURVE key")),
        .heartbeat,
        .shutdown,
    ]

    @Test(arguments: workerMessages)
    func workerMessagesRoundTrip(_ message: WorkerMessage) throws {
        let codec = WireCodec()
        let frame = try codec.encode(message)
        #expect(frame[0] == WireCodec.frameVersion)
        #expect(try codec.decodeWorkerMessage(frame) == message)
        #expect(try codec.encode(codec.decodeWorkerMessage(frame)) == frame, "re-encoding gives the same bytes")
    }

    @Test(arguments: coordinatorMessages)
    func coordinatorMessagesRoundTrip(_ message: CoordinatorMessage) throws {
        let codec = WireCodec()
        let frame = try codec.encode(message)
        #expect(try codec.decodeCoordinatorMessage(frame) == message)
    }

    @Test func framesAreDeterministicAndPinned() throws {
        let codec = WireCodec()
        let heartbeat = try codec.encode(WorkerMessage.heartbeat(running: [Self.ticket], slots: 2))
        // version 3, heartbeat, 1 ticket: "3f2a9c" (6 bytes), attempt 2 (zigzag 4), epoch 41; slots 2 (zigzag 4).
        #expect(heartbeat == [3, 0x02, 1, 6] + Array("3f2a9c".utf8) + [4, 41, 4])
        #expect(try codec.encode(CoordinatorMessage.shutdown) == [3, 0x86])
        // A confirm is a ticket list like a heartbeat's.
        #expect(try codec.encode(CoordinatorMessage.confirm([Self.ticket])) == [3, 0x87, 1, 6] + Array("3f2a9c".utf8) + [4, 41])
        // Doubles are their bit pattern, little-endian: 0.5 is 0x3FE0000000000000.
        let result = try codec.encode(WorkerMessage.result(Self.ticket, TrialMetrics(values: ["a": 0.5])))
        #expect(Array(result.suffix(12)) == [1, 1, 0x61, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0])

        // Dictionary order never shows: the same configuration built two ways gives the same bytes.
        var parameters: [String: ParameterValue] = [:]
        for (name, value) in Self.config.parameters.sorted(by: { $0.key > $1.key }) { parameters[name] = value }
        let rebuilt = TrialConfig(model: "mf", parameters: parameters, seed: Self.config.seed)
        func lease(_ config: TrialConfig) throws -> [UInt8] {
            try codec.encode(
                CoordinatorMessage.lease(
                    TrialLease(ticket: Self.ticket, config: config, dataset: "d", timeout: .seconds(1))))
        }
        #expect(try lease(rebuilt) == lease(Self.config))
        // An integer stays an integer and a double a double.
        guard case .lease(let decoded) = try codec.decodeCoordinatorMessage(try lease(Self.config)) else {
            Issue.record("expected a lease")
            return
        }
        #expect(decoded.config.parameters["factors"] == .int(64) && decoded.config.parameters["lr"] == .double(0.01))
    }

    @Test func nonFiniteMetricsRoundTrip() throws {
        let codec = WireCodec()
        let message = WorkerMessage.result(
            Self.ticket, TrialMetrics(values: ["rmse": .nan, "auc": .infinity, "loss": -.infinity]))
        let frame = try codec.encode(message)
        guard case .result(_, let metrics) = try codec.decodeWorkerMessage(frame) else {
            Issue.record("expected a result")
            return
        }
        #expect(
            metrics.values["rmse"]!.isNaN && metrics.values["auc"] == .infinity && metrics.values["loss"] == -.infinity)
    }

    @Test func anotherProtocolVersionStillDecodesSoItCanBeRejectedClearly() throws {
        var hello = Self.hello
        hello.protocolVersion = 7
        let codec = WireCodec()
        #expect(try codec.decodeWorkerMessage(codec.encode(WorkerMessage.hello(hello))) == .hello(hello))
    }

    @Test func subMillisecondDurationsAreCutToWholeMilliseconds() throws {
        let codec = WireCodec()
        let frame = try codec.encode(CoordinatorMessage.welcome(heartbeatInterval: .microseconds(2500), liveness: 3))
        #expect(try codec.decodeCoordinatorMessage(frame) == .welcome(heartbeatInterval: .milliseconds(2), liveness: 3))
    }
}
