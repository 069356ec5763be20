import Checksums
import Foundation
import Testing

@testable import RecData

@Suite struct SyntheticGroupsTests {
    /// SHA-256 of every file written by the generator before planted groups existed (commit 4a90085,
    /// Linux x86_64): without groups the output must stay byte for byte what it was.
    static let goldenDefault: [String: String] = [
        "links.csv": "f2d8ec0eaa775dd6728396fd1ddfc634ce911d47384cb55506835c94bec35272",
        "mind/dev/behaviors.tsv": "2476b15340bf2f0fe80cc9cc21d90d81bc67e48f4f10690bfd4625f971132417",
        "mind/dev/news.tsv": "b6c6742a195ef14396dd33bfe9968781b0a38e0cae6501ea43ee13da666c231c",
        "mind/train/behaviors.tsv": "a6fe0388905f6ffba5dc8618e7dcde408c6ff5bc9674cec2e7aea17bdb76dbb8",
        "mind/train/news.tsv": "b6c6742a195ef14396dd33bfe9968781b0a38e0cae6501ea43ee13da666c231c",
        "movielens/movies.csv": "df12672f47f240f2266ff9464c3594c75f2186b9a05336ec4676af7aecc5671a",
        "movielens/ratings.csv": "18a382106c5c362c9bd89658c5ca0d3833f2ac5e22a1d49035aa5f707dd4b9ef",
        "movielens/tags.csv": "cc6d5700f4b20310613f9faa88472bea676cf53261b7b5ae4011ea5403eaccc3",
        "truth.json": "cd601167683343da7775870b55601e9bec845f59b1bce1c2a37dab1aa8dbd922",
    ]
    static let goldenSmall: [String: String] = [
        "links.csv": "4b26cb67a67909300fb837f6cebf6405ec711a0cfa2410f358539bc651fdb38d",
        "movielens/ratings.csv": "d057b9c2b97b9b489228731549111ffe9fb3236ba2cc93eff1fc43982549afb4",
        "mind/train/behaviors.tsv": "45b268c0c56b27170d539cd0f617a1eb22dde72ea037e16754c398cf468d4af0",
        "truth.json": "0b299a61a4066c817da92eeaeab723fc8c212c732644163a2a69c5ba6489a5cc",
    ]

    static func digests(_ data: GeneratedData, _ paths: some Sequence<String>) throws -> [String: String] {
        var result: [String: String] = [:]
        for path in paths { result[path] = SHA256.hash(data: try data.bytes(path)).description }
        return result
    }

    @Test func withoutGroupsTheFilesAreWhatTheyWere() throws {
        #if os(Linux) && arch(x86_64)
            let data = try GeneratedData(SyntheticConfig())
            defer { data.remove() }
            #expect(try Self.digests(data, Self.goldenDefault.keys) == Self.goldenDefault)
            let small = try GeneratedData(SyntheticGeneratorTests.small)
            defer { small.remove() }
            #expect(try Self.digests(small, Self.goldenSmall.keys) == Self.goldenSmall)
        #endif
    }

    @Test func withoutGroupsTheConfigurationEncodesAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(SyntheticConfig()), as: UTF8.self)
        #expect(text == #"{"affinityStrength":0.8,"bothFraction":0.6,"density":0.05,"movies":400,"news":500,"noise":0.5,"seed":42,"users":600}"#)
        let grouped = String(decoding: try encoder.encode(SyntheticConfig(groups: 4)), as: UTF8.self)
        #expect(grouped.contains(#""groupSpread":0.15,"groups":4"#))
        let decoded = try JSONDecoder().decode(SyntheticConfig.self, from: Data(grouped.utf8))
        #expect(decoded == SyntheticConfig(groups: 4))
    }

    @Test func groupedUsersShareTheirGroupsPrototype() throws {
        let config = SyntheticConfig(users: 120, movies: 60, news: 60, seed: 5, groups: 3, groupSpread: 0.2)
        let data = try GeneratedData(config)
        defer { data.remove() }
        let truth = try data.truth()
        let prototypes = try #require(truth.groupPrototypes)
        #expect(prototypes.count == 3 && prototypes.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 })
        let groups = truth.users.map(\.group)
        #expect(groups.allSatisfy { $0 != nil })
        #expect((0..<3).map { g in groups.filter { $0 == g }.count } == [40, 40, 40], "dealt out evenly")
        // Each user's genre taste is nearer (L1) to their own prototype than to any other.
        for user in truth.users {
            let distances = prototypes.map { prototype in zip(prototype, user.genreTaste).reduce(0) { $0 + abs($1.0 - $1.1) } }
            #expect(distances.firstIndex(of: distances.min()!) == user.group, "\(distances)")
        }
        let text = try String(contentsOf: data.url(SyntheticLayout.truth), encoding: .utf8)
        #expect(text.contains(#""groups": 3, "groupSpread": 0.2}"#) && text.contains(#", "group": "#))
        #expect(truth.model.contains("Planted groups"))
        // The index of a loaded data set finds every user's group.
        var users = IDMap()
        for user in truth.users { _ = users.intern(user.movielensUser ?? user.mindUser!) }
        #expect(truth.plantedGroups(in: users) == groups)
        #expect(truth.plantedGroupsByID.count == 120 && truth.plantedGroupsByID[truth.users[0].movielensUser ?? truth.users[0].mindUser!] == groups[0])
    }

    @Test func minimumSeparationIsTheClosestPairsTotalVariation() {
        let a = [1.0, 0, 0], b = [0.0, 1, 0], c = [0.5, 0.5, 0]
        #expect(SyntheticGenerator.minimumSeparation([a, b]) == 1)
        #expect(SyntheticGenerator.minimumSeparation([a, b, c]) == 0.5)
        #expect(SyntheticGenerator.minimumSeparation([a]) == 1)
    }

    /// Prototypes are the most separated of several draws: over 20 seeds no two of 4 groups share
    /// their favourite genres closely (independent draws of Dirichlet(0.3) put the closest of 6 pairs
    /// under 0.6 in total variation about two times in three; seed 43 of issue 16 gave 0.59).
    @Test func prototypesAreWellSeparated() throws {
        var separations: [Double] = []
        for seed in UInt64(1)...20 {
            let generator = try SyntheticGenerator(config: SyntheticConfig(users: 40, seed: seed, groups: 4))
            separations.append(SyntheticGenerator.minimumSeparation(generator.plantedGroups().prototypes))
        }
        #expect(separations.allSatisfy { $0 >= 0.6 }, "\(separations)")
    }

    /// The oracle knows the prototypes: with users right on them it places nearly everyone, and with
    /// groups that shape nothing (spread 1) it does no better than chance.
    @Test func theOracleFindsGroupsThatAreThereAndOnlyThen() throws {
        func accuracy(spread: Double) throws -> Double {
            let config = SyntheticConfig(users: 300, movies: 120, news: 120, density: 0.15, seed: 9, groups: 3, groupSpread: spread)
            let data = try GeneratedData(config)
            defer { data.remove() }
            let truth = try data.truth()
            let labels = try SyntheticGroupOracle.classify(folder: data.folder.path, samples: 100)
            let linked = truth.users.filter(\.isLinked)
            #expect(labels.count == linked.count, "every user in both domains is classified")
            let right = linked.filter { labels[$0.movielensUser!] == $0.group }.count
            return Double(right) / Double(linked.count)
        }
        let near = try accuracy(spread: 0.05)
        let none = try accuracy(spread: 1)
        #expect(near >= 0.9, "\(near)")
        #expect(none <= 0.55, "\(none)")
    }

    @Test func groupsOutOfRangeAreRejected() {
        for (config, message) in [
            (SyntheticConfig(users: 10, groups: 11), "expected 0 (no planted groups) or 1…10 (at most one per user), got 11"),
            (SyntheticConfig(groups: -1), "expected 0 (no planted groups) or 1…50 (at most one per user), got -1"),
            (SyntheticConfig(groups: 2, groupSpread: 1.5), "expected a value in [0, 1], got 1.5"),
        ] {
            #expect {
                _ = try SyntheticGenerator(config: config)
            } throws: { error in
                (error as? DataError)?.message == message
            }
        }
    }
}
