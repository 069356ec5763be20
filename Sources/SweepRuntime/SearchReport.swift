import Foundation
import HTMLRender
public import Sweep
public import SweepStore
public import SweepWire

/// How an adaptive search or early stopping went, from the store: every trial in suggestion
/// order with its objective value, the epochs it trained and whether it was stopped (and where),
/// and the best-so-far curve against trials and against total epochs trained. Printed after the
/// leaderboard and written as `search.json` beside it.
public struct SearchReport: Sendable, Codable, Hashable {
    public struct Trial: Sendable, Codable, Hashable {
        public var trial: String
        public var label: String
        /// `finished`, `stopped` or `failed` (or `pending`/`running` while the sweep runs).
        public var state: String
        /// The objective: the result's (finished) or the last progress report's (stopped).
        public var value: Double?
        /// Epochs trained: the last progress report's epoch (0 for a model without epochs; in a
        /// report without curves, see `maximumCurves`, a stopped trial's stop epoch, else 0).
        public var epochs: Int
        /// Why the trial was stopped (the rule, the rung or epoch, the cut-off).
        public var stopReason: String?
        /// Its learning curve: `[epoch, objective]` per progress report of its last attempt.
        public var curve: [[Double]]
    }

    public struct Point: Sendable, Codable, Hashable {
        public var trials: Int
        public var epochs: Int
        public var best: Double
    }

    public var method: String
    public var stopping: String?
    public var objective: String
    public var direction: MetricDirection
    public var trials: [Trial]
    public var bestSoFar: [Point]

    /// Sweeps with more trials than this get no learning curves in the report (a chart of that
    /// many lines says nothing, and reading them would slow the end of a large sweep).
    public static let maximumCurves = 2_000

    /// The report of `spec`'s sweep in `store`; nil for a grid without early stopping. `trials`:
    /// the sweep's records when the caller has them (the coordinator), else they are read.
    public static func load(
        store: SweepStore, sweep: SweepID, spec: SweepSpec, trials records: [TrialRecord]? = nil
    ) throws -> SearchReport? {
        guard spec.search.isAdaptive || spec.search.stopping != nil else { return nil }
        let objective = spec.objective
        let history = try store.searchHistory(sweep: sweep, objective: objective, progress: false)
        let records = try records ?? store.snapshot(sweep: sweep).trials
        let curves = records.count <= maximumCurves ? try store.learningCurves(sweep: sweep) : [:]
        var stops: [TrialID: StoredStop] = [:]
        for stop in try store.stoppedTrials(sweep: sweep) { stops[stop.trial] = stop }
        var trials: [Trial] = []
        var points: [Point] = []
        var best: Double?
        var totalEpochs = 0
        for record in records {
            let state: String
            switch record.state {
            case .pending: state = "pending"
            case .running: state = "running"
            case .finished: state = "finished"
            case .failed: state = "failed"
            case .stopped: state = "stopped"
            }
            let reports = curves[record.id] ?? []
            let epochs = reports.last?.epoch ?? stops[record.id]?.epoch ?? 0
            let value = history.objectiveValues[record.id]
            let curve = reports.compactMap { report in report.values[objective].map { [Double(report.epoch), $0] } }
            trials.append(
                Trial(
                    trial: record.id.rawValue, label: record.config.label, state: state, value: value, epochs: epochs,
                    stopReason: stops[record.id]?.reason, curve: curve))
            guard record.state.isFinal else { continue }
            totalEpochs += epochs
            if let value, value.isFinite, best.map({ spec.metric.direction.isBetter(value, than: $0) }) ?? true { best = value }
            if let best { points.append(Point(trials: trials.count, epochs: totalEpochs, best: best)) }
        }
        return SearchReport(
            method: spec.search.method.rawValue, stopping: spec.search.stopping?.phrase, objective: objective,
            direction: spec.metric.direction, trials: trials, bestSoFar: points)
    }

    /// A short Markdown summary: counts, epochs, the best configuration by the objective, and the
    /// best-so-far curve at a few points.
    public func markdown() -> String {
        let stopped = trials.filter { $0.state == "stopped" }
        let epochs = trials.reduce(0) { $0 + $1.epochs }
        var lines = ["## Search: \(method)\(stopping.map { ", stopping \($0)" } ?? "")", ""]
        lines.append(
            "\(trials.count) trials, \(stopped.count) stopped early, \(epochs) epochs trained in all; objective \(objective) (\(direction.rawValue)).")
        let ranked = trials.filter { $0.state == "finished" && $0.value?.isFinite == true }
        if let top = ranked.min(by: { direction.isBetter($0.value!, than: $1.value!) }) {
            lines.append("Best finished trial by \(objective): \(top.label) = \(Self.format(top.value!)) after \(top.epochs) epochs.")
        }
        if !stopped.isEmpty {
            var byEpoch: [Int: Int] = [:]
            for trial in stopped { byEpoch[trial.epochs, default: 0] += 1 }
            lines.append(
                "Stopped: " + byEpoch.keys.sorted().map { "\(byEpoch[$0]!) after epoch \($0)" }.joined(separator: ", ") + ".")
        }
        if !stopped.isEmpty {
            lines += ["", "Stopped early (no test metrics; \(objective) at the stop):", "", "| trial | stopped after epoch | \(objective) |", "| :--- | ---: | ---: |"]
            for trial in stopped.sorted(by: { $0.epochs != $1.epochs ? $0.epochs > $1.epochs : $0.label < $1.label }) {
                lines.append("| \(trial.label) | \(trial.epochs) | \(trial.value.map(Self.format) ?? "–") |")
            }
        }
        if !bestSoFar.isEmpty {
            lines += ["", "| trials | epochs | best \(objective) |", "|---:|---:|---:|"]
            let marks = Set([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, bestSoFar.count])
            for (offset, point) in bestSoFar.enumerated() where marks.contains(offset + 1) {
                lines.append("| \(point.trials) | \(point.epochs) | \(Self.format(point.best)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An HTML section (inline SVG, no scripts) for the leaderboard page: the best-so-far curve
    /// against trials and against total epochs, and every trial's learning curve (finished in
    /// blue, stopped in grey, the best finished trial in red).
    public func htmlSection() -> String {
        let name = XMLText.escaped(objective)
        var html = "<h2>Search: \(XMLText.escaped(method))\(stopping.map { ", stopping " + XMLText.escaped($0) } ?? "")</h2>\n"
        let stopped = trials.filter { $0.state == "stopped" }.count
        html += "<p>\(trials.count) trials, \(stopped) stopped early, \(trials.reduce(0) { $0 + $1.epochs }) epochs; "
        html += "objective <b>\(name)</b> (\(direction.rawValue)).</p>\n"
        html += "<h3>Best \(name) so far</h3>\n"
        html += LineChart(
            title: "best \(objective) against trials", xLabel: "trials",
            series: [.init(points: bestSoFar.map { [Double($0.trials), $0.best] }, colour: "#4a7ab5", strokeWidth: 2)]
        ).svg()
        html += LineChart(
            title: "best \(objective) against total epochs", xLabel: "epochs trained",
            series: [.init(points: bestSoFar.map { [Double($0.epochs), $0.best] }, colour: "#4a7ab5", strokeWidth: 2)]
        ).svg()
        let finished = trials.filter { $0.state == "finished" && $0.value?.isFinite == true }
        let best = finished.min { direction.isBetter($0.value!, than: $1.value!) }?.trial
        var series: [LineChart.Series] = []
        for trial in trials where trial.trial != best && !trial.curve.isEmpty {
            series.append(.init(points: trial.curve, colour: trial.state == "stopped" ? "#bbbbbb" : "#4a7ab5", strokeWidth: 1))
        }
        if let best, let trial = trials.first(where: { $0.trial == best }) {
            series.append(.init(points: trial.curve, colour: "#c0392b", strokeWidth: 2))
        }
        html += "<h3>Learning curves (\(name) per epoch; grey: stopped, red: best finished)</h3>\n"
        html += LineChart(title: "learning curves", xLabel: "epoch", series: series).svg()
        let stoppedTrials = trials.filter { $0.state == "stopped" }
        if !stoppedTrials.isEmpty {
            html += "<h3>Stopped early</h3>\n"
            let table = HTMLTable(
                header: [HTMLTable.Cell("trial", class: "text"), "stopped after epoch", HTMLTable.Cell(objective), HTMLTable.Cell("why", class: "text")],
                rows: stoppedTrials.map { trial in
                    HTMLTable.Row([
                        HTMLTable.Cell(trial.label, class: "text"), HTMLTable.Cell(String(trial.epochs)),
                        HTMLTable.Cell(trial.value.map(Self.format) ?? "–"), HTMLTable.Cell(trial.stopReason ?? "", class: "text"),
                    ])
                })
            html += table.render()
        }
        return html
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    static func format(_ value: Double) -> String { SVGNumber.label(value) }
}
