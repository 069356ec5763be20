/// A quality gate for CI: `--assert 'rmse<=0.95'` fails the build when the sweep's best result
/// misses the threshold.
///
/// Which value is checked:
/// - the primary metric: the mean of the top-ranked configuration (the best in the sweep's direction);
/// - another metric: its best mean over all configurations, "best" read from the operator
///   (`<`/`<=` take the smallest mean, `>`/`>=` the largest); `==` checks the top-ranked
///   configuration's mean of it.
/// `==` allows a relative tolerance of 1e-9 (means are sums of doubles).
public struct CIAssertion: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
        case lessOrEqual = "<="
        case less = "<"
        case greaterOrEqual = ">="
        case greater = ">"
        case equal = "=="

        /// Whether `actual` satisfies `actual <op> threshold`.
        public func holds(_ actual: Double, _ threshold: Double) -> Bool {
            switch self {
            case .lessOrEqual: return actual <= threshold
            case .less: return actual < threshold
            case .greaterOrEqual: return actual >= threshold
            case .greater: return actual > threshold
            case .equal: return abs(actual - threshold) <= 1e-9 * max(1, abs(threshold))
            }
        }
    }

    /// Why an assertion's text cannot be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var message: String

        public init(text: String, message: String) {
            self.text = text
            self.message = message
        }

        public var description: String { "--assert '\(text)': \(message)" }
    }

    public var metric: String
    public var comparison: Comparison
    public var threshold: Double

    public init(metric: String, comparison: Comparison, threshold: Double) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
    }

    /// Reads `METRIC OP NUMBER` (`rmse<=0.95`, `ndcg@10 >= 0.3`); OP is `<=`, `<`, `>=`, `>` or `==`.
    public init(parsing text: String) throws(ParseError) {
        let usage = "expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        guard let start = text.firstIndex(where: { $0 == "<" || $0 == ">" || $0 == "=" || $0 == "!" }) else {
            throw ParseError(text: text, message: "no comparison operator; \(usage)")
        }
        let metric = text[..<start].trimmingWhitespace()
        guard !metric.isEmpty, !metric.contains(where: \.isWhitespace) else {
            throw ParseError(text: text, message: "missing or malformed metric name; \(usage)")
        }
        let rest = text[start...]
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw ParseError(text: text, message: "unknown operator in '\(rest)'; \(usage)")
        }
        let numberText = rest.dropFirst(comparison.rawValue.count).trimmingWhitespace()
        guard let threshold = Double(numberText), threshold.isFinite else {
            let problem = numberText.isEmpty ? "missing threshold" : "'\(numberText)' is not a number"
            throw ParseError(text: text, message: "\(problem); \(usage)")
        }
        self.init(metric: metric, comparison: comparison, threshold: threshold)
    }

    /// `rmse<=0.95`
    public var description: String { "\(metric)\(comparison.rawValue)\(TextFormat.exact(threshold))" }

    /// Checks the assertion against `leaderboard` (see the type's documentation for which value).
    public func evaluate(_ leaderboard: Leaderboard) -> CIAssertionResult {
        let row: LeaderboardRow?
        let what: String
        if metric == leaderboard.metric.primary || comparison == .equal {
            row = leaderboard.best
            what = "top-ranked"
        } else {
            let reporting = leaderboard.rows.filter { $0.mean(metric) != nil }
            let smallest = comparison == .less || comparison == .lessOrEqual
            row = reporting.reduce(nil) { best, candidate in
                guard let best else { return candidate }
                let (a, b) = (candidate.mean(metric)!, best.mean(metric)!)
                return (smallest ? a < b : a > b) ? candidate : best
            }
            what = smallest ? "smallest" : "largest"
        }
        guard let row, let actual = row.mean(metric) else {
            let reason =
                row == nil
                ? "no successful trial reported '\(metric)'" : "the top-ranked configuration did not report '\(metric)'"
            return CIAssertionResult(
                assertion: self, passed: false, actual: nil, configuration: nil, message: "FAIL \(self): \(reason)")
        }
        let passed = comparison.holds(actual, threshold)
        var shown = TextFormat.fixed(actual)
        if shown == TextFormat.fixed(threshold) { shown = TextFormat.exact(actual) }
        let message = "\(passed ? "PASS" : "FAIL") \(self): \(what) mean \(metric) = \(shown) (\(row.configuration))"
        return CIAssertionResult(
            assertion: self, passed: passed, actual: actual, configuration: row.configuration, message: message)
    }
}
