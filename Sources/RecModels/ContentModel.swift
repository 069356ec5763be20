internal import Foundation
public import RecData
internal import RecText

/// Content-based ranking: a user's profile is the weighted mean of the TF-IDF vectors of the
/// items they interacted with, and an item's score is its cosine with that profile.
///
/// - Item text: ``ItemCatalog/text(of:)`` (title, year, categories, subcategory, abstract, tags)
///   through ``TextAnalyzer`` (tokenize, drop English stop words, Snowball-stem when `stem`).
/// - Item vectors: ``TFIDFModel`` fitted on the texts of every catalog item (terms in at least
///   `min_df` items and at most `max_df` of them, the `max_terms` most frequent when set).
/// - Profile of user u: p_u = Σ_rows w·x_i / ‖Σ_rows w·x_i‖ over u's training rows (item i,
///   value r, time t), with w = 1 (`weighting uniform`) or r − r̄_u (`centered`, explicit data:
///   items rated below the user's mean push the profile away), times 0.5^((t_last − t) /
///   half-life) when `half_life_days` > 0 (t_last: the user's latest row).
/// - score(u, i) = p_u · x_i, from an inverted term → items index. A user without rows, or whose
///   profile is empty, gets popularity (training rows per item), like the CF models.
///
/// No epochs; the seed is not used (fitting is exact and deterministic).
/// - Complexity: fit O(text length + nnz · terms per item + V log V); ``scoreAll(user:into:)``
///   O(items + Σ over the profile's terms of their document frequency). Memory O(item-term
///   nonzeros + Σ profile sizes).
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

        public init(
            minimumDocumentFrequency: Int = 2, maximumDocumentFraction: Double = 1, maximumTerms: Int = 0,
            sublinearTF: Bool = true, stems: Bool = true, halfLifeDays: Double = 0, weighting: Weighting = .uniform
        ) {
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

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard h.minimumDocumentFrequency >= 1 else { throw fail("min_df must be at least 1") }
        guard h.maximumDocumentFraction > 0 && h.maximumDocumentFraction <= 1 else { throw fail("max_df must be in (0, 1]") }
        guard h.halfLifeDays >= 0 && h.halfLifeDays.isFinite else { throw fail("half_life_days must be ≥ 0") }
        guard let catalog = data.catalog, catalog.describedCount > 0 else {
            throw fail(
                "this data set has no item text (content models read titles, genres, categories, abstracts and "
                    + "tags: MovieLens u.item or movies.csv, MIND news.tsv, or the synthetic data set); use a CF model")
        }
        popularity = data.itemRowCounts()

        let analyzer = TextAnalyzer(stems: h.stems)
        let documents = analyzer.terms(of: (0..<data.itemCount).map { catalog.text(of: Int32($0)) })
        let tfidf = TFIDFModel(
            documents: documents,
            options: .init(
                minimumDocumentFrequency: h.minimumDocumentFrequency, maximumDocumentFraction: h.maximumDocumentFraction,
                maximumTerms: h.maximumTerms > 0 ? h.maximumTerms : nil, sublinearTF: h.sublinearTF))
        guard !tfidf.vocabulary.isEmpty else {
            throw fail(
                "no term occurs in at least min_df = \(h.minimumDocumentFrequency) of the \(data.itemCount) item texts "
                    + "within max_df = \(h.maximumDocumentFraction); lower min_df or raise max_df")
        }
        vocabulary = tfidf.vocabulary
        itemVectors = documents.map(tfidf.vector)
        buildInvertedIndex(itemVectors, terms: vocabulary.count)
        profiles = Self.profiles(data, itemVectors: itemVectors, terms: vocabulary.count, hyperparameters: h)
        _ = progress(EpochProgress(epoch: 1, totalEpochs: 1, values: ["vocabulary": Double(vocabulary.count)]))
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

    /// Each user's normalized weighted sum of item vectors, accumulated in Double in row order.
    static func profiles(
        _ data: TrainingData, itemVectors: [SparseVector], terms: Int, hyperparameters h: Hyperparameters
    ) -> [SparseVector] {
        let rows = data.interactions
        var rowsByUser = [[Int]](repeating: [], count: data.userCount)
        for k in 0..<rows.count where Int(rows.users[k]) < data.userCount { rowsByUser[Int(rows.users[k])].append(k) }
        var accumulator = [Double](repeating: 0, count: terms)
        var touched: [Int32] = []
        let halfLifeSeconds = h.halfLifeDays * 86_400
        return rowsByUser.map { userRows in
            guard !userRows.isEmpty else { return SparseVector() }
            let mean = userRows.reduce(0.0) { $0 + Double(rows.values[$1]) } / Double(userRows.count)
            let latest = userRows.map { rows.timestamps[$0] }.max()!
            for k in userRows {
                var weight = h.weighting == .centered && data.isExplicit ? Double(rows.values[k]) - mean : 1
                if halfLifeSeconds > 0 {
                    weight *= Self.decay(age: Double(latest - rows.timestamps[k]), halfLife: halfLifeSeconds)
                }
                guard weight != 0 else { continue }
                let vector = itemVectors[Int(rows.items[k])]
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

    /// 0.5^(age / halfLife), age clamped at 0.
    static func decay(age: Double, halfLife: Double) -> Double { pow(0.5, max(0, age) / halfLife) }

    /// The MIND impression protocol: the profile is built from `history` alone (uniform weights,
    /// no decay: a history carries no times), never from the trained profile of `user`; an empty
    /// history gets popularity. O(Σ history nnz + Σ candidate nnz).
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        var sum: [Int32: Double] = [:]
        for item in history where item >= 0 && Int(item) < itemVectors.count {
            let vector = itemVectors[Int(item)]
            for (t, value) in zip(vector.indices, vector.values) { sum[t, default: 0] += Double(value) }
        }
        let indices = sum.keys.sorted()
        let norm = indices.reduce(0.0) { $0 + sum[$1]! * sum[$1]! }.squareRoot()
        guard norm > 0 else {
            for (k, item) in candidates.enumerated() {
                scores[k] = item >= 0 && Int(item) < popularity.count ? popularity[Int(item)] : 0
            }
            return
        }
        let profile = SparseVector(indices: indices, values: indices.map { Float(sum[$0]! / norm) })
        for (k, item) in candidates.enumerated() {
            scores[k] = item >= 0 && Int(item) < itemVectors.count ? Float(profile.dot(itemVectors[Int(item)])) : 0
        }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let profile = Int(user) < profiles.count ? profiles[Int(user)] : SparseVector()
        guard !profile.isEmpty else {
            for i in 0..<scores.count { scores[i] = i < popularity.count ? popularity[i] : 0 }
            return
        }
        for i in 0..<scores.count { scores[i] = 0 }
        for (t, weight) in zip(profile.indices, profile.values) {
            for k in termOffsets[Int(t)]..<termOffsets[Int(t) + 1] where Int(termItems[k]) < scores.count {
                scores[Int(termItems[k])] += weight * termWeights[k]
            }
        }
    }
}
