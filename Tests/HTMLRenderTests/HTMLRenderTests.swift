import Foundation
import HTMLRender
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The shared rendering pieces: hostile text stays text, and charts stay valid SVG whatever the
/// numbers (NaN, infinities, values near Double's limits, nothing at all).
@Suite("HTMLRender")
struct HTMLRenderTests {
    static let hostile = "<script>alert(\"x\")</script> & 'quoted' \u{1}"

    /// Parses `svg` as XML and returns every attribute of every element as (element, name, value).
    static func attributes(of svg: String) throws -> [(String, String, String)] {
        let document = try XMLDocument(xmlString: svg)
        var found: [(String, String, String)] = []
        func walk(_ element: XMLElement) {
            for attribute in element.attributes ?? [] {
                found.append((element.name ?? "", attribute.name ?? "", attribute.stringValue ?? ""))
            }
            for child in element.children ?? [] { if let child = child as? XMLElement { walk(child) } }
        }
        walk(try #require(document.rootElement()))
        #expect(document.rootElement()?.name == "svg")
        return found
    }

    /// Every coordinate, size and point list is made of finite numbers.
    static func expectFiniteGeometry(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let geometry: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points", "stroke-width"]
        for (element, name, value) in try attributes(of: svg) where geometry.contains(name) {
            let numbers = value.split(whereSeparator: { $0 == " " || $0 == "," })
            #expect(
                !numbers.isEmpty && numbers.allSatisfy { Double($0)?.isFinite == true },
                "<\(element) \(name)=\"\(value)\">", sourceLocation: sourceLocation)
        }
    }

    @Test func escapingKeepsHostileTextAsText() {
        let escaped = XMLText.escaped(Self.hostile)
        #expect(escaped == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos; \u{FFFD}")
        #expect(XMLText.escaped("tab\tand\nlines stay; é ✓ too") == "tab\tand\nlines stay; é ✓ too")
    }

    @Test func pageEscapesItsTitleAndFetchesNothing() {
        let page = HTMLPage(title: Self.hostile, body: "<p>body</p>").render()
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n") && page.hasSuffix("</body>\n</html>\n"))
        #expect(page.contains("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(!page.contains("<script"))
        #expect(page.contains("<p>body</p>\n</body>"))
    }

    @Test func tableEscapesCellsAndClasses() throws {
        let table = HTMLTable(
            header: ["rank", HTMLTable.Cell(Self.hostile, class: "text")],
            rows: [HTMLTable.Row([HTMLTable.Cell("1"), HTMLTable.Cell(Self.hostile, class: "a\"b")], class: "unranked")]
        ).render()
        #expect(!table.contains("<script"))
        #expect(table.contains("<tr class=\"unranked\"><td>1</td><td class=\"a&quot;b\">&lt;script&gt;"))
        let document = try XMLDocument(xmlString: table)
        #expect(document.rootElement()?.name == "table")
    }

    @Test func barChartWithHostileLabelsAndNonFiniteValuesIsValidSVG() throws {
        let bars = [
            BarChart.Bar(label: Self.hostile, value: 2, valueText: "2", tooltip: Self.hostile),
            BarChart.Bar(label: "nan", value: .nan, valueText: "nan"),
            BarChart.Bar(label: "inf", value: .infinity, valueText: "inf"),
            BarChart.Bar(label: "-inf", value: -.infinity, valueText: "-inf"),
            BarChart.Bar(label: "half", value: -1, valueText: "-1"),
        ]
        let svg = BarChart(bars: bars, title: Self.hostile).svg()
        #expect(!svg.contains("<script"))
        try Self.expectFiniteGeometry(svg)
        // The largest finite |value| fills the bar width; non-finite values get no bar.
        let widths = try Self.attributes(of: svg).filter { $0.0 == "rect" && $0.1 == "width" }.map(\.2)
        #expect(widths == ["320.0", "0.0", "0.0", "0.0", "160.0"])
    }

    @Test func emptyChartsSaySoAndStayValid() throws {
        let bars = BarChart(bars: [], title: "t", emptyMessage: "nothing <yet>").svg()
        #expect(bars.contains(">nothing &lt;yet&gt;</text>"))
        _ = try Self.attributes(of: bars)
        let lines = LineChart(title: "t", xLabel: "x", series: []).svg()
        #expect(lines.contains("nothing reported yet"))
        _ = try Self.attributes(of: lines)
        let onlyBadPoints = LineChart(
            title: "t", xLabel: "x",
            series: [.init(points: [[.nan, 1], [1, .infinity], [2], []], colour: "#000", strokeWidth: 1), .init(points: [], colour: "#111", strokeWidth: 1)]
        ).svg()
        #expect(onlyBadPoints.contains("nothing reported yet"))
        #expect(WordCloud(words: []).svg() == nil && WordCloud(words: [("zero", 0)]).svg() == nil)
    }

    @Test func lineChartSkipsNonFinitePointsAndSurvivesExtremeSpans() throws {
        let series: [LineChart.Series] = [
            .init(points: [[0, 1], [1, .nan], [2, 3], [.infinity, 4], [3, 2]], colour: "#4a7ab5", strokeWidth: 2),
            .init(points: [[1, 5]], colour: "\"red\"", strokeWidth: 1),
            .init(points: [[0, -1.7e308], [1, 1.7e308]], colour: "#000", strokeWidth: 1),
        ]
        let svg = LineChart(title: Self.hostile, xLabel: Self.hostile, series: series).svg()
        #expect(!svg.contains("<script"))
        try Self.expectFiniteGeometry(svg)
        let polylines = try Self.attributes(of: svg).filter { $0.0 == "polyline" && $0.1 == "points" }
        #expect(polylines.count == 2 && polylines[0].2.split(separator: " ").count == 3, "\(polylines)")
        #expect(svg.contains("<circle "), "a series of one point is a dot")
    }

    @Test func heatmapColoursNonFiniteCellsGreyAndEscapesLabels() throws {
        let heatmap = Heatmap(
            rowLabels: [Self.hostile, "b"], columnLabels: ["x", "y"], values: [[0.5, .nan], [-0.25, .infinity]],
            outlined: [[true, false], [false, false]], tooltips: [[Self.hostile, "n/a"], ["c", "d"]])
        let svg = heatmap.svg()
        #expect(!svg.contains("<script"))
        let fills = try Self.attributes(of: svg).filter { $0.0 == "rect" && $0.1 == "fill" }.map(\.2)
        #expect(fills == ["rgb(255,0,0)", "#dddddd", "rgb(128,128,255)", "#dddddd"])
        try Self.expectFiniteGeometry(svg.replacingOccurrences(of: "transform=", with: "data-transform="))
        #expect(svg.components(separatedBy: "stroke=\"#000\"").count - 1 == 1, "one outlined cell")
    }

    @Test func wordCloudEscapesWordsAndScalesBySquareRoot() throws {
        let svg = try #require(WordCloud(words: [(Self.hostile, 100), ("small", 25)]).svg())
        #expect(!svg.contains("<script"))
        let sizes = try Self.attributes(of: svg).filter { $0.1 == "font-size" }.map(\.2)
        #expect(sizes == ["36", "24"], "11 + 25·√(count / largest), rounded")
    }
}
