import Foundation

extension UserClusters {
    /// One line: what was clustered, how, and how well.
    public var summaryLine: String {
        let fit = String(format: "silhouette %.3f", silhouette.score)
        let sampled = silhouette.isSampled ? " on a sample of \(silhouette.pointsUsed)" : ""
        let how = selection.map { "k = \(clusters) chosen by the best silhouette over k = \($0.curve.first!.clusters)…\($0.curve.last!.clusters)" }
            ?? "k = \(clusters)"
        return "\(users) users' \(model) vectors (\(dimension) dimensions\(normalized ? ", scaled to length 1" : "")), k-means with k-means++ seeding, \(restarts) restarts, seed \(seed): \(how), \(fit)\(sampled)"
    }

    /// The agreement with planted groups, when the data has them.
    public var plantedLine: String? {
        guard let plantedAgreement, let plantedUsers else { return nil }
        let line = String(format: "planted groups: adjusted Rand index %.3f against the truth over %d users", plantedAgreement, plantedUsers)
        guard let oracleAgreement else { return line }
        return line + String(format: "; a Bayes classifier that knows the generator reaches %.3f on the same users (what the data allows)", oracleAgreement)
    }

    /// The section of the Markdown (table) output.
    public func markdownLines() -> [String] {
        func fixed(_ value: Double, _ decimals: Int) -> String {
            value.isFinite ? String(format: "%.\(decimals)f", value) : "n/a"
        }
        func listing(_ lifts: [CategoryLift]) -> String {
            lifts.map { "\($0.category) ×\(fixed($0.lift, 2))" }.joined(separator: ", ")
        }
        var lines = ["", "## User clusters", "", summaryLine]
        if let planted = plantedLine { lines.append(planted) }
        if let selection {
            lines += ["", "| k | silhouette | inertia |", "| ---: | ---: | ---: |"]
            for point in selection.curve {
                let mark = point.clusters == clusters ? " ←" : ""
                lines.append("| \(point.clusters) | \(fixed(point.silhouette, 3))\(mark) | \(fixed(point.inertia, 1)) |")
            }
        }
        lines += [
            "", "| cluster | users | top \(rowDomain) (lift) | top \(columnDomain) (lift) | cross-domain r |",
            "| ---: | ---: | --- | --- | ---: |",
        ]
        for profile in profiles {
            lines.append(
                "| \(profile.cluster) | \(profile.size) | \(listing(profile.topRows)) | \(listing(profile.topColumns)) | \(fixed(profile.crossDomainCorrelation, 3)) |"
            )
        }
        lines.append("(population cross-domain r \(fixed(populationCrossDomainCorrelation, 3)): the mean over users of their product of standardized shares on the significant cells)")
        lines += ["", "network: \(edges.count) significant \(rowDomain)–\(columnDomain) edges" + (edges.isEmpty ? "" : ", strongest:")]
        for edge in edges.prefix(5) {
            lines.append("  \(edge.row) – \(edge.column): r = \(fixed(edge.correlation, 3))")
        }
        return lines
    }
}
