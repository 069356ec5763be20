import Sweep
import SweepWire
import Testing

/// SplitMix64: a seedable generator whose sequence never changes, so fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func pick<T>(_ elements: [T]) -> T { elements[Int.random(in: 0..<elements.count, using: &self)] }
}

enum Fixture {
    static func trialID(_ number: Int) -> TrialID { TrialID(rawValue: number < 10 ? "t0\(number)" : "t\(number)") }

    static func config(_ number: Int, model: String = "mf") -> TrialConfig {
        TrialConfig(model: model, parameters: ["factors": .int(number), "lr": .double(0.01)], seed: 1)
    }

    /// `count` pending trials `t01`, `t02`, … (models cycling through `models`), in that order.
    static func snapshot(
        trials count: Int, models: [String] = ["mf"], timeout: Duration? = nil, lastLeaseEpoch: LeaseEpoch = 0
    ) -> SweepSnapshot {
        let trials = (1...count).map { number in
            TrialRecord(
                id: trialID(number), config: config(number, model: models[(number - 1) % models.count]),
                timeout: timeout)
        }
        return SweepSnapshot(
            sweepID: "sweep-1", dataset: "synthetic:v1", trials: trials, lastLeaseEpoch: lastLeaseEpoch)
    }

    static func hello(
        _ id: WorkerID, slots: Int = 1, models: [String] = ["mf"], protocolVersion: Int = WireCodec.protocolVersion,
        pid: Int = 100, session: String? = nil
    ) -> WorkerHello {
        WorkerHello(
            protocolVersion: protocolVersion, workerID: id, host: "host-\(id)", version: "0.1.0", slots: slots,
            models: models, pid: pid, session: session ?? "session-\(id)-\(pid)")
    }

    /// The principal a coordinator with session tokens records for `hello`.
    static func principal(_ hello: WorkerHello) -> String { "session:\(Fingerprint.sha256Hex(hello.session))" }

    static func metrics(_ rmse: Double) -> TrialMetrics { TrialMetrics(values: ["rmse": rmse], timings: ["fit": 0.5]) }
}

extension Array where Element == CoordinatorAction {
    /// Every `send`, in order.
    var sent: [(connection: ConnectionID, message: CoordinatorMessage)] {
        compactMap { action in
            if case .send(let connection, let message) = action { return (connection, message) }
            return nil
        }
    }

    func messages(to connection: ConnectionID) -> [CoordinatorMessage] {
        sent.filter { $0.connection == connection }.map(\.message)
    }

    var persisted: [StoreCommand] {
        compactMap { action in
            if case .persist(let command) = action { return command }
            return nil
        }
    }

    func leases(to connection: ConnectionID) -> [TrialLease] {
        messages(to: connection).compactMap { message in
            if case .lease(let lease) = message { return lease }
            return nil
        }
    }

    var leases: [TrialLease] {
        sent.compactMap { _, message in
            if case .lease(let lease) = message { return lease }
            return nil
        }
    }

    /// Without `log` and `scheduleWakeUp`: the actions with protocol effect.
    var effects: [CoordinatorAction] {
        filter { action in
            switch action {
            case .log, .scheduleWakeUp: return false
            case .send, .persist, .sweepFinished: return true
            }
        }
    }

    var summaries: [SweepSummary] {
        compactMap { action in
            if case .sweepFinished(let summary) = action { return summary }
            return nil
        }
    }

    var wakeUps: [ProtocolInstant] {
        compactMap { action in
            if case .scheduleWakeUp(let instant) = action { return instant }
            return nil
        }
    }
}

extension Array where Element == StoreCommand {
    func finishedCount(_ trial: TrialID) -> Int {
        filter { command in
            if case .trialFinished(trial, _, _, _) = command { return true }
            return false
        }.count
    }

    var duplicates: [LeaseTicket] {
        compactMap { command in
            if case .duplicateResult(let ticket, _, _) = command { return ticket }
            return nil
        }
    }

    var failures: [(trial: TrialID, attempt: Int, failure: TrialFailure, willRetry: Bool)] {
        compactMap { command in
            if case .trialFailed(let trial, let attempt, let failure, let willRetry) = command {
                return (trial, attempt, failure, willRetry)
            }
            return nil
        }
    }
}

/// Drives a `CoordinatorCore` with a manual clock, keeps every persisted command, and checks after
/// every event that the core's view equals the replay of its own persisted commands.
struct CoordinatorDriver {
    var core: CoordinatorCore
    var now: ProtocolInstant = .zero
    let initial: SweepSnapshot
    var persisted: [StoreCommand] = []
    var loadActions: [CoordinatorAction] = []

    /// Scripted tests count leases exactly, so prefetch is off unless a test turns it on.
    init(_ snapshot: SweepSnapshot, configuration: CoordinatorCore.Configuration = .init(prefetchPerSlot: 0)) {
        initial = snapshot
        core = CoordinatorCore(configuration: configuration)
        loadActions = handle(.storeLoaded(snapshot))
    }

    /// A snapshot whose `running` trials were held by workers registered as `hellos` (their
    /// principals recorded), as a store left by a crashed coordinator would give.
    init(
        _ snapshot: SweepSnapshot, registered hellos: [WorkerHello],
        configuration: CoordinatorCore.Configuration = .init(prefetchPerSlot: 0)
    ) {
        var snapshot = snapshot
        for hello in hellos { snapshot.workerPrincipals[hello.workerID] = Fixture.principal(hello) }
        initial = snapshot
        core = CoordinatorCore(configuration: configuration)
        loadActions = handle(.storeLoaded(snapshot))
    }

    /// The coordinator crashes and a new one loads the store.
    @discardableResult
    mutating func restart() -> [CoordinatorAction] {
        core = CoordinatorCore(configuration: core.configuration)
        return handle(.storeLoaded(store))
    }

    /// The store after replaying what was persisted.
    var store: SweepSnapshot { initial.applying(persisted) }

    @discardableResult
    mutating func handle(_ event: CoordinatorEvent) -> [CoordinatorAction] {
        let actions = core.handle(event, now: now)
        persisted += actions.persisted
        let store = self.store
        #expect(
            core.snapshot.trials == store.trials && core.snapshot.lastLeaseEpoch == store.lastLeaseEpoch,
            "the core's view diverged from its persisted commands after \(event)")
        return actions
    }

    @discardableResult
    mutating func message(_ peer: Peer, _ message: WorkerMessage) -> [CoordinatorAction] {
        handle(.workerMessage(peer, message))
    }

    /// Worker `hello.workerID` says hello on the connection of the same name and acknowledges its
    /// leases until its allowance stops growing (slow start), as a real worker does within a few
    /// round trips.
    @discardableResult
    mutating func join(_ hello: WorkerHello) -> [CoordinatorAction] {
        message(Peer(stringLiteral: hello.workerID.rawValue), .hello(hello)) + acknowledge(hello)
    }

    /// Heartbeats from `hello`'s worker listing what it holds, until no new lease arrives.
    @discardableResult
    mutating func acknowledge(_ hello: WorkerHello) -> [CoordinatorAction] {
        let connection = Peer(stringLiteral: hello.workerID.rawValue)
        var actions: [CoordinatorAction] = []
        while true {
            let held = core.workerStatuses.first { $0.id == hello.workerID }?.leases ?? []
            let more = message(connection, .heartbeat(running: held, slots: hello.slots))
            actions += more
            if more.leases.isEmpty { return actions }
        }
    }

    /// Moves the clock by `duration` and ticks.
    @discardableResult
    mutating func advance(by duration: Duration) -> [CoordinatorAction] {
        now = now + duration
        return handle(.tick)
    }

    /// Moves the clock to `now + duration` in `step`s; before each tick every worker in `alive`
    /// heartbeats with the leases the coordinator thinks it holds. Returns all actions.
    @discardableResult
    mutating func run(
        for duration: Duration, step: Duration = .milliseconds(500), heartbeatsFrom alive: [WorkerID] = []
    ) -> [CoordinatorAction] {
        let end = now + duration
        var actions: [CoordinatorAction] = []
        while now < end {
            now = min(now + step, end)
            for worker in alive {
                let status = core.workerStatuses.first { $0.id == worker }
                actions += handle(
                    .workerMessage(
                        Peer(stringLiteral: worker.rawValue),
                        .heartbeat(running: status?.leases ?? [], slots: status?.slots ?? 1)))
            }
            actions += handle(.tick)
        }
        return actions
    }

    /// The current lease of `trial`, if running.
    func ticket(_ trial: TrialID) -> LeaseTicket? {
        if case .running(let ticket, _) = core.snapshot.record(trial)?.state { return ticket }
        return nil
    }
}
