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

    /// The value of `name{…}` on the series whose labels include `label` (e.g. `reason="malformed"`).
    static func value(_ name: String, _ label: String, _ text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + "{") && $0.contains(label) }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func rejectedFramesFollowTheCoresRefusalsExactlyByReason() {
        var core = CoordinatorCore(configuration: .init(prefetchPerSlot: 0))
        let trial = TrialRecord(id: TrialID(rawValue: "t1"), config: TrialConfig(model: "sleep", parameters: [:], seed: 1))
        _ = core.handle(.storeLoaded(SweepSnapshot(sweepID: "s", dataset: "", trials: [trial])), now: .zero)
        let metrics = CoordinatorMetrics(sweep: "s")
        // Every reason is exposed from the start, at 0: the label set is fixed.
        let empty = metrics.text()
        for reason in RefusalReason.allCases {
            #expect(Self.value("crossrec_rejected_frames_total", "reason=\"\(reason.label)\"", empty) == 0, "\(reason)")
        }
        // A frame the shell could not decode reaches the core as malformedMessage; its peer text
        // (routing id, decode error) never becomes a label.
        let hostile = Peer(connection: "evil\"}", address: "10.0.0.9")
        for _ in 0..<3 { _ = core.handle(.malformedMessage(hostile, reason: "unknown tag 0x7f \"x\""), now: .zero) }
        for _ in 0..<2 { _ = core.handle(.workerMessage("stranger", .heartbeat(running: [], slots: 1)), now: .zero) }
        metrics.followRefusals(core.refusedFrames)
        for _ in 0..<4 { _ = core.handle(.malformedMessage(hostile, reason: "truncated"), now: .zero) }
        metrics.followRefusals(core.refusedFrames)
        metrics.followRefusals(core.refusedFrames)  // following the same totals again adds nothing
        let text = metrics.text()
        #expect(Self.value("crossrec_rejected_frames_total", "reason=\"malformed\"", text) == 7)
        #expect(Self.value("crossrec_rejected_frames_total", "reason=\"unregistered\"", text) == 2)
        #expect(Self.value("crossrec_rejected_frames_total", "reason=\"worker_id_in_use\"", text) == 0)
        let series = text.split(separator: "\n").filter { $0.hasPrefix("crossrec_rejected_frames_total{") }
        #expect(series.count == RefusalReason.allCases.count, "one series per reason: \(series)")
        #expect(!text.contains("evil") && !text.contains("0x7f") && !text.contains("10.0.0.9"))
        // A smaller total (a new core after a restart in the same process) cannot make it fall.
        metrics.followRefusals([.malformed: 1])
        #expect(Self.value("crossrec_rejected_frames_total", "reason=\"malformed\"", metrics.text()) == 7)
    }
}
