import Foundation
import Sweep
import Testing

@testable import SweepStore

@Suite struct StoreCodingTests {
    static let configs: [TrialConfig] = [
        TrialConfig(model: "noop", parameters: [:], seed: 0),
        TrialConfig(
            model: "mf",
            parameters: [
                "factors": .int(64), "lr": .double(0.01), "reg": .double(1e-05), "epochs": .double(20),
                "big": .double(1e20), "neg": .int(-3), "bias": .bool(true), "loss": .string("bpr \"quoted\"\n\\ é"),
            ],
            seed: 18_446_744_073_709_551_615),
        TrialConfig(model: "weird/\"model\"", parameters: ["x": .double(-0.5), "y": .double(.pi)], seed: 7),
    ]

    /// The hand-written form is byte-identical to `JSONEncoder`'s (sorted keys, same number
    /// and string spelling), so stores written before and after it hold the same text.
    @Test(arguments: configs)
    func configJSONMatchesJSONEncoderAndDecodesToTheSameConfig(_ config: TrialConfig) throws {
        let coding = StoreCoding()
        let handWritten = coding.configJSON(config)
        #expect(handWritten == (try coding.json(config)))
        #expect(try coding.decode(TrialConfig.self, from: handWritten, table: "trials", key: "k") == config)
    }

    @Test func nonFiniteParameterValuesStillDecode() throws {
        let coding = StoreCoding()
        let config = TrialConfig(model: "m", parameters: ["a": .double(.infinity), "b": .double(-.infinity)], seed: 1)
        #expect(try coding.decode(TrialConfig.self, from: coding.configJSON(config), table: "trials", key: "k") == config)
        let nan = TrialConfig(model: "m", parameters: ["a": .double(.nan)], seed: 1)
        let decoded = try coding.decode(TrialConfig.self, from: coding.configJSON(nan), table: "trials", key: "k")
        #expect(decoded.parameters["a"]?.doubleValue?.isNaN == true)
    }
}
