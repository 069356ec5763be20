/// Chooses k for ``KMeans`` by the silhouette: fits every k of a range and keeps the one with the
/// highest ``Silhouette/score`` (the lowest k on a tie), with the whole curve for the report.
///
/// The gap statistic (Tibshirani, Walther and Hastie 2001) is not computed: it needs B reference
/// fits per k, and on factor vectors the silhouette curve already shows the structure.
/// - Complexity: Σ_k of ``KMeans``'s cost plus one ``Silhouette`` per k.
public struct ClusterCountSearch: Sendable, Equatable, Codable {
    /// One k of the curve.
    public struct Point: Sendable, Equatable, Codable {
        public var clusters: Int
        public var silhouette: Double
        public var inertia: Double
    }

    public var curve: [Point]
    /// The k with the highest silhouette.
    public var chosen: Int
    public var silhouetteIsSampled: Bool

    /// - Throws: ``ClusteringError`` when the range starts below 2 or exceeds the number of points.
    public init(
        _ points: PointMatrix, range: ClosedRange<Int>, settings: KMeans, sampleLimit: Int = Silhouette.defaultSampleLimit
    ) throws(ClusteringError) {
        guard range.lowerBound >= 2 else {
            throw ClusteringError("choosing k by the silhouette needs k ≥ 2 (one cluster has no silhouette), got \(range)")
        }
        guard range.upperBound <= points.count else {
            throw ClusteringError("k up to \(range.upperBound) needs at least \(range.upperBound) points, got \(points.count)")
        }
        var curve: [Point] = []
        var sampled = false
        for k in range {
            var kmeans = settings
            kmeans.clusters = k
            let fit = try kmeans.fit(points)
            let silhouette = Silhouette(
                points, assignments: fit.assignments, clusters: k, sampleLimit: sampleLimit, seed: settings.seed)
            sampled = sampled || silhouette.isSampled
            curve.append(Point(clusters: k, silhouette: silhouette.score, inertia: fit.inertia))
        }
        var best = curve[0]
        for point in curve.dropFirst() where point.silhouette > best.silhouette || (best.silhouette.isNaN && point.silhouette.isFinite) {
            best = point
        }
        self.curve = curve
        chosen = best.clusters
        silhouetteIsSampled = sampled
    }
}
