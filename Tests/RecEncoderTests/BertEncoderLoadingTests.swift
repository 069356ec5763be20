import Foundation
import Testing

@testable import RecEncoder

/// A BertEncoder loading a broken model folder names the file and what is wrong: the tensor BERT
/// needs, both shapes, the missing files.
@Suite("BERT encoder loading a model folder")
struct BertEncoderLoadingTests {
    @Test func encoderNamesAMissingLayerTensor() throws {
        let tensors = SafetensorsWriter.tinyBert().filter { $0.name != "encoder.layer.1.output.dense.weight" }
        let folder = try SafetensorsWriter.modelFolder(tensors)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = SafetensorsFileTests.message { _ = try BertEncoder(modelDirectory: folder) }
        #expect(text?.contains(folder + "/model.safetensors") == true, "\(text ?? "")")
        #expect(text?.contains("'encoder.layer.1.output.dense.weight' is missing") == true, "\(text ?? "")")
    }

    @Test func encoderNamesAShapeThatDisagreesWithConfigJSON() throws {
        var tensors = SafetensorsWriter.tinyBert()
        let index = tensors.firstIndex { $0.name == "embeddings.word_embeddings.weight" }!
        tensors[index] = SafetensorsWriter.Tensor(
            name: "embeddings.word_embeddings.weight", shape: [40, 6], values: Array(repeating: 0, count: 240))
        let folder = try SafetensorsWriter.modelFolder(tensors)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = SafetensorsFileTests.message { _ = try BertEncoder(modelDirectory: folder) }
        #expect(text?.contains(folder + "/model.safetensors") == true, "\(text ?? "")")
        #expect(text?.contains("has shape [40, 6], but config.json implies [40, 8]") == true, "\(text ?? "")")
    }

    @Test func encoderNamesMissingFiles() throws {
        let folder = try SafetensorsWriter.modelFolder(SafetensorsWriter.tinyBert())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.removeItem(atPath: folder + "/model.safetensors")
        let text = SafetensorsFileTests.message { _ = try BertEncoder(modelDirectory: folder) }
        #expect(text?.contains(folder) == true && text?.contains("missing model.safetensors") == true, "\(text ?? "")")
    }
}
