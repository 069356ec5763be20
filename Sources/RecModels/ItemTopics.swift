public import RecData
public import RecText

/// Topics of a catalog's item texts, learned by LDA (``LDATrainer``), and how they spread over
/// domains and categories: what `crossrec topics` prints.
///
/// - Documents: one per item with a catalog row and at least one vocabulary term; its text is the
///   title, abstract and tags, plus the category and subcategory names when `includesCategories`
///   (then shares per category partly echo the names; MovieLens movies have only a title without
///   them); tokenized,
///   stop words dropped, numbers dropped, Snowball-stemmed (``TextAnalyzer``). The vocabulary keeps
///   terms in at least `minimumDocumentFrequency` items and at most `maximumDocumentFraction` of them.
/// - Held out: a seeded random `heldOutFraction` of the documents; the rest, in a seeded random
///   order (so mini-batches mix domains), trains the model. ``heldOutPerplexity`` is
///   ``LDAModel/perplexity(_:includesTopicTerm:)`` on the held-out documents (scikit-learn's
///   definition), ``heldOutDocumentPerplexity`` the same without the topics' term.
/// - Shares: θ of every document (training θ from the fit, held-out θ from ``LDAModel/transform(_:)``);
///   a group's share of topic k is the mean θ_k over its items (each item counts once; an item in
///   several categories counts in each).
/// - Complexity: the text pipeline, then the fit (see ``LDATrainer``). Deterministic for a seed.
public struct ItemTopics: Sendable, Encodable {
    public struct Options: Sendable {
        /// K, passes, batch size, priors, schedule and seed (which also draws the held-out items).
        public var trainer: LDATrainer
        public var heldOutFraction: Double
        public var minimumDocumentFrequency: Int
        public var maximumDocumentFraction: Double
        public var includesCategories: Bool
        public var topWordCount: Int

        public init(
            trainer: LDATrainer = LDATrainer(topicCount: 20), heldOutFraction: Double = 0.1,
            minimumDocumentFrequency: Int = 2, maximumDocumentFraction: Double = 0.5, includesCategories: Bool = false,
            topWordCount: Int = 10
        ) {
            self.trainer = trainer
            self.heldOutFraction = heldOutFraction
            self.minimumDocumentFrequency = minimumDocumentFrequency
            self.maximumDocumentFraction = maximumDocumentFraction
            self.includesCategories = includesCategories
            self.topWordCount = topWordCount
        }
    }

    public struct Topic: Sendable, Encodable {
        /// 0-based.
        public var index: Int
        /// The most probable terms, each shown as the word it most often came from.
        public var words: [String]
        /// Their probabilities under E[β_k].
        public var probabilities: [Double]
        /// Mean θ_k over every document.
        public var share: Double
    }

    /// A domain, or a category within a domain, and its mean topic proportions.
    public struct Group: Sendable, Encodable {
        public var domain: String
        /// The domain name again for a domain, else the category.
        public var name: String
        public var items: Int
        /// Mean θ per topic (sums to 1).
        public var shares: [Double]

        /// Topic indices by share, largest first.
        public func topTopics(_ count: Int) -> [Int] {
            shares.indices.sorted { (shares[$1], $0) < (shares[$0], $1) }.prefix(count).map { $0 }
        }
    }

    public var topics: [Topic]
    public var domains: [Group]
    public var categories: [Group]
    public var trainingDocuments: Int
    public var heldOutDocuments: Int
    /// Items without a catalog row, or whose text has no vocabulary term.
    public var itemsWithoutText: Int
    public var vocabularySize: Int
    /// Word tokens counted over the vocabulary, all documents.
    public var tokens: Int
    public var trainingPerplexity: Double
    /// scikit-learn's `perplexity` of the held-out documents; nil when nothing is held out.
    public var heldOutPerplexity: Double?
    /// The held-out per-word bound without the topics' term (which does not scale with the number
    /// of held-out words); nil when nothing is held out.
    public var heldOutDocumentPerplexity: Double?
    public var passes: Int
    public var seed: UInt64

    /// Learns the topics of `domains`' item texts. Throws ``ModelError`` (model `lda`) when the
    /// settings are out of range or no item has text.
    /// `afterPass` sees each finished pass (1-based), for progress.
    public init(domains: [Domain], options: Options, afterPass: ((Int) -> Void)? = nil) throws(ModelError) {
        func fail(_ message: String) -> ModelError { ModelError(model: "lda", message: message) }
        guard (0..<1).contains(options.heldOutFraction) else {
            throw fail("the held-out fraction must be in [0, 1), got \(options.heldOutFraction)")
        }
        guard options.minimumDocumentFrequency >= 1 else {
            throw fail("the minimum document frequency must be at least 1, got \(options.minimumDocumentFrequency)")
        }
        guard options.maximumDocumentFraction > 0 && options.maximumDocumentFraction <= 1 else {
            throw fail("the maximum document fraction must be in (0, 1], got \(options.maximumDocumentFraction)")
        }
        do { try options.trainer.validate() } catch { throw fail(error.message) }

        // Item texts, then the documents that keep at least one vocabulary term.
        var owners: [(domain: Int, item: Int32)] = []
        var texts: [String] = []
        var itemCount = 0
        for (domainIndex, domain) in domains.enumerated() {
            itemCount += domain.items.count
            for item in 0..<domain.items.count {
                guard item < domain.catalog.records.count, let record = domain.catalog.records[item] else { continue }
                owners.append((domainIndex, Int32(item)))
                texts.append(
                    Self.text(of: record, catalog: domain.catalog, includesCategories: options.includesCategories))
            }
        }
        let analyzer = TextAnalyzer(tokenizer: Tokenizer(dropNumbers: true))
        let (terms, surfaceForms) = analyzer.termsAndSurfaceForms(of: texts)
        let counted = DocumentTermMatrix(
            documents: terms,
            options: .init(
                minimumDocumentFrequency: options.minimumDocumentFrequency,
                maximumDocumentFraction: options.maximumDocumentFraction))
        let kept = (0..<counted.documentCount).filter { counted.rowOffsets[$0 + 1] > counted.rowOffsets[$0] }
        guard !kept.isEmpty else {
            throw fail(
                "none of the \(itemCount) items has text with a term in at least \(options.minimumDocumentFrequency) items (lower --min-df?)"
            )
        }
        var order = kept
        var random = SeededGenerator(seed: options.trainer.seed)
        random.shuffle(&order)
        let heldOutCount = Int((Double(order.count) * options.heldOutFraction).rounded())
        let training = Array(order[heldOutCount...])
        let heldOut = Array(order[..<heldOutCount])
        let trainingMatrix = counted.rows(training)
        let heldOutMatrix = counted.rows(heldOut)

        let fit: LDAFit
        do {
            fit = try options.trainer.fit(trainingMatrix, afterPass: afterPass.map { report in { pass, _ in report(pass) } })
        } catch { throw fail(error.message) }
        let model = fit.model
        let k = model.topicCount
        let heldOutGamma = heldOut.isEmpty ? [] : model.unnormalizedTransform(heldOutMatrix)
        let heldOutTheta = LDAModel.normalizedRows(heldOutGamma, columns: k)
        heldOutPerplexity = heldOut.isEmpty ? nil : model.perplexity(heldOutMatrix, gamma: heldOutGamma)
        heldOutDocumentPerplexity =
            heldOut.isEmpty ? nil : model.perplexity(heldOutMatrix, gamma: heldOutGamma, includesTopicTerm: false)

        // θ per document index of `counted`.
        var theta = [Double](repeating: 0, count: counted.documentCount * k)
        for (row, document) in training.enumerated() {
            for topic in 0..<k { theta[document * k + topic] = fit.documentTopics[row * k + topic] }
        }
        for (row, document) in heldOut.enumerated() {
            for topic in 0..<k { theta[document * k + topic] = heldOutTheta[row * k + topic] }
        }

        var domainSums = [[Double]](repeating: [Double](repeating: 0, count: k), count: domains.count)
        var domainItems = [Int](repeating: 0, count: domains.count)
        var categorySums = domains.map {
            [[Double]](repeating: [Double](repeating: 0, count: k), count: $0.catalog.categories.count)
        }
        var categoryItems = domains.map { [Int](repeating: 0, count: $0.catalog.categories.count) }
        var overall = [Double](repeating: 0, count: k)
        for document in kept {
            let (domain, item) = owners[document]
            domainItems[domain] += 1
            let categories = domains[domain].catalog.records[Int(item)]!.categories
            for category in categories { categoryItems[domain][Int(category)] += 1 }
            for topic in 0..<k {
                let value = theta[document * k + topic]
                overall[topic] += value
                domainSums[domain][topic] += value
                for category in categories { categorySums[domain][Int(category)][topic] += value }
            }
        }
        func mean(_ sums: [Double], _ count: Int) -> [Double] { sums.map { count > 0 ? $0 / Double(count) : 0 } }
        topics = (0..<k).map { topic in
            let top = model.topWords(topic, count: options.topWordCount)
            return Topic(
                index: topic, words: top.map { surfaceForms[$0.term] ?? $0.term },
                probabilities: top.map(\.probability),
                share: overall[topic] / Double(kept.count))
        }
        self.domains = domains.indices.map {
            Group(
                domain: domains[$0].name, name: domains[$0].name, items: domainItems[$0],
                shares: mean(domainSums[$0], domainItems[$0]))
        }
        categories = domains.indices.flatMap { domain in
            domains[domain].catalog.categories.indices.compactMap { category -> Group? in
                guard categoryItems[domain][category] > 0 else { return nil }
                return Group(
                    domain: domains[domain].name, name: domains[domain].catalog.categories[category],
                    items: categoryItems[domain][category],
                    shares: mean(categorySums[domain][category], categoryItems[domain][category]))
            }
        }
        trainingDocuments = training.count
        heldOutDocuments = heldOut.count
        itemsWithoutText = itemCount - kept.count
        vocabularySize = counted.termCount
        tokens = Int(counted.totalCount)
        trainingPerplexity = fit.trainingPerplexity
        passes = options.trainer.passes
        seed = options.trainer.seed
    }

    /// Title, categories and subcategory (when included), abstract and tags.
    static func text(of record: ItemRecord, catalog: ItemCatalog, includesCategories: Bool) -> String {
        var parts = [record.title]
        if includesCategories {
            parts.append(contentsOf: record.categories.map { catalog.categories[Int($0)] })
            if let subcategory = record.subcategory { parts.append(subcategory) }
        }
        if let abstract = record.abstract, !abstract.isEmpty { parts.append(abstract) }
        parts.append(contentsOf: record.tags)
        return parts.joined(separator: " ")
    }
}
