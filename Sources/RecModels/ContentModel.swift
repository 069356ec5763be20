internal import Foundation
import RecData
internal import RecText

/// Content-based ranking: a user's profile is the weighted mean of the vectors of the items they
/// interacted with, and an item's score is its cosine with that profile; with several feature
/// kinds (`features: tfidf+minilm`), the mean of the cosines of each kind.
///
/// - Item text: ``ItemCatalog/text(of:)``: for movies title, year, genres and tags; for news
///   title, category, subcategory and abstract.
/// - `tfidf`: ``TFIDFModel`` over the text through ``TextAnalyzer`` (tokenize, drop English stop
///   words, Snowball-stem when `stem`), terms in at least `min_df` items and at most `max_df` of
///   them, the `max_terms` most frequent when set. Sparse.
/// - `minilm`: the sentence encoder's unit vector of the text (``TrainingData/textEmbedder``).
/// - `lda`: the item's topic shares from LDA (`lda_topics`, `lda_passes`) fitted on the catalog's
///   texts, unit-normalized.
/// - `entities`: the mean of MIND's knowledge-graph vectors of the item's title and abstract
///   entities (``TrainingData/entityEmbeddings``), unit-normalized. An item without text, or
///   without any known entity, has a zero vector of that kind (it scores 0 on it).
/// - Profile of user u: p_u = Σ_rows w·x_i / ‖Σ_rows w·x_i‖ over u's training rows (item i,
///   value r, time t), with w = 1 (`weighting uniform`) or r − r̄_u (`centered`, explicit data:
///   items rated below the user's mean push the profile away), times 0.5^((t_last − t) /
///   half-life) when `half_life_days` > 0 (t_last: the user's latest row).
/// - score(u, i) = mean over the kinds k of p_u^k · x_i^k (TF-IDF from an inverted term → items
///   index, dense kinds by dot products). A user without rows, or whose profiles are all empty,
///   gets popularity (training rows per item), like the CF models.
///
/// No epochs; the seed only seeds LDA (features `lda`); everything else is exact and deterministic.
/// - Complexity: fit O(text length + nnz · terms per item + V log V) for TF-IDF, plus the
///   encoder's or LDA's cost for dense kinds and O(nnz · d) for their profiles;
///   ``scoreAll(user:into:)`` O(items · Σ dense d + Σ over the profile's terms of their document
///   frequency). Memory O(item-term nonzeros + (items + users) · Σ dense d).
public struct ContentModel: Recommender {
    public static let name = "content"

    public enum Weighting: String, Sendable, Hashable, CaseIterable {
        case uniform
        case centered
    }

    public struct Hyperparameters: Sendable, Hashable {
        public var minimumDocumentFrequency: Int
        public var maximumDocumentFraction: Double
        /// 0: no limit.
        public var maximumTerms: Int
        public var sublinearTF: Bool
        public var stems: Bool
        /// 0: no decay.
        public var halfLifeDays: Double
        public var weighting: Weighting
        /// The item representations, in canonical order (at least one).
        public var features: [ItemFeatureKind]
        public var ldaTopics: Int
        public var ldaPasses: Int

        public init(
            minimumDocumentFrequency: Int = 2, maximumDocumentFraction: Double = 1, maximumTerms: Int = 0,
            sublinearTF: Bool = true, stems: Bool = true, halfLifeDays: Double = 0, weighting: Weighting = .uniform,
            features: [ItemFeatureKind] = [.tfidf], ldaTopics: Int = 20, ldaPasses: Int = 10
        ) {
            self.features = features
            self.ldaTopics = ldaTopics
            self.ldaPasses = ldaPasses
            self.minimumDocumentFrequency = minimumDocumentFrequency
            self.maximumDocumentFraction = maximumDocumentFraction
            self.maximumTerms = maximumTerms
            self.sublinearTF = sublinearTF
            self.stems = stems
            self.halfLifeDays = halfLifeDays
            self.weighting = weighting
        }
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// Terms of the fitted vocabulary, in column order.
    public private(set) var vocabulary: [String] = []
    /// Inverted index: the items of term t are `termItems[termOffsets[t]..<termOffsets[t + 1]]`
    /// with weights `termWeights[…]` (ascending items).
    var termOffsets: [Int] = [0]
    var termItems: [Int32] = []
    var termWeights: [Float] = []
    /// Unit-length profile per user (empty without rows).
    var profiles: [SparseVector] = []
    /// Unit-length TF-IDF vector per item (empty without text), for profiles built from a history.
    var itemVectors: [SparseVector] = []
    var popularity: [Float] = []
    /// Whether TF-IDF is one of the features.
    var usesTFIDF = false
    /// The dense features (minilm, lda, entities), in ``Hyperparameters/features`` order.
    var denseBlocks: [DenseBlock] = []
    /// Per dense block, each user's unit-length profile (users × dimension, zeros without rows).
    var denseProfiles: [[Float]] = []
    /// What the fit measured (the encoder's name is not a number; LDA's perplexity is).
    public private(set) var fitSummary: [String: Double] = [:]

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    /// The catalog of `data`; throws unless it has text for at least one item, which every content
    /// feature reads.
    @discardableResult
    static func requireItemText(_ data: TrainingData) throws(ModelError) -> ItemCatalog {
        guard let catalog = data.catalog, catalog.describedCount > 0 else {
            throw ModelError(
                model: name,
                message: "this data set has no item text (content models read titles, genres, categories, abstracts and "
                    + "tags: MovieLens u.item or movies.csv, MIND news.tsv, or the synthetic data set); use a CF model")
        }
        return catalog
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard h.minimumDocumentFrequency >= 1 else { throw fail("min_df must be at least 1") }
        guard h.maximumDocumentFraction > 0 && h.maximumDocumentFraction <= 1 else { throw fail("max_df must be in (0, 1]") }
        guard h.halfLifeDays >= 0 && h.halfLifeDays.isFinite else { throw fail("half_life_days must be ≥ 0") }
        guard !h.features.isEmpty else { throw fail("features must name at least one of tfidf, minilm, lda, entities") }
        let catalog = try Self.requireItemText(data)
        popularity = data.itemRowCounts()
        fitSummary = [:]
        let texts = (0..<data.itemCount).map { catalog.text(of: Int32($0)) }
        let weights = Self.userWeights(data, hyperparameters: h)

        usesTFIDF = h.features.contains(.tfidf)
        var values: [String: Double] = [:]
        if usesTFIDF {
            let analyzer = TextAnalyzer(stems: h.stems)
            let documents = analyzer.terms(of: texts)
            let tfidf = TFIDFModel(
                documents: documents,
                options: .init(
                    minimumDocumentFrequency: h.minimumDocumentFrequency,
                    maximumDocumentFraction: h.maximumDocumentFraction,
                    maximumTerms: h.maximumTerms > 0 ? h.maximumTerms : nil, sublinearTF: h.sublinearTF))
            guard !tfidf.vocabulary.isEmpty else {
                throw fail(
                    "no term occurs in at least min_df = \(h.minimumDocumentFrequency) of the \(data.itemCount) item "
                        + "texts within max_df = \(h.maximumDocumentFraction); lower min_df or raise max_df")
            }
            vocabulary = tfidf.vocabulary
            itemVectors = documents.map(tfidf.vector)
            buildInvertedIndex(itemVectors, terms: vocabulary.count)
            profiles = Self.sparseProfiles(weights, itemVectors: itemVectors, terms: vocabulary.count)
            values["vocabulary"] = Double(vocabulary.count)
        } else {
            vocabulary = []
            itemVectors = []
            termOffsets = [0]
            termItems = []
            termWeights = []
            profiles = []
        }
        denseBlocks = []
        for kind in h.features where kind != .tfidf {
            let block = try Self.denseBlock(kind, texts: texts, data: data, hyperparameters: h, seed: seed)
            values["\(kind.rawValue)_dimension"] = Double(block.dimension)
            values["\(kind.rawValue)_items"] = Double(block.itemsWithVector)
            denseBlocks.append(block)
        }
        denseProfiles = denseBlocks.map { Self.denseProfiles(weights, block: $0, users: data.userCount) }
        _ = progress(EpochProgress(epoch: 1, totalEpochs: 1, values: values))
    }

    mutating func buildInvertedIndex(_ vectors: [SparseVector], terms: Int) {
        var counts = [Int](repeating: 0, count: terms)
        for vector in vectors { for t in vector.indices { counts[Int(t)] += 1 } }
        termOffsets = [0]
        termOffsets.reserveCapacity(terms + 1)
        for count in counts { termOffsets.append(termOffsets.last! + count) }
        termItems = [Int32](repeating: 0, count: termOffsets.last!)
        termWeights = [Float](repeating: 0, count: termOffsets.last!)
        var next = Array(termOffsets.dropLast())
        for (item, vector) in vectors.enumerated() {
            for (t, weight) in zip(vector.indices, vector.values) {
                termItems[next[Int(t)]] = Int32(item)
                termWeights[next[Int(t)]] = weight
                next[Int(t)] += 1
            }
        }
    }

    /// Each user's (item, weight) pairs in row order: w = 1 (`uniform`) or r − r̄_u (`centered`,
    /// explicit data), times the half-life decay from the user's latest row; zero weights dropped.
    static func userWeights(_ data: TrainingData, hyperparameters h: Hyperparameters) -> [[(item: Int32, weight: Double)]] {
        let rows = data.interactions
        var rowsByUser = [[Int]](repeating: [], count: data.userCount)
        for k in 0..<rows.count where Int(rows.users[k]) < data.userCount { rowsByUser[Int(rows.users[k])].append(k) }
        let halfLifeSeconds = h.halfLifeDays * 86_400
        return rowsByUser.map { userRows in
            guard !userRows.isEmpty else { return [] }
            let mean = userRows.reduce(0.0) { $0 + Double(rows.values[$1]) } / Double(userRows.count)
            let latest = userRows.map { rows.timestamps[$0] }.max()!
            var weights: [(item: Int32, weight: Double)] = []
            for k in userRows {
                var weight = h.weighting == .centered && data.isExplicit ? Double(rows.values[k]) - mean : 1
                if halfLifeSeconds > 0 {
                    weight *= Self.decay(age: Double(latest - rows.timestamps[k]), halfLife: halfLifeSeconds)
                }
                if weight != 0 { weights.append((rows.items[k], weight)) }
            }
            return weights
        }
    }

    /// Each user's normalized weighted sum of TF-IDF vectors, accumulated in Double in row order.
    static func sparseProfiles(
        _ weights: [[(item: Int32, weight: Double)]], itemVectors: [SparseVector], terms: Int
    ) -> [SparseVector] {
        var accumulator = [Double](repeating: 0, count: terms)
        var touched: [Int32] = []
        return weights.map { userWeights in
            guard !userWeights.isEmpty else { return SparseVector() }
            for (item, weight) in userWeights where Int(item) < itemVectors.count {
                let vector = itemVectors[Int(item)]
                for (t, value) in zip(vector.indices, vector.values) {
                    if accumulator[Int(t)] == 0 { touched.append(t) }
                    accumulator[Int(t)] += weight * Double(value)
                }
            }
            touched.sort()
            let norm = touched.reduce(0.0) { $0 + accumulator[Int($1)] * accumulator[Int($1)] }.squareRoot()
            var indices: [Int32] = []
            var values: [Float] = []
            if norm > 0 {
                for t in touched where accumulator[Int(t)] != 0 {
                    indices.append(t)
                    values.append(Float(accumulator[Int(t)] / norm))
                }
            }
            for t in touched { accumulator[Int(t)] = 0 }
            touched.removeAll(keepingCapacity: true)
            return SparseVector(indices: indices, values: values)
        }
    }

    /// Each user's normalized weighted sum of `block`'s rows (users × dimension; zeros without rows).
    static func denseProfiles(_ weights: [[(item: Int32, weight: Double)]], block: DenseBlock, users: Int) -> [Float] {
        let d = block.dimension
        var profiles = [Float](repeating: 0, count: users * d)
        var accumulator = [Double](repeating: 0, count: d)
        block.rows.withUnsafeBufferPointer { rows in
            profiles.withUnsafeMutableBufferPointer { out in
                for (user, userWeights) in weights.enumerated() where user < users && !userWeights.isEmpty {
                    for j in 0..<d { accumulator[j] = 0 }
                    for (item, weight) in userWeights where Int(item) < block.itemCount {
                        let base = Int(item) * d
                        for j in 0..<d { accumulator[j] += weight * Double(rows[base + j]) }
                    }
                    var norm = 0.0
                    for j in 0..<d { norm += accumulator[j] * accumulator[j] }
                    norm = norm.squareRoot()
                    guard norm > 0 else { continue }
                    for j in 0..<d { out[user * d + j] = Float(accumulator[j] / norm) }
                }
            }
        }
        return profiles
    }

    /// The dense feature `kind` for every item of the data set.
    static func denseBlock(
        _ kind: ItemFeatureKind, texts: [String], data: TrainingData, hyperparameters h: Hyperparameters, seed: UInt64
    ) throws(ModelError) -> DenseBlock {
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        switch kind {
        case .tfidf:
            preconditionFailure("TF-IDF is sparse, not a dense block")
        case .minilm:
            guard let embedder = data.textEmbedder else {
                throw fail(
                    "features 'minilm' need the sentence encoder's files: fetch them with `crossrec models fetch "
                        + "all-MiniLM-L6-v2`, or pass --model-dir with a folder that holds them")
            }
            let vectors: [Float]
            do {
                vectors = try embedder.embed(texts)
            } catch {
                throw fail("the sentence encoder \(embedder.name) failed: \(error)")
            }
            guard vectors.count == texts.count * embedder.dimension else {
                throw fail(
                    "the sentence encoder \(embedder.name) returned \(vectors.count) numbers for \(texts.count) texts "
                        + "of dimension \(embedder.dimension)")
            }
            return DenseBlock(kind: kind, dimension: embedder.dimension, rows: vectors).normalized()
        case .lda:
            return try ldaBlock(texts: texts, hyperparameters: h, seed: seed)
        case .entities:
            guard let embeddings = data.entityEmbeddings, embeddings.count > 0 else {
                throw fail(
                    "features 'entities' need MIND's entity_embedding.vec beside news.tsv (the MIND releases ship it); "
                        + "this data set has no entity vectors")
            }
            guard let catalog = data.catalog else { throw fail("features 'entities' need the news catalog") }
            let d = embeddings.dimension
            var rows = [Float](repeating: 0, count: data.itemCount * d)
            for item in 0..<data.itemCount {
                guard item < catalog.records.count, let record = catalog.records[item] else { continue }
                var count = 0
                for entity in record.entities {
                    guard let vector = embeddings.vector(for: entity) else { continue }
                    for (j, value) in vector.enumerated() { rows[item * d + j] += value }
                    count += 1
                }
                if count > 1 { for j in 0..<d { rows[item * d + j] /= Float(count) } }
            }
            return DenseBlock(kind: kind, dimension: d, rows: rows).normalized()
        }
    }

    /// 0.5^(age / halfLife), age clamped at 0.
    static func decay(age: Double, halfLife: Double) -> Double { pow(0.5, max(0, age) / halfLife) }

    /// The MIND impression protocol: the profiles are built from `history` alone (uniform
    /// weights, no decay: a history carries no times), never from the trained profiles of
    /// `user`; an empty history gets popularity. O(Σ history nnz + Σ candidate nnz) for TF-IDF,
    /// O((history + candidates) · d) per dense kind.
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        for k in 0..<candidates.count { scores[k] = 0 }
        var anyProfile = false
        if usesTFIDF {
            var sum: [Int32: Double] = [:]
            for item in history where item >= 0 && Int(item) < itemVectors.count {
                let vector = itemVectors[Int(item)]
                for (t, value) in zip(vector.indices, vector.values) { sum[t, default: 0] += Double(value) }
            }
            let indices = sum.keys.sorted()
            let norm = indices.reduce(0.0) { $0 + sum[$1]! * sum[$1]! }.squareRoot()
            if norm > 0 {
                anyProfile = true
                let profile = SparseVector(indices: indices, values: indices.map { Float(sum[$0]! / norm) })
                for (k, item) in candidates.enumerated() where item >= 0 && Int(item) < itemVectors.count {
                    scores[k] += Float(profile.dot(itemVectors[Int(item)]))
                }
            }
        }
        for block in denseBlocks {
            let d = block.dimension
            var profile = [Double](repeating: 0, count: d)
            for item in history where item >= 0 && Int(item) < block.itemCount {
                for j in 0..<d { profile[j] += Double(block.rows[Int(item) * d + j]) }
            }
            let norm = profile.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            anyProfile = true
            for (k, item) in candidates.enumerated() where item >= 0 && Int(item) < block.itemCount {
                var dot = 0.0
                for j in 0..<d { dot += profile[j] * Double(block.rows[Int(item) * d + j]) }
                scores[k] += Float(dot / norm)
            }
        }
        guard anyProfile else {
            for (k, item) in candidates.enumerated() {
                scores[k] = item >= 0 && Int(item) < popularity.count ? popularity[Int(item)] : 0
            }
            return
        }
        let kinds = Float(hyperparameters.features.count)
        for k in 0..<candidates.count { scores[k] /= kinds }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count { scores[i] = 0 }
        var anyProfile = false
        if usesTFIDF, Int(user) < profiles.count, !profiles[Int(user)].isEmpty {
            anyProfile = true
            let profile = profiles[Int(user)]
            for (t, weight) in zip(profile.indices, profile.values) {
                for k in termOffsets[Int(t)]..<termOffsets[Int(t) + 1] where Int(termItems[k]) < scores.count {
                    scores[Int(termItems[k])] += weight * termWeights[k]
                }
            }
        }
        for (b, block) in denseBlocks.enumerated() {
            let d = block.dimension
            let start = Int(user) * d
            guard Int(user) >= 0, start + d <= denseProfiles[b].count else { continue }
            denseProfiles[b].withUnsafeBufferPointer { profiles in
                guard (start..<(start + d)).contains(where: { profiles[$0] != 0 }) else { return }
                anyProfile = true
                block.rows.withUnsafeBufferPointer { rows in
                    for item in 0..<min(block.itemCount, scores.count) {
                        var dot: Float = 0
                        let base = item * d
                        for j in 0..<d { dot += profiles[start + j] * rows[base + j] }
                        scores[item] += dot
                    }
                }
            }
        }
        guard anyProfile else {
            for i in 0..<scores.count { scores[i] = i < popularity.count ? popularity[i] : 0 }
            return
        }
        let kinds = Float(hyperparameters.features.count)
        for i in 0..<scores.count { scores[i] /= kinds }
    }
}

/// One dense item representation of a ``ContentModel``: items × dimension, row-major, each row of
/// unit length or all zeros (an item without that feature).
struct DenseBlock: Sendable {
    var kind: ItemFeatureKind
    var dimension: Int
    var rows: [Float]

    var itemCount: Int { dimension == 0 ? 0 : rows.count / dimension }

    /// Items whose row is not all zeros.
    var itemsWithVector: Int {
        (0..<itemCount).filter { item in (0..<dimension).contains { rows[item * dimension + $0] != 0 } }.count
    }

    /// Every row scaled to unit length (zero rows stay zero).
    func normalized() -> DenseBlock {
        var copy = self
        for item in 0..<itemCount {
            var norm: Float = 0
            for j in 0..<dimension { norm += rows[item * dimension + j] * rows[item * dimension + j] }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            for j in 0..<dimension { copy.rows[item * dimension + j] = rows[item * dimension + j] / norm }
        }
        return copy
    }
}
