import Foundation

/// A folder holding the files of a sentence-transformers BERT model, checked to be complete: the files
/// `crossrec models fetch` writes to `<cache>/models/<name>`, or a folder given with `--model-dir`.
///
/// Checking is cheap (it looks at names and sizes, not contents); ``fingerprint()`` hashes the contents.
public struct SentenceModelFolder: Sendable, Hashable {
    /// The files the encoder reads: architecture, tokenizer settings, vocabulary, pooling, weights.
    public static let requiredFiles = [
        "config.json", "tokenizer_config.json", "vocab.txt", "1_Pooling/config.json", "model.safetensors",
    ]

    /// The folder, as given.
    public let path: String

    /// Checks that `path` is a folder holding every one of ``requiredFiles`` as a non-empty file.
    ///
    /// - Throws: ``EncoderError/incompleteModelFolder(path:missing:)`` naming each file that is absent
    ///   (or, with "(empty)", present but empty, as an interrupted copy leaves it) and saying how to get
    ///   them; every file is listed when `path` is not a folder.
    public init(validating path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw EncoderError.incompleteModelFolder(path: path, missing: Self.requiredFiles)
        }
        var missing: [String] = []
        for file in Self.requiredFiles {
            let filePath = (path as NSString).appendingPathComponent(file)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: filePath, isDirectory: &isDirectory), !isDirectory.boolValue
            else {
                missing.append(file)
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: filePath)[.size] as? NSNumber)?.int64Value
            if size == 0 { missing.append("\(file) (empty)") }
        }
        guard missing.isEmpty else { throw EncoderError.incompleteModelFolder(path: path, missing: missing) }
        self.path = path
    }

    /// The path of `file` (one of ``requiredFiles`` or any other file name) inside the folder.
    public func path(of file: String) -> String { (path as NSString).appendingPathComponent(file) }

    /// `config.json`: the BERT architecture (``BertConfiguration``).
    public var configurationPath: String { path(of: "config.json") }
    /// `tokenizer_config.json`: lower-casing and the special tokens.
    public var tokenizerConfigurationPath: String { path(of: "tokenizer_config.json") }
    /// `vocab.txt`: the WordPiece vocabulary, one token per line.
    public var vocabularyPath: String { path(of: "vocab.txt") }
    /// `1_Pooling/config.json`: the pooling mode.
    public var poolingConfigurationPath: String { path(of: "1_Pooling/config.json") }
    /// `model.safetensors`: the weights.
    public var weightsPath: String { path(of: "model.safetensors") }
}
