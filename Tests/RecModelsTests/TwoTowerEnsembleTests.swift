import Foundation
import RecData
import Testing

@testable import RecModels

@Suite("Two-tower ensemble")
struct TwoTowerEnsembleTests {
    static func parameters(_ ensemble: Int) -> [String: ParameterValueLiteral] {
        TwoTowerModelTests.small(["epochs": 4, "pooling": "domains", "ensemble": .init(integerLiteral: ensemble)])
    }

    /// The ensemble of two scores every item of both domains as the mean of the two single models
    /// fitted with the members' seeds (member 0: the ensemble's own seed).
    @Test func anEnsembleScoresTheMeanOfItsMembersInEveryDomain() throws {
        let (data, _) = UnifiedModelTests.data()
        let seed: UInt64 = 7
        let pair = try trained("twotower", on: data, parameters: Self.parameters(2), seed: seed)
        let first = try trained("twotower", on: data, parameters: Self.parameters(1), seed: seed)
        let second = try trained(
            "twotower", on: data, parameters: Self.parameters(1), seed: TwoTowerModel.memberSeed(seed, member: 1))
        let a = allScores(first, data: data)
        let b = allScores(second, data: data)
        let mean = zip(a, b).map { ($0 + $1) / 2 }
        #expect(a != b, "the members' seeds give different towers")
        #expect(allScores(pair, data: data) == mean)
        #expect(pair.fitSummary["ensemble_members"] == 2)
        let model = try #require(pair.base as? TwoTowerModel)
        let one = try #require(first.base as? TwoTowerModel)
        let two = try #require(second.base as? TwoTowerModel)
        for user in [0, 85, 119] {
            let other = { (m: TwoTowerModel) -> [Float] in
                var s = [Float](repeating: .nan, count: 40)
                #expect(s.withUnsafeMutableBufferPointer { m.scoreOtherDomain("news", user: Int32(user), into: $0) })
                return s
            }
            #expect(other(model) == zip(other(one), other(two)).map { ($0 + $1) / 2 })
        }
        var unused = [Float](repeating: 0, count: 40)
        #expect(!unused.withUnsafeMutableBufferPointer { model.scoreOtherDomain("sport", user: 0, into: $0) })
    }

    /// Ratings and progress: the rating head's prediction is the members' mean; on one thread
    /// progress counts the members' epochs one after the other and names the member; a stop ends
    /// the ensemble.
    @Test func ratingsAreAveragedAndProgressCoversEveryMember() throws {
        let data = TwoTowerModelTests.wordData(explicitDislikes: true)
        var settings = Self.parameters(3)
        settings["rating_weight"] = 1
        settings["threads"] = 1
        var model = try ModelRegistry.make("twotower", parameters: settings.mapValues(\.value), seed: 2)
        var seen: [(epoch: Int, member: Double?)] = []
        try model.fit(data) { step in
            seen.append((step.epoch, step.values["member"]))
            #expect(step.totalEpochs == 12)
            return .proceed
        }
        #expect(seen.map(\.epoch) == Array(1...12))
        #expect(seen.map(\.member) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        let ensemble = try #require(model.base as? TwoTowerModel)
        let predictions = ensemble.members.map { $0.predictRating(user: 0, item: 3)! }
        #expect(predictions.count == 3)
        #expect(ensemble.predictRating(user: 0, item: 3) == predictions.reduce(0, +) / 3)

        var stopped = try ModelRegistry.make("twotower", parameters: settings.mapValues(\.value), seed: 2)
        var calls = 0
        try stopped.fit(data) { _ in
            calls += 1
            return .stop
        }
        #expect(calls == 1)
        #expect(stopped.fitSummary["ensemble_members"] == 1)
    }

    /// Members fitted at once (`threads`): the same scores bit for bit on 1, 2 or 3 threads; every
    /// member's every epoch is reported once (members interleave), one report at a time; a stop
    /// from the caller stops the members running and skips the rest.
    @Test(arguments: [2, 3])
    func membersFittedAtOnceGiveTheSameModel(threads: Int) throws {
        let (data, _) = UnifiedModelTests.data()
        var settings = Self.parameters(3)
        settings["threads"] = 1
        let one = try trained("twotower", on: data, parameters: settings, seed: 5)
        settings["threads"] = .init(integerLiteral: threads)
        var model = try ModelRegistry.make("twotower", parameters: settings.mapValues(\.value), seed: 5)
        let reports = Reports()
        try model.fit(data) { step in
            reports.add(step)
            return .proceed
        }
        #expect(allScores(model, data: data) == allScores(one, data: data))
        #expect(model.fitSummary == one.fitSummary)
        let seen = reports.all
        #expect(Set(seen.map(\.epoch)) == Set(1...12) && seen.count == 12, "\(seen.map(\.epoch))")
        #expect(seen.allSatisfy { $0.totalEpochs == 12 })
        for step in seen {
            let member = try #require(step.values["member"])
            #expect(Double((step.epoch - 1) / 4 + 1) == member, "epoch \(step.epoch) belongs to member \(member)")
        }
        #expect(reports.overlapped == false, "reports never run at the same time")

        var stopped = try ModelRegistry.make("twotower", parameters: settings.mapValues(\.value), seed: 5)
        let calls = Reports()
        try stopped.fit(data) { step in
            calls.add(step)
            return .stop
        }
        #expect(calls.all.count == 1, "after the first stop no member reports again")
        let members = try #require(stopped.fitSummary["ensemble_members"])
        #expect(members >= 1 && members <= Double(threads), "the members running when it stopped, not the rest: \(members)")
    }

    /// Progress reports from member threads, and whether two ever overlapped.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var steps: [EpochProgress] = []
        private var inside = false
        private(set) var overlapped = false

        func add(_ step: EpochProgress) {
            lock.withLock {
                if inside { overlapped = true }
                inside = true
            }
            Thread.sleep(forTimeInterval: 0.001)
            lock.withLock {
                steps.append(step)
                inside = false
            }
        }

        var all: [EpochProgress] { lock.withLock { steps } }
    }
}
