import Sweep
import SweepWire
import Testing

@Suite("CoordinatorCore: leases, liveness, retries, duplicates")
struct CoordinatorCoreTests {
    let w1: WorkerID = "w1"
    let w2: WorkerID = "w2"

    @Test func leasesPersistingBeforeSendingAndConfirmsResultsBeforeTheNextLease() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 5))
        let hello = Fixture.hello(w1, slots: 2)
        let joined = driver.message("w1", .hello(hello))

        let t1 = LeaseTicket(trial: Fixture.trialID(1), attempt: 1, epoch: 1)
        let t2 = LeaseTicket(trial: Fixture.trialID(2), attempt: 1, epoch: 2)
        let t3 = LeaseTicket(trial: Fixture.trialID(3), attempt: 1, epoch: 3)
        func lease(_ ticket: LeaseTicket, _ number: Int) -> CoordinatorMessage {
            .lease(TrialLease(ticket: ticket, config: Fixture.config(number), dataset: "synthetic:v1", timeout: .seconds(3600)))
        }
        // A new worker starts with one lease (slow start), whatever its slots.
        #expect(
            joined.effects == [
                .persist(.workerJoined(hello, principal: Fixture.principal(hello))),
                .send("w1", .welcome(heartbeatInterval: .seconds(1), liveness: 3)),
                .persist(.trialLeased(t1, worker: w1)),
                .send("w1", lease(t1, 1)),
            ])
        // Acknowledging it raises the allowance: the second slot fills.
        let acknowledged = driver.message("w1", .heartbeat(running: [t1], slots: 2))
        #expect(acknowledged.effects == [.persist(.trialLeased(t2, worker: w1)), .send("w1", lease(t2, 2))])

        // A result is persisted, then confirmed, then its slot leased again: the confirm goes out
        // before the lease that reuses the slot.
        let afterResult = driver.message("w1", .result(t1, Fixture.metrics(0.9)))
        #expect(
            afterResult.effects == [
                .persist(.trialFinished(trial: t1.trial, attempt: 1, metrics: Fixture.metrics(0.9), worker: w1)),
                .send("w1", .confirm([t1])),
                .persist(.trialLeased(t3, worker: w1)),
                .send("w1", lease(t3, 3)),
            ])

        // A heartbeat announcing more slots pulls more work; one announcing the same pulls none.
        #expect(driver.message("w1", .heartbeat(running: [t2, t3], slots: 2)).leases.isEmpty)
        let more = driver.message("w1", .heartbeat(running: [t2, t3], slots: 3))
        #expect(more.leases(to: "w1").map(\.ticket.trial) == [Fixture.trialID(4)])
        #expect(driver.core.workerStatuses.first?.leases.count == 3)
    }

    @Test func slowStartDoublesTheAllowanceEachRoundTripOfAcknowledgements() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 100))
        driver.message("w1", .hello(Fixture.hello(w1, slots: 64)))
        var held: [Int] = []
        for _ in 0..<7 {
            let leases = driver.core.workerStatuses.first!.leases
            held.append(leases.count)
            driver.message("w1", .heartbeat(running: leases, slots: 64))
        }
        #expect(held == [1, 3, 7, 15, 31, 63, 64])
    }

    @Test func shortTrialsArePrefetchedAndLongOnesAreNot() {
        var driver = CoordinatorDriver(
            Fixture.snapshot(trials: 8), configuration: .init(prefetchPerSlot: 1, prefetchBelow: .seconds(1)))
        // No attempt time known yet: one lease per slot.
        #expect(driver.message("w1", .hello(Fixture.hello(w1, slots: 1))).leases.map(\.ticket.trial) == [Fixture.trialID(1)])

        // A 20 ms attempt: trials are short, so the freed slot gets its trial plus one in reserve.
        driver.now = driver.now + .milliseconds(20)
        let t1 = driver.ticket(Fixture.trialID(1))!
        let short = driver.message("w1", .result(t1, Fixture.metrics(0.9)))
        #expect(short.leases.map(\.ticket.trial) == [Fixture.trialID(2), Fixture.trialID(3)])
        #expect(driver.core.workerStatuses.first?.leases.count == 2)

        // A 10 s attempt lifts the weighted mean (0.02 + (10 − 0.02)/8 ≈ 1.27 s) over 1 s: no reserve.
        driver.run(for: .seconds(10), heartbeatsFrom: [w1])
        let long = driver.message("w1", .result(driver.ticket(Fixture.trialID(2))!, Fixture.metrics(0.9)))
        #expect(long.leases.isEmpty, "the worker still holds trial 3 for its one slot")
        let next = driver.message("w1", .result(driver.ticket(Fixture.trialID(3))!, Fixture.metrics(0.9)))
        #expect(next.leases.map(\.ticket.trial) == [Fixture.trialID(4)])
    }

    @Test func logActionsBelowTheConfiguredLevelAreNotProduced() {
        func logLevels(_ level: LogLevel) -> [LogLevel] {
            var driver = CoordinatorDriver(Fixture.snapshot(trials: 3), configuration: .init(prefetchPerSlot: 0, logLevel: level))
            var actions = driver.message("w1", .hello(Fixture.hello(w1)))
            actions += driver.message("w1", .result(driver.ticket(Fixture.trialID(1))!, Fixture.metrics(0.9)))
            return actions.compactMap { if case .log(let level, _, _) = $0 { level } else { nil } }
        }
        let all = logLevels(.trace)
        #expect(all.contains(.debug) && all.contains(.info), "leases log at debug, results at info: \(all)")
        #expect(logLevels(.warning).isEmpty)
        #expect(logLevels(.info).allSatisfy { $0 >= .info } && logLevels(.info).contains(.info))
    }

    @Test func veryShortTrialsGetEightTimesTheReserve() {
        var driver = CoordinatorDriver(
            Fixture.snapshot(trials: 40), configuration: .init(prefetchPerSlot: 1, prefetchBelow: .seconds(1)))
        driver.join(Fixture.hello(w1, slots: 2))
        driver.now = driver.now + .milliseconds(1)
        driver.message("w1", .result(driver.ticket(Fixture.trialID(1))!, Fixture.metrics(0.9)))
        driver.acknowledge(Fixture.hello(w1, slots: 2))
        // Under 10 ms (a hundredth of prefetchBelow): 1 + 8 leases per slot.
        #expect(driver.core.workerStatuses.first?.leases.count == 18)
    }

    @Test func theLastTrialsGoToFreeSlotsOnlyNotIntoReserves() {
        var driver = CoordinatorDriver(
            Fixture.snapshot(trials: 6), configuration: .init(prefetchPerSlot: 1, prefetchBelow: .seconds(1)))
        driver.join(Fixture.hello(w1))
        driver.join(Fixture.hello(w2))
        driver.now = driver.now + .milliseconds(20)
        // Trials are short and 4 are pending (more than the 2 reserve places): w1's freed slot gets a
        // trial and a reserve, and w2 a reserve behind its running trial.
        let first = driver.message("w1", .result(driver.ticket(Fixture.trialID(1))!, Fixture.metrics(0.9)))
        #expect(first.leases(to: "w1").map(\.ticket.trial) == [Fixture.trialID(3), Fixture.trialID(4)])
        #expect(first.leases(to: "w2").map(\.ticket.trial) == [Fixture.trialID(5)])
        // One trial is left, and it would fit in a reserve: it goes to a free slot only. w2's freed
        // slot is taken by its reserve (trial 5), so trial 6 waits for whichever slot frees next.
        let second = driver.message("w2", .result(driver.ticket(Fixture.trialID(2))!, Fixture.metrics(0.9)))
        #expect(second.leases.isEmpty)
        #expect(driver.ticket(Fixture.trialID(6)) == nil)
        let third = driver.message("w2", .result(driver.ticket(Fixture.trialID(5))!, Fixture.metrics(0.9)))
        #expect(third.leases(to: "w2").map(\.ticket.trial) == [Fixture.trialID(6)])
    }

    @Test func prefetchZeroNeverLeasesBeyondSlots() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 6), configuration: .init(prefetchPerSlot: 0))
        driver.join(Fixture.hello(w1, slots: 2))
        for _ in 0..<3 {
            let running = driver.core.workerStatuses.first!.leases
            driver.message("w1", .result(running[0], Fixture.metrics(0.9)))
            #expect(driver.core.workerStatuses.first!.leases.count == 2)
        }
    }

    @Test func onlyTrialsOfAnnouncedModelsAreLeased() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 4, models: ["mf", "als"]))
        let actions = driver.join(Fixture.hello(w1, slots: 4, models: ["als"]))
        #expect(actions.leases.map(\.config.model) == ["als", "als"])
        #expect(actions.leases.map(\.ticket.trial) == [Fixture.trialID(2), Fixture.trialID(4)])
    }

    @Test func heartbeatsFlowAndWakeUpsAreScheduled() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        let joined = driver.message("w1", .hello(Fixture.hello(w1)))
        #expect(joined.wakeUps == [ProtocolInstant.zero + .seconds(1)])
        let tick = driver.advance(by: .seconds(1))
        #expect(tick.messages(to: "w1") == [.heartbeat])
        #expect(tick.wakeUps == [ProtocolInstant.zero + .seconds(2)])
        #expect(driver.advance(by: .milliseconds(500)).messages(to: "w1").isEmpty)
    }

    @Test func lostWorkerTrialsReturnToPendingWithNextAttemptAndGoToAnotherWorker() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 3))
        driver.join(Fixture.hello(w1))
        driver.join(Fixture.hello(w2))
        let lostTicket = driver.ticket(Fixture.trialID(1))!
        #expect(lostTicket == LeaseTicket(trial: Fixture.trialID(1), attempt: 1, epoch: 1))

        // w2 keeps heartbeating; w1 goes silent. Not lost after 2.5 s, lost at 3 s.
        #expect(driver.run(for: .milliseconds(2500), heartbeatsFrom: [w2]).persisted.isEmpty)
        #expect(driver.core.workerStatuses.map(\.id) == [w1, w2])
        let loss = driver.run(for: .milliseconds(500), heartbeatsFrom: [w2])
        #expect(driver.core.workerStatuses.map(\.id) == [w2])
        #expect(loss.persisted.contains { if case .workerLost(self.w1, _) = $0 { true } else { false } })
        let failure = try! #require(loss.persisted.failures.first)
        #expect(failure.trial == Fixture.trialID(1) && failure.attempt == 1 && failure.willRetry)
        #expect(failure.failure.kind == .infrastructure && failure.failure.message.contains("lost"))

        // When w2's slot frees up, the lost trial (earliest in order) goes to w2 as attempt 2.
        let w2Ticket = driver.ticket(Fixture.trialID(2))!
        let next = driver.message("w2", .result(w2Ticket, Fixture.metrics(1)))
        #expect(next.leases(to: "w2").map(\.ticket) == [LeaseTicket(trial: Fixture.trialID(1), attempt: 2, epoch: 3)])
        #expect(driver.store.record(Fixture.trialID(1))?.infrastructureFailures == 1)
    }

    @Test func aWorkerLostBeforeAcknowledgingItsLeaseCostsTheTrialNothing() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        driver.message("w1", .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        let loss = driver.run(for: .seconds(3))
        #expect(loss.persisted.failures.isEmpty)
        #expect(
            loss.persisted.contains {
                if case .trialReturned(ticket.trial, 1, let reason) = $0 { reason.contains("never acknowledged") } else { false }
            })
        #expect(driver.store.record(Fixture.trialID(1))?.infrastructureFailures == 0)
        #expect(driver.store.record(Fixture.trialID(1))?.state == .pending)
    }

    @Test func hungTrialOfALiveWorkerTimesOutIsCancelledAndRetried() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1, timeout: .seconds(10)))
        driver.message("w1", .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        driver.message("w1", .progress(ticket, TrialProgress(epoch: 1, totalEpochs: 10, values: ["loss": 0.5])))

        #expect(driver.run(for: .milliseconds(9500), heartbeatsFrom: [w1]).persisted.failures.isEmpty)
        let timeout = driver.run(for: .milliseconds(500), heartbeatsFrom: [w1])
        let messages = timeout.messages(to: "w1")
        let cancelIndex = try! #require(messages.firstIndex { if case .cancel(ticket, _) = $0 { true } else { false } })
        let leaseIndex = try! #require(messages.firstIndex { if case .lease = $0 { true } else { false } })
        #expect(cancelIndex < leaseIndex, "cancel goes out before the retry's lease")
        #expect(timeout.leases(to: "w1").map(\.ticket) == [LeaseTicket(trial: Fixture.trialID(1), attempt: 2, epoch: 2)])
        let failure = try! #require(timeout.persisted.failures.first)
        #expect(failure.failure.kind == .infrastructure && failure.willRetry)
        #expect(failure.failure.message.contains("timed out after 10.0 seconds"))
        #expect(driver.core.workerStatuses.map(\.id) == [w1], "the worker itself is not lost")
    }

    @Test func retryBudgetExhaustionFailsTheTrialForGood() {
        var configuration = CoordinatorCore.Configuration()
        configuration.retryLimit = 1
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1), configuration: configuration)
        driver.message("w1", .hello(Fixture.hello(w1)))
        let first = driver.ticket(Fixture.trialID(1))!
        let retry = driver.message(
            "w1", .failure(first, TrialFailure(kind: .infrastructure, message: "out of memory while loading")))
        #expect(retry.persisted.failures.map(\.willRetry) == [true])
        #expect(retry.persisted.failures.first?.failure.message == "out of memory while loading")
        let second = try! #require(retry.leases(to: "w1").first?.ticket)
        #expect(second.attempt == 2)

        // The second infrastructure failure (the worker is lost while running it) spends the budget.
        driver.message("w1", .heartbeat(running: [second], slots: 1))
        let lost = driver.run(for: .seconds(3))
        let final = try! #require(lost.persisted.failures.first)
        #expect(final.attempt == 2 && !final.willRetry && final.failure.kind == .infrastructure)
        #expect(final.failure.message.contains("retry budget exhausted after 2 infrastructure failure(s)"))
        #expect(
            lost.summaries == [
                SweepSummary(outcome: .completed, total: 1, finished: 0, failed: 1, unfinished: 0, duplicateResults: 0)
            ])
        guard case .failed(2, let failure) = driver.store.record(Fixture.trialID(1))?.state else {
            Issue.record("trial should have failed for good")
            return
        }
        #expect(failure == final.failure)
        // A new worker gets nothing, and hears that the sweep is over.
        #expect(driver.message("w2", .hello(Fixture.hello(w2))).effects == [.send("w2", .shutdown)])
    }

    @Test func aLateResultFromAForgottenConnectionIsRefusedAndAResendAfterReattachIsADuplicate() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        driver.join(Fixture.hello(w1))
        driver.join(Fixture.hello(w2))
        let stale = driver.ticket(Fixture.trialID(1))!
        driver.run(for: .seconds(3), heartbeatsFrom: [w2])
        let current = try! #require(driver.ticket(Fixture.trialID(1)))
        #expect(current.epoch > stale.epoch && current.attempt == 2)

        // w1 comes back from the dead with its old result on its old connection: it is not
        // registered any more, so nothing is recorded and it is asked to re-attach.
        let late = driver.message("w1", .result(stale, Fixture.metrics(0.1)))
        #expect(late.persisted.isEmpty)
        #expect(late.messages(to: "w1").map(\.kind) == ["reject"])
        // It re-attaches listing the stale lease (cancelled) and sends the result again: recorded
        // as a duplicate, confirmed, never counted.
        let reattach = driver.message("w1", .reattach(Fixture.hello(w1), running: [stale], leasesThrough: stale.epoch))
        #expect(reattach.messages(to: "w1").contains { if case .cancel(stale, _) = $0 { true } else { false } })
        let resent = driver.message("w1", .result(stale, Fixture.metrics(0.1)))
        #expect(resent.persisted == [.duplicateResult(stale, worker: w1, metrics: Fixture.metrics(0.1))])
        #expect(resent.messages(to: "w1") == [.confirm([stale])])
        #expect(driver.store.record(Fixture.trialID(1))?.state == .running(current, worker: w2))

        let counted = driver.message("w2", .result(current, Fixture.metrics(0.2)))
        #expect(
            counted.persisted.first
                == .trialFinished(trial: current.trial, attempt: 2, metrics: Fixture.metrics(0.2), worker: w2))
        #expect(driver.persisted.finishedCount(Fixture.trialID(1)) == 1)
        #expect(counted.summaries.first?.duplicateResults == 1)
    }

    @Test func resultForAFinishedTrialIsADuplicate() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.message("w1", .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        driver.message("w1", .result(ticket, Fixture.metrics(0.5)))
        let again = driver.message("w1", .result(ticket, Fixture.metrics(0.7)))
        #expect(again.persisted == [.duplicateResult(ticket, worker: w1, metrics: Fixture.metrics(0.7))])
        #expect(again.leases.isEmpty)
        #expect(driver.persisted.finishedCount(Fixture.trialID(1)) == 1)
        #expect(driver.store.record(Fixture.trialID(1))?.state == .finished(attempt: 1, worker: w1))
        // A result from another worker with the right ticket does not count either.
        let other = driver.ticket(Fixture.trialID(2))!
        driver.message("w2", .hello(Fixture.hello(w2)))
        #expect(
            driver.message("w2", .result(other, Fixture.metrics(1))).persisted == [.duplicateResult(other, worker: w2, metrics: Fixture.metrics(1))])
    }

    @Test func reattachKeepsStillValidLeasesCancelsStaleOnesAndFailsForgottenOnes() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 4))
        driver.join(Fixture.hello(w1, slots: 2))
        let kept = driver.ticket(Fixture.trialID(1))!
        let forgotten = driver.ticket(Fixture.trialID(2))!
        let bogus = LeaseTicket(trial: Fixture.trialID(3), attempt: 1, epoch: 77)
        driver.run(for: .milliseconds(1500))

        let reattach = driver.message(
            "w1", .reattach(Fixture.hello(w1, slots: 2), running: [kept, bogus], leasesThrough: forgotten.epoch))
        let messages = reattach.messages(to: "w1")
        #expect(messages.first == .welcome(heartbeatInterval: .seconds(1), liveness: 3))
        #expect(messages.contains { if case .cancel(bogus, _) = $0 { true } else { false } })
        #expect(!messages.contains { if case .cancel(kept, _) = $0 { true } else { false } })
        #expect(!reattach.persisted.contains { if case .workerJoined = $0 { true } else { false } })
        #expect(reattach.persisted.failures.map(\.trial) == [forgotten.trial])
        // The forgotten trial's retry goes out after the cancel (it is earliest in order).
        #expect(reattach.leases(to: "w1").map(\.ticket) == [LeaseTicket(trial: forgotten.trial, attempt: 2, epoch: 3)])

        // The kept lease's result counts.
        let result = driver.message("w1", .result(kept, Fixture.metrics(0.3)))
        #expect(
            result.persisted.first
                == .trialFinished(trial: kept.trial, attempt: 1, metrics: Fixture.metrics(0.3), worker: w1))
    }

    @Test func aRestartedProcessUnderAnotherSessionWaitsForTheOldOneToBeLost() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.join(Fixture.hello(w1, pid: 100))
        let old = driver.ticket(Fixture.trialID(1))!
        // Same id, new process (new session), new connection, while the old one is live.
        let early = driver.message("w1-new", .hello(Fixture.hello(w1, pid: 200)))
        #expect(early.persisted.isEmpty)
        guard case .reject(let rejection)? = early.messages(to: "w1-new").first else {
            Issue.record("expected a reject, got \(early.effects)")
            return
        }
        #expect(rejection.code == .workerIDInUse)
        // Once the old process is lost, the new one registers and the trial runs again.
        driver.run(for: .seconds(3))
        let joined = driver.message("w1-new", .hello(Fixture.hello(w1, pid: 200)))
        #expect(joined.leases(to: "w1-new").map(\.ticket) == [LeaseTicket(trial: old.trial, attempt: 2, epoch: 2)])
        #expect(driver.message("w1", .result(old, Fixture.metrics(1))).persisted.isEmpty, "the old connection is nobody")
    }

    @Test func underCurveTheSameKeySupersedesAndANewProcessGivesUpTheOldLeases() {
        var driver = CoordinatorDriver(
            Fixture.snapshot(trials: 2), configuration: .init(prefetchPerSlot: 0, authentication: .curveKeys))
        let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
        driver.message(Peer(connection: "c1", publicKey: key), .hello(Fixture.hello(w1, pid: 100)))
        let old = driver.ticket(Fixture.trialID(1))!
        driver.message(Peer(connection: "c1", publicKey: key), .heartbeat(running: [old], slots: 1))
        let restart = driver.message(Peer(connection: "c2", publicKey: key), .hello(Fixture.hello(w1, pid: 200)))
        #expect(restart.persisted.failures.map(\.attempt) == [1])
        #expect(restart.persisted.failures.first?.failure.message.contains("restarted") == true)
        #expect(restart.leases(to: "c2").map(\.ticket) == [LeaseTicket(trial: old.trial, attempt: 2, epoch: 2)])
        #expect(driver.core.workerStatuses.map(\.connection) == ["c2"])
        // The old connection is nobody now.
        let stale = driver.message(Peer(connection: "c1", publicKey: key), .result(old, Fixture.metrics(1)))
        #expect(stale.persisted.isEmpty && stale.messages(to: "c1").map(\.kind) == ["reject"])
        // Without a key nothing registers.
        let keyless = driver.message("c3", .hello(Fixture.hello(w2)))
        #expect(keyless.persisted.isEmpty && keyless.messages(to: "c3").map(\.kind) == ["reject"])
    }

    @Test func versionMismatchRejectsOnlyThatWorker() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        let rejected = driver.message("w2", .hello(Fixture.hello(w2, protocolVersion: 99)))
        #expect(rejected.persisted.isEmpty)
        guard case .reject(let rejection)? = rejected.messages(to: "w2").first, rejected.messages(to: "w2").count == 1
        else {
            Issue.record("expected exactly one reject, got \(rejected.effects)")
            return
        }
        #expect(rejection.code == .versionMismatch)
        #expect(
            rejection.message.contains("version 99")
                && rejection.message.contains("version \(WireCodec.protocolVersion)"))

        let accepted = driver.join(Fixture.hello(w1, slots: 2))
        #expect(accepted.leases(to: "w1").count == 2)
        #expect(driver.core.workerStatuses.map(\.id) == [w1])
        // The rejected worker's heartbeats are not taken as registration.
        #expect(driver.message("w2", .heartbeat(running: [], slots: 1)).messages(to: "w2").map(\.kind) == ["reject"])
    }

    @Test func aConnectionCarriesOneWorker() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.message("c1", .hello(Fixture.hello(w1)))
        let second = driver.message("c1", .hello(Fixture.hello(w2)))
        guard case .reject(let rejection)? = second.messages(to: "c1").first else {
            Issue.record("expected a reject, got \(second.effects)")
            return
        }
        #expect(rejection.code == .malformedMessage && rejection.message.contains("already worker w1"))
        #expect(driver.core.workerStatuses.map(\.id) == [w1])
    }

    @Test func malformedMessageIsRejectedToThatWorkerOnlyAndChangesNothing() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.message("w1", .hello(Fixture.hello(w1)))
        driver.message("w2", .hello(Fixture.hello(w2)))
        let before = driver.core.snapshot
        let reason: String
        do throws(WireError) {
            _ = try WireCodec().decodeWorkerMessage([WireCodec.frameVersion, 4, 9] + Array("tri".utf8))
            Issue.record("a truncated payload decoded")
            return
        } catch {
            reason = error.description
        }
        let actions = driver.handle(.malformedMessage("w1", reason: reason))
        #expect(actions.effects == [.send("w1", .reject(Rejection(code: .malformedMessage, message: reason)))])
        #expect(reason.contains("'result' payload is malformed"))
        #expect(driver.core.snapshot == before)
        #expect(driver.core.workerStatuses.map(\.leases.count) == [1, 1])
    }

    @Test func deterministicFailureIsFinalAndKeepsItsMessage() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 2))
        driver.message("w1", .hello(Fixture.hello(w1)))
        let ticket = driver.ticket(Fixture.trialID(1))!
        let failure = TrialFailure(kind: .deterministic, message: "diverged: loss is NaN at epoch 3 (lr=0.01)")
        let failed = driver.message("w1", .failure(ticket, failure))
        #expect(
            failed.persisted.first == .trialFailed(trial: ticket.trial, attempt: 1, failure: failure, willRetry: false))
        #expect(failed.leases(to: "w1").map(\.ticket.trial) == [Fixture.trialID(2)], "the next trial, not a retry")
        #expect(driver.store.record(ticket.trial)?.state == .failed(attempt: 1, failure: failure))
        #expect(driver.store.record(ticket.trial)?.infrastructureFailures == 0)

        let done = driver.message("w1", .result(driver.ticket(Fixture.trialID(2))!, Fixture.metrics(1)))
        #expect(
            done.summaries == [
                SweepSummary(outcome: .completed, total: 2, finished: 1, failed: 1, unfinished: 0, duplicateResults: 0)
            ])
        #expect(done.messages(to: "w1").last == .shutdown)
    }

    @Test func unregisteredWorkersAreAskedToReattach() {
        var driver = CoordinatorDriver(Fixture.snapshot(trials: 1))
        let actions = driver.message("w1", .heartbeat(running: [], slots: 1))
        guard case .reject(let rejection)? = actions.messages(to: "w1").first else {
            Issue.record("expected a reject, got \(actions.effects)")
            return
        }
        #expect(rejection.code == .unknownWorker)
        #expect(actions.persisted.isEmpty)
    }

    @Test func restartReturnsRunningTrialsOfUnknownIdentityAndContinuesAboveTheLastEpoch() {
        // Epochs 4 and 5 went to attempts that have ended; the running one holds epoch 3.
        var snapshot = Fixture.snapshot(trials: 3, lastLeaseEpoch: 5)
        let oldTicket = LeaseTicket(trial: Fixture.trialID(1), attempt: 1, epoch: 3)
        snapshot.trials[0].state = .running(oldTicket, worker: "w9")
        snapshot.trials[0].attemptsUsed = 1
        snapshot.trials[1].state = .finished(attempt: 1, worker: "w9")
        snapshot.trials[1].attemptsUsed = 1
        snapshot.trials[2].attemptsUsed = 2
        snapshot.trials[2].infrastructureFailures = 2

        var driver = CoordinatorDriver(snapshot)
        guard case .trialReturned(oldTicket.trial, 1, let reason)? = driver.loadActions.persisted.first else {
            Issue.record("expected the running trial back at once, got \(driver.loadActions.persisted)")
            return
        }
        #expect(reason.contains("whose identity the store does not know"))
        let joined = driver.join(Fixture.hello(w1, slots: 3))
        #expect(
            joined.leases.map(\.ticket) == [
                LeaseTicket(trial: Fixture.trialID(1), attempt: 2, epoch: 6),
                LeaseTicket(trial: Fixture.trialID(3), attempt: 3, epoch: 7),
            ])
        // The old worker reattaching with the old lease is told to cancel it.
        let reattach = driver.message("w9", .reattach(Fixture.hello("w9"), running: [oldTicket], leasesThrough: 3))
        #expect(reattach.messages(to: "w9").contains { if case .cancel(oldTicket, _) = $0 { true } else { false } })
        // The third trial already used two infrastructure failures: one more fails it for good.
        let third = driver.ticket(Fixture.trialID(3))!
        let failed = driver.message("w1", .failure(third, TrialFailure(kind: .infrastructure, message: "disk full")))
        #expect(failed.persisted.failures.map(\.willRetry) == [false])
    }

    @Test func aTrialListedTwiceInTheSnapshotIsLoadedOnceAndTheRestKeepTheirOrder() {
        // t01, t02, t01 again (a corrupt snapshot), t03 running in an earlier life.
        var snapshot = Fixture.snapshot(trials: 3)
        var repeated = snapshot.trials[0]
        repeated.config = Fixture.config(99)
        snapshot.trials.insert(repeated, at: 2)
        let oldTicket = LeaseTicket(trial: Fixture.trialID(3), attempt: 1, epoch: 1)
        snapshot.trials[3].state = .running(oldTicket, worker: "w9")
        snapshot.trials[3].attemptsUsed = 1

        // Driven by hand: the driver checks the core against the (corrupt) snapshot plus commands.
        var core = CoordinatorCore(configuration: .init(prefetchPerSlot: 0))
        let loaded = core.handle(.storeLoaded(snapshot), now: .zero)
        #expect(core.snapshot.trials.map(\.id) == [1, 2, 3].map(Fixture.trialID))
        #expect(core.config(of: Fixture.trialID(1)) == Fixture.config(1), "the first listing wins")
        #expect(core.config(of: Fixture.trialID(3)) == Fixture.config(3))
        #expect(core.config(of: Fixture.trialID(7)) == nil)
        #expect(core.summary.total == 3)
        let errors = loaded.compactMap { action -> String? in
            if case .log(.error, let message, _) = action { return message }
            return nil
        }
        #expect(errors == ["the snapshot lists trial t01 twice; the later record is ignored"])
        #expect(loaded.persisted.contains { if case .trialReturned(oldTicket.trial, 1, _) = $0 { true } else { false } })
        var leases = core.handle(.workerMessage("w1", .hello(Fixture.hello(w1, slots: 3))), now: .zero).leases
        while true {
            let held = core.workerStatuses.first!.leases
            let more = core.handle(.workerMessage("w1", .heartbeat(running: held, slots: 3)), now: .zero).leases
            if more.isEmpty { break }
            leases += more
        }
        #expect(
            leases.map(\.ticket) == [
                LeaseTicket(trial: Fixture.trialID(1), attempt: 1, epoch: 2),
                LeaseTicket(trial: Fixture.trialID(2), attempt: 1, epoch: 3),
                LeaseTicket(trial: Fixture.trialID(3), attempt: 2, epoch: 4),
            ])
    }

    @Test func emptyOrAlreadyCompleteSweepFinishesOnLoad() {
        var snapshot = Fixture.snapshot(trials: 1)
        snapshot.trials[0].state = .finished(attempt: 1, worker: w1)
        let driver = CoordinatorDriver(snapshot)
        #expect(driver.loadActions.summaries.map(\.outcome) == [.completed])
        #expect(driver.core.phase == .finished)
    }

    @Test func infrastructureFailuresAreReopenedOnLoadAndDeterministicOnesAreNot() {
        var snapshot = Fixture.snapshot(trials: 2)
        let missing = TrialFailure(kind: .infrastructure, message: "data: ml-100k/u.data: no such file")
        let diverged = TrialFailure(kind: .deterministic, message: "diverged")
        snapshot.trials[0].state = .failed(attempt: 3, failure: missing)
        snapshot.trials[0].attemptsUsed = 3
        snapshot.trials[0].infrastructureFailures = 3
        snapshot.trials[1].state = .failed(attempt: 1, failure: diverged)
        snapshot.trials[1].attemptsUsed = 1
        var driver = CoordinatorDriver(snapshot)
        #expect(driver.loadActions.persisted.contains { if case .trialReopened(Fixture.trialID(1), _) = $0 { true } else { false } })
        #expect(!driver.loadActions.persisted.contains { if case .trialReopened(Fixture.trialID(2), _) = $0 { true } else { false } })
        #expect(driver.store.record(Fixture.trialID(1))?.infrastructureFailures == 0)
        #expect(driver.core.phase == .running)
        let joined = driver.message("w1", .hello(Fixture.hello(w1)))
        #expect(joined.leases.map(\.ticket) == [LeaseTicket(trial: Fixture.trialID(1), attempt: 4, epoch: 1)])
    }
}
