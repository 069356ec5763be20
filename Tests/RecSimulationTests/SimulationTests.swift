import Foundation
import RecData
import RecModels
import Testing

@testable import RecSimulation

/// A generated linked data set (movies + news + truth.json), made once per test.
struct GeneratedData {
    let folder: URL
    let dataset: Dataset
    let truth: SyntheticTruth

    init(users: Int = 300, affinity: Double = 0.8, seed: UInt64 = 7) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-simulation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try SyntheticGenerator(config: SyntheticConfig(users: users, affinityStrength: affinity, seed: seed)).write(to: folder)
        dataset = try DatasetLocator().open(path: folder.path).dataset
        truth = try SyntheticTruth.load(from: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Click probabilities given item by item.
struct TableClickModel: ClickModel {
    var probabilities: [SlateItem: Double]
    var description: String { "a table" }
    func clickProbability(user: Int32, _ item: SlateItem) -> Double { probabilities[item] ?? 0 }
}

@Suite struct SimulationTests {
    @Test func theExactCTRIsTheMeanSlateProbabilityOverThePopulation() throws {
        let data = try GeneratedData(users: 60)
        defer { data.remove() }
        let a = SlateItem(domain: 0, item: 0), b = SlateItem(domain: 0, item: 1), c = SlateItem(domain: 1, item: 0)
        let model = TableClickModel(probabilities: [a: 1, b: 0, c: 0.5])
        let simulator = try SlateSimulator(dataset: data.dataset, clickModel: model, population: [0, 1])
        // User 0 sees [a, b] (mean 0.5), user 1 sees [a, c] (mean 0.75): exact (0.5 + 0.75) / 2.
        let result = simulator.run(policy: "table", slates: [[a, b], [a, c]], sessions: 4_000, seed: 1)
        #expect(result.exactCTR == 0.625)
        #expect(result.ctr.covers(0.625), "\(result.ctr)")
        // Certain clicks and certain misses: the sessions of user 0 have CTR exactly 0.5.
        let certain = simulator.run(policy: "certain", slates: [[a, b], [a, b]], sessions: 50, seed: 2)
        #expect(certain.ctr.mean == 0.5 && certain.ctr.standardError == 0 && certain.clicksPerSession.mean == 1)
        #expect(certain.domainShare == [data.dataset.domains[0].name: 1])
        #expect(certain.catalogueCoverage == 2 / Double(data.dataset.domains[0].items.count))
    }

    @Test func thePlantedModelFollowsTheGeneratorsClickRule() throws {
        let data = try GeneratedData(users: 80)
        defer { data.remove() }
        let model = try PlantedClickModel(dataset: data.dataset, truth: data.truth)
        let news = try #require(data.dataset.domains.firstIndex { $0.name == "news" })
        let movies = try #require(data.dataset.domains.firstIndex { $0.name == "movies" })
        let user = try #require(data.truth.users.first { $0.mindUser != nil && $0.movielensUser != nil })
        let index = try #require(data.dataset.users.index(of: user.movielensUser!))
        let newsDomain = data.dataset.domains[news]
        let item: Int32 = 0
        let topic = try #require(newsDomain.catalog.categoryNames(of: item).first)
        let t = data.truth.topics.firstIndex(of: topic)!
        let expected = 0.02 + 0.55 * user.topicTaste[t] / user.topicTaste.max()!
        #expect(abs(model.clickProbability(user: index, SlateItem(domain: news, item: item)) - expected) < 1e-12)
        let genres = data.dataset.domains[movies].catalog.categoryNames(of: 0).map { data.truth.genres.firstIndex(of: $0)! }
        let expectedMovie = 0.02 + 0.55 * genres.reduce(0) { $0 + user.genreTaste[$1] / user.genreTaste.max()! } / Double(genres.count)
        #expect(abs(model.clickProbability(user: index, SlateItem(domain: movies, item: 0)) - expectedMovie) < 1e-12)
        let other = try GeneratedData(users: 40, seed: 99)
        defer { other.remove() }
        #expect(throws: SimulationError.self, "a truth from another data set matches no user") {
            _ = try PlantedClickModel(dataset: other.dataset, truth: SyntheticTruth(
                format: data.truth.format, model: data.truth.model, parameters: data.truth.parameters, genres: data.truth.genres,
                topics: data.truth.topics, affinity: data.truth.affinity, counts: data.truth.counts,
                users: [.init(movielensUser: "nobody", mindUser: nil, domains: [], genreTaste: [], topicTaste: [])]))
        }
    }

    @Test func sameSeedSameSessionsAndAPolicyEqualToItselfDiffersByNothing() throws {
        let data = try GeneratedData(users: 80)
        defer { data.remove() }
        let model = try PlantedClickModel(dataset: data.dataset, truth: data.truth)
        let users = (0..<Int32(data.dataset.users.count)).filter(model.knows)
        var popularity = try ModelRegistry.make("popularity")
        try PolicyTraining.fit(&popularity, dataset: data.dataset, target: 0)
        let slates = try SlatePolicy.slates(model: popularity, dataset: data.dataset, target: 0, users: users, size: 5, mode: .domain(0))
        let simulator = try SlateSimulator(dataset: data.dataset, clickModel: model, population: users)
        let first = simulator.run(policy: "p", slates: slates, sessions: 500, seed: 3)
        #expect(simulator.run(policy: "p", slates: slates, sessions: 500, seed: 3) == first)
        #expect(simulator.run(policy: "p", slates: slates, sessions: 500, seed: 4) != first)
        let same = simulator.compare(("p", slates), ("p", slates), sessions: 500, seed: 3)
        #expect(same.difference.mean == 0 && same.difference.standardError == 0)
    }

    @Test func slatesLeaveOutWhatTheUserHasAndMixedSlatesKeepAMinimumPerDomain() throws {
        let data = try GeneratedData(users: 120)
        defer { data.remove() }
        let users = Array(0..<Int32(data.dataset.users.count))
        var unified = try ModelRegistry.make("unified", parameters: ["factors": .int(8), "iterations": .int(3)], seed: 1)
        try PolicyTraining.fit(&unified, dataset: data.dataset, target: 0)
        let mixed = try SlatePolicy.slates(model: unified, dataset: data.dataset, target: 0, users: users, size: 10, mode: .mixed(minimumPerDomain: 3))
        for (user, slate) in zip(users, mixed) {
            #expect(slate.count == 10)
            #expect(slate.filter { $0.domain == 0 }.count >= 3 && slate.filter { $0.domain == 1 }.count >= 3, "user \(user)")
            for item in slate {
                let interactions = data.dataset.domains[item.domain].interactions
                let had = (0..<interactions.count).contains { interactions.users[$0] == user && interactions.items[$0] == item.item }
                #expect(!had, "user \(user) already has \(item)")
            }
        }
        let newsOnly = try SlatePolicy.slates(model: unified, dataset: data.dataset, target: 0, users: users, size: 10, mode: .domain(1))
        #expect(newsOnly.allSatisfy { $0.allSatisfy { $0.domain == 1 } })
        var popularity = try ModelRegistry.make("popularity")
        try PolicyTraining.fit(&popularity, dataset: data.dataset, target: 0)
        #expect(throws: SimulationError.self, "popularity learns no other domain") {
            _ = try SlatePolicy.slates(model: popularity, dataset: data.dataset, target: 0, users: users, size: 10, mode: .domain(1))
        }
    }

    /// A one-domain slate takes a partial selection instead of MixedSlate's full sort: same slates.
    @Test func aOneDomainSlateIsMixedSlatesSlateOfThatDomain() throws {
        let data = try GeneratedData(users: 150)
        defer { data.remove() }
        let users = Array(0..<Int32(data.dataset.users.count))
        for name in ["popularity", "unified"] {
            var model = try ModelRegistry.make(name, parameters: name == "unified" ? ["factors": .int(8), "iterations": .int(3)] : [:], seed: 1)
            try PolicyTraining.fit(&model, dataset: data.dataset, target: 0)
            let fast = try SlatePolicy.slates(model: model, dataset: data.dataset, target: 0, users: users, size: 10, mode: .domain(0))
            let domain = data.dataset.domains[0]
            for (user, slate) in zip(users, fast) {
                var scores = [Float](repeating: 0, count: domain.items.count)
                scores.withUnsafeMutableBufferPointer { model.scoreAll(user: user, into: $0) }
                var excluded = [Bool](repeating: false, count: domain.items.count)
                for k in 0..<domain.interactions.count where domain.interactions.users[k] == user { excluded[Int(domain.interactions.items[k])] = true }
                let full = MixedSlate.build(scores: [scores], excluded: [excluded], size: 10, minimumPerDomain: 0).map { SlateItem(domain: 0, item: $0.item) }
                #expect(slate == full, "\(name), user \(user)")
            }
        }
    }

    /// Issue 16's simulation goal on a fixed set of 100 seeds (deterministic, so not flaky): the
    /// 95 % interval of the simulated CTR covers the exact expected CTR in at least 93 of them.
    @Test func theIntervalCoversTheExactCTRInAtLeast93Of100Seeds() throws {
        let data = try GeneratedData(users: 200)
        defer { data.remove() }
        let model = try PlantedClickModel(dataset: data.dataset, truth: data.truth)
        let users = (0..<Int32(data.dataset.users.count)).filter(model.knows)
        var popularity = try ModelRegistry.make("popularity")
        try PolicyTraining.fit(&popularity, dataset: data.dataset, target: 1)
        let slates = try SlatePolicy.slates(model: popularity, dataset: data.dataset, target: 1, users: users, size: 10, mode: .domain(1))
        let simulator = try SlateSimulator(dataset: data.dataset, clickModel: model, population: users)
        var covered = 0
        for seed in UInt64(1)...100 {
            let result = simulator.run(policy: "popularity", slates: slates, sessions: 1_000, seed: seed)
            if result.ctr.covers(result.exactCTR!) { covered += 1 }
        }
        #expect(covered >= 93, "covered in \(covered) of 100 seeds")
    }
}

@Suite struct FittedClickModelTests {
    @Test func itLearnsFromHeldOutRowsAndBeatsTheBaseRate() throws {
        let data = try GeneratedData(users: 300)
        defer { data.remove() }
        let split = HeldOutSplit(data.dataset, fraction: 0.2, seed: 5)
        let total = data.dataset.domains.reduce(0) { $0 + $1.interactions.count }
        let held = split.heldOut.reduce(0) { $0 + $1.count }
        let kept = split.training.domains.reduce(0) { $0 + $1.interactions.count }
        #expect(held + kept == total && abs(Double(held) / Double(total) - 0.2) < 0.02)
        let model = try FittedClickModel(split: split, negativesPerPositive: 4, seed: 5)
        #expect(model.heldOutRows == held)
        // A constant model of a 1 : 4 mix has log loss −(0.2 ln 0.2 + 0.8 ln 0.8) = 0.5004.
        #expect(model.logLoss < 0.5004 - 0.02, "log loss \(model.logLoss)")
        let domains = data.dataset.domains.count
        #expect(model.weights[domains] > 0, "popular items are clicked more: \(model.weights)")
        #expect(model.weights[domains + 1] > 0, "so are items of the user's categories: \(model.weights)")
        #expect(model.description.contains("a model of users, not users"))
        // The same seed fits the same model.
        #expect(try FittedClickModel(split: split, negativesPerPositive: 4, seed: 5).weights == model.weights)
    }

    @Test func itsProbabilitiesFollowThePlantedOnesOnNews() throws {
        let data = try GeneratedData(users: 400)
        defer { data.remove() }
        let split = HeldOutSplit(data.dataset, fraction: 0.2, seed: 1)
        let fitted = try FittedClickModel(split: split, seed: 1)
        let planted = try PlantedClickModel(dataset: data.dataset, truth: data.truth)
        let news = data.dataset.domains.firstIndex { $0.name == "news" }!
        var pairs: [(Double, Double)] = []
        for user in Int32(0)..<Int32(min(200, data.dataset.users.count)) where planted.knows(user: user) {
            for item in stride(from: Int32(0), to: Int32(data.dataset.domains[news].items.count), by: 7) {
                let slateItem = SlateItem(domain: news, item: item)
                pairs.append((fitted.clickProbability(user: user, slateItem), planted.clickProbability(user: user, slateItem)))
            }
        }
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var result = [Double](repeating: 0, count: values.count)
            for (rank, index) in order.enumerated() { result[index] = Double(rank) }
            return result
        }
        let a = ranks(pairs.map(\.0)), b = ranks(pairs.map(\.1))
        let mean = Double(a.count - 1) / 2
        let covariance = zip(a, b).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - mean) }
        let variance = a.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let spearman = covariance / variance
        #expect(spearman > 0.2, "Spearman \(spearman) between fitted and planted news click probabilities")
    }
}
