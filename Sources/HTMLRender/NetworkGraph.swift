internal import Foundation

/// A two-sided network: left nodes in one column, right nodes in another, and weighted edges
/// between them drawn as lines whose width grows with |weight| (red positive, blue negative), each
/// with a hover text. Nodes with an edge are drawn dark, the others grey; a graph without edges
/// says so. Edges naming a node that does not exist, or with a non-finite weight, are left out.
///
/// Stroke width = 1 + 7 · |w| / max |w| (px). Labels are plain text (escaped here).
/// - Complexity: O(nodes + edges).
public struct NetworkGraph: Sendable {
    public struct Edge: Sendable {
        public var left: Int
        public var right: Int
        public var weight: Double
        /// Plain text shown on hover.
        public var tooltip: String

        public init(left: Int, right: Int, weight: Double, tooltip: String) {
            self.left = left
            self.right = right
            self.weight = weight
            self.tooltip = tooltip
        }
    }

    /// Plain text.
    public var leftLabels: [String]
    /// Plain text.
    public var rightLabels: [String]
    public var edges: [Edge]
    /// Plain text: the `<title>` of the graph, and the message when there is no edge.
    public var title: String
    public var emptyMessage: String
    public var rowHeight = 22.0
    public var labelWidth = 170.0
    public var gap = 320.0

    public init(leftLabels: [String], rightLabels: [String], edges: [Edge], title: String, emptyMessage: String = "no edge") {
        self.leftLabels = leftLabels
        self.rightLabels = rightLabels
        self.edges = edges
        self.title = title
        self.emptyMessage = emptyMessage
    }

    /// The edges that are drawn.
    public var drawnEdges: [Edge] {
        edges.filter {
            leftLabels.indices.contains($0.left) && rightLabels.indices.contains($0.right) && $0.weight.isFinite
        }
    }

    /// The `<svg>` element and a final newline.
    public func svg() -> String {
        let escape = XMLText.escaped, f = SVGNumber.coordinate
        let drawn = drawnEdges
        let rows = max(leftLabels.count, rightLabels.count, 1)
        let top = 24.0
        let height = top + Double(rows) * rowHeight + 10
        let width = labelWidth * 2 + gap
        let leftX = labelWidth, rightX = labelWidth + gap
        func y(_ index: Int, count: Int) -> Double {
            // Centre the shorter column against the longer one.
            top + (Double(rows - count) / 2 + Double(index) + 0.5) * rowHeight
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">"
        svg += "<title>\(escape(title))</title>\n"
        if drawn.isEmpty {
            svg += "<text x=\"\(f(width / 2))\" y=\"16\" text-anchor=\"middle\" fill=\"#555\">\(escape(emptyMessage))</text>\n"
        }
        let largest = drawn.map { abs($0.weight) }.max() ?? 1
        let scale = largest > 0 ? largest : 1
        for edge in drawn {
            let colour = edge.weight >= 0 ? "#c0392b" : "#2c6fbb"
            let stroke = 1 + 7 * abs(edge.weight) / scale
            svg += "<line x1=\"\(f(leftX))\" y1=\"\(f(y(edge.left, count: leftLabels.count)))\" x2=\"\(f(rightX))\" y2=\"\(f(y(edge.right, count: rightLabels.count)))\" stroke=\"\(colour)\" stroke-opacity=\"0.7\" stroke-width=\"\(f(stroke))\"><title>\(escape(edge.tooltip))</title></line>\n"
        }
        let linkedLeft = Set(drawn.map(\.left)), linkedRight = Set(drawn.map(\.right))
        for (index, label) in leftLabels.enumerated() {
            let fill = linkedLeft.contains(index) ? "#222" : "#aaa"
            let cy = f(y(index, count: leftLabels.count))
            svg += "<circle cx=\"\(f(leftX))\" cy=\"\(cy)\" r=\"4\" fill=\"\(fill)\"/>"
            svg += "<text x=\"\(f(leftX - 8))\" y=\"\(f(y(index, count: leftLabels.count) + 4))\" text-anchor=\"end\" fill=\"\(fill)\">\(escape(label))</text>\n"
        }
        for (index, label) in rightLabels.enumerated() {
            let fill = linkedRight.contains(index) ? "#222" : "#aaa"
            svg += "<circle cx=\"\(f(rightX))\" cy=\"\(f(y(index, count: rightLabels.count)))\" r=\"4\" fill=\"\(fill)\"/>"
            svg += "<text x=\"\(f(rightX + 8))\" y=\"\(f(y(index, count: rightLabels.count) + 4))\" fill=\"\(fill)\">\(escape(label))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
