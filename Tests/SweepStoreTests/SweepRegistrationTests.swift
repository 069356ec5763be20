import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// `registerSweep` is idempotent: re-running a sweep adds only new trials and never resets any.
@Suite struct SweepRegistrationTests {
    @Test func firstRegistrationAddsEveryTrialAsPending() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8, 16], seeds: [1, 2])
        let store = try SweepStore.open(fixture.path())
        let registration = try store.registerSweep(
            name: "mf-grid", specJSON: "{}", datasetFingerprint: StoreFixture.fingerprint, codeVersion: "v1",
            trials: trials)
        #expect(registration.addedTrials == 6 && registration.existingTrials == 0 && registration.sharedTrials == 0)
        let snapshot = try store.snapshot(sweep: registration.sweep)
        #expect(snapshot.trials.map(\.id) == trials.map(\.id))
        #expect(snapshot.trials.map(\.config) == trials.map(\.config))
        #expect(snapshot.trials.allSatisfy { $0.stateName == "pending" && $0.attempts == 0 })
        #expect(snapshot.sweepID == "mf-grid")
        #expect(try store.counts(sweep: registration.sweep) == TrialCounts(pending: 6))
    }

    @Test func storedConfigurationsHashToTheSameIdentity() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let config = TrialConfig(
            model: "hybrid",
            parameters: [
                "alpha": .double(0.1), "tiny": .double(1e-300), "third": .double(1.0 / 3.0), "k": .int(-7),
                "loss": .string("bpr \"quoted\" ✓"), "bias": .bool(false), "whole": .double(2),
            ],
            seed: UInt64.max)
        let id = TrialID(config: config, datasetFingerprint: StoreFixture.fingerprint)
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: [(id: id, config: config)])
        let stored = try #require(try store.snapshot(sweep: sweep).trials.first)
        #expect(stored.config == config)
        #expect(TrialID(config: stored.config, datasetFingerprint: StoreFixture.fingerprint) == id)
    }

    @Test func rerunningTheSameSweepChangesNothing() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8], seeds: [1, 2])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        try store.apply([
            .leased(trials[0].id, attempt: 1, epoch: 1, worker: "w1"),
            .finished(trials[0].id, attempt: 1, metrics: StoreFixture.metrics(0.9), worker: "w1"),
            .leased(trials[1].id, attempt: 1, epoch: 2, worker: "w2"),
        ])
        let before = try store.snapshot(sweep: sweep)
        let again = try store.registerSweep(
            name: "mf-grid", specJSON: #"{"name":"mf-grid"}"#, datasetFingerprint: StoreFixture.fingerprint,
            codeVersion: "test-1", trials: trials)
        #expect(again.sweep == sweep)
        #expect(again.addedTrials == 0 && again.existingTrials == 4 && again.sharedTrials == 0)
        #expect(try store.snapshot(sweep: sweep) == before)
    }

    @Test func changedGridAddsOnlyNewTrialsAndKeepsFinishedOnes() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let first = StoreFixture.trials(factors: [4, 8])
        let (store, sweep) = try StoreFixture.registered(path, trials: first)
        try store.apply([
            .leased(first[0].id, attempt: 1, epoch: 1, worker: "w1"),
            .finished(first[0].id, attempt: 1, metrics: StoreFixture.metrics(0.8), worker: "w1"),
            .leased(first[1].id, attempt: 1, epoch: 2, worker: "w1"),
            .failed(
                first[1].id, attempt: 1, failure: TrialFailure(kind: .deterministic, message: "diverged"),
                willRetry: false),
        ])
        let before = try store.snapshot(sweep: sweep)
        try store.close()

        // The edited sweep file drops factors=8 from the grid order and adds 16 and 32.
        let edited = StoreFixture.trials(factors: [16, 4, 32, 8])
        let reopened = try SweepStore.open(path)
        let registration = try reopened.registerSweep(
            name: "mf-grid", specJSON: #"{"name":"mf-grid","factors":[16,4,32,8]}"#,
            datasetFingerprint: StoreFixture.fingerprint, codeVersion: "test-2", trials: edited)
        #expect(registration.sweep == sweep)
        #expect(registration.addedTrials == 2 && registration.existingTrials == 2)

        let after = try reopened.snapshot(sweep: sweep)
        // Existing trials keep their place, state, result and failure; new ones are appended as pending.
        #expect(Array(after.trials.prefix(2)) == before.trials)
        #expect(after.trials.map(\.id) == [first[0].id, first[1].id, edited[0].id, edited[2].id])
        #expect(after.trials[2...].allSatisfy { $0.stateName == "pending" })
        let record = try #require(try reopened.sweep(named: "mf-grid"))
        #expect(record.specJSON.contains("32"))
        #expect(record.codeVersion == "test-2")
        #expect(try reopened.counts(sweep: sweep) == TrialCounts(pending: 2, finished: 1, failed: 1))
        #expect(try reopened.results(sweep: sweep).map(\.metrics) == [StoreFixture.metrics(0.8)])
    }

    @Test func sameNameOnOtherDataIsRefused() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (store, _) = try StoreFixture.registered(fixture.path(), trials: StoreFixture.trials(factors: [4]))
        let error = try #require(throws: SweepStoreError.self) {
            try store.registerSweep(
                name: "mf-grid", specJSON: "{}", datasetFingerprint: "other-data", codeVersion: "v", trials: [])
        }
        #expect(
            error == .fingerprintMismatch(sweep: "mf-grid", stored: StoreFixture.fingerprint, given: "other-data"))
        #expect(error.description.contains("use a new sweep name or a new store"))
        #expect(try store.sweeps().count == 1)
    }

    @Test func trialsSharedWithAnotherSweepAreNotRerun() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let quick = StoreFixture.trials(factors: [4])
        let (store, quickSweep) = try StoreFixture.registered(fixture.path(), name: "quick", trials: quick)
        try store.apply([
            .leased(quick[0].id, attempt: 1, epoch: 1, worker: "w1"),
            .finished(quick[0].id, attempt: 1, metrics: StoreFixture.metrics(0.7), worker: "w1"),
        ])
        let full = StoreFixture.trials(factors: [4, 8])
        let registration = try store.registerSweep(
            name: "full", specJSON: "{}", datasetFingerprint: StoreFixture.fingerprint, codeVersion: "v", trials: full)
        #expect(registration.sweep != quickSweep)
        #expect(registration.addedTrials == 1 && registration.sharedTrials == 1)
        #expect(try store.counts(sweep: registration.sweep) == TrialCounts(pending: 1, finished: 1))
        #expect(try store.results(sweep: registration.sweep).map(\.trial) == [quick[0].id])
        #expect(try store.sweep(named: "full")?.id == registration.sweep)
        #expect(try store.sweeps().map(\.name) == ["quick", "full"])
    }
}
