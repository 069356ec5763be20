import Foundation
import Testing

@testable import RecData

@Suite struct SyntheticConfigTests {
    static let invalid: [(SyntheticConfig, String)] = [
        (SyntheticConfig(users: 1), "users"),
        (SyntheticConfig(users: -5), "users"),
        (SyntheticConfig(bothFraction: -0.1), "bothFraction"),
        (SyntheticConfig(bothFraction: 1.5), "bothFraction"),
        (SyntheticConfig(bothFraction: .nan), "bothFraction"),
        (SyntheticConfig(movies: 3), "movies"),
        (SyntheticConfig(news: 0), "news"),
        (SyntheticConfig(density: 0), "density"),
        (SyntheticConfig(density: 1.2), "density"),
        (SyntheticConfig(affinityStrength: -0.5), "affinityStrength"),
        (SyntheticConfig(affinityStrength: 2), "affinityStrength"),
        (SyntheticConfig(noise: -1), "noise"),
        (SyntheticConfig(noise: .infinity), "noise"),
    ]

    @Test(arguments: invalid)
    func invalidParametersAreRejected(config: SyntheticConfig, field: String) {
        #expect {
            _ = try SyntheticGenerator(config: config)
        } throws: { error in
            guard let error = error as? DataError else { return false }
            return error.kind == .invalidArgument && error.file == "<parameters>" && error.fieldName == field
        }
    }

    @Test func errorNamesTheParameter() {
        do {
            _ = try SyntheticGenerator(config: SyntheticConfig(users: 1))
            Issue.record("users = 1 was accepted")
        } catch {
            #expect(error.description == "<parameters>: 'users': expected an integer 2…50000000, got 1")
        }
    }

    @Test(arguments: [
        SyntheticConfig(), SyntheticConfig(users: 2, bothFraction: 0), SyntheticConfig(users: 2, bothFraction: 1),
        SyntheticConfig(movies: 10, news: 10, density: 1, affinityStrength: 1, noise: 0),
    ])
    func boundaryParametersAreAccepted(config: SyntheticConfig) throws {
        _ = try SyntheticGenerator(config: config)
    }

    @Test func tinyExtremesStillWriteEveryUser() throws {
        // Two users in different domains, and a full-density run over the smallest catalogs.
        for config in [
            SyntheticConfig(users: 2, bothFraction: 0, seed: 1),
            SyntheticConfig(users: 20, movies: 10, news: 10, density: 1, seed: 2),
        ] {
            let data = try GeneratedData(config)
            defer { data.remove() }
            let counts = data.summary.counts
            #expect(counts.movieUsers + counts.newsUsers - counts.linkedUsers == config.users)
            #expect(counts.movieUsers >= 1 && counts.newsUsers >= 1)
        }
    }

    @Test func decodingFillsDefaults() throws {
        let config = try JSONDecoder().decode(SyntheticConfig.self, from: Data(#"{"users": 1000, "seed": 7}"#.utf8))
        #expect(config == SyntheticConfig(users: 1000, seed: 7))
        let all = SyntheticConfig(
            users: 9, bothFraction: 0.1, movies: 11, news: 12, density: 0.3, affinityStrength: 0.2, noise: 1, seed: 99)
        #expect(try JSONDecoder().decode(SyntheticConfig.self, from: JSONEncoder().encode(all)) == all)
    }
}
