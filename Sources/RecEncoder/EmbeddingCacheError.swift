/// What goes wrong in the ``EmbeddingCache``, naming the file or folder and what happens next.
public enum EmbeddingCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A cache file failed its checks (truncated, corrupted, another model's or format): it is not trusted,
    /// it is deleted, and the texts it held are encoded again. Reported through the cache's `warning`
    /// handler, not thrown.
    case discardedFile(path: String, reason: String)
    /// The cache folder or one of its files cannot be created, read or written.
    case fileSystem(path: String, reason: String)
    /// The `encode` closure answered `texts` texts with `vectors` vectors, or with a vector of
    /// `badLength` numbers where the cache holds `dimension`.
    case encoderOutput(texts: Int, vectors: Int, dimension: Int, badLength: Int?)

    public var description: String {
        switch self {
        case .discardedFile(let path, let reason):
            return "embedding cache file \(path): \(reason); not trusted: deleted, and its texts are encoded again"
        case .fileSystem(let path, let reason):
            return "embedding cache \(path): \(reason); check the folder's permissions and free space, "
                + "or delete the folder to start the cache afresh"
        case .encoderOutput(let texts, let vectors, let dimension, let badLength):
            if let badLength {
                return "the encoder returned a vector of \(badLength) numbers; the embedding cache holds "
                    + "\(dimension)-dimensional vectors (check the model and the cache's dimension)"
            }
            return "the encoder returned \(vectors) vectors for \(texts) texts"
        }
    }
}
