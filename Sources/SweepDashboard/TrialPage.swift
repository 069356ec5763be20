import Foundation
import HTMLRender
import RecEval
import Sweep
import SweepStore

/// One trial: its configuration and seed (with links to the same configuration's other seeds),
/// state, every attempt with worker, host and duration, the counted result and timings, the stop
/// or failure that ended it, and its progress curves (one line per attempt, per figure).
enum TrialPage {
    static func body(_ trial: StoredTrial, siblings: [(id: TrialID, seed: UInt64, state: String)], sweep: String, now: Date) -> String {
        var html = "<h1>Trial \(DashboardFormat.escaped(trial.id.rawValue))</h1>\n"
        html += "<p>State: <b class=\"state-\(DashboardFormat.escaped(trial.state))\" id=\"state\">\(DashboardFormat.escaped(trial.state))</b>; "
        html += "\(trial.attemptsUsed) attempt\(trial.attemptsUsed == 1 ? "" : "s").</p>\n"
        html += "<h2>Configuration</h2>\n"
        var rows = [HTMLTable.Row([HTMLTable.Cell("model", class: "text"), HTMLTable.Cell(trial.config.model, class: "text")])]
        for name in trial.config.parameters.keys.sorted() {
            rows.append(HTMLTable.Row([HTMLTable.Cell(name, class: "text"), HTMLTable.Cell(trial.config.parameters[name]!.description, class: "text")]))
        }
        rows.append(HTMLTable.Row([HTMLTable.Cell("seed", class: "text"), HTMLTable.Cell(String(trial.config.seed), class: "text")]))
        html += HTMLTable(header: [HTMLTable.Cell("parameter", class: "text"), HTMLTable.Cell("value", class: "text")], rows: rows, id: "configuration").render()
        if !siblings.isEmpty {
            html += "<p>Other seeds of this configuration: "
            html += siblings.map { "\(DashboardFormat.link(DashboardLink.trial(sweep, $0.id.rawValue), "seed \($0.seed)")) (\(DashboardFormat.escaped($0.state)))" }
                .joined(separator: ", ")
            html += "</p>\n"
        }
        if let error = trial.error, trial.state == "failed" {
            html += "<h2>Failure</h2>\n<p>\(DashboardFormat.escaped(trial.failureKind ?? "failed"))"
            html += trial.failureKind == "deterministic" ? " (a model error: not retried)" : ""
            html += ":</p>\n<pre class=\"error\" id=\"error\">\(DashboardFormat.escaped(error))</pre>\n"
        }
        if let stop = trial.stop {
            html += "<h2>Stopped early</h2>\n<p>After epoch \(stop.epoch) on \(DashboardFormat.escaped(stop.worker)): \(DashboardFormat.escaped(stop.reason))</p>\n"
        }
        if let result = trial.result {
            html += "<h2>Result</h2>\n<p>From attempt \(result.attempt) on \(DashboardFormat.escaped(result.worker))"
            html += result.host.map { " (\(DashboardFormat.escaped($0)))" } ?? ""
            html += ", recorded \(DashboardFormat.time(result.recordedAt)), code \(DashboardFormat.escaped(result.codeVersion)).</p>\n"
            let metricRows = MetricText.sorted(result.metrics.values.keys).map {
                HTMLTable.Row([HTMLTable.Cell($0, class: "text"), HTMLTable.Cell(MetricText.value(result.metrics.values[$0]!, of: $0))])
            }
            html += HTMLTable(header: [HTMLTable.Cell("metric", class: "text"), "value"], rows: metricRows, id: "metrics").render()
            if !result.metrics.timings.isEmpty {
                let timingRows = result.metrics.timings.keys.sorted().map {
                    HTMLTable.Row([HTMLTable.Cell($0, class: "text"), HTMLTable.Cell(String(format: "%.3f", result.metrics.timings[$0]!))])
                }
                html += HTMLTable(header: [HTMLTable.Cell("phase", class: "text"), "seconds"], rows: timingRows).render()
            }
        }
        html += "<h2>Attempts</h2>\n"
        if trial.attempts.isEmpty {
            html += "<p class=\"muted\">Not leased yet.</p>\n"
        } else {
            let attemptRows = trial.attempts.map { attempt -> HTMLTable.Row in
                let duration = (attempt.endedAt ?? now).timeIntervalSince(attempt.startedAt)
                return HTMLTable.Row([
                    HTMLTable.Cell(String(attempt.attempt)), HTMLTable.Cell(String(attempt.leaseEpoch)),
                    HTMLTable.Cell(attempt.worker, class: "text"), HTMLTable.Cell(attempt.host ?? "–", class: "text"),
                    HTMLTable.Cell(DashboardFormat.time(attempt.startedAt), class: "text"),
                    HTMLTable.Cell(DashboardFormat.duration(duration) + (attempt.endedAt == nil ? " so far" : "")),
                    HTMLTable.Cell(attempt.outcome?.rawValue ?? "running", class: "text"),
                    HTMLTable.Cell(attempt.error ?? "", class: "text"),
                ])
            }
            let header: [HTMLTable.Cell] = [
                "attempt", "lease", HTMLTable.Cell("worker", class: "text"), HTMLTable.Cell("host", class: "text"),
                HTMLTable.Cell("started", class: "text"), "duration", HTMLTable.Cell("outcome", class: "text"),
                HTMLTable.Cell("error", class: "text"),
            ]
            html += HTMLTable(header: header, rows: attemptRows, id: "attempts").render()
        }
        html += "<h2>Progress</h2>\n" + curves(trial.progress)
        return html
    }

    static let palette = ["#4a7ab5", "#d35400", "#217a3c", "#8e44ad", "#b00000"]

    /// One line chart per reported figure (x: epoch), a line per attempt.
    static func curves(_ progress: [StoredTrial.Progress]) -> String {
        guard !progress.isEmpty else { return "<p class=\"muted\">No progress reported (the model reports none, or it has not finished an epoch).</p>\n" }
        let figures = MetricText.sorted(Set(progress.flatMap(\.values.keys)))
        let attempts = Array(Set(progress.map(\.attempt))).sorted()
        var html = "<div class=\"charts\">\n"
        for figure in figures {
            let series = attempts.enumerated().map { index, attempt in
                LineChart.Series(
                    points: progress.filter { $0.attempt == attempt }.compactMap { report in report.values[figure].map { [Double(report.epoch), $0] } },
                    colour: palette[index % palette.count], strokeWidth: 2)
            }
            var chart = LineChart(title: "\(figure) by epoch" + (attempts.count > 1 ? " (one line per attempt)" : ""), xLabel: "epoch", series: series)
            chart.width = 340
            chart.height = 200
            html += "<figure><figcaption>\(DashboardFormat.escaped(figure))</figcaption>\(chart.svg())</figure>\n"
        }
        return html + "</div>\n"
    }
}
