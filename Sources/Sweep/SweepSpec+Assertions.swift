public import ParameterSpecs

extension SweepSpec {
    /// Why `assertion` can never be checked against this sweep's leaderboard, or nil when it can.
    ///
    /// An assertion reads the leaderboard (``CIAssertion/evaluate(_:)``), and a leaderboard keeps
    /// only its columns: the primary metric and `metric.record`. So the metric must be one of
    /// them; when it is not, the message says whether a model of the sweep reports it (then it
    /// can be added to `metric.record` in `file`) or none does (then it lists the metrics that can
    /// be asserted, with a "did you mean" for a near miss).
    /// - Parameter file: the sweep file as the user named it, for the message.
    public func assertionProblem(_ assertion: CIAssertion, catalog: ModelCatalog, file: String) -> String? {
        let columns = metric.columns
        let name = assertion.metric
        if columns.contains(name) { return nil }
        let listed = columns.joined(separator: ", ")
        let declaring = models.compactMap { catalog.model(named: $0.model) }.filter { !$0.metrics.isEmpty }
        let reporting = declaring.filter { Self.reports($0, name) }.map(\.name)
        if !reporting.isEmpty {
            return "'\(name)' is not on this sweep's leaderboard (its metrics: \(listed)): add it to 'metric.record' in "
                + "\(file) (\(reporting.joined(separator: ", ")) \(reporting.count == 1 ? "reports" : "report") it), "
                + "or assert one of \(listed)"
        }
        let reported = Array(Set(declaring.flatMap(\.metrics)).subtracting(columns)).sorted()
        return "no model in this sweep reports '\(name)'\(DidYouMean.separator(for: name, among: columns + reported))"
            + "the metrics that can be asserted are \(listed)"
            + (reported.isEmpty ? "" : " (and, once added to 'metric.record' in \(file), any the models report: \(reported.joined(separator: ", ")))")
    }
}
