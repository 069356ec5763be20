public import ParameterSpecs

extension ContentModel {
    /// The vocabulary settings apply to the features built from words: TF-IDF and LDA's bag of words.
    static let wordFeatures = ParameterSpec.Condition(
        parameter: "features", values: ItemFeatureKind.combinations.filter { $0.contains("tfidf") || $0.contains("lda") })

    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(minimumDocumentFrequency:maximumDocumentFraction:maximumTerms:sublinearTF:stems:halfLifeDays:weighting:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "min_df", kind: .int(1...1_000_000), defaultValue: .int(2),
            help: "a term must occur in at least this many item texts", appliesWhen: wordFeatures),
        ParameterSpec(
            name: "max_df", kind: .double(0.000_001...1), defaultValue: .double(1),
            help: "and in at most this fraction of them (drops terms every item has)", appliesWhen: wordFeatures),
        ParameterSpec(
            name: "max_terms", kind: .int(0...10_000_000), defaultValue: .int(0),
            help: "keep the most frequent terms only; 0 keeps all", appliesWhen: wordFeatures),
        ParameterSpec(
            name: "sublinear_tf", kind: .bool, defaultValue: .bool(true), help: "term frequency 1 + ln(count) instead of count",
            appliesWhen: .init(parameter: "features", values: ItemFeatureKind.combinations.filter { $0.contains("tfidf") })),
        ParameterSpec(
            name: "stem", kind: .bool, defaultValue: .bool(true), help: "Snowball-stem the words", appliesWhen: wordFeatures),
        ParameterSpec(
            name: "half_life_days", kind: .double(0...36_500), defaultValue: .double(0),
            help: "older interactions weigh half as much per half-life before the user's latest; 0: no decay"),
        ParameterSpec(
            name: "weighting", kind: .choice(Weighting.allCases.map(\.rawValue)), defaultValue: .string("uniform"),
            help: "uniform (every interaction counts 1) or centered (rating minus the user's mean, explicit data)"),
        ParameterSpec(
            name: "features", kind: .choice(ItemFeatureKind.combinations), defaultValue: .string("tfidf"),
            help:
                "item representations, several joined by +: tfidf (words), minilm (sentence encoder), lda (topics), "
                + "entities (MIND knowledge-graph vectors); the score is the mean of their cosines"),
        ParameterSpec(
            name: "lda_topics", kind: .int(2...1000), defaultValue: .int(20), help: "topics of the LDA model",
            appliesWhen: .init(parameter: "features", values: ItemFeatureKind.combinations.filter { $0.contains("lda") })),
        ParameterSpec(
            name: "lda_passes", kind: .int(1...1000), defaultValue: .int(10), help: "passes of online LDA over the texts",
            appliesWhen: .init(parameter: "features", values: ItemFeatureKind.combinations.filter { $0.contains("lda") })),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                minimumDocumentFrequency: parameters.int("min_df"),
                maximumDocumentFraction: parameters.double("max_df"), maximumTerms: parameters.int("max_terms"),
                sublinearTF: parameters.bool("sublinear_tf"), stems: parameters.bool("stem"),
                halfLifeDays: parameters.double("half_life_days"),
                weighting: Weighting(rawValue: parameters.string("weighting")) ?? .uniform,
                features: ItemFeatureKind.parse(parameters.string("features")) ?? [.tfidf],
                ldaTopics: parameters.int("lda_topics"),
                ldaPasses: parameters.int("lda_passes")),
            seed: seed)
    }
}
