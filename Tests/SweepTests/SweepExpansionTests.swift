import Sweep
import Testing

@Suite("Search-space expansion and trial identity")
struct SweepExpansionTests {
    static let grid = """
        name: grid
        dataset:
          synthetic: {users: 300}
        metric: {primary: ndcg@10, direction: maximize}
        models:
          mf:
            lr: [0.01, 0.1]
            factors: [8, 16]
          ease:
            lambda: [100, 500]
        seeds: [1, 2]
        """

    @Test func countsAndOrder() throws {
        let expansion = try TestCatalog.parse(Self.grid).expand()
        #expect(expansion.trials.count == (2 * 2 + 2) * 2)
        #expect(expansion.duplicatesRemoved == 0)
        #expect(expansion.countsByModel == ["mf": 8, "ease": 4])
        // Models in file order; parameters by name (factors before lr, the first varying slowest);
        // values in file order; seeds innermost.
        #expect(
            expansion.trials.map { "\($0.config.label) seed \($0.config.seed)" } == [
                "mf(epochs=20, factors=8, init_std=0.1, lr=0.01, reg=0.02) seed 1",
                "mf(epochs=20, factors=8, init_std=0.1, lr=0.01, reg=0.02) seed 2",
                "mf(epochs=20, factors=8, init_std=0.1, lr=0.1, reg=0.02) seed 1",
                "mf(epochs=20, factors=8, init_std=0.1, lr=0.1, reg=0.02) seed 2",
                "mf(epochs=20, factors=16, init_std=0.1, lr=0.01, reg=0.02) seed 1",
                "mf(epochs=20, factors=16, init_std=0.1, lr=0.01, reg=0.02) seed 2",
                "mf(epochs=20, factors=16, init_std=0.1, lr=0.1, reg=0.02) seed 1",
                "mf(epochs=20, factors=16, init_std=0.1, lr=0.1, reg=0.02) seed 2",
                "ease(lambda=100.0) seed 1",
                "ease(lambda=100.0) seed 2",
                "ease(lambda=500.0) seed 1",
                "ease(lambda=500.0) seed 2",
            ])
    }

    /// Pinned against Python's hashlib over the documented canonical form, so an id never changes
    /// silently (stores written by earlier builds must still match):
    /// `sha256("crossrec-trial-v1\nmodel=mf\nfactors=int:64\nlr=double:3f847ae147ae147b\nseed=1\ndata=abc\n")[:32]`.
    @Test func trialIDIsPinnedToItsCanonicalForm() {
        let config = TrialConfig(model: "mf", parameters: ["lr": .double(0.01), "factors": .int(64)], seed: 1)
        #expect(TrialID(config: config, datasetFingerprint: "abc").rawValue == "3b4887ce15a040450685266c433d3c1d")
    }

    @Test func idsAreTrialIDsOfConfigAndFingerprint() throws {
        let spec = try TestCatalog.parse(Self.grid)
        for trial in spec.expand().trials {
            #expect(trial.id == TrialID(config: trial.config, datasetFingerprint: spec.datasetFingerprint))
        }
    }

    @Test func sameFileSameIDs() throws {
        let first = try TestCatalog.parse(Self.grid).expand().ids
        let second = try TestCatalog.parse(Self.grid).expand().ids
        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    @Test func addingAGridValueAddsOnlyItsTrials() throws {
        let before = try TestCatalog.parse(Self.grid).expand()
        let after = try TestCatalog.parse(Self.grid.replacing("factors: [8, 16]", with: "factors: [8, 16, 32]"))
            .expand()
        let added = Set(after.ids).subtracting(before.ids)
        let withNewValue = Set(after.trials.filter { $0.config.parameters["factors"] == .int(32) }.map(\.id))
        #expect(Set(before.ids).isSubset(of: Set(after.ids)))
        #expect(added == withNewValue)
        #expect(added.count == 2 * 2)
    }

    @Test func changingAGridValueSwapsOnlyItsTrials() throws {
        let before = try TestCatalog.parse(Self.grid).expand()
        let after = try TestCatalog.parse(Self.grid.replacing("factors: [8, 16]", with: "factors: [8, 32]")).expand()
        let value = { (trials: [SweepTrial], factors: Int) in
            Set(trials.filter { $0.config.parameters["factors"] == .int(factors) }.map(\.id))
        }
        #expect(Set(after.ids).subtracting(before.ids) == value(after.trials, 32))
        #expect(Set(before.ids).subtracting(after.ids) == value(before.trials, 16))
        #expect(value(before.trials, 8) == value(after.trials, 8))
    }

    @Test func reorderingKeysKeepsIDs() throws {
        let reordered = """
            seeds: [1, 2]
            models:
              ease:
                lambda: [100, 500]
              mf:
                factors: [8, 16]
                lr: [0.01, 0.1]
            metric: {direction: maximize, primary: ndcg@10}
            dataset:
              synthetic:
                users: 300
            name: grid
            """
        let original = try TestCatalog.parse(Self.grid).expand()
        let moved = try TestCatalog.parse(reordered).expand()
        #expect(Set(original.ids) == Set(moved.ids))
        #expect(original.ids.count == moved.ids.count)
        // Models follow the file, so only their blocks swap places.
        #expect(moved.trials.first?.config.model == "ease")
    }

    @Test func explicitDefaultGivesTheSameTrialAsOmittingIt() throws {
        let implicit = try TestCatalog.parse(TestCatalog.sweep(models: "  mf: {factors: 8}")).expand()
        let explicit = try TestCatalog.parse(TestCatalog.sweep(models: "  mf: {factors: 8, epochs: 20, lr: 0.01}"))
            .expand()
        #expect(implicit.ids == explicit.ids)
        #expect(implicit.trials[0].config.parameters.count == 5)
    }

    @Test func duplicatesAreListedOnceAndCounted() throws {
        // 1 and 1.0 are the same double; 8 appears twice.
        let expansion = try TestCatalog.parse(
            TestCatalog.sweep(models: "  mf:\n    factors: [8, 16, 8]\n    lr: [1, 1.0]", extra: "seeds: [1, 2]")
        ).expand()
        #expect(expansion.trials.count == 2 * 2)
        #expect(expansion.duplicatesRemoved == (3 * 2 - 2) * 2)
        #expect(Set(expansion.ids).count == expansion.trials.count)
        #expect(expansion.trials.map { $0.config.parameters["factors"] } == [.int(8), .int(8), .int(16), .int(16)])
    }

    @Test func differentDataDifferentIDs() throws {
        let a = try TestCatalog.parse(Self.grid).expand()
        let b = try TestCatalog.parse(Self.grid.replacing("{users: 300}", with: "{users: 301}")).expand()
        #expect(Set(a.ids).isDisjoint(with: b.ids))
    }

    static let random = """
        name: random
        dataset:
          synthetic: {users: 300}
        metric: {primary: ndcg@10, direction: maximize}
        models:
          bpr:
            factors: {uniform: [8, 64]}
            epochs: {loguniform: [5, 50]}
            lr: {loguniform: [0.001, 0.1]}
            reg: {uniform: [0.0, 0.01]}
            samples: 50
            seed: 3
          mf:
            factors: [8, 16]
            init_std: {choice: [0.05, 0.1, 0.2]}
            samples: 4
        seeds: [1, 2]
        """

    @Test func randomSpacesAreSeededAndInBounds() throws {
        let spec = try TestCatalog.parse(Self.random)
        let expansion = spec.expand()
        #expect(expansion.ids == (try TestCatalog.parse(Self.random)).expand().ids)
        let bpr = expansion.trials.filter { $0.config.model == "bpr" }.map(\.config.parameters)
        // Continuous draws do not coincide: 50 draws × 2 seeds.
        #expect(bpr.count == 50 * 2)
        for parameters in bpr {
            guard case .int(let factors)? = parameters["factors"], case .int(let epochs)? = parameters["epochs"],
                case .double(let lr)? = parameters["lr"], case .double(let reg)? = parameters["reg"]
            else {
                Issue.record("unexpected types in \(parameters)")
                continue
            }
            #expect((8...64).contains(factors))
            #expect((5...50).contains(epochs))
            #expect(lr >= 0.001 && lr <= 0.1)
            #expect(reg >= 0 && reg <= 0.01)
            // Drawn doubles are rounded to 6 significant digits.
            #expect("\(lr)".filter(\.isNumber).drop { $0 == "0" }.count <= 6)
        }
        // mf: 4 draws from 3 choices must repeat one; each distinct draw × 2 grid values × 2 seeds.
        let mf = expansion.trials.filter { $0.config.model == "mf" }
        let drawn = Set(mf.compactMap { $0.config.parameters["init_std"] })
        #expect(drawn.isSubset(of: [.double(0.05), .double(0.1), .double(0.2)]))
        #expect(mf.count == drawn.count * 2 * 2)
        #expect(expansion.trials.count + expansion.duplicatesRemoved == 50 * 2 + 4 * 2 * 2)
    }

    @Test func samplingSeedChangesTheDraws() throws {
        let a = try TestCatalog.parse(Self.random).expand()
        let b = try TestCatalog.parse(Self.random.replacing("seed: 3", with: "seed: 4")).expand()
        let bprIDs = { (e: SweepExpansion) in Set(e.trials.filter { $0.config.model == "bpr" }.map(\.id)) }
        #expect(bprIDs(a).isDisjoint(with: bprIDs(b)))
    }

    @Test func editingTheGridKeepsTheDraws() throws {
        let a = try TestCatalog.parse(Self.random).expand()
        let b = try TestCatalog.parse(Self.random.replacing("factors: [8, 16]", with: "factors: [8, 16, 32]")).expand()
        let mf = { (e: SweepExpansion) in Set(e.trials.filter { $0.config.model == "mf" }.map(\.id)) }
        #expect(mf(a).isSubset(of: mf(b)))
    }

    @Test func loguniformSamplesInLogSpace() throws {
        let spec = try TestCatalog.parse(
            TestCatalog.sweep(models: "  mf:\n    lr: {loguniform: [0.0001, 1]}\n    samples: 2000\n    seed: 11"))
        let rates = spec.expand().trials.compactMap { $0.config.parameters["lr"]?.doubleValue }
        #expect(rates.count > 1900)
        // Log-uniform on [1e-4, 1]: each decade holds a quarter of the draws (uniform would put 90% in the last).
        let belowHundredth = Double(rates.filter { $0 < 0.01 }.count) / Double(rates.count)
        #expect(belowHundredth > 0.45 && belowHundredth < 0.55)
        let uniform = try TestCatalog.parse(
            TestCatalog.sweep(models: "  mf:\n    lr: {uniform: [0.0001, 1]}\n    samples: 2000\n    seed: 11"))
        let uniformRates = uniform.expand().trials.compactMap { $0.config.parameters["lr"]?.doubleValue }
        #expect(Double(uniformRates.filter { $0 < 0.01 }.count) / Double(uniformRates.count) < 0.03)
    }

    @Test func configurationCountBeforeSeeds() throws {
        let spec = try TestCatalog.parse(Self.random)
        #expect(spec.models.map(\.configurationCount) == [50, 8])
    }

    @Test func oversizedSweepIsRejected() {
        let message = TestCatalog.error(
            TestCatalog.sweep(
                models:
                    "  mf:\n    lr: {uniform: [0.001, 0.1]}\n    samples: 100000\n    factors: {range: {from: 1, to: 1000}}"
            ))
        #expect(
            message
                == "sweeps/x.yaml:5: the sweep expands to more than 1000000 trials; narrow the grids or lower 'samples'"
        )
    }

    /// A conditional parameter (`als.factors` applies only when `cf` is `als`) is left out of the
    /// configurations that do not meet its condition, so its grid does not repeat the `ease` trials,
    /// and an `als` trial's id is the same whether the grid over `cf` was written or not.
    @Test func inactiveConditionalParametersAreLeftOut() throws {
        let both = try TestCatalog.parse(
            TestCatalog.sweep(models: "  hybrid: {cf: [ease, als], als.factors: [16, 32], ease.lambda: [100, 500]}"))
            .expand()
        #expect(
            both.trials.map(\.config.label) == [
                "hybrid(cf=ease, combination=stack, content.min_df=2, ease.lambda=100.0, holdout=0.2)",
                "hybrid(cf=ease, combination=stack, content.min_df=2, ease.lambda=500.0, holdout=0.2)",
                "hybrid(als.factors=16, cf=als, combination=stack, content.min_df=2, holdout=0.2)",
                "hybrid(als.factors=32, cf=als, combination=stack, content.min_df=2, holdout=0.2)",
            ])
        #expect(both.duplicatesRemoved == 4)
        let alsOnly = try TestCatalog.parse(TestCatalog.sweep(models: "  hybrid: {cf: als, als.factors: [16, 32]}"))
            .expand()
        #expect(alsOnly.ids == Array(both.ids.suffix(2)))
        // The defaults (cf ease, combination stack) keep their own parameters and drop the others.
        let defaults = try TestCatalog.parse(TestCatalog.sweep(models: "  hybrid: {}")).expand()
        #expect(
            defaults.trials.map(\.config.label) == [
                "hybrid(cf=ease, combination=stack, content.min_df=2, ease.lambda=500.0, holdout=0.2)"
            ])
    }

    @Test func randomChoiceOfTheControllingParameterKeepsConditionsPerDraw() throws {
        let expansion = try TestCatalog.parse(
            TestCatalog.sweep(models: "  hybrid: {cf: {choice: [ease, als]}, als.factors: [8], samples: 6, seed: 3}"))
            .expand()
        for trial in expansion.trials {
            let cf = trial.config.parameters["cf"]?.stringValue
            #expect((trial.config.parameters["als.factors"] != nil) == (cf == "als"))
            #expect((trial.config.parameters["ease.lambda"] != nil) == (cf == "ease"))
        }
        #expect(Set(expansion.trials.compactMap { $0.config.parameters["cf"]?.stringValue }) == ["ease", "als"])
    }
}
