import RecClusters
import RecData
import RecEval
import Testing

@Suite("User clusters on the affinity sample")
struct UserClustersTests {
    /// Vectors that put user u near corner u % 3 (the genre they read in ``CategoryAffinityTests``).
    static func vectors(users: Int) -> [Float] {
        (0..<users).flatMap { u -> [Float] in
            var vector: [Float] = [0.05 * Float(u % 5), 0, 0]
            vector[u % 3] += 1
            return vector
        }
    }

    static func ids(_ users: Int) -> IDMap {
        var map = IDMap()
        for u in 0..<users { _ = map.intern("u\(u)") }
        return map
    }

    @Test func profilesTheClustersOfTheVectors() throws {
        let (movies, news, users) = CategoryAffinityTests.domains()
        let affinity = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 199, seed: 1)
        let clusters = try UserClusters(
            affinity: affinity, rows: movies, columns: news, users: Self.ids(users), vectors: Self.vectors(users: users),
            dimension: 3, learned: [Bool](repeating: true, count: users), model: "hand", count: .fixed(3), seed: 2,
            planted: (0..<users).map { $0 % 3 })
        #expect(clusters.users == 60 && clusters.clusters == 3)
        #expect(clusters.profiles.map(\.size) == [20, 20, 20])
        #expect(clusters.plantedAgreement == 1 && clusters.plantedUsers == 60)
        #expect(clusters.oracleAgreement == nil && clusters.plantedLine?.contains("Bayes") == false)
        // An oracle that agrees with the truth except on one user of each group of 20.
        let truth = Dictionary(uniqueKeysWithValues: (0..<users).map { ("u\($0)", $0 % 3) })
        var labels = truth
        for u in 0..<3 { labels["u\(u)"] = (u + 1) % 3 }
        var compared = clusters
        compared.compareWithOracle(labels, planted: truth)
        let oracle = try #require(compared.oracleAgreement)
        #expect(oracle > 0.8 && oracle < 1, "\(oracle)")
        #expect(compared.plantedLine?.contains(String(format: "a Bayes classifier that knows the generator reaches %.3f", oracle)) == true)
        #expect(clusters.silhouette.score > 0.8)
        // The Action readers' cluster: Action at 3× the population share, sports too.
        let action = try #require(clusters.profiles.first { $0.topRows.first?.category == "Action" })
        #expect(abs(action.topRows[0].lift - 3) < 1e-12 && action.topRows.count == 1, "other genres have share 0")
        #expect(action.topColumns.first?.category == "sports" && abs(action.topColumns[0].lift - 3) < 1e-12)
        // r_gt = mean_u z_ug z_ut, so the population mean of x_u is the mean |r| of the significant cells.
        let significant = affinity.rows.indices.flatMap { g in
            affinity.columns.indices.filter { affinity.significant[g][$0] }.map { abs(affinity.correlation[g][$0]) }
        }
        #expect(clusters.edges.count == significant.count && !significant.isEmpty)
        #expect(abs(clusters.populationCrossDomainCorrelation - significant.reduce(0, +) / Double(significant.count)) < 1e-9)
        let sizes = clusters.profiles.map { Double($0.size) }
        let weighted = zip(clusters.profiles, sizes).reduce(0) { $0 + $1.0.crossDomainCorrelation * $1.1 } / 60
        #expect(abs(weighted - clusters.populationCrossDomainCorrelation) < 1e-9, "cluster means add up to the population's")
        #expect(clusters.members.count == 60 && clusters.members[0].user == "u0")
        // The section names what it shows and draws one edge per significant cell.
        let section = clusters.htmlSection(affinity: affinity)
        #expect(section.contains("<h2>User clusters</h2>") && section.contains("Action – sports: r = 1.000"))
        #expect(clusters.network(affinity: affinity).drawnEdges.count == significant.count)
        #expect(clusters.markdownLines().contains("planted groups: adjusted Rand index 1.000 against the truth over 60 users"))
    }

    @Test func autoChoosesKAndKeepsTheCurve() throws {
        let (movies, news, users) = CategoryAffinityTests.domains()
        let affinity = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 99, seed: 1)
        let clusters = try UserClusters(
            affinity: affinity, rows: movies, columns: news, users: Self.ids(users), vectors: Self.vectors(users: users),
            dimension: 3, learned: [Bool](repeating: true, count: users), model: "hand", count: .auto(2...6))
        #expect(clusters.clusters == 3)
        #expect(clusters.selection?.curve.map(\.clusters) == [2, 3, 4, 5, 6])
        #expect(clusters.requested == "auto")
    }

    @Test func usersWithoutAVectorAreLeftOutAndTooFewIsAnError() throws {
        let (movies, news, users) = CategoryAffinityTests.domains()
        let affinity = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 99, seed: 1)
        var learned = [Bool](repeating: false, count: users)
        for u in 0..<4 { learned[u] = true }
        let four = try UserClusters(
            affinity: affinity, rows: movies, columns: news, users: Self.ids(users), vectors: Self.vectors(users: users),
            dimension: 3, learned: learned, model: "hand", count: .fixed(2))
        #expect(four.users == 4)
        #expect(throws: EvaluationError("clusters", "5 clusters need at least 5 users with a vector and 5+ rows in both domains; 4 have them (lower --clusters or --min-rows)")) {
            try UserClusters(
                affinity: affinity, rows: movies, columns: news, users: Self.ids(users), vectors: Self.vectors(users: users),
                dimension: 3, learned: learned, model: "hand", count: .fixed(5))
        }
    }

    @Test func clusterCountParsing() throws {
        #expect(try ClusterCount(parsing: "3") == .fixed(3))
        #expect(try ClusterCount(parsing: "AUTO") == .auto(2...10))
        #expect(throws: EvaluationError("clusters", "expected a number of clusters 1…100 or 'auto', got 'many'")) {
            try ClusterCount(parsing: "many")
        }
        #expect(throws: EvaluationError.self) { try ClusterCount(parsing: "0") }
    }
}
