import ArgumentParser
import DataFetch
import Foundation
import RecEncoder

/// The sentence encoder that content models' `minilm` features use, for the commands that train
/// models (`train`, `compare`, `recommend`, `worker`, `sweep run`). Nothing is read unless a model
/// asks for `minilm`: then the folder is checked and the missing files named.
struct TextEncoderOptions: ParsableArguments {
    @Option(help: "Sentence model for 'minilm' features, as `crossrec models list` names it.")
    var textModel = "all-MiniLM-L6-v2"

    @Option(help: "A folder holding the sentence model's files, instead of the one `crossrec models fetch` fills.")
    var modelDir: String?

    @Option(help: "Cache folder: fetched models under models/, item embeddings shared by every process under embeddings/.")
    var cache = "crossrec-cache"

    @Option(help: "Threads encoding item texts on a cache miss (default: the number of cores).")
    var encoderThreads: Int?

    func validate() throws {
        if modelDir == nil && !ModelCatalog.official.names.contains(textModel) {
            throw ValidationError(
                "unknown sentence model '\(textModel)'; known models: \(ModelCatalog.official.names.joined(separator: ", ")), "
                    + "or give a folder with --model-dir")
        }
        if let encoderThreads, encoderThreads < 1 { throw ValidationError("--encoder-threads must be at least 1") }
    }

    /// The folder the model is read from.
    var modelPath: String {
        modelDir ?? ModelFetcher.directory(of: textModel, in: URL(fileURLWithPath: cache)).path
    }

    /// The embedder handed to models; damaged cache files are reported on stderr.
    func embedder() -> SentenceEmbedder {
        SentenceEmbedder(
            name: modelDir.map { ($0 as NSString).lastPathComponent } ?? textModel, modelPath: modelPath,
            cacheFolder: EmbeddingCache.defaultFolder(inCache: URL(fileURLWithPath: cache)),
            threads: encoderThreads ?? ProcessInfo.processInfo.activeProcessorCount,
            warning: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) })
    }

    /// The same settings as `crossrec worker` arguments, for local workers.
    var workerArguments: [String] {
        var arguments = ["--text-model", textModel, "--cache", cache]
        if let modelDir { arguments += ["--model-dir", modelDir] }
        if let encoderThreads { arguments += ["--encoder-threads", String(encoderThreads)] }
        return arguments
    }
}
