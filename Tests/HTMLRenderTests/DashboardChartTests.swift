import Foundation
import HTMLRender
import Testing

/// The scatter plot and parallel coordinates of the dashboard's parameters page: valid SVG with
/// finite geometry whatever the numbers, hostile labels kept as text, log axes and categories.
@Suite("Dashboard charts")
struct DashboardChartTests {
    typealias Support = HTMLRenderTests

    @Test func aScatterPlotStaysValidWithHostileLabelsAndBadNumbers() throws {
        var plot = ScatterPlot(
            title: Support.hostile, xLabel: Support.hostile, yLabel: "y",
            points: [
                .init(x: 1, y: 2, tooltip: Support.hostile), .init(x: .nan, y: 1, tooltip: "nan"), .init(x: 3, y: .infinity, tooltip: "inf"),
                .init(x: 1e308, y: -1e308, tooltip: "huge"), .init(x: 0, y: 0.5, tooltip: "zero"),
            ],
            line: [[1, 2], [.nan, 3], [3, 1]])
        let svg = plot.svg()
        try Support.expectFiniteGeometry(svg)
        #expect(!svg.contains("<script>") && svg.contains("(2 points not drawable)"))
        plot.logX = true
        let log = plot.svg()
        try Support.expectFiniteGeometry(log)
        #expect(log.contains("(3 points not drawable)"), "x = 0 has no place on a log axis")
        #expect(log.contains("(log scale)"))
    }

    @Test func aLogAxisSpacesDecadesEvenly() throws {
        var plot = ScatterPlot(
            title: "t", xLabel: "lr", yLabel: "y", points: [0.001, 0.01, 0.1].map { .init(x: $0, y: 1, tooltip: "\($0)") })
        plot.logX = true
        let xs = try Support.attributes(of: plot.svg()).filter { $0.0 == "circle" && $0.1 == "cx" }.compactMap { Double($0.2) }
        #expect(xs.count == 3)
        #expect(abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.2, "equal steps per decade: \(xs)")
    }

    @Test func categoriesAreLabelledAndAnEmptyPlotSaysSo() throws {
        var plot = ScatterPlot(title: "t", xLabel: "solver", yLabel: "y", points: [.init(x: 0, y: 1, tooltip: "a"), .init(x: 1, y: 2, tooltip: "b")])
        plot.categories = ["cg", Support.hostile]
        let svg = plot.svg()
        try Support.expectFiniteGeometry(svg)
        #expect(svg.contains(">cg</text>") && !svg.contains("<script>"))
        let empty = ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: []).svg()
        try Support.expectFiniteGeometry(empty)
        #expect(empty.contains("nothing to plot yet"))
    }

    @Test func parallelCoordinatesDrawEveryLineBestLastAndBreakAtMissingValues() throws {
        let chart = ParallelCoordinates(
            title: Support.hostile,
            axes: [.init(name: "factors"), .init(name: "lr", logScale: true), .init(name: "solver", categories: ["cg", "chol"]), .init(name: "ndcg")],
            lines: [
                .init(values: [8, 0.01, 0, 0.2], score: 0.2, tooltip: "good"),
                .init(values: [4, 0.001, 1, 0.1], score: 0.1, tooltip: Support.hostile),
                .init(values: [16, nil, 1, 0.15], score: 0.15, tooltip: "unset lr"),
                .init(values: [.nan, 0.1, 0, .nan], score: .nan, tooltip: "broken"),
            ])
        let svg = chart.svg()
        try Support.expectFiniteGeometry(svg)
        #expect(!svg.contains("<script>"))
        let tooltips = svg.matches(of: /<title>([^<]*)<\/title><\/polyline>/).map { String($0.output.1) }
        #expect(tooltips.last == "good", "the best line is drawn last, on top")
        #expect(tooltips.filter { $0 == "unset lr" }.count == 1, "a missing value breaks the line: only solver→ndcg is drawn")
        let unset = try #require(svg.firstMatch(of: /points="([^"]*)"><title>unset lr</))
        #expect(unset.output.1.split(separator: " ").count == 2)
        #expect(tooltips.contains("broken") && tooltips.contains("good"))
        let empty = ParallelCoordinates(title: "t", axes: [.init(name: "a")], lines: []).svg()
        #expect(empty.contains("nothing to plot yet"))
    }
}
