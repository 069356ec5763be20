import Foundation
import RecData

extension CategoryAffinity {
    /// A self-contained HTML page with the correlation matrix as an inline SVG heatmap (red
    /// positive, blue negative, white 0; significant cells outlined), readable offline.
    public func html(title: String, notes: [String] = []) -> String {
        let escape = XMLText.escaped
        let cell = 26, left = 150, top = 130
        let largest = correlation.flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 1
        let scale = largest > 0 ? largest : 1
        func color(_ r: Double) -> String {
            guard r.isFinite else { return "#dddddd" }
            let f = min(1, abs(r) / scale)
            let fade = Int((255 * (1 - f)).rounded())
            return r >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
        }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + columns.count * cell + 20)\" height=\"\(top + rows.count * cell + 20)\" font-family=\"sans-serif\" font-size=\"11\">"
        ]
        for (t, name) in columns.enumerated() {
            let x = left + t * cell + cell / 2
            svg.append(
                "<text transform=\"translate(\(x),\(top - 6)) rotate(-60)\">\(escape(name))</text>")
        }
        for (g, name) in rows.enumerated() {
            let y = top + g * cell
            svg.append("<text x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(escape(name))</text>")
            for t in columns.indices {
                let r = correlation[g][t]
                let stroke = significant[g][t] ? " stroke=\"#000\" stroke-width=\"2\"" : " stroke=\"#fff\""
                let label = r.isFinite ? String(format: "%.3f", r) : "n/a"
                let p = pValue[g][t].isFinite ? String(format: "%.4f", pValue[g][t]) : "n/a"
                svg.append(
                    "<rect x=\"\(left + t * cell)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(color(r))\"\(stroke)><title>\(escape(name)) × \(escape(columns[t])): r = \(label), p = \(p)\(significant[g][t] ? " (significant)" : "")</title></rect>"
                )
            }
        }
        svg.append("</svg>")
        let pairs = positivePairs.prefix(20).map {
            "<tr><td>\(escape($0.row))</td><td>\(escape($0.column))</td><td>\(String(format: "%.3f", $0.correlation))</td><td>\(String(format: "%.4f", $0.pValue))</td></tr>"
        }
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:70em}td,th{padding:2px 8px;text-align:left}</style>
            </head><body>
            <h1>\(escape(title))</h1>
            <p>Pearson correlation across \(users) users present in both domains (at least \(minimumRows) rows in each) between the share of their \(escape(rowDomain)) rows in a category (rows) and of their \(escape(columnDomain)) rows in a category (columns). Outlined: significant by a permutation test (\(permutations) re-pairings of the users, seed \(seed)) under Benjamini–Hochberg at FDR \(fdr). Hover a cell for r and p.</p>
            \(notes.map { "<p>\(escape($0))</p>" }.joined(separator: "\n"))
            \(svg.joined(separator: "\n"))
            <h2>Significant positive pairs</h2>
            <table><tr><th>\(escape(rowDomain))</th><th>\(escape(columnDomain))</th><th>r</th><th>p</th></tr>
            \(pairs.joined(separator: "\n"))
            </table>
            </body></html>
            """
    }
}
