extension BertWeights {
    /// Runs the encoder over the sequences `sequences` of `tokenIDs`, packed row after row into
    /// `workspace` (no padding), leaving their last hidden state in `workspace.hidden`.
    ///
    /// Embeddings: e_t = LayerNorm((word[id_t] + type[0]) + position[t]), t the position in its
    /// sequence. Each layer: Q, K, V = h Wᵀ + b; per sequence and head, softmax(Q Kᵀ/√d) V;
    /// h ← LayerNorm(h + ctx W_oᵀ + b_o); h ← LayerNorm(h + GELU(h W_iᵀ + b_i) W_2ᵀ + b_2).
    ///
    /// - Parameter embeddingOutput: when given, receives a copy of the embedding layer's output,
    ///   [rows, hidden].
    /// - Complexity: per token and layer 4·H² + 2·H·I multiply-adds in `cblas_sgemm`, plus 2·L·H for
    ///   the attention of a sequence of L tokens; O(rows × (5H + I)) workspace.
    /// - Contract: ids already validated (in the vocabulary, 1…maxPositions per sequence); the
    ///   sequences' token counts sum to at most `workspace.tokens`, none above `workspace.longest`.
    func forward(
        tokenIDs: [[Int32]], sequences: [Int], workspace: BertWorkspace,
        embeddingOutput: UnsafeMutablePointer<Float>? = nil
    ) {
        let width = configuration.hiddenSize
        let inner = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        let rows = sequences.reduce(0) { $0 + tokenIDs[$1].count }
        precondition(rows <= workspace.tokens, "a pass of \(rows) tokens in a workspace for \(workspace.tokens)")
        let hidden = workspace.hidden

        var row = 0
        for sequence in sequences {
            tokenIDs[sequence].withUnsafeBufferPointer { ids in
                for position in 0..<ids.count {
                    let x = hidden + row * width
                    let word = wordEmbeddings + Int(ids[position]) * width
                    let place = positionEmbeddings + position * width
                    let type = tokenTypeEmbeddings
                    for j in 0..<width { x[j] = (word[j] + type[j]) + place[j] }
                    row += 1
                }
            }
        }
        BertKernels.layerNorm(
            hidden, rows: rows, width: width, scale: embeddingNormScale, bias: embeddingNormBias, epsilon: epsilon)
        embeddingOutput?.update(from: hidden, count: rows * width)

        let (query, key, value, context) = (workspace.query, workspace.key, workspace.value, workspace.context)
        for layer in layers {
            BertKernels.dense(
                hidden, rows: rows, inputWidth: width, weight: layer.query, bias: layer.queryBias, outputWidth: width,
                into: query)
            BertKernels.dense(
                hidden, rows: rows, inputWidth: width, weight: layer.key, bias: layer.keyBias, outputWidth: width,
                into: key)
            BertKernels.dense(
                hidden, rows: rows, inputWidth: width, weight: layer.value, bias: layer.valueBias, outputWidth: width,
                into: value)
            var start = 0
            for sequence in sequences {
                let length = tokenIDs[sequence].count
                let offset = start * width
                BertKernels.attention(
                    query: query + offset, key: key + offset, value: value + offset, context: context + offset,
                    length: length, hidden: width, heads: configuration.attentionHeads, scores: workspace.scores)
                start += length
            }
            // The sublayers trade buffers instead of copying: the attention block's output goes to
            // the query buffer (free once the attention has run), the feed-forward block's back to
            // `hidden`, whose old value it no longer needs.
            let attended = query
            BertKernels.dense(
                context, rows: rows, inputWidth: width, weight: layer.attentionOutput, bias: nil, outputWidth: width,
                into: attended)
            BertKernels.addBiasResidualAndNormalize(
                attended, bias: layer.attentionOutputBias, residual: hidden, rows: rows, width: width,
                scale: layer.attentionNormScale, shift: layer.attentionNormBias, epsilon: epsilon)
            BertKernels.dense(
                attended, rows: rows, inputWidth: width, weight: layer.intermediate, bias: nil, outputWidth: inner,
                into: workspace.intermediate)
            BertKernels.geluAddingBias(workspace.intermediate, bias: layer.intermediateBias, rows: rows, width: inner)
            BertKernels.dense(
                workspace.intermediate, rows: rows, inputWidth: inner, weight: layer.output, bias: nil,
                outputWidth: width, into: hidden)
            BertKernels.addBiasResidualAndNormalize(
                hidden, bias: layer.outputBias, residual: attended, rows: rows, width: width,
                scale: layer.outputNormScale, shift: layer.outputNormBias, epsilon: epsilon)
        }
    }
}
