import Foundation
import HTMLRender

extension CategoryAffinity {
    /// A self-contained HTML page with the correlation matrix as an inline SVG heatmap
    /// (``HTMLRender/Heatmap``: red positive, blue negative, white 0; significant cells outlined),
    /// readable offline. `sections` (HTML fragments, e.g. ``UserClusters/htmlSection(affinity:)``)
    /// follow the pairs table.
    public func html(title: String, notes: [String] = [], sections: [String] = []) -> String {
        let escape = XMLText.escaped
        func fixed(_ value: Double, _ decimals: Int) -> String {
            value.isFinite ? String(format: "%.\(decimals)f", value) : "n/a"
        }
        let tooltips = rows.indices.map { g in
            columns.indices.map { t in
                "\(rows[g]) × \(columns[t]): r = \(fixed(correlation[g][t], 3)), p = \(fixed(pValue[g][t], 4))"
                    + (significant[g][t] ? " (significant)" : "")
            }
        }
        let heatmap = Heatmap(
            rowLabels: rows, columnLabels: columns, values: correlation, outlined: significant, tooltips: tooltips)
        let pairs = HTMLTable(
            header: [HTMLTable.Cell(rowDomain), HTMLTable.Cell(columnDomain), "r", "p"],
            rows: positivePairs.prefix(20).map {
                HTMLTable.Row([
                    HTMLTable.Cell($0.row), HTMLTable.Cell($0.column), HTMLTable.Cell(String(format: "%.3f", $0.correlation)),
                    HTMLTable.Cell(String(format: "%.4f", $0.pValue)),
                ])
            })
        let body = """
            <h1>\(escape(title))</h1>
            <p>Pearson correlation across \(users) users present in both domains (at least \(minimumRows) rows in each) between the share of their \(escape(rowDomain)) rows in a category (rows) and of their \(escape(columnDomain)) rows in a category (columns). Outlined: significant by a permutation test (\(permutations) re-pairings of the users, seed \(seed)) under Benjamini–Hochberg at FDR \(fdr). Hover a cell for r and p.</p>
            \(notes.map { "<p>\(escape($0))</p>" }.joined(separator: "\n"))
            \(heatmap.svg())
            <h2>Significant positive pairs</h2>
            \(pairs.render())
            \(sections.joined(separator: "\n"))
            """
        return HTMLPage(title: title, extraStyle: "body { max-width: 70em; }", body: body).render()
    }
}
