import Foundation
import Sweep
import SweepWire
import Testing

@testable import SweepRuntime

/// The coordinator's counters count what it persisted, command by command.
@Suite struct CoordinatorMetricsTests {
    static func value(_ name: String, _ text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + "{") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func leasesResultsDuplicatesAndExpiriesAreCounted() {
        let metrics = CoordinatorMetrics(sweep: "s")
        let trial = TrialID(rawValue: "t1")
        let ticket = LeaseTicket(trial: trial, attempt: 1, epoch: LeaseEpoch(1))
        let lost = TrialFailure(kind: .infrastructure, message: "worker lost")
        let broken = TrialFailure(kind: .deterministic, message: "bad parameter")
        for command: StoreCommand in [
            .trialLeased(ticket, worker: WorkerID("w")), .trialFailed(trial: trial, attempt: 1, failure: lost, willRetry: true),
            .trialLeased(ticket, worker: WorkerID("w")), .trialFinished(trial: trial, attempt: 2, metrics: TrialMetrics(values: [:]), worker: WorkerID("w")),
            .duplicateResult(ticket, worker: WorkerID("v"), metrics: TrialMetrics(values: [:])),
            .trialReturned(trial: trial, attempt: 1, reason: "worker gone"),
            .trialFailed(trial: trial, attempt: 3, failure: broken, willRetry: false), .event("note"),
        ] {
            metrics.observe(command)
        }
        let text = metrics.text()
        #expect(Self.value("crossrec_leases_issued_total", text) == 2)
        #expect(Self.value("crossrec_results_recorded_total", text) == 1)
        #expect(Self.value("crossrec_duplicate_results_total", text) == 1)
        #expect(Self.value("crossrec_leases_expired_total", text) == 2, "the infrastructure failure and the returned lease")
        #expect(Self.value("crossrec_trial_failures_total", text) == 1, "only the final failure")
        #expect(text.contains("# TYPE crossrec_store_commit_seconds histogram"))
    }
}
