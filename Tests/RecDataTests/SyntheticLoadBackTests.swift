import Foundation
import Testing

@testable import RecData

/// Generated data must load back through the real MovieLens and MIND loaders with exactly the
/// counts the generator reported, so the default data set of the README and CI is well-formed.
@Suite("Synthetic data loads back")
struct SyntheticLoadBackTests {
    @Test(arguments: [(UInt64(42), 0.8), (UInt64(7), 0.0)])
    func loadsWithTheReportedCounts(seed: UInt64, affinity: Double) throws {
        let folder = try FixtureFolder("synthetic-loadback")
        let config = SyntheticConfig(users: 400, affinityStrength: affinity, seed: seed)
        let summary = try SyntheticGenerator(config: config).write(to: URL(fileURLWithPath: folder.path))
        let counts = summary.counts

        let movies = try MovieLensLoader().load(folder: folder.url("movielens"))
        #expect(movies.layout == MovieLensLayout.csv.rawValue)
        #expect(movies.interactionCount == counts.ratings)
        #expect(movies.users.count == counts.movieUsers)
        #expect(movies.domains[0].items.count == counts.movies)
        #expect(movies.report.rowsRead["tags.csv"] == counts.tags)
        #expect(movies.report.duplicatesRemoved.isEmpty && movies.report.skipped.isEmpty)

        let mind = try MINDLoader.load(folder: folder.url("mind"))
        #expect(mind.logs["train"]?.count == counts.train.impressions)
        #expect(mind.logs["dev"]?.count == counts.dev.impressions)
        #expect(mind.logs["train"]?.clickCount == counts.train.clicks)
        #expect(mind.logs["dev"]?.clickCount == counts.dev.clicks)
        #expect(mind.logs["train"]?.candidates.count == counts.train.shown)
        #expect(mind.dataset.users.count == counts.newsUsers)
        #expect(mind.news.catalog.describedCount == counts.news)
        #expect(mind.coverage["train"]?.missing == 0)

        let opened = try DatasetLocator().open(path: folder.path)
        #expect(opened.dataset.domains.map(\.name) == ["movies", "news"])
        #expect(opened.dataset.users.count == counts.users)
        let statistics = DatasetStatistics(opened.dataset)
        #expect(statistics.usersInAllDomains == counts.linkedUsers)

        let truth = try SyntheticTruth.load(from: URL(fileURLWithPath: folder.url("truth.json")))
        let plantedTotal = truth.affinity.flatMap { $0 }.reduce(0, +)
        if affinity == 0 { #expect(plantedTotal == 0) } else { #expect(plantedTotal > 0) }
    }
}
