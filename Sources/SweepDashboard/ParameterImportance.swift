import Foundation
public import ParameterSpecs

/// How much of the spread of a metric across configurations each hyperparameter accounts for, one
/// parameter at a time: the configurations are grouped by the parameter's value (a numeric
/// parameter with more than `bins` distinct values is cut into `bins` groups of near-equal size
/// by rank; an unset parameter is its own group) and the between-group share of the variance is
/// reported, with each group's mean (the parameter's marginal).
///
/// The share is ε² = (SS_between − (k−1)·MS_within) / (SS_total + MS_within), clamped at 0: η²
/// (SS_between / SS_total) corrected for the k groups it can fit by chance, which matters with few
/// configurations per group. With one configuration per group MS_within is undefined and η² is
/// reported (``Entry/adjusted`` false). A guide to where the metric moves, not a test: parameters
/// varied together (a grid) are judged one at a time, interactions are not separated.
public struct ParameterImportance: Sendable, Hashable {
    public struct Level: Sendable, Hashable {
        /// The value, or the range `low…high` of a bin, or `(unset)`.
        public var label: String
        /// Midpoint of the level on a numeric axis (nil when categorical or unset).
        public var x: Double?
        public var mean: Double
        public var count: Int
    }

    public struct Entry: Sendable, Hashable {
        public var parameter: String
        /// Share of the variance between configurations explained (0…1).
        public var share: Double
        /// Whether ``share`` is ε² (true) or η² (false: one configuration per level).
        public var adjusted: Bool
        public var levels: [Level]
    }

    /// One entry per parameter that takes at least two values (or is unset in some
    /// configurations), largest share first, ties by name.
    public var entries: [Entry]

    /// - Parameters:
    ///   - points: each configuration's parameters and metric value (non-finite values left out).
    ///   - bins: groups for a numeric parameter with many distinct values.
    /// - Complexity: O(parameters · n log n).
    public init(points: [(parameters: [String: ParameterValue], value: Double)], bins: Int = 8) {
        precondition(bins >= 2, "bins \(bins): need at least two groups")
        let points = points.filter { $0.value.isFinite }
        let names = Set(points.flatMap(\.parameters.keys)).sorted()
        var entries: [Entry] = []
        let n = Double(points.count)
        let mean = points.reduce(0) { $0 + $1.value } / max(n, 1)
        let total = points.reduce(0) { $0 + ($1.value - mean) * ($1.value - mean) }
        for name in names {
            let groups = Self.groups(points.map { ($0.parameters[name], $0.value) }, bins: bins)
            guard groups.count >= 2 else { continue }
            var between = 0.0
            var within = 0.0
            var levels: [Level] = []
            for group in groups {
                let m = group.values.reduce(0, +) / Double(group.values.count)
                between += Double(group.values.count) * (m - mean) * (m - mean)
                within += group.values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
                levels.append(Level(label: group.label, x: group.x, mean: m, count: group.values.count))
            }
            let k = Double(groups.count)
            let share: Double
            let adjusted = n > k
            if total <= 0 {
                share = 0
            } else if adjusted {
                let meanSquareWithin = within / (n - k)
                share = max(0, (between - (k - 1) * meanSquareWithin) / (total + meanSquareWithin))
            } else {
                share = between / total
            }
            entries.append(Entry(parameter: name, share: share, adjusted: adjusted, levels: levels))
        }
        self.entries = entries.sorted { ($0.share, $1.parameter) > ($1.share, $0.parameter) }
    }

    /// The groups of `(value, metric)` pairs: by value, or binned by rank when numeric with more
    /// than `bins` distinct values; unset values last.
    static func groups(_ pairs: [(ParameterValue?, Double)], bins: Int) -> [(label: String, x: Double?, values: [Double])] {
        var unset: [Double] = []
        var numeric: [(Double, Double)] = []
        var categorical: [String: [Double]] = [:]
        for (value, metric) in pairs {
            guard let value else {
                unset.append(metric)
                continue
            }
            if let number = value.doubleValue, value.boolValue == nil {
                numeric.append((number, metric))
            } else {
                categorical[value.description, default: []].append(metric)
            }
        }
        var groups: [(label: String, x: Double?, values: [Double])] = []
        numeric.sort { $0.0 < $1.0 }
        let distinct = Set(numeric.map(\.0)).count
        if distinct > bins {
            // Cut by rank into `bins` groups, never splitting equal values.
            var start = 0
            for bin in 0..<bins {
                guard start < numeric.count else { break }
                var end = max(start + 1, Int((Double(numeric.count) * Double(bin + 1) / Double(bins)).rounded()))
                end = min(end, numeric.count)
                while end < numeric.count && numeric[end].0 == numeric[end - 1].0 { end += 1 }
                if bin == bins - 1 { end = numeric.count }
                let slice = numeric[start..<end]
                let low = slice.first!.0, high = slice.last!.0
                groups.append(
                    (label: low == high ? "\(Self.text(low))" : "\(Self.text(low))…\(Self.text(high))", x: (low + high) / 2,
                     values: slice.map(\.1)))
                start = end
            }
        } else {
            var index = 0
            while index < numeric.count {
                var end = index
                while end < numeric.count && numeric[end].0 == numeric[index].0 { end += 1 }
                groups.append((label: Self.text(numeric[index].0), x: numeric[index].0, values: numeric[index..<end].map(\.1)))
                index = end
            }
        }
        for key in categorical.keys.sorted() { groups.append((label: key, x: nil, values: categorical[key]!)) }
        if !unset.isEmpty { groups.append((label: "(unset)", x: nil, values: unset)) }
        return groups
    }

    /// Up to six significant digits, no trailing noise (`0.001`, `64`, `1.5e-05`).
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(value)
        if text.count > 10, let short = Double(String(format: "%.6g", value)) { text = String(short) }
        return text
    }
}
