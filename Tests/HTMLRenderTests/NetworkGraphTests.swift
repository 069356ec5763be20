import Foundation
import HTMLRender
import Testing

@Suite("NetworkGraph")
struct NetworkGraphTests {
    @Test func hostileLabelsAndBadEdgesStayValidSVG() throws {
        let hostile = HTMLRenderTests.hostile
        let graph = NetworkGraph(
            leftLabels: [hostile, "Drama"], rightLabels: ["sports", hostile, "news"],
            edges: [
                .init(left: 0, right: 1, weight: 0.4, tooltip: hostile),
                .init(left: 1, right: 0, weight: -0.2, tooltip: "Drama × sports"),
                .init(left: 1, right: 2, weight: .nan, tooltip: "not drawn"),
                .init(left: 5, right: 0, weight: 0.3, tooltip: "no such node"),
            ], title: hostile)
        let svg = graph.svg()
        #expect(!svg.contains("<script"))
        try HTMLRenderTests.expectFiniteGeometry(svg)
        let attributes = try HTMLRenderTests.attributes(of: svg)
        let lines = attributes.filter { $0.0 == "line" && $0.1 == "stroke-width" }.map(\.2)
        // Width 1 + 7|w|/max|w|: 8 for the strongest, 4.5 for half of it.
        #expect(lines == ["8.0", "4.5"])
        #expect(attributes.filter { $0.0 == "line" && $0.1 == "stroke" }.map(\.2) == ["#c0392b", "#2c6fbb"])
        #expect(graph.drawnEdges.count == 2)
        #expect(attributes.filter { $0.0 == "circle" }.count == 5 * 4, "five nodes, four attributes each")
        #expect(!svg.contains("not drawn") && !svg.contains("no such node"))
    }

    @Test func aGraphWithoutEdgesSaysSo() throws {
        let svg = NetworkGraph(leftLabels: ["a"], rightLabels: [], edges: [], title: "t", emptyMessage: "no significant <edge>").svg()
        #expect(svg.contains(">no significant &lt;edge&gt;</text>"))
        #expect(!svg.contains("<line"))
        try HTMLRenderTests.expectFiniteGeometry(svg)
    }
}
