/// An HTML table with a header row; every cell's text is escaped when rendered.
public struct HTMLTable: Sendable {
    public struct Cell: Sendable, ExpressibleByStringLiteral {
        /// Plain text.
        public var text: String
        /// A CSS class, e.g. `text` (left-aligned) or `failed`.
        public var className: String?

        public init(_ text: String, class className: String? = nil) {
            self.text = text
            self.className = className
        }

        public init(stringLiteral text: String) { self.init(text) }
    }

    public struct Row: Sendable {
        public var cells: [Cell]
        public var className: String?

        public init(_ cells: [Cell], class className: String? = nil) {
            self.cells = cells
            self.className = className
        }
    }

    public var header: [Cell]
    public var rows: [Row]

    public init(header: [Cell], rows: [Row] = []) {
        self.header = header
        self.rows = rows
    }

    /// `<table>`, a `<thead>` row of `<th>` and a `<tbody>` of `<td>` rows, one line per row.
    public func render() -> String {
        var html = "<table>\n<thead><tr>"
        for cell in header { html += Self.cell(cell, tag: "th") }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += row.className.map { "<tr class=\"\(XMLText.escaped($0))\">" } ?? "<tr>"
            for cell in row.cells { html += Self.cell(cell, tag: "td") }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func cell(_ cell: Cell, tag: String) -> String {
        let attribute = cell.className.map { " class=\"\(XMLText.escaped($0))\"" } ?? ""
        return "<\(tag)\(attribute)>\(XMLText.escaped(cell.text))</\(tag)>"
    }
}
