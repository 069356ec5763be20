extension Leaderboard {
    /// Failed trials that share one kind and message: how a run that failed many trials for one
    /// reason (a missing data folder) is reported in one line instead of hundreds.
    public struct FailureGroup: Sendable, Hashable {
        public var kind: FailureKind
        public var message: String
        /// `mf(factors=8) seed 1`, in board order.
        public var trials: [String]

        public init(kind: FailureKind, message: String, trials: [String]) {
            self.kind = kind
            self.message = message
            self.trials = trials
        }
    }

    /// Every failed trial, grouped by identical kind and message; the largest group first (ties:
    /// the group whose first trial comes first on the board).
    /// - Complexity: O(f log f) in the number of failed trials.
    public var failureGroups: [FailureGroup] {
        var groups: [FailureGroup] = []
        var index: [String: Int] = [:]
        for row in rows {
            for failure in row.failures {
                let key = "\(failure.kind.rawValue)\n\(failure.message)"
                let label = "\(row.configuration) seed \(failure.seed)"
                if let at = index[key] {
                    groups[at].trials.append(label)
                } else {
                    index[key] = groups.count
                    groups.append(FailureGroup(kind: failure.kind, message: failure.message, trials: [label]))
                }
            }
        }
        return groups.enumerated().sorted { lhs, rhs in
            lhs.element.trials.count != rhs.element.trials.count
                ? lhs.element.trials.count > rhs.element.trials.count : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Lines for a terminal: for each of the first `maxGroups` groups, the count, kind and message
    /// (on one line, at most `maxMessageLength` characters), then up to `maxTrials` of its trials;
    /// a last line counts the groups left out. Empty when no trial failed.
    public func failureReport(maxGroups: Int = 5, maxTrials: Int = 3, maxMessageLength: Int = 400) -> [String] {
        let groups = failureGroups
        var lines: [String] = []
        for group in groups.prefix(maxGroups) {
            var message = group.message.split(whereSeparator: \.isNewline).joined(separator: " ")
            if message.count > maxMessageLength { message = String(message.prefix(maxMessageLength)) + "…" }
            let count = group.trials.count
            lines.append("\(count) trial\(count == 1 ? "" : "s") [\(group.kind.rawValue)]: \(message)")
            var shown = group.trials.prefix(maxTrials).joined(separator: "; ")
            if count > maxTrials { shown += "; and \(count - maxTrials) more" }
            lines.append("  \(shown)")
        }
        if groups.count > maxGroups {
            let rest = groups.count - maxGroups
            lines.append("… and \(rest) more distinct error\(rest == 1 ? "" : "s")")
        }
        return lines
    }
}
