/// Points on an x–y plane, with an optional line over them (e.g. the mean at each x). The x axis is
/// numeric (linear, or logarithmic for positive values) or categorical (``categories``, the x of a
/// point being its category's index). Points with a non-finite coordinate, or a non-positive x on
/// a log axis, are left out and counted in the title.
public struct ScatterPlot: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        /// Plain text shown when hovering the point.
        public var tooltip: String

        public init(x: Double, y: Double, tooltip: String) {
            self.x = x
            self.y = y
            self.tooltip = tooltip
        }
    }

    /// Plain text: the chart's `<title>`.
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [Point]
    /// `[x, y]` pairs joined by a line over the points (nil: none).
    public var line: [[Double]]?
    public var logX = false
    /// Category names when the x axis is categorical.
    public var categories: [String]?
    public var width = 340.0
    public var height = 230.0

    public init(title: String, xLabel: String, yLabel: String, points: [Point], line: [[Double]]? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.line = line
    }

    /// The `<svg>` element (class `scatter`) and a final newline.
    public func svg() -> String {
        let left = 62.0, bottom = 42.0, top = 12.0, right = 14.0
        func drawable(_ x: Double, _ y: Double) -> Bool { x.isFinite && y.isFinite && (!logX || x > 0) }
        let shown = points.filter { drawable($0.x, $0.y) }
        let dropped = points.count - shown.count
        var svg = "<svg class=\"scatter\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg += "<title>\(XMLText.escaped(title))\(dropped > 0 ? " (\(dropped) points not drawable)" : "")</title>\n"
        func scaledX(_ x: Double) -> Double { logX ? log10(x) : x }
        let xs = shown.map { scaledX($0.x) } + (categories.map { [0, Double(max($0.count - 1, 0))] } ?? [])
        let ys = shown.map(\.y) + (line ?? []).filter { $0.count == 2 && drawable($0[0], $0[1]) }.map { $0[1] }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(), !shown.isEmpty else {
            return svg + "<text x=\"8\" y=\"20\">nothing to plot yet</text></svg>\n"
        }
        let padX = maxX > minX ? (maxX - minX) * 0.04 : 0.5
        let loX = minX - padX, hiX = maxX + padX
        // A margin of 5% above and below, so the extreme points do not sit on the axis.
        let padY = maxY > minY ? (maxY - minY) * 0.05 : 0.5
        let spanY = maxY - minY + 2 * padY
        let f = SVGNumber.coordinate
        func px(_ x: Double) -> Double { left + (scaledX(x) - loX) / (hiX - loX) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (maxY + padY - y) / spanY * (height - top - bottom) }
        let axisY = height - bottom
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(axisY))\" x2=\"\(f(width - right))\" y2=\"\(f(axisY))\" stroke=\"#888\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(axisY))\" stroke=\"#888\"/>\n"
        svg += "<text x=\"4\" y=\"\(f(py(maxY) + 4))\">\(SVGNumber.label(maxY))</text>"
        svg += "<text x=\"4\" y=\"\(f(py(minY) + 4))\">\(SVGNumber.label(minY))</text>\n"
        if let categories {
            for (index, name) in categories.enumerated() {
                let x = left + (Double(index) - loX) / (hiX - loX) * (width - left - right)
                svg += "<text x=\"\(f(x))\" y=\"\(f(axisY + 14))\" text-anchor=\"middle\">\(XMLText.escaped(String(name.prefix(12))))</text>"
            }
        } else {
            let lowText = SVGNumber.label(logX ? pow10(minX) : minX), highText = SVGNumber.label(logX ? pow10(maxX) : maxX)
            svg += "<text x=\"\(f(px(logX ? pow10(minX) : minX)))\" y=\"\(f(axisY + 14))\" text-anchor=\"middle\">\(lowText)</text>"
            if maxX > minX {
                svg += "<text x=\"\(f(px(logX ? pow10(maxX) : maxX)))\" y=\"\(f(axisY + 14))\" text-anchor=\"middle\">\(highText)</text>"
            }
        }
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(XMLText.escaped(xLabel))\(logX ? " (log scale)" : "")</text>\n"
        for point in shown {
            svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"3.5\" fill=\"#4a7ab5\" fill-opacity=\"0.6\">"
            svg += "<title>\(XMLText.escaped(point.tooltip))</title></circle>\n"
        }
        if let line {
            let path = line.filter { $0.count == 2 && drawable($0[0], $0[1]) }
            if path.count >= 2 {
                let coordinates = path.map { "\(f(px($0[0]))),\(f(py($0[1])))" }.joined(separator: " ")
                svg += "<polyline class=\"marginal\" fill=\"none\" stroke=\"#d35400\" stroke-width=\"2\" points=\"\(coordinates)\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }

    private func pow10(_ x: Double) -> Double { pow(10, x) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
