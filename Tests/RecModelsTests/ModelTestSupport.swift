import Foundation
import ParameterSpecs
import RecData
import RecModels
import Sweep

/// Every item's score for `user`.
func scores(_ model: some Recommender, user: Int, itemCount: Int) -> [Float] {
    var result = [Float](repeating: .nan, count: itemCount)
    result.withUnsafeMutableBufferPointer { model.scoreAll(user: Int32(user), into: $0) }
    return result
}

/// Every item's score for `user`.
func scores(_ model: AnyRecommender, user: Int, itemCount: Int) -> [Float] {
    var result = [Float](repeating: .nan, count: itemCount)
    result.withUnsafeMutableBufferPointer { model.scoreAll(user: Int32(user), into: $0) }
    return result
}

/// All users' scores, users × items, flattened.
func allScores(_ model: AnyRecommender, data: TrainingData) -> [Float] {
    (0..<data.userCount).flatMap { scores(model, user: $0, itemCount: data.itemCount) }
}

/// Registry model `name` built and trained on `data`.
func trained(
    _ name: String, on data: TrainingData, parameters: [String: ParameterValueLiteral] = [:], seed: UInt64 = 1
) throws -> AnyRecommender {
    var model = try ModelRegistry.make(name, parameters: parameters.mapValues(\.value), seed: seed)
    try model.fit(data)
    return model
}

/// Lets tests write `["factors": 8, "lr": 0.01, "solver": "cholesky"]`.
struct ParameterValueLiteral: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral
{
    var value: ParameterValue
    init(integerLiteral value: Int) { self.value = .int(value) }
    init(floatLiteral value: Double) { self.value = .double(value) }
    init(stringLiteral value: String) { self.value = .string(value) }
    init(booleanLiteral value: Bool) { self.value = .bool(value) }
}

/// Models whose training draws random numbers (the seed matters).
let stochasticModels: Set<String> = ["mf", "als", "bpr", "hybrid", "unified", "twotower", "emcdr"]
/// Models that need explicit ratings.
let explicitModels: Set<String> = ["mf", "baseline"]
