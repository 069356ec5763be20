import Foundation
import Sweep
import SweepStore
import Testing

@testable import SweepDashboard

/// Every page and every error of the dashboard, answered by `DashboardSite` from a scripted store
/// (no HTTP: the server only copies status, type and body; `DashboardServerTests` covers it).
@Suite struct DashboardSiteTests {
    /// The rows of the table with `id`, each as its cells' text (tags stripped, entities kept).
    static func table(_ id: String, in html: String) -> [[String]] {
        guard let start = html.range(of: "<table id=\"\(id)\">"), let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex),
            let body = html.range(of: "<tbody>", range: start.upperBound..<end.lowerBound)
        else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "</tr>").compactMap { row in
            let cells = row.components(separatedBy: "</td>").dropLast().map { cell in
                cell.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return cells.isEmpty ? nil : cells
        }
    }

    static func site(_ fixture: DashboardFixture) -> DashboardSite { DashboardSite(storePath: fixture.path, cacheSeconds: 0) }

    @Test func theIndexListsEverySweepWithItsCounts() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let page = Self.site(fixture).respond(to: "/")
        #expect(page.status == 200)
        let rows = Self.table("sweeps", in: page.body)
        #expect(rows.map(\.first) == ["later", "mf-grid"], "newest first")
        let grid = try #require(rows.last)
        // trials, pending, running, finished, stopped, failed
        #expect(Array(grid[2...7]) == ["26", "2", "1", "21", "1", "1"])
    }

    @Test func theOverviewShowsCountsRateWorkersAndFailuresEscaped() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let page = Self.site(fixture).respond(to: "/sweeps/mf-grid", now: fixture.now)
        #expect(page.status == 200)
        for (state, count) in [("pending", 2), ("running", 1), ("finished", 21), ("stopped", 1), ("failed", 1)] {
            #expect(page.body.contains("data-state=\"\(state)\"><b>\(count)</b>"), "\(state) count")
        }
        #expect(page.body.contains("23 of 26 trials done, 21 results recorded; 1 results/s, about 3 s left at that rate"))
        let workers = Self.table("workers", in: page.body)
        #expect(workers.map { Array($0[0...2]) } == [["w1", "node-a", "2"], ["w2", "node-b", "1"]])
        #expect(workers.contains { $0[3] == fixture.running.rawValue }, "the running trial is listed with its worker")
        #expect(!page.body.contains("<script>alert"), "a failure message is text, never markup")
        #expect(page.body.contains("model failed: &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; more"))
        #expect(page.body.contains("href=\"/sweeps/mf-grid/trials/\(fixture.failed.rawValue)\""), "the failure links its trial")
        #expect(page.body.contains("<script>\n(function ()"), "the full page carries the live-refresh script")
    }

    @Test func onlyTheTwentyLargestFailureGroupsAreListed() {
        let groups = (0..<25).map { SweepOverview.FailureGroup(message: "error \($0)", kind: "deterministic", trials: 30 - $0, example: "t\($0)") }
        let overview = SweepOverview(
            sweep: "s", pending: 0, running: 0, finished: 0, failed: 640, stopped: 0, total: 640, results: 0, firstResultAt: nil,
            lastResultAt: nil, workers: [], failures: groups)
        let html = OverviewPage.failures(overview, sweep: "s")
        #expect(html.contains("error 19") && !html.contains("error 20<"))
        #expect(html.contains("… and 5 other messages (40 trials)"))
    }

    @Test func aFragmentIsTheMainContentOnly() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = Self.site(fixture)
        let fragment = site.respond(to: "/sweeps/mf-grid", fragment: true, now: fixture.now)
        #expect(fragment.status == 200 && fragment.body.hasPrefix("<h1>Sweep mf-grid</h1>"))
        #expect(!fragment.body.contains("<html") && !fragment.body.contains("<script"))
    }

    @Test func theLeaderboardHasTheNumbersOfCrossrecLeaderboard() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let expected = try fixture.leaderboard()
        let page = Self.site(fixture).respond(to: "/sweeps/mf-grid/leaderboard")
        #expect(page.status == 200)
        let rows = Self.table("leaderboard", in: page.body)
        #expect(rows.count == expected.rows.count && rows.count == 12, "11 mf configurations (4 × 0.1 has no outcome yet) and popularity")
        for (row, board) in zip(rows, expected.rows) {
            #expect(row[0] == (board.rank.map(String.init) ?? "–"))
            #expect(row[2] == (board.configuration.parametersText.isEmpty ? "–" : board.configuration.parametersText))
            #expect(row[3] == Leaderboard.meanAndDeviation(board.metrics["rmse"]), "rmse of \(board.configuration)")
            #expect(row[4] == Leaderboard.meanAndDeviation(board.metrics["mae"]))
        }
        // The best: factors 32 (rmse 0.68 + seed noise), both seeds.
        #expect(rows[0][2].hasPrefix("factors=32"))
        #expect(rows[0][3] == "0.6815 ± 0.0007")
        #expect(page.body.contains("<svg"), "the top-configurations chart")
    }

    @Test func everyTrialLinkOfTheLeaderboardOpensThatTrial() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = Self.site(fixture)
        let page = site.respond(to: "/sweeps/mf-grid/leaderboard")
        let links = page.body.matches(of: /href="(\/sweeps\/mf-grid\/trials\/[0-9a-f]+)"/).map { String($0.output.1) }
        #expect(links.count == fixture.trials.count - fixture.pending.count - 2, "finished and failed trials (not running, not stopped)")
        for link in links { #expect(site.respond(to: link).status == 200, "\(link)") }
    }

    @Test func theLeaderboardSortsByAnyColumnAndFiltersByModel() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = Self.site(fixture)
        func column(_ target: String, _ index: Int) -> [String] { Self.table("leaderboard", in: site.respond(to: target).body).map { $0[index] } }
        let worstFirst = column("/sweeps/mf-grid/leaderboard?sort=rmse&order=desc", 3)
        let means = worstFirst.compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(means == means.sorted(by: >) && means.count == 11, "the failed-only configuration has no mean")
        let bestFirst = column("/sweeps/mf-grid/leaderboard?sort=rmse", 3).compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(bestFirst == means.sorted(), "rmse is minimised: best (lowest) first by default")
        let mae = column("/sweeps/mf-grid/leaderboard?sort=mae", 4).compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(mae == mae.sorted() && mae.count == 11, "an error metric sorts lowest first")
        let seeds = column("/sweeps/mf-grid/leaderboard?sort=seeds&order=asc", 5)
        #expect(seeds == seeds.sorted() && seeds.first == "0", "the failed configuration has no seed with a result")
        #expect(column("/sweeps/mf-grid/leaderboard?model=popularity", 1) == ["popularity"])
        #expect(Set(column("/sweeps/mf-grid/leaderboard?model=mf", 1)) == ["mf"])
        let unknown = site.respond(to: "/sweeps/mf-grid/leaderboard?model=nope")
        #expect(unknown.status == 404 && unknown.body.contains("its models: mf, popularity"))
    }

    @Test func theParametersPageFindsThePlantedParameter() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let page = Self.site(fixture).respond(to: "/sweeps/mf-grid/parameters?model=mf")
        #expect(page.status == 200)
        #expect(page.body.contains("<section class=\"model\" data-model=\"mf\">"))
        let bars = page.body.matches(of: /<title>(factors|lr): \d+ levels<\/title>/).map { String($0.output.1) }
        #expect(bars == ["factors", "lr"], "factors explains the spread, so it comes first")
        #expect(page.body.components(separatedBy: "class=\"scatter\"").count - 1 == 2, "one scatter per varied parameter")
        #expect(page.body.contains("class=\"parallel\""))
        #expect(page.body.contains("lr (log scale)"), "lr spans two decades: a log axis")
        let all = Self.site(fixture).respond(to: "/sweeps/mf-grid/parameters")
        #expect(all.body.contains("data-model=\"popularity\"") && all.body.contains("No parameter takes two values"))
    }

    @Test func theTrialPageShowsConfigurationAttemptsProgressAndFailures() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = Self.site(fixture)
        let progress = site.respond(to: "/sweeps/mf-grid/trials/\(fixture.withProgress.rawValue)", now: fixture.now)
        #expect(progress.status == 200)
        let configuration = Self.table("configuration", in: progress.body)
        #expect(configuration.first == ["model", "mf"] && configuration.contains { $0[0] == "seed" })
        #expect(progress.body.contains("Other seeds of this configuration"))
        #expect(Self.table("attempts", in: progress.body).count == 1)
        #expect(Self.table("metrics", in: progress.body).map(\.first) == ["mae", "rmse", "ndcg@10"], "MetricText order")
        #expect(progress.body.contains("<figcaption>train_loss</figcaption>") && progress.body.contains("<figcaption>val_rmse</figcaption>"))
        #expect(progress.body.contains("<polyline"), "three epochs draw a line")
        let failed = site.respond(to: "/sweeps/mf-grid/trials/\(fixture.failed.rawValue)", now: fixture.now)
        #expect(failed.body.contains("id=\"error\">model failed: &lt;script&gt;"))
        #expect(failed.body.contains("deterministic (a model error: not retried)"))
        let stopped = site.respond(to: "/sweeps/mf-grid/trials/\(fixture.stopped.rawValue)", now: fixture.now)
        #expect(stopped.body.contains("id=\"state\">stopped</b>") && stopped.body.contains("ASHA rung 1"))
        let running = site.respond(to: "/sweeps/mf-grid/trials/\(fixture.running.rawValue)", now: fixture.now)
        #expect(running.body.contains("so far") && running.body.contains("running"))
        let pending = site.respond(to: "/sweeps/mf-grid/trials/\(fixture.pending[0].rawValue)", now: fixture.now)
        #expect(pending.body.contains("Not leased yet"))
    }

    @Test func theSearchPageTracksTheBestSoFar() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let page = Self.site(fixture).respond(to: "/sweeps/mf-grid/search")
        #expect(page.status == 200)
        let best = fixture.trials.filter { $0.config.parameters["factors"] == .int(32) && $0.config.seed == 1 }
        let bestIDs = Set(best.map(\.id.rawValue))
        let shown = try #require(page.body.firstMatch(of: /Best: (0\.\d+) by <a href="\/sweeps\/mf-grid\/trials\/([0-9a-f]+)"/))
        #expect(shown.output.1 == "0.6810" && bestIDs.contains(String(shown.output.2)))
        #expect(page.body.components(separatedBy: "<svg").count - 1 == 2, "against results and against time")
        let empty = Self.site(fixture).respond(to: "/sweeps/later/search")
        #expect(empty.status == 200 && empty.body.contains("No result yet"))
    }

    @Test func unknownSweepsTrialsAndPagesAre404NamingWhatExists() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = Self.site(fixture)
        let sweep = site.respond(to: "/sweeps/nope/leaderboard")
        #expect(sweep.status == 404 && sweep.body.contains("has no sweep named &apos;nope&apos;; it holds: mf-grid, later"))
        let trial = site.respond(to: "/sweeps/mf-grid/trials/0123")
        #expect(trial.status == 404 && trial.body.contains("has no trial &apos;0123&apos;"))
        let otherSweepsTrial = site.respond(to: "/sweeps/later/trials/\(fixture.failed.rawValue)")
        #expect(otherSweepsTrial.status == 404, "a trial of another sweep is not this sweep's")
        let page = site.respond(to: "/metrics")
        #expect(page.status == 404 && page.body.contains("Pages: /, /sweeps/NAME"))
    }

    @Test func aMissingStoreIs503UntilASweepCreatesIt() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let later = fixture.folder.appendingPathComponent("later.sqlite").path
        let site = DashboardSite(storePath: later)
        let missing = site.respond(to: "/sweeps/mf-grid", now: fixture.now)
        #expect(missing.status == 503 && missing.body.contains("No store at \(later) yet"))
        #expect(missing.body.contains("<script>"), "the error page keeps polling")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: later)
        #expect(site.respond(to: "/sweeps/mf-grid", now: fixture.now).status == 200, "found once it exists: a 503 is never reused")
    }

    @Test func aFileThatIsNotAStoreIs500SayingSo() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let text = fixture.folder.appendingPathComponent("notes.sqlite").path
        try Data("these are my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        let page = DashboardSite(storePath: text, cacheSeconds: 0).respond(to: "/")
        #expect(page.status == 500 && page.body.contains("Not a crossrec store") && page.body.contains(text))
    }

    @Test func answersAreReusedForTheCacheIntervalOnly() throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let site = DashboardSite(storePath: fixture.path, cacheSeconds: 1)
        let first = site.respond(to: "/sweeps/mf-grid", now: fixture.now)
        let store = try SweepStore.open(fixture.path)
        let record = try #require(try store.sweep(named: "mf-grid"))
        try store.apply(
            [.trialLeased(.init(trial: fixture.pending[0], attempt: 1, epoch: .init(999)), worker: .init("w1"))], sweep: record.id)
        let cached = site.respond(to: "/sweeps/mf-grid", now: fixture.now.addingTimeInterval(0.5))
        #expect(cached == first, "within a second: the same answer, no store read")
        let fresh = site.respond(to: "/sweeps/mf-grid", now: fixture.now.addingTimeInterval(1.5))
        #expect(fresh.body.contains("data-state=\"running\"><b>2</b>"), "after a second: read again")
    }

    @Test func routesAndLinksRoundTripHostileNames() {
        for name in ["mf-grid", "a/b", "with space", "<b>&'\"", "é?#%"] {
            #expect(DashboardRoute(target: DashboardLink.overview(name)) == .overview(sweep: name))
            #expect(DashboardRoute(target: DashboardLink.trial(name, "t/1")) == .trial(sweep: name, trial: "t/1"))
            #expect(
                DashboardRoute(target: DashboardLink.leaderboard(name, .init(sort: "recall@10", descending: true, model: "m&n")))
                    == .leaderboard(sweep: name, .init(sort: "recall@10", descending: true, model: "m&n")))
            #expect(DashboardRoute(target: DashboardLink.parameters(name, model: "a b")) == .parameters(sweep: name, model: "a b"))
        }
        #expect(DashboardRoute(target: "/") == .sweeps)
        #expect(DashboardRoute(target: "/sweeps/x/search?") == .search(sweep: "x"))
        #expect(DashboardRoute(target: "/sweeps/x/leaderboard?order=sideways&sort=") == .leaderboard(sweep: "x", .init()))
        #expect(DashboardRoute(target: "/sweeps/x/trials") == .notFound(path: "/sweeps/x/trials"))
    }
}
