/// An HTML table with a header row; every cell's text is escaped when rendered, except cells made
/// with ``Cell/init(html:class:)``, whose caller escaped what they hold.
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

        /// A cell of markup (a link, say), inserted as is: escape every text put into it.
        public init(html: String, class className: String? = nil) {
            self.text = html
            self.className = className
            isHTML = true
        }

        /// Whether ``text`` is markup rather than plain text.
        public private(set) var isHTML = false
    }

    public struct Row: Sendable {
        public var cells: [Cell]
        public var className: String?
        /// Attributes such as `data-model` (name to plain-text value, escaped when rendered).
        public var attributes: [(String, String)] = []

        public init(_ cells: [Cell], class className: String? = nil, attributes: [(String, String)] = []) {
            self.attributes = attributes
            self.cells = cells
            self.className = className
        }
    }

    public var header: [Cell]
    public var rows: [Row]
    /// The table's `id` attribute, if any.
    public var id: String?

    public init(header: [Cell], rows: [Row] = [], id: String? = nil) {
        self.header = header
        self.rows = rows
        self.id = id
    }

    /// `<table>`, a `<thead>` row of `<th>` and a `<tbody>` of `<td>` rows, one line per row.
    public func render() -> String {
        var html = id.map { "<table id=\"\(XMLText.escaped($0))\">\n<thead><tr>" } ?? "<table>\n<thead><tr>"
        for cell in header { html += Self.cell(cell, tag: "th") }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr" + (row.className.map { " class=\"\(XMLText.escaped($0))\"" } ?? "")
            for (name, value) in row.attributes { html += " \(name)=\"\(XMLText.escaped(value))\"" }
            html += ">"
            for cell in row.cells { html += Self.cell(cell, tag: "td") }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func cell(_ cell: Cell, tag: String) -> String {
        let attribute = cell.className.map { " class=\"\(XMLText.escaped($0))\"" } ?? ""
        return "<\(tag)\(attribute)>\(cell.isHTML ? cell.text : XMLText.escaped(cell.text))</\(tag)>"
    }
}
