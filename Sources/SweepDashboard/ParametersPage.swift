import Foundation
import HTMLRender
import ParameterSpecs
import Sweep

/// For each model of a sweep: which hyperparameters move the primary metric (``ParameterImportance``),
/// the metric against each varied parameter (a scatter of configuration means with the marginal
/// mean per level drawn over it; log axis for log-uniform ranges and for positive grids spanning
/// two decades or more), and a parallel-coordinates view of every configuration.
enum ParametersPage {
    static func body(_ leaderboard: Leaderboard, spec: SweepSpec, sweep: String, model: String?) -> String {
        let metric = leaderboard.metric
        var html = "<h1>Parameters</h1>\n"
        html += "<p>Each point is one configuration's mean <b>\(DashboardFormat.escaped(metric.primary))</b> over its seeds "
        html += "(\(metric.direction == .minimize ? "lower" : "higher") is better). The orange line is the mean at each value "
        html += "(the parameter's marginal). <i>Variance explained</i> is ε², one parameter at a time, adjusted for the number "
        html += "of values it takes; a guide to where the metric moves, not a test.</p>\n"
        html += "<p class=\"filters\">model: " + filterLink(sweep, nil, current: model)
        for name in leaderboard.models { html += filterLink(sweep, name, current: model) }
        html += "</p>\n"
        let models = model.map { [$0] } ?? leaderboard.models
        if let model, !leaderboard.models.contains(model) {
            return html + "<p>No configuration of model <b>\(DashboardFormat.escaped(model))</b> has a result in this sweep.</p>\n"
        }
        if models.isEmpty { html += "<p class=\"muted\">No configuration has a result yet.</p>\n" }
        for name in models {
            html += section(leaderboard.model(name), model: name, space: spec.models.first { $0.model == name }, metric: metric)
        }
        return html
    }

    static func section(_ leaderboard: Leaderboard, model: String, space: ModelSweep?, metric: MetricSpec) -> String {
        let rows = leaderboard.rows.filter { $0.mean(metric.primary)?.isFinite == true }
        var html = "<section class=\"model\" data-model=\"\(DashboardFormat.escaped(model))\"><h2>\(DashboardFormat.escaped(model))</h2>\n"
        html += "<p>\(rows.count) configuration\(rows.count == 1 ? "" : "s") with a result.</p>\n"
        let importance = ParameterImportance(points: rows.map { ($0.configuration.parameters, $0.mean(metric.primary)!) })
        guard !importance.entries.isEmpty else {
            return html + "<p class=\"muted\">No parameter takes two values among them yet.</p></section>\n"
        }
        let bars = importance.entries.map {
            BarChart.Bar(
                label: $0.parameter, value: $0.share, valueText: String(format: "%.2f", $0.share) + ($0.adjusted ? "" : " (η²)"),
                tooltip: "\($0.parameter): \($0.levels.count) levels")
        }
        html += "<h3>Variance explained</h3>\n" + BarChart(bars: bars, title: "share of the variance of \(metric.primary) by parameter").svg()
        html += "<h3>\(DashboardFormat.escaped(metric.primary)) against each parameter</h3>\n<div class=\"charts\">\n"
        var axes: [ParallelCoordinates.Axis] = []
        var columns: [(name: String, categories: [String]?)] = []
        for entry in importance.entries {
            let values = rows.compactMap { $0.configuration.parameters[entry.parameter] }
            let numeric = values.allSatisfy { $0.doubleValue != nil && $0.boolValue == nil }
            let categories = numeric ? nil : Array(Set(values.map(\.description))).sorted()
            let log = numeric && isLogScale(entry.parameter, values: values.compactMap(\.doubleValue), space: space)
            var plot = ScatterPlot(
                title: "\(metric.primary) against \(entry.parameter)", xLabel: entry.parameter, yLabel: metric.primary,
                points: rows.compactMap { row in
                    guard let value = row.configuration.parameters[entry.parameter] else { return nil }
                    let x = numeric ? value.doubleValue! : Double(categories!.firstIndex(of: value.description)!)
                    let mean = row.mean(metric.primary)!
                    return ScatterPlot.Point(x: x, y: mean, tooltip: "\(row.configuration.description): \(Leaderboard.valueText(mean))")
                })
            plot.logX = log
            plot.categories = categories
            if let categories {
                plot.line = entry.levels.compactMap { level in categories.firstIndex(of: level.label).map { [Double($0), level.mean] } }
            } else {
                plot.line = entry.levels.compactMap { level in level.x.map { [$0, level.mean] } }
            }
            html += plot.svg()
            axes.append(ParallelCoordinates.Axis(name: entry.parameter, logScale: log, categories: categories))
            columns.append((entry.parameter, categories))
        }
        html += "</div>\n"
        axes.append(ParallelCoordinates.Axis(name: metric.primary))
        let lines = rows.map { row -> ParallelCoordinates.Line in
            var values: [Double?] = columns.map { column in
                guard let value = row.configuration.parameters[column.name] else { return nil }
                if let categories = column.categories { return categories.firstIndex(of: value.description).map(Double.init) }
                return value.doubleValue
            }
            let mean = row.mean(metric.primary)!
            values.append(mean)
            return ParallelCoordinates.Line(
                values: values, score: metric.direction == .minimize ? -mean : mean,
                tooltip: "\(row.configuration.description): \(Leaderboard.valueText(mean))")
        }
        html += "<h3>All configurations</h3>\n"
        html += ParallelCoordinates(title: "configurations of \(model), darker is better", axes: axes, lines: lines).svg()
        return html + "</section>\n"
    }

    /// Log-uniform in the sweep file, or positive values spanning a factor of 100 or more.
    static func isLogScale(_ parameter: String, values: [Double], space: ModelSweep?) -> Bool {
        if case .logUniform = space?.spaces[parameter] { return true }
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high / low >= 100
    }

    static func filterLink(_ sweep: String, _ model: String?, current: String?) -> String {
        let link = DashboardFormat.link(DashboardLink.parameters(sweep, model: model), model ?? "all")
        return model == current ? link.replacingOccurrences(of: "<a ", with: "<a class=\"current\" ") : link
    }
}
