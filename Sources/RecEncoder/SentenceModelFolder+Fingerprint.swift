import Checksums
import Foundation

extension SentenceModelFolder {
    /// The model's identity for caches of its outputs (``EmbeddingCache``): the SHA-256, in lowercase hex,
    /// of the text `"<sha256>  <file>\n"` over ``requiredFiles`` sorted by name — `sha256sum`'s format, so
    /// in the folder `sha256sum 1_Pooling/config.json config.json model.safetensors tokenizer_config.json
    /// vocab.txt | sha256sum` gives the same value.
    ///
    /// Every required file counts, not only the weights and vocabulary: the architecture, lower-casing and
    /// pooling settings change the vectors too. The code that runs the model is not part of it; a caller
    /// whose encoder changes its output should mix a version of its own into the cache key.
    /// - Complexity: reads every required file once (about 91 MB for all-MiniLM-L6-v2).
    /// - Throws: ``EncoderError/badModelFile(path:reason:)`` when a file cannot be read.
    public func fingerprint() throws -> String {
        var lines = ""
        for file in Self.requiredFiles.sorted() {
            lines += "\(try sha256(ofFile: file))  \(file)\n"
        }
        return ModelDigest.hex(SHA256.hash(data: Data(lines.utf8)))
    }

    /// The SHA-256 (lowercase hex) of `file` inside the folder, read 1 MiB at a time.
    /// - Throws: ``EncoderError/badModelFile(path:reason:)`` when it cannot be read.
    public func sha256(ofFile file: String) throws -> String {
        let filePath = path(of: file)
        do {
            return try ModelDigest.sha256Hex(ofFile: filePath)
        } catch {
            throw EncoderError.badModelFile(path: filePath, reason: "cannot read it (\(error.localizedDescription))")
        }
    }
}
