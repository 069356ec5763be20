internal import Foundation

/// A matrix of cells coloured on a diverging scale (red positive, blue negative, white 0, grey for
/// a non-finite value), the largest finite |value| at full colour; column labels rotated above,
/// row labels to the left, each cell with a hover text and optionally outlined.
public struct Heatmap: Sendable {
    /// Plain text.
    public var rowLabels: [String]
    /// Plain text.
    public var columnLabels: [String]
    /// `values[row][column]`.
    public var values: [[Double]]
    /// `outlined[row][column]`: drawn with a black border (e.g. significant); empty: none.
    public var outlined: [[Bool]]
    /// `tooltips[row][column]`: plain text shown on hover; empty: none.
    public var tooltips: [[String]]
    public var cell = 26
    public var left = 150
    public var top = 130

    public init(rowLabels: [String], columnLabels: [String], values: [[Double]], outlined: [[Bool]] = [], tooltips: [[String]] = []) {
        precondition(
            values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
            "Heatmap needs \(rowLabels.count) rows of \(columnLabels.count) values")
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.outlined = outlined
        self.tooltips = tooltips
    }

    /// The fill of `value` when the largest finite |value| is `scale`.
    public static func colour(_ value: Double, scale: Double) -> String {
        guard value.isFinite else { return "#dddddd" }
        let f = scale > 0 && scale.isFinite ? min(1, abs(value) / scale) : 0
        let fade = Int((255 * (1 - f)).rounded())
        return value >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    /// The `<svg>` element (no final newline).
    public func svg() -> String {
        let escape = XMLText.escaped
        let largest = values.flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 1
        let scale = largest > 0 ? largest : 1
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + columnLabels.count * cell + 20)\" height=\"\(top + rowLabels.count * cell + 20)\" font-family=\"sans-serif\" font-size=\"11\">"
        ]
        for (column, name) in columnLabels.enumerated() {
            let x = left + column * cell + cell / 2
            svg.append("<text transform=\"translate(\(x),\(top - 6)) rotate(-60)\">\(escape(name))</text>")
        }
        for (row, name) in rowLabels.enumerated() {
            let y = top + row * cell
            svg.append("<text x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(escape(name))</text>")
            for column in columnLabels.indices {
                let isOutlined = row < outlined.count && column < outlined[row].count && outlined[row][column]
                let stroke = isOutlined ? " stroke=\"#000\" stroke-width=\"2\"" : " stroke=\"#fff\""
                let tooltip =
                    row < tooltips.count && column < tooltips[row].count ? "<title>\(escape(tooltips[row][column]))</title>" : ""
                svg.append(
                    "<rect x=\"\(left + column * cell)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(Self.colour(values[row][column], scale: scale))\"\(stroke)>\(tooltip)</rect>"
                )
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }
}
