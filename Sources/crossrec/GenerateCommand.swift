import ArgumentParser
import Foundation
import RecData
import SweepRuntime

extension DataCommand {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic linked data set: MovieLens-layout ratings, MIND-layout news clicks, links and truth.",
            discussion: """
                Writes OUTPUT/movielens (ml-latest CSV layout), OUTPUT/mind/{train,dev} (MIND layout), \
                OUTPUT/links.csv (users present in both domains) and OUTPUT/truth.json (the planted \
                genre-topic affinity matrix and every user's latent tastes). The same parameters give \
                byte-identical files. --affinity 0 is the negative control: topic tastes independent \
                of genre tastes.
                """
        )

        @Option(name: [.short, .long], help: "Output folder (created; existing generated files are replaced).")
        var output: String = "out/synthetic"
        @Option(help: "People in the population.") var users = SyntheticConfig.defaultUsers
        @Option(help: "Fraction of users present in both domains.") var bothFraction = SyntheticConfig.defaultBothFraction
        @Option(help: "Movies in the catalog.") var movies = SyntheticConfig.defaultMovies
        @Option(help: "News articles in the catalog.") var news = SyntheticConfig.defaultNews
        @Option(help: "Mean fraction of a catalog a user interacts with, in (0, 1].") var density = SyntheticConfig.defaultDensity
        @Option(help: "Strength of the planted genre-topic affinity, in [0, 1]; 0 = no cross-domain signal.")
        var affinity = SyntheticConfig.defaultAffinityStrength
        @Option(help: "Standard deviation of rating noise.") var noise = SyntheticConfig.defaultNoise
        @Option(help: "Random seed.") var seed = SyntheticConfig.defaultSeed
        @Option(help: "Planted user groups: genre tastes drawn around K group prototypes (0: none).") var groups = 0
        @Option(help: "How far a grouped user's genre taste strays from the group's prototype, in [0, 1].")
        var groupSpread = SyntheticConfig.defaultGroupSpread
        @Option(help: "Format of the printed summary: table or json.") var format: OutputFormat = .table
        @Flag(help: .hidden) var json = false

        func validate() throws { try format.check([.table, .json], command: "data generate") }

        func run() throws {
            let config = SyntheticConfig(
                users: users, bothFraction: bothFraction, movies: movies, news: news, density: density,
                affinityStrength: affinity, noise: noise, seed: seed, groups: groups, groupSpread: groupSpread)
            let generator = try runReportingDataErrors { () throws(DataError) in try SyntheticGenerator(config: config) }
            let summary: SyntheticSummary
            do {
                summary = try generator.write(to: URL(fileURLWithPath: output))
            } catch {
                FileHandle.standardError.write(Data("error: cannot write \(output): \(FileErrorText.reason(error, path: output + "/x"))\n".utf8))
                throw ExitCode(1)
            }
            if json || format == .json {
                print(try JSONOutput.text(summary))
            } else {
                let counts = summary.counts
                print("""
                    wrote \(output)
                      movielens: \(counts.ratings) ratings by \(counts.movieUsers) users of \(counts.movies) movies, \(counts.tags) tags
                      mind: \(counts.train.impressions) train and \(counts.dev.impressions) dev impressions by \(counts.newsUsers) users, \(counts.clicks) clicks, \(counts.news) news
                      links: \(counts.linkedUsers) users in both domains; truth.json holds the planted affinities
                    """)
            }
        }
    }
}
