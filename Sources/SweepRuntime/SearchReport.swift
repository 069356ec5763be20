import Foundation
import RecData
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
        html += Self.chart(
            title: "best \(name) against trials", xLabel: "trials",
            series: [(bestSoFar.map { [Double($0.trials), $0.best] }, "#4a7ab5", 2)])
        html += Self.chart(
            title: "best \(name) against total epochs", xLabel: "epochs trained",
            series: [(bestSoFar.map { [Double($0.epochs), $0.best] }, "#4a7ab5", 2)])
        let finished = trials.filter { $0.state == "finished" && $0.value?.isFinite == true }
        let best = finished.min { direction.isBetter($0.value!, than: $1.value!) }?.trial
        var series: [([[Double]], String, Double)] = []
        for trial in trials where trial.trial != best && !trial.curve.isEmpty {
            series.append((trial.curve, trial.state == "stopped" ? "#bbbbbb" : "#4a7ab5", 1))
        }
        if let best, let trial = trials.first(where: { $0.trial == best }) { series.append((trial.curve, "#c0392b", 2)) }
        html += "<h3>Learning curves (\(name) per epoch; grey: stopped, red: best finished)</h3>\n"
        html += Self.chart(title: "learning curves", xLabel: "epoch", series: series)
        let stoppedTrials = trials.filter { $0.state == "stopped" }
        if !stoppedTrials.isEmpty {
            html += "<h3>Stopped early</h3>\n<table><tr><th class=\"text\">trial</th><th>stopped after epoch</th><th>\(name)</th><th class=\"text\">why</th></tr>\n"
            for trial in stoppedTrials {
                html += "<tr><td class=\"text\">\(XMLText.escaped(trial.label))</td><td>\(trial.epochs)</td>"
                html += "<td>\(trial.value.map(Self.format) ?? "–")</td><td class=\"text\">\(XMLText.escaped(trial.stopReason ?? ""))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }

    /// A line chart of `series` (points `[x, y]`, colour, stroke width) with its extremes labelled.
    static func chart(title: String, xLabel: String, series: [([[Double]], String, Double)]) -> String {
        let width = 640.0, height = 240.0, left = 70.0, bottom = 30.0, top = 10.0, right = 10.0
        let points = series.flatMap(\.0).filter { $0.count == 2 && $0[0].isFinite && $0[1].isFinite }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg += "<title>\(XMLText.escaped(title))</title>\n"
        guard let minX = points.map({ $0[0] }).min(), let maxX = points.map({ $0[0] }).max(),
            let minY = points.map({ $0[1] }).min(), let maxY = points.map({ $0[1] }).max()
        else { return svg + "<text x=\"8\" y=\"20\">nothing reported yet</text></svg>\n" }
        let spanX = maxX > minX ? maxX - minX : 1, spanY = maxY > minY ? maxY - minY : 1
        func x(_ value: Double) -> String { String(format: "%.1f", left + (value - minX) / spanX * (width - left - right)) }
        func y(_ value: Double) -> String { String(format: "%.1f", top + (maxY - value) / spanY * (height - top - bottom)) }
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(height - bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(height - bottom))\" stroke=\"#888\"/>"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(top))\" x2=\"\(Int(left))\" y2=\"\(Int(height - bottom))\" stroke=\"#888\"/>\n"
        svg += "<text x=\"4\" y=\"\(Int(top) + 10)\">\(format(maxY))</text>"
        svg += "<text x=\"4\" y=\"\(Int(height - bottom))\">\(format(minY))</text>"
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(height) - 8)\">\(format(minX))</text>"
        svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height) - 8)\">\(XMLText.escaped(xLabel))</text>"
        svg += "<text x=\"\(Int(width - right) - 40)\" y=\"\(Int(height) - 8)\">\(format(maxX))</text>\n"
        for (line, colour, stroke) in series {
            let path = line.filter { $0.count == 2 && $0[0].isFinite && $0[1].isFinite }.map { "\(x($0[0])),\(y($0[1]))" }
            guard !path.isEmpty else { continue }
            if path.count == 1 {
                let parts = path[0].split(separator: ",")
                svg += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"2\" fill=\"\(colour)\"/>\n"
            } else {
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(stroke)\" points=\"\(path.joined(separator: " "))\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    static func format(_ value: Double) -> String { String(format: "%.6g", value) }
}
