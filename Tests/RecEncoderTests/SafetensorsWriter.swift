import Foundation

/// Writes small safetensors files (and BERT model folders) for the tests: the real format, with
/// ways to break it.
enum SafetensorsWriter {
    struct Tensor {
        var name: String
        var dtype = "F32"
        var shape: [Int]
        var bytes: [UInt8]

        init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.bytes = values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
        }

        init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// The file's bytes: 8-byte little-endian header length, the JSON header padded with spaces to
    /// a multiple of 8, the tensors' data in order.
    static func bytes(_ tensors: [Tensor]) -> [UInt8] {
        var entries: [String] = [#""__metadata__":{"format":"pt"}"#]
        var offset = 0
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                #""\#(tensor.name)":{"dtype":"\#(tensor.dtype)","shape":[\#(shape)],"data_offsets":[\#(offset),\#(offset + tensor.bytes.count)]}"#
            )
            offset += tensor.bytes.count
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return headerLength(header.count) + header + tensors.flatMap(\.bytes)
    }

    static func headerLength(_ count: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(count).littleEndian) { Array($0) }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A random BERT of the given size, in BertModel tensor names, seeded.
    static func tinyBert(
        vocabulary: Int = 40, hidden: Int = 8, layers: Int = 2, intermediate: Int = 16, positions: Int = 24,
        seed: UInt64 = 7
    ) -> [Tensor] {
        var state = seed
        func random(_ count: Int, scale: Float = 0.5, offset: Float = 0) -> [Float] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return offset + scale * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
            }
        }
        var tensors = [
            Tensor(
                name: "embeddings.word_embeddings.weight", shape: [vocabulary, hidden],
                values: random(vocabulary * hidden)),
            Tensor(
                name: "embeddings.position_embeddings.weight", shape: [positions, hidden],
                values: random(positions * hidden)),
            Tensor(name: "embeddings.token_type_embeddings.weight", shape: [2, hidden], values: random(2 * hidden)),
            Tensor(name: "embeddings.LayerNorm.weight", shape: [hidden], values: random(hidden, scale: 0.2, offset: 1)),
            Tensor(name: "embeddings.LayerNorm.bias", shape: [hidden], values: random(hidden, scale: 0.1)),
        ]
        for layer in 0..<layers {
            let prefix = "encoder.layer.\(layer)."
            for name in [
                "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            ] {
                tensors.append(
                    Tensor(name: prefix + name + ".weight", shape: [hidden, hidden], values: random(hidden * hidden)))
                tensors.append(
                    Tensor(name: prefix + name + ".bias", shape: [hidden], values: random(hidden, scale: 0.1)))
            }
            tensors += [
                Tensor(
                    name: prefix + "intermediate.dense.weight", shape: [intermediate, hidden],
                    values: random(intermediate * hidden)),
                Tensor(
                    name: prefix + "intermediate.dense.bias", shape: [intermediate],
                    values: random(intermediate, scale: 0.1)),
                Tensor(
                    name: prefix + "output.dense.weight", shape: [hidden, intermediate],
                    values: random(hidden * intermediate)),
                Tensor(name: prefix + "output.dense.bias", shape: [hidden], values: random(hidden, scale: 0.1)),
            ]
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                tensors.append(
                    Tensor(
                        name: prefix + norm + ".weight", shape: [hidden], values: random(hidden, scale: 0.2, offset: 1))
                )
                tensors.append(
                    Tensor(name: prefix + norm + ".bias", shape: [hidden], values: random(hidden, scale: 0.1)))
            }
        }
        return tensors
    }

    /// Writes a sentence-model folder (config.json, 1_Pooling/config.json, model.safetensors) for
    /// `tensors` of a BERT with the given sizes into a new temporary folder and returns its path.
    static func modelFolder(
        _ tensors: [Tensor], vocabulary: Int = 40, hidden: Int = 8, layers: Int = 2, heads: Int = 2,
        intermediate: Int = 16, positions: Int = 24
    ) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-bert-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder + "/1_Pooling", withIntermediateDirectories: true)
        let configuration = """
            {"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": \(hidden), "intermediate_size": \(intermediate),
             "layer_norm_eps": 1e-12, "max_position_embeddings": \(positions), "model_type": "bert",
             "num_attention_heads": \(heads), "num_hidden_layers": \(layers), "position_embedding_type": "absolute",
             "type_vocab_size": 2, "vocab_size": \(vocabulary)}
            """
        try configuration.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        let pooling = """
            {"word_embedding_dimension": \(hidden), "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
             "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
            """
        try pooling.write(toFile: folder + "/1_Pooling/config.json", atomically: true, encoding: .utf8)
        try write(bytes(tensors), to: folder + "/model.safetensors")
        return folder
    }
}
