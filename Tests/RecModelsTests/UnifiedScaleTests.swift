import RecData
import RecModels
import Testing

@Suite("Unified model: threads")
struct UnifiedScaleTests {
    /// Each row's solve is independent of how rows are split among threads: 1, 2 and 3 threads
    /// (and the default) give bit-identical factors, hence scores, in both domains.
    @Test func anyThreadCountGivesBitIdenticalScores() throws {
        let (data, _) = UnifiedModelTests.data()
        func fitted(_ threads: Int) throws -> UnifiedModel {
            try #require(
                try trained(
                    "unified", on: data,
                    parameters: ["factors": 12, "iterations": 5, "threads": .init(integerLiteral: threads)], seed: 7)
                    .unwrap(as: UnifiedModel.self))
        }
        let one = try fitted(1)
        func everyScore(_ model: UnifiedModel) -> [Float] {
            var result: [Float] = []
            for user in 0..<data.userCount {
                result += scores(model, user: user, itemCount: data.itemCount)
                var other = [Float](repeating: .nan, count: 40)
                _ = other.withUnsafeMutableBufferPointer { model.scoreOtherDomain("news", user: Int32(user), into: $0) }
                result += other
            }
            return result
        }
        let reference = everyScore(one)
        #expect(reference.allSatisfy { $0.isFinite })
        for threads in [2, 3, 0] {
            let scores = everyScore(try fitted(threads))
            let same = scores == reference
            #expect(same, "threads \(threads)")
        }
    }

    /// A failing row is reported the same way whatever the thread count: the smallest one. User
    /// 50's rows have a confidence of +∞, so only their system cannot be solved.
    @Test func aSingularSystemNamesTheSameRowOnAnyThreadCount() throws {
        var (data, _) = UnifiedModelTests.data()
        var interactions = data.interactions
        for k in 0..<interactions.count where interactions.users[k] == 50 {
            interactions.values[k] = .greatestFiniteMagnitude
        }
        let others = data.otherDomains
        data = TrainingData(interactions: interactions, userCount: data.userCount, itemCount: data.itemCount, isExplicit: false)
        data.otherDomains = others
        for threads in [1, 2, 3] {
            let error = try #require(throws: ModelError.self) {
                _ = try trained(
                    "unified", on: data,
                    parameters: ["factors": 8, "iterations": 2, "alpha": 10, "threads": .init(integerLiteral: threads)])
            }
            #expect(error.message == "the system of user 50 is not positive definite; raise reg (now 0.05)", "threads \(threads)")
        }
    }
}
