import Foundation
import HTMLRender
import SweepStore

/// The overview of one sweep: counts by state (cards and a proportion bar), results per second and
/// time left, the workers with their hosts, slots, current trials and last activity, and the
/// failures grouped by message. Everything comes from ``SweepStore/overview(sweep:)``, one read.
enum OverviewPage {
    static let states: [(name: String, colour: String)] = [
        ("pending", "#bbbbbb"), ("running", "#1a6fb5"), ("finished", "#217a3c"), ("stopped", "#d9a400"), ("failed", "#bb0000"),
    ]

    static func body(_ overview: SweepOverview, sweep: String, createdAt: Date, now: Date) -> String {
        let counts = [overview.pending, overview.running, overview.finished, overview.stopped, overview.failed]
        var html = "<h1>Sweep \(DashboardFormat.escaped(sweep))</h1>\n"
        html += "<p class=\"muted\">registered \(DashboardFormat.time(createdAt)); \(overview.total) trials</p>\n"
        html += "<div class=\"cards\" id=\"counts\">"
        for (index, state) in states.enumerated() {
            html += "<div class=\"card state-\(state.name)\" data-state=\"\(state.name)\"><b>\(counts[index])</b>\(state.name)</div>"
        }
        html += "</div>\n" + proportionBar(counts: counts, total: overview.total)
        let done = overview.finished + overview.stopped + overview.failed
        html += "<p>\(done) of \(overview.total) trials done, \(overview.results) results recorded"
        if let rate = overview.resultsPerSecond {
            html += "; \(String(format: "%.3g", rate)) results/s"
            if let left = overview.secondsLeft, overview.pending + overview.running > 0 {
                html += ", about \(DashboardFormat.duration(left)) left at that rate"
            }
        }
        if let last = overview.lastResultAt { html += "; last result \(DashboardFormat.age(last, now: now))" }
        html += ".</p>\n"
        html += "<h2>Workers</h2>\n" + workers(overview, sweep: sweep, now: now)
        html += "<h2>Failures</h2>\n" + failures(overview, sweep: sweep)
        return html
    }

    /// One horizontal bar split in proportion to the counts, in the states' colours.
    static func proportionBar(counts: [Int], total: Int) -> String {
        let width = 720.0, height = 22.0
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" class=\"states\">"
        svg += "<title>trials by state</title>"
        guard total > 0 else { return svg + "<text x=\"4\" y=\"15\">no trials</text></svg>\n" }
        var x = 0.0
        for (index, count) in counts.enumerated() where count > 0 {
            let length = Double(count) / Double(total) * width
            svg += "<rect x=\"\(SVGNumber.coordinate(x))\" y=\"0\" width=\"\(SVGNumber.coordinate(length))\" height=\"\(Int(height))\" fill=\"\(states[index].colour)\">"
            svg += "<title>\(states[index].name): \(count)</title></rect>"
            x += length
        }
        return svg + "</svg>\n"
    }

    static func workers(_ overview: SweepOverview, sweep: String, now: Date) -> String {
        guard !overview.workers.isEmpty else { return "<p class=\"muted\">No worker has taken a trial of this sweep yet.</p>\n" }
        let header: [HTMLTable.Cell] = [
            HTMLTable.Cell("worker", class: "text"), HTMLTable.Cell("host", class: "text"), "slots",
            HTMLTable.Cell("running now", class: "text"), "leases", HTMLTable.Cell("joined", class: "text"),
            HTMLTable.Cell("last activity", class: "text"),
        ]
        let rows = overview.workers.map { worker -> HTMLTable.Row in
            let shown = worker.running.prefix(5).map { DashboardFormat.link(DashboardLink.trial(sweep, $0), $0) }
            let running = shown.isEmpty ? "–" : shown.joined(separator: " ") + (worker.running.count > 5 ? " … +\(worker.running.count - 5)" : "")
            return HTMLTable.Row([
                HTMLTable.Cell(worker.name, class: "text"), HTMLTable.Cell(worker.host, class: "text"), HTMLTable.Cell(String(worker.slots)),
                HTMLTable.Cell(html: running, class: "text"), HTMLTable.Cell(String(worker.attempts)),
                HTMLTable.Cell(DashboardFormat.time(worker.joinedAt), class: "text"),
                HTMLTable.Cell(worker.lastActivity.map { DashboardFormat.age($0, now: now) } ?? "–", class: "text"),
            ])
        }
        return HTMLTable(header: header, rows: rows, id: "workers").render()
    }

    /// Failure groups listed; the rest are counted (messages that embed an id can make thousands).
    static let shownFailureGroups = 20

    static func failures(_ overview: SweepOverview, sweep: String) -> String {
        guard !overview.failures.isEmpty else { return "<p class=\"muted\">No trial has failed.</p>\n" }
        var html = ""
        for group in overview.failures.prefix(shownFailureGroups) {
            html += "<div class=\"failure\"><p><b>\(group.trials) trial\(group.trials == 1 ? "" : "s")</b>"
            html += group.kind.map { " (\(DashboardFormat.escaped($0)))" } ?? ""
            html += ", e.g. \(DashboardFormat.link(DashboardLink.trial(sweep, group.example), group.example)):</p>"
            html += "<pre class=\"error\">\(DashboardFormat.escaped(group.message))</pre></div>\n"
        }
        let rest = overview.failures.dropFirst(shownFailureGroups)
        if !rest.isEmpty {
            html += "<p class=\"muted\">… and \(rest.count) other messages (\(rest.reduce(0) { $0 + $1.trials }) trials); `crossrec sweep status --format json` lists them all.</p>\n"
        }
        return html
    }
}
