import Testing

@testable import RecText

@Suite("Digamma")
struct DigammaTests {
    /// ψ(x) from `scipy.special.psi` (SciPy 1.17.1), printed with `repr`.
    static let known: [(Double, Double)] = [
        (1e-7, -10000000.5772155), (0.1, -10.423754940411076), (0.5, -1.9635100260214235), (1, -0.5772156649015329),
        (1.5, 0.03648997397857652), (2, 0.42278433509846713), (3.7, 1.1671535393615113), (6, 1.7061176684318005),
        (10, 2.251752589066721), (100, 4.600161852738088), (12345.678, 9.421020820741761),
    ]

    @Test(arguments: known)
    func matchesSciPy(_ x: Double, _ expected: Double) {
        let value = Double.digamma(x)
        #expect(abs(value - expected) <= 1e-14 * max(1, abs(expected)), "ψ(\(x)) = \(value), SciPy \(expected)")
    }

    @Test func closedFormsAtHalfIntegers() {
        let euler = 0.5772156649015329
        #expect(abs(Double.digamma(1) + euler) < 4e-15)
        #expect(abs(Double.digamma(0.5) - (-euler - 2 * 0.6931471805599453)) < 1e-14)
        // ψ(n) = H_(n−1) − γ.
        var harmonic = 0.0
        for n in 1...30 {
            #expect(abs(Double.digamma(Double(n)) - (harmonic - euler)) < 1e-14, "ψ(\(n))")
            harmonic += 1 / Double(n)
        }
    }

    @Test func satisfiesTheRecurrenceAcrossTheSeriesThreshold() {
        var random = LDARandom(seed: 7)
        for _ in 0..<2000 {
            let x = 0.001 + 40 * random.nextOpenUnit()
            let difference = Double.digamma(x + 1) - Double.digamma(x)
            #expect(abs(difference - 1 / x) <= 1e-11 * max(1, 1 / x), "ψ(\(x) + 1) − ψ(\(x))")
        }
    }

    @Test func poleAndNegativeArguments() {
        #expect(Double.digamma(0) == -.infinity)
        #expect(Double.digamma(-1.5).isNaN)
        #expect(Double.digamma(.nan).isNaN)
    }
}

@Suite("Document-term matrix")
struct DocumentTermMatrixTests {
    @Test func countsTermsOverAVocabularyAndDropsTheRest() {
        let matrix = DocumentTermMatrix(
            documents: [["war", "robot", "war", "zebra"], [], ["peace"]], vocabulary: ["peace", "robot", "war"])
        #expect(matrix.rowOffsets == [0, 2, 2, 3])
        #expect(matrix.columns == [1, 2, 0])
        #expect(matrix.counts == [1, 2, 1])
        #expect(matrix.totalCount == 4)
        #expect(matrix.length(of: 0) == 3)
        let picked = matrix.rows([2, 0])
        #expect(picked.rowOffsets == [0, 1, 3] && picked.columns == [0, 1, 2] && picked.counts == [1, 1, 2])
    }

    @Test func theVocabularyFollowsTheTFIDFRules() {
        let documents = [["a", "b", "b"], ["b", "c"], ["a", "d"]]
        let matrix = DocumentTermMatrix(documents: documents, options: .init(minimumDocumentFrequency: 2))
        #expect(matrix.vocabulary == ["a", "b"])
        #expect(matrix.counts == [1, 2, 1, 1])
    }

    @Test func matrixMarketRoundTripsAndSumsRepeatedEntries() throws {
        let matrix = DocumentTermMatrix(documents: [["x", "y", "y"], [], ["z", "x"]], vocabulary: ["x", "y", "z"])
        let text = matrix.matrixMarketText()
        #expect(text.hasPrefix("%%MatrixMarket matrix coordinate integer general\n"))
        #expect(text.contains("\n3 3 4\n1 1 1\n1 2 2\n3 1 1\n3 3 1\n"))
        #expect(try DocumentTermMatrix(matrixMarket: text, vocabulary: matrix.vocabulary) == matrix)
        let repeated = "%%MatrixMarket matrix coordinate real general\r\n2 2 3\r\n2 2 1.5\r\n1 1 1\r\n2 2 0.5\r\n"
        let read = try DocumentTermMatrix(matrixMarket: repeated, vocabulary: ["a", "b"])
        #expect(read.rowOffsets == [0, 1, 2] && read.columns == [0, 1] && read.counts == [1, 2])
    }

    @Test(arguments: [
        ("%%MatrixMarket matrix array real general\n", "t.mtx:1: only 'matrix coordinate' files"),
        ("1 1 1\n", "t.mtx:1: expected the banner"),
        (
            "%%MatrixMarket matrix coordinate integer general\n% c\n2 3 1\n1 1 1\n",
            "t.mtx:3: the matrix has 3 columns but the vocabulary 2 terms"
        ),
        (
            "%%MatrixMarket matrix coordinate integer general\n2 2 1\n3 1 1\n",
            "t.mtx:3: entry (3, 1) lies outside the 2 × 2 matrix"
        ),
        (
            "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 1\n",
            "t.mtx:0: the size line announces 2 entries, the file holds 1"
        ),
        (
            "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 x 1\n",
            "t.mtx:3: expected 'row column value', got '1 x 1'"
        ),
        (
            "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 -4\n",
            "t.mtx:3: a count must be finite and non-negative"
        ),
    ])
    func malformedFilesSayWhereAndWhat(_ text: String, _ message: String) {
        #expect {
            _ = try DocumentTermMatrix(matrixMarket: text, vocabulary: ["a", "b"], source: "t.mtx")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}

/// A corpus drawn from a known LDA-like process: `topics` planted topics over disjoint blocks of
/// `wordsPerTopic` words; each document mixes one to three of them with random weights.
struct PlantedCorpus {
    var documents: DocumentTermMatrix
    /// documents × topics, rows summing to 1.
    var mixtures: [Double]
    var topics: Int
    var wordsPerTopic: Int

    init(topics: Int = 4, wordsPerTopic: Int = 12, documents: Int = 300, length: Int = 60, seed: UInt64 = 11) {
        var random = LDARandom(seed: seed)
        let vocabulary = (0..<topics).flatMap { t in (0..<wordsPerTopic).map { "t\(t)w\($0)" } }
        var texts: [[String]] = []
        var mixtures: [Double] = []
        for _ in 0..<documents {
            var weights = [Double](repeating: 0, count: topics)
            let mixed = 1 + Int(random.next() % 3)
            for _ in 0..<mixed { weights[Int(random.next() % UInt64(topics))] += 0.2 + random.nextOpenUnit() }
            let total = weights.reduce(0, +)
            weights = weights.map { $0 / total }
            mixtures += weights
            var words: [String] = []
            for _ in 0..<length {
                var u = random.nextOpenUnit()
                var topic = 0
                while topic < topics - 1 && u >= weights[topic] {
                    u -= weights[topic]
                    topic += 1
                }
                // Zipf-like word choice inside the topic's block.
                let v = random.nextOpenUnit()
                let word = min(wordsPerTopic - 1, Int(Double(wordsPerTopic) * v * v))
                words.append("t\(topic)w\(word)")
            }
            texts.append(words)
        }
        self.documents = DocumentTermMatrix(documents: texts, vocabulary: vocabulary)
        self.mixtures = mixtures
        self.topics = topics
        self.wordsPerTopic = wordsPerTopic
    }

    /// The planted topic of a vocabulary term `t{topic}w{word}`.
    func plantedTopic(of term: String) -> Int { Int(term.dropFirst().prefix { $0 != "w" })! }
}

@Suite("LDA by online variational Bayes")
struct LDATests {
    static let trainer = LDATrainer(topicCount: 4, passes: 15, batchSize: 32, seed: 3)

    /// For each learned topic, the planted topic of its top words (nil when they disagree).
    static func matching(_ model: LDAModel, _ corpus: PlantedCorpus, top: Int = 6) -> [Int?] {
        (0..<model.topicCount).map { topic in
            let planted = Set(model.topWords(topic, count: top).map { corpus.plantedTopic(of: $0.term) })
            return planted.count == 1 ? planted.first : nil
        }
    }

    @Test func recoversPlantedTopicsAndDocumentMixtures() throws {
        let corpus = PlantedCorpus()
        let fit = try Self.trainer.fit(corpus.documents)
        let matched = Self.matching(fit.model, corpus)
        #expect(matched.allSatisfy { $0 != nil }, "every topic's top words come from one planted topic: \(matched)")
        #expect(Set(matched.compactMap { $0 }).count == corpus.topics, "each planted topic is found once: \(matched)")
        guard Set(matched.compactMap { $0 }).count == corpus.topics else { return }
        // θ against the planted mixture, topics matched: mean absolute error per entry.
        var error = 0.0
        for document in 0..<corpus.documents.documentCount {
            for learned in 0..<corpus.topics {
                let planted = matched[learned]!
                error += abs(fit.documentTopics[document * 4 + learned] - corpus.mixtures[document * 4 + planted])
            }
        }
        let meanError = error / Double(corpus.documents.documentCount * corpus.topics)
        #expect(meanError < 0.05, "mean |θ − planted| = \(meanError)")
        for document in 0..<corpus.documents.documentCount {
            let row = fit.documentTopics[(document * 4)..<(document * 4 + 4)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func aDocumentOfOneTopicsWordsTransformsToThatTopic() throws {
        let corpus = PlantedCorpus()
        let fit = try Self.trainer.fit(corpus.documents)
        let matched = Self.matching(fit.model, corpus)
        for planted in 0..<corpus.topics {
            let words = (0..<corpus.wordsPerTopic).flatMap { Array(repeating: "t\(planted)w\($0)", count: 1 + $0 % 3) }
            let theta = fit.model.transform(DocumentTermMatrix(documents: [words], vocabulary: fit.model.vocabulary))
            let learned = try #require(matched.firstIndex(of: planted), "planted topic \(planted) found")
            #expect(theta[learned] > 0.9, "θ = \(theta) for a document of planted topic \(planted)")
        }
        // No known word: the uniform θ (γ = α everywhere).
        let empty = fit.model.transform(DocumentTermMatrix(documents: [["unknown"]], vocabulary: fit.model.vocabulary))
        #expect(empty.allSatisfy { abs($0 - 0.25) < 1e-12 })
    }

    @Test func theSameSeedGivesIdenticalNumbersAndAnotherSeedDoesNot() throws {
        let corpus = PlantedCorpus(documents: 120)
        var trainer = Self.trainer
        trainer.passes = 3
        let first = try trainer.fit(corpus.documents)
        let second = try trainer.fit(corpus.documents)
        #expect(first.model == second.model)
        #expect(first.documentTopics == second.documentTopics)
        #expect(first.trainingPerplexity == second.trainingPerplexity)
        trainer.seed = 4
        let other = try trainer.fit(corpus.documents)
        #expect(other.model.lambda != first.model.lambda)
    }

    @Test func heldOutPerplexityFallsWithPasses() throws {
        let corpus = PlantedCorpus(documents: 360, seed: 5)
        let training = corpus.documents.rows(0..<300)
        let heldOut = corpus.documents.rows(300..<360)
        var perplexities: [Double] = []
        var trainer = Self.trainer
        trainer.passes = 8
        let fit = try trainer.fit(training) { _, model in perplexities.append(model.perplexity(heldOut)) }
        #expect(perplexities.count == 8)
        #expect(perplexities.last! < 0.98 * perplexities.first!, "\(perplexities)")
        for pass in 1..<perplexities.count {
            #expect(perplexities[pass] <= perplexities[pass - 1] * 1.001, "pass \(pass + 1): \(perplexities)")
        }
        #expect(perplexities.last! == fit.model.perplexity(heldOut))
        // The number of distinct words bounds a good model's perplexity from above on this corpus.
        #expect(perplexities.last! < Double(corpus.topics * corpus.wordsPerTopic))
        #expect(fit.updates == 8 * 10)
    }

    /// Figures printed by scikit-learn 1.9.1 for a `LatentDirichletAllocation(n_components=2,
    /// doc_topic_prior=0.3, topic_word_prior=0.2)` whose `components_`, `exp_dirichlet_component_`,
    /// `doc_topic_prior_` and `topic_word_prior_` were set by hand to the λ below:
    ///
    ///     components = np.array([[3.0, 1.5, 0.2, 0.7], [0.4, 0.9, 2.5, 4.0]])
    ///     X = csr_matrix([[2, 1, 0, 0], [0, 0, 3, 1], [1, 1, 1, 1], [0, 0, 0, 0], [5, 0, 0, 2]])
    ///     lda.perplexity(X), lda._unnormalized_transform(X), lda._approx_bound(X, gamma, False)
    ///
    /// and, for the bound without the topics' term, `_approx_bound` minus `Σ (η − λ)·E[log β] +
    /// Σ (ln Γ(λ) − ln Γ(η)) + Σ_k (ln Γ(V·η) − ln Γ(Σ_w λ_kw))` computed with NumPy.
    @Test func perplexityAndTransformMatchScikitLearn() {
        let components: [[Double]] = [[3.0, 1.5, 0.2, 0.7], [0.4, 0.9, 2.5, 4.0]]
        let lambda = (0..<4).flatMap { word in components.map { $0[word] } }
        let model = LDAModel(
            vocabulary: ["a", "b", "c", "d"], topicCount: 2, lambda: lambda, documentTopicPrior: 0.3,
            topicWordPrior: 0.2)
        let rows: [[Double]] = [[2, 1, 0, 0], [0, 0, 3, 1], [1, 1, 1, 1], [0, 0, 0, 0], [5, 0, 0, 2]]
        let documents = DocumentTermMatrix(
            documents: rows.map { row in
                row.indices.flatMap { Array(repeating: ["a", "b", "c", "d"][$0], count: Int(row[$0])) }
            },
            vocabulary: model.vocabulary)
        let gamma = model.unnormalizedTransform(documents)
        let expectedGamma: [Double] = [
            3.2961267161211047, 0.30387328387889284, 0.3010913154484531, 4.298908684551544, 2.0924368481069426,
            2.5075631518930517, 0.3, 0.3, 6.072480643714744, 1.5275193562852492,
        ]
        for (value, expected) in zip(gamma, expectedGamma) { #expect(abs(value - expected) < 1e-7, "γ \(gamma)") }
        #expect(abs(model.variationalBound(documents, gamma: gamma) - -31.939193849238116) < 1e-6)
        #expect(abs(model.perplexity(documents) - 5.896740014506011) < 1e-7)
        // Without the topics' term (scikit-learn's bound minus its `_loglikelihood` of λ).
        #expect(
            abs(model.variationalBound(documents, gamma: gamma, includesTopicTerm: false) - -27.293147929406814) < 1e-6)
        #expect(abs(model.perplexity(documents, includesTopicTerm: false) - 4.555275428070044) < 1e-7)
        let theta = model.transform(documents)
        #expect(abs(theta[0] - 0.9155907544780854) < 1e-7 && abs(theta[6] - 0.5) < 1e-12)
        #expect(abs(model.topicWordDistribution(1).reduce(0, +) - 1) < 1e-12)
        #expect(model.topWords(0, count: 2).map(\.term) == ["a", "b"])
    }

    /// scikit-learn 1.9.1 replaying the same fit with no random number: `_init_latent_vars`, then
    /// `components_` set to the λ below, `random_state_ = None` (E-steps start from γ = 1), and
    /// `_em_step(X[batch], total_samples=5, batch_update=False)` over `gen_batches(5, 2)` twice,
    /// with α = 0.3, η = 0.2, τ0 = 2, κ = 0.6 and the corpus of the test above. Our λ must agree
    /// to the precision of scikit-learn's digamma (about 3e-9).
    @Test func replaysScikitLearnsOnlineUpdatesStepForStep() throws {
        let components: [[Double]] = [[3.0, 1.5, 0.2, 0.7], [0.4, 0.9, 2.5, 4.0]]
        let rows: [[Int]] = [[2, 1, 0, 0], [0, 0, 3, 1], [1, 1, 1, 1], [0, 0, 0, 0], [5, 0, 0, 2]]
        let vocabulary = ["a", "b", "c", "d"]
        let documents = DocumentTermMatrix(
            documents: rows.map { row in row.indices.flatMap { Array(repeating: vocabulary[$0], count: row[$0]) } },
            vocabulary: vocabulary)
        let trainer = LDATrainer(
            topicCount: 2, passes: 2, batchSize: 2, learningOffset: 2, learningDecay: 0.6, documentTopicPrior: 0.3,
            topicWordPrior: 0.2, initialLambda: (0..<4).flatMap { word in components.map { $0[word] } },
            drawsDocumentStarts: false)
        let fit = try trainer.fit(documents)
        let expected: [[Double]] = [
            [12.502922762435306, 1.5749223469340048, 0.20090085294917598, 0.555967726770425],
            [0.221966033225737, 0.2719594168893497, 2.792851684293556, 5.519768479347807],
        ]
        #expect(fit.updates == 6)
        for word in 0..<4 {
            for topic in 0..<2 {
                let value = fit.model.lambda[word * 2 + topic]
                #expect(abs(value / expected[topic][word] - 1) < 1e-7, "λ[\(topic)][\(word)] = \(value)")
            }
        }
        var wrong = trainer
        wrong.initialLambda = [1, 2, 3]
        #expect(throws: LDAError("initialLambda holds 3 values; V × K = 4 × 2")) { _ = try wrong.fit(documents) }
    }

    /// The lazy λ (a shared decay scale, only the batch's words touched) against the dense
    /// update λ ← (1 − ρ)·λ + ρ·(η + r·S) over every word, through ordinary steps, ρ = 1 and the
    /// rescale when the scale underflows.
    @Test(arguments: [[0.3, 0.2, 0.5], [1, 0.4, 1], Array(repeating: 1 - 1e-7, count: 40)])
    func lazyTopicWordUpdatesEqualTheDenseOnes(_ rhos: [Double]) {
        var random = LDARandom(seed: 9)
        let (k, words, eta) = (3, 7, 0.1)
        var dense = (0..<(k * words)).map { _ in 0.05 + random.nextOpenUnit() }
        var state = LDATopicWordState(lambda: dense, topicCount: k, eta: eta)
        for rho in rhos {
            let batch: [Int32] = (0..<words).filter { _ in random.next() % 2 == 0 }.map(Int32.init)
            let statistics = (0..<(batch.count * k)).map { _ in 3 * random.nextOpenUnit() }
            var full = [Double](repeating: 0, count: k * words)
            for (row, word) in batch.enumerated() {
                for topic in 0..<k { full[Int(word) * k + topic] = statistics[row * k + topic] }
            }
            dense = dense.indices.map { (1 - rho) * dense[$0] + rho * (eta + 2.5 * full[$0]) }
            state.update(words: batch, statistics: statistics, rho: rho, ratio: 2.5)
            for (lazy, expected) in zip(state.lambda, dense) {
                #expect(abs(lazy / expected - 1) < 1e-12, "ρ = \(rho): \(lazy) against \(expected)")
            }
            for (total, expected) in zip(
                state.topicTotals,
                (0..<k).map { t in stride(from: t, to: dense.count, by: k).map { dense[$0] }.reduce(0, +) })
            {
                #expect(abs(total / expected - 1) < 1e-12)
            }
        }
        var table: [Double] = []
        state.expectationExp(of: [4, 0], into: &table)
        let model = LDAModel(
            vocabulary: (0..<words).map { "w\($0)" }, topicCount: k, lambda: dense, documentTopicPrior: 0.1,
            topicWordPrior: eta)
        for topic in 0..<k {
            #expect(abs(table[topic] / model.expectedTopicWordExp[4 * k + topic] - 1) < 1e-12)
            #expect(abs(table[k + topic] / model.expectedTopicWordExp[topic] - 1) < 1e-12)
        }
    }

    @Test func settingsOutOfRangeAndEmptyCorporaAreErrors() {
        let documents = DocumentTermMatrix(documents: [["a"]], vocabulary: ["a"])
        #expect(throws: LDAError("the number of topics must be at least 1, got 0")) {
            _ = try LDATrainer(topicCount: 0).fit(documents)
        }
        #expect(throws: LDAError("the learning decay κ must be in [0, 1], got 1.5")) {
            _ = try LDATrainer(learningDecay: 1.5).fit(documents)
        }
        #expect(throws: LDAError("the learning offset τ0 must be at least 1, got 0.5")) {
            _ = try LDATrainer(learningOffset: 0.5).fit(documents)
        }
        #expect(throws: LDAError("there are no documents to fit")) {
            _ = try LDATrainer().fit(DocumentTermMatrix(documents: [], vocabulary: ["a"]))
        }
        #expect(throws: LDAError("no document holds a vocabulary term")) {
            _ = try LDATrainer().fit(DocumentTermMatrix(documents: [["b"]], vocabulary: ["a"]))
        }
    }
}
