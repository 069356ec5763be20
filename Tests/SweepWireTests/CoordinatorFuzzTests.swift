import Sweep
import SweepWire
import Testing

@Suite("CoordinatorCore: randomized event sequences")
struct CoordinatorFuzzTests {
    static let workerIDs: [WorkerID] = ["w1", "w2", "w3", "w4"]

    /// Random but plausible events — hellos (some of the wrong version), reattaches, heartbeats,
    /// results and failures for current, stale and bogus tickets, goodbyes, malformed frames,
    /// time jumps, the odd shutdown and coordinator restarts from the store — checked after every
    /// step against the invariants: no trial finished twice (across restarts too), results counted
    /// only for granted leases, epochs strictly increasing, leases persisted before they are sent,
    /// no more leases than slots × (1 + prefetch), the core's view equal to the replay of its store.
    @Test(arguments: 0..<25)
    func invariantsHoldUnderRandomEvents(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var configuration = CoordinatorCore.Configuration()
        configuration.retryLimit = 1
        configuration.drainTimeout = .seconds(4)
        configuration.prefetchPerSlot = Int(seed % 3)  // off, one and two prefetched leases per slot
        configuration.prefetchBelow = .seconds(10)
        var snapshot = Fixture.snapshot(trials: 10, models: ["mf", "als"])
        for index in snapshot.trials.indices where index % 3 == 0 { snapshot.trials[index].timeout = .seconds(4) }
        var driver = CoordinatorDriver(snapshot, configuration: configuration)
        let codec = WireCodec()

        var issued: [LeaseTicket: WorkerID] = [:]
        var lastEpoch: LeaseEpoch = 0
        var finished: Set<TrialID> = []
        var sweepOver = false

        for step in 0..<1500 {
            driver.now = driver.now + .milliseconds(Int.random(in: 0...700, using: &random))
            let restart = !sweepOver && random.chance(0.01)
            let event = randomEvent(&random, issued: issued, registered: driver.core.workerStatuses)
            let actions = restart ? driver.restart() : driver.handle(event)
            let label = "seed \(seed) step \(step) \(restart ? "restart" : "\(event)")"

            if sweepOver { #expect(actions.persisted.isEmpty, "\(label): persisted after the sweep finished") }
            var persistedSoFar: [StoreCommand] = []
            var leasedThisStep: Set<WorkerID> = []
            for action in actions {
                switch action {
                case .persist(let command):
                    persistedSoFar.append(command)
                    if case .trialFinished(let trial, let attempt, _, let worker) = command {
                        #expect(finished.insert(trial).inserted, "\(label): \(trial) finished twice")
                        #expect(
                            issued.contains {
                                $0.key.trial == trial && $0.key.attempt == attempt && $0.value == worker
                            },
                            "\(label): counted a result for a lease never granted")
                    }
                case .send(let connection, let message):
                    let worker = WorkerID(connection.rawValue)  // tests name connections after workers
                    #expect(throws: Never.self) { try codec.encode(message) }
                    if case .lease(let lease) = message {
                        #expect(lease.ticket.epoch > lastEpoch, "\(label): epoch did not increase")
                        lastEpoch = lease.ticket.epoch
                        #expect(
                            persistedSoFar.last == .trialLeased(lease.ticket, worker: worker),
                            "\(label): lease sent before it was persisted")
                        issued[lease.ticket] = worker
                        leasedThisStep.insert(worker)
                    }
                case .sweepFinished:
                    #expect(!sweepOver, "\(label): the sweep finished twice")
                    sweepOver = true
                case .log, .scheduleWakeUp:
                    break
                }
            }
            for status in driver.core.workerStatuses where leasedThisStep.contains(status.id) {
                let depth = 1 + 8 * configuration.prefetchPerSlot
                #expect(
                    status.leases.count <= status.slots * depth,
                    "\(label): \(status.id) holds more leases than slots × \(depth)")
            }
            for trial in finished {
                guard case .finished? = driver.store.record(trial)?.state else {
                    Issue.record("\(label): finished trial \(trial) changed state")
                    continue
                }
            }
        }
        let summary = driver.core.summary
        #expect(summary.finished == finished.count)
        #expect(summary.finished + summary.failed + summary.unfinished == summary.total)
    }

    func randomEvent(_ random: inout SplitMix64, issued: [LeaseTicket: WorkerID], registered: [WorkerStatus])
        -> CoordinatorEvent
    {
        let worker = random.pick(Self.workerIDs)
        let peer = Peer(stringLiteral: worker.rawValue)
        func from(_ sender: WorkerID) -> Peer { Peer(stringLiteral: sender.rawValue) }
        let mine = registered.first { $0.id == worker }?.leases ?? []
        let anyTicket = issued.keys.sorted { $0.epoch < $1.epoch }
        func someTickets() -> [LeaseTicket] {
            var tickets = mine.filter { _ in random.chance(0.8) }
            if random.chance(0.2), let stale = anyTicket.randomElement(using: &random) { tickets.append(stale) }
            return tickets
        }
        let roll = Double.random(in: 0..<1, using: &random)
        switch roll {
        case ..<0.22:
            return .tick
        case ..<0.32:
            let models = random.pick([["mf"], ["als"], ["mf", "als"]])
            let version = random.chance(0.05) ? 99 : WireCodec.protocolVersion
            return .workerMessage(
                peer,
                .hello(
                    Fixture.hello(
                        worker, slots: Int.random(in: 0...3, using: &random), models: models, protocolVersion: version))
            )
        case ..<0.37:
            let through = anyTicket.randomElement(using: &random)?.epoch ?? 0
            return .workerMessage(
                peer,
                .reattach(
                    Fixture.hello(worker, slots: Int.random(in: 1...3, using: &random)), running: someTickets(),
                    leasesThrough: through))
        case ..<0.52:
            return .workerMessage(
                peer, .heartbeat(running: someTickets(), slots: Int.random(in: 0...3, using: &random)))
        case ..<0.70:
            // Mostly the holder's own current lease, sometimes anything ever issued, from anyone.
            let ticket =
                (random.chance(0.7) ? mine.randomElement(using: &random) : nil)
                ?? anyTicket.randomElement(using: &random)
            let sender = ticket.flatMap { random.chance(0.8) ? issued[$0] : nil } ?? worker
            guard let ticket else { return .tick }
            return .workerMessage(from(sender), .result(ticket, Fixture.metrics(Double(ticket.epoch.rawValue))))
        case ..<0.78:
            guard let ticket = mine.randomElement(using: &random) ?? anyTicket.randomElement(using: &random) else {
                return .tick
            }
            let kind: FailureKind = random.chance(0.5) ? .deterministic : .infrastructure
            return .workerMessage(from(issued[ticket] ?? worker), .failure(ticket, TrialFailure(kind: kind, message: "boom")))
        case ..<0.82:
            guard let ticket = mine.first else { return .tick }
            return .workerMessage(peer, .progress(ticket, TrialProgress(epoch: 1, totalEpochs: nil, values: [:])))
        case ..<0.85:
            return .workerMessage(peer, .goodbye(returning: someTickets()))
        case ..<0.88:
            return .malformedMessage(peer, reason: "truncated frame: 1 byte(s)")
        case ..<0.885:
            return .shutdownRequested
        case ..<0.90:
            let bogus = LeaseTicket(trial: TrialID(rawValue: "nope"), attempt: 1, epoch: 999)
            return .workerMessage(peer, .result(bogus, Fixture.metrics(0)))
        default:
            return .tick
        }
    }
}
