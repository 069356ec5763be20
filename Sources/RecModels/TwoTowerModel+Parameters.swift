public import ParameterSpecs

extension TwoTowerModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init()``'s.
    public static let parameterSpecs: [ParameterSpec] = {
        let d = Hyperparameters()
        return [
            ParameterSpec(name: "dimension", kind: .int(2...1024), defaultValue: .int(d.dimension), help: "width of the user and item vectors"),
            ParameterSpec(name: "hidden", kind: .int(2...4096), defaultValue: .int(d.hidden), help: "width of the towers' hidden layers"),
            ParameterSpec(name: "epochs", kind: .int(1...1000), defaultValue: .int(d.epochs), help: "passes over the training rows (at most, with validation)"),
            ParameterSpec(name: "batch_size", kind: .int(2...65_536), defaultValue: .int(d.batchSize), help: "training rows per step (the in-batch negatives)"),
            ParameterSpec(name: "lr", kind: .double(1e-6...1), defaultValue: .double(decimal(d.learningRate)), help: "peak AdamW learning rate"),
            ParameterSpec(name: "weight_decay", kind: .double(0...1), defaultValue: .double(decimal(d.weightDecay)), help: "AdamW decoupled weight decay"),
            ParameterSpec(name: "temperature", kind: .double(0.001...10), defaultValue: .double(decimal(d.temperature)), help: "softmax temperature τ over cosine scores"),
            ParameterSpec(
                name: "text", kind: .choice(TwoTowerData.TextSource.allCases.map(\.rawValue)), defaultValue: .string(d.text),
                help: "item text vectors: minilm (the sentence encoder), lda (topics of all domains' texts), tfidf (words) or none"),
            ParameterSpec(
                name: "lda_topics", kind: .int(2...1000), defaultValue: .int(d.ldaTopics), help: "topics with text lda",
                appliesWhen: .init(parameter: "text", values: ["lda"])),
            ParameterSpec(
                name: "text_terms", kind: .int(16...65_536), defaultValue: .int(d.textTerms),
                help: "most frequent words kept with text tfidf (each adds a column to the text projection)",
                appliesWhen: .init(parameter: "text", values: ["tfidf"])),
            ParameterSpec(name: "id_dropout", kind: .double(0...1), defaultValue: .double(decimal(d.idDropout)), help: "chance a training item's id vector is withheld, so content learns to place items alone"),
            ParameterSpec(
                name: "cold_dropout", kind: .double(0...1), defaultValue: .double(decimal(d.coldDropout)),
                help: "chance an evaluated-domain training row pools only the user's other-domain rows, as a cold user's vector is pooled (DropoutNet style); 0: never"),
            ParameterSpec(name: "dropout", kind: .double(0...0.9), defaultValue: .double(decimal(d.dropout)), help: "dropout in the towers' hidden layers"),
            ParameterSpec(
                name: "pooling", kind: .choice(Pooling.allCases.map(\.rawValue)), defaultValue: .string(d.pooling.rawValue),
                help: "how the user tower pools the user's items: mean, attention (a learned query) or domains (a profile per domain, shrunk toward a learned prior, mapped and summed)"),
            ParameterSpec(
                name: "pool", kind: .choice(PoolRows.allCases.map(\.rawValue)), defaultValue: .string(d.pool.rawValue),
                help: "rows the user tower pools: positives (weighted as positives; with centered, ratings above the user's mean), rated (every rated or clicked item, weight 1; the loss's positives unchanged) or split (the positives, and each domain's other rows as a pooling domain of their own; needs pooling domains)"),
            ParameterSpec(name: "half_life_days", kind: .double(0...36_500), defaultValue: .double(d.halfLifeDays), help: "older rows weigh half per half-life before the user's latest; 0: no decay"),
            ParameterSpec(
                name: "weighting", kind: .choice(Weighting.allCases.map(\.rawValue)), defaultValue: .string(d.weighting.rawValue),
                help: "explicit ratings: uniform (every rated item a positive) or centered (only ratings above the user's mean, weighted by the excess)"),
            ParameterSpec(name: "user_embedding", kind: .bool, defaultValue: .bool(d.userEmbedding), help: "add a learned vector per user to the pooled profile"),
            ParameterSpec(
                name: "other_weight",
                kind: .doubleOrWord(0...1000, word: "auto", meaning: "chosen among 0, 0.1, 0.3, 1 on a holdout of the training rows"),
                defaultValue: .double(decimal(d.otherWeight)),
                help: "weight of the other domains' loss; 0 leaves them out (a single-domain model); auto chooses it on validation (one member), 0 unless a larger weight is better by more than one standard error"),
            ParameterSpec(name: "rating_weight", kind: .double(0...1000), defaultValue: .double(decimal(d.ratingWeight)), help: "weight of the rating head's squared error (explicit data); 0: no rating head"),
            ParameterSpec(
                name: "like_weight", kind: .double(0...1000), defaultValue: .double(decimal(d.likeWeight)),
                help: "weight of the like head's cross-entropy, P(rating ≥ 4 | rated) from every rated row (explicit data); its log joins the evaluated domain's ranking score; 0: no like head"),
            ParameterSpec(name: "click_weight", kind: .double(0...1000), defaultValue: .double(decimal(d.clickWeight)), help: "weight of the impression click loss (MIND splits); 0: none"),
            ParameterSpec(
                name: "batches", kind: .choice(Batches.allCases.map(\.rawValue)), defaultValue: .string(d.batches.rawValue),
                help: "per-domain (each batch one domain's rows) or mixed (domains compete as negatives)"),
            ParameterSpec(
                name: "negatives", kind: .choice(Negatives.allCases.map(\.rawValue)), defaultValue: .string(d.negatives.rawValue),
                help: "in-batch (the batch's other items, log-Q corrected) or all (the exact softmax over the domain's items)"),
            ParameterSpec(name: "validation", kind: .double(0...0.9), defaultValue: .double(d.validation), help: "share of each user's rows held out to pick the best epoch; 0: all epochs, no holdout"),
            ParameterSpec(
                name: "validation_split", kind: .choice(ValidationSplit.allCases.map(\.rawValue)),
                defaultValue: .string(d.validationSplit.rawValue),
                help: "what that holdout is: rows (a share of each user's evaluated-domain rows) or cold-users (all evaluated-domain rows of that share of the users other domains know, so early stopping ranks simulated cold users; rows when no user has other-domain rows)"),
            ParameterSpec(name: "patience", kind: .int(1...1000), defaultValue: .int(d.patience), help: "epochs without validation gain before stopping"),
            ParameterSpec(name: "max_history", kind: .int(1...100_000), defaultValue: .int(d.maxHistory), help: "latest rows pooled per user"),
            ParameterSpec(
                name: "wide", kind: .double(0...100), defaultValue: .double(decimal(d.wide)),
                help: "start of the learned weight of a fixed content channel beside the towers: the score adds it times the cosine of the item's text vector with the user's signed text profile; 0: none"),
            ParameterSpec(
                name: "ensemble", kind: .int(1...64), defaultValue: .int(d.ensemble),
                help: "towers trained with different seeds (and validation holdouts) whose scores are averaged; costs N times the time and memory of one"),
            ParameterSpec(
                name: "cold_prior", kind: .choice(UnifiedModel.ColdPrior.allCases.map(\.rawValue)), defaultValue: .string(d.coldPrior.rawValue),
                help: "users only other domains know: none (their vector) or popularity (blended with it, the weight learned by one member on simulated cold users: one more fit)"),
            ParameterSpec(
                name: "threads", kind: .int(0...256), defaultValue: .int(d.threads),
                help: "ensemble members fitted at once, each on one thread; 0: the active processor count, at most 8 (results do not depend on it)"),
        ]
    }()

    /// A Float default as the decimal it was written as (`0.1`, not its binary value
    /// `0.10000000149011612`), so that listings and leaderboards print what the code says; the
    /// Float read back from either is the same.
    static func decimal(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

    public init(parameters p: ModelParameters, seed: UInt64) {
        var h = Hyperparameters()
        h.dimension = p.int("dimension")
        h.hidden = p.int("hidden")
        h.epochs = p.int("epochs")
        h.batchSize = p.int("batch_size")
        h.learningRate = p.float("lr")
        h.weightDecay = p.float("weight_decay")
        h.temperature = p.float("temperature")
        h.text = p.string("text")
        h.ldaTopics = p.int("lda_topics")
        h.textTerms = p.int("text_terms")
        h.idDropout = p.float("id_dropout")
        h.dropout = p.float("dropout")
        h.coldDropout = p.float("cold_dropout")
        h.pooling = Pooling(rawValue: p.string("pooling")) ?? .mean
        h.pool = PoolRows(rawValue: p.string("pool")) ?? .positives
        h.weighting = Weighting(rawValue: p.string("weighting")) ?? .uniform
        h.halfLifeDays = p.double("half_life_days")
        h.userEmbedding = p.bool("user_embedding")
        h.otherWeight = p.numberOrWord("other_weight").map(Float.init) ?? 0
        h.choosesOtherWeight = p.numberOrWord("other_weight") == nil
        h.ratingWeight = p.float("rating_weight")
        h.clickWeight = p.float("click_weight")
        h.likeWeight = p.float("like_weight")
        h.batches = Batches(rawValue: p.string("batches")) ?? .perDomain
        h.negatives = Negatives(rawValue: p.string("negatives")) ?? .inBatch
        h.validation = p.double("validation")
        h.validationSplit = ValidationSplit(rawValue: p.string("validation_split")) ?? .rows
        h.patience = p.int("patience")
        h.maxHistory = p.int("max_history")
        h.wide = p.float("wide")
        h.ensemble = p.int("ensemble")
        h.coldPrior = UnifiedModel.ColdPrior(rawValue: p.string("cold_prior")) ?? .none
        h.threads = p.int("threads")
        self.init(hyperparameters: h, seed: seed)
    }
}
