import Foundation
public import HTMLRender

extension UserClusters {
    /// The clusters section of the affinity page: the silhouette curve (with `auto`), a profile
    /// table, a cluster × category heatmap of log₂ lift (red: over-represented, blue: under) and the
    /// genre–topic network of the significant cells (``HTMLRender/NetworkGraph``), all inline SVG.
    public func htmlSection(affinity: CategoryAffinity) -> String {
        let escape = XMLText.escaped
        func fixed(_ value: Double, _ decimals: Int) -> String {
            value.isFinite ? String(format: "%.\(decimals)f", value) : "n/a"
        }
        var parts = ["<h2>User clusters</h2>", "<p>\(escape(summaryLine))</p>"]
        if let planted = plantedLine { parts.append("<p>\(escape(planted))</p>") }
        if let selection {
            parts.append("<h3>Choosing k: mean silhouette by k</h3>")
            parts.append(
                LineChart(
                    title: "mean silhouette by k", xLabel: "k",
                    series: [.init(points: selection.curve.map { [Double($0.clusters), $0.silhouette] }, colour: "#4a7ab5", strokeWidth: 2)]
                ).svg())
            parts.append(
                HTMLTable(
                    header: ["k", "silhouette", "inertia"],
                    rows: selection.curve.map {
                        HTMLTable.Row(
                            [HTMLTable.Cell("\($0.clusters)"), HTMLTable.Cell(fixed($0.silhouette, 3)), HTMLTable.Cell(fixed($0.inertia, 1))],
                            class: $0.clusters == clusters ? "best" : nil)
                    }
                ).render())
        }
        parts.append("<h3>Profiles</h3>")
        func listing(_ lifts: [CategoryLift]) -> String {
            lifts.map { "\($0.category) ×\(fixed($0.lift, 2)) (\(fixed(100 * $0.share, 1))%)" }.joined(separator: ", ")
        }
        parts.append(
            HTMLTable(
                header: ["cluster", "users", HTMLTable.Cell("top \(rowDomain)"), HTMLTable.Cell("top \(columnDomain)"), "cross-domain r"],
                rows: profiles.map {
                    HTMLTable.Row([
                        HTMLTable.Cell("\($0.cluster)"), HTMLTable.Cell("\($0.size)"), HTMLTable.Cell(listing($0.topRows)),
                        HTMLTable.Cell(listing($0.topColumns)), HTMLTable.Cell(fixed($0.crossDomainCorrelation, 3)),
                    ])
                }
            ).render())
        parts.append("<h3>Cluster × category: log₂ lift over the population</h3>")
        let logLift = lift.map { $0.map { $0 > 0 ? log2($0) : .nan } }
        let tooltips = lift.indices.map { k in
            categories.indices.map { c in "cluster \(k) × \(categories[c]): lift \(fixed(lift[k][c], 2))" }
        }
        parts.append(
            Heatmap(
                rowLabels: profiles.map { "cluster \($0.cluster) (\($0.size))" }, columnLabels: categories, values: logLift,
                tooltips: tooltips
            ).svg())
        parts.append("<h3>\(escape(affinity.rowDomain)) – \(escape(affinity.columnDomain)) network</h3>")
        parts.append(
            "<p>Edges: the \(edges.count) cells significant under Benjamini–Hochberg at FDR \(affinity.fdr) (permutation p-values); width grows with |r|, red positive, blue negative.</p>"
        )
        parts.append(network(affinity: affinity).svg())
        return parts.joined(separator: "\n")
    }

    /// The genre–topic network of the affinity's significant cells.
    public func network(affinity: CategoryAffinity) -> NetworkGraph {
        var edges: [NetworkGraph.Edge] = []
        for g in affinity.rows.indices {
            for t in affinity.columns.indices where affinity.significant[g][t] {
                let r = affinity.correlation[g][t], p = affinity.pValue[g][t]
                edges.append(
                    .init(
                        left: g, right: t, weight: r,
                        tooltip: "\(affinity.rows[g]) – \(affinity.columns[t]): r = \(String(format: "%.3f", r)), p = \(String(format: "%.4f", p))"))
            }
        }
        return NetworkGraph(
            leftLabels: affinity.rows, rightLabels: affinity.columns, edges: edges,
            title: "\(affinity.rowDomain) – \(affinity.columnDomain) significant correlations",
            emptyMessage: "no significant edge at FDR \(affinity.fdr)")
    }
}
