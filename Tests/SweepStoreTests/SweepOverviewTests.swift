import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// What `crossrec sweep status` (and the dashboard to come) shows, read from the store alone.
@Suite struct SweepOverviewTests {
    @Test func countsWorkersTheirLeasesAndFailuresGroupedByMessage() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [2, 4, 8, 16, 32])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let ids = trials.map(\.id)
        let oom = TrialFailure(kind: .deterministic, message: "EASE needs 12 GB; lower max_memory_gb")
        try store.apply([
            .joined("w1", host: "node-a", slots: 2), .joined("w2", host: "node-b", slots: 1),
            .leased(ids[0], epoch: 1, worker: "w1"), .finished(ids[0], metrics: StoreFixture.metrics(0.9), worker: "w1"),
            .leased(ids[1], epoch: 2, worker: "w1"), .failed(ids[1], failure: oom, willRetry: false),
            .leased(ids[2], epoch: 3, worker: "w2"), .failed(ids[2], failure: oom, willRetry: false),
            .leased(ids[3], epoch: 4, worker: "w2"),
        ])
        let overview = try store.overview(sweep: sweep)
        #expect(overview.total == 5 && overview.finished == 1 && overview.failed == 2 && overview.running == 1 && overview.pending == 1)
        #expect(overview.results == 1 && overview.resultsPerSecond == nil, "one result gives no rate")
        #expect(overview.workers.map(\.name) == ["w1", "w2"])
        #expect(overview.workers.map(\.host) == ["node-a", "node-b"] && overview.workers.map(\.slots) == [2, 1])
        #expect(overview.workers[0].running.isEmpty && overview.workers[1].running == [ids[3].rawValue])
        #expect(overview.workers.map(\.attempts) == [2, 2])
        #expect(overview.failures.count == 1, "two trials, one message: one group")
        #expect(overview.failures.first?.trials == 2 && overview.failures.first?.message == oom.message)
        #expect(overview.failures.first?.kind == "deterministic")
        #expect([ids[1].rawValue, ids[2].rawValue].contains(overview.failures.first?.example ?? ""))
    }

    @Test func readingTheTwoHalvesOnTwoConnectionsGivesTheSameOverview() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [2, 4, 8])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let ids = trials.map(\.id)
        try store.apply([
            .joined("w1", host: "node-a", slots: 2), .leased(ids[0], epoch: 1, worker: "w1"),
            .finished(ids[0], metrics: StoreFixture.metrics(0.9), worker: "w1"), .leased(ids[1], epoch: 2, worker: "w1"),
            .failed(ids[1], failure: TrialFailure(kind: .deterministic, message: "boom"), willRetry: false),
            .leased(ids[2], epoch: 3, worker: "w1"),
        ])
        let reader = try SweepStore.openReadOnly(fixture.path()), second = try SweepStore.openReadOnly(fixture.path())
        let together = try reader.overview(sweep: sweep)
        #expect(try reader.overview(sweep: sweep, alongside: second) == together)
        #expect(together.workers.first?.running == [ids[2].rawValue] && together.failures.first?.message == "boom")
        #expect(throws: SweepStoreError.self) { try reader.overview(sweep: SweepID(rawValue: 999), alongside: second) }
    }

    @Test func theRateAndTimeLeftComeFromWhenResultsWereRecorded() throws {
        var overview = SweepOverview(
            sweep: "s", pending: 6, running: 2, finished: 5, failed: 0, stopped: 0, total: 13, results: 5,
            firstResultAt: Date(timeIntervalSince1970: 100), lastResultAt: Date(timeIntervalSince1970: 108), workers: [],
            failures: [])
        #expect(overview.resultsPerSecond == 0.5, "4 intervals in 8 s")
        #expect(overview.secondsLeft == 16, "8 trials left at 0.5/s")
        overview.lastResultAt = overview.firstResultAt
        #expect(overview.resultsPerSecond == nil && overview.secondsLeft == nil, "no time elapsed: no rate")
    }

    @Test func anUnknownSweepIsAnError() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (store, _) = try StoreFixture.registered(fixture.path(), trials: StoreFixture.trials(factors: [2]))
        #expect(throws: SweepStoreError.self) { try store.overview(sweep: SweepID(rawValue: 999)) }
    }
}
