import Sweep
import SweepWire
import Testing

/// The hostile and unlucky cases of issue 10, at the protocol level: impersonation, forged
/// results, floods of hellos and garbage, restarts under result traffic, a worker's own
/// retransmitted re-attach. Each reproduces what broke before and checks what must hold now.
@Suite("CoordinatorCore: hostile peers and unlucky operators")
struct CoordinatorHardeningTests {
    let w1: WorkerID = "w1"

    // MARK: Identity (item 3)

    @Test func aSecondConnectionClaimingALiveWorkerGetsNothingOfIt() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 3))
        driver.join(Fixture.hello(w1, slots: 2))
        let held = driver.core.workerStatuses.first!.leases
        #expect(held.count == 2)
        // An attacker sets up its own connection and re-attaches as w1, listing nothing: before,
        // this failed w1's leases and handed them to the attacker.
        let forged = Fixture.hello(w1, slots: 8, session: "guessed")
        let claim = driver.message("evil", .reattach(forged, running: [], leasesThrough: 99))
        #expect(claim.persisted.isEmpty, "nothing of w1 may change")
        #expect(claim.leases.isEmpty)
        guard case .reject(let rejection)? = claim.messages(to: "evil").first else {
            Issue.record("expected a rejection, got \(claim.effects)")
            return
        }
        #expect(rejection.code == .workerIDInUse)
        #expect(driver.core.workerStatuses.map(\.connection) == ["w1"])
        #expect(driver.core.workerStatuses.first?.leases == held)
        // Its forged results for w1's leases are not even recorded: the connection is nobody.
        for ticket in held {
            let result = driver.message("evil", .result(ticket, TrialMetrics(values: ["rmse": 0.001])))
            #expect(result.persisted.isEmpty)
        }
        #expect(driver.persisted.finishedCount(held[0].trial) == 0)
        // w1's own results still count.
        let real = driver.message("w1", .result(held[0], Fixture.metrics(0.9)))
        #expect(real.persisted.first == .trialFinished(trial: held[0].trial, attempt: 1, metrics: Fixture.metrics(0.9), worker: w1))
    }

    @Test func underCurveAnotherAllowedKeyCannotTakeAWorkersId() {
        var driver = CoordinatorDriver(
            Fixture.snapshot(trials: 2), configuration: .init(prefetchPerSlot: 0, authentication: .curveKeys))
        let honest = Peer(connection: "c1", publicKey: "honest-key-honest-key-honest-key-hone")
        let other = Peer(connection: "c2", publicKey: "other-allowed-key-other-allowed-key-o")
        driver.message(honest, .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        // Same id, same session even (copied), but another key: refused.
        let claim = driver.message(other, .reattach(Fixture.hello(w1), running: [ticket], leasesThrough: 1))
        #expect(claim.persisted.isEmpty)
        #expect(claim.messages(to: "c2").map(\.kind) == ["reject"])
        #expect(driver.core.workerStatuses.map(\.connection) == ["c1"])
        #expect(driver.message(other, .result(ticket, Fixture.metrics(0.1))).persisted.isEmpty)
    }

    @Test func aResultWithMetricsTheModelDoesNotDeclareIsRefusedAndTheTrialRunsAgain() {
        var configuration = CoordinatorCore.Configuration(prefetchPerSlot: 0)
        configuration.metricsByModel = ["mf": ["rmse", "mae", "ndcg@10"], "sleep": ["score"]]
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1), configuration: configuration)
        driver.message("w1", .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        let forged = driver.message("w1", .result(ticket, TrialMetrics(values: ["rmse": 0.5, "accuracy": 0.999])))
        #expect(forged.persisted.finishedCount(ticket.trial) == 0)
        let failure = try! #require(forged.persisted.failures.first)
        #expect(failure.willRetry && failure.failure.kind == .infrastructure)
        #expect(failure.failure.message.contains("model 'mf' does not report 'accuracy'"))
        #expect(forged.messages(to: "w1").contains(.confirm([ticket])), "the worker may forget the refused report")
        // The retry with honest metrics counts.
        let retry = try! #require(forged.leases(to: "w1").first?.ticket)
        let honest = driver.message("w1", .result(retry, TrialMetrics(values: ["rmse": 0.9, "ndcg@10": 0.2])))
        #expect(honest.persisted.finishedCount(ticket.trial) == 1)
    }

    // MARK: Floods (items 4 and 5)

    @Test func tenThousandHellosNeitherStallTheRealWorkerNorBurnTheRetryBudget() {
        // Driven by hand (the driver's replay check per event would cost more than the flood).
        var configuration = CoordinatorCore.Configuration(prefetchPerSlot: 0)
        configuration.maxWorkers = 2000
        var core = CoordinatorCore(configuration: configuration)
        var now = ProtocolInstant.zero
        var persisted: [StoreCommand] = []
        func handle(_ event: CoordinatorEvent) -> [CoordinatorAction] {
            let actions = core.handle(event, now: now)
            persisted += actions.persisted
            return actions
        }
        _ = handle(.storeLoaded(Fixture.snapshot(trials: 200)))
        func w1Leases() -> [LeaseTicket] { core.workerStatuses.first { $0.id == w1 }?.leases ?? [] }
        func serveW1() {
            if let first = w1Leases().first { _ = handle(.workerMessage("w1", .result(first, Fixture.metrics(0.5)))) }
            _ = handle(.workerMessage("w1", .heartbeat(running: w1Leases(), slots: 4)))
        }
        _ = handle(.workerMessage("w1", .hello(Fixture.hello(w1, slots: 4))))
        for _ in 0..<3 { serveW1() }
        var refused = 0
        var finishedByW1DuringFlood = 0
        // 10,000 connections in 10 s, each a valid hello with 8 slots, never heard from again;
        // meanwhile w1 keeps working and reporting.
        for flood in 0..<10_000 {
            now = now + .milliseconds(1)
            let connection = Peer(stringLiteral: "f\(flood)")
            let actions = handle(.workerMessage(connection, .hello(Fixture.hello(WorkerID("flood-\(flood)"), slots: 8, pid: flood))))
            if actions.messages(to: connection.connection).contains(where: {
                if case .reject(let rejection) = $0 { rejection.code == .coordinatorFull } else { false }
            }) {
                refused += 1
            }
            if flood % 25 == 0 {
                let before = core.summary.finished
                serveW1()
                _ = handle(.tick)
                finishedByW1DuringFlood += core.summary.finished - before
            }
            guard flood % 100 == 0 else { continue }
            let onProbation = core.workerStatuses.filter { !$0.proven }.reduce(0) { $0 + $1.leases.count }
            if onProbation > 64 {
                Issue.record("the flood holds \(onProbation) leases, over the probation limit of 64")
                return
            }
        }
        #expect(refused > 0, "the worker table is bounded")
        #expect(core.workerStatuses.count <= 2000)
        #expect(finishedByW1DuringFlood >= 100, "w1 was starved during the flood: \(finishedByW1DuringFlood) results")
        // Let the flood time out, then w1 finishes the sweep.
        var rounds = 0
        while core.phase != .finished, rounds < 10_000 {
            rounds += 1
            now = now + .milliseconds(100)
            for ticket in w1Leases() { _ = handle(.workerMessage("w1", .result(ticket, Fixture.metrics(0.5)))) }
            _ = handle(.workerMessage("w1", .heartbeat(running: w1Leases(), slots: 4)))
            _ = handle(.tick)
        }
        let summary = core.summary
        #expect(summary.finished == 200 && summary.failed == 0, "\(summary)")
        let store = Fixture.snapshot(trials: 200).applying(persisted)
        #expect(store.trials.allSatisfy { $0.infrastructureFailures == 0 }, "vanishing workers cost no budget")
    }

    @Test func aGarbageFloodGetsOneReplyAndOneSummaryLine() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        var replies = 0
        var logLines: [String] = []
        for frame in 0..<20_000 {
            if frame % 1000 == 0 { driver.now = driver.now + .milliseconds(200) }
            let actions = driver.handle(.malformedMessage("junk", reason: "truncated frame: 1 byte(s)"))
            replies += actions.messages(to: "junk").count
            logLines += actions.compactMap { if case .log(.warning, let text, _) = $0 { text } else { nil } }
        }
        logLines += driver.advance(by: .seconds(10)).compactMap { if case .log(.warning, let text, _) = $0 { text } else { nil } }
        #expect(replies == 1)
        #expect(logLines.count == 2, "\(logLines.prefix(5))")
        #expect(logLines.last?.contains("rejected 20000 malformed frames from junk in the last 10.0 seconds") == true)
        // A thousand distinct peers cost at most the tally's bound of entries.
        for peer in 0..<1000 {
            driver.handle(.malformedMessage(Peer(stringLiteral: "p\(peer)"), reason: "bad"))
        }
        let summary = driver.advance(by: .seconds(10)).compactMap { if case .log(.warning, let text, _) = $0 { text } else { nil } }
        #expect(summary.contains { $0.contains("from other peers") })
        #expect(summary.count <= 64)
    }

    @Test func everyRefusalIsCountedByItsReasonAlsoWhenTheWindowKeepsItQuiet() {
        var configuration = CoordinatorCore.Configuration(prefetchPerSlot: 0)
        configuration.maxWorkers = 2
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2), configuration: configuration)
        driver.join(Fixture.hello(w1))
        #expect(driver.core.refusedFrames.isEmpty, "a worker joining refuses nothing")
        var replies = 0
        for _ in 0..<5 { replies += driver.handle(.malformedMessage("junk", reason: "truncated frame")).messages(to: "junk").count }
        #expect(replies == 1, "one answer per peer and reason in a window, but five counted")
        for _ in 0..<3 { driver.message("stranger", .heartbeat(running: [], slots: 1)) }
        driver.message("evil", .reattach(Fixture.hello(w1, session: "guessed"), running: [], leasesThrough: 0))
        driver.message("w1", .hello(Fixture.hello("w2")))
        driver.message("old", .hello(Fixture.hello("w3", protocolVersion: WireCodec.protocolVersion - 1)))
        driver.message("w4", .hello(Fixture.hello("w4")))
        driver.message("w5", .hello(Fixture.hello("w5")))
        #expect(
            driver.core.refusedFrames == [
                .malformed: 5, .unregistered: 3, .workerIDInUse: 1, .secondWorkerID: 1, .versionMismatch: 1,
                .coordinatorFull: 1,
            ])
        driver.handle(.shutdownRequested)
        driver.message("w6", .hello(Fixture.hello("w6")))
        #expect(driver.core.refusedFrames[.shuttingDown] == 1)
        driver.advance(by: configuration.drainTimeout + .seconds(1))
        #expect(driver.core.phase == .finished)
        driver.message("late", .heartbeat(running: [], slots: 1))
        driver.message("late", .heartbeat(running: [], slots: 1))
        #expect(driver.core.refusedFrames[.sweepEnded] == 2)
        #expect(driver.core.refusedFrames.values.reduce(0, +) == 15)

        var curve = CoordinatorDriver(
            Fixture.snapshot(trials: 1), configuration: .init(prefetchPerSlot: 0, authentication: .curveKeys))
        curve.message(Peer(connection: "keyless"), .hello(Fixture.hello(w1)))
        #expect(curve.core.refusedFrames == [.noCurveKey: 1])
    }

    // MARK: Restarts under traffic (items 1 and 2)

    @Test func aRestartedCoordinatorGivesRunningTrialsBackToTheirWorker() {
        let hello = Fixture.hello(w1, slots: 2)
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 4))
        driver.join(hello)
        let (first, second) = (driver.ticket(Fixture.trialID(1))!, driver.ticket(Fixture.trialID(2))!)
        // The coordinator crashes; the store knows both leases and w1's principal.
        driver.restart()
        #expect(driver.core.unclaimedAttempts == 2)
        // Its first message to the new coordinator is answered with unknownWorker; it re-attaches
        // listing both (one finished while the coordinator was down: its result was never stored).
        #expect(driver.message("w1-2", .heartbeat(running: [second], slots: 2)).messages(to: "w1-2").map(\.kind) == ["reject"])
        let reattach = driver.message("w1-2", .reattach(hello, running: [first, second], leasesThrough: second.epoch))
        #expect(reattach.persisted.failures.isEmpty && !reattach.persisted.contains { if case .trialReturned = $0 { true } else { false } })
        #expect(driver.core.unclaimedAttempts == 0)
        #expect(driver.core.workerStatuses.first?.leases == [first, second])
        let resent = driver.message("w1-2", .result(first, Fixture.metrics(0.4)))
        #expect(resent.persisted.first == .trialFinished(trial: first.trial, attempt: 1, metrics: Fixture.metrics(0.4), worker: w1))
        #expect(driver.store.trials.allSatisfy { $0.attemptsUsed <= 1 }, "nothing ran twice")
    }

    @Test func unclaimedAttemptsReturnWhenTheGraceEndsWithoutUsingTheBudget() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.join(Fixture.hello(w1, slots: 2))
        driver.restart()
        #expect(driver.core.unclaimedAttempts == 2)
        // Another worker joins; the reserved trials are not given to it during the grace.
        let other = driver.message("w2", .hello(Fixture.hello("w2")))
        #expect(other.leases.isEmpty)
        let grace = driver.run(for: .seconds(6), heartbeatsFrom: ["w2"])
        #expect(grace.persisted.filter { if case .trialReturned = $0 { true } else { false } }.count == 2)
        #expect(driver.store.trials.allSatisfy { $0.infrastructureFailures == 0 })
        #expect(grace.leases(to: "w2").map(\.ticket.attempt) == [2])
    }

    @Test func aDifferentProcessCannotClaimReservedAttemptsAfterARestart() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        driver.join(Fixture.hello(w1))
        let ticket = driver.ticket(Fixture.trialID(1))!
        driver.restart()
        let impostor = Fixture.hello(w1, session: "not-the-same")
        let claim = driver.message("x", .reattach(impostor, running: [ticket], leasesThrough: ticket.epoch))
        #expect(claim.persisted.isEmpty && claim.messages(to: "x").map(\.kind) == ["reject"])
        #expect(driver.core.unclaimedAttempts == 1)
    }

    @Test func noWorkerIsLeasedMoreThanItCanListInOneMessage() {
        var configuration = CoordinatorCore.Configuration(prefetchPerSlot: 1, prefetchBelow: .seconds(1))
        configuration.maxLeasesPerWorker = 1024
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 5000), configuration: configuration)
        let hello = Fixture.hello(w1, slots: 1024)
        driver.join(hello)
        driver.now = driver.now + .milliseconds(1)
        let held = driver.core.workerStatuses.first!.leases
        driver.message("w1", .result(held[0], Fixture.metrics(0.5)))
        driver.acknowledge(hello)
        let count = driver.core.workerStatuses.first!.leases.count
        #expect(count == 1024, "slots × 9 would be 9,216; the cap is the wire's list limit")
        #expect(throws: Never.self) {
            try WireCodec().encode(
                WorkerMessage.reattach(hello, running: driver.core.workerStatuses.first!.leases, leasesThrough: 1))
        }
    }

    // MARK: A worker's own retransmission (item 9)

    @Test func aRepeatedReattachDoesNotFailLeasesGrantedAfterIt() {
        let hello = Fixture.hello(w1, slots: 2)
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 4))
        driver.join(hello)
        let first = driver.ticket(Fixture.trialID(1))!
        let second = driver.ticket(Fixture.trialID(2))!
        // SIGSTOP: w1 is declared lost, its leases go back to pending.
        driver.run(for: .seconds(3))
        #expect(driver.core.workerStatuses.isEmpty)
        // SIGCONT: it re-attaches (listing its stale leases) and is granted new ones...
        let attach = driver.message("w1", .reattach(hello, running: [first, second], leasesThrough: second.epoch))
        let granted = attach.leases(to: "w1").map(\.ticket)
        #expect(!granted.isEmpty)
        // ...then a second reattach it sent before those arrived: they are in flight, not lost.
        let again = driver.message("w1", .reattach(hello, running: [first, second], leasesThrough: second.epoch))
        #expect(again.persisted.failures.isEmpty, "its own retransmission failed leases: \(again.persisted.failures)")
        #expect(!again.persisted.contains { if case .trialReturned = $0 { true } else { false } })
        #expect(Set(driver.core.workerStatuses.first!.leases).isSuperset(of: granted))
    }
}
