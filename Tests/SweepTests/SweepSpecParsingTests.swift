import Foundation
import ParameterSpecs
import Sweep
import Testing

@Suite("Sweep files: what parses and into what")
struct SweepSpecParsingTests {
    static let everySpace = """
        name: spaces
        dataset:
          path: ../shared/data/ml-100k/
          layout: movielens
          split: {official: u1}
        metric: {primary: ndcg@10, direction: maximize, record: [rmse, mae, ndcg@10, rmse]}
        models:
          mf:
            factors: [8, 16]              # grid
            epochs: 5                     # fixed
            lr: {loguniform: [0.001, 0.1]}
            reg: {uniform: [0.01, 0.1]}
            init_std: {choice: [0.05, 0.1]}
            samples: 3
            seed: 7
          als:
            factors: {range: {from: 10, to: 50, step: 10}}
            reg: {range: {from: 0.1, to: 0.5, step: 0.1}}
            alpha: [1, 2.5]
          bpr:
            factors: {uniform: [8, 64]}
            epochs: {loguniform: [5, 50]}
            samples: 2
          sleep:
            fail: [true, false]
            seconds: 1
          noop:
        seeds: [1, 2, 3]
        timeout: 5m
        retries: 3
        worker: {slots: 2}
        """

    @Test func everySpaceKindParses() throws {
        let spec = try TestCatalog.parse(Self.everySpace)
        #expect(spec.name == "spaces")
        #expect(spec.models.map(\.model) == ["mf", "als", "bpr", "sleep", "noop"])

        let mf = spec.models[0]
        #expect(mf.spaces["factors"] == .values([.int(8), .int(16)]))
        #expect(mf.spaces["epochs"] == .values([.int(5)]))
        #expect(mf.spaces["lr"] == .logUniform(low: 0.001, high: 0.1, integer: false))
        #expect(mf.spaces["reg"] == .uniform(low: 0.01, high: 0.1, integer: false))
        #expect(mf.spaces["init_std"] == .choice([.double(0.05), .double(0.1)]))
        #expect(mf.samples == 3)
        #expect(mf.samplingSeed == 7)
        #expect(mf.defaults.isEmpty)

        let als = spec.models[1]
        #expect(als.spaces["factors"] == .values([10, 20, 30, 40, 50].map { .int($0) }))
        // 0.1 + 2 × 0.1 is 0.30000000000000004 in binary; the range gives the 0.3 a user typed.
        #expect(als.spaces["reg"] == .values([0.1, 0.2, 0.3, 0.4, 0.5].map { .double($0) }))
        // Integers on a double parameter are normalized to doubles, as ParameterSpec.validate returns them.
        #expect(als.spaces["alpha"] == .values([.double(1), .double(2.5)]))
        #expect(als.defaults == ["iterations": .int(15)])
        #expect(als.samples == nil)

        let bpr = spec.models[2]
        #expect(bpr.spaces["factors"] == .uniform(low: 8, high: 64, integer: true))
        #expect(bpr.spaces["epochs"] == .logUniform(low: 5, high: 50, integer: true))
        #expect(bpr.samples == 2 && bpr.samplingSeed == 0)

        let sleep = spec.models[3]
        #expect(sleep.spaces["fail"] == .values([.bool(true), .bool(false)]))
        #expect(sleep.spaces["seconds"] == .values([.double(1)]))
        #expect(sleep.defaults == ["hang": .bool(false)])

        #expect(spec.models[4].spaces.isEmpty && spec.models[4].defaults.isEmpty)

        // The primary metric and repeats are dropped from `record`.
        #expect(spec.metric == MetricSpec(primary: "ndcg@10", direction: .maximize, record: ["rmse", "mae"]))
        #expect(spec.seeds == [1, 2, 3])
        #expect(spec.timeout == .seconds(300))
        #expect(spec.retries == 3)
        #expect(spec.worker.slots == 2)
        #expect(spec.dataset.source == .path("../shared/data/ml-100k", layout: .movielens))
        #expect(spec.dataset.split == .official("u1"))
    }

    @Test func defaultsForOptionalKeys() throws {
        let spec = try TestCatalog.parse(TestCatalog.sweep(models: "  noop:"))
        #expect(spec.seeds == [1])
        #expect(spec.timeout == .seconds(3600))
        #expect(spec.retries == 2)
        #expect(spec.worker.slots == 1)
        #expect(spec.dataset.split == nil)
        #expect(spec.metric.record.isEmpty)
    }

    @Test(arguments: [
        ("300", Duration.seconds(300)), ("300s", .seconds(300)), ("5m", .seconds(300)), ("1.5h", .seconds(5400)),
        ("500ms", .milliseconds(500)), ("2.5", .milliseconds(2500)), ("\"300 s\"", .seconds(300)),
    ])
    func timeoutForms(text: String, expected: Duration) throws {
        let spec = try TestCatalog.parse(TestCatalog.sweep(models: "  noop:", extra: "timeout: \(text)"))
        #expect(spec.timeout == expected)
    }

    @Test(arguments: [
        ("{official: u1}", SplitSpec.official("u1")),
        ("{random: {test: 0.2, seed: 1}}", .random(testFraction: 0.2, seed: 1)),
        ("{random: {test: 0.25}}", .random(testFraction: 0.25, seed: 0)),
        ("{per-user: {test: 0.2, seed: 1}}", .perUser(testFraction: 0.2, seed: 1)),
        ("{cold-users: {test: 0.1, seed: 4}}", .coldUsers(testFraction: 0.1, seed: 4)),
        ("{cold-users: {test: 0.1, seed: 4, fold: 0}}", .coldUsers(testFraction: 0.1, seed: 4)),
        ("{cold-users: {test: 0.2, seed: 4, fold: 3}}", .coldUsersFold(testFraction: 0.2, seed: 4, fold: 3)),
        ("{leave-last-out: 1}", .leaveLastOut(count: 1)),
        ("{temporal: {test: 0.2}}", .temporal(testFraction: 0.2)),
        ("{mind: train/dev}", .mind(train: "train", evaluate: "dev")),
        ("{cold-items: {test: 0.3, seed: 5, by: random}}", .coldItems(testFraction: 0.3, seed: 5, by: .random)),
        ("{cold-items: {test: 0.1, by: time}}", .coldItems(testFraction: 0.1, seed: 1, by: .time)),
        ("{cold-items: {}}", .coldItems(testFraction: 0.2, seed: 1, by: .random)),
        ("{cold-items: }", .coldItems(testFraction: 0.2, seed: 1, by: .random)),
    ])
    func splitForms(text: String, expected: SplitSpec) throws {
        let yaml = """
            name: splits
            dataset:
              path: data/x
              split: \(text)
            metric: {primary: ndcg@10, direction: maximize}
            models: {noop: }
            """
        #expect(try TestCatalog.parse(yaml).dataset.split == expected)
    }

    @Test func syntheticDataset() throws {
        let yaml = """
            name: synthetic
            dataset:
              synthetic: {users: 300, bothFraction: 0.5, movies: 100, news: 120, density: 0.1, affinityStrength: 0, noise: 1, seed: 9}
              domainSplit: " Action , Adventure|Comedy,Drama "
              domain: movies
              revision: 2024-06
            metric: {primary: ndcg@10, direction: maximize}
            models: {noop: }
            """
        let dataset = try TestCatalog.parse(yaml).dataset
        let expected = SyntheticDatasetSpec(
            users: 300, bothFraction: 0.5, movies: 100, news: 120, density: 0.1, affinityStrength: 0, noise: 1, seed: 9)
        #expect(dataset.source == .synthetic(expected))
        #expect(dataset.domainSplit == "Action,Adventure | Comedy,Drama")
        #expect(dataset.domain == "movies")
        #expect(dataset.revision == "2024-06")
    }

    @Test func fingerprintCoversResolvedDescriptionOnly() throws {
        func fingerprint(_ dataset: String) throws -> String {
            try TestCatalog.parse(
                "name: f\ndataset:\n\(dataset)\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }"
            )
            .datasetFingerprint
        }
        let defaults = try fingerprint("  synthetic: {}")
        #expect(defaults.count == 32)
        #expect(defaults.allSatisfy { $0.isHexDigit })
        // Defaults written out, in another key order, hash the same as leaving them out.
        #expect(
            try fingerprint(
                "  synthetic: {seed: 42, noise: 0.5, users: 600, bothFraction: 0.6, movies: 400, news: 500, density: 0.05, affinityStrength: 0.8}"
            ) == defaults)
        #expect(try fingerprint("  synthetic:") == defaults)
        #expect(try fingerprint("  synthetic: {seed: 43}") != defaults)
        #expect(try fingerprint("  synthetic: {}\n  domain: movies") != defaults)
        // Paths: a trailing slash is not a different data set; another layout, split or revision is.
        let path = try fingerprint("  path: data/ml-100k")
        #expect(try fingerprint("  path: data/ml-100k/") == path)
        #expect(try fingerprint("  path: data/ml-100k\n  layout: auto") == path)
        #expect(try fingerprint("  path: data/ml-100k\n  layout: movielens") != path)
        #expect(try fingerprint("  path: data/ml-100k\n  split: {official: u1}") != path)
        #expect(try fingerprint("  path: data/ml-100k\n  revision: b") != path)
        #expect(try fingerprint("  path: data/ml-1m") != path)
    }

    @Test func canonicalTextIsReadable() throws {
        let dataset = DatasetSpec(
            source: .path("data/ml-100k", layout: .movielens), split: .random(testFraction: 0.2, seed: 1),
            domainSplit: "A,B | C", domain: "movies")
        #expect(
            dataset.canonicalText == """
                crossrec-dataset-v1
                source=path
                path=data/ml-100k
                layout=movielens
                split=random(test=0.2,seed=1)
                domainSplit=A,B | C
                domain=movies
                revision=-

                """)
    }

    @Test func specIsCodable() throws {
        let spec = try TestCatalog.parse(Self.everySpace)
        let data = try JSONEncoderBox.encode(spec)
        #expect(try JSONEncoderBox.decode(SweepSpec.self, from: data) == spec)
    }

    @Test func seedsAcceptASingleValueAndLargeSeeds() throws {
        #expect(try TestCatalog.parse(TestCatalog.sweep(models: "  noop:", extra: "seeds: 7")).seeds == [7])
        let big = try TestCatalog.parse(TestCatalog.sweep(models: "  noop:", extra: "seeds: [18446744073709551615, 0]"))
        #expect(big.seeds == [UInt64.max, 0])
    }

    @Test func metricNamesWithCutoffMatchDeclaredAtK() throws {
        let yaml = TestCatalog.sweep(models: "  als: {factors: 8}").replacingOccurrences(
            of: "metric: {primary: ndcg@10, direction: maximize}",
            with: "metric: {primary: recall@20, direction: maximize, record: map@5}")
        let spec = try TestCatalog.parse(yaml)
        #expect(spec.metric.primary == "recall@20")
        #expect(spec.metric.record == ["map@5"])
    }

    @Test func aNumberOrSameParameterTakesNumbersRangesAndTheOtherParametersName() throws {
        let catalog = ModelCatalog(models: [
            .init(
                name: "mf", family: "cf",
                parameters: [
                    TestCatalog.double("lr", 0...1, 0.005),
                    ParameterSpec(name: "lr_bias", kind: .doubleOrSame(0.0001...1, as: "lr"), defaultValue: .string("lr"), help: "bias rate"),
                ],
                metrics: TestCatalog.rating)
        ])
        func parse(_ body: String) throws -> SweepSpec {
            try SweepSpec(yaml: TestCatalog.sweep(models: body), file: "sweeps/x.yaml", catalog: catalog)
        }
        let listed = try parse("  mf: {lr_bias: [lr, 0.001]}").expand().trials.map { $0.config.parameters["lr_bias"] }
        #expect(listed == [.string("lr"), .double(0.001)])
        let ranged = try parse("  mf: {lr_bias: {range: {from: 0.001, to: 0.003, step: 0.001}}}").expand().trials
        #expect(ranged.map { $0.config.parameters["lr_bias"] } == [.double(0.001), .double(0.002), .double(0.003)])
        let defaulted = try parse("  mf: {lr: [0.01]}").expand().trials
        #expect(defaulted.map { $0.config.parameters["lr_bias"] } == [.string("lr")], "the default is the name")
        do {
            _ = try parse("  mf: {lr_bias: [same]}")
            Issue.record("'same' was accepted")
        } catch {
            #expect("\(error)" == "sweeps/x.yaml:6: 'lr_bias' must be a number in 0.0001…1.0 or 'lr' (the same as lr), got string 'same'")
        }
    }

    /// `other_weight: auto`: a number, or one word that the model reads its own way.
    @Test func aNumberOrWordParameterTakesNumbersAndItsWordOnly() throws {
        let catalog = ModelCatalog(models: [
            .init(
                name: "unified", family: "unified",
                parameters: [
                    ParameterSpec(
                        name: "other_weight", kind: .doubleOrWord(0...1000, word: "auto", meaning: "chosen on validation"),
                        defaultValue: .double(1), help: "weight")
                ],
                metrics: TestCatalog.ranking)
        ])
        func parse(_ body: String) throws -> SweepSpec {
            try SweepSpec(yaml: TestCatalog.sweep(models: body), file: "sweeps/x.yaml", catalog: catalog)
        }
        let listed = try parse("  unified: {other_weight: [auto, 0, 0.3]}").expand().trials
        #expect(listed.map { $0.config.parameters["other_weight"] } == [.string("auto"), .double(0), .double(0.3)])
        do {
            _ = try parse("  unified: {other_weight: [automatic]}")
            Issue.record("'automatic' was accepted")
        } catch {
            #expect(
                "\(error)"
                    == "sweeps/x.yaml:6: 'other_weight' must be a number in 0.0…1000.0 or 'auto' (chosen on validation), got string 'automatic'"
            )
        }
    }
}

@Suite("Sweep files: MIND time split and text-only candidates")
struct MINDTimeSplitParsingTests {
    @Test func mindTimeAndCandidatesParseAndOnlyTheOptionChangesTheFingerprint() throws {
        func dataset(_ lines: String) throws -> DatasetSpec {
            try SweepSpec(
                yaml: "name: t\ndataset:\n  path: d\n\(lines)\nmetric: {primary: mind_auc, direction: maximize}\nmodels:\n  popularity: {}\n",
                catalog: ModelCatalog(models: [.init(name: "popularity", family: "cf", parameters: [], metrics: ["mind_auc"])])
            ).dataset
        }
        let timed = try dataset("  split: {mind-time: {test-days: 2}}")
        #expect(timed.split == .mindTime(part: "train", testDays: 2))
        #expect(try dataset("  split: {mind-time: {}}").split == .mindTime(part: "train", testDays: 1))
        let plain = try dataset("  split: {mind: train/dev}")
        let withText = try dataset("  split: {mind: train/dev}\n  candidates: with-text")
        #expect(withText.textCandidatesOnly && !plain.textCandidatesOnly)
        #expect(withText.fingerprint != plain.fingerprint)
        #expect(try dataset("  split: {mind: train/dev}\n  candidates: all").fingerprint == plain.fingerprint)
        #expect(throws: SweepSpecError.self) { try dataset("  split: {mind-time: {part: test}}") }
        #expect(throws: SweepSpecError.self) { try dataset("  candidates: some") }
        // A descriptor written before the option decodes with it off.
        let old = #"{"source":{"path":{"_0":"d","layout":"auto"}}}"#
        #expect(try JSONDecoder().decode(DatasetSpec.self, from: Data(old.utf8)).textCandidatesOnly == false)
    }
}

@Suite("Sweep files: the cold-items split")
struct ColdItemsSplitSpecTests {
    func dataset(_ split: String) throws -> DatasetSpec {
        try TestCatalog.parse("name: c\ndataset:\n  path: d\n  split: \(split)\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }")
            .dataset
    }

    /// Every key is optional: test 0.2, seed 1, by random (a block mapping reads the same as a flow one).
    @Test func defaultsAndBlockForm() throws {
        #expect(try dataset("{cold-items: {seed: 3}}").split == .coldItems(testFraction: 0.2, seed: 3, by: .random))
        let block = try TestCatalog.parse(
            "name: c\ndataset:\n  path: d\n  split:\n    cold-items:\n      test: 0.25\n      by: time\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }"
        )
        #expect(block.dataset.split == .coldItems(testFraction: 0.25, seed: 1, by: .time))
    }

    /// Another fraction, seed or order is another data set (another trial id); by time the seed
    /// draws nothing, so it is not part of the fingerprint.
    @Test func fingerprintAndCanonicalText() throws {
        let random = try dataset("{cold-items: {test: 0.2, seed: 1}}")
        #expect(random.split?.canonicalText == "cold-items(test=0.2,seed=1)")
        #expect(try dataset("{cold-items: {}}").fingerprint == random.fingerprint, "the defaults written out")
        #expect(try dataset("{cold-items: {seed: 2}}").fingerprint != random.fingerprint)
        #expect(try dataset("{cold-items: {test: 0.3}}").fingerprint != random.fingerprint)
        #expect(try dataset("{cold-users: {test: 0.2, seed: 1}}").fingerprint != random.fingerprint)
        let timed = try dataset("{cold-items: {by: time}}")
        #expect(timed.split?.canonicalText == "cold-items(test=0.2,by=time)")
        #expect(timed.fingerprint != random.fingerprint)
        let timedOtherSeed = DatasetSpec(source: .path("d", layout: .auto), split: .coldItems(testFraction: 0.2, seed: 9, by: .time))
        #expect(timedOtherSeed.fingerprint == timed.fingerprint)
    }

    /// `candidates: cold` (MIND impressions: only candidates without a training row), alone or with
    /// `with-text` in either order; the fingerprint changes only when a filter is on.
    @Test func coldImpressionCandidates() throws {
        func dataset(candidates: String?) throws -> DatasetSpec {
            try TestCatalog.parse(
                "name: c\ndataset:\n  path: d\n  split: {mind: train/dev}\n"
                    + (candidates.map { "  candidates: \($0)\n" } ?? "")
                    + "metric: {primary: mrr, direction: maximize}\nmodels: {noop: }"
            ).dataset
        }
        let plain = try dataset(candidates: nil)
        let cold = try dataset(candidates: "cold")
        #expect(cold.coldCandidatesOnly && !cold.textCandidatesOnly && !plain.coldCandidatesOnly)
        #expect(cold.canonicalText.hasSuffix("revision=-\ncandidates=cold\n"))
        #expect(cold.fingerprint != plain.fingerprint)
        let both = try dataset(candidates: "cold+with-text")
        #expect(both.coldCandidatesOnly && both.textCandidatesOnly)
        #expect(try dataset(candidates: "with-text + cold") == both)
        let withText = try dataset(candidates: "with-text")
        #expect(both.fingerprint != cold.fingerprint && both.fingerprint != withText.fingerprint)
        #expect(try dataset(candidates: "all").fingerprint == plain.fingerprint)
        #expect(
            TestCatalog.error(
                "name: c\ndataset:\n  path: d\n  candidates: cold+cold\nmetric: {primary: mrr, direction: maximize}\nmodels: {noop: }")
                == "sweeps/x.yaml:4: 'candidates' must be all, with-text (score only impression candidates that have text), cold (only those without a training row) or cold+with-text; got 'cold+cold'"
        )
        let old = #"{"source":{"path":{"_0":"d","layout":"auto"}},"textCandidatesOnly":true}"#
        let decoded = try JSONDecoder().decode(DatasetSpec.self, from: Data(old.utf8))
        #expect(decoded.textCandidatesOnly && !decoded.coldCandidatesOnly, "written before the option")
    }

    /// The new case round-trips; descriptors written before it decode as they did.
    @Test func codableKeepsOldEncodings() throws {
        for split: SplitSpec in [.coldItems(testFraction: 0.2, seed: 1, by: .random), .coldItems(testFraction: 0.4, seed: 7, by: .time)] {
            let spec = DatasetSpec(source: .synthetic(SyntheticDatasetSpec()), split: split)
            #expect(try JSONDecoder().decode(DatasetSpec.self, from: JSONEncoder().encode(spec)) == spec)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(SplitSpec.coldItems(testFraction: 0.2, seed: 1, by: .time)), as: UTF8.self)
        #expect(text == #"{"coldItems":{"by":"time","seed":1,"testFraction":0.2}}"#)
        let old = #"{"source":{"path":{"_0":"d","layout":"auto"}},"split":{"coldUsers":{"testFraction":0.2,"seed":1}}}"#
        #expect(try JSONDecoder().decode(DatasetSpec.self, from: Data(old.utf8)).split == .coldUsers(testFraction: 0.2, seed: 1))
        let oldTime = #"{"mindTime":{"part":"train","testDays":1}}"#
        #expect(try JSONDecoder().decode(SplitSpec.self, from: Data(oldTime.utf8)) == .mindTime(part: "train", testDays: 1))
    }
}
