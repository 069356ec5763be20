import Checksums
public import Foundation
public import RecModels
import RecText
import Synchronization

/// The item-text embedder crossrec's commands and workers hand to content models: a sentence model
/// folder (WordPiece tokenizer + ``BertEncoder``) behind an ``EmbeddingCache``.
///
/// Nothing is read until the first ``embed(_:)``: a command that never asks for `minilm` features
/// does not need the model, and one that does gets the missing folder named then, with how to get
/// it. The model is loaded once per process; its vectors are looked up in the cache first, and only
/// texts no process on the machine has encoded yet are run through the encoder.
///
/// An empty (or all-whitespace) text gets a zero vector without being encoded: an item with no text
/// has no semantic content, and the vector of `[CLS] [SEP]` would make every such item look alike.
public final class SentenceEmbedder: ItemTextEmbedder, Sendable {
    /// Encoder settings that change the numbers, part of the cache key with the model's files.
    /// Raise `version` whenever the encoder's arithmetic changes.
    struct Recipe: Sendable, Hashable {
        static let version = 1
        var batchSize = 32
        var tokensPerPass = 2048
    }

    /// What is loaded on first use.
    struct Loaded: Sendable {
        var tokenizer: WordPieceTokenizer
        var encoder: BertEncoder
        var cache: EmbeddingCache?
    }

    public let name: String
    /// The model folder (as given; checked on first use).
    public let modelPath: String
    /// The shared cache root (`<cache>/embeddings`), or nil to encode every time.
    public let cacheFolder: URL?
    public let threads: Int
    let recipe = Recipe()
    private let loaded = Mutex<Result<Loaded, EncoderError>?>(nil)
    private let warning: @Sendable (String) -> Void
    /// Texts this instance sent to the encoder (cache misses), for reports and tests.
    private let encodedCount = Atomic<Int>(0)

    /// - Parameters:
    ///   - name: for messages (`all-MiniLM-L6-v2`).
    ///   - modelPath: the folder `crossrec models fetch` fills, or one given with `--model-dir`.
    ///   - cacheFolder: the embedding cache root shared by the machine's processes; nil for none.
    ///   - threads: encoder threads (the output does not depend on it).
    ///   - warning: told about damaged cache files that were discarded and rebuilt.
    public init(
        name: String, modelPath: String, cacheFolder: URL?, threads: Int = 1,
        warning: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.name = name
        self.modelPath = modelPath
        self.cacheFolder = cacheFolder
        self.threads = max(1, threads)
        self.warning = warning
    }

    /// The vector width, once the model is loaded (0 before, or when it cannot be).
    public var dimension: Int {
        loaded.withLock { (try? $0?.get())?.encoder.dimension } ?? 0
    }

    /// How many texts this instance has run through the encoder (the rest came from the cache).
    public var encodedTexts: Int { encodedCount.load(ordering: .relaxed) }

    /// Loads the model (once) and says what is wrong when it cannot.
    /// - Throws: ``EncoderError`` naming the folder and the missing or bad file, and how to get it.
    public func load() throws -> (dimension: Int, fingerprint: String) {
        let state = try state()
        return (state.encoder.dimension, state.cache?.modelFingerprint ?? "")
    }

    public func embed(_ texts: [String]) throws -> [Float] {
        let state = try state()
        let width = state.encoder.dimension
        var result = [Float](repeating: 0, count: texts.count * width)
        var distinct: [String] = []
        var slot: [String: Int] = [:]
        var rows = [Int](repeating: -1, count: texts.count)
        for (index, text) in texts.enumerated() where !text.allSatisfy(\.isWhitespace) {
            if let known = slot[text] {
                rows[index] = known
            } else {
                slot[text] = distinct.count
                rows[index] = distinct.count
                distinct.append(text)
            }
        }
        guard !distinct.isEmpty else { return result }
        let encode: ([String]) throws -> [[Float]] = { misses in
            self.encodedCount.add(misses.count, ordering: .relaxed)
            return try state.encoder.encode(
                tokenIDs: state.tokenizer.encode(misses), batchSize: self.recipe.batchSize)
        }
        let vectors: [Float]
        if let cache = state.cache {
            vectors = try cache.matrix(for: distinct, encode: encode)
        } else {
            vectors = try encode(distinct).flatMap { $0 }
        }
        for (index, row) in rows.enumerated() where row >= 0 {
            result.replaceSubrange(index * width..<(index + 1) * width, with: vectors[row * width..<(row + 1) * width])
        }
        return result
    }

    private func state() throws -> Loaded {
        try loaded.withLock { state in
            if state == nil { state = Result { () throws(EncoderError) in try self.open() } }
            return try state!.get()
        }
    }

    private func open() throws(EncoderError) -> Loaded {
        let folder: SentenceModelFolder
        do {
            folder = try SentenceModelFolder(validating: modelPath)
        } catch let error as EncoderError {
            throw error
        } catch {
            throw .badModelFile(path: modelPath, reason: "\(error)")
        }
        let maxLength = try Self.maximumSequenceLength(folder)
        let tokenizer: WordPieceTokenizer
        let encoder: BertEncoder
        do {
            tokenizer = try WordPieceTokenizer(vocabularyFile: folder.vocabularyPath, maxLength: maxLength)
        } catch {
            throw .badModelFile(path: folder.vocabularyPath, reason: "\(error)")
        }
        do {
            encoder = try BertEncoder(
                modelDirectory: folder.path, threads: threads, tokensPerPass: recipe.tokensPerPass)
        } catch let error as EncoderError {
            throw error
        } catch {
            throw .badModelFile(path: folder.weightsPath, reason: "\(error)")
        }
        guard let cacheFolder else { return Loaded(tokenizer: tokenizer, encoder: encoder, cache: nil) }
        do {
            let files = try folder.fingerprint()
            let key = "\(files) seq\(maxLength) batch\(recipe.batchSize) pass\(recipe.tokensPerPass) v\(Recipe.version)"
            let fingerprint = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
            let warning = self.warning
            let cache = try EmbeddingCache(
                folder: cacheFolder, modelFingerprint: fingerprint, dimension: encoder.dimension,
                warning: { warning("\($0)") })
            return Loaded(tokenizer: tokenizer, encoder: encoder, cache: cache)
        } catch let error as EncoderError {
            throw error
        } catch {
            throw .badModelFile(path: cacheFolder.path, reason: "cannot open the embedding cache: \(error)")
        }
    }

    /// The longest input the model takes: `max_seq_length` of `sentence_bert_config.json` when the
    /// folder has it (256 for all-MiniLM-L6-v2), else the model's position count.
    static func maximumSequenceLength(_ folder: SentenceModelFolder) throws(EncoderError) -> Int {
        let configuration: BertConfiguration
        do {
            configuration = try BertConfiguration(contentsOf: folder.configurationPath)
        } catch let error as EncoderError {
            throw error
        } catch {
            throw .badModelFile(path: folder.configurationPath, reason: "\(error)")
        }
        let path = folder.path(of: "sentence_bert_config.json")
        guard let data = FileManager.default.contents(atPath: path) else { return configuration.maxPositions }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .badModelFile(path: path, reason: "not a JSON object; fetch the model again")
        }
        guard let length = object["max_seq_length"] as? Int else { return configuration.maxPositions }
        guard (2...configuration.maxPositions).contains(length) else {
            throw .badModelFile(
                path: path,
                reason: "max_seq_length \(length) is outside 2…\(configuration.maxPositions) (the model's positions)")
        }
        return length
    }
}
