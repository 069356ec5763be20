/// A self-contained HTML page: doctype, UTF-8, title, inline CSS and the body, with no scripts,
/// fonts or images fetched, so it opens offline and as a CI artifact.
public struct HTMLPage: Sendable {
    /// The rules every crossrec page starts from: tables with right-aligned numbers (`.text` cells
    /// left-aligned), unranked rows greyed, failure counts red, chart text and bars (``BarChart``).
    public static let standardStyle = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
        th { background: #f4f4f4; }
        .text { text-align: left; }
        tr.unranked td { color: #999; }
        td.failed { color: #b00; }
        svg text { font-size: 12px; font-family: system-ui, sans-serif; fill: #222; }
        svg rect.bar { fill: #4a7ab5; }
        """

    /// Plain text, escaped when rendered.
    public var title: String
    /// CSS rules after ``standardStyle``.
    public var extraStyle: String
    /// HTML, inserted as is.
    public var body: String

    public init(title: String, extraStyle: String = "", body: String) {
        self.title = title
        self.extraStyle = extraStyle
        self.body = body
    }

    /// `<!DOCTYPE html>` … `</html>` and a final newline.
    public func render() -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<title>\(XMLText.escaped(title))</title>\n<style>\n\(Self.standardStyle)\n"
        if !extraStyle.isEmpty { page += extraStyle + "\n" }
        page += "</style>\n</head>\n<body>\n"
        page += body
        if !body.hasSuffix("\n") { page += "\n" }
        return page + "</body>\n</html>\n"
    }
}
