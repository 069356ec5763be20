import Sweep
import Testing

/// Every error names file, line and key, with the exact text a user sees.
@Suite("Sweep files: error messages")
struct SweepSpecErrorTests {
    /// Lines 1–5 of `TestCatalog.sweep`: name, dataset, synthetic, metric, models; models start on line 6.
    func error(models: String, extra: String = "") -> String? {
        TestCatalog.error(TestCatalog.sweep(models: models, extra: extra))
    }

    @Test func wrongTypeForAHyperparameter() {
        #expect(
            error(models: "  mf:\n    factors: \"abc\"")
                == "sweeps/x.yaml:7: 'factors' must be an integer in 1…1024, got string 'abc'")
        // A quoted number is text, not a number.
        #expect(
            error(models: "  mf:\n    factors: \"10\"")
                == "sweeps/x.yaml:7: 'factors' must be an integer in 1…1024, got string '10'")
        #expect(
            error(models: "  mf:\n    lr: [0.01, high]")
                == "sweeps/x.yaml:7: 'lr' must be a number in 0.0…1.0, got string 'high'")
        #expect(
            error(models: "  sleep:\n    fail: 1") == "sweeps/x.yaml:7: 'fail' must be true or false, got int '1'")
        #expect(
            error(models: "  mf:\n    factors: {range: {from: 1, to: 2}, choice: [1]}")
                == "sweeps/x.yaml:7: 'factors' must name exactly one space (range, uniform, loguniform, choice), got 'range' and 'choice'"
        )
    }

    @Test func outOfRangeValueInABlockListNamesItsOwnLine() {
        #expect(
            error(models: "  mf:\n    factors:\n      - 8\n      - -3")
                == "sweeps/x.yaml:9: 'factors' must be an integer in 1…1024, got -3")
    }

    @Test func unknownModelListsAcceptedOnes() {
        #expect(
            error(models: "  mf: {factors: 8}\n  mff: {factors: 8}")
                == "sweeps/x.yaml:7: unknown model 'mff'; did you mean 'mf'? known models: noop, sleep, popularity, baseline, mf, als, bpr, itemknn, ease, content, hybrid, unified, twotower, emcdr"
        )
        #expect(
            error(models: "  lightgcn: {}")
                == "sweeps/x.yaml:6: unknown model 'lightgcn'; known models: noop, sleep, popularity, baseline, mf, als, bpr, itemknn, ease, content, hybrid, unified, twotower, emcdr"
        )
    }

    @Test func unknownHyperparameterListsAcceptedOnes() {
        #expect(
            error(models: "  mf:\n    factors: 8\n    factor: 8")
                == "sweeps/x.yaml:8: unknown hyperparameter 'factor' for model 'mf'; did you mean 'factors'? accepted: factors, epochs, lr, reg, init_std"
        )
        #expect(
            error(models: "  noop:\n    depth: 3")
                == "sweeps/x.yaml:7: unknown hyperparameter 'depth' for model 'noop'; model 'noop' takes no hyperparameters"
        )
    }

    @Test func badMetricDirection() {
        let yaml = TestCatalog.sweep(models: "  noop:")
        #expect(
            TestCatalog.error(yaml.replacing("direction: maximize", with: "direction: down"))
                == "sweeps/x.yaml:4: 'direction' must be minimize or maximize, got string 'down'")
        #expect(
            TestCatalog.error(yaml.replacing("direction: maximize", with: "direction: minimise"))
                == "sweeps/x.yaml:4: 'direction' must be minimize or maximize, got string 'minimise'; did you mean 'minimize'?"
        )
    }

    @Test func missingRequiredKeys() {
        let full = TestCatalog.sweep(models: "  noop:")
        #expect(
            TestCatalog.error(full.replacing("metric: {primary: ndcg@10, direction: maximize}\n", with: ""))
                == "sweeps/x.yaml:1: missing required key 'metric': what to optimize, e.g. 'metric: {primary: rmse, direction: minimize}'"
        )
        #expect(
            TestCatalog.error(full.replacing("name: test\n", with: ""))
                == "sweeps/x.yaml:1: missing required key 'name': a name for the sweep, e.g. 'name: mf-ml100k'")
        #expect(
            TestCatalog.error(full.replacing(", direction: maximize", with: ""))
                == "sweeps/x.yaml:4: missing required key 'direction' in 'metric': minimize or maximize")
        #expect(
            TestCatalog.error(full.replacing("  synthetic: {users: 300}", with: "  domain: movies"))
                == "sweeps/x.yaml:2: 'dataset' needs 'synthetic: {users: …}' (generated data), 'path: …' (a data folder or file) or 'domains: {name: {path: …}, …}' (one interaction file per domain)"
        )
        #expect(
            TestCatalog.error(
                "name: x\ndataset:\n  path: d\n  split: {random: {seed: 1}}\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }"
            )
                == "sweeps/x.yaml:4: missing required key 'test' in 'dataset.split.random': the fraction of rows held out for evaluation, e.g. 'test: 0.2'"
        )
        #expect(
            TestCatalog.error("")
                == "sweeps/x.yaml:1: the sweep file is empty; it needs at least 'name', 'dataset', 'metric' and 'models'"
        )
    }

    @Test func randomSpaceWithoutSamples() {
        #expect(
            error(
                models:
                    "  mf:\n    factors: [8, 16]\n    lr: {loguniform: [0.001, 0.1]}\n    reg: {choice: [0.01, 0.1]}")
                == "sweeps/x.yaml:6: model 'mf' has random spaces (lr: loguniform, reg: choice) and needs 'samples: N' (how many draws) on its entry"
        )
        #expect(
            error(models: "  mf:\n    factors: [8, 16]\n    samples: 4")
                == "sweeps/x.yaml:8: 'samples' only applies to random spaces (uniform, loguniform, choice); 'mf' has none"
        )
        #expect(
            error(models: "  mf:\n    factors: [8, 16]\n    seed: 4")
                == "sweeps/x.yaml:8: 'seed' on a model entry seeds its random spaces and 'mf' has none; training seeds go in the top-level 'seeds'"
        )
    }

    @Test(arguments: ["5 minutes", "-1", "0", "10d", "1e9", "[300]", "m"])
    func badTimeout(text: String) {
        let shown: String
        switch text {
        case "5 minutes", "10d", "m": shown = "string '\(text)'"
        case "-1", "0": shown = "integer \(text)"
        case "1e9": shown = "number 1000000000.0"
        default: shown = "a list"
        }
        #expect(
            error(models: "  noop:", extra: "timeout: \(text)")
                == "sweeps/x.yaml:7: 'timeout' must be a duration like 300, 300s, 5m or 2h (at most 7 days), got \(shown)"
        )
    }

    @Test func unknownKeysAreTyposWithSuggestions() {
        #expect(
            error(models: "  noop:", extra: "seed: [1, 2]")
                == "sweeps/x.yaml:7: unknown top-level key 'seed'; did you mean 'seeds'? expected one of: name, dataset, metric, models, seeds, timeout, retries, worker, search, stopping"
        )
        #expect(
            error(models: "  noop:", extra: "colour: blue")
                == "sweeps/x.yaml:7: unknown top-level key 'colour'; expected one of: name, dataset, metric, models, seeds, timeout, retries, worker, search, stopping"
        )
        #expect(
            TestCatalog.error(TestCatalog.sweep(models: "  noop:").replacing("{users: 300}", with: "{user: 300}"))
                == "sweeps/x.yaml:3: unknown key 'user' in 'dataset.synthetic'; did you mean 'users'? expected one of: users, bothFraction, movies, news, density, affinityStrength, noise, seed"
        )
        #expect(
            error(models: "  noop:", extra: "worker: {slot: 2}")
                == "sweeps/x.yaml:7: unknown key 'slot' in 'worker'; did you mean 'slots'? expected one of: slots")
    }

    @Test func otherValueErrors() {
        #expect(
            error(models: "  noop:", extra: "seeds: [1, 2, 1]") == "sweeps/x.yaml:7: 'seeds' lists seed 1 twice")
        #expect(
            error(models: "  noop:", extra: "seeds: [1, -2]")
                == "sweeps/x.yaml:7: 'seeds' must be a non-negative integer seed, got integer -2")
        #expect(
            error(models: "  noop:", extra: "retries: many")
                == "sweeps/x.yaml:7: 'retries' must be an integer retry budget in 0…100, got string 'many'")
        #expect(
            error(models: "  mf:\n    factors: {range: {from: 50, to: 10}}")
                == "sweeps/x.yaml:7: 'to' (10) must not be below 'from' (50) in the range for 'factors'")
        #expect(
            error(models: "  mf:\n    lr: {range: {from: 0.01, to: 0.1}}")
                == "sweeps/x.yaml:7: missing required key 'step' in 'models.mf.lr.range': the increment, e.g. 'step: 0.01'"
        )
        #expect(
            error(models: "  mf:\n    lr: {loguniform: [0, 0.1]}\n    samples: 2")
                == "sweeps/x.yaml:7: 'loguniform' for 'lr' must be a list of two numbers [low, high] with low < high and low > 0, got [0, 0.1]"
        )
        #expect(
            error(models: "  mf:\n    factors: {uniform: [8.5, 64]}\n    samples: 2")
                == "sweeps/x.yaml:7: 'uniform' for 'factors' must be a list of two integers [low, high] with low < high, got number 8.5"
        )
        #expect(
            error(models: "  mf:\n    factors: {uniform: [8, 4096]}\n    samples: 2")
                == "sweeps/x.yaml:7: 'factors' must be an integer in 1…1024, got 4096 (a 'uniform' bound)")
        #expect(
            error(models: "  sleep:\n    fail: {uniform: [0, 1]}\n    samples: 2")
                == "sweeps/x.yaml:7: 'uniform' needs a numeric parameter; 'fail' must be true or false (use 'choice' instead)"
        )
        #expect(
            error(models: "  mf:\n    factors: {rnage: {from: 1, to: 2}}")
                == "sweeps/x.yaml:7: unknown key 'rnage' in 'models.mf.factors'; did you mean 'range'? expected one of: range, uniform, loguniform, choice"
        )
        #expect(
            error(models: "  mf:\n    factors: []")
                == "sweeps/x.yaml:7: 'factors' has an empty list; give at least one value")
        #expect(
            error(models: "  mf: [8, 16]")
                == "sweeps/x.yaml:6: 'mf' must be a mapping from hyperparameter to values (or empty for the defaults), got a list"
        )
    }

    @Test func splitAndDatasetErrors() {
        func dataset(_ body: String) -> String? {
            TestCatalog.error(
                "name: x\ndataset:\n\(body)\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }")
        }
        #expect(
            dataset("  path: d\n  split: {random: {test: 1.5}}")
                == "sweeps/x.yaml:4: 'test' must be a fraction in (0, 1), got number 1.5")
        #expect(
            dataset("  path: d\n  split: {mind: train/train}")
                == "sweeps/x.yaml:4: 'mind' must be two different MIND parts as train/evaluate (train, dev, test), e.g. train/dev; got 'train/train'"
        )
        #expect(
            dataset("  path: d\n  split: {randm: {test: 0.2}}")
                == "sweeps/x.yaml:4: unknown key 'randm' in 'dataset.split'; did you mean 'random'? expected one of: official, random, per-user, cold-users, leave-last-out, temporal, mind, mind-time, cold-items, files"
        )
        #expect(
            dataset("  path: d\n  split: u1")
                == "sweeps/x.yaml:4: 'split' must be one of official: u1, random: {test: 0.2, seed: 1}, per-user: {test: 0.2, seed: 1}, cold-users: {test: 0.2, seed: 1}, leave-last-out: 1, temporal: {test: 0.2}, mind: train/dev, mind-time: {part: train, test-days: 1}, cold-items: {test: 0.2, seed: 1, by: random}, files: {train: FILE, test: FILE} or files (the test files under 'domains'); got string 'u1'"
        )
        #expect(
            dataset("  path: d\n  layout: movielen")
                == "sweeps/x.yaml:4: 'layout' must be one of auto, movielens, mind, linked, generic, got string 'movielen'; did you mean 'movielens'?"
        )
        #expect(
            dataset("  synthetic: {}\n  path: d")
                == "sweeps/x.yaml:4: 'dataset' takes either 'synthetic' or 'path', not both")
        #expect(
            dataset("  synthetic: {density: 0}")
                == "sweeps/x.yaml:3: 'density' must be a fraction in (0, 1], got integer 0")
        #expect(
            dataset("  path: d\n  domainSplit: Action,Adventure")
                == "sweeps/x.yaml:4: 'domainSplit' needs at least two groups separated by '|', got 'Action,Adventure'")
    }

    /// Each names the file, the line of the offending value and the field.
    @Test func coldItemsSplitErrors() {
        func split(_ body: String) -> String? {
            TestCatalog.error(
                "name: x\ndataset:\n  path: d\n  split:\n    cold-items:\n\(body)\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }")
        }
        #expect(
            split("      test: 0.2\n      by: tme")
                == "sweeps/x.yaml:7: 'by' must be random (a seeded draw) or time (the items that arrived last), got string 'tme'; did you mean 'time'?"
        )
        #expect(
            split("      by: 3")
                == "sweeps/x.yaml:6: 'by' must be random (a seeded draw) or time (the items that arrived last), got integer 3")
        #expect(
            split("      test: 1")
                == "sweeps/x.yaml:6: 'test' must be a fraction in (0, 1) (the share of items held out), got integer 1")
        #expect(
            split("      test: 0.2\n      seed: -1")
                == "sweeps/x.yaml:7: 'seed' must be a non-negative integer seed, got integer -1")
        #expect(
            split("      tset: 0.2")
                == "sweeps/x.yaml:6: unknown key 'tset' in 'dataset.split.cold-items'; did you mean 'test'? expected one of: test, seed, by"
        )
        #expect(
            split("      by: time\n      seed: 4")
                == "sweeps/x.yaml:7: 'seed' draws the random cold items; 'by: time' takes the latest items and no seed")
        do {
            _ = try SweepSpec(
                yaml: "name: x\ndataset:\n  path: d\n  split: {cold-items: {by: tim}}\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }",
                file: "sweeps/x.yaml", catalog: TestCatalog.catalog)
            Issue.record("'by: tim' was accepted")
        } catch {
            #expect(error.key == "dataset.split.cold-items.by" && error.line == 4, "\(error)")
        }
    }

    @Test func metricsTheModelsDoNotReport() {
        let yaml = TestCatalog.sweep(models: "  mf: {factors: 8}\n  als: {factors: 8}")
        #expect(
            TestCatalog.error(yaml.replacing("primary: ndcg@10", with: "primary: rmse"))
                == "sweeps/x.yaml:4: model 'als' does not report 'rmse'; it reports: ndcg@K, recall@K, precision@K, hit@K, mrr, map@K, coverage@K, mind_auc, mind_mrr, mind_ndcg@5, mind_ndcg@10. Choose a primary metric every model in the sweep reports"
        )
        #expect(
            TestCatalog.error(yaml.replacing("direction: maximize}", with: "direction: maximize, record: [rmse, mea]}"))
                == "sweeps/x.yaml:4: no model in the sweep reports 'mea'; did you mean 'mae'? reported: coverage@K, hit@K, mae, map@K, mind_auc, mind_mrr, mind_ndcg@10, mind_ndcg@5, mrr, ndcg@K, precision@K, recall@K, rmse"
        )
    }

    @Test func yamlSyntaxAndDuplicateKeys() {
        #expect(
            TestCatalog.error("name: x\nmodels: {noop: }\nmodels: {mf: }")?.hasPrefix(
                "sweeps/x.yaml:2: duplicate key 'models'") == true)
        let broken = TestCatalog.error("name: x\ndataset:\n  path: [unclosed\nmetric: 1\n")
        #expect(broken?.hasPrefix("sweeps/x.yaml:") == true)
        #expect(broken?.contains("not valid YAML") == true)
    }

    @Test func errorCarriesFileLineAndKeyPath() {
        do {
            _ = try SweepSpec(
                yaml: TestCatalog.sweep(models: "  mf:\n    factors: \"abc\""), file: "sweeps/mf.yaml",
                catalog: TestCatalog.catalog)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "sweeps/mf.yaml")
            #expect(error.line == 7)
            #expect(error.key == "models.mf.factors")
        }
    }

    @Test func unreadableFile() {
        #expect(throws: SweepSpecError.self) {
            try SweepSpec(contentsOfFile: "/nonexistent/sweep.yaml", catalog: TestCatalog.catalog)
        }
    }

    /// Values for a conditional parameter whose condition this entry can never meet would all be
    /// dropped: the file is rejected at that parameter's line, saying how to fix it.
    @Test func conditionalParameterThatNeverApplies() {
        let message = error(models: "  hybrid:\n    cf: ease\n    als.factors: [16, 32]")
        #expect(message?.contains("sweeps/x.yaml:8") == true, "\(message ?? "parsed")")
        #expect(
            message?.contains(
                "'als.factors' applies only when 'cf' is als, and this entry's 'cf' only takes ease; add als to 'cf' or remove 'als.factors'"
            ) == true, "\(message ?? "parsed")")
        #expect(error(models: "  hybrid:\n    als.factors: 16")?.contains("only takes ease") == true)
        #expect(error(models: "  hybrid:\n    cf: [ease, als]\n    als.factors: 16") == nil)
    }
}
