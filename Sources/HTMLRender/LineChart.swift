/// Lines through `[x, y]` points on shared axes, the extremes labelled; a series of one point is
/// drawn as a dot. Points with a non-finite coordinate (or not two coordinates) are left out; a
/// chart with no point left says "nothing reported yet".
public struct LineChart: Sendable {
    public struct Series: Sendable {
        /// `[x, y]` pairs.
        public var points: [[Double]]
        /// A CSS colour, e.g. `#4a7ab5`.
        public var colour: String
        public var strokeWidth: Double

        public init(points: [[Double]], colour: String, strokeWidth: Double) {
            self.points = points
            self.colour = colour
            self.strokeWidth = strokeWidth
        }
    }

    /// Plain text: the chart's `<title>`.
    public var title: String
    /// Plain text under the x axis.
    public var xLabel: String
    public var series: [Series]
    public var width = 640.0
    public var height = 240.0

    public init(title: String, xLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
    }

    /// The `<svg>` element and a final newline.
    public func svg() -> String {
        let left = 70.0, bottom = 30.0, top = 10.0, right = 10.0
        func drawable(_ point: [Double]) -> Bool { point.count == 2 && point[0].isFinite && point[1].isFinite }
        let points = series.flatMap(\.points).filter(drawable)
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg += "<title>\(XMLText.escaped(title))</title>\n"
        guard let minX = points.map({ $0[0] }).min(), let maxX = points.map({ $0[0] }).max(),
            let minY = points.map({ $0[1] }).min(), let maxY = points.map({ $0[1] }).max()
        else { return svg + "<text x=\"8\" y=\"20\">nothing reported yet</text></svg>\n" }
        let spanX = maxX > minX ? maxX - minX : 1, spanY = maxY > minY ? maxY - minY : 1
        let f = SVGNumber.coordinate, label = SVGNumber.label
        // A span beyond Double's range (values near ±1.8e308) would make every position NaN;
        // SVGNumber.coordinate writes those as 0, so the SVG stays valid.
        func x(_ value: Double) -> String { f(left + (value - minX) / spanX * (width - left - right)) }
        func y(_ value: Double) -> String { f(top + (maxY - value) / spanY * (height - top - bottom)) }
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(height - bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(height - bottom))\" stroke=\"#888\"/>"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(top))\" x2=\"\(Int(left))\" y2=\"\(Int(height - bottom))\" stroke=\"#888\"/>\n"
        svg += "<text x=\"4\" y=\"\(Int(top) + 10)\">\(label(maxY))</text>"
        svg += "<text x=\"4\" y=\"\(Int(height - bottom))\">\(label(minY))</text>"
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(height) - 8)\">\(label(minX))</text>"
        svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height) - 8)\">\(XMLText.escaped(xLabel))</text>"
        svg += "<text x=\"\(Int(width - right) - 40)\" y=\"\(Int(height) - 8)\">\(label(maxX))</text>\n"
        for line in series {
            let path = line.points.filter(drawable)
            guard let first = path.first else { continue }
            let colour = XMLText.escaped(line.colour)
            if path.count == 1 {
                svg += "<circle cx=\"\(x(first[0]))\" cy=\"\(y(first[1]))\" r=\"2\" fill=\"\(colour)\"/>\n"
            } else {
                let coordinates = path.map { "\(x($0[0])),\(y($0[1]))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(line.strokeWidth)\" points=\"\(coordinates)\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
