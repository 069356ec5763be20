/// The scratch buffers of one worker's forward passes, sized for at most `tokens` packed token
/// rows and sequences of at most `longest` tokens.
///
/// - Complexity: tokens × (5 × hidden + intermediate) + longest² floats: 28 MB for 2,048 tokens of
///   MiniLM-L6 (hidden 384, intermediate 1,536).
/// - Contract: used by one thread at a time; the buffers are freed in `deinit`.
final class BertWorkspace {
    let tokens: Int
    let longest: Int
    /// [tokens, hidden]: the layer input and output (the hidden state).
    let hidden: UnsafeMutablePointer<Float>
    /// [tokens, hidden]: Q, then the attention block's output.
    let query: UnsafeMutablePointer<Float>
    let key: UnsafeMutablePointer<Float>
    let value: UnsafeMutablePointer<Float>
    let context: UnsafeMutablePointer<Float>
    /// [tokens, intermediate].
    let intermediate: UnsafeMutablePointer<Float>
    /// [longest, longest]: one head's attention probabilities.
    let scores: UnsafeMutablePointer<Float>

    init(configuration: BertConfiguration, tokens: Int, longest: Int) {
        precondition(
            tokens >= 1 && longest >= 1 && longest <= tokens, "workspace for \(tokens) tokens, longest \(longest)")
        self.tokens = tokens
        self.longest = longest
        let rows = tokens * configuration.hiddenSize
        hidden = .allocate(capacity: rows)
        query = .allocate(capacity: rows)
        key = .allocate(capacity: rows)
        value = .allocate(capacity: rows)
        context = .allocate(capacity: rows)
        intermediate = .allocate(capacity: tokens * configuration.intermediateSize)
        scores = .allocate(capacity: longest * longest)
    }

    /// Bytes this workspace holds for `tokens` rows and sequences of `longest` tokens.
    static func bytes(configuration: BertConfiguration, tokens: Int, longest: Int) -> Int {
        let floats = tokens * (5 * configuration.hiddenSize + configuration.intermediateSize) + longest * longest
        return floats * MemoryLayout<Float>.stride
    }

    deinit {
        for buffer in [hidden, query, key, value, context, intermediate, scores] { buffer.deallocate() }
    }
}
