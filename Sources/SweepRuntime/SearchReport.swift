import Foundation
public import Sweep
public import SweepStore
import SweepWire

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
        /// Epochs trained: the last progress report's epoch (0 for a model without epochs).
        public var epochs: Int
        /// Why the trial was stopped (the rule, the rung or epoch, the cut-off).
        public var stopReason: String?
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

    /// The report of `spec`'s sweep in `store`; nil for a grid without early stopping.
    public static func load(store: SweepStore, sweep: SweepID, spec: SweepSpec) throws -> SearchReport? {
        guard spec.search.isAdaptive || spec.search.stopping != nil else { return nil }
        let objective = spec.objective
        let history = try store.searchHistory(sweep: sweep, objective: objective)
        let curves = try store.learningCurves(sweep: sweep)
        var stops: [TrialID: StoredStop] = [:]
        for stop in try store.stoppedTrials(sweep: sweep) { stops[stop.trial] = stop }
        var trials: [Trial] = []
        var points: [Point] = []
        var best: Double?
        var totalEpochs = 0
        for record in try store.snapshot(sweep: sweep).trials {
            let state: String
            switch record.state {
            case .pending: state = "pending"
            case .running: state = "running"
            case .finished: state = "finished"
            case .failed: state = "failed"
            case .stopped: state = "stopped"
            }
            let epochs = curves[record.id]?.last?.epoch ?? 0
            let value = history.objectiveValues[record.id]
            trials.append(
                Trial(
                    trial: record.id.rawValue, label: record.config.label, state: state, value: value, epochs: epochs,
                    stopReason: stops[record.id]?.reason))
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
        if !bestSoFar.isEmpty {
            lines += ["", "| trials | epochs | best \(objective) |", "|---:|---:|---:|"]
            let marks = Set([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, bestSoFar.count])
            for (offset, point) in bestSoFar.enumerated() where marks.contains(offset + 1) {
                lines.append("| \(point.trials) | \(point.epochs) | \(Self.format(point.best)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    static func format(_ value: Double) -> String { String(format: "%.6g", value) }
}
