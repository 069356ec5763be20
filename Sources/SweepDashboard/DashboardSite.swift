public import Foundation
import HTMLRender
import Sweep
import SweepRuntime
import SweepStore

/// The dashboard's pages over one store file, without the HTTP server: ``respond(to:fragment:now:)``
/// turns a request target into a response. The store is opened read-only on first use (so the
/// dashboard may start before the sweep creates it) and reopened after an error; requests are
/// answered one at a time, and an answer is reused for ``cacheSeconds`` (1 s by default) or for
/// ``workShareDivisor`` times as long as it took to build, whichever is longer, so any number of
/// browsers cost the running sweep at most one read of each page per second, and a page that is
/// expensive to build (the overview of a 100,000-trial store takes ~160 ms) at most 1/50 of a core.
///
/// Errors are pages too: 404 for an unknown page, sweep or trial (naming the sweeps there are),
/// 503 while the store file does not exist yet (the page keeps polling), 500 for a file that is
/// not a crossrec store.
public final class DashboardSite: @unchecked Sendable {
    public let storePath: String
    public let layout: DashboardLayout
    public let cacheSeconds: Double
    private let lock = NSLock()
    private var store: SweepStore?
    /// A second connection, so the overview's two halves are read at once.
    private var secondStore: SweepStore?
    private var cache: [String: (at: Date, reuse: Double, response: DashboardResponse)] = [:]

    /// An answer is reused for at least this many times the seconds it took to build.
    public static let workShareDivisor = 50.0

    public init(storePath: String, refreshSeconds: Int = 2, cacheSeconds: Double = 1) {
        self.storePath = storePath
        layout = DashboardLayout(refreshSeconds: refreshSeconds)
        self.cacheSeconds = cacheSeconds
    }

    /// The answer to `GET target`; with `fragment`, only what goes inside `<main id="live">` (the
    /// live refresh asks for that).
    public func respond(to target: String, fragment: Bool = false, now: Date = Date()) -> DashboardResponse {
        lock.lock()
        defer { lock.unlock() }
        let key = (fragment ? "F " : "P ") + target
        if cacheSeconds > 0, let hit = cache[key], now.timeIntervalSince(hit.at) < hit.reuse, hit.at <= now { return hit.response }
        let started = ContinuousClock.now
        let response = render(DashboardRoute(target: target), fragment: fragment, now: now)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // "No store yet" costs no read and should end the moment the sweep creates the store.
        if cacheSeconds > 0, response.status != 503 {
            if cache.count >= 256 { cache.removeAll(keepingCapacity: true) }
            cache[key] = (now, max(cacheSeconds, seconds * Self.workShareDivisor), response)
        }
        return response
    }

    // MARK: - Pages

    private struct PageError: Error {
        var status: Int
        var title: String
        var message: String
    }

    private func render(_ route: DashboardRoute, fragment: Bool, now: Date) -> DashboardResponse {
        let title: String
        var sweepName: String?
        var section: DashboardLayout.Section?
        let body: String
        let status = 200
        do {
            switch route {
            case .sweeps:
                title = "crossrec sweeps"
                body = try sweepsBody(openStore())
            case .overview(let sweep):
                (title, sweepName, section) = ("\(sweep): overview", sweep, .overview)
                let store = try openStore()
                let record = try require(sweep, in: store)
                let overview = try secondStore.map { try store.overview(sweep: record.id, alongside: $0) } ?? store.overview(sweep: record.id)
                body = OverviewPage.body(overview, sweep: sweep, createdAt: record.createdAt, now: now)
            case .leaderboard(let sweep, let query):
                (title, sweepName, section) = ("\(sweep): leaderboard", sweep, .leaderboard)
                let store = try openStore()
                let record = try require(sweep, in: store)
                let (spec, leaderboard) = try CoordinatorService.storedLeaderboard(store: store, record: record)
                try requireModel(query.model, in: spec, sweep: sweep)
                body = LeaderboardPage.body(leaderboard, sweep: sweep, query: query) {
                    TrialID(config: $0, datasetFingerprint: record.datasetFingerprint).rawValue
                }
            case .parameters(let sweep, let model):
                (title, sweepName, section) = ("\(sweep): parameters", sweep, .parameters)
                let store = try openStore()
                let record = try require(sweep, in: store)
                let (spec, leaderboard) = try CoordinatorService.storedLeaderboard(store: store, record: record)
                try requireModel(model, in: spec, sweep: sweep)
                body = ParametersPage.body(leaderboard, spec: spec, sweep: sweep, model: model)
            case .search(let sweep):
                (title, sweepName, section) = ("\(sweep): search progress", sweep, .search)
                let store = try openStore()
                let record = try require(sweep, in: store)
                let spec = try JSONDecoder().decode(SweepSpec.self, from: Data(record.specJSON.utf8))
                let timeline = try store.resultTimeline(sweep: record.id, metric: spec.metric.primary)
                body = SearchProgressPage.body(timeline: timeline, spec: spec, sweep: sweep)
            case .trial(let sweep, let trial):
                (title, sweepName) = ("\(sweep): trial \(trial)", sweep)
                let store = try openStore()
                let record = try require(sweep, in: store)
                guard let stored = try store.trial(sweep: record.id, id: TrialID(rawValue: trial)) else {
                    throw PageError(
                        status: 404, title: "No such trial",
                        message: "Sweep '\(sweep)' has no trial '\(trial)'. Trials are listed on the sweep's leaderboard.")
                }
                body = TrialPage.body(stored, siblings: try store.siblingTrials(sweep: record.id, of: stored.id), sweep: sweep, now: now)
            case .notFound(let path):
                title = "Not found"
                throw PageError(
                    status: 404, title: "Not found",
                    message: "No page at \(path). Pages: /, /sweeps/NAME, /sweeps/NAME/leaderboard, /sweeps/NAME/parameters, /sweeps/NAME/search, /sweeps/NAME/trials/ID.")
            }
        } catch let error as PageError {
            return errorResponse(error, sweep: sweepName, fragment: fragment)
        } catch {
            // A read failed (the file was replaced, a corrupt row): reopen on the next request.
            store = nil
            secondStore = nil
            let failure = PageError(status: 500, title: "Cannot read the store", message: "\(storePath): \(error)")
            return errorResponse(failure, sweep: sweepName, fragment: fragment)
        }
        let html = fragment ? body : layout.page(title: title, sweep: sweepName, section: section, body: body)
        return DashboardResponse(status: status, body: html)
    }

    private func errorResponse(_ error: PageError, sweep: String?, fragment: Bool) -> DashboardResponse {
        let body = "<h1>\(XMLText.escaped(error.title))</h1>\n<p class=\"error-message\">\(XMLText.escaped(error.message))</p>\n"
        let html = fragment ? body : layout.page(title: error.title, sweep: sweep, section: nil, body: body)
        return DashboardResponse(status: error.status, body: html)
    }

    /// The open store; opens it when the file exists. A missing file is 503 (a sweep may create
    /// it soon), a file that is not a store 500.
    private func openStore() throws -> SweepStore {
        if let store { return store }
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw PageError(
                status: 503, title: "Store not found",
                message: "No store at \(storePath) yet. Start a sweep that writes it (crossrec sweep run FILE --store \(storePath)); this page refreshes itself.")
        }
        do {
            let opened = try SweepStore.openReadOnly(storePath)
            _ = try opened.sweeps()
            store = opened
            secondStore = try? SweepStore.openReadOnly(storePath)
            return opened
        } catch {
            throw PageError(status: 500, title: "Not a crossrec store", message: "\(error)")
        }
    }

    private func require(_ name: String, in store: SweepStore) throws -> SweepRecord {
        if let record = try store.sweep(named: name) { return record }
        let names = try store.sweeps().map(\.name)
        throw PageError(
            status: 404, title: "No such sweep",
            message: "\(storePath) has no sweep named '\(name)'"
                + (names.isEmpty ? "; it holds no sweep yet." : "; it holds: \(names.joined(separator: ", ")).")
        )
    }

    /// A model filter must name a model of the sweep file (it may have no result yet).
    private func requireModel(_ model: String?, in spec: SweepSpec, sweep: String) throws {
        guard let model, !spec.models.contains(where: { $0.model == model }) else { return }
        throw PageError(
            status: 404, title: "No such model",
            message: "Sweep '\(sweep)' has no model '\(model)'; its models: \(spec.models.map(\.model).joined(separator: ", ")).")
    }

    private func sweepsBody(_ store: SweepStore) throws -> String {
        let records = try store.sweeps()
        let html = "<h1>Sweeps in \(XMLText.escaped(storePath))</h1>\n"
        guard !records.isEmpty else { return html + "<p class=\"muted\">The store holds no sweep yet.</p>\n" }
        let rows = try records.reversed().map { record -> HTMLTable.Row in
            let counts = try store.counts(sweep: record.id)
            return HTMLTable.Row([
                HTMLTable.Cell(html: DashboardFormat.link(DashboardLink.overview(record.name), record.name), class: "text"),
                HTMLTable.Cell(DashboardFormat.time(record.createdAt), class: "text"),
                HTMLTable.Cell(String(counts.total)), HTMLTable.Cell(String(counts.pending)), HTMLTable.Cell(String(counts.running)),
                HTMLTable.Cell(String(counts.finished)), HTMLTable.Cell(String(counts.stopped)),
                HTMLTable.Cell(String(counts.failed), class: counts.failed > 0 ? "failed" : nil),
                HTMLTable.Cell(html: DashboardFormat.link(DashboardLink.leaderboard(record.name), "leaderboard"), class: "text"),
            ])
        }
        let header: [HTMLTable.Cell] = [
            HTMLTable.Cell("sweep", class: "text"), HTMLTable.Cell("registered", class: "text"), "trials", "pending", "running",
            "finished", "stopped", "failed", HTMLTable.Cell("", class: "text"),
        ]
        return html + HTMLTable(header: header, rows: rows, id: "sweeps").render()
    }
}
