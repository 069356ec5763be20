import Sweep
import SweepWire
import Testing

@Suite("CoordinatorCore: graceful shutdown")
struct CoordinatorShutdownTests {
    let w1: WorkerID = "w1"
    let w2: WorkerID = "w2"

    func drainingDriver() -> (CoordinatorDriver, LeaseTicket, LeaseTicket) {
        var configuration = CoordinatorCore.Configuration()
        configuration.drainTimeout = .seconds(5)
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 4), configuration: configuration)
        driver.join(Fixture.hello(w1, slots: 2))
        return (driver, driver.ticket(Fixture.trialID(1))!, driver.ticket(Fixture.trialID(2))!)
    }

    @Test func stopsLeasingTellsWorkersAndAbandonsStragglersAtTheDrainDeadline() {
        var (driver, first, second) = drainingDriver()
        driver.now = driver.now + .seconds(1)
        let shutdown = driver.handle(.shutdownRequested)
        #expect(shutdown.messages(to: "w1") == [.shutdown])
        #expect(shutdown.persisted.count == 1)
        #expect(driver.core.phase == .draining(until: ProtocolInstant.zero + .seconds(6)))

        // A running attempt may still report and counts; its slot is not refilled.
        let reported = driver.message("w1", .result(first, Fixture.metrics(0.5)))
        #expect(
            reported.persisted == [
                .trialFinished(trial: first.trial, attempt: 1, metrics: Fixture.metrics(0.5), worker: w1)
            ])
        #expect(reported.leases.isEmpty && reported.summaries.isEmpty)
        // New workers are turned away.
        let newcomer = driver.message("w2", .hello(Fixture.hello(w2)))
        #expect(
            newcomer.messages(to: "w2") == [
                .reject(Rejection(code: .shuttingDown, message: "the coordinator is shutting down"))
            ])

        // At the deadline the straggler is cancelled and returned, then the sweep ends.
        #expect(driver.run(for: .milliseconds(4500), heartbeatsFrom: [w1]).summaries.isEmpty)
        let end = driver.run(for: .milliseconds(500), heartbeatsFrom: [w1])
        #expect(end.messages(to: "w1").contains { if case .cancel(second, _) = $0 { true } else { false } })
        #expect(
            end.persisted.first
                == .trialReturned(
                    trial: second.trial, attempt: 1, reason: "the coordinator shut down before attempt 1 reported"))
        #expect(
            end.summaries == [
                SweepSummary(
                    outcome: .interrupted, total: 4, finished: 1, failed: 0, unfinished: 3, duplicateResults: 0)
            ])
        #expect(driver.core.phase == .finished)
        #expect(driver.store.record(second.trial)?.state == .pending)
        #expect(driver.store.record(second.trial)?.infrastructureFailures == 0)

        // Afterwards: nothing persisted, every message answered with shutdown.
        let late = driver.message("w1", .result(second, Fixture.metrics(1)))
        #expect(late.effects == [.send("w1", .shutdown)])
        #expect(driver.advance(by: .seconds(10)).effects.isEmpty)
    }

    @Test func finishesAsSoonAsTheLastRunningAttemptReports() {
        var (driver, first, second) = drainingDriver()
        driver.handle(.shutdownRequested)
        driver.message("w1", .result(first, Fixture.metrics(0.5)))
        let last = driver.message("w1", .failure(second, TrialFailure(kind: .deterministic, message: "bad rank")))
        #expect(last.summaries.map(\.outcome) == [.interrupted])
        #expect(last.summaries.first?.unfinished == 2)
        #expect(last.messages(to: "w1") == [.confirm([second])], "shutdown was already sent")
    }

    @Test func goodbyeHandsBackAttemptsWithoutSpendingTheRetryBudget() {
        var (driver, first, second) = drainingDriver()
        driver.handle(.shutdownRequested)
        let goodbye = driver.message("w1", .goodbye(returning: [first, second]))
        #expect(
            goodbye.persisted.prefix(3) == [
                .trialReturned(trial: first.trial, attempt: 1, reason: "worker w1 handed attempt 1 back on shutdown"),
                .trialReturned(trial: second.trial, attempt: 1, reason: "worker w1 handed attempt 1 back on shutdown"),
                .workerLost(w1, reason: "said goodbye"),
            ])
        #expect(goodbye.summaries.map(\.outcome) == [.interrupted])
        #expect(driver.store.trials.allSatisfy { $0.state == .pending && $0.infrastructureFailures == 0 })
    }

    @Test func goodbyeWhileRunningReleasesSlotsToOtherWorkers() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.join(Fixture.hello(w1, slots: 2))
        driver.join(Fixture.hello(w2, slots: 2))
        let first = driver.ticket(Fixture.trialID(1))!
        // w1 returns one attempt and forgets the other: the forgotten one is an infrastructure failure.
        let goodbye = driver.message("w1", .goodbye(returning: [first]))
        #expect(goodbye.persisted.failures.map(\.trial) == [Fixture.trialID(2)])
        // w2 has not acknowledged a lease yet (it had none): one lease on probation, then the other.
        #expect(goodbye.leases(to: "w2").map(\.ticket.attempt) == [2])
        let acknowledged = driver.acknowledge(Fixture.hello(w2, slots: 2))
        #expect(acknowledged.leases(to: "w2").map(\.ticket.attempt) == [2])
    }

    @Test func shutdownBeforeTheStoreLoadsFinishesAtOnce() {
        var core = CoordinatorCore()
        let actions = core.handle(.shutdownRequested, now: .zero)
        #expect(actions.summaries.map(\.outcome) == [.interrupted])
        #expect(core.handle(.storeLoaded(Fixture.snapshot(trials: 1)), now: .zero).persisted.isEmpty)
    }
}
