internal import RecData
internal import RecText

/// What the two-tower model reads, laid out once per fit: every domain's items (evaluated domain
/// first, then ``TrainingData/otherDomains``) with their content features, and every user's rows
/// in all of them.
///
/// Items are numbered globally: domain d's item i is `domainStart[d] + i`. Content per item:
/// - a bag of category ids (MovieLens genres, MIND category and subcategory), in one vocabulary per
///   domain offset by `categoryStart[d]`, so a genre and a news category never share an embedding;
/// - a fixed text vector (`textDimension` wide; zeros for an item without text, or when the model
///   is told to use none), from the sentence encoder or from LDA topics.
struct TwoTowerData: Sendable {
    struct DomainInfo: Sendable {
        var name: String
        var itemCount: Int
        var isExplicit: Bool
        /// Training rows per item.
        var popularity: [Float]
    }

    var domains: [DomainInfo]
    var domainStart: [Int]
    var totalItems: Int
    /// Per global item: the domain it belongs to.
    var domainOf: [Int32]
    /// Per global item: whether it has a training row (an item without one is scored by content).
    var hasRows: [Bool]
    /// Category bags (CSR over global items).
    var categoryOffsets: [Int]
    var categoryIDs: [Int32]
    var categoryCount: Int
    /// Row-major `totalItems × textDimension`, unit rows or zeros.
    var text: [Float]
    var textDimension: Int
    /// Users' rows over all domains (CSR by user): global item, value, timestamp.
    var userOffsets: [Int]
    var userItems: [Int32]
    var userValues: [Float]
    var userTimes: [Int64]
    /// Per row: how much it counts as a positive (1 everywhere unless ``centerExplicitRows()``).
    var rowWeights: [Float] = []
    var userCount: Int

    /// The source of the fixed text vectors.
    enum TextSource: String, Sendable, CaseIterable {
        case minilm, lda, tfidf, none
    }

    /// Lays out `data`. `text` says where item text vectors come from; `ldaTopics` and `seed` are
    /// used with `.lda` (one topic model fitted on the texts of every domain, so that movie and news
    /// topics live in one space).
    /// - Throws: ``ModelError`` when the sentence encoder is missing or fails.
    /// With `.tfidf` each item's text is its unit TF-IDF vector over the `textTerms` most frequent
    /// words of all domains (document frequency at least 2), which the towers project like any
    /// other text vector: a learned linear map of the words, as the content model scores them.
    static func make(
        _ data: TrainingData, text source: TextSource, ldaTopics: Int, textTerms: Int = 2048, seed: UInt64,
        modelName: String
    ) throws(ModelError) -> TwoTowerData {
        var domains: [DomainInfo] = []
        var catalogs: [ItemCatalog?] = []
        var rowSets: [Interactions] = []
        domains.append(
            DomainInfo(
                name: "evaluated", itemCount: data.itemCount, isExplicit: data.isExplicit,
                popularity: data.itemRowCounts()))
        catalogs.append(data.catalog)
        rowSets.append(data.interactions)
        for other in data.otherDomains {
            var popularity = [Float](repeating: 0, count: other.itemCount)
            for item in other.interactions.items where Int(item) < other.itemCount { popularity[Int(item)] += 1 }
            domains.append(
                DomainInfo(
                    name: other.name, itemCount: other.itemCount, isExplicit: other.isExplicit, popularity: popularity))
            catalogs.append(other.catalog)
            rowSets.append(other.interactions)
        }
        var domainStart: [Int] = []
        var total = 0
        for domain in domains {
            domainStart.append(total)
            total += domain.itemCount
        }
        var domainOf = [Int32](repeating: 0, count: total)
        var hasRows = [Bool](repeating: false, count: total)
        for (d, domain) in domains.enumerated() {
            for item in 0..<domain.itemCount {
                domainOf[domainStart[d] + item] = Int32(d)
                hasRows[domainStart[d] + item] = domain.popularity[item] > 0
            }
        }

        // Category bags: per domain, its categories then its subcategories, offset per domain.
        var categoryOffsets = [0]
        var categoryIDs: [Int32] = []
        var categoryCount = 0
        for (d, domain) in domains.enumerated() {
            let catalog = catalogs[d]
            let categories = catalog?.categories.count ?? 0
            var subcategories: [String: Int32] = [:]
            for item in 0..<domain.itemCount {
                if let catalog, item < catalog.records.count, let record = catalog.records[item] {
                    for category in record.categories where Int(category) < categories {
                        categoryIDs.append(Int32(categoryCount) + category)
                    }
                    if let subcategory = record.subcategory, !subcategory.isEmpty {
                        let index: Int32
                        if let known = subcategories[subcategory] {
                            index = known
                        } else {
                            index = Int32(subcategories.count)
                            subcategories[subcategory] = index
                        }
                        categoryIDs.append(Int32(categoryCount + categories) + index)
                    }
                }
                categoryOffsets.append(categoryIDs.count)
            }
            categoryCount += categories + subcategories.count
        }

        // Text vectors.
        var texts: [String] = []
        texts.reserveCapacity(total)
        for (d, domain) in domains.enumerated() {
            for item in 0..<domain.itemCount { texts.append(catalogs[d]?.text(of: Int32(item)) ?? "") }
        }
        var textVectors: [Float] = []
        var textDimension = 0
        switch source {
        case .none:
            break
        case .minilm:
            guard let embedder = data.textEmbedder else {
                throw ModelError(
                    model: modelName,
                    message:
                        "text 'minilm' needs the sentence encoder's files: fetch them with `crossrec models fetch "
                        + "all-MiniLM-L6-v2`, or pass --model-dir with a folder that holds them; or use text=lda")
            }
            do {
                textVectors = try embedder.embed(texts)
            } catch {
                throw ModelError(model: modelName, message: "the sentence encoder \(embedder.name) failed: \(error)")
            }
            textDimension = embedder.dimension
            guard textDimension > 0, textVectors.count == total * textDimension else {
                throw ModelError(
                    model: modelName,
                    message: "the sentence encoder \(embedder.name) returned \(textVectors.count) numbers for \(total) texts")
            }
        case .tfidf:
            if texts.contains(where: { !$0.isEmpty }) {
                let documents = TextAnalyzer(stems: true).terms(of: texts)
                let model = TFIDFModel(
                    documents: documents,
                    options: .init(
                        minimumDocumentFrequency: 2, maximumDocumentFraction: 0.5, maximumTerms: textTerms,
                        sublinearTF: true))
                let width = model.vocabulary.count
                if width > 0 {
                    textVectors = [Float](repeating: 0, count: total * width)
                    for (item, document) in documents.enumerated() {
                        let vector = model.vector(document)
                        for (column, value) in zip(vector.indices, vector.values) {
                            textVectors[item * width + Int(column)] = value
                        }
                    }
                    textDimension = width
                }
            }
        case .lda:
            if texts.contains(where: { !$0.isEmpty }) {
                let block = try ContentModel.ldaBlock(
                    texts: texts,
                    hyperparameters: ContentModel.Hyperparameters(minimumDocumentFrequency: 2, ldaTopics: ldaTopics),
                    seed: seed)
                textVectors = block.rows
                textDimension = block.dimension
            }
        }

        // Users' rows over all domains.
        let userCount = data.userCount
        var counts = [Int](repeating: 0, count: userCount + 1)
        for (d, rows) in rowSets.enumerated() {
            for k in 0..<rows.count {
                let user = Int(rows.users[k])
                guard user < userCount, Int(rows.items[k]) < domains[d].itemCount else { continue }
                counts[user + 1] += 1
            }
        }
        for user in 0..<userCount { counts[user + 1] += counts[user] }
        var fill = counts
        var userItems = [Int32](repeating: 0, count: counts[userCount])
        var userValues = [Float](repeating: 0, count: counts[userCount])
        var userTimes = [Int64](repeating: 0, count: counts[userCount])
        for (d, rows) in rowSets.enumerated() {
            for k in 0..<rows.count {
                let user = Int(rows.users[k])
                guard user < userCount, Int(rows.items[k]) < domains[d].itemCount else { continue }
                let slot = fill[user]
                fill[user] += 1
                userItems[slot] = Int32(domainStart[d]) + rows.items[k]
                userValues[slot] = rows.values[k]
                userTimes[slot] = rows.timestamps[k]
            }
        }
        return TwoTowerData(
            domains: domains, domainStart: domainStart, totalItems: total, domainOf: domainOf, hasRows: hasRows,
            categoryOffsets: categoryOffsets, categoryIDs: categoryIDs, categoryCount: categoryCount, text: textVectors,
            textDimension: textDimension, userOffsets: counts, userItems: userItems, userValues: userValues,
            userTimes: userTimes, userCount: userCount)
    }

    /// Centres explicit ratings: a row weighs its rating minus the user's mean rating in that
    /// domain; rows at or below the mean weigh 0 (neither positives nor pooled). Subtracting them
    /// in the pool (signed weights) was tried and scored lower on the synthetic validation draw. A user whose ratings
    /// in a domain are all equal keeps weight 1 there. Implicit domains keep weight 1.
    mutating func centerExplicitRows() {
        rowWeights = [Float](repeating: 1, count: userItems.count)
        for user in 0..<userCount {
            for d in domains.indices where domains[d].isExplicit {
                let slots = rows(of: user).filter { Int(domainOf[Int(userItems[$0])]) == d }
                guard !slots.isEmpty else { continue }
                let mean = slots.reduce(Float(0)) { $0 + userValues[$1] } / Float(slots.count)
                guard slots.contains(where: { userValues[$0] > mean }) else { continue }
                for slot in slots { rowWeights[slot] = max(0, userValues[slot] - mean) }
            }
        }
    }

    /// The weight of row `slot` as a positive.
    func rowWeight(_ slot: Int) -> Float { rowWeights.isEmpty ? 1 : rowWeights[slot] }

    /// User `user`'s rows (global items), in the order laid out.
    func rows(of user: Int) -> Range<Int> { userOffsets[user]..<userOffsets[user + 1] }
}
