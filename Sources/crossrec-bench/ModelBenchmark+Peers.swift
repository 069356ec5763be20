import Foundation

/// The peer libraries measured in the same run as crossrec: a Python leg (``peerScript``) run
/// with `python3`, which prints one JSON object. Surprise's and implicit's imports are tried
/// separately: a library that does not import is reported as null with a note, and a failing
/// `python3` leaves the whole peer block null.
extension ModelBenchmark {
    struct ProtocolCheck: Codable {
        struct Figures: Codable { var precisionAt10: Double; var recallAt10: Double; var ndcgAt10: Double }
        var usersEvaluated: Int
        var testPositives: Int
        var testPositivesDropped: Int
        var users: Int
        var items: Int
        /// Popularity (training counts) scored by the Python protocol code: must equal crossrec's.
        var popularity: Figures
    }

    /// What the script prints.
    struct RawPeers: Decodable {
        struct SeedFolds: Decodable { var seed: UInt64; var folds: [RatingFold] }
        struct Surprise: Decodable { var version: String; var svd: [SeedFolds]; var baselineOnly: [RatingFold] }
        struct Implicit: Decodable {
            var version: String
            var defaultThreads: Int
            var alsOneThread: [RankingRun]
            var alsDefaultThreads: [RankingRun]
            var alsAlpha2OneThread: [RankingRun]
        }
        var python: String
        var notes: [String]
        var surprise: Surprise?
        var implicit: Implicit?
        var protocolCheck: ProtocolCheck
    }

    struct SurprisePeer: Codable {
        var version: String
        var svd: RatingSummary
        var baselineOnly: RatingSummary
    }

    struct ImplicitPeer: Codable {
        var version: String
        var alsOneThread: RankingSummary
        var alsDefaultThreads: RankingSummary
        var alsAlpha2OneThread: RankingSummary
    }

    struct PeerReport: Encodable {
        var python: String
        var surprise: SurprisePeer?
        var implicit: ImplicitPeer?
        var protocolCheck: ProtocolCheck

        enum CodingKeys: String, CodingKey { case python, surprise, implicit, protocolCheck }

        /// Writes a library that was not measured as JSON null.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(python, forKey: .python)
            try container.encode(surprise, forKey: .surprise)
            try container.encode(implicit, forKey: .implicit)
            try container.encode(protocolCheck, forKey: .protocolCheck)
        }
    }

    /// Runs the Python leg on `folder` over `seeds`; nil and a note when python3 fails. Its
    /// progress lines go to stderr as they come.
    func measurePeers(usersEvaluated: Int) -> (PeerReport?, [String]) {
        let arguments = String(
            decoding: try! JSONEncoder().encode(PeerArguments(folder: folder, seeds: seeds)), as: UTF8.self)
        // implicit's advice: OpenBLAS's own thread pool off, so num_threads alone sets the threads.
        let output: Data
        switch PythonLeg.run(
            Self.peerScript, arguments: [arguments], environment: ["OPENBLAS_NUM_THREADS": "1"], showErrors: true)
        {
        case .success(let data): output = data
        case .failure(let error): return (nil, ["peers not measured: the python3 peer leg failed: \(error) (its stderr is above)"])
        }
        let raw: RawPeers
        do { raw = try JSONDecoder().decode(RawPeers.self, from: output) } catch {
            return (nil, ["peers not measured: unreadable output of the python3 peer leg: \(error)"])
        }
        var notes = raw.notes
        if raw.protocolCheck.usersEvaluated != usersEvaluated {
            notes.append(
                "protocol mismatch: the Python leg evaluates \(raw.protocolCheck.usersEvaluated) users, crossrec \(usersEvaluated)"
            )
        }
        let surprise = raw.surprise.map { s in
            SurprisePeer(
                version: s.version,
                svd: RatingSummary(
                    model: "Surprise SVD", parameters: Self.surpriseSVDParameters,
                    runs: s.svd.map { RatingRun(seed: $0.seed, folds: $0.folds) }),
                baselineOnly: RatingSummary(
                    model: "Surprise BaselineOnly",
                    parameters: ["method": "als", "reg_u": "15", "reg_i": "10", "n_epochs": "10"],
                    runs: [RatingRun(seed: 0, folds: s.baselineOnly)]))
        }
        let implicit = raw.implicit.map { i in
            let parameters = ["factors": "64", "iterations": "15", "regularization": "0.01", "cg_steps": "3"]
            func summary(_ runs: [RankingRun], alpha: String, threads: String, note: String) -> RankingSummary {
                Self.rankingSummary(
                    "implicit ALS", note: note,
                    parameters: parameters.merging(["alpha": alpha, "num_threads": threads]) { $1 },
                    usersEvaluated: raw.protocolCheck.usersEvaluated, runs: runs)
            }
            return ImplicitPeer(
                version: i.version,
                alsOneThread: summary(
                    i.alsOneThread, alpha: "1", threads: "1",
                    note: "implicit's defaults: confidence c = alpha·r = 1 on every positive; factors U[0, 0.01)"),
                alsDefaultThreads: summary(
                    i.alsDefaultThreads, alpha: "1", threads: "0 (= \(i.defaultThreads) cores)",
                    note: "as alsOneThread with implicit's default thread count"),
                alsAlpha2OneThread: summary(
                    i.alsAlpha2OneThread, alpha: "2", threads: "1",
                    note: "c = 2 on every positive: the same objective as crossrec's alpha 1 (c = 1 + alpha·r)"))
        }
        return (
            PeerReport(python: raw.python, surprise: surprise, implicit: implicit, protocolCheck: raw.protocolCheck),
            notes
        )
    }

    struct PeerArguments: Encodable { var folder: String; var seeds: [UInt64] }

    static let surpriseSVDParameters = [
        "n_factors": "100", "n_epochs": "20", "lr_all": "0.005", "reg_all": "0.02", "init_std_dev": "0.1",
    ]

    /// The Python leg. argv[1] is `{"folder": …, "seeds": […]}`; prints one JSON object (``RawPeers``).
    static let peerScript = #"""
        import json, os, sys, time
        import numpy as np

        config = json.loads(sys.argv[1])
        folder, seeds = config["folder"], config["seeds"]
        report = {"python": sys.version.split()[0], "notes": [], "surprise": None, "implicit": None, "protocolCheck": None}


        def log(message):
            print("peers: " + message, file=sys.stderr, flush=True)


        def read(name):
            return np.loadtxt(os.path.join(folder, name), dtype=np.int64, delimiter="\t", usecols=(0, 1, 2))


        try:
            import surprise
            from surprise import SVD, BaselineOnly, Dataset, Reader, accuracy
            from surprise.model_selection import PredefinedKFold
        except Exception as error:
            report["notes"].append("Surprise not measured: import failed: %r" % (error,))
        else:
            files = [(os.path.join(folder, "u%d.base" % k), os.path.join(folder, "u%d.test" % k)) for k in range(1, 6)]
            splits = list(PredefinedKFold().split(Dataset.load_from_folds(files, reader=Reader("ml-100k"))))

            def folds(make, label):
                rows = []
                for k, (train, test) in enumerate(splits):
                    algorithm = make()
                    start = time.perf_counter()
                    algorithm.fit(train)
                    seconds = time.perf_counter() - start
                    predictions = algorithm.test(test)
                    rows.append({"fold": "u%d" % (k + 1), "rmse": accuracy.rmse(predictions, verbose=False),
                                 "mae": accuracy.mae(predictions, verbose=False), "fitSeconds": seconds})
                    log("%s u%d: RMSE %.4f, fit %.3f s" % (label, k + 1, rows[-1]["rmse"], seconds))
                return rows

            svd = []
            for seed in seeds:
                make = lambda: SVD(n_factors=100, n_epochs=20, lr_all=0.005, reg_all=0.02, init_std_dev=0.1, random_state=seed)
                svd.append({"seed": seed, "folds": folds(make, "Surprise SVD seed %d" % seed)})
            baseline = folds(lambda: BaselineOnly(verbose=False), "Surprise BaselineOnly")
            report["surprise"] = {"version": surprise.__version__, "svd": svd, "baselineOnly": baseline}

        # The u1 implicit protocol of issue #3, written independently of crossrec.
        base, test = read("u1.base"), read("u1.test")
        everything = read("u.data")
        users, items = int(everything[:, 0].max()), int(everything[:, 1].max())
        positives = {}
        for u, i, _ in base:
            positives.setdefault(u - 1, set()).add(i - 1)
        trained = np.zeros(items, dtype=bool)
        trained[base[:, 1] - 1] = True  # candidates: items with at least one u1.base rating
        relevant, dropped, test_positives = {}, 0, 0
        for u, i, r in test:
            if r < 4:
                continue
            test_positives += 1
            if not trained[i - 1] or (i - 1) in positives.get(u - 1, ()):
                dropped += 1
                continue
            relevant.setdefault(u - 1, set()).add(i - 1)
        evaluated = sorted(relevant)
        discounts = 1 / np.log2(np.arange(2, 12))


        def top10(scores, user):
            scores = np.asarray(scores, dtype=np.float64).copy()
            scores[~trained] = -np.inf
            scores[list(positives.get(user, ()))] = -np.inf
            return np.argsort(-scores, kind="stable")[:10]  # stable: ties go to the smaller item index


        def evaluate(score):
            precision = recall = ndcg = 0.0
            for user in evaluated:
                wanted = relevant[user]
                hits = np.array([item in wanted for item in top10(score(user), user)], dtype=np.float64)
                precision += hits.sum() / 10
                recall += hits.sum() / len(wanted)
                ndcg += (hits * discounts).sum() / discounts[: min(len(wanted), 10)].sum()
            n = len(evaluated)
            return {"precisionAt10": precision / n, "recallAt10": recall / n, "ndcgAt10": ndcg / n}


        protocol = {"usersEvaluated": len(evaluated), "testPositives": test_positives, "testPositivesDropped": dropped,
                    "users": users, "items": items}
        counts = np.bincount(base[:, 1] - 1, minlength=items).astype(np.float64)
        protocol["popularity"] = evaluate(lambda user: counts)
        report["protocolCheck"] = protocol
        log("u1 implicit protocol: %d users evaluated, %d of %d test positives dropped; popularity NDCG@10 %.4f"
            % (len(evaluated), dropped, test_positives, protocol["popularity"]["ndcgAt10"]))

        try:
            import implicit
            import scipy.sparse
            from implicit.cpu.als import AlternatingLeastSquares
        except Exception as error:
            report["notes"].append("implicit not measured: import failed: %r" % (error,))
        else:
            matrix = scipy.sparse.csr_matrix(
                (np.ones(len(base), dtype=np.float32), (base[:, 0] - 1, base[:, 1] - 1)), shape=(users, items))
            matrix.sum_duplicates()
            matrix.data[:] = 1

            def als(alpha, threads, label):
                rows = []
                for seed in seeds:
                    model = AlternatingLeastSquares(factors=64, iterations=15, regularization=0.01, alpha=alpha,
                                                    num_threads=threads, random_state=seed)
                    start = time.perf_counter()
                    model.fit(matrix, show_progress=False)
                    seconds = time.perf_counter() - start
                    x, y = np.asarray(model.user_factors), np.asarray(model.item_factors)
                    row = {"seed": seed, "fitSeconds": seconds}
                    row.update(evaluate(lambda user: y @ x[user]))
                    rows.append(row)
                    log("%s seed %d: NDCG@10 %.4f, fit %.3f s" % (label, seed, row["ndcgAt10"], seconds))
                return rows

            report["implicit"] = {
                "version": implicit.__version__,
                "alsOneThread": als(1.0, 1, "implicit ALS, 1 thread"),
                "alsDefaultThreads": als(1.0, 0, "implicit ALS, num_threads=0 (%d cores)" % os.cpu_count()),
                "alsAlpha2OneThread": als(2.0, 1, "implicit ALS alpha=2, 1 thread"),
                "defaultThreads": os.cpu_count(),
            }
        print(json.dumps(report))
        """#
}
