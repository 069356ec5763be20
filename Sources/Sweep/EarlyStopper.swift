import Foundation

/// The state of an ``EarlyStoppingRule`` over a sweep's progress reports: told each validation
/// value a running trial reports, it says whether the trial goes on. A value: no I/O, no clock.
///
/// Deterministic given the order of reports: the same reports in the same order give the same
/// decisions, so a coordinator that replays the persisted reports in their stored order after a
/// restart is in the state it had. Values are turned into losses (lower is better) by
/// `direction`. Non-finite values count as the worst possible.
///
/// - **ASHA** (Li et al. 2020, in the stopping form Ray Tune uses): when a trial's report reaches
///   rung `r` (the first report at an epoch ≥ `r`, so `every: k` holdouts still meet every rung),
///   its value is recorded at `r`; it goes on only if its loss is at most the `1/reduction`
///   quantile (linear interpolation) of every loss recorded at `r` so far, itself included. The
///   first trial at a rung always goes on. O(n log n) per rung reached (n recorded there).
/// - **Median** (Golovin et al. 2017): at epoch `t ≥ warmup`, once at least `minTrials` other
///   trials reported an epoch ≥ `t`, a trial whose best loss up to `t` is worse than the median of
///   those trials' running averages at `t` (their mean loss over their reports up to `t`) stops.
///   O(trials × log epochs) per report.
public struct EarlyStopper: Sendable {
    public enum Decision: Sendable, Hashable {
        case proceed
        /// Stop the trial at `epoch` (the rung, for ASHA); `reason` says why, for logs and reports.
        case stop(epoch: Int, reason: String)
    }

    public let rule: EarlyStoppingRule
    public let minimize: Bool
    private let rungs: [Int]
    /// ASHA: losses recorded at each rung, in arrival order.
    private var recorded: [Int: [Double]] = [:]
    /// ASHA: how many rungs each trial has passed.
    private var rungsPassed: [TrialID: Int] = [:]
    /// Median: each trial's reports in epoch order (epochs ascending) with prefix sums of losses.
    private var curves: [TrialID: Curve] = [:]
    private var stopped: Set<TrialID> = []

    struct Curve: Sendable {
        var epochs: [Int] = []
        var prefixSums: [Double] = [0]
        var best = Double.infinity

        /// Mean loss over the reports at epochs ≤ `t` (nil if none).
        func runningAverage(through t: Int) -> Double? {
            var low = 0, high = epochs.count
            while low < high {
                let middle = (low + high) / 2
                if epochs[middle] <= t { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : prefixSums[low] / Double(low)
        }
    }

    public init(rule: EarlyStoppingRule, minimize: Bool) {
        self.rule = rule
        self.minimize = minimize
        rungs = rule.rungs
    }

    /// Whether a trial was stopped by this stopper (or marked with ``markStopped(_:)``).
    public func isStopped(_ trial: TrialID) -> Bool { stopped.contains(trial) }

    /// Records that `trial` is stopped (a restart replaying a stop it persisted).
    public mutating func markStopped(_ trial: TrialID) { stopped.insert(trial) }

    /// Takes `trial`'s validation `value` after `epoch` and decides. A trial already stopped gets
    /// `.proceed` and changes nothing (its late reports do not count).
    public mutating func report(trial: TrialID, epoch: Int, value: Double) -> Decision {
        guard !stopped.contains(trial) else { return .proceed }
        let loss = value.isFinite ? (minimize ? value : -value) : .infinity
        let decision: Decision
        switch rule {
        case .asha(_, _, let reduction): decision = asha(trial, epoch, loss, reduction: reduction)
        case .median(let warmup, let minTrials): decision = median(trial, epoch, loss, warmup: warmup, minTrials: minTrials)
        }
        if case .stop = decision { stopped.insert(trial) }
        return decision
    }

    private mutating func asha(_ trial: TrialID, _ epoch: Int, _ loss: Double, reduction: Int) -> Decision {
        var passed = rungsPassed[trial, default: 0]
        defer { rungsPassed[trial] = passed }
        while passed < rungs.count, epoch >= rungs[passed] {
            let rung = rungs[passed]
            recorded[rung, default: []].append(loss)
            let losses = recorded[rung]!.sorted()
            let position = Double(losses.count - 1) / Double(reduction)
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, losses.count - 1)
            let fraction = position - Double(lower)
            let cutoff =
                losses[upper] == losses[lower] ? losses[lower] : losses[lower] + (losses[upper] - losses[lower]) * fraction
            passed += 1
            if loss > cutoff {
                let shown = minimize ? cutoff : -cutoff
                return .stop(
                    epoch: rung,
                    reason: "ASHA rung \(rung): not in the top 1/\(reduction) of the \(losses.count) trials recorded there "
                        + "(cut-off \(Self.format(shown)))")
            }
        }
        return .proceed
    }

    private mutating func median(_ trial: TrialID, _ epoch: Int, _ loss: Double, warmup: Int, minTrials: Int) -> Decision {
        var curve = curves[trial] ?? Curve()
        if let last = curve.epochs.last, epoch <= last { return .proceed }  // a repeated report (re-attempt)
        curve.epochs.append(epoch)
        curve.prefixSums.append(curve.prefixSums.last! + (loss.isFinite ? loss : .greatestFiniteMagnitude))
        curve.best = min(curve.best, loss)
        curves[trial] = curve
        guard epoch >= warmup else { return .proceed }
        var averages: [Double] = []
        for (other, otherCurve) in curves where other != trial {
            guard let last = otherCurve.epochs.last, last >= epoch, let average = otherCurve.runningAverage(through: epoch)
            else { continue }
            averages.append(average)
        }
        guard averages.count >= minTrials else { return .proceed }
        averages.sort()
        let middle = averages.count / 2
        let median = averages.count % 2 == 1 ? averages[middle] : (averages[middle - 1] + averages[middle]) / 2
        guard curve.best > median else { return .proceed }
        let shown = minimize ? median : -median
        return .stop(
            epoch: epoch,
            reason: "median rule at epoch \(epoch): best so far is worse than the median \(Self.format(shown)) of "
                + "\(averages.count) other trials' running averages")
    }

    static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "\(value)"
    }
}
