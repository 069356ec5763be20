public import ParameterSpecs

extension UnifiedModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(factors:iterations:regularization:alpha:otherWeight:choosesOtherWeight:initStandardDeviation:coldPrior:absentUsers:specificFactors:threads:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(name: "factors", kind: .int(1...512), defaultValue: .int(32), help: "latent dimensions"),
        ParameterSpec(
            name: "iterations", kind: .int(0...1000), defaultValue: .int(10), help: "alternating passes (users, then items)"),
        ParameterSpec(
            name: "reg", kind: .double(1e-6...10_000), defaultValue: .double(0.05), help: "L2 regularization λ"),
        ParameterSpec(name: "alpha", kind: .double(0...10_000), defaultValue: .double(1), help: "confidence c = 1 + alpha·r"),
        ParameterSpec(
            name: "other_weight",
            kind: .doubleOrWord(
                0...1000, word: "auto", meaning: "chosen among 0, 0.1, 0.3, 1 on a holdout of the training rows"),
            defaultValue: .double(1),
            help:
                "weight of the other domains' loss beside the evaluated domain's; 0 leaves them out (single-domain ALS); auto chooses it on validation, 0 unless a larger weight is better by more than one standard error"
        ),
        ParameterSpec(
            name: "init_std", kind: .double(0...1), defaultValue: .double(0.01),
            help: "standard deviation of the initial factors"),
        ParameterSpec(
            name: "cold_prior", kind: .choice(ColdPrior.allCases.map(\.rawValue)), defaultValue: .string("none"),
            help:
                "users only other domains know: none (their vector) or popularity (blended with it, the weight learned on simulated cold users)"
        ),
        ParameterSpec(
            name: "absent_users", kind: .choice(AbsentUsers.allCases.map(\.rawValue)), defaultValue: .string("negative"),
            help:
                "a user with no rows in a domain: negative (counted as disliking all its items, as implicit ALS does) or unobserved (left out of that domain's loss; a cold user's vector comes from their other rows alone)"
        ),
        ParameterSpec(
            name: "specific_factors", kind: .int(0...512), defaultValue: .int(0),
            help:
                "per-domain user factors beside the shared ones: a domain's items use the shared factors and their own domain's (0: every factor shared)"
        ),
        ParameterSpec(
            name: "cold_simulation", kind: .double(0...0.99), defaultValue: .double(0),
            help:
                "share of the users with rows in both domains whose evaluated rows are hidden from their own solve each iteration, so the evaluated items learn to serve vectors built from the other domain alone, as a cold user's is (0: none)"
        ),
        ParameterSpec(
            name: "threads", kind: .int(0...256), defaultValue: .int(0),
            help: "threads solving user and item rows; 0: the active processor count, at most 8 (results do not depend on it)"),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), iterations: parameters.int("iterations"),
                regularization: parameters.float("reg"), alpha: parameters.float("alpha"),
                otherWeight: parameters.numberOrWord("other_weight").map(Float.init) ?? 0,
                choosesOtherWeight: parameters.numberOrWord("other_weight") == nil,
                initStandardDeviation: parameters.float("init_std"),
                coldPrior: ColdPrior(rawValue: parameters.string("cold_prior")) ?? .none,
                absentUsers: AbsentUsers(rawValue: parameters.string("absent_users")) ?? .negative,
                specificFactors: parameters.int("specific_factors"),
                threads: parameters.int("threads"), coldSimulation: parameters.double("cold_simulation")),
            seed: seed)
    }
}
