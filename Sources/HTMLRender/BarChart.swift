/// Horizontal bars, one per labelled value, the bar's length proportional to |value| (the
/// largest filling ``barWidth``), the value's text printed at its end. Bars carry the class `bar`
/// (coloured by ``HTMLPage/standardStyle``).
///
/// Non-finite values get no bar (length 0) and their text as given; an empty chart says
/// ``emptyMessage``.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        /// Plain text left of the bar; longer than ``BarChart/maximumLabelLength`` is cut with `…`.
        public var label: String
        public var value: Double
        /// Plain text right of the bar.
        public var valueText: String
        /// Plain text shown on hover; nil: none.
        public var tooltip: String?

        public init(label: String, value: Double, valueText: String, tooltip: String? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.tooltip = tooltip
        }
    }

    public var bars: [Bar]
    /// The chart's accessible name (`<title>` and `aria-label`); nil: none.
    public var title: String?
    /// Shown instead of bars when there are none.
    public var emptyMessage: String
    public var labelWidth = 300.0
    public var barWidth = 320.0
    public var rowHeight = 24.0
    public var width = 720.0
    /// The length of a bar whose value is not 0 is at least this (1: a small count stays visible).
    public var minimumLength = 0.0
    public var maximumLabelLength = 46

    public init(bars: [Bar], title: String? = nil, emptyMessage: String = "no data") {
        self.bars = bars
        self.title = title
        self.emptyMessage = emptyMessage
    }

    /// The `<svg>` element and a final newline.
    public func svg() -> String {
        let height = Double(max(1, bars.count)) * rowHeight + 16
        let f = SVGNumber.coordinate
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        if let title {
            svg += " role=\"img\" aria-label=\"\(XMLText.escaped(title))\">\n<title>\(XMLText.escaped(title))</title>\n"
        } else {
            svg += " role=\"img\">\n"
        }
        guard !bars.isEmpty else { return svg + "<text x=\"8\" y=\"20\">\(XMLText.escaped(emptyMessage))</text>\n</svg>\n" }
        let largest = bars.map { abs($0.value) }.filter(\.isFinite).max() ?? 0
        for (index, bar) in bars.enumerated() {
            let y = 8 + Double(index) * rowHeight
            var length = largest > 0 && bar.value.isFinite ? abs(bar.value) / largest * barWidth : 0
            if bar.value != 0 && bar.value.isFinite { length = max(length, minimumLength) }
            var label = bar.label
            if label.count > maximumLabelLength { label = String(label.prefix(maximumLabelLength - 1)) + "…" }
            let baseline = y + rowHeight - 8
            svg += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(baseline))\" text-anchor=\"end\">\(XMLText.escaped(label))</text>\n"
            svg += "<rect class=\"bar\" x=\"\(f(labelWidth))\" y=\"\(f(y + 4))\" width=\"\(f(length))\" height=\"\(Int(rowHeight) - 8)\">"
            if let tooltip = bar.tooltip { svg += "<title>\(XMLText.escaped(tooltip))</title>" }
            svg += "</rect>\n"
            svg += "<text x=\"\(f(labelWidth + length + 6))\" y=\"\(f(baseline))\">\(XMLText.escaped(bar.valueText))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
