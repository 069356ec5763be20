import Foundation
import RecData
import Testing

@testable import RecOffPolicy

@Suite("Single-action logs")
struct BanditLogTests {
    @Test func propensitiesAreUniformUnlessGiven() throws {
        let log = try handLog()
        #expect(log.propensities == [0.5, 1.0 / 3, 0.5])
        #expect(log.loggedSlots == [0, 4, 6])
        #expect(log.slots(of: 1) == 2..<5)
        var given = BanditLog()
        try given.append(context: 7, candidates: [1, 2, 3], loggedPosition: 1, propensity: 0.6, reward: 0)
        #expect(given.propensities == [0.6])
    }

    @Test(arguments: [
        (0.0, "propensity must be in (0, 1], got 0.0"), (1.5, "propensity must be in (0, 1], got 1.5"),
        (Double.nan, "propensity must be in (0, 1], got nan"),
    ])
    func badPropensitiesNameTheImpression(propensity: Double, message: String) throws {
        var log = try handLog()
        let error = try #require(throws: OffPolicyError.self) {
            try log.append(context: 42, candidates: [1, 2], loggedPosition: 0, propensity: propensity, reward: 1)
        }
        #expect(error.message == "impression 3 (context 42): " + message)
    }

    @Test func aPositionOutsideTheCandidatesIsAnError() throws {
        var log = BanditLog()
        let error = try #require(throws: OffPolicyError.self) {
            try log.append(context: 0, candidates: [1, 2], loggedPosition: 2, reward: 1)
        }
        #expect(error.message == "impression 0 (context 0): logged position 2 is outside its 2 candidates")
        #expect(log.isEmpty, "a refused impression leaves nothing behind")
    }

    /// π per slot [0.8, 0.2 | 0.1, 0.3, 0.6 | 0.5, 0.5] against every label [1, 0 | 0, 1, 0 | 0, 1]:
    /// (0.8 + 0.3 + 0.5) / 3 = 1.6 / 3.
    @Test func theFullInformationValueReadsEveryLabel() throws {
        var log = BanditLog(keepsSlotRewards: true)
        try log.append(context: 0, candidates: [10, 11], loggedPosition: 0, reward: 1, slotRewards: [1, 0])
        try log.append(context: 1, candidates: [10, 12, 13], loggedPosition: 2, reward: 0, slotRewards: [0, 1, 0])
        try log.append(context: 2, candidates: [11, 12], loggedPosition: 1, reward: 1, slotRewards: [0, 1])
        #expect(close(try #require(log.fullInformationValue(targetProbabilities: handTarget)), 1.6 / 3))
        #expect(try handLog().fullInformationValue(targetProbabilities: handTarget) == nil)
    }

    /// A MIND dev folder: 3 labeled impressions (3, 2 and 4 candidates) and one without a click.
    @Test func mindImpressionsBecomeOneUniformDrawEach() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-ope-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dev"), withIntermediateDirectories: true)
        let news = (1...6).map { "N\($0)\tnews\tnewsus\tTitle \($0)\t\t\t[]\t[]" }
        try (news.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("dev/news.tsv"), atomically: true, encoding: .utf8)
        let behaviors = [
            "1\tU1\t11/15/2019 8:55:22 AM\tN1\tN2-1 N3-0 N4-0",
            "2\tU2\t11/15/2019 9:00:00 AM\t\tN1-0 N5-1",
            "3\tU1\t11/15/2019 10:00:00 AM\tN1 N2\tN3-0 N4-0 N5-0 N6-0",
            "4\tU3\t11/15/2019 11:00:00 AM\tN4\tN6-1 N2-1",
        ]
        try (behaviors.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("dev/behaviors.tsv"), atomically: true, encoding: .utf8)
        let mind = try MINDLoader.load(folder: folder.path)
        let impressions = try #require(mind.logs["dev"])
        let (log, skipped) = BanditLog.drawingOneCandidate(of: impressions, seed: 3)
        #expect(skipped == 0 && log.count == 4, "an impression without a click is data (reward 0)")
        #expect(log.contexts == [0, 1, 2, 3])
        #expect(log.propensities == [1.0 / 3, 0.5, 0.25, 0.5])
        for impression in 0..<log.count {
            let slots = log.slots(of: impression)
            #expect(Array(log.items[slots]) == Array(impressions.candidates(of: impression)))
            #expect(log.rewards[impression] == Double(impressions.labels[log.loggedSlots[impression]]))
            #expect(slots.contains(log.loggedSlots[impression]))
        }
        #expect(log.slotRewards == impressions.labels.map { Double($0) })
        // The draw is the seed's: SplitMix64(3), next(below: |C|) per impression in order.
        var generator = SeededGenerator(seed: 3)
        let expected = [3, 2, 4, 2].map { generator.next(below: $0) }
        #expect((0..<4).map { log.loggedSlots[$0] - log.slotStarts[$0] } == expected)
        #expect(BanditLog.drawingOneCandidate(of: impressions, seed: 3).log == log)
    }
}
