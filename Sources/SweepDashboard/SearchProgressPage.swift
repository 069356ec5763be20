import Foundation
import HTMLRender
import Sweep

/// How the search is going: the best primary metric so far against the number of results recorded
/// and against time since the first result, with the trial that holds it. One result per trial
/// (one seed), in the order the store recorded them.
enum SearchProgressPage {
    static func body(
        timeline: [(recordedAt: Date, trial: TrialID, value: Double)], spec: SweepSpec, sweep: String
    ) -> String {
        let metric = spec.metric
        var html = "<h1>Search progress</h1>\n"
        html += "<p>Search: <b>\(DashboardFormat.escaped(spec.search.isAdaptive ? "adaptive" : "grid or sampled"))</b>. "
        html += "Best single-trial <b>\(DashboardFormat.escaped(metric.primary))</b> so far "
        html += "(\(metric.direction == .minimize ? "lowest" : "highest")), one point per result as recorded.</p>\n"
        let finite = timeline.filter { $0.value.isFinite }
        guard let first = finite.first else { return html + "<p class=\"muted\">No result yet.</p>\n" }
        var best = first
        var byCount: [[Double]] = []
        var byTime: [[Double]] = []
        for (index, entry) in finite.enumerated() {
            let better = metric.direction == .minimize ? entry.value < best.value : entry.value > best.value
            if better { best = entry }
            byCount.append([Double(index + 1), best.value])
            byTime.append([entry.recordedAt.timeIntervalSince(first.recordedAt), best.value])
        }
        html += "<p id=\"best\">Best: \(Leaderboard.valueText(best.value)) by "
        html += DashboardFormat.link(DashboardLink.trial(sweep, best.trial.rawValue), best.trial.rawValue)
        html += ", result \(byCount.firstIndex { $0[1] == best.value }.map { $0 + 1 } ?? 0) of \(finite.count).</p>\n"
        html += "<div class=\"charts\">\n"
        let all = finite.enumerated().map { [Double($0.offset + 1), $0.element.value] }
        html += LineChart(
            title: "best \(metric.primary) so far against results recorded", xLabel: "results",
            series: [
                LineChart.Series(points: all, colour: "#c8d4e6", strokeWidth: 1),
                LineChart.Series(points: byCount, colour: "#4a7ab5", strokeWidth: 2),
            ]
        ).svg()
        html += LineChart(
            title: "best \(metric.primary) so far against seconds since the first result", xLabel: "seconds",
            series: [LineChart.Series(points: byTime, colour: "#d35400", strokeWidth: 2)]
        ).svg()
        return html + "</div>\n"
    }
}
