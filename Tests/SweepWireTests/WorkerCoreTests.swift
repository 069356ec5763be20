import Sweep
import SweepWire
import Testing

/// Drives a `WorkerCore` with a manual clock.
struct WorkerDriver {
    var core: WorkerCore
    var now: ProtocolInstant = .zero

    init(slots: Int = 2, drainTimeout: Duration = .seconds(10), giveUpAfter: Duration? = nil) {
        core = WorkerCore(
            configuration: WorkerCore.Configuration(
                hello: Fixture.hello("w1", slots: slots), drainTimeout: drainTimeout, giveUpAfter: giveUpAfter,
                coordinatorName: "tcp://coordinator:5555"))
    }

    static let hello = Fixture.hello("w1", slots: 2)

    @discardableResult
    mutating func handle(_ event: WorkerEvent) -> [WorkerAction] { core.handle(event, now: now) }

    @discardableResult
    mutating func receive(_ message: CoordinatorMessage) -> [WorkerAction] { handle(.coordinatorMessage(message)) }

    @discardableResult
    mutating func advance(by duration: Duration) -> [WorkerAction] {
        now = now + duration
        return handle(.tick)
    }

    /// Connected and welcomed.
    mutating func welcomed() {
        handle(.connected)
        receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3))
    }

    static func lease(_ number: Int, attempt: Int = 1, epoch: UInt64? = nil) -> TrialLease {
        TrialLease(
            ticket: LeaseTicket(
                trial: Fixture.trialID(number), attempt: attempt, epoch: LeaseEpoch(epoch ?? UInt64(number))),
            config: Fixture.config(number), dataset: "synthetic:v1", timeout: .seconds(60))
    }
}

extension Array where Element == WorkerAction {
    var sent: [WorkerMessage] {
        compactMap { action in
            if case .send(let message) = action { return message }
            return nil
        }
    }

    var effects: [WorkerAction] {
        filter { action in
            switch action {
            case .log, .scheduleWakeUp: return false
            case .send, .startTrial, .cancelTrial, .reconnect, .exit: return true
            }
        }
    }
}

@Suite("WorkerCore")
struct WorkerCoreTests {
    @Test func saysHelloOnConnectAndHeartbeatsEveryIntervalOnceWelcomed() {
        var driver = WorkerDriver()
        #expect(driver.advance(by: .seconds(5)).effects.isEmpty, "nothing happens before the transport connects")
        #expect(driver.handle(.connected).effects == [.send(.hello(WorkerDriver.hello))])
        #expect(driver.advance(by: .milliseconds(900)).effects.isEmpty, "no heartbeat before welcome")
        driver.receive(.welcome(heartbeatInterval: .milliseconds(500), liveness: 3))
        #expect(driver.advance(by: .milliseconds(400)).effects.isEmpty)
        #expect(driver.advance(by: .milliseconds(100)).effects == [.send(.heartbeat(running: [], slots: 2))])
        #expect(driver.advance(by: .milliseconds(500)).effects == [.send(.heartbeat(running: [], slots: 2))])
    }

    @Test func acknowledgesNewLeasesAtOnceWithOneHeartbeatPerBatch() {
        var driver = WorkerDriver(slots: 1)
        driver.welcomed()
        let first = WorkerDriver.lease(1)
        let second = WorkerDriver.lease(2)
        // Two leases in one multipart message: one start, one queued, one acknowledgement.
        let batch = driver.core.handle(
            [.coordinatorMessage(.lease(first)), .coordinatorMessage(.lease(second))], now: driver.now)
        #expect(
            batch.effects == [
                .startTrial(first), .send(.heartbeat(running: [first.ticket, second.ticket], slots: 1)),
            ])
        // A duplicate lease is not acknowledged again.
        #expect(driver.receive(.lease(first)).effects.isEmpty)
    }

    @Test func runsLeasesReportsProgressAndResults() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        #expect(
            driver.receive(.lease(lease)).effects == [
                .startTrial(lease), .send(.heartbeat(running: [lease.ticket], slots: 2)),
            ])
        #expect(driver.receive(.lease(lease)).effects.isEmpty, "a duplicate lease is ignored")
        let progress = TrialProgress(epoch: 1, totalEpochs: 5, values: ["loss": 0.3])
        #expect(
            driver.handle(.trialProgress(lease.ticket, progress)).effects == [.send(.progress(lease.ticket, progress))])
        #expect(
            driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.8)))).effects
                == [.send(.result(lease.ticket, Fixture.metrics(0.8)))])
        #expect(driver.core.running.isEmpty)
        #expect(driver.core.unconfirmedReports == 1)
        driver.receive(.confirm([lease.ticket]))
        #expect(driver.core.unconfirmedReports == 0, "a confirmed report is forgotten")
    }

    @Test func queuesLeasesBeyondItsSlotsAndStartsThemWhenASlotFrees() {
        var driver = WorkerDriver(slots: 1)
        driver.welcomed()
        let first = WorkerDriver.lease(1)
        driver.receive(.lease(first))
        let extra = WorkerDriver.lease(2)
        let queued = driver.receive(.lease(extra))
        #expect(queued.sent == [.heartbeat(running: [first.ticket, extra.ticket], slots: 1)])
        #expect(!queued.effects.contains(.startTrial(extra)))
        let done = driver.handle(.trialCompleted(first.ticket, .finished(Fixture.metrics(0.5))))
        #expect(done.effects.contains(.startTrial(extra)))
        #expect(driver.core.running.map(\.ticket) == [extra.ticket])
    }

    @Test func honoursCancelAndIgnoresTheCancelledAttemptsCompletion() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        #expect(driver.receive(.cancel(lease.ticket, reason: "timed out")).effects == [.cancelTrial(lease.ticket)])
        #expect(driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(1)))).effects.isEmpty)
        #expect(driver.advance(by: .seconds(1)).sent == [.heartbeat(running: [], slots: 2)])
    }

    @Test func reconnectsAfterThreeSilentIntervalsAndReattachesWithRunningAndUnreportedLeases() {
        var driver = WorkerDriver()
        driver.welcomed()
        let first = WorkerDriver.lease(1)
        let second = WorkerDriver.lease(2)
        driver.receive(.lease(first))
        driver.receive(.lease(second))
        driver.advance(by: .seconds(1))
        driver.advance(by: .seconds(1))
        let lost = driver.advance(by: .seconds(1))
        #expect(lost.effects == [.reconnect])
        #expect(driver.core.connection == .reconnecting)

        // While reconnecting, a completed attempt's report is held, not sent.
        #expect(driver.handle(.trialCompleted(first.ticket, .finished(Fixture.metrics(0.4)))).sent.isEmpty)
        let reattach = driver.handle(.connected)
        #expect(
            reattach.sent == [.reattach(WorkerDriver.hello, running: [first.ticket, second.ticket], leasesThrough: 2)])
        // The welcome flushes the held report.
        let welcome = driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3))
        #expect(welcome.sent == [.result(first.ticket, Fixture.metrics(0.4))])
        #expect(driver.core.connection == .connected)
    }

    @Test func anUnconfirmedReportIsSentAgainAfterReattachingHoweverOld() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let report = WorkerMessage.result(lease.ticket, Fixture.metrics(0.4))
        #expect(driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4)))).sent.contains(report))
        // The coordinator keeps talking for longer than the liveness window without confirming,
        // then goes silent (it never made the result durable).
        for _ in 0..<5 {
            driver.receive(.heartbeat)
            driver.advance(by: .seconds(1))
        }
        driver.advance(by: .seconds(1))
        #expect(driver.advance(by: .seconds(1)).effects.contains(.reconnect))
        // The reattach lists the report's ticket, and the welcome sends the report again.
        #expect(
            driver.handle(.connected).sent == [
                .reattach(WorkerDriver.hello, running: [lease.ticket], leasesThrough: 1)
            ])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent == [report])
    }

    @Test func aConfirmedReportIsNotSentAgain() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4))))
        driver.receive(.confirm([lease.ticket]))
        driver.advance(by: .seconds(1))
        driver.advance(by: .seconds(1))
        #expect(driver.advance(by: .seconds(1)).effects.contains(.reconnect))
        #expect(driver.handle(.connected).sent == [.reattach(WorkerDriver.hello, running: [], leasesThrough: 1)])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent.isEmpty)
    }

    @Test func aRestartedCoordinatorGetsUnconfirmedReportsAgain() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let report = WorkerMessage.result(lease.ticket, Fixture.metrics(0.4))
        driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4))))
        let reject = driver.receive(.reject(Rejection(code: .unknownWorker, message: "restarted")))
        #expect(reject.sent == [.reattach(WorkerDriver.hello, running: [lease.ticket], leasesThrough: 1)])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent == [report])
    }

    @Test func reattachesOncePerRegistrationHoweverManyRejectionsArrive() {
        var driver = WorkerDriver()
        driver.welcomed()
        driver.receive(.lease(WorkerDriver.lease(1)))
        // After a SIGSTOP the coordinator answers each queued heartbeat with unknownWorker.
        let first = driver.receive(.reject(Rejection(code: .unknownWorker, message: "declared lost")))
        #expect(first.sent.map(\.kind) == ["reattach"])
        for _ in 0..<5 {
            #expect(driver.receive(.reject(Rejection(code: .unknownWorker, message: "declared lost"))).sent.isEmpty)
        }
        driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3))
        // Once welcomed, a new unknownWorker means the coordinator forgot it again.
        #expect(
            driver.receive(.reject(Rejection(code: .unknownWorker, message: "restarted"))).sent.map(\.kind) == [
                "reattach"
            ])
    }

    @Test func reconnectsAgainWhenTheWelcomeNeverComesSayingWhatToCheck() {
        var driver = WorkerDriver()
        driver.handle(.connected)
        let first = driver.advance(by: .seconds(3))
        #expect(first.effects == [.reconnect])
        let warnings = first.compactMap { action -> String? in
            if case .log(.warning, let text, _) = action { return text }
            return nil
        }
        #expect(warnings.contains { $0.contains("no answer from tcp://coordinator:5555") && $0.contains("--server-key") })
        #expect(!warnings.contains { $0.contains("coordinator lost") })
        #expect(driver.advance(by: .seconds(3)).effects == [.reconnect])
    }

    @Test func givesUpWithAnErrorWhenNoCoordinatorEverAnswers() {
        var driver = WorkerDriver(giveUpAfter: .seconds(10))
        driver.handle(.connected)
        var exit: WorkerExit?
        for _ in 0..<10 {
            for action in driver.advance(by: .seconds(1)) {
                if case .exit(let how) = action { exit = how }
            }
        }
        guard case .unreachable(let text)? = exit else {
            Issue.record("expected an unreachable exit, got \(String(describing: exit))")
            return
        }
        #expect(text.contains("no answer from tcp://coordinator:5555 in 10.0 seconds"))
        #expect(driver.core.hasExited)
    }

    @Test func aWelcomedWorkerNeverGivesUpOnALostCoordinator() {
        var driver = WorkerDriver(giveUpAfter: .seconds(10))
        driver.welcomed()
        for _ in 0..<60 {
            #expect(!driver.advance(by: .seconds(1)).contains { if case .exit = $0 { true } else { false } })
        }
    }

    @Test func waitsAndRegistersAgainWhenItsIdIsInUseOrTheTableIsFull() {
        for code in [Rejection.Code.workerIDInUse, .coordinatorFull] {
            var driver = WorkerDriver()
            driver.handle(.connected)
            #expect(driver.receive(.reject(Rejection(code: code, message: "not now"))).sent.isEmpty)
            #expect(!driver.core.hasExited)
            #expect(driver.advance(by: .milliseconds(2900)).sent.isEmpty)
            #expect(driver.advance(by: .milliseconds(100)).sent == [.hello(WorkerDriver.hello)], "\(code)")
        }
    }

    @Test func neverListsMoreThanTheWireAllowsEvenIfACoordinatorOverleases() throws {
        // A broken coordinator sends 3,000 leases and never confirms a result (the case that
        // killed workers: 1,831 tickets against a limit of 1,024).
        var driver = WorkerDriver(slots: 8)
        driver.welcomed()
        for number in 1...3000 { driver.receive(.lease(WorkerDriver.lease(number))) }
        for _ in 0..<2000 {
            guard let ticket = driver.core.running.first?.ticket else { break }
            driver.handle(.trialCompleted(ticket, .finished(Fixture.metrics(0.5))))
        }
        #expect(driver.core.unconfirmedReports > 1024)
        let lost = driver.receive(.reject(Rejection(code: .unknownWorker, message: "restarted")))
        guard case .reattach(_, let running, _)? = lost.sent.first else {
            Issue.record("expected a reattach, got \(lost.sent.map(\.kind))")
            return
        }
        #expect(running.count == 1024)
        for message in lost.sent { _ = try WireCodec().encode(message) }
        #expect(!driver.core.hasExited)
        // The heartbeat after the welcome fits too.
        driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3))
        for message in driver.advance(by: .seconds(1)).sent { _ = try WireCodec().encode(message) }
    }

    @Test func exitsWhenRejectedForItsVersionCancellingItsWork() {
        var driver = WorkerDriver()
        driver.handle(.connected)
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let rejection = Rejection(code: .versionMismatch, message: "worker speaks 1, coordinator 2")
        #expect(
            driver.receive(.reject(rejection)).effects == [.cancelTrial(lease.ticket), .exit(.rejected(rejection))])
        #expect(driver.core.hasExited)
        #expect(driver.advance(by: .seconds(10)).isEmpty)
    }

    @Test func keepsWorkingAfterAMalformedMessageRejection() {
        var driver = WorkerDriver()
        driver.welcomed()
        #expect(driver.receive(.reject(Rejection(code: .malformedMessage, message: "bad frame"))).effects.isEmpty)
        #expect(!driver.core.hasExited)
    }

    @Test func drainsOnShutdownFinishingRunningAttemptsAndHandingBackUnstartedLeases() {
        var driver = WorkerDriver()
        driver.welcomed()
        let running = WorkerDriver.lease(1)
        driver.receive(.lease(running))
        let drain = driver.handle(.shutdownRequested)
        #expect(drain.sent == [.heartbeat(running: [running.ticket], slots: 0)], "slots drop to 0 at once")
        let late = WorkerDriver.lease(2)
        #expect(driver.receive(.lease(late)).effects.isEmpty, "a lease arriving while draining is not started")
        let done = driver.handle(.trialCompleted(running.ticket, .finished(Fixture.metrics(0.7))))
        #expect(
            done.effects == [
                .send(.result(running.ticket, Fixture.metrics(0.7))), .send(.goodbye(returning: [late.ticket])),
                .exit(.completed),
            ])
    }

    @Test func drainTimeoutCancelsAndHandsBackWhatStillRuns() {
        var driver = WorkerDriver(drainTimeout: .seconds(2))
        driver.welcomed()
        let running = WorkerDriver.lease(1)
        driver.receive(.lease(running))
        driver.receive(.shutdown)
        driver.receive(.heartbeat)
        #expect(
            driver.advance(by: .milliseconds(1500)).effects == [.send(.heartbeat(running: [running.ticket], slots: 0))])
        driver.receive(.heartbeat)
        let end = driver.advance(by: .milliseconds(500))
        #expect(
            end.effects == [
                .cancelTrial(running.ticket), .send(.goodbye(returning: [running.ticket])), .exit(.completed),
            ])
    }

    @Test func coordinatorShutdownWithNothingRunningSaysGoodbyeAtOnce() {
        var driver = WorkerDriver()
        driver.welcomed()
        #expect(
            driver.receive(.shutdown).effects == [
                .send(.heartbeat(running: [], slots: 0)), .send(.goodbye(returning: [])), .exit(.completed),
            ])
    }

    @Test func longFailureMessagesAreCutToTheLimit() {
        var core = WorkerCore(
            configuration: WorkerCore.Configuration(hello: Fixture.hello("w1"), maxFailureMessageBytes: 64))
        _ = core.handle(.connected, now: .zero)
        _ = core.handle(.coordinatorMessage(.welcome(heartbeatInterval: .seconds(1), liveness: 3)), now: .zero)
        let lease = WorkerDriver.lease(1)
        _ = core.handle(.coordinatorMessage(.lease(lease)), now: .zero)
        let failure = TrialFailure(kind: .deterministic, message: String(repeating: "é", count: 500))
        let sent = core.handle(.trialCompleted(lease.ticket, .failed(failure)), now: .zero).sent
        guard case .failure(_, let cut)? = sent.first else {
            Issue.record("expected a failure report")
            return
        }
        #expect(cut.message.utf8.count <= 64 && cut.message.hasSuffix("(truncated)") && cut.kind == .deterministic)
        #expect(throws: Never.self) { try WireCodec().encode(sent[0]) }
    }
}
