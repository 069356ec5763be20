import Foundation
import Testing

@testable import RecClusters

@Suite("k-means")
struct KMeansTests {
    /// `perCluster` points around each of `centres`, offsets drawn from a fixed list (no generator
    /// needed): spread 0.3 against centres at least 10 apart.
    static func blobs(_ centres: [[Double]], perCluster: Int) throws -> (PointMatrix, [Int]) {
        var rows: [[Double]] = [], truth: [Int] = []
        for (c, centre) in centres.enumerated() {
            for i in 0..<perCluster {
                let angle = Double(i) * 2.399963  // golden angle: offsets spread around the centre
                let radius = 0.3 * Double(i % 7) / 6
                rows.append(centre.enumerated().map { j, x in x + radius * (j % 2 == 0 ? cos(angle) : sin(angle)) })
                truth.append(c)
            }
        }
        // Interleave the clusters so that point order says nothing.
        let order = (0..<rows.count).sorted { ($0 * 7919) % rows.count < ($1 * 7919) % rows.count }
        return (try PointMatrix(rows: order.map { rows[$0] }), order.map { truth[$0] })
    }

    static let centres: [[Double]] = [[0, 0, 0], [10, 0, 5], [0, 12, -4], [-9, -9, 9]]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func recoversWellSeparatedBlobs(seed: UInt64) throws {
        let (points, truth) = try Self.blobs(Self.centres, perCluster: 40)
        let fit = try KMeans(clusters: 4, restarts: 5, seed: seed).fit(points)
        #expect(AdjustedRandIndex.score(fit.assignments, truth) == 1)
        #expect(fit.sizes == [40, 40, 40, 40])
        #expect(fit.converged)
        #expect(fit.restartInertias.count == 5 && fit.restartInertias.min() == fit.inertia)
        // Each centroid sits on a true centre (within the blob radius).
        for c in 0..<4 {
            let centroid = Array(fit.centroids[(c * 3)..<(c * 3 + 3)])
            #expect(Self.centres.contains { centre in zip(centre, centroid).allSatisfy { abs($0 - $1) < 0.3 } }, "\(centroid)")
        }
    }

    @Test func theSameSeedGivesTheSameFitAndAnotherSeedMayNot() throws {
        // Overlapping data, so that restarts really differ.
        let rows = (0..<200).map { i -> [Double] in [sin(Double(i) * 1.7) * 3, cos(Double(i) * 0.37) * 2] }
        let points = try PointMatrix(rows: rows)
        let first = try KMeans(clusters: 5, restarts: 3, seed: 7).fit(points)
        let second = try KMeans(clusters: 5, restarts: 3, seed: 7).fit(points)
        #expect(first == second)
        let other = try KMeans(clusters: 5, restarts: 3, seed: 8).fit(points)
        #expect(other.restartInertias != first.restartInertias, "the seed must drive the seeding")
    }

    @Test func anEmptyClusterMovesToTheFarthestPoint() throws {
        // Points 0, 1, 2 and 10, 11 on a line; the third centroid starts at 100 and gets nobody. It
        // moves to the point farthest from its centroid (0 and 2 are 1 from centroid 1: the first, 0).
        let points = try PointMatrix(rows: [[0], [1], [2], [10], [11]])
        let fit = KMeans(clusters: 3).lloyd(points, centroids: [1, 10.5, 100])
        #expect(fit.reseeds == 1)
        #expect(fit.converged)
        let labelled = fit.relabelledBySize()
        #expect(labelled.assignments == [2, 0, 0, 1, 1])
        #expect(labelled.centroids == [1.5, 10.5, 0])
        #expect(labelled.inertia == 0.25 + 0.25 + 0.25 + 0.25)
    }

    @Test func fewerDistinctPointsThanKStillFinishes() throws {
        let points = try PointMatrix(rows: [[1, 1], [1, 1], [1, 1], [5, 5]])
        let fit = try KMeans(clusters: 3, restarts: 2).fit(points)
        #expect(fit.assignments.count == 4 && fit.inertia == 0)
        #expect(Set(fit.assignments).count == 2, "two distinct places: one cluster stays empty")
    }

    @Test func badInputIsAClearError() throws {
        let points = try PointMatrix(rows: [[0], [1]])
        #expect(throws: ClusteringError("k = 3 clusters need at least 3 points, got 2; lower k")) {
            try KMeans(clusters: 3).fit(points)
        }
        #expect(throws: ClusteringError("k must be at least 1, got 0")) { try KMeans(clusters: 0).fit(points) }
        #expect(throws: ClusteringError("point 1 has a non-finite coordinate (nan); drop or repair it first")) {
            try PointMatrix(rows: [[0, 1], [.nan, 2]])
        }
    }

    @Test func normalizedRowsHaveLengthOne() throws {
        let points = try PointMatrix(rows: [[3, 4], [0, 0], [0, -2]]).normalizedRows()
        #expect(zip(points.values, [0.6, 0.8, 0, 0, 0, -1]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}

@Suite("silhouette, ARI and the choice of k")
struct ClusterQualityTests {
    @Test func silhouetteByHand() throws {
        // 0, 1 | 5, 7 on a line.
        // s(0) = (6 − 1)/6, s(1) = (5 − 1)/5, s(5) = (4.5 − 2)/4.5, s(7) = (6.5 − 2)/6.5.
        let points = try PointMatrix(rows: [[0], [1], [5], [7]])
        let silhouette = Silhouette(points, assignments: [0, 0, 1, 1], clusters: 2)
        let expected = (5.0 / 6 + 4.0 / 5 + 2.5 / 4.5 + 4.5 / 6.5) / 4
        #expect(abs(silhouette.score - expected) < 1e-12)
        #expect(silhouette.pointsUsed == 4 && !silhouette.isSampled)
        // A singleton counts 0: 0, 1 | 7 gives ((7−1)/7 + (6−1)/6 + 0) / 3.
        let singleton = Silhouette(try PointMatrix(rows: [[0], [1], [7]]), assignments: [0, 0, 1], clusters: 2)
        #expect(abs(singleton.score - (6.0 / 7 + 5.0 / 6) / 3) < 1e-12)
        // One cluster: undefined.
        #expect(Silhouette(points, assignments: [0, 0, 0, 0], clusters: 2).score.isNaN)
    }

    @Test func silhouetteSamplesAboveItsLimitAndSaysSo() throws {
        let (points, truth) = try KMeansTests.blobs(KMeansTests.centres, perCluster: 50)
        let exact = Silhouette(points, assignments: truth, clusters: 4)
        let sampled = Silhouette(points, assignments: truth, clusters: 4, sampleLimit: 60, seed: 3)
        #expect(sampled.isSampled && sampled.pointsUsed == 60 && !exact.isSampled)
        #expect(abs(sampled.score - exact.score) < 0.05 && exact.score > 0.9)
        #expect(sampled == Silhouette(points, assignments: truth, clusters: 4, sampleLimit: 60, seed: 3))
    }

    @Test func adjustedRandIndexByHand() {
        // Contingency [[2, 1, 0], [0, 1, 2]]: Σ C(n_ij, 2) = 2, rows 3 + 3 = 6, columns 1 + 1 + 1 = 3,
        // C(6, 2) = 15, E = 6·3/15 = 1.2, max = 4.5: (2 − 1.2)/(4.5 − 1.2) = 0.8/3.3.
        #expect(abs(AdjustedRandIndex.score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 0.8 / 3.3) < 1e-12)
        #expect(AdjustedRandIndex.score([0, 0, 1, 1], [5, 5, 3, 3]) == 1, "labels are names only")
        // Perfectly crossed: [[1, 1], [1, 1]]: index 0, E = 2·2/6, max 2: (0 − 2/3)/(2 − 2/3) = −0.5.
        #expect(abs(AdjustedRandIndex.score([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12)
        #expect(AdjustedRandIndex.score([0, 0, 0], [1, 1, 1]) == 1)
    }

    @Test func theSilhouetteChoosesThePlantedK() throws {
        let (points, _) = try KMeansTests.blobs(KMeansTests.centres, perCluster: 30)
        let search = try ClusterCountSearch(points, range: 2...7, settings: KMeans(clusters: 2, restarts: 4, seed: 1))
        #expect(search.chosen == 4)
        #expect(search.curve.map(\.clusters) == Array(2...7))
        #expect(search.curve.allSatisfy { $0.silhouette <= search.curve[2].silhouette })
        #expect(throws: ClusteringError("choosing k by the silhouette needs k ≥ 2 (one cluster has no silhouette), got 1...3")) {
            try ClusterCountSearch(points, range: 1...3, settings: KMeans(clusters: 2))
        }
    }
}
