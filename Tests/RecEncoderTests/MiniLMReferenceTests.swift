import Foundation
import Testing

@testable import RecEncoder

/// all-MiniLM-L6-v2 against sentence-transformers 6.3 / PyTorch 2.15 (the vectors and hidden
/// states in ../shared/testdata/minilm-reference, computed from the same token ids). Skipped,
/// visibly, when the model or the reference files are absent.
@Suite("all-MiniLM-L6-v2 against sentence-transformers", .serialized)
struct MiniLMReferenceTests {
    static let model = "../shared/models/all-MiniLM-L6-v2"
    static let references = "../shared/testdata/minilm-reference"
    static let absent =
        !FileManager.default.fileExists(atPath: model + "/model.safetensors")
        || !FileManager.default.fileExists(atPath: references + "/reference.jsonl")
        || !FileManager.default.fileExists(atPath: references + "/hidden.jsonl")
    static let skipReason: Comment =
        "../shared/models/all-MiniLM-L6-v2 or ../shared/testdata/minilm-reference absent: skipped"

    struct Reference: Decodable {
        var text: String
        var ids: [Int32]
        var vector: [Double]
    }

    struct Hidden: Decodable {
        var text: String
        var ids: [Int32]
        var embeddings_output: [[Double]]
        var last_hidden_state: [[Double]]
    }

    static func lines<T: Decodable>(_ file: String, as type: T.Type) throws -> [T] {
        let text = try String(contentsOfFile: references + "/" + file, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    /// Worst cosine and worst absolute component difference of `vectors` against the references.
    static func agreement(_ vectors: [[Float]], _ references: [Reference]) -> (cosine: Double, difference: Double) {
        var worstCosine = 1.0
        var worstDifference = 0.0
        for (vector, reference) in zip(vectors, references) {
            var dot = 0.0
            var ours = 0.0
            var theirs = 0.0
            for (a, b) in zip(vector, reference.vector) {
                dot += Double(a) * b
                ours += Double(a) * Double(a)
                theirs += b * b
                worstDifference = max(worstDifference, abs(Double(a) - b))
            }
            worstCosine = min(worstCosine, dot / (ours.squareRoot() * theirs.squareRoot()))
        }
        return (worstCosine, worstDifference)
    }

    /// Tolerance: 1e-5 on the embedding output and 2e-5 on the last hidden state (components up to
    /// ~10 in magnitude), about ten times the differences measured (1.2e-6 and 1.8e-6): float32
    /// sums taken in another order than PyTorch's.
    @Test(.disabled(if: absent, skipReason))
    func hiddenStatesMatchLayerByLayer() throws {
        let encoder = try BertEncoder(modelDirectory: Self.model)
        let texts = try Self.lines("hidden.jsonl", as: Hidden.self)
        #expect(texts.count == 3)
        for text in texts {
            let states = try encoder.hiddenStates(tokenIDs: text.ids)
            let width = states.width
            var embeddingDifference = 0.0
            var lastDifference = 0.0
            for (row, (embedding, last)) in zip(text.embeddings_output, text.last_hidden_state).enumerated() {
                for j in 0..<width {
                    embeddingDifference = max(
                        embeddingDifference, abs(Double(states.embeddingOutput[row * width + j]) - embedding[j]))
                    lastDifference = max(lastDifference, abs(Double(states.lastHiddenState[row * width + j]) - last[j]))
                }
            }
            print("hidden.jsonl '\(text.text)': embedding output within \(embeddingDifference), ", terminator: "")
            print("last hidden state within \(lastDifference)")
            #expect(embeddingDifference <= 1e-5, "'\(text.text)': embedding output off by \(embeddingDifference)")
            #expect(lastDifference <= 2e-5, "'\(text.text)': last hidden state off by \(lastDifference)")
        }
    }

    /// The goals: cosine ≥ 0.99999 and every component within 1e-4 of the reference, for
    /// every text, in batches of 1, 7, 32 and 128 texts, on 1 and 2 threads; bit-identical output
    /// across two runs on 2 threads and between 1 and 2 threads (each batch runs on one thread).
    /// Six encodings of the 486 texts: about a minute in a debug build.
    @Test(.disabled(if: absent, skipReason))
    func everyReferenceVectorWithinTheGoals() throws {
        let references = try Self.lines("reference.jsonl", as: Reference.self)
        #expect(references.count == 486)
        let ids = references.map(\.ids)
        let one = try BertEncoder(modelDirectory: Self.model, threads: 1)
        let two = try BertEncoder(modelDirectory: Self.model, threads: 2)
        var overall = (cosine: 1.0, difference: 0.0)
        func check(_ encoder: BertEncoder, batchSize: Int) throws -> [[Float]] {
            let vectors = try encoder.encode(tokenIDs: ids, batchSize: batchSize)
            let (cosine, difference) = Self.agreement(vectors, references)
            print("batch \(batchSize), \(encoder.threads) thread(s): worst cosine \(cosine), worst |Δ| \(difference)")
            #expect(cosine >= 0.99999, "batch \(batchSize), threads \(encoder.threads): cosine \(cosine)")
            #expect(difference <= 1e-4, "batch \(batchSize), threads \(encoder.threads): |Δ| \(difference)")
            overall = (min(overall.cosine, cosine), max(overall.difference, difference))
            return vectors
        }
        let first = try check(two, batchSize: 32)
        #expect(try two.encode(tokenIDs: ids, batchSize: 32) == first, "two runs on 2 threads differ")
        #expect(try check(one, batchSize: 32) == first, "1 and 2 threads differ")
        for (encoder, batchSize) in [(two, 1), (one, 7), (two, 128)] { _ = try check(encoder, batchSize: batchSize) }
        print("486 reference texts: worst cosine \(overall.cosine), worst |Δ| \(overall.difference)")
    }
}
