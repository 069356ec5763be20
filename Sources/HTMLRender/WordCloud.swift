/// Words flowed left to right in lines, the font size growing with the square root of the count
/// (11 to 36 px), five colours in turn, each word's count on hover.
public struct WordCloud: Sendable {
    /// Plain text and its count, in display order.
    public var words: [(String, Int)]
    public var width = 600

    public init(words: [(String, Int)]) { self.words = words }

    /// The `<svg>` element (no final newline); nil when no word has a positive count.
    public func svg() -> String? {
        guard let largest = words.map(\.1).max(), largest > 0 else { return nil }
        let escape = XMLText.escaped
        var x = 0, y = 0, lineHeight = 0
        var parts: [String] = []
        for (index, (word, count)) in words.enumerated() {
            let size = 11 + Int((25 * (Double(max(0, count)) / Double(largest)).squareRoot()).rounded())
            let wordWidth = Int(Double(word.count * size) * 0.68) + 12
            if x + wordWidth > width {
                x = 0
                y += lineHeight
                lineHeight = 0
            }
            lineHeight = max(lineHeight, size + 6)
            let shade = ["#1f4e79", "#2e75b6", "#548235", "#bf9000", "#843c0c"][index % 5]
            parts.append(
                "<text x=\"\(x)\" y=\"\(y + size)\" font-size=\"\(size)\" fill=\"\(shade)\"><title>\(escape(word)): \(count)</title>\(escape(word))</text>"
            )
            x += wordWidth
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(y + lineHeight + 4)\" font-family=\"sans-serif\">\n"
            + parts.joined(separator: "\n") + "\n</svg>"
    }
}
