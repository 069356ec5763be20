/// The parameters of a Hugging Face `BertModel` checkpoint, as pointers into its memory-mapped
/// safetensors file, every shape checked against `config.json`.
///
/// Dense weights keep PyTorch's `nn.Linear` layout, [out, in] row-major, so y = x Wᵀ + b is one
/// `cblas_sgemm` with the weight transposed. Tensor names are those of `BertModel`
/// (`embeddings.word_embeddings.weight`, `encoder.layer.3.attention.self.query.weight`, …), also
/// accepted under a `bert.` prefix as task heads (`BertForMaskedLM`, …) save them. The pooler is
/// not used.
///
/// - Contract: immutable; the pointers are valid while `file` lives, which this value keeps alive.
struct BertWeights: @unchecked Sendable {
    /// One transformer layer.
    struct Layer {
        var query: UnsafePointer<Float>  // [hidden, hidden]
        var queryBias: UnsafePointer<Float>  // [hidden]
        var key: UnsafePointer<Float>
        var keyBias: UnsafePointer<Float>
        var value: UnsafePointer<Float>
        var valueBias: UnsafePointer<Float>
        var attentionOutput: UnsafePointer<Float>  // [hidden, hidden]
        var attentionOutputBias: UnsafePointer<Float>
        var attentionNormScale: UnsafePointer<Float>  // [hidden]
        var attentionNormBias: UnsafePointer<Float>
        var intermediate: UnsafePointer<Float>  // [intermediate, hidden]
        var intermediateBias: UnsafePointer<Float>  // [intermediate]
        var output: UnsafePointer<Float>  // [hidden, intermediate]
        var outputBias: UnsafePointer<Float>  // [hidden]
        var outputNormScale: UnsafePointer<Float>
        var outputNormBias: UnsafePointer<Float>
    }

    let file: SafetensorsFile
    let configuration: BertConfiguration
    var wordEmbeddings: UnsafePointer<Float>  // [vocabulary, hidden]
    var positionEmbeddings: UnsafePointer<Float>  // [positions, hidden]
    var tokenTypeEmbeddings: UnsafePointer<Float>  // [types, hidden]
    var embeddingNormScale: UnsafePointer<Float>  // [hidden]
    var embeddingNormBias: UnsafePointer<Float>
    var layers: [Layer]

    /// Looks up every tensor the forward pass reads.
    /// - Throws: `EncoderError.badModelFile` naming the safetensors file and the first tensor that
    ///   is missing, not F32 or shaped otherwise than `configuration` implies.
    init(file: SafetensorsFile, configuration: BertConfiguration) throws {
        self.file = file
        self.configuration = configuration
        let prefix =
            file.tensors["embeddings.word_embeddings.weight"] == nil
                && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: Int...) throws -> UnsafePointer<Float> {
            try file.floats(named: prefix + name, shape: shape).baseAddress!
        }
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", configuration.vocabularySize, hidden)
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", configuration.maxPositions, hidden)
        tokenTypeEmbeddings = try tensor(
            "embeddings.token_type_embeddings.weight", configuration.typeVocabularySize, hidden)
        embeddingNormScale = try tensor("embeddings.LayerNorm.weight", hidden)
        embeddingNormBias = try tensor("embeddings.LayerNorm.bias", hidden)
        layers = try (0..<configuration.layers).map { index in
            let layer = "encoder.layer.\(index)."
            return Layer(
                query: try tensor(layer + "attention.self.query.weight", hidden, hidden),
                queryBias: try tensor(layer + "attention.self.query.bias", hidden),
                key: try tensor(layer + "attention.self.key.weight", hidden, hidden),
                keyBias: try tensor(layer + "attention.self.key.bias", hidden),
                value: try tensor(layer + "attention.self.value.weight", hidden, hidden),
                valueBias: try tensor(layer + "attention.self.value.bias", hidden),
                attentionOutput: try tensor(layer + "attention.output.dense.weight", hidden, hidden),
                attentionOutputBias: try tensor(layer + "attention.output.dense.bias", hidden),
                attentionNormScale: try tensor(layer + "attention.output.LayerNorm.weight", hidden),
                attentionNormBias: try tensor(layer + "attention.output.LayerNorm.bias", hidden),
                intermediate: try tensor(layer + "intermediate.dense.weight", inner, hidden),
                intermediateBias: try tensor(layer + "intermediate.dense.bias", inner),
                output: try tensor(layer + "output.dense.weight", hidden, inner),
                outputBias: try tensor(layer + "output.dense.bias", hidden),
                outputNormScale: try tensor(layer + "output.LayerNorm.weight", hidden),
                outputNormBias: try tensor(layer + "output.LayerNorm.bias", hidden))
        }
    }
}
