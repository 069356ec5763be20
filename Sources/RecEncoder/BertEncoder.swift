import CLinearAlgebra
import Foundation

/// A BERT sentence encoder (sentence-transformers layout: a `BertModel`, mean pooling, L2
/// normalisation) run in Swift with OpenBLAS for the matrix products, e.g. all-MiniLM-L6-v2.
///
/// v(text) = normalize(mean_{t ∈ text} BERT(ids)_t), the mean over the text's real tokens and
/// the norm the Euclidean one, so v · w is the cosine similarity of two texts.
///
/// Texts are sorted by token count and cut into batches of `batchSize` (and of at most
/// `tokensPerPass` tokens), so texts of similar length go together; a batch is packed row after
/// row with no padding, each text attending to its own tokens only (what BERT's padding mask
/// computes), and the vectors come back in the order given.
///
/// - Complexity: per token about 2 × layers × (4H² + 2HI) flops (21 MFLOP for MiniLM-L6) plus the
///   attention, 4 × layers × L × H for a text of L tokens. Memory: the mapped model pages a pass
///   touches, plus per thread a workspace of tokensPerPass × (5H + I) floats (28 MB for MiniLM-L6
///   at 2,048 tokens), plus the output.
/// - Threads: `threads` workers take whole batches from a shared queue, each running OpenBLAS on
///   its own thread; `encode` pins OpenBLAS to one thread (`openblas_set_num_threads(1)`, process
///   wide, as RecModels does) so the workers do not oversubscribe the cores. The parallelism is
///   across batches: a call whose texts fit in one batch runs on one thread.
/// - Determinism: a text's vector depends only on the batch it falls in (its length-sorted
///   neighbours), never on which worker computed it, so for one build and machine the output is
///   bit-identical across runs and thread counts for the same `batchSize` and `tokensPerPass`.
public final class BertEncoder: Sendable {
    public let modelDirectory: String
    public let configuration: BertConfiguration
    public let threads: Int
    /// Most token rows one forward pass holds; a batch with more tokens is split.
    public let tokensPerPass: Int
    let weights: BertWeights

    /// Width of the sentence vectors (the hidden size).
    public var dimension: Int { configuration.hiddenSize }

    /// Loads the sentence model in `modelDirectory`: `config.json`, `model.safetensors`
    /// (memory-mapped) and `1_Pooling/config.json` (which must ask for mean pooling).
    /// - Parameters:
    ///   - threads: workers encoding batches in parallel, ≥ 1.
    ///   - tokensPerPass: most token rows per forward pass, which bounds each worker's workspace;
    ///     raised to the model's position count when below it.
    /// - Throws: `EncoderError.incompleteModelFolder` naming missing files, `badModelFile` naming
    ///   the file and what is wrong (see `BertConfiguration`, `SafetensorsFile`).
    public init(modelDirectory: String, threads: Int = 1, tokensPerPass: Int = 2048) throws {
        precondition(threads >= 1, "BertEncoder needs at least one thread, got \(threads)")
        precondition(tokensPerPass >= 1, "BertEncoder needs tokensPerPass ≥ 1, got \(tokensPerPass)")
        let folder = modelDirectory.hasSuffix("/") ? String(modelDirectory.dropLast()) : modelDirectory
        let files = ["config.json", "model.safetensors", "1_Pooling/config.json"]
        let missing = files.filter { !FileManager.default.fileExists(atPath: folder + "/" + $0) }
        guard missing.isEmpty else { throw EncoderError.incompleteModelFolder(path: folder, missing: missing) }
        let configuration = try BertConfiguration(contentsOf: folder + "/config.json")
        try Self.checkPooling(path: folder + "/1_Pooling/config.json", hiddenSize: configuration.hiddenSize)
        let file = try SafetensorsFile(path: folder + "/model.safetensors")
        self.weights = try BertWeights(file: file, configuration: configuration)
        self.modelDirectory = folder
        self.configuration = configuration
        self.threads = threads
        self.tokensPerPass = max(tokensPerPass, configuration.maxPositions)
    }

    /// The sentence vectors of tokenized texts (each `[CLS] … [SEP]` as the model's WordPiece
    /// tokenizer gives them), in the order given, each of `dimension` floats and unit length.
    /// - Throws: `EncoderError.invalidTokenIDs` for a text with no tokens, more tokens than the
    ///   model has positions, or an id outside its vocabulary.
    public func encode(tokenIDs: [[Int32]], batchSize: Int = 32) throws -> [[Float]] {
        let flat = try encodeFlat(tokenIDs: tokenIDs, batchSize: batchSize)
        let width = dimension
        return (0..<tokenIDs.count).map { Array(flat[$0 * width..<($0 + 1) * width]) }
    }

    /// `encode` as one row-major [texts, dimension] buffer.
    public func encodeFlat(tokenIDs: [[Int32]], batchSize: Int = 32) throws -> [Float] {
        precondition(batchSize >= 1, "batchSize must be at least 1, got \(batchSize)")
        try validate(tokenIDs)
        guard !tokenIDs.isEmpty else { return [] }
        openblas_set_num_threads(1)
        let width = dimension
        let lengths = tokenIDs.map(\.count)
        let passes = Self.plan(lengths: lengths, batchSize: batchSize, tokensPerPass: tokensPerPass)
        let capacity = passes.map { $0.reduce(0) { $0 + lengths[$1] } }.max()!
        let longest = lengths.max()!
        let queue = PassQueue(count: passes.count)
        var vectors = [Float](repeating: 0, count: tokenIDs.count * width)
        vectors.withUnsafeMutableBufferPointer { buffer in
            let output = SharedRows(base: buffer.baseAddress!)
            let weights = self.weights
            Self.runWorkers(min(threads, passes.count)) { _ in
                let workspace = BertWorkspace(configuration: weights.configuration, tokens: capacity, longest: longest)
                while let next = queue.take() {
                    let sequences = passes[next]
                    weights.forward(tokenIDs: tokenIDs, sequences: sequences, workspace: workspace)
                    var row = 0
                    for sequence in sequences {
                        BertKernels.meanPoolAndNormalize(
                            workspace.hidden + row * width, rows: lengths[sequence], width: width,
                            into: output.base + sequence * width)
                        row += lengths[sequence]
                    }
                }
            }
        }
        return vectors
    }

    /// The embedding layer's output and the last hidden state of one tokenized text, for
    /// comparing with a reference layer by layer.
    public func hiddenStates(tokenIDs: [Int32]) throws -> BertHiddenStates {
        try validate([tokenIDs])
        openblas_set_num_threads(1)
        let count = tokenIDs.count
        let width = dimension
        let workspace = BertWorkspace(configuration: configuration, tokens: count, longest: count)
        var embeddingOutput = [Float](repeating: 0, count: count * width)
        embeddingOutput.withUnsafeMutableBufferPointer { buffer in
            weights.forward(
                tokenIDs: [tokenIDs], sequences: [0], workspace: workspace, embeddingOutput: buffer.baseAddress)
        }
        let last = Array(UnsafeBufferPointer(start: workspace.hidden, count: count * width))
        return BertHiddenStates(tokens: count, width: width, embeddingOutput: embeddingOutput, lastHiddenState: last)
    }

    /// The forward passes: text indices sorted by (token count, index), cut into batches of
    /// `batchSize`, each cut again before a text that would take it over `tokensPerPass` tokens;
    /// returned longest first, so the workers' last passes are the short ones.
    static func plan(lengths: [Int], batchSize: Int, tokensPerPass: Int) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var passes: [[Int]] = []
        var batchStart = 0
        while batchStart < order.count {
            let batchEnd = min(batchStart + batchSize, order.count)
            var pass: [Int] = []
            var tokens = 0
            for index in order[batchStart..<batchEnd] {
                if !pass.isEmpty && tokens + lengths[index] > tokensPerPass {
                    passes.append(pass)
                    pass = []
                    tokens = 0
                }
                pass.append(index)
                tokens += lengths[index]
            }
            passes.append(pass)
            batchStart = batchEnd
        }
        return passes.reversed()
    }

    private func validate(_ tokenIDs: [[Int32]]) throws {
        let vocabulary = Int32(clamping: configuration.vocabularySize)
        for (text, ids) in tokenIDs.enumerated() {
            guard !ids.isEmpty else {
                throw EncoderError.invalidTokenIDs(
                    text: text, reason: "no tokens; a tokenized text holds at least [CLS] and [SEP]")
            }
            guard ids.count <= configuration.maxPositions else {
                throw EncoderError.invalidTokenIDs(
                    text: text,
                    reason: "\(ids.count) tokens, more than the model's \(configuration.maxPositions) positions; "
                        + "truncate it when tokenizing (sentence-transformers uses max_seq_length 256)")
            }
            if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
                throw EncoderError.invalidTokenIDs(
                    text: text,
                    reason: "token id \(bad) is outside the model's vocabulary of \(vocabulary) ids; was it "
                        + "tokenized with this model's vocab.txt (\(modelDirectory))?")
            }
        }
    }

    /// Refuses a pooling other than the mean of token embeddings, naming the file.
    private static func checkPooling(path: String, hiddenSize: Int) throws {
        guard let data = FileManager.default.contents(atPath: path),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            throw EncoderError.badModelFile(path: path, reason: "not a JSON object")
        }
        guard object["pooling_mode_mean_tokens"] as? Bool == true else {
            throw EncoderError.badModelFile(
                path: path, reason: "'pooling_mode_mean_tokens' is not true; crossrec encodes with mean pooling only")
        }
        for other in ["pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens"]
        where object[other] as? Bool == true {
            throw EncoderError.badModelFile(
                path: path, reason: "'\(other)' is true; crossrec encodes with mean pooling only")
        }
        if let dimension = object["word_embedding_dimension"] as? Int, dimension != hiddenSize {
            throw EncoderError.badModelFile(
                path: path,
                reason: "'word_embedding_dimension' is \(dimension) but config.json has hidden_size \(hiddenSize)")
        }
    }

    /// Runs `body(worker)` for workers 0..<count, worker 0 on the calling thread, and returns when
    /// all have.
    private static func runWorkers(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for worker in 1..<max(count, 1) {
            group.enter()
            Thread {
                body(worker)
                group.leave()
            }.start()
        }
        body(0)
        group.wait()
    }
}

/// The intermediate outputs of one text, row-major [tokens, width].
public struct BertHiddenStates: Sendable, Hashable {
    public var tokens: Int
    public var width: Int
    /// LayerNorm(word + position + token type embeddings).
    public var embeddingOutput: [Float]
    /// The last encoder layer's output (before pooling).
    public var lastHiddenState: [Float]
}

/// The next pass to run, handed out once each under a lock.
private final class PassQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// The output rows, written by the workers, each row by exactly one of them.
private struct SharedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}
