/// The item representations a content model can build a user profile from.
public enum ItemFeatureKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Sparse TF-IDF over the stemmed words of the item text.
    case tfidf
    /// A sentence encoder's vector of the item text (``TrainingData/textEmbedder``).
    case minilm
    /// The item's topic shares from LDA fitted on the catalog's texts.
    case lda
    /// The mean of MIND's knowledge-graph vectors of the entities in the item's title and
    /// abstract (``TrainingData/entityEmbeddings``).
    case entities

    public static func < (lhs: ItemFeatureKind, rhs: ItemFeatureKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Every non-empty combination, written `a+b` in canonical order (tfidf, minilm, lda,
    /// entities), single kinds first: the values of the `features` hyperparameter.
    public static let combinations: [String] = {
        let kinds = allCases
        let subsets = (1..<(1 << kinds.count)).map { mask in kinds.indices.filter { mask & (1 << $0) != 0 } }
        let ordered = subsets.sorted { lhs, rhs in
            lhs.count != rhs.count ? lhs.count < rhs.count : lhs.lexicographicallyPrecedes(rhs)
        }
        return ordered.map { $0.map { kinds[$0].rawValue }.joined(separator: "+") }
    }()

    /// The kinds of a `features` value (`tfidf+minilm`); nil if it names something else.
    public static func parse(_ text: String) -> [ItemFeatureKind]? {
        let kinds = text.split(separator: "+").map { ItemFeatureKind(rawValue: String($0)) }
        guard !kinds.isEmpty, !kinds.contains(nil) else { return nil }
        let unique = Array(Set(kinds.compactMap { $0 })).sorted()
        return unique.count == kinds.count ? unique : nil
    }
}

