import Foundation

/// Machinery overhead of `crossrec sweep run`: `noop` throughput at 1k–100k trials with 2 and 16
/// worker processes, the coordinator's peak memory, and the makespan of 64 × 50 ms `sleep`
/// trials on 2 workers against the ideal 1.6 s. Every figure is measured end to end: the
/// `crossrec sweep run` process from start (process start-up and store creation included) to
/// the printed leaderboard. With Optuna installed, the same grids are timed with Optuna's
/// GridSampler and JournalStorage (file backend) on 2 processes in the same run.
struct SweepBenchmark {
    var noopTrials: [Int]
    var workerCounts: [Int]
    var compareWithOptuna: Bool
    var compareWithRayTune = true

    struct Run: Codable {
        var kind: String
        var trials: Int
        var workers: Int
        var seconds: Double
        var trialsPerSecond: Double
        var coordinatorPeakResidentBytes: Int
        /// Coordinator resident memory at the end of the dispatch loop minus at its start, per
        /// trial: what running (not registering) the trials cost. Flat means about zero.
        var coordinatorLoopGrowthBytesPerTrial: Double?
        /// Trials per second of the coordinator's dispatch loop alone: leases, results and store
        /// writes, without process start-up, registration and the final leaderboard.
        var loopTrialsPerSecond: Double?
    }

    struct Report: Codable {
        var benchmark = "sweep-machinery"
        var buildConfiguration: String
        var noop: [Run]
        var sleep: Run
        var sleepIdealSeconds: Double
        var sleepOverheadPercent: Double
        var optuna: [String: Double]?
        /// Ray Tune, same grids, `max_concurrent_trials=2`, timed around `Tuner.fit()` only
        /// (`ray.init` excluded, which favours Ray); nil when Ray is not importable.
        var rayTune: [String: Double]?
        var targets = ["minimumNoopTrialsPerSecond": 5000.0, "maximumSleepOverheadPercent": 10.0]
    }

    func run() throws -> Report {
        let crossrec = try BenchmarkSupport.crossrecExecutable()
        let root = try BenchmarkSupport.temporaryFolder("crossrec-sweep-bench")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var noop: [Run] = []
        for workers in workerCounts {
            for trials in noopTrials {
                let run = try runSweep(crossrec, root: root, kind: "noop", trials: trials, workers: workers, model: "noop: {}")
                let growth = run.coordinatorLoopGrowthBytesPerTrial.map { String(format: ", loop growth %.0f B/trial", $0) } ?? ""
                let loop = run.loopTrialsPerSecond.map { " (dispatch loop \(Int($0))/s)" } ?? ""
                FileHandle.standardError.write(Data("noop \(trials) trials, \(workers) workers: \(Int(run.trialsPerSecond)) trials/s\(loop), coordinator peak \(run.coordinatorPeakResidentBytes >> 20) MiB\(growth)\n".utf8))
                noop.append(run)
            }
        }
        let sleep = try runSweep(crossrec, root: root, kind: "sleep", trials: 64, workers: 2, model: "sleep: {seconds: 0.05}")
        let ideal = 64 * 0.05 / 2
        FileHandle.standardError.write(Data("sleep 64 × 50 ms, 2 workers: \(String(format: "%.2f", sleep.seconds)) s (ideal \(ideal) s)\n".utf8))
        let configuration = BenchmarkSupport.buildConfiguration
        return Report(
            buildConfiguration: configuration, noop: noop, sleep: sleep, sleepIdealSeconds: ideal,
            sleepOverheadPercent: (sleep.seconds / ideal - 1) * 100, optuna: compareWithOptuna ? optuna(root: root) : nil,
            rayTune: compareWithRayTune ? rayTune(root: root) : nil)
    }

    /// One sweep of `trials` trials of `model` (seeds 1…trials make the trials distinct, unless
    /// `seeds` is given; `extra` adds top-level keys such as `search:`).
    func runSweep(
        _ crossrec: String, root: String, kind: String, trials: Int, workers: Int, model: String, seeds: String? = nil,
        extra: String = ""
    ) throws -> Run {
        let name = "\(kind)-\(trials)-\(workers)"
        let file = "\(root)/\(name).yaml"
        let seeds = seeds ?? (1...trials).map(String.init).joined(separator: ", ")
        let yaml = """
            name: \(name)
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
              \(model)
            seeds: [\(seeds)]
            timeout: 60s
            \(extra)
            """
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let stats = "\(root)/\(name).stats.json"
        let start = ContinuousClock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: crossrec)
        process.arguments = ["sweep", "run", file, "--workers", String(workers), "--store", "\(root)/\(name).sqlite", "--format", "csv", "--stats-file", stats]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        guard process.terminationStatus == 0 else { throw BenchmarkError("crossrec sweep run \(name) exited with \(process.terminationStatus)") }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        struct Stats: Codable {
            var peakResidentBytes: Int
            var loopStartResidentBytes: Int?
            var loopEndResidentBytes: Int?
            var loopSeconds: Double?
        }
        let figures = try? JSONDecoder().decode(Stats.self, from: Data(contentsOf: URL(fileURLWithPath: stats)))
        var growth: Double?
        if let start = figures?.loopStartResidentBytes, let end = figures?.loopEndResidentBytes {
            growth = Double(end - start) / Double(trials)
        }
        return Run(
            kind: kind, trials: trials, workers: workers, seconds: seconds, trialsPerSecond: Double(trials) / seconds,
            coordinatorPeakResidentBytes: figures?.peakResidentBytes ?? 0, coordinatorLoopGrowthBytesPerTrial: growth,
            loopTrialsPerSecond: figures?.loopSeconds.map { Double(trials) / $0 })
    }

    /// Ray Tune: 64 noop trials and 64 × 50 ms sleep trials as a grid over the seed, function
    /// trainables, 2 CPUs, at most 2 trials at once, actors reused (without reuse every trial
    /// starts a Python process, far slower: an unfair comparison). Prints a note and returns nil when Ray is
    /// not importable (`pip install "ray[tune]"`).
    private func rayTune(root: String) -> [String: Double]? {
        let script = #"""
            import json, os, sys, time, tempfile, logging, warnings
            warnings.filterwarnings("ignore")
            os.environ.setdefault("RAY_DEDUP_LOGS", "0")
            os.environ["TUNE_DISABLE_AUTO_CALLBACK_LOGGERS"] = "1"
            import ray
            from ray import tune
            root = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
            def noop(config):
                return {"score": 0.0}
            def sleep(config):
                time.sleep(0.05)
                return {"score": 0.0}
            RunConfig = getattr(tune, "RunConfig", None)
            if RunConfig is None:
                from ray.air import RunConfig
            def run(fn, n, name):
                start = time.perf_counter()
                tuner = tune.Tuner(fn, param_space={"seed": tune.grid_search(list(range(1, n + 1)))},
                    tune_config=tune.TuneConfig(max_concurrent_trials=2, reuse_actors=True),
                    run_config=RunConfig(name=name, storage_path=root, verbose=0))
                results = tuner.fit()
                assert len(results) == n
                return time.perf_counter() - start
            out = {}
            out["noop_64_trials_per_second"] = 64 / run(noop, 64, "noop64")
            out["sleep_64_seconds"] = run(sleep, 64, "sleep64")
            out["ray_version_major"], out["ray_version_minor"] = (float(part) for part in ray.__version__.split(".")[:2])
            print(json.dumps(out))
            """#
        FileHandle.standardError.write(Data("Ray Tune: 64 noop and 64 sleep trials (this can take minutes)…\n".utf8))
        let result = python(script, arguments: [root + "/ray"])
        if result == nil { FileHandle.standardError.write(Data("Ray Tune not measured: `import ray` failed or the run did not finish\n".utf8)) }
        return result
    }

    /// Runs a Python script and decodes the JSON object it prints last; nil on any failure.
    private func python(_ script: String, arguments: [String]) -> [String: Double]? {
        guard case .success(let output) = PythonLeg.run(script, arguments: arguments),
            let last = String(decoding: output, as: UTF8.self).split(separator: "\n").last
        else { return nil }
        return try? JSONDecoder().decode([String: Double].self, from: Data(last.utf8))
    }

    /// Optuna 64 and 512 noop trials and 64 × 50 ms sleep trials, GridSampler, JournalStorage
    /// (file), 2 processes; nil entries when Optuna is not importable.
    private func optuna(root: String) -> [String: Double]? {
        let script = #"""
            import json, multiprocessing, os, sys, time
            import optuna
            from optuna.storages import JournalStorage
            from optuna.storages.journal import JournalFileBackend
            optuna.logging.set_verbosity(optuna.logging.ERROR)
            root = sys.argv[1]
            def objective_noop(trial):
                return trial.suggest_int("seed", 1, 10**6) * 0.0
            def objective_sleep(trial):
                trial.suggest_int("seed", 1, 10**6); time.sleep(0.05); return 0.0
            def work(args):
                name, n, sleep = args
                storage = JournalStorage(JournalFileBackend(os.path.join(root, name + ".log")))
                study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.GridSampler({"seed": list(range(1, n + 1))}))
                study.optimize(objective_sleep if sleep else objective_noop, n_trials=n)
            def run(name, n, sleep):
                storage = JournalStorage(JournalFileBackend(os.path.join(root, name + ".log")))
                optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.GridSampler({"seed": list(range(1, n + 1))}))
                start = time.perf_counter()
                with multiprocessing.Pool(2) as pool:
                    pool.map(work, [(name, n, sleep)] * 2)
                return time.perf_counter() - start
            out = {}
            for n in (64, 512):
                out["noop_%d_trials_per_second" % n] = n / run("noop%d" % n, n, False)
            out["sleep_64_seconds"] = run("sleep64", 64, True)
            out["optuna_version"] = float(".".join(optuna.__version__.split(".")[:2]))
            print(json.dumps(out))
            """#
        return python(script, arguments: [root])
    }
}
