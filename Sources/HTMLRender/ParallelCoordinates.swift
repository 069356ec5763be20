/// A parallel-coordinates view: one vertical axis per dimension, one line per item through its
/// value on each axis, coloured by a score (darker is better) with the best drawn on top. Numeric
/// axes run from their minimum (bottom) to maximum (top), logarithmically when asked; categorical
/// axes space their categories evenly. A missing value (nil) breaks the line at that axis.
public struct ParallelCoordinates: Sendable {
    public struct Axis: Sendable {
        public var name: String
        public var logScale: Bool
        /// Category names; a line's value on this axis is then the category's index.
        public var categories: [String]?

        public init(name: String, logScale: Bool = false, categories: [String]? = nil) {
            self.name = name
            self.logScale = logScale
            self.categories = categories
        }
    }

    public struct Line: Sendable {
        /// One value per axis (nil: not set for this item).
        public var values: [Double?]
        /// Higher is better: the colour scale and the drawing order.
        public var score: Double
        /// Plain text shown when hovering the line.
        public var tooltip: String

        public init(values: [Double?], score: Double, tooltip: String) {
            self.values = values
            self.score = score
            self.tooltip = tooltip
        }
    }

    public var title: String
    public var axes: [Axis]
    public var lines: [Line]
    public var width = 720.0
    public var height = 260.0

    public init(title: String, axes: [Axis], lines: [Line]) {
        self.title = title
        self.axes = axes
        self.lines = lines
    }

    /// The `<svg>` element (class `parallel`) and a final newline.
    public func svg() -> String {
        let top = 24.0, bottom = 40.0, side = 60.0
        let f = SVGNumber.coordinate
        var svg = "<svg class=\"parallel\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg += "<title>\(XMLText.escaped(title))</title>\n"
        guard axes.count >= 2, !lines.isEmpty else { return svg + "<text x=\"8\" y=\"20\">nothing to plot yet</text></svg>\n" }
        let step = (width - 2 * side) / Double(axes.count - 1)
        func transformed(_ value: Double, _ axis: Axis) -> Double? {
            guard value.isFinite else { return nil }
            if axis.logScale { return value > 0 ? log10(value) : nil }
            return value
        }
        // Each axis's range over the drawable values (categories: 0 ... count-1).
        let ranges: [(low: Double, high: Double)] = axes.enumerated().map { index, axis in
            if let categories = axis.categories { return (0, Double(max(categories.count - 1, 1))) }
            let values = lines.compactMap { $0.values.count > index ? $0.values[index].flatMap { transformed($0, axis) } : nil }
            return (values.min() ?? 0, values.max() ?? 1)
        }
        func y(_ value: Double, axis index: Int) -> Double? {
            guard let t = axes[index].categories == nil ? transformed(value, axes[index]) : value else { return nil }
            let (low, high) = ranges[index]
            let fraction = high > low ? (t - low) / (high - low) : 0.5
            return top + (1 - fraction) * (height - top - bottom)
        }
        for (index, axis) in axes.enumerated() {
            let x = side + Double(index) * step
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(height - bottom))\" stroke=\"#888\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(XMLText.escaped(String(axis.name.prefix(18))))\(axis.logScale ? " (log)" : "")</text>"
            if let categories = axis.categories {
                for (c, name) in categories.enumerated() {
                    svg += "<text x=\"\(f(x + 3))\" y=\"\(f(y(Double(c), axis: index)! - 2))\">\(XMLText.escaped(String(name.prefix(10))))</text>"
                }
            } else {
                let (low, high) = ranges[index]
                let label = { (t: Double) in SVGNumber.label(axis.logScale ? pow(10, t) : t) }
                svg += "<text x=\"\(f(x + 3))\" y=\"\(f(top - 6))\">\(label(high))</text>"
                svg += "<text x=\"\(f(x + 3))\" y=\"\(f(height - bottom + 28))\">\(label(low))</text>"
            }
            svg += "\n"
        }
        let scores = lines.map(\.score).filter(\.isFinite)
        let low = scores.min() ?? 0, high = scores.max() ?? 1
        // Worst first, so the best lines are drawn last, on top.
        let order = lines.indices.sorted { (lines[$0].score.isFinite ? lines[$0].score : -.infinity, $0) < (lines[$1].score.isFinite ? lines[$1].score : -.infinity, $1) }
        for index in order {
            let line = lines[index]
            let fraction = line.score.isFinite && high > low ? (line.score - low) / (high - low) : 0.5
            // From light grey-blue (worst) to dark blue (best).
            let r = Int(200 - 170 * fraction), g = Int(210 - 140 * fraction), b = Int(225 - 45 * fraction)
            var segments: [[String]] = [[]]
            for axis in axes.indices {
                if axis < line.values.count, let value = line.values[axis], let py = y(value, axis: axis) {
                    segments[segments.count - 1].append("\(f(side + Double(axis) * step)),\(f(py))")
                } else if !segments[segments.count - 1].isEmpty {
                    segments.append([])
                }
            }
            for segment in segments where segment.count >= 2 {
                svg += "<polyline fill=\"none\" stroke=\"rgb(\(r),\(g),\(b))\" stroke-width=\"1.5\" points=\"\(segment.joined(separator: " "))\">"
                svg += "<title>\(XMLText.escaped(line.tooltip))</title></polyline>\n"
            }
        }
        return svg + "</svg>\n"
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
