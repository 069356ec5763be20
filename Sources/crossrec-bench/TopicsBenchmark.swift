import Foundation
import RecData
import RecText

/// LDA by online variational Bayes, crossrec against scikit-learn's `LatentDirichletAllocation`
/// side by side, on the same document-term counts: crossrec builds them (``TextAnalyzer``,
/// numbers dropped; terms in ≥ 2 and ≤ 50 % of the documents), shuffles the documents with a fixed
/// seed, holds out `heldOutFraction`, and writes both parts as Matrix Market files that both sides
/// read (crossrec parses them back, Python with `scipy.io.mmread`). Both fit with the same K,
/// passes, batch size, τ0, κ, α = η = 1/K, E-step limits, on one thread, for each seed; fit time
/// is wall time of `fit` (which ends, on both sides, with the E-step and perplexity of the training
/// documents), perplexity is scikit-learn's `perplexity` on the held-out documents. The Python leg
/// also scores crossrec's fitted λ (first seed) with scikit-learn's own `perplexity`, which checks
/// that the two perplexity figures are the same function.
///
/// Corpora: `mind`, titles + abstracts of the MIND sample's news (train and dev pooled), and
/// `movielens`, MovieLens 100K titles + genres. A corpus whose folder is absent is reported as
/// not measured.
struct TopicsBenchmark {
    var mindFolder: String
    var movieLensFolder: String
    var corpora: [String]
    var topics: Int
    var passes: Int
    var seeds: [UInt64]
    var batchSize: Int
    var heldOutFraction: Double
    var includePeers: Bool

    struct Settings: Codable {
        var topics: Int
        var passes: Int
        var batchSize: Int
        var learningOffset: Double
        var learningDecay: Double
        var documentTopicPrior: Double
        var topicWordPrior: Double
        var maximumDocumentIterations: Int
        var meanChangeTolerance: Double
        var heldOutFraction: Double
        var seeds: [UInt64]
    }

    struct Side: Codable {
        var fitSeconds: [Double]
        var medianFitSeconds: Double
        /// scikit-learn's `perplexity(test)`, per seed.
        var heldOutPerplexity: [Double]
        var meanHeldOutPerplexity: Double
        /// The same bound without the topics' term E[log p(β|η) − log q(β|λ)], which does not
        /// scale with the held-out words and dominates the figure above on a small held-out set.
        var heldOutDocumentPerplexity: [Double]
        var meanHeldOutDocumentPerplexity: Double
        /// Perplexity of the training documents at the end of `fit` (scikit-learn's `bound_`).
        var trainingPerplexity: [Double]
    }

    struct CrossCheck: Codable {
        /// Held-out perplexity of crossrec's model (first seed) by crossrec.
        var crossrec: Double
        /// The same model's held-out perplexity by scikit-learn's `perplexity` (λ loaded as `components_`).
        var scikitLearn: Double
        var relativeDifference: Double
    }

    /// Both sides fit from the same λ (seeded uniform draws in [0.9, 1.1)) with every E-step
    /// starting from γ = 1, so no random number is drawn: the same algorithm must give the same λ,
    /// up to scikit-learn's less precise digamma (its error is about 3e-9).
    struct Replay: Codable {
        /// max over (k, w) of |λ_crossrec / λ_scikit-learn − 1| after all passes.
        var maximumRelativeDifference: Double
        var crossrecHeldOutPerplexity: Double
        var scikitLearnHeldOutPerplexity: Double
    }

    struct Corpus: Codable {
        var name: String
        var source: String
        var documents: Int
        var trainingDocuments: Int
        var heldOutDocuments: Int
        var vocabulary: Int
        var trainingTokens: Int
        var heldOutTokens: Int
        var crossrec: Side
        var scikitLearn: Side?
        /// crossrec's mean held-out perplexity / scikit-learn's (goal: within 5 %).
        var perplexityRatio: Double?
        /// The same ratio for the bound without the topics' term.
        var documentPerplexityRatio: Double?
        /// Welch's t of the two sides' mean held-out perplexities over the seeds: (mean_crossrec −
        /// mean_scikit-learn) / √(s²_c/n + s²_s/n). Seeds draw different random numbers on the two
        /// sides, so |t| ≲ 2 says the gap is within the seed-to-seed spread.
        var perplexityWelchT: Double?
        var documentPerplexityWelchT: Double?
        /// scikit-learn's median fit time / crossrec's (goal: ≥ 2).
        var speedup: Double?
        var crossCheck: CrossCheck?
        var replay: Replay?
        var goalPerplexityWithin5Percent: Bool?
        var goalAtLeastTwiceAsFast: Bool?
    }

    struct Report: Codable {
        var benchmark = "topics-lda"
        var buildConfiguration: String
        var settings: Settings
        var corpora: [Corpus]
        var python: String?
        var scikitLearnVersion: String?
        var numpyVersion: String?
        var threads = "one on each side: crossrec is single-threaded; scikit-learn with n_jobs=None"
        var notes: [String]
    }

    func run() throws -> Report {
        let folder = try BenchmarkSupport.temporaryFolder("crossrec-topics-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reference = LDATrainer(topicCount: topics, passes: passes, batchSize: batchSize)
        let settings = Settings(
            topics: topics, passes: passes, batchSize: batchSize, learningOffset: reference.learningOffset,
            learningDecay: reference.learningDecay, documentTopicPrior: reference.alpha, topicWordPrior: reference.eta,
            maximumDocumentIterations: reference.maximumDocumentIterations,
            meanChangeTolerance: reference.meanChangeTolerance, heldOutFraction: heldOutFraction, seeds: seeds)
        var notes: [String] = []
        var prepared:
            [(name: String, source: String, documents: Int, train: DocumentTermMatrix, test: DocumentTermMatrix)] = []
        for corpus in corpora {
            guard let (source, texts) = try load(corpus) else {
                notes.append("\(corpus) not measured: \(corpus == "mind" ? mindFolder : movieLensFolder) is absent")
                continue
            }
            let terms = TextAnalyzer(tokenizer: Tokenizer(dropNumbers: true)).terms(of: texts)
            let counted = DocumentTermMatrix(
                documents: terms, options: .init(minimumDocumentFrequency: 2, maximumDocumentFraction: 0.5))
            var order = (0..<counted.documentCount).filter { counted.length(of: $0) > 0 }
            var random = SeededGenerator(seed: 2010)
            random.shuffle(&order)
            let heldOut = Int((Double(order.count) * heldOutFraction).rounded())
            let train = counted.rows(order[heldOut...])
            let test = counted.rows(order[..<heldOut])
            try write(train, to: "\(folder)/\(corpus)-train.mtx")
            try write(test, to: "\(folder)/\(corpus)-test.mtx")
            try (counted.vocabulary.joined(separator: "\n") + "\n").write(
                toFile: "\(folder)/\(corpus)-vocabulary.txt", atomically: true, encoding: .utf8)
            prepared.append((corpus, source, order.count, train, test))
        }

        var corpusReports: [Corpus] = []
        var replayPerplexities: [String: Double] = [:]
        for corpus in prepared {
            // crossrec reads the files it wrote, as the Python leg does.
            let vocabulary = corpus.train.vocabulary
            let train = try DocumentTermMatrix(
                matrixMarket: try String(contentsOfFile: "\(folder)/\(corpus.name)-train.mtx", encoding: .utf8),
                vocabulary: vocabulary, source: "\(corpus.name)-train.mtx")
            let test = try DocumentTermMatrix(
                matrixMarket: try String(contentsOfFile: "\(folder)/\(corpus.name)-test.mtx", encoding: .utf8),
                vocabulary: vocabulary, source: "\(corpus.name)-test.mtx")
            precondition(train == corpus.train && test == corpus.test, "the Matrix Market files do not read back")
            var fitSeconds: [Double] = []
            var perplexities: [Double] = []
            var documentPerplexities: [Double] = []
            var training: [Double] = []
            for seed in seeds {
                var trainer = reference
                trainer.seed = seed
                let start = ContinuousClock.now
                let fit = try trainer.fit(train)
                fitSeconds.append(BenchmarkSupport.seconds(since: start))
                let gamma = fit.model.unnormalizedTransform(test)
                perplexities.append(fit.model.perplexity(test, gamma: gamma))
                documentPerplexities.append(fit.model.perplexity(test, gamma: gamma, includesTopicTerm: false))
                training.append(fit.trainingPerplexity)
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "crossrec %@ seed %llu: fit %.3f s, held-out perplexity %.2f\n", corpus.name, seed,
                            fitSeconds.last!, perplexities.last!
                        ).utf8))
                if seed == seeds.first { try writeLambda(fit.model, to: "\(folder)/\(corpus.name)-lambda.txt") }
            }
            // The replay: a fixed start, no random number on either side.
            var start = SeededGenerator(seed: 1)
            let initial = (0..<(vocabulary.count * topics)).map { _ in 0.9 + 0.2 * start.nextUnit() }
            var replay = reference
            replay.initialLambda = initial
            replay.drawsDocumentStarts = false
            try writeLambda(
                LDAModel(
                    vocabulary: vocabulary, topicCount: topics, lambda: initial, documentTopicPrior: reference.alpha,
                    topicWordPrior: reference.eta), to: "\(folder)/\(corpus.name)-replay-start.txt")
            let replayed = try replay.fit(train).model
            try writeLambda(replayed, to: "\(folder)/\(corpus.name)-replay-end.txt")
            replayPerplexities[corpus.name] = replayed.perplexity(test)
            corpusReports.append(
                Corpus(
                    name: corpus.name, source: corpus.source, documents: corpus.documents,
                    trainingDocuments: train.documentCount, heldOutDocuments: test.documentCount,
                    vocabulary: vocabulary.count, trainingTokens: Int(train.totalCount),
                    heldOutTokens: Int(test.totalCount),
                    crossrec: Self.side(fitSeconds, perplexities, documentPerplexities, training), scikitLearn: nil))
        }

        var report = Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, settings: settings, corpora: corpusReports,
            notes: notes)
        guard includePeers, !prepared.isEmpty else { return report }
        let arguments = PeerArguments(folder: folder, corpora: prepared.map(\.name), settings: settings)
        let json = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        let output: Data
        switch PythonLeg.run(Self.peerScript, arguments: [json], showErrors: true) {
        case .success(let data): output = data
        case .failure(let error):
            report.notes.append("scikit-learn not measured: \(error) (pip install scikit-learn; its stderr is above)")
            return report
        }
        let peers = try JSONDecoder().decode(PeerOutput.self, from: output)
        report.python = peers.python
        report.scikitLearnVersion = peers.sklearn
        report.numpyVersion = peers.numpy
        for (index, corpus) in report.corpora.enumerated() {
            guard let peer = peers.corpora[corpus.name] else { continue }
            let side = Self.side(
                peer.fitSeconds, peer.heldOutPerplexity, peer.heldOutDocumentPerplexity, peer.trainingPerplexity)
            var updated = corpus
            updated.scikitLearn = side
            updated.perplexityRatio = corpus.crossrec.meanHeldOutPerplexity / side.meanHeldOutPerplexity
            updated.documentPerplexityRatio =
                corpus.crossrec.meanHeldOutDocumentPerplexity / side.meanHeldOutDocumentPerplexity
            updated.speedup = side.medianFitSeconds / corpus.crossrec.medianFitSeconds
            updated.perplexityWelchT = Self.welchT(corpus.crossrec.heldOutPerplexity, side.heldOutPerplexity)
            updated.documentPerplexityWelchT = Self.welchT(
                corpus.crossrec.heldOutDocumentPerplexity, side.heldOutDocumentPerplexity)
            updated.crossCheck = CrossCheck(
                crossrec: corpus.crossrec.heldOutPerplexity[0], scikitLearn: peer.perplexityOfCrossrecModel,
                relativeDifference: abs(corpus.crossrec.heldOutPerplexity[0] / peer.perplexityOfCrossrecModel - 1))
            updated.replay = Replay(
                maximumRelativeDifference: peer.replayMaximumRelativeDifference,
                crossrecHeldOutPerplexity: replayPerplexities[corpus.name]!,
                scikitLearnHeldOutPerplexity: peer.replayHeldOutPerplexity)
            updated.goalPerplexityWithin5Percent = abs(updated.perplexityRatio! - 1) <= 0.05
            updated.goalAtLeastTwiceAsFast = updated.speedup! >= 2
            report.corpora[index] = updated
        }
        return report
    }

    static func side(_ seconds: [Double], _ heldOut: [Double], _ documentsOnly: [Double], _ training: [Double]) -> Side
    {
        let sorted = seconds.sorted()
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return Side(
            fitSeconds: seconds, medianFitSeconds: median, heldOutPerplexity: heldOut,
            meanHeldOutPerplexity: heldOut.reduce(0, +) / Double(heldOut.count),
            heldOutDocumentPerplexity: documentsOnly,
            meanHeldOutDocumentPerplexity: documentsOnly.reduce(0, +) / Double(documentsOnly.count),
            trainingPerplexity: training)
    }

    /// (mean a − mean b) / √(var a / n_a + var b / n_b), sample variances; nil with fewer than 2 values a side.
    static func welchT(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            return (mean, x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1))
        }
        let (ma, va) = moments(a)
        let (mb, vb) = moments(b)
        let error = (va / Double(a.count) + vb / Double(b.count)).squareRoot()
        return error > 0 ? (ma - mb) / error : nil
    }

    /// The source description and one text per item with a catalog row; nil when the folder is absent.
    func load(_ corpus: String) throws -> (String, [String])? {
        switch corpus {
        case "mind":
            guard FileManager.default.fileExists(atPath: mindFolder) else { return nil }
            let dataset = try DatasetLocator().open(path: mindFolder).dataset
            let texts = dataset.domains.flatMap { domain in
                domain.catalog.records.compactMap { record in
                    record.map { [$0.title, $0.abstract ?? ""].joined(separator: " ") }
                }
            }
            return ("\(mindFolder): news titles + abstracts", texts)
        case "movielens":
            guard FileManager.default.fileExists(atPath: movieLensFolder) else { return nil }
            let dataset = try DatasetLocator().open(path: movieLensFolder).dataset
            let texts = dataset.domains.flatMap { domain in
                domain.catalog.records.compactMap { record in
                    record.map {
                        ([$0.title] + $0.categories.map { domain.catalog.categories[Int($0)] }).joined(separator: " ")
                    }
                }
            }
            return ("\(movieLensFolder): movie titles + genres", texts)
        default:
            throw BenchmarkError("unknown corpus '\(corpus)': use mind, movielens")
        }
    }

    func write(_ matrix: DocumentTermMatrix, to path: String) throws {
        try matrix.matrixMarketText().write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// λ as scikit-learn's `components_`: K lines of V numbers, full precision.
    func writeLambda(_ model: LDAModel, to path: String) throws {
        var text = ""
        for topic in 0..<model.topicCount {
            text += (0..<model.termCount).map { "\(model.lambda[$0 * model.topicCount + topic])" }.joined(
                separator: " ")
            text += "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    struct PeerArguments: Encodable {
        var folder: String
        var corpora: [String]
        var settings: Settings
    }

    struct PeerOutput: Decodable {
        struct Corpus: Decodable {
            var fitSeconds: [Double]
            var heldOutPerplexity: [Double]
            var heldOutDocumentPerplexity: [Double]
            var trainingPerplexity: [Double]
            var perplexityOfCrossrecModel: Double
            var replayMaximumRelativeDifference: Double
            var replayHeldOutPerplexity: Double
        }
        var python: String
        var sklearn: String
        var numpy: String
        var corpora: [String: Corpus]
    }

    /// The Python leg. argv[1] is ``PeerArguments`` as JSON; prints ``PeerOutput``.
    static let peerScript = #"""
        import json, sys, time
        import numpy as np
        import scipy.io
        import sklearn
        from sklearn.decomposition import LatentDirichletAllocation
        from scipy.special import gammaln
        from sklearn.decomposition._lda import _dirichlet_expectation_2d
        from sklearn.utils import gen_batches

        config = json.loads(sys.argv[1])
        folder, settings = config["folder"], config["settings"]
        report = {"python": sys.version.split()[0], "sklearn": sklearn.__version__, "numpy": np.__version__, "corpora": {}}


        def read(name):
            return scipy.io.mmread(folder + "/" + name).tocsr().astype(np.float64)


        def model(seed):
            return LatentDirichletAllocation(
                n_components=settings["topics"], doc_topic_prior=settings["documentTopicPrior"],
                topic_word_prior=settings["topicWordPrior"], learning_method="online",
                learning_decay=settings["learningDecay"], learning_offset=settings["learningOffset"],
                max_iter=settings["passes"], batch_size=settings["batchSize"],
                mean_change_tol=settings["meanChangeTolerance"],
                max_doc_update_iter=settings["maximumDocumentIterations"], n_jobs=None, random_state=seed)


        def document_perplexity(lda, test):
            """exp(-bound / N) without the topics' term: _approx_bound minus its _loglikelihood of components_."""
            gamma = lda._unnormalized_transform(test)
            bound = lda._approx_bound(test, gamma, sub_sampling=False)
            components, eta = lda.components_, lda.topic_word_prior_
            expected = _dirichlet_expectation_2d(components)
            topics = (np.sum((eta - components) * expected) + np.sum(gammaln(components) - gammaln(eta))
                      + np.sum(gammaln(eta * components.shape[1]) - gammaln(np.sum(components, 1))))
            return float(np.exp(-(bound - topics) / test.sum()))


        for corpus in config["corpora"]:
            train, test = read(corpus + "-train.mtx"), read(corpus + "-test.mtx")
            result = {"fitSeconds": [], "heldOutPerplexity": [], "heldOutDocumentPerplexity": [], "trainingPerplexity": []}
            for seed in settings["seeds"]:
                lda = model(seed)
                start = time.perf_counter()
                lda.fit(train)
                result["fitSeconds"].append(time.perf_counter() - start)
                result["heldOutPerplexity"].append(float(lda.perplexity(test)))
                result["heldOutDocumentPerplexity"].append(document_perplexity(lda, test))
                result["trainingPerplexity"].append(float(lda.bound_))
                print("scikit-learn %s seed %d: fit %.3f s, held-out perplexity %.2f"
                      % (corpus, seed, result["fitSeconds"][-1], result["heldOutPerplexity"][-1]), file=sys.stderr, flush=True)
            # crossrec's model (first seed) scored by scikit-learn's own perplexity.
            lda.components_ = np.loadtxt(folder + "/" + corpus + "-lambda.txt", ndmin=2)
            lda.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(lda.components_))
            result["perplexityOfCrossrecModel"] = float(lda.perplexity(test))
            # The replay: crossrec's fixed start, every E-step from gamma = 1 (random_state_ = None),
            # scikit-learn's own _em_step over gen_batches, exactly as its fit loops.
            lda = model(0)
            lda._init_latent_vars(train.shape[1], dtype=np.float64)
            lda.components_ = np.loadtxt(folder + "/" + corpus + "-replay-start.txt", ndmin=2)
            lda.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(lda.components_))
            lda.random_state_ = None
            for _ in range(settings["passes"]):
                for batch in gen_batches(train.shape[0], settings["batchSize"]):
                    lda._em_step(train[batch, :], total_samples=train.shape[0], batch_update=False)
            ours = np.loadtxt(folder + "/" + corpus + "-replay-end.txt", ndmin=2)
            result["replayMaximumRelativeDifference"] = float(np.max(np.abs(ours / lda.components_ - 1)))
            result["replayHeldOutPerplexity"] = float(lda.perplexity(test))
            report["corpora"][corpus] = result

        print(json.dumps(report))
        """#
}
