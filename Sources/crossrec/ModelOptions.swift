import ArgumentParser
import DataFetch
import Foundation
import RecEncoder

/// Where a command finds its sentence model: the folder `crossrec models fetch` fills in the cache,
/// or any folder given with `--model-dir`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Sentence model, as `crossrec models list` names it.")
    var model = "all-MiniLM-L6-v2"

    @Option(help: "A folder holding the model's files (config.json, vocab.txt, model.safetensors, …) to use instead.")
    var modelDir: String?

    @Option(help: "Cache folder that `crossrec models fetch` downloads into.")
    var cache = "crossrec-cache"

    func validate() throws {
        if modelDir == nil && !ModelCatalog.official.names.contains(model) {
            throw ValidationError(
                "unknown model '\(model)'; known models: \(ModelCatalog.official.names.joined(separator: ", ")), "
                    + "or give a folder with --model-dir")
        }
    }

    /// The folder the model is read from.
    var folderPath: String {
        modelDir ?? ModelFetcher.directory(of: model, in: URL(fileURLWithPath: cache)).path
    }

    /// The model folder, checked to be complete.
    /// - Throws: `EncoderError.incompleteModelFolder` naming the missing files and how to get them.
    func folder() throws -> SentenceModelFolder {
        try SentenceModelFolder(validating: folderPath)
    }
}
