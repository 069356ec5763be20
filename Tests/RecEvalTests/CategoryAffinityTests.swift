import RecData
import RecEval
import Testing

@Suite("Category affinity (genre × topic)")
struct CategoryAffinityTests {
    /// 60 users; user u reads genre u % 3 in the row domain. In the column domain users of genre
    /// 0 read topic 0 (the planted link), everyone else reads topics 1 and 2 at random. Topic 3
    /// exists but nobody reads it (a constant column).
    static func domains(linked: Bool = true) -> (Domain, Domain, users: Int) {
        var generator = SeededGenerator(seed: 9)
        let users = 60
        var movies = Interactions(), news = Interactions()
        for user in 0..<users {
            let genre = user % 3
            for k in 0..<6 { movies.append(user: Int32(user), item: Int32(genre * 10 + k), value: 4, timestamp: 0) }
            for _ in 0..<6 {
                let topic = linked && genre == 0 ? 0 : (linked ? 1 + generator.next(below: 2) : generator.next(below: 3))
                news.append(user: Int32(user), item: Int32(topic * 10 + generator.next(below: 10)), value: 1, timestamp: 0)
            }
        }
        let genreCatalog = ItemCatalog(
            categories: ["Action", "Comedy", "Drama"],
            records: (0..<30).map { ItemRecord(title: "m\($0)", categories: [Int32($0 / 10)]) })
        let topicCatalog = ItemCatalog(
            categories: ["sports", "health", "travel", "autos"],
            records: (0..<40).map { ItemRecord(title: "n\($0)", categories: [Int32($0 / 10)]) })
        return (
            Domain(name: "movies", items: IDMap(), catalog: genreCatalog, interactions: movies, isExplicit: true),
            Domain(name: "news", items: IDMap(), catalog: topicCatalog, interactions: news, isExplicit: false), users
        )
    }

    @Test func findsThePlantedPairAndNothingFromAConstantColumn() throws {
        let (movies, news, users) = Self.domains()
        let analysis = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 199, seed: 1)
        #expect(analysis.users == 60)
        // Share of Action is 1 for a third of the users, topic 0 share 1 for the same users: r = 1.
        #expect(abs(analysis.correlation[0][0] - 1) < 1e-12)
        #expect(analysis.pValue[0][0] == 1.0 / 200)
        #expect(analysis.significant[0][0])
        #expect(analysis.positivePairs.first.map { "\($0.row) × \($0.column)" } == "Action × sports")
        #expect(analysis.correlation[0][3].isNaN && !analysis.pValue[0][3].isFinite && !analysis.significant[0][3])
        let again = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 199, seed: 1)
        // Bit for bit (NaN cells compare by bit pattern).
        #expect(again.correlation.flatMap { $0 }.map(\.bitPattern) == analysis.correlation.flatMap { $0 }.map(\.bitPattern))
        #expect(again.pValue.flatMap { $0 }.map(\.bitPattern) == analysis.pValue.flatMap { $0 }.map(\.bitPattern))
        #expect(again.significant == analysis.significant)
    }

    @Test func unrelatedDomainsGiveNoSignificantPositivePair() throws {
        let (movies, news, users) = Self.domains(linked: false)
        let analysis = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 199, seed: 1)
        #expect(analysis.positivePairs.isEmpty, "\(analysis.positivePairs)")
    }

    /// p = 0.01, 0.02, 0.03, 0.5 at q = 0.05: 0.03 ≤ 3·0.05/4 = 0.0375, 0.5 > 0.05: the first three.
    @Test func benjaminiHochbergByHand() {
        let result = CategoryAffinity.benjaminiHochberg([[0.03, 0.5], [0.01, 0.02]], fdr: 0.05)
        #expect(result == [[true, false], [true, true]])
        // 0.02 ≤ 1·0.05/3 fails (0.0167), 0.04 ≤ 2·0.05/3 fails (0.033), 0.045 ≤ 0.05 holds: all three.
        #expect(CategoryAffinity.benjaminiHochberg([[0.02, 0.04, 0.045]], fdr: 0.05) == [[true, true, true]])
        #expect(CategoryAffinity.benjaminiHochberg([[0.2, .nan]], fdr: 0.05) == [[false, false]])
    }

    /// Ranks with a tie: a = (1, 2, 2, 3) → (1, 2.5, 2.5, 4); b = (10, 20, 30, 40) → (1, 2, 3, 4);
    /// ρ = Σ(x−2.5)(y−2.5) / √(Σ(x−2.5)² Σ(y−2.5)²) = 4.5 / √(4.5 · 5) = 0.9487.
    @Test func spearmanWithTiesByHand() {
        let rho = CategoryAffinity.spearman([1, 2, 2, 3], [10, 20, 30, 40])
        #expect(abs(rho - 4.5 / (4.5 * 5.0).squareRoot()) < 1e-12)
    }

    @Test func agreementWithAPlantedMatrix() throws {
        let (movies, news, users) = Self.domains()
        let analysis = try CategoryAffinity(rows: movies, columns: news, userCount: users, permutations: 199, seed: 1)
        let planted = [[0.8, 0, 0, 0], [0, 0.4, 0.4, 0], [0, 0.4, 0.4, 0]]
        let agreement = try #require(
            analysis.agreement(
                planted: planted, plantedRows: ["Action", "Comedy", "Drama"],
                plantedColumns: ["sports", "health", "travel", "autos"]))
        #expect(agreement.cells == 9, "the constant column has no correlation")
        #expect(agreement.strongFound >= 1 && agreement.spearman > 0.5, "\(agreement)")
        #expect(analysis.agreement(planted: [[0, 0], [0, 0]], plantedRows: ["Action", "Comedy"], plantedColumns: ["sports", "health"]) == nil)
    }

    @Test func tooFewSharedUsersIsAClearError() throws {
        let (movies, news, _) = Self.domains()
        let error = try #require(throws: EvaluationError.self) {
            _ = try CategoryAffinity(rows: movies, columns: news, userCount: 60, minimumRows: 7)
        }
        #expect(error.description.contains("0 users have at least 7 rows in both 'movies' and 'news'"), "\(error)")
    }
}
