import Sweep
import SweepWire
import Testing

@Suite("Crash points: a 7-trial sweep on 2 workers")
struct CrashPointTests {
    static func baseline() -> SweepSimulation {
        var simulation = SweepSimulation()
        simulation.run()
        return simulation
    }

    /// The invariants every run must keep, crashed or not.
    static func check(_ run: SweepSimulation, against baseline: SweepSimulation, _ label: String) {
        #expect(run.problems.isEmpty, "\(label): \(run.problems)")
        #expect(run.summaries.last?.outcome == .completed, "\(label): the sweep did not complete")
        for record in run.initial.trials {
            let finals = run.persisted.filter { command in
                switch command {
                case .trialFinished(record.id, _, _, _), .trialFailed(record.id, _, _, false): return true
                default: return false
                }
            }.count
            #expect(finals == 1, "\(label): trial \(record.id) reached a final outcome \(finals) times")
        }
        #expect(run.outcomes == baseline.outcomes, "\(label): final results differ from the uninterrupted run")
        let epochs = run.persisted.compactMap { command -> LeaseEpoch? in
            if case .trialLeased(let ticket, _) = command { return ticket.epoch }
            return nil
        }
        #expect(zip(epochs, epochs.dropFirst()).allSatisfy { $0 < $1 }, "\(label): lease epochs must only grow")
        #expect(run.workers.values.allSatisfy { $0.exited || $0.core == nil }, "\(label): a worker did not exit")
    }

    @Test func uninterruptedRunFinishesEveryTrialOnce() {
        let baseline = Self.baseline()
        Self.check(baseline, against: baseline, "baseline")
        #expect(baseline.summaries.count == 1)
        #expect(
            baseline.summaries.first.map { ($0.finished, $0.failed, $0.duplicateResults) } ?? (0, 0, 0) == (6, 1, 0))
        #expect(baseline.store.trials.allSatisfy { $0.attemptsUsed == 1 }, "no retries without crashes")
        #expect(baseline.persisted.count > 15)
        #expect(Self.baseline().persisted == baseline.persisted, "the same run gives the same store")
    }

    /// For every k: the coordinator dies holding exactly k durable commands — right after the k-th
    /// (`late == false`) or just before the (k+1)-th with every send in between done (`late`) —
    /// and a new coordinator resumes from the store, quickly or after the workers gave it up.
    @Test(arguments: [Duration.milliseconds(300), .seconds(5)], [false, true])
    func coordinatorCrashAfterEveryPersistedCommand(restartDelay: Duration, late: Bool) {
        let baseline = Self.baseline()
        var restartsThatRecoveredLeases = 0
        for crashPoint in (late ? 0 : 1)..<(late ? baseline.persisted.count : baseline.persisted.count + 1) {
            var options = SweepSimulation.Options()
            options.coordinatorCrashAfterPersisted = crashPoint
            options.coordinatorCrashLate = late
            options.coordinatorRestartDelay = restartDelay
            var run = SweepSimulation(options: options)
            run.run()
            #expect(run.coordinatorCrashed, "crash point \(crashPoint) was never reached")
            Self.check(
                run, against: baseline,
                "coordinator crash with \(crashPoint) durable command(s)\(late ? " (late)" : ""), restart after \(restartDelay)"
            )
            if run.persisted.contains(where: { if case .trialReturned = $0 { true } else { false } }) {
                restartsThatRecoveredLeases += 1
            }
        }
        #expect(restartsThatRecoveredLeases > 0, "some crash points must interrupt running attempts")
    }

    @Test(arguments: [Duration?.some(.seconds(1)), .some(.seconds(6)), nil])
    func workerCrashAfterEveryEvent(restartDelay: Duration?) {
        let baseline = Self.baseline()
        for worker in ["w1", "w2"] as [WorkerID] {
            let events = baseline.workers[worker]!.handled
            #expect(events > 10)
            for crashPoint in 1...events {
                var options = SweepSimulation.Options()
                options.workerCrash = (worker, crashPoint)
                options.workerRestartDelay = restartDelay
                var run = SweepSimulation(options: options)
                run.run()
                Self.check(
                    run, against: baseline,
                    "\(worker) crash after event \(crashPoint), restart after \(restartDelay.map { "\($0)" } ?? "never")"
                )
            }
        }
    }
}
