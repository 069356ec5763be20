import Foundation
import RecData
import RecModels
import Sweep
import SweepRuntime

/// Issue 12's goals, side by side with Optuna in one run: MF on MovieLens 100K fold u1, minimising
/// validation RMSE on a holdout of u1.base (10% of each user's rows, seed 1; never u1.test), over
/// factors 16…400 (log), lr 0.001…0.05 (log), reg 0.005…0.2 (log) and epochs up to 81. The test
/// RMSE of each chosen configuration is reported separately.
///
/// - **Grid**: factors {16, 32, 64, 128, 256, 400} × lr {0.001, 0.002, 0.005, 0.01, 0.02, 0.05} ×
///   reg {0.005, 0.01, 0.02, 0.05, 0.1, 0.2} × epochs {9, 27, 81} = 648 trials. MF's curve over
///   epochs 1…E equals fits of 1…E epochs (no learning-rate schedule by default), so the 648
///   trials come from 216 fits of 81 epochs; the grid is charged the epochs of all 648.
/// - **TPE** (crossrec's `TPESampler`, as `search: tpe` runs it): one trial at a time, epochs an
///   integer in 1…81, `tpeFraction` of the grid's trials as budget, per search seed; the best
///   validation RMSE after 30 and 60 trials and at the budget.
/// - **Optuna TPESampler** (defaults, same space, same seeds) drives the same crossrec training:
///   `crossrec-bench search-objective` answers one configuration per line with its validation
///   curve, so both searches call identical code.
/// - **ASHA** (crossrec's `EarlyStopper`, min 1, max 81, reduction 3) over the grid's 216
///   configurations in file order and in shuffled orders, against Optuna's GridSampler with
///   SuccessiveHalvingPruner (min_resource 1, reduction 3) over the same configurations; both
///   read the same 81-epoch validation curves and are charged the epochs up to each stop.
/// - **Suggestions per second** of `TPESampler` with 10,000 observations and 8 pending, and
///   **random-search trials per second** through `crossrec sweep run` (the built-in `curve`
///   model with one epoch and no sleep, the closest to `noop` that has a space to draw from).
struct SearchBenchmark {
    var data: String
    var seeds: [UInt64]
    var budgets: [Int] = [30, 60]
    var tpeFraction = 0.25
    var python: String?
    var randomTrials = 20_000

    static let factors = [16, 32, 64, 128, 256, 400]
    static let learningRates = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
    static let regularizations = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]
    static let gridEpochs = [9, 27, 81]
    static let maxEpochs = 81

    struct Configuration: Codable, Hashable {
        var factors: Int
        var lr: Double
        var reg: Double
        var epochs: Int
    }

    struct Pick: Codable {
        var configuration: Configuration
        var validationRMSE: Double
        var testRMSE: Double
    }

    struct GridLeg: Codable {
        var trials: Int
        var fits: Int
        var epochsCharged: Int
        var pick: Pick
        var seconds: Double
    }

    struct SearchRun: Codable {
        var seed: UInt64
        /// Best validation RMSE after each trial.
        var bestSoFar: [Double]
        var epochs: Int
        /// Trials until the best was within 0.002 of the grid's best (nil: never).
        var trialsToWithin0002: Int?
    }

    struct SearchLeg: Codable {
        var budget: Int
        var runs: [SearchRun]
        /// Median over seeds of the best validation RMSE after N trials, by N.
        var medianBest: [String: Double]
        var medianGapToGridAtBudget: Double?
        var seconds: Double
    }

    struct AshaRun: Codable {
        var order: String
        var epochs: Int
        var stopped: Int
        var pick: Pick
    }

    struct AshaLeg: Codable {
        var runs: [AshaRun]
        var medianEpochs: Double
        var reductionAgainstFullGrid: Double
        var reductionAgainstGridAt81Epochs: Double
        var medianTestRMSEGapToGridPick: Double
        var worstTestRMSEGapToGridPick: Double
    }

    struct Throughput: Codable {
        var observations: Int
        var pending: Int
        var tpeSuggestionsPerSecond: Double
        var randomSuggestionsPerSecond: Double
        var randomSearchSweep: SweepBenchmark.Run?
    }

    struct Goals: Codable {
        var tpeWithin0002AtQuarterBudget: Bool?
        var tpeNoWorseThanOptunaAt30: Bool?
        var tpeNoWorseThanOptunaAt60: Bool?
        var ashaEpochsAtLeast3xFewer: Bool
        var ashaPickWithin0003: Bool
        var suggestionsAtLeast500PerSecond: Bool
        var randomSearchAtLeast5000TrialsPerSecond: Bool?
    }

    struct Report: Codable {
        var benchmark = "adaptive-search"
        var buildConfiguration: String
        var data: String
        var objective = "MF validation RMSE on 10% of each user's u1.base rows (seed 1); test RMSE on u1.test for picks"
        var grid: GridLeg
        var tpe: SearchLeg
        var optunaTPE: SearchLeg?
        var optunaNote: String?
        var asha: AshaLeg
        var optunaSuccessiveHalving: [AshaRun]?
        var throughput: Throughput
        var goals: Goals
    }

    // MARK: The objective

    /// Validation curves and test RMSE of MF on the prepared fold, deterministic for a configuration.
    final class Objective: @unchecked Sendable {
        let data: PreparedData

        init(data path: String) throws {
            data = try PreparedData.prepare(Self.request(path))
        }

        static func request(_ path: String) -> DatasetSpec {
            DatasetSpec(
                source: .path(path, layout: .movielens), split: .official("u1"),
                validation: .init(fraction: 0.1, seed: 1, every: 1))
        }

        func model(_ c: Configuration) throws -> AnyRecommender {
            try ModelRegistry.make(
                "mf", parameters: ["factors": .int(c.factors), "lr": .double(c.lr), "reg": .double(c.reg), "epochs": .int(c.epochs)],
                seed: 1)
        }

        /// Validation RMSE after each epoch 1…`c.epochs`.
        func curve(_ c: Configuration) throws -> [Double] {
            var model = try model(c)
            var curve: [Double] = []
            try model.fit(data.training) { progress in
                curve.append(progress.values["validation_rmse"] ?? .nan)
                return .proceed
            }
            return curve
        }

        /// Test RMSE (u1.test) of `c` trained from scratch.
        func testRMSE(_ c: Configuration) throws -> Double {
            var model = try model(c)
            try model.fit(data.training) { _ in .proceed }
            var sum = 0.0
            for k in 0..<data.test.count {
                let error = Double(model.predictRating(user: data.test.users[k], item: data.test.items[k]) ?? .nan)
                    - Double(data.test.values[k])
                sum += error * error
            }
            return (sum / Double(data.test.count)).squareRoot()
        }
    }

    /// `crossrec-bench search-objective`: one JSON configuration per input line, one
    /// `{"validation": [...]}` per output line (the peer's way to call crossrec's training).
    static func serve(data: String) throws {
        let objective = try Objective(data: data)
        while let line = readLine() {
            let configuration = try JSONDecoder().decode(Configuration.self, from: Data(line.utf8))
            let curve = try objective.curve(configuration)
            let reply = try JSONEncoder().encode(["validation": curve])
            FileHandle.standardOutput.write(reply + Data("\n".utf8))
        }
    }

    // MARK: Running

    func run() throws -> Report {
        let objective = try Objective(data: data)
        let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }

        // The grid: 216 fits of 81 epochs, read at 9, 27 and 81.
        let gridStart = ContinuousClock.now
        var bases: [Configuration] = []
        for f in Self.factors {
            for lr in Self.learningRates {
                for reg in Self.regularizations { bases.append(Configuration(factors: f, lr: lr, reg: reg, epochs: Self.maxEpochs)) }
            }
        }
        let curves = try Self.parallel(bases) { try objective.curve($0) }
        var gridBest: (Configuration, Double)?
        for (base, curve) in zip(bases, curves) {
            for epochs in Self.gridEpochs where gridBest.map({ curve[epochs - 1] < $0.1 }) ?? true {
                var configuration = base
                configuration.epochs = epochs
                gridBest = (configuration, curve[epochs - 1])
            }
        }
        let gridPick = Pick(
            configuration: gridBest!.0, validationRMSE: gridBest!.1, testRMSE: try objective.testRMSE(gridBest!.0))
        let grid = GridLeg(
            trials: bases.count * Self.gridEpochs.count, fits: bases.count,
            epochsCharged: bases.count * Self.gridEpochs.reduce(0, +), pick: gridPick,
            seconds: BenchmarkSupport.seconds(since: gridStart))
        log("grid: \(grid.trials) trials, best validation \(gridPick.validationRMSE) (\(gridPick.configuration)), test \(gridPick.testRMSE)")

        // TPE, one trial at a time per seed, seeds in parallel.
        let budget = Int((Double(grid.trials) * tpeFraction).rounded(.down))
        let tpeStart = ContinuousClock.now
        let runs = try Self.parallel(seeds) { seed in try self.tpeRun(seed: seed, budget: budget, objective: objective, gridBest: gridPick.validationRMSE) }
        let tpe = Self.leg(budget: budget, runs: runs, budgets: budgets, gridBest: gridPick.validationRMSE, seconds: BenchmarkSupport.seconds(since: tpeStart))
        log("tpe: median best after \(budget) trials \(tpe.medianBest[String(budget)] ?? .nan)")

        // ASHA over the grid's configurations, file order and shuffled orders.
        var ashaRuns: [AshaRun] = [try asha(order: Array(bases.indices), name: "file order", curves: curves, bases: bases, objective: objective)]
        for seed in seeds {
            var generator = SeededGenerator(seed: seed)
            ashaRuns.append(
                try asha(order: Array(bases.indices).shuffled(using: &generator), name: "shuffled, seed \(seed)", curves: curves, bases: bases, objective: objective))
        }
        let epochs = ashaRuns.map { Double($0.epochs) }.sorted()
        let gaps = ashaRuns.map { $0.pick.testRMSE - gridPick.testRMSE }
        let asha = AshaLeg(
            runs: ashaRuns, medianEpochs: Self.median(epochs),
            reductionAgainstFullGrid: Double(grid.epochsCharged) / Self.median(epochs),
            reductionAgainstGridAt81Epochs: Double(bases.count * Self.maxEpochs) / Self.median(epochs),
            medianTestRMSEGapToGridPick: Self.median(gaps.sorted()), worstTestRMSEGapToGridPick: gaps.max()!)
        log("asha: median \(asha.medianEpochs) epochs (\(asha.reductionAgainstFullGrid)× fewer than the grid), median test gap \(asha.medianTestRMSEGapToGridPick)")

        // Optuna: TPESampler on the same objective through `search-objective`, and
        // GridSampler + SuccessiveHalvingPruner on the same curves.
        var optunaTPE: SearchLeg?
        var optunaSHA: [AshaRun]?
        var note: String?
        if let python {
            switch optuna(python: python, bases: bases, curves: curves, objective: objective, gridBest: gridPick.validationRMSE) {
            case .success(let result):
                optunaTPE = result.tpe
                optunaSHA = result.sha
            case .failure(let error):
                note = "Optuna not measured: \(error.description)"
            }
        } else {
            note = "Optuna not measured: no --python given (a python3 that imports optuna)"
        }

        let throughput = try self.throughput()
        let goals = Goals(
            tpeWithin0002AtQuarterBudget: tpe.medianGapToGridAtBudget.map { $0 <= 0.002 },
            tpeNoWorseThanOptunaAt30: optunaTPE.map { (tpe.medianBest["30"] ?? .infinity) <= ($0.medianBest["30"] ?? .infinity) },
            tpeNoWorseThanOptunaAt60: optunaTPE.map { (tpe.medianBest["60"] ?? .infinity) <= ($0.medianBest["60"] ?? .infinity) },
            ashaEpochsAtLeast3xFewer: asha.reductionAgainstFullGrid >= 3,
            ashaPickWithin0003: asha.medianTestRMSEGapToGridPick <= 0.003,
            suggestionsAtLeast500PerSecond: throughput.tpeSuggestionsPerSecond >= 500,
            randomSearchAtLeast5000TrialsPerSecond: throughput.randomSearchSweep.map { $0.trialsPerSecond >= 5000 })
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, data: data, grid: grid, tpe: tpe, optunaTPE: optunaTPE,
            optunaNote: note, asha: asha, optunaSuccessiveHalving: optunaSHA, throughput: throughput, goals: goals)
    }

    /// The TPE space of the objective (epochs an integer in 1…81).
    static let spaces: [String: ParameterSpace] = [
        "factors": .logUniform(low: 16, high: 400, integer: true),
        "lr": .logUniform(low: 0.001, high: 0.05, integer: false),
        "reg": .logUniform(low: 0.005, high: 0.2, integer: false),
        "epochs": .uniform(low: 1, high: Double(maxEpochs), integer: true),
    ]

    func tpeRun(seed: UInt64, budget: Int, objective: Objective, gridBest: Double) throws -> SearchRun {
        let sampler = TPESampler(spaces: Self.spaces, seed: seed)
        var observations: [SearchObservation] = []
        var best = Double.infinity
        var bestSoFar: [Double] = []
        var epochs = 0
        var within: Int?
        for index in 0..<budget {
            let parameters = sampler.suggest(index: index, observations: observations, pending: [])
            let configuration = Configuration(
                factors: parameters["factors"]!.intValue!, lr: parameters["lr"]!.doubleValue!,
                reg: parameters["reg"]!.doubleValue!, epochs: parameters["epochs"]!.intValue!)
            let value = try objective.curve(configuration).last ?? .infinity
            epochs += configuration.epochs
            observations.append(SearchObservation(parameters: parameters, loss: value.isFinite ? value : .infinity))
            best = min(best, value.isFinite ? value : .infinity)
            bestSoFar.append(best)
            if within == nil, best <= gridBest + 0.002 { within = index + 1 }
        }
        return SearchRun(seed: seed, bestSoFar: bestSoFar, epochs: epochs, trialsToWithin0002: within)
    }

    static func leg(budget: Int, runs: [SearchRun], budgets: [Int], gridBest: Double, seconds: Double) -> SearchLeg {
        var medians: [String: Double] = [:]
        for n in Set(budgets + [budget]) where runs.allSatisfy({ $0.bestSoFar.count >= n }) {
            medians[String(n)] = median(runs.map { $0.bestSoFar[n - 1] }.sorted())
        }
        return SearchLeg(
            budget: budget, runs: runs, medianBest: medians, medianGapToGridAtBudget: medians[String(budget)].map { $0 - gridBest },
            seconds: seconds)
    }

    /// ASHA over `bases` visited in `order`, reading their 81-epoch curves epoch by epoch.
    func asha(order: [Int], name: String, curves: [[Double]], bases: [Configuration], objective: Objective) throws -> AshaRun {
        var stopper = EarlyStopper(rule: .asha(min: 1, max: Self.maxEpochs, reduction: 3), minimize: true)
        var epochs = 0
        var stopped = 0
        var best: (Int, Double)?
        for index in order {
            let id = TrialID(config: TrialConfig(model: "mf", parameters: ["i": .int(index)], seed: 1), datasetFingerprint: "bench")
            var finished = true
            for epoch in 1...Self.maxEpochs {
                epochs += 1
                if case .stop = stopper.report(trial: id, epoch: epoch, value: curves[index][epoch - 1]) {
                    finished = false
                    stopped += 1
                    break
                }
            }
            let value = curves[index][Self.maxEpochs - 1]
            if finished, best.map({ value < $0.1 }) ?? true { best = (index, value) }
        }
        let pick = bases[best!.0]
        return AshaRun(
            order: name, epochs: epochs, stopped: stopped,
            pick: Pick(configuration: pick, validationRMSE: best!.1, testRMSE: try objective.testRMSE(pick)))
    }

    // MARK: Optuna

    struct OptunaResult {
        var tpe: SearchLeg
        var sha: [AshaRun]
    }

    func optuna(python: String, bases: [Configuration], curves: [[Double]], objective: Objective, gridBest: Double)
        -> Result<OptunaResult, BenchmarkError>
    {
        do {
            let folder = try BenchmarkSupport.temporaryFolder("crossrec-search-bench")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            struct Curve: Codable {
                var factors: Int
                var lr: Double
                var reg: Double
                var validation: [Double]
            }
            let file = "\(folder)/curves.json"
            try JSONEncoder().encode(zip(bases, curves).map { Curve(factors: $0.factors, lr: $0.lr, reg: $0.reg, validation: $1) })
                .write(to: URL(fileURLWithPath: file))
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let start = ContinuousClock.now
            let budget = budgets.max() ?? 60
            let output = try Self.runPython(
                python, script: Self.optunaScript,
                arguments: [executable, data, seeds.map(String.init).joined(separator: ","), String(budget), file]
            ).get()
            let seconds = BenchmarkSupport.seconds(since: start)
            struct Raw: Codable {
                struct TPE: Codable {
                    var seed: UInt64
                    var values: [Double]
                    var epochs: Int
                }
                struct SHA: Codable {
                    var seed: UInt64
                    var epochs: Int
                    var pruned: Int
                    var factors: Int
                    var lr: Double
                    var reg: Double
                    var value: Double
                }
                var tpe: [TPE]
                var sha: [SHA]
            }
            let raw = try JSONDecoder().decode(Raw.self, from: output)
            let runs = raw.tpe.map { run -> SearchRun in
                var best = Double.infinity
                var within: Int?
                let bestSoFar = run.values.enumerated().map { offset, value -> Double in
                    best = min(best, value.isFinite ? value : .infinity)
                    if within == nil, best <= gridBest + 0.002 { within = offset + 1 }
                    return best
                }
                return SearchRun(seed: run.seed, bestSoFar: bestSoFar, epochs: run.epochs, trialsToWithin0002: within)
            }
            let sha = try raw.sha.map { run -> AshaRun in
                let pick = Configuration(factors: run.factors, lr: run.lr, reg: run.reg, epochs: Self.maxEpochs)
                return AshaRun(
                    order: "Optuna GridSampler seed \(run.seed)", epochs: run.epochs, stopped: run.pruned,
                    pick: Pick(configuration: pick, validationRMSE: run.value, testRMSE: try objective.testRMSE(pick)))
            }
            return .success(
                OptunaResult(tpe: Self.leg(budget: budget, runs: runs, budgets: budgets, gridBest: gridBest, seconds: seconds), sha: sha))
        } catch let error as BenchmarkError {
            return .failure(error)
        } catch {
            return .failure(BenchmarkError("\(error)"))
        }
    }

    static func runPython(_ python: String, script: String, arguments: [String]) -> Result<Data, BenchmarkError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return .failure(BenchmarkError("could not start \(python): \(error)")) }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(BenchmarkError("\(python) exited with status \(process.terminationStatus)"))
        }
        return .success(output)
    }

    /// Optuna's legs. TPESampler with its defaults over the same space (factors int log, lr and reg
    /// float log, epochs int 1…81), each trial answered by `crossrec-bench search-objective`; then
    /// GridSampler over the 216 configurations with SuccessiveHalvingPruner (min_resource 1,
    /// reduction_factor 3), reporting each epoch's validation RMSE from the same curves.
    static let optunaScript = #"""
        import json, subprocess, sys
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        exe, data, seeds, budget, curves_file = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")], int(sys.argv[4]), sys.argv[5]
        server = subprocess.Popen([exe, "search-objective", "--data", data], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        def curve(factors, lr, reg, epochs):
            server.stdin.write(json.dumps({"factors": factors, "lr": lr, "reg": reg, "epochs": epochs}) + "\n")
            server.stdin.flush()
            return json.loads(server.stdout.readline())["validation"]
        out = {"tpe": [], "sha": []}
        for seed in seeds:
            used = [0]
            def objective(trial):
                factors = trial.suggest_int("factors", 16, 400, log=True)
                lr = trial.suggest_float("lr", 0.001, 0.05, log=True)
                reg = trial.suggest_float("reg", 0.005, 0.2, log=True)
                epochs = trial.suggest_int("epochs", 1, 81)
                used[0] += epochs
                return curve(factors, lr, reg, epochs)[-1]
            study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(objective, n_trials=budget)
            out["tpe"].append({"seed": seed, "values": [t.value for t in study.trials], "epochs": used[0]})
            print(f"optuna tpe seed {seed}: best {study.best_value:.5f}", file=sys.stderr)
        server.stdin.close()
        server.wait()
        curves = json.load(open(curves_file))
        table = {(c["factors"], c["lr"], c["reg"]): c["validation"] for c in curves}
        space = {"factors": sorted({c["factors"] for c in curves}), "lr": sorted({c["lr"] for c in curves}), "reg": sorted({c["reg"] for c in curves})}
        for seed in seeds:
            counts = {"epochs": 0, "pruned": 0}
            def objective(trial):
                key = (trial.suggest_categorical("factors", space["factors"]), trial.suggest_categorical("lr", space["lr"]), trial.suggest_categorical("reg", space["reg"]))
                values = table[key]
                for step, value in enumerate(values, start=1):
                    trial.report(value, step)
                    if trial.should_prune():
                        counts["epochs"] += step
                        counts["pruned"] += 1
                        raise optuna.TrialPruned()
                counts["epochs"] += len(values)
                return values[-1]
            study = optuna.create_study(direction="minimize", sampler=optuna.samplers.GridSampler(space, seed=seed),
                                        pruner=optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3))
            study.optimize(objective, n_trials=len(table))
            best = study.best_trial
            out["sha"].append({"seed": seed, "epochs": counts["epochs"], "pruned": counts["pruned"], "factors": best.params["factors"],
                               "lr": best.params["lr"], "reg": best.params["reg"], "value": best.value})
        print(json.dumps(out))
        """#

    // MARK: Throughput

    func throughput() throws -> Throughput {
        let observationCount = 10_000
        let random = RandomSearch(spaces: Self.spaces, seed: 7)
        var observations: [SearchObservation] = []
        for index in 0..<observationCount {
            let parameters = random.suggest(index: index)
            let loss = pow(log10(parameters["lr"]!.doubleValue!) + 2.5, 2) + pow(log10(parameters["reg"]!.doubleValue!) + 1.5, 2)
            observations.append(SearchObservation(parameters: parameters, loss: loss))
        }
        let pending = (0..<8).map { random.suggest(index: observationCount + $0) }
        let sampler = TPESampler(spaces: Self.spaces, seed: 7)
        let count = 500
        var start = ContinuousClock.now
        var checksum = 0
        for index in 0..<count {
            checksum &+= sampler.suggest(index: observationCount + index, observations: observations, pending: pending).count
        }
        let tpeRate = Double(count) / BenchmarkSupport.seconds(since: start)
        start = ContinuousClock.now
        for index in 0..<(count * 100) { checksum &+= random.suggest(index: index).count }
        let randomRate = Double(count * 100) / BenchmarkSupport.seconds(since: start)
        precondition(checksum > 0)
        var sweep: SweepBenchmark.Run?
        if randomTrials > 0 {
            let crossrec = try BenchmarkSupport.crossrecExecutable()
            let root = try BenchmarkSupport.temporaryFolder("crossrec-search-sweep")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let bench = SweepBenchmark(noopTrials: [], workerCounts: [], compareWithOptuna: false)
            sweep = try bench.runSweep(
                crossrec, root: root, kind: "random-curve", trials: randomTrials, workers: 2,
                model: "curve: {x: {uniform: [0, 2]}, lr: {loguniform: [0.00001, 1]}, epochs: 1}", seeds: "1",
                extra: "search: {method: random, trials: \(randomTrials), seed: 1}")
            FileHandle.standardError.write(Data("random search, \(randomTrials) curve trials, 2 workers: \(Int(sweep!.trialsPerSecond)) trials/s\n".utf8))
        }
        return Throughput(
            observations: observationCount, pending: pending.count, tpeSuggestionsPerSecond: tpeRate,
            randomSuggestionsPerSecond: randomRate, randomSearchSweep: sweep)
    }

    // MARK: Helpers

    /// `body` over `items` on every core, results in order.
    static func parallel<T: Sendable, R: Sendable>(_ items: [T], _ body: @Sendable @escaping (T) throws -> R) throws -> [R] {
        let results = Results<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, Result { try body(items[index]) })
        }
        return try results.values.map { try $0!.get() }
    }

    final class Results<R: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var values: [Result<R, any Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Result<R, any Error>) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
    }

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
