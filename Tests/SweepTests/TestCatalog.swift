import ParameterSpecs
import Sweep

/// The models and hyperparameters issue #4 names, as a catalog literal: what the runtime's model
/// registry is expected to provide. Builtins (`noop`, `sleep`) declare no metrics (they report
/// whatever is asked); rating models report rating and ranking metrics, the rest ranking metrics.
enum TestCatalog {
    static let ranking = [
        "ndcg@K", "recall@K", "precision@K", "hit@K", "mrr", "map@K", "coverage@K", "mind_auc", "mind_mrr", "mind_ndcg@5",
        "mind_ndcg@10",
    ]
    static let rating = ["rmse", "mae"] + ranking

    static func int(_ name: String, _ range: ClosedRange<Int>, _ value: Int) -> ParameterSpec {
        ParameterSpec(name: name, kind: .int(range), defaultValue: .int(value), help: name)
    }

    static func double(_ name: String, _ range: ClosedRange<Double>, _ value: Double) -> ParameterSpec {
        ParameterSpec(name: name, kind: .double(range), defaultValue: .double(value), help: name)
    }

    static func bool(_ name: String, _ value: Bool) -> ParameterSpec {
        ParameterSpec(name: name, kind: .bool, defaultValue: .bool(value), help: name)
    }

    static func conditional(_ spec: ParameterSpec, on parameter: String, _ value: String) -> ParameterSpec {
        var spec = spec
        spec.appliesWhen = .init(parameter: parameter, values: [value])
        return spec
    }

    /// The content model's feature sets: every non-empty subset of the four kinds, joined by + in this order.
    static let featureCombinations: [String] = {
        let kinds = ["tfidf", "minilm", "lda", "entities"]
        return (1..<16).map { mask in kinds.indices.filter { mask & (1 << $0) != 0 }.map { kinds[$0] }.joined(separator: "+") }
    }()

    /// `spec`, applying when `features` includes `kind`.
    static func having(_ kind: String, _ spec: ParameterSpec) -> ParameterSpec {
        var spec = spec
        spec.appliesWhen = .init(
            parameter: "features", values: featureCombinations.filter { $0.split(separator: "+").contains(Substring(kind)) })
        return spec
    }

    /// `spec`, applying to the features built from words (tfidf, lda).
    static func words(_ spec: ParameterSpec) -> ParameterSpec {
        var spec = spec
        spec.appliesWhen = .init(
            parameter: "features",
            values: featureCombinations.filter { $0.split(separator: "+").contains { $0 == "tfidf" || $0 == "lda" } })
        return spec
    }

    static let catalog = ModelCatalog(models: [
        .init(name: "noop", family: "builtin", parameters: [], metrics: []),
        .init(
            name: "sleep", family: "builtin",
            parameters: [double("seconds", 0...3600, 0), bool("fail", false), bool("hang", false)], metrics: []),
        .init(name: "popularity", family: "cf", parameters: [], metrics: ranking),
        .init(
            name: "baseline", family: "cf",
            parameters: [
                double("reg_user", 0...1000, 10), double("reg_item", 0...1000, 25), int("epochs", 1...1000, 10),
            ],
            metrics: rating),
        .init(
            name: "mf", family: "cf",
            parameters: [
                int("factors", 1...1024, 64), int("epochs", 1...1000, 20), double("lr", 0...1, 0.01),
                double("reg", 0...10, 0.02),
                double("init_std", 0...1, 0.1),
            ],
            metrics: rating),
        .init(
            name: "als", family: "cf",
            parameters: [
                int("factors", 1...1024, 64), int("iterations", 1...100, 15), double("reg", 0...1000, 0.1),
                double("alpha", 0...10000, 40),
            ],
            metrics: ranking),
        .init(
            name: "bpr", family: "cf",
            parameters: [
                int("factors", 1...1024, 64), int("epochs", 1...1000, 20), double("lr", 0...1, 0.05),
                double("reg", 0...10, 0.0001),
            ],
            metrics: ranking),
        .init(
            name: "itemknn", family: "cf",
            parameters: [int("neighbors", 0...100_000, 50), double("shrink", 0...10000, 100)],
            metrics: ranking),
        .init(name: "ease", family: "cf", parameters: [double("lambda", 0...1_000_000, 500)], metrics: ranking),
        .init(
            name: "content", family: "content",
            parameters: [
                words(int("min_df", 1...1_000_000, 2)), words(double("max_df", 0.000_001...1, 1)),
                words(int("max_terms", 0...10_000_000, 0)), having("tfidf", bool("sublinear_tf", true)),
                words(bool("stem", true)), double("half_life_days", 0...36_500, 0),
                ParameterSpec(
                    name: "weighting", kind: .choice(["uniform", "centered"]), defaultValue: .string("uniform"),
                    help: "weighting"),
                ParameterSpec(
                    name: "features", kind: .choice(featureCombinations), defaultValue: .string("tfidf"), help: "features"),
                having("lda", int("lda_topics", 2...1000, 20)), having("lda", int("lda_passes", 1...1000, 10)),
            ],
            metrics: ranking),
        .init(
            name: "hybrid", family: "hybrid",
            parameters: [
                ParameterSpec(
                    name: "cf", kind: .choice(["popularity", "als", "bpr", "itemknn", "ease"]),
                    defaultValue: .string("ease"), help: "cf"),
                ParameterSpec(
                    name: "combination", kind: .choice(["blend", "stack"]), defaultValue: .string("stack"),
                    help: "combination"),
                conditional(double("content_weight", 0...1, 0.5), on: "combination", "blend"),
                conditional(double("holdout", 0.01...0.9, 0.2), on: "combination", "stack"),
                conditional(double("ease.lambda", 0...1_000_000, 500), on: "cf", "ease"),
                conditional(int("itemknn.neighbors", 0...1_000_000, 0), on: "cf", "itemknn"),
                conditional(int("als.factors", 1...1024, 64), on: "cf", "als"),
                int("content.min_df", 1...1_000_000, 2),
            ],
            metrics: ranking + ["content_weight", "validation_ndcg@10"]),
        .init(
            name: "unified", family: "unified",
            parameters: [
                int("factors", 1...512, 32), int("iterations", 0...1000, 10), double("reg", 1e-6...10_000, 0.05),
                double("alpha", 0...10_000, 1), double("other_weight", 0...1000, 1), double("init_std", 0...1, 0.01),
                ParameterSpec(
                    name: "cold_prior", kind: .choice(["none", "popularity"]), defaultValue: .string("none"),
                    help: "cold_prior"),
                ParameterSpec(
                    name: "absent_users", kind: .choice(["negative", "unobserved"]), defaultValue: .string("negative"),
                    help: "absent_users"),
                int("specific_factors", 0...512, 0), double("cold_simulation", 0...0.99, 0),
            ],
            metrics: ranking + ["users_from_other_domains"]),
        .init(
            name: "twotower", family: "unified",
            parameters: [
                int("dimension", 2...1024, 64), double("dropout", 0...0.9, 0.1), double("temperature", 0.001...10, 0.05),
                ParameterSpec(
                    name: "text", kind: .choice(["minilm", "lda", "tfidf", "none"]), defaultValue: .string("lda"), help: "text"),
                conditional(int("lda_topics", 2...1000, 32), on: "text", "lda"), double("weight_decay", 0...1, 0.0001),
                ParameterSpec(
                    name: "weighting", kind: .choice(["uniform", "centered"]), defaultValue: .string("uniform"),
                    help: "weighting"),
                double("id_dropout", 0...1, 0.25), double("cold_dropout", 0...1, 0),
                double("lr", 1e-6...1, 0.002), int("epochs", 1...1000, 20), int("patience", 1...1000, 3),
                bool("user_embedding", false),
                ParameterSpec(
                    name: "negatives", kind: .choice(["in-batch", "all"]), defaultValue: .string("in-batch"),
                    help: "negatives"),
                ParameterSpec(
                    name: "pooling", kind: .choice(["mean", "attention", "domains"]), defaultValue: .string("mean"),
                    help: "pooling"),
                int("ensemble", 1...64, 1),
            ],
            metrics: ranking + ["users_from_other_domains", "validation_ndcg@10", "epochs_run"]),
        .init(
            name: "emcdr", family: "unified",
            parameters: [
                int("factors", 1...512, 32), int("iterations", 0...1000, 10), double("reg", 1e-6...10_000, 0.05),
                double("alpha", 0...10_000, 1), double("init_std", 0...1, 0.01),
                ParameterSpec(
                    name: "mapping", kind: .choice(["linear", "mlp"]), defaultValue: .string("linear"), help: "mapping"),
                double("mapping_reg", 0...10_000, 0.001), conditional(int("hidden", 1...4096, 64), on: "mapping", "mlp"),
                conditional(int("epochs", 0...10_000, 200), on: "mapping", "mlp"),
                conditional(double("lr", 1e-6...1, 0.003), on: "mapping", "mlp"),
                conditional(int("batch_size", 1...65_536, 64), on: "mapping", "mlp"),
            ],
            metrics: ranking + ["mapping_users", "mapping_train_r2", "users_from_other_domains"]),
    ])

    /// Parses `yaml` as `file` against ``catalog``.
    static func parse(_ yaml: String, file: String = "sweeps/x.yaml") throws -> SweepSpec {
        try SweepSpec(yaml: yaml, file: file, catalog: catalog)
    }

    /// The message of the error parsing `yaml` throws (`file:line: …`), or nil if it parses.
    static func error(_ yaml: String, file: String = "sweeps/x.yaml") -> String? {
        do {
            _ = try SweepSpec(yaml: yaml, file: file, catalog: catalog)
            return nil
        } catch {
            return error.description
        }
    }

    /// A minimal valid sweep with `models` spliced in (indented two spaces under `models:`).
    static func sweep(models: String, extra: String = "") -> String {
        """
        name: test
        dataset:
          synthetic: {users: 300}
        metric: {primary: ndcg@10, direction: maximize}
        models:
        \(models)
        \(extra)
        """
    }
}
