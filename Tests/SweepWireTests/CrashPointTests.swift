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
        #expect(baseline.persistingBatches >= 8)
        #expect(Self.baseline().persisted == baseline.persisted, "the same run gives the same store")
    }

    /// For every batch the shell commits: the coordinator dies just before it commits (the batch
    /// and its sends are lost) or just after (durable, nothing sent), and a new coordinator resumes
    /// from the store, quickly or after the workers gave it up. With a quick restart no attempt a
    /// worker had received is given up: the workers re-attach and keep their running trials, and
    /// results that were sent but never made durable are sent again and count.
    @Test(arguments: [Duration.milliseconds(300), .seconds(5)], [false, true])
    func coordinatorCrashAtEveryCommittedBatch(restartDelay: Duration, afterCommit: Bool) {
        let baseline = Self.baseline()
        var restartsThatKeptRunningAttempts = 0
        for crashPoint in 1...baseline.persistingBatches {
            var options = SweepSimulation.Options()
            options.coordinatorCrashAtBatch = crashPoint
            options.coordinatorCrashAfterCommit = afterCommit
            options.coordinatorRestartDelay = restartDelay
            var run = SweepSimulation(options: options)
            run.run()
            let label =
                "coordinator crash at batch \(crashPoint)\(afterCommit ? " (after commit)" : ""), restart after \(restartDelay)"
            #expect(run.coordinatorCrashed, "\(label): the crash point was never reached")
            Self.check(run, against: baseline, label)
            if restartDelay < SweepSimulation.Options().configuration.liveness {
                for command in run.persisted {
                    switch command {
                    case .trialReturned(let trial, let attempt, let reason):
                        let given = run.delivered.contains { $0.trial == trial && $0.attempt == attempt }
                        if given {
                            Issue.record("\(label): attempt \(attempt) of \(trial) reached a worker but was given up: \(reason)")
                        }
                    case .trialFailed(let trial, let attempt, let failure, _) where failure.kind == .infrastructure:
                        if run.delivered.contains(where: { $0.trial == trial && $0.attempt == attempt }) {
                            Issue.record("\(label): attempt \(attempt) of \(trial) reached a worker but failed: \(failure.message)")
                        }
                    default:
                        break
                    }
                }
            }
            if run.persisted.contains(where: {
                if case .event(let text) = $0 { text.contains("reserved for") } else { false }
            }) {
                restartsThatKeptRunningAttempts += 1
            }
        }
        #expect(restartsThatKeptRunningAttempts > 0, "some crash points must interrupt running attempts")
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
