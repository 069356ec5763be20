/// Pretrained knowledge-graph vectors shipped with MIND (`entity_embedding.vec`,
/// `relation_embedding.vec`): one vector per Wikidata id, stored in one flat buffer.
///
/// Vector `i` is `vectors[i * dimension..<(i + 1) * dimension]` for the id `ids[Int32(i)]`.
/// - Complexity: lookup by id is O(1); memory is 4 bytes per number plus the id map.
public struct MINDEmbeddings: Sendable, Equatable {
    public private(set) var ids: IDMap
    public let dimension: Int
    public private(set) var vectors: [Float]

    public init(dimension: Int) {
        self.ids = IDMap()
        self.dimension = dimension
        self.vectors = []
    }

    public var count: Int { ids.count }

    /// The vector of `id` (`Q41`, `P31`), or nil when the files have none.
    public func vector(for id: String) -> ArraySlice<Float>? {
        guard let index = ids.index(of: id) else { return nil }
        let start = Int(index) * dimension
        return vectors[start..<(start + dimension)]
    }

    /// Whether `id` has a vector.
    public func contains(_ id: String) -> Bool { ids.index(of: id) != nil }

    /// Adds a vector for a new id. Returns false (and changes nothing) when `id` already has one.
    mutating func add(id: String, vector: UnsafeBufferPointer<Float>) -> Bool {
        precondition(vector.count == dimension, "vector of \(vector.count) numbers, dimension is \(dimension)")
        let before = ids.count
        guard ids.intern(id) == Int32(before) else { return false }
        vectors.append(contentsOf: vector)
        return true
    }
}
