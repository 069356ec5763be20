import ParameterSpecs

extension HybridModel {
    /// The hybrid's own hyperparameters, then every CF component's (`ease.lambda`, `als.factors`,
    /// …, each applying only when `cf` names that component) and the content model's
    /// (`content.min_df`, …), with the components' own ranges and defaults.
    static func parameterSpecs(components: [ModelRegistry.Entry], content: ModelRegistry.Entry) -> [ParameterSpec] {
        let stack = ParameterSpec.Condition(parameter: "combination", values: [Combination.stack.rawValue])
        var specs = [
            ParameterSpec(
                name: "cf", kind: .choice(components.map(\.name)), defaultValue: .string(EASEModel.name),
                help: "the collaborative-filtering component; its parameters are '<cf>.<name>', e.g. ease.lambda"),
            ParameterSpec(
                name: "combination", kind: .choice(Combination.allCases.map(\.rawValue)),
                defaultValue: .string(Combination.stack.rawValue),
                help: "blend: fixed content_weight; stack: learn the weight on a validation holdout of the training rows"),
            ParameterSpec(
                name: "content_weight", kind: .double(0...1), defaultValue: .double(0.5),
                help: "the content model's share of the standardized score (combination blend)",
                appliesWhen: .init(parameter: "combination", values: [Combination.blend.rawValue])),
            ParameterSpec(
                name: "holdout", kind: .double(0.01...0.9), defaultValue: .double(0.2),
                help: "fraction of each user's training rows kept out to learn the weight (combination stack)",
                appliesWhen: stack),
            ParameterSpec(
                name: "validation_users", kind: .int(1...10_000_000), defaultValue: .int(1000),
                help: "most users scored to learn the weight (combination stack; a seeded sample when more)",
                appliesWhen: stack),
        ]
        for component in components {
            for spec in component.parameters {
                precondition(spec.appliesWhen == nil, "hybrid: component \(component.name) has a conditional parameter")
                var prefixed = spec
                prefixed.name = "\(component.name).\(spec.name)"
                prefixed.appliesWhen = .init(parameter: "cf", values: [component.name])
                specs.append(prefixed)
            }
        }
        for spec in content.parameters {
            var prefixed = spec
            prefixed.name = "\(content.name).\(spec.name)"
            if let condition = spec.appliesWhen {  // e.g. content.lda_topics applies when content.features has lda
                prefixed.appliesWhen = .init(parameter: "\(content.name).\(condition.parameter)", values: condition.values)
            }
            specs.append(prefixed)
        }
        return specs
    }

    /// Builds the hybrid and its two untrained components from checked values.
    init(parameters: ModelParameters, seed: UInt64, components: [ModelRegistry.Entry], content: ModelRegistry.Entry) {
        let cfName = parameters.string("cf")
        guard let cfEntry = components.first(where: { $0.name == cfName }) else {
            preconditionFailure("hybrid: cf '\(cfName)' passed validation but is not a component")
        }
        /// The component's values, without its conditional parameters whose condition does not hold.
        func values(of entry: ModelRegistry.Entry) -> [String: ParameterValue] {
            var values: [String: ParameterValue] = [:]
            for spec in entry.parameters { values[spec.name] = parameters.values["\(entry.name).\(spec.name)"] }
            for spec in entry.parameters {
                if let condition = spec.appliesWhen, !condition.isMet(by: values[condition.parameter]) {
                    values[spec.name] = nil
                }
            }
            return values
        }
        let collaborative: AnyRecommender
        let contentModel: AnyRecommender
        do {
            collaborative = try cfEntry.make(parameters: values(of: cfEntry), seed: seed)
            contentModel = try content.make(parameters: values(of: content), seed: seed)
        } catch {
            preconditionFailure("hybrid: component values passed the hybrid's checks but not the component's: \(error)")
        }
        self.init(
            collaborative: collaborative, content: contentModel,
            hyperparameters: Hyperparameters(
                combination: Combination(rawValue: parameters.string("combination")) ?? .stack,
                contentWeight: parameters.double("content_weight"), holdout: parameters.double("holdout"),
                validationUsers: parameters.int("validation_users")),
            seed: seed)
    }
}
