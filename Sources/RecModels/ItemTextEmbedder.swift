/// Turns item texts into unit-length dense vectors: a sentence encoder (MiniLM) behind an
/// embedding cache. The runtime supplies one in ``TrainingData/textEmbedder`` (it knows where the
/// model files and the cache are); content models ask it for their catalog's texts.
///
/// Contract: `embed` returns `texts.count × dimension` numbers, row-major, each row of unit length
/// (or all zeros for an empty text); the same texts give the same numbers (deterministic for a
/// given model and thread count). It may throw a user-fixable error (a missing model folder).
public protocol ItemTextEmbedder: Sendable {
    /// What the model is, for messages and fit summaries (`all-MiniLM-L6-v2`).
    var name: String { get }
    var dimension: Int { get }
    func embed(_ texts: [String]) throws -> [Float]
}
