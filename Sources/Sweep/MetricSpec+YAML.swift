import Yams

extension MetricSpec {
    /// Reads `metric: {primary: rmse, direction: minimize, record: [mae, ndcg@10]}` (`record` may
    /// be a single name).
    init(_ entry: YAMLEntry) throws(SweepSpecError) {
        let map = try entry.map("metric settings, e.g. {primary: rmse, direction: minimize}")
        try map.rejectUnknownKeys(allowed: ["primary", "direction", "record"])
        let primary = try map.require("primary", hint: "the metric to rank by, e.g. 'primary: rmse'").string(
            "a metric name")
        let directionEntry = try map.require("direction", hint: "minimize or maximize")
        let words = MetricDirection.allCases.map(\.rawValue)
        guard case .string(let word)? = directionEntry.scalar, let direction = MetricDirection(rawValue: word) else {
            let text = directionEntry.value.scalar?.string ?? ""
            throw directionEntry.error(
                "'direction' must be minimize or maximize, got \(directionEntry.value.phrase)\(DidYouMean.phrase(for: text, among: words))"
            )
        }
        var record: [String] = []
        if let recordEntry = map["record"] {
            let nodes = recordEntry.value.sequence.map(Array.init) ?? [recordEntry.value]
            for node in nodes {
                guard case .string(let name)? = YAMLScalar(node), !name.isEmpty, !name.contains(where: \.isWhitespace)
                else {
                    throw recordEntry.error(
                        "'record' must list metric names like [mae, ndcg@10], got \(node.phrase)", at: node)
                }
                if name != primary && !record.contains(name) { record.append(name) }
            }
        }
        self.init(primary: primary, direction: direction, record: record)
    }
}
