import Foundation
import RecText
import Testing

@testable import RecEncoder

/// The embedder content models get: tokenizer + encoder behind the embedding cache, loaded lazily.
@Suite("Sentence embedder (tokenizer, encoder and cache together)")
struct SentenceEmbedderTests {
    static let words = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "dog", "sat", "on", "mat", "news", "movie",
        "storm", "bills", "win", "##s", "a", "of", "and",
    ]

    /// A complete model folder around the tiny random BERT (40 ids; the vocabulary uses 20 of them).
    static func tinyModelFolder(maxSequenceLength: Int? = nil) throws -> String {
        let folder = try SafetensorsWriter.modelFolder(SafetensorsWriter.tinyBert())
        try (words.joined(separator: "\n") + "\n").write(toFile: folder + "/vocab.txt", atomically: true, encoding: .utf8)
        try #"{"do_lower_case": true}"#.write(toFile: folder + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        if let maxSequenceLength {
            try #"{"max_seq_length": \#(maxSequenceLength), "do_lower_case": false}"#.write(
                toFile: folder + "/sentence_bert_config.json", atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("embedder-cache-\(UUID().uuidString)")
    }

    @Test func emptyTextsAreZeroRowsAndTheRestMatchTheEncoderOnTheTokenizersIDs() throws {
        let folder = try Self.tinyModelFolder()
        let cache = Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(at: cache)
        }
        let embedder = SentenceEmbedder(name: "tiny", modelPath: folder, cacheFolder: cache, threads: 2)
        #expect(embedder.dimension == 0)  // nothing read yet
        let texts = ["The cat sat on the mat", "", "Bills win", "  \n", "The cat sat on the mat", "storm news"]
        let rows = try embedder.embed(texts)
        #expect(embedder.dimension == 8)
        #expect(rows.count == texts.count * 8)
        func row(_ k: Int) -> [Float] { Array(rows[k * 8..<(k + 1) * 8]) }
        #expect(row(1).allSatisfy { $0 == 0 } && row(3).allSatisfy { $0 == 0 })
        #expect(row(0) == row(4))
        #expect(embedder.encodedTexts == 3)  // three distinct non-empty texts
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder + "/vocab.txt", maxLength: 24)
        let direct = try BertEncoder(modelDirectory: folder).encode(
            tokenIDs: tokenizer.encode(["The cat sat on the mat", "Bills win", "storm news"]))
        for (k, expected) in zip([0, 2, 5], direct) {
            let difference = zip(row(k), expected).map { abs($0 - $1) }.max() ?? 1
            #expect(difference < 1e-6, "text \(k): off by \(difference)")
        }
    }

    @Test func aSecondEmbedderOnTheSameCacheEncodesNothingAndReturnsTheSameBits() throws {
        let folder = try Self.tinyModelFolder()
        let cache = Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(at: cache)
        }
        let texts = (0..<50).map { "the \(Self.words[5 + $0 % 15]) of \(Self.words[5 + ($0 * 7) % 15]) \($0)" }
        let first = SentenceEmbedder(name: "tiny", modelPath: folder, cacheFolder: cache)
        let cold = try first.embed(texts)
        #expect(first.encodedTexts == 50)
        let second = SentenceEmbedder(name: "tiny", modelPath: folder, cacheFolder: cache)
        let warm = try second.embed(texts.reversed())
        #expect(second.encodedTexts == 0)
        let width = 8
        for k in 0..<50 {
            #expect(Array(cold[k * width..<(k + 1) * width]) == Array(warm[(49 - k) * width..<(50 - k) * width]))
        }
        // Another maximum sequence length changes the vectors of long texts, so it is another cache.
        let shorter = try Self.tinyModelFolder(maxSequenceLength: 4)
        defer { try? FileManager.default.removeItem(atPath: shorter) }
        let other = SentenceEmbedder(name: "tiny", modelPath: shorter, cacheFolder: cache)
        _ = try other.embed(texts)
        #expect(other.encodedTexts == 50)
    }

    @Test func aMissingModelFolderIsNamedWithHowToGetItOnFirstUse() throws {
        let missing = Self.temporaryFolder().path
        let embedder = SentenceEmbedder(name: "all-MiniLM-L6-v2", modelPath: missing, cacheFolder: nil)
        #expect(embedder.dimension == 0)
        do {
            _ = try embedder.embed(["a text"])
            Issue.record("a missing model folder was accepted")
        } catch let error as EncoderError {
            #expect("\(error)".contains(missing))
            #expect("\(error)".contains("crossrec models fetch all-MiniLM-L6-v2"))
            #expect("\(error)".contains("--model-dir"))
        }
        // The error is remembered, not retried on every call.
        #expect(throws: EncoderError.self) { try embedder.embed(["another"]) }
    }

    @Test func aMaximumSequenceLengthBeyondTheModelsPositionsIsRefusedNamingTheFile() throws {
        let folder = try Self.tinyModelFolder(maxSequenceLength: 4096)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let embedder = SentenceEmbedder(name: "tiny", modelPath: folder, cacheFolder: nil)
        do {
            _ = try embedder.embed(["the cat"])
            Issue.record("max_seq_length 4096 on a 24-position model was accepted")
        } catch {
            #expect("\(error)".contains("sentence_bert_config.json"))
            #expect("\(error)".contains("4096"))
        }
    }

    /// The goal end to end: our tokenizer's ids into our encoder, for all 486 reference texts.
    @Test(.disabled(if: MiniLMReferenceTests.absent, "../shared/models/all-MiniLM-L6-v2 or ../shared/testdata/minilm-reference absent: skipped"))
    func referenceTextsEndToEndWithinTheGoals() throws {
        let references = try MiniLMReferenceTests.lines("reference.jsonl", as: MiniLMReferenceTests.Reference.self)
        let folder = try SentenceModelFolder(validating: MiniLMReferenceTests.model)
        let length = try SentenceEmbedder.maximumSequenceLength(folder)
        #expect(length == 256)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.vocabularyPath, maxLength: length)
        let vectors = try BertEncoder(modelDirectory: folder.path, threads: 2).encode(
            tokenIDs: tokenizer.encode(references.map(\.text)))
        let (cosine, difference) = MiniLMReferenceTests.agreement(vectors, references)
        print("486 reference texts from raw text: worst cosine \(cosine), worst |Δ| \(difference)")
        #expect(cosine >= 0.99999)
        #expect(difference <= 1e-4)
        // Through the embedder (no cache): the same vectors for every non-empty text.
        let embedder = SentenceEmbedder(name: "all-MiniLM-L6-v2", modelPath: folder.path, cacheFolder: nil, threads: 2)
        let nonEmpty = references.filter { !$0.text.allSatisfy(\.isWhitespace) }
        let rows = try embedder.embed(nonEmpty.map(\.text))
        let split = (0..<nonEmpty.count).map { Array(rows[$0 * 384..<($0 + 1) * 384]) }
        let (embedderCosine, _) = MiniLMReferenceTests.agreement(split, nonEmpty)
        #expect(embedderCosine >= 0.99999)
    }
}
