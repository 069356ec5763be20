import Foundation
import ParameterSpecs

// crossrec-bench: benchmarks that print JSON. Build with -c release for meaningful numbers.
//   crossrec-bench data [--ratings N] [--repetitions R] [--no-pandas] [--output FILE]
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("crossrec-bench: \(message)\n".utf8))
    exit(2)
}

let usage = """
    usage: crossrec-bench data [--ratings N] [--repetitions R] [--no-pandas] [--output FILE]
           crossrec-bench sweep [--trials 1000,10000,100000] [--workers 2,16] [--no-optuna] [--no-ray] [--output FILE]
           crossrec-bench models [--data ../shared/data/ml-100k] [--seeds 0,1,2,3,4] [--no-tuned] [--no-peers] [--output FILE]
           crossrec-bench topics [--mind ../shared/data/mind-sample] [--movielens ../shared/data/ml-100k]
                                 [--corpora mind,movielens] [--k 20] [--passes 10] [--seeds 0,1,…,9]
                                 [--batch-size 128] [--holdout 0.1] [--no-peers] [--output FILE]
           crossrec-bench encode-cost [--model-dir ../shared/models/all-MiniLM-L6-v2] [--workers 2] [--output FILE]
           crossrec-bench text [--words ../shared/testdata/snowball-english/voc.txt] [--repetitions 5] [--output FILE]
           crossrec-bench unified-threads --target FILE --other FILE [--threads 1,2] [--factors 128] [--iterations 10]
                                          [--other-weight 1|auto] [--output FILE]
           crossrec-bench faults [--kill-trials 30000] [--coordinator-kills 20] [--worker-kills 4]
                                 [--flood-trials 30000] [--hellos 10000] [--hello-seconds 10]
                                 [--open-connections 200] [--garbage-frames 2000000] [--seed 1] [--output FILE]
           crossrec-bench metrics [--running 10000] [--scrapes 1000] [--output FILE]
           crossrec-bench simulate [--users 1000] [--seeds 100] [--sessions 10000] [--output FILE]
           crossrec-bench dashboard [--trials 100000] [--requests 50] [--load-trials 100000] [--pairs 8]
                                    [--output FILE]
           crossrec-bench store [--commands 100000] [--batches 10,50,200,1000] [--repetitions 3] [--directory /tmp]
                                [--output FILE]
           crossrec-bench search [--data ../shared/data/ml-100k] [--seeds 1,…,10] [--python .venv-optuna/bin/python]
                                 [--random-trials 20000] [--output FILE]
           crossrec-bench ope [--seeds 100] [--impressions 5000] [--resamples 1000] [--logger-temperature 1] [--output FILE]
           crossrec-bench cold-ceiling [--users 600] [--draws 1,2,3] [--all-configurations] [--output FILE]
           crossrec-bench clusters [--users 3000] [--groups 4] [--group-spread 0.15] [--affinities 0.8,0] [--seeds 4,…,13]
                                   [--permutations 1000] [--output FILE]
           crossrec-bench encoder [--model ../shared/models/all-MiniLM-L6-v2] [--news ../shared/data/mind-sample/train/news.tsv]
                                  [--titles 2000] [--abstracts 1000] [--threads 2] [--batch 32] [--repetitions 3] [--no-peer]
                                  [--background-load N | --loads 0,1,2,3] [--output FILE]
      data   parse throughput (MB/s) and resident bytes per interaction of the MovieLens loader on
             generated files in the 100K, 1M/10M and CSV rating layouts (targets: ≥150 MB/s, ≤24 B)
      models biased MF (Surprise defaults, and tuned on validation splits of u*.base) and baseline RMSE on
             u1..u5, and the u1 implicit protocol (popularity, ALS, BPR, item-kNN, EASE) over several seeds,
             with Surprise SVD/BaselineOnly and implicit ALS measured in the same run by python3
             (--no-peers skips them): the issue #3 goal figures with fit times
      topics LDA by online variational Bayes against scikit-learn's LatentDirichletAllocation (online) in the same
             run, on the same document-term counts (Matrix Market files both read): held-out perplexity and fit time
             per seed on MIND news titles + abstracts and MovieLens titles + genres (goals: perplexity within 5 %,
             fit at least 2× faster; --no-peers skips scikit-learn)
      encoder  texts/s of the all-MiniLM-L6-v2 encoder on MIND titles and abstracts against sentence-transformers in the
             same run (2 threads, batch 32) and peak memory; --background-load N keeps N busy threads spinning
             through both legs (the "moderate load" of issue 11's figures); --loads 0,1,2,3 runs one after
             another and judges the goal at the load whose sentence-transformers speed is closest to the issue's
             39/21 texts/s (exit 1 on a miss)
      encode-cost  what the sentence encoder adds to a sweep: the quickstart's data with content trials using minilm,
             run with an empty embedding cache and again warm (goal: cold − warm under 10 s, nothing encoded warm),
             and the quickstart's movie and news catalogues encoded cold and read back warm in process
      unified-threads  fit seconds of the unified model on two linked generic files (users matched by id;
             the first file evaluated, the second the other domain) for each thread count, the speedup over the
             first count, and whether every count gives the first count's scores bit for bit
      text   words per second of the Snowball English stemmer (against Python snowballstemmer in the same
             run when importable, outputs compared), and documents per second of the text analyzer
      simulate  issue 16's simulation goals on the synthetic data: the unified model's mixed slate simulated with 100
             seeds (goal: its 95 % interval covers the exact expected CTR in at least 93), and the mixed slate against
             movies-only, news-only and news-popularity slates on the same sessions (paired differences)
      dashboard  the live dashboard over HTTP on loopback (crossrec-dashboard built beside this executable): the
             overview page of a 100,000-trial store written by a real sweep, read from the store on every request
             (goal: p95 under 200 ms), and trials/s of a noop sweep without and with one dashboard client
             refreshing every second, in alternating pairs (goal: the one-sided 95 % lower bound of the mean
             with/without ratio at least 0.95)
      store  commands per second the sweep store records (a lease and a result per trial) with
             synchronous = NORMAL and FULL (the coordinator's: survives power loss, one fsync per commit), for
             several commands per commit (medians of --repetitions runs), and the fewest per commit that keep
             5,000 trials/s; --directory on the disk where stores live (never a tmpfs)
      encoder texts per second of the BERT sentence encoder (all-MiniLM-L6-v2) on MIND titles and abstracts and
             its peak resident memory, against sentence-transformers in the same run when python3 imports it (e.g.
             PATH=/path/to/venv/bin:$PATH); token ids from an approximate WordPiece until RecText's tokenizer lands
      faults the coordinator and workers as processes under faults: coordinator kills at random moments of a
             noop sweep with immediate restarts, worker kills, a hello flood, a garbage flood and an impersonator;
             trials lost and counted twice, forged results accepted, leaderboards against clean runs, peak
             coordinator memory, the longest time without a recorded result during the floods (goals in the JSON)
      search TPE, ASHA and a grid on MF (ML-100K u1, validation RMSE on a holdout of u1.base) with Optuna's
             TPESampler and SuccessiveHalvingPruner on the same objective (--python: a python3 that imports optuna),
             suggestions/s with 10,000 observations, and random-search trials/s through `crossrec sweep run`
      ope    off-policy evaluation on synthetic logs with a known logging policy (softmax, then uniform): bias,
             RMSE, 95 % bootstrap coverage and ESS of IPS, SNIPS and DR over --seeds seeds for targets moving from the
             logging policy to a greedy one (goal at mixture 0.25: SNIPS and DR bias < 0.005, coverage ≥ 90 %)
      cold-ceiling  issue 13's cold items: on generated data's cold-items splits, NDCG@10 (and, on news, mind_auc
             over the impressions' held-out candidates) of an oracle that knows the users' true tastes, posteriors
             that know the generator but only the rows (own domain, both domains), content, popularity and two-tower
             configurations (the categories one and stop 26's choice; --all-configurations adds the default),
             paired against content per draw and across draws
      clusters  issue 16's goals: k-means on the unified model's user vectors of synthetic data with planted user
             groups, adjusted Rand index against the groups (goal: mean ≥ 0.8 and ≥ 0.8 on 80 % of the seeds at the
             default affinity) beside a Bayes oracle's, and significant genre–topic edges at affinity 0 (goal: none)
      sweep  noop trials per second through `crossrec sweep run` (1k–100k trials, 2 and 16 workers),
             coordinator peak memory, and 64 × 50 ms sleep trials on 2 workers against the ideal 1.6 s
    """

// `crossrec-bench models --help` prints the usage; it must never start a benchmark that runs for minutes.
if arguments.contains(where: { ["-h", "--help", "help"].contains($0) }) {
    print(usage)
    exit(0)
}

do {
    switch arguments.first {
    case "data":
        guard let ratings = Int(option("--ratings") ?? "1000000"), ratings > 0 else { fail("--ratings needs a positive integer") }
        guard let repetitions = Int(option("--repetitions") ?? "3"), repetitions > 0 else {
            fail("--repetitions needs a positive integer")
        }
        let benchmark = DataLoadBenchmark(ratings: ratings, repetitions: repetitions, compareWithPandas: !arguments.contains("--no-pandas"))
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let report = try benchmark.run(executable: executable)
        try BenchmarkSupport.emit(report, output: option("--output"))
    case "sweep":
        let trials = (option("--trials") ?? "1000,10000,100000").split(separator: ",").compactMap { Int($0) }
        let workers = (option("--workers") ?? "2,16").split(separator: ",").compactMap { Int($0) }
        var benchmark = SweepBenchmark(noopTrials: trials, workerCounts: workers, compareWithOptuna: !arguments.contains("--no-optuna"))
        benchmark.compareWithRayTune = !arguments.contains("--no-ray")
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
    case "models":
        let folder = option("--data") ?? "../shared/data/ml-100k"
        guard FileManager.default.fileExists(atPath: folder + "/u1.base") else {
            fail("\(folder): MovieLens 100K not found (pass --data, or fetch it with `crossrec data fetch ml-100k`)")
        }
        let seedTexts = (option("--seeds") ?? "0,1,2,3,4").split(separator: ",")
        let seeds = seedTexts.compactMap { UInt64($0) }
        guard !seeds.isEmpty, seeds.count == seedTexts.count else {
            fail("--seeds needs a comma-separated list of non-negative integers, got '\(option("--seeds") ?? "")'")
        }
        let benchmark = ModelBenchmark(
            folder: folder, seeds: seeds, includeTuned: !arguments.contains("--no-tuned"),
            includePeers: !arguments.contains("--no-peers"))
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
    case "topics":
        func positive(_ name: String, _ fallback: Int) -> Int {
            guard let value = Int(option(name) ?? String(fallback)), value > 0 else {
                fail("\(name) needs a positive integer")
            }
            return value
        }
        let seedTexts = (option("--seeds") ?? "0,1,2,3,4,5,6,7,8,9").split(separator: ",")
        let seeds = seedTexts.compactMap { UInt64($0) }
        guard !seeds.isEmpty, seeds.count == seedTexts.count else {
            fail("--seeds needs a comma-separated list of non-negative integers, got '\(option("--seeds") ?? "")'")
        }
        let corpora = (option("--corpora") ?? "mind,movielens").split(separator: ",").map(String.init)
        guard !corpora.isEmpty, corpora.allSatisfy({ ["mind", "movielens"].contains($0) }) else {
            fail("--corpora needs a comma-separated list of mind, movielens")
        }
        guard let holdout = Double(option("--holdout") ?? "0.1"), holdout > 0, holdout < 1 else {
            fail("--holdout needs a fraction in (0, 1)")
        }
        let benchmark = TopicsBenchmark(
            mindFolder: option("--mind") ?? "../shared/data/mind-sample",
            movieLensFolder: option("--movielens") ?? "../shared/data/ml-100k", corpora: corpora,
            topics: positive("--k", 20), passes: positive("--passes", 10), seeds: seeds,
            batchSize: positive("--batch-size", 128), heldOutFraction: holdout,
            includePeers: !arguments.contains("--no-peers"))
        try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
    case "encode-cost":
        let model = option("--model-dir") ?? "../shared/models/all-MiniLM-L6-v2"
        guard let workers = Int(option("--workers") ?? "2"), workers > 0 else { fail("--workers needs a positive integer") }
        try BenchmarkSupport.emit(
            try EncodeCostBenchmark(modelDirectory: model, workers: workers).run(), output: option("--output"))
    case "unified-threads":
        guard let target = option("--target"), let other = option("--other") else {
            fail("unified-threads needs --target FILE and --other FILE")
        }
        let threadTexts = (option("--threads") ?? "1,2").split(separator: ",")
        let threads = threadTexts.compactMap { Int($0) }.filter { $0 > 0 }
        guard !threads.isEmpty, threads.count == threadTexts.count else { fail("--threads needs positive integers") }
        guard let factors = Int(option("--factors") ?? "128"), factors > 0,
            let iterations = Int(option("--iterations") ?? "10"), iterations > 0,
            case let weight = option("--other-weight") ?? "1", weight == "auto" || (Double(weight) ?? -1) >= 0
        else { fail("--factors and --iterations need positive integers, --other-weight a number ≥ 0 or auto") }
        let benchmark = UnifiedThreadsBenchmark(
            target: target, other: other, threads: threads, factors: factors, iterations: iterations, otherWeight: weight)
        try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
    case "text":
        guard let repetitions = Int(option("--repetitions") ?? "5"), repetitions > 0 else {
            fail("--repetitions needs a positive integer")
        }
        let benchmark = TextBenchmark(
            wordFile: option("--words") ?? "../shared/testdata/snowball-english/voc.txt", repetitions: repetitions)
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
    case "faults":
        func count(_ name: String, _ fallback: Int) -> Int {
            guard let value = Int(option(name) ?? String(fallback)), value >= 0 else { fail("\(name) needs a non-negative integer") }
            return value
        }
        var benchmark = FaultBenchmark()
        benchmark.killTrials = max(100, count("--kill-trials", benchmark.killTrials))
        benchmark.coordinatorKills = count("--coordinator-kills", benchmark.coordinatorKills)
        benchmark.workerKills = count("--worker-kills", benchmark.workerKills)
        benchmark.floodTrials = max(100, count("--flood-trials", benchmark.floodTrials))
        benchmark.hellos = count("--hellos", benchmark.hellos)
        benchmark.garbageFrames = count("--garbage-frames", benchmark.garbageFrames)
        benchmark.helloConnectionsOpen = max(1, count("--open-connections", benchmark.helloConnectionsOpen))
        benchmark.seed = UInt64(count("--seed", Int(benchmark.seed)))
        guard let seconds = Double(option("--hello-seconds") ?? "10"), seconds > 0 else { fail("--hello-seconds needs a positive number") }
        benchmark.helloSeconds = seconds
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
        if !report.goalsMet { exit(1) }
    case "cold-ceiling":
        let draws = (option("--draws") ?? "1,2,3").split(separator: ",").compactMap { UInt64($0) }
        guard let users = Int(option("--users") ?? "600"), users >= 100, !draws.isEmpty else {
            fail("--users needs ≥ 100 and --draws a comma-separated list of split seeds")
        }
        let tfidf: [String: ParameterValue] = ["text": .string("tfidf")]
        let categories: [String: ParameterValue] = [
            "text": .string("none"), "rating_weight": .double(1), "id_dropout": .double(1),
        ]
        // Stop 26's choice (rules in docs/twotower.md): the categories configuration with one
        // shrunk profile per domain, trained long enough (patience 15, at most 80 epochs).
        var domainPooling = categories
        domainPooling["pooling"] = .string("domains")
        domainPooling["patience"] = .int(15)
        domainPooling["epochs"] = .int(80)
        let configurations: [String: [String: ParameterValue]] =
            arguments.contains("--all-configurations")
            ? [
                "twotower (default)": tfidf, "twotower (categories: text none, rating 1, ids withheld)": categories,
                "twotower (categories, pooling domains, patience 15)": domainPooling,
            ]
            : [
                "twotower (categories: text none, rating 1, ids withheld)": categories,
                "twotower (categories, pooling domains, patience 15)": domainPooling,
            ]
        let benchmark = ColdItemCeilingBenchmark(users: users, draws: draws, twoTowerConfigurations: configurations)
        try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
    case "clusters":
        func list<T>(_ name: String, _ fallback: String, _ parse: (Substring) -> T?) -> [T] {
            let texts = (option(name) ?? fallback).split(separator: ",")
            let values = texts.compactMap(parse)
            guard !values.isEmpty, values.count == texts.count else { fail("\(name) needs a comma-separated list, got '\(option(name) ?? "")'") }
            return values
        }
        guard let users = Int(option("--users") ?? "3000"), users >= 100, let groups = Int(option("--groups") ?? "4"),
            (2...10).contains(groups), let spread = Double(option("--group-spread") ?? "0.15"), (0...1).contains(spread),
            let permutations = Int(option("--permutations") ?? "1000"), permutations >= 1
        else { fail("--users needs ≥ 100, --groups 2…10, --group-spread 0…1, --permutations ≥ 1") }
        let benchmark = ClustersBenchmark(
            users: users, groups: groups, groupSpread: spread,
            affinities: list("--affinities", "0.8,0") { Double($0).flatMap { (0...1).contains($0) ? $0 : nil } },
            seeds: list("--seeds", "4,5,6,7,8,9,10,11,12,13") { UInt64($0) }, permutations: permutations)
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
        if !(report.goalARIMet && report.goalNoEdgeAtZeroMet) { exit(1) }
    case "metrics":
        guard let running = Int(option("--running") ?? "10000"), running >= 0,
            let scrapes = Int(option("--scrapes") ?? "1000"), scrapes >= 1
        else { fail("--running and --scrapes need non-negative integers (scrapes ≥ 1)") }
        try BenchmarkSupport.emit(try MetricsBenchmark(running: running, scrapes: scrapes).run(), output: option("--output"))
    case "simulate":
        guard let users = Int(option("--users") ?? "1000"), users >= 10, let seeds = Int(option("--seeds") ?? "100"), seeds >= 1,
            let sessions = Int(option("--sessions") ?? "10000"), sessions >= 100
        else { fail("--users ≥ 10, --seeds ≥ 1 and --sessions ≥ 100 need integers") }
        let report = try SimulationBenchmark(users: users, seeds: seeds, sessions: sessions).run()
        try BenchmarkSupport.emit(report, output: option("--output"))
        if !report.calibrationGoalMet { exit(1) }
    case "dashboard":
        guard let trials = Int(option("--trials") ?? "100000"), trials >= 2, let requests = Int(option("--requests") ?? "50"), requests >= 1,
            let loadTrials = Int(option("--load-trials") ?? "100000"), loadTrials >= 1, let pairs = Int(option("--pairs") ?? "8"),
            pairs >= 2
        else { fail("--trials ≥ 2, --requests and --load-trials ≥ 1, --pairs ≥ 2 need integers") }
        let report = try DashboardBenchmark(
            trials: trials, requests: requests, loadTrials: loadTrials, pairs: pairs
        ).run()
        try BenchmarkSupport.emit(report, output: option("--output"))
        if !(report.overviewGoalMet && report.loadGoalMet) { exit(1) }
    case "store":
        guard let commands = Int(option("--commands") ?? "100000"), commands >= 2 else {
            fail("--commands needs an integer ≥ 2")
        }
        let batchTexts = (option("--batches") ?? "10,50,200,1000").split(separator: ",")
        let batches = batchTexts.compactMap { Int($0) }
        guard !batches.isEmpty, batches.count == batchTexts.count, batches.allSatisfy({ $0 >= 2 && $0 % 2 == 0 }) else {
            fail("--batches needs a comma-separated list of even integers ≥ 2 (commands per commit, 2 per trial)")
        }
        guard let repetitions = Int(option("--repetitions") ?? "3"), repetitions > 0 else {
            fail("--repetitions needs a positive integer")
        }
        let benchmark = StoreDurabilityBenchmark(
            commands: commands, batchCommands: batches, directory: option("--directory") ?? NSTemporaryDirectory(),
            repetitions: repetitions)
        try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
    case "encoder":
        func positive(_ name: String, _ fallback: Int) -> Int {
            guard let value = Int(option(name) ?? String(fallback)), value > 0 else { fail("\(name) needs a positive integer") }
            return value
        }
        var benchmark = EncoderBenchmark(
            modelDirectory: option("--model") ?? "../shared/models/all-MiniLM-L6-v2",
            newsFile: option("--news") ?? "../shared/data/mind-sample/train/news.tsv",
            referenceFile: "../shared/testdata/minilm-reference/reference.jsonl")
        benchmark.titles = positive("--titles", benchmark.titles)
        benchmark.abstracts = positive("--abstracts", benchmark.abstracts)
        benchmark.threads = positive("--threads", benchmark.threads)
        benchmark.batchSize = positive("--batch", benchmark.batchSize)
        benchmark.repetitions = positive("--repetitions", benchmark.repetitions)
        benchmark.includePeer = !arguments.contains("--no-peer")
        if let load = option("--background-load") {
            guard let threads = Int(load), threads >= 0 else { fail("--background-load needs a number of threads") }
            benchmark.backgroundLoad = threads
        }
        if let list = option("--loads") {
            guard option("--background-load") == nil else { fail("--loads and --background-load exclude each other") }
            let loads = list.split(separator: ",").compactMap { Int($0) }
            guard !loads.isEmpty, loads.count == list.split(separator: ",").count, loads.allSatisfy({ $0 >= 0 }) else {
                fail("--loads needs busy-thread counts, e.g. 0,1,2,3")
            }
            let report = try EncoderLoadBenchmark(base: benchmark, loads: loads).run {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
            try BenchmarkSupport.emit(report, output: option("--output"))
            if report.goalsMet == false { exit(1) }
        } else {
            try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
        }
    case "search":
        let seedTexts = (option("--seeds") ?? "1,2,3,4,5,6,7,8,9,10").split(separator: ",")
        let seeds = seedTexts.compactMap { UInt64($0) }
        guard !seeds.isEmpty, seeds.count == seedTexts.count else { fail("--seeds needs non-negative integers") }
        guard let randomTrials = Int(option("--random-trials") ?? "20000"), randomTrials >= 0 else {
            fail("--random-trials needs a number of trials (0 skips the random-search sweep)")
        }
        var benchmark = SearchBenchmark(data: option("--data") ?? "../shared/data/ml-100k", seeds: seeds, python: option("--python"))
        benchmark.randomTrials = randomTrials
        try BenchmarkSupport.emit(try benchmark.run(), output: option("--output"))
    case "ope":
        guard let seeds = Int(option("--seeds") ?? "100"), seeds >= 2,
            let impressions = Int(option("--impressions") ?? "5000"), impressions >= 10,
            let resamples = Int(option("--resamples") ?? "1000"), resamples >= 100
        else { fail("--seeds ≥ 2, --impressions ≥ 10 and --resamples ≥ 100 need integers") }
        var benchmark = OffPolicyBenchmark(seeds: (1...seeds).map { UInt64($0) }, impressions: impressions, resamples: resamples)
        if let text = option("--logger-temperature") {
            guard let temperature = Double(text), temperature.isFinite, temperature > 0 else {
                fail("--logger-temperature needs a number > 0")
            }
            benchmark.loggerTemperature = temperature
        }
        let report = try benchmark.run()
        try BenchmarkSupport.emit(report, output: option("--output"))
        if !report.goalsMet { exit(1) }
    case "search-objective":
        try SearchBenchmark.serve(data: option("--data") ?? "../shared/data/ml-100k")
    case "_load-child":
        guard arguments.count >= 3, let repetitions = Int(arguments[2]) else { fail("_load-child FOLDER REPETITIONS") }
        try DataLoadBenchmark.loadChild(folder: arguments[1], repetitions: repetitions)
    case "-h", "--help", "help", nil:
        print(usage)
    default:
        fail("unknown benchmark '\(arguments[0])'\n\(usage)")
    }
} catch {
    fail("\(error)")
}
