import ParameterSpecs
import RecModels
import Sweep
import Testing

@Suite struct ModelRegistryTests {
    @Test func catalogListsEveryModelWithItsSpecsAndMetrics() {
        let catalog = ModelRegistry.catalog
        #expect(
            catalog.names == [
                "popularity", "baseline", "mf", "als", "bpr", "itemknn", "ease", "content", "hybrid", "unified", "twotower",
                "emcdr",
            ])
        let families = [
            "content": "content", "hybrid": "hybrid", "unified": "unified", "twotower": "unified", "emcdr": "unified",
        ]
        #expect(catalog.models.allSatisfy { $0.family == families[$0.name, default: "cf"] })
        #expect(catalog.model(named: "mf")?.metrics == ["rmse", "mae"])
        #expect(
            catalog.model(named: "als")?.metrics == [
                "ndcg@10", "precision@10", "recall@10", "mind_auc", "mind_mrr", "mind_ndcg@5", "mind_ndcg@10",
            ])
        #expect(
            catalog.model(named: "mf")?.parameters.map(\.name) == [
                "factors", "epochs", "lr", "reg", "init_std", "lr_bias", "reg_bias", "lr_decay", "order",
            ])
        #expect(catalog.model(named: "popularity")?.parameters.isEmpty == true)
        for entry in ModelRegistry.entries {
            #expect((try? entry.make())?.name == entry.name)
        }
    }

    @Test(arguments: ModelRegistry.names)
    func everyDefaultPassesItsOwnSpec(name: String) throws {
        let entry = try #require(ModelRegistry.entry(named: name))
        for spec in entry.parameters {
            #expect((try? spec.validate(spec.defaultValue).get()) == spec.defaultValue, "\(name).\(spec.name)")
            #expect(!spec.help.isEmpty)
        }
    }

    /// A default prints as the decimal the code wrote, not as a Float's binary value widened to
    /// Double (`dropout=0.10000000149011612` in every leaderboard row).
    @Test(arguments: ModelRegistry.names)
    func doubleDefaultsPrintAsWritten(name: String) throws {
        let entry = try #require(ModelRegistry.entry(named: name))
        for spec in entry.parameters {
            guard case .double(let value) = spec.defaultValue else { continue }
            #expect("\(value)".count <= 10, "\(name).\(spec.name) default prints as \(value)")
        }
    }

    @Test func specDefaultsAreTheTypedDefaults() throws {
        #expect(try ModelRegistry.make("mf").unwrap(as: BiasedMF.self)?.hyperparameters == BiasedMF.Hyperparameters())
        #expect(
            try ModelRegistry.make("baseline").unwrap(as: BaselineModel.self)?.hyperparameters
                == BaselineModel.Hyperparameters())
        #expect(try ModelRegistry.make("als").unwrap(as: ALSModel.self)?.hyperparameters == ALSModel.Hyperparameters())
        #expect(try ModelRegistry.make("bpr").unwrap(as: BPRModel.self)?.hyperparameters == BPRModel.Hyperparameters())
        #expect(
            try ModelRegistry.make("itemknn").unwrap(as: ItemKNNModel.self)?.hyperparameters
                == ItemKNNModel.Hyperparameters())
        #expect(
            try ModelRegistry.make("ease").unwrap(as: EASEModel.self)?.hyperparameters == EASEModel.Hyperparameters())
        #expect(
            try ModelRegistry.make("content").unwrap(as: ContentModel.self)?.hyperparameters
                == ContentModel.Hyperparameters())
        #expect(
            try ModelRegistry.make("twotower").unwrap(as: TwoTowerModel.self)?.hyperparameters
                == TwoTowerModel.Hyperparameters())
    }

    @Test func valuesReachTheTypedHyperparameters() throws {
        let model = try ModelRegistry.make(
            "mf", parameters: ["factors": .int(32), "lr": .int(1), "reg": .double(0.05), "lr_bias": .double(0.01)],
            seed: 77)
        let mf = try #require(model.unwrap(as: BiasedMF.self))
        #expect(mf.hyperparameters.factors == 32)
        #expect(mf.hyperparameters.learningRate == 1, "an int is accepted where a number is expected")
        #expect(mf.hyperparameters.regularization == 0.05)
        #expect(mf.hyperparameters.biasLearningRate == 0.01 && mf.hyperparameters.biasRegularization == nil)
        #expect(mf.seed == 77)
        let als = try #require(
            try ModelRegistry.make("als", parameters: ["solver": .string("cholesky")]).unwrap(as: ALSModel.self))
        #expect(als.hyperparameters.solver == .cholesky)
        #expect(als.hyperparameters.initialization == .normal)
        let uniform = try #require(
            try ModelRegistry.make("als", parameters: ["init": .string("uniform")]).unwrap(as: ALSModel.self))
        #expect(uniform.hyperparameters.initialization == .uniform)
    }

    @Test func biasRatesAndRegularizationDefaultToTheFactorsOnesByName() throws {
        let defaults = try #require(try ModelRegistry.make("mf").unwrap(as: BiasedMF.self))
        #expect(defaults.hyperparameters.biasLearningRate == nil && defaults.hyperparameters.biasRegularization == nil)
        let spec = try #require(BiasedMF.parameterSpecs.first { $0.name == "lr_bias" })
        #expect(spec.defaultValue == .string("lr"))
        #expect((try? spec.validate(.string("lr")).get()) == .string("lr"))
        #expect((try? spec.validate(.int(1)).get()) == .double(1), "an int is a number")
        #expect(throws: ParameterError.self) { try spec.validate(.double(-1)).get() }
        let named = try #require(throws: ModelError.self) {
            try ModelRegistry.make("mf", parameters: ["reg_bias": .string("lr")])
        }
        #expect(named.description == "mf: 'reg_bias' must be a number in 0.0…10.0 or 'reg' (the same as reg), got string 'lr'")
        // 'lr' means exactly the factors' rate: the same fit as writing the number out.
        let data = Fixtures.tinyBlocks(explicit: true)
        var same = try ModelRegistry.make("mf", parameters: ["lr": .double(0.02), "lr_bias": .string("lr"), "epochs": .int(5)], seed: 3)
        var written = try ModelRegistry.make("mf", parameters: ["lr": .double(0.02), "lr_bias": .double(0.02), "epochs": .int(5)], seed: 3)
        var other = try ModelRegistry.make("mf", parameters: ["lr": .double(0.02), "lr_bias": .double(0.001), "epochs": .int(5)], seed: 3)
        try same.fit(data)
        try written.fit(data)
        try other.fit(data)
        let predictions = { (model: AnyRecommender) in (Int32(0)..<3).map { model.predictRating(user: $0, item: $0) } }
        #expect(predictions(same) == predictions(written))
        #expect(predictions(same) != predictions(other))
    }

    @Test func unknownParameterListsTheAcceptedOnes() throws {
        let error = try #require(throws: ModelError.self) {
            try ModelRegistry.make("als", parameters: ["factor": .int(8)])
        }
        #expect(error.model == "als")
        #expect(
            error.message
                == "unknown parameter 'factor'; accepted: factors, iterations, reg, alpha, init_std, init, solver, cg_steps"
        )
        let none = try #require(throws: ModelError.self) {
            try ModelRegistry.make("popularity", parameters: ["k": .int(1)])
        }
        #expect(none.message.contains("no hyperparameters"), "\(none)")
    }

    @Test func badValuesSayWhatIsExpected() throws {
        let range = try #require(throws: ModelError.self) {
            try ModelRegistry.make("mf", parameters: ["factors": .int(0)])
        }
        #expect(range.description == "mf: 'factors' must be an integer in 1…1024, got 0")
        let type = try #require(throws: ModelError.self) {
            try ModelRegistry.make("mf", parameters: ["epochs": .double(2.5)])
        }
        #expect(type.description == "mf: 'epochs' must be an integer in 0…1000, got double '2.5'")
        let choice = try #require(throws: ModelError.self) {
            try ModelRegistry.make("als", parameters: ["solver": .string("lu")])
        }
        #expect(choice.description == "als: 'solver' must be one of cg, cholesky, got 'lu'")
        let number = try #require(throws: ModelError.self) {
            try ModelRegistry.make("ease", parameters: ["lambda": .string("big")])
        }
        #expect(number.message.contains("must be a number in"), "\(number)")
    }

    @Test func unknownModelListsTheAvailableOnes() throws {
        let error = try #require(throws: ModelError.self) { try ModelRegistry.make("svd") }
        #expect(error.description == "svd: unknown model; available: popularity, baseline, mf, als, bpr, itemknn, ease, content, hybrid, unified, twotower, emcdr")
    }

    @Test func fitRejectsHyperparametersTheSpecsCannotExpress() throws {
        var model = BiasedMF(hyperparameters: .init(factors: 0))
        let error = try #require(throws: ModelError.self) { try model.fit(Fixtures.tinyBlocks(explicit: true)) }
        #expect(error.message.contains("factors"), "\(error)")
    }
}
