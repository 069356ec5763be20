/// One file of a ``ModelRelease``, pinned by size and SHA-256.
public struct ModelFile: Sendable, Hashable {
    /// Path inside the model repository and inside the local model folder, `/`-separated
    /// (`model.safetensors`, `1_Pooling/config.json`).
    public var path: String
    /// Size in bytes, for progress and listings; the SHA-256 is what is checked.
    public var size: Int64
    /// SHA-256 of the published file, lowercase hex.
    public var sha256: String

    public init(path: String, size: Int64, sha256: String) {
        precondition(
            sha256.count == 64 && sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase },
            "a pinned SHA-256 is 64 lowercase hex digits: \(path) \(sha256)")
        precondition(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "unsafe model path \(path)")
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}
