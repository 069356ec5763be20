import Sweep
import SweepWire
import Testing

/// Drives a `WorkerCore` with a manual clock.
struct WorkerDriver {
    var core: WorkerCore
    var now: ProtocolInstant = .zero

    init(slots: Int = 2, drainTimeout: Duration = .seconds(10)) {
        core = WorkerCore(
            configuration: WorkerCore.Configuration(
                hello: Fixture.hello("w1", slots: slots), drainTimeout: drainTimeout))
    }

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
        #expect(driver.handle(.connected).effects == [.send(.hello(Fixture.hello("w1", slots: 2)))])
        #expect(driver.advance(by: .milliseconds(900)).effects.isEmpty, "no heartbeat before welcome")
        driver.receive(.welcome(heartbeatInterval: .milliseconds(500), liveness: 3))
        #expect(driver.advance(by: .milliseconds(400)).effects.isEmpty)
        #expect(driver.advance(by: .milliseconds(100)).effects == [.send(.heartbeat(running: [], slots: 2))])
        #expect(driver.advance(by: .milliseconds(500)).effects == [.send(.heartbeat(running: [], slots: 2))])
    }

    @Test func runsLeasesReportsProgressAndResults() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        #expect(driver.receive(.lease(lease)).effects == [.startTrial(lease)])
        #expect(driver.receive(.lease(lease)).effects.isEmpty, "a duplicate lease is ignored")
        let progress = TrialProgress(epoch: 1, totalEpochs: 5, values: ["loss": 0.3])
        #expect(
            driver.handle(.trialProgress(lease.ticket, progress)).effects == [.send(.progress(lease.ticket, progress))])
        #expect(
            driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.8)))).effects
                == [.send(.result(lease.ticket, Fixture.metrics(0.8)))])
        #expect(driver.core.running.isEmpty)
    }

    @Test func queuesLeasesBeyondItsSlotsAndStartsThemWhenASlotFrees() {
        var driver = WorkerDriver(slots: 1)
        driver.welcomed()
        let first = WorkerDriver.lease(1)
        driver.receive(.lease(first))
        let extra = WorkerDriver.lease(2)
        let queued = driver.receive(.lease(extra))
        #expect(queued.sent.isEmpty, "a lease beyond the slots is queued, not refused")
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
        #expect(reattach.sent == [.reattach(Fixture.hello("w1", slots: 2), running: [second.ticket, first.ticket])])
        // The welcome flushes the held report.
        let welcome = driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3))
        #expect(welcome.sent == [.result(first.ticket, Fixture.metrics(0.4))])
        #expect(driver.core.connection == .connected)
    }

    @Test func aReportSentJustBeforeTheCoordinatorIsLostIsSentAgainAfterReattaching() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let report = WorkerMessage.result(lease.ticket, Fixture.metrics(0.4))
        #expect(driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4)))).sent.contains(report))
        // The connection dies with the report possibly in it: nothing more is heard.
        driver.advance(by: .seconds(1))
        driver.advance(by: .seconds(1))
        #expect(driver.advance(by: .seconds(1)).effects.contains(.reconnect))
        // The reattach keeps the lease current, and the welcome sends the report again.
        #expect(driver.handle(.connected).sent == [.reattach(Fixture.hello("w1", slots: 2), running: [lease.ticket])])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent == [report])
    }

    @Test func aReportOlderThanTheLivenessWindowIsNotSentAgain() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4))))
        // The coordinator keeps talking for longer than the liveness window, then goes silent.
        for _ in 0..<4 {
            driver.receive(.heartbeat)
            driver.advance(by: .seconds(1))
        }
        // Last heard 1 s ago; lost 3 s after it.
        driver.advance(by: .seconds(1))
        #expect(driver.advance(by: .seconds(1)).effects.contains(.reconnect))
        #expect(driver.handle(.connected).sent == [.reattach(Fixture.hello("w1", slots: 2), running: [])])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent.isEmpty)
    }

    @Test func aRestartedCoordinatorGetsRecentReportsAgain() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let report = WorkerMessage.result(lease.ticket, Fixture.metrics(0.4))
        driver.handle(.trialCompleted(lease.ticket, .finished(Fixture.metrics(0.4))))
        let reject = driver.receive(.reject(Rejection(code: .unknownWorker, message: "restarted")))
        #expect(reject.sent == [.reattach(Fixture.hello("w1", slots: 2), running: [lease.ticket])])
        #expect(driver.receive(.welcome(heartbeatInterval: .seconds(1), liveness: 3)).sent == [report])
    }

    @Test func reconnectsAgainWhenTheWelcomeNeverComes() {
        var driver = WorkerDriver()
        driver.handle(.connected)
        #expect(driver.advance(by: .seconds(3)).effects == [.reconnect])
        #expect(driver.advance(by: .seconds(3)).effects == [.reconnect])
    }

    @Test func reattachesWhenTheCoordinatorNoLongerKnowsIt() {
        var driver = WorkerDriver()
        driver.welcomed()
        let lease = WorkerDriver.lease(1)
        driver.receive(.lease(lease))
        let reject = driver.receive(.reject(Rejection(code: .unknownWorker, message: "restarted")))
        #expect(reject.sent == [.reattach(Fixture.hello("w1", slots: 2), running: [lease.ticket])])
        #expect(driver.core.connection == .awaitingWelcome)
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
