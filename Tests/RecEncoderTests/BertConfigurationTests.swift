import Foundation
import Testing

@testable import RecEncoder

@Suite("BERT configuration")
struct BertConfigurationTests {
    static let sharedModel = "../shared/models/all-MiniLM-L6-v2"
    static let sharedModelAbsent = !FileManager.default.fileExists(atPath: sharedModel + "/config.json")

    @Test(.disabled(if: sharedModelAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func readsTheMiniLMConfiguration() throws {
        let configuration = try BertConfiguration(contentsOf: Self.sharedModel + "/config.json")
        #expect(configuration.hiddenSize == 384 && configuration.layers == 6 && configuration.attentionHeads == 12)
        #expect(configuration.headSize == 32 && configuration.intermediateSize == 1536)
        #expect(configuration.vocabularySize == 30522 && configuration.maxPositions == 512)
        #expect(configuration.layerNormEpsilon == 1e-12)
    }

    @Test func namesTheFileAndFieldOfABadConfiguration() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bert-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("config.json").path
        try #"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 3, "intermediate_size": 4, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: EncoderError.self) { try BertConfiguration(contentsOf: path) }
        do {
            _ = try BertConfiguration(contentsOf: path)
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("num_attention_heads"))
        }
        try #"{"hidden_act": "relu"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try BertConfiguration(contentsOf: path)
            Issue.record("a relu model was accepted")
        } catch {
            #expect("\(error)".contains("hidden_act"))
        }
    }
}
