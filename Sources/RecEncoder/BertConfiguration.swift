import Foundation

/// The architecture of a BERT-family sentence model, as its `config.json` states it (the
/// Hugging Face `BertConfig` fields crossrec reads), plus the pooling and length limit of the
/// sentence model around it.
///
/// crossrec runs BERT encoders with absolute position embeddings, exact (erf) GELU and mean
/// pooling; anything else is refused with an error naming the file and field.
public struct BertConfiguration: Sendable, Hashable, Codable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var attentionHeads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float

    public init(
        vocabularySize: Int, hiddenSize: Int, layers: Int, attentionHeads: Int, intermediateSize: Int,
        maxPositions: Int, typeVocabularySize: Int, layerNormEpsilon: Float
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.attentionHeads = attentionHeads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / attentionHeads }

    /// Reads `config.json` at `path`.
    /// - Throws: `EncoderError.badModelFile` naming the file and the field that is missing,
    ///   mistyped or unsupported.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EncoderError.badModelFile(path: path, reason: "cannot read it (\(error.localizedDescription))")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EncoderError.badModelFile(path: path, reason: "not a JSON object")
        }
        func integer(_ key: String) throws -> Int {
            guard let value = object[key] as? Int, value > 0 else {
                throw EncoderError.badModelFile(path: path, reason: "field '\(key)' must be a positive integer")
            }
            return value
        }
        if let activation = object["hidden_act"] as? String, activation != "gelu" {
            throw EncoderError.badModelFile(
                path: path, reason: "field 'hidden_act' is '\(activation)'; crossrec runs BERT models with 'gelu' (exact, erf)")
        }
        if let positions = object["position_embedding_type"] as? String, positions != "absolute" {
            throw EncoderError.badModelFile(
                path: path, reason: "field 'position_embedding_type' is '\(positions)'; crossrec supports 'absolute'")
        }
        vocabularySize = try integer("vocab_size")
        hiddenSize = try integer("hidden_size")
        layers = try integer("num_hidden_layers")
        attentionHeads = try integer("num_attention_heads")
        intermediateSize = try integer("intermediate_size")
        maxPositions = try integer("max_position_embeddings")
        typeVocabularySize = try integer("type_vocab_size")
        guard let epsilon = (object["layer_norm_eps"] as? NSNumber)?.floatValue, epsilon > 0 else {
            throw EncoderError.badModelFile(path: path, reason: "field 'layer_norm_eps' must be a positive number")
        }
        layerNormEpsilon = epsilon
        guard hiddenSize % attentionHeads == 0 else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "'hidden_size' \(hiddenSize) is not a multiple of 'num_attention_heads' \(attentionHeads)")
        }
    }
}
