/// What goes wrong loading or running a sentence encoder, with the file and what to do.
public enum EncoderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A model file is missing, truncated, of the wrong kind or inconsistent with the others.
    case badModelFile(path: String, reason: String)
    /// The model folder lacks files; `missing` names them.
    case incompleteModelFolder(path: String, missing: [String])
    /// Text `text` (0-based, in the order given) cannot be encoded as tokenized: no tokens, more
    /// than the model's positions, or an id outside its vocabulary.
    case invalidTokenIDs(text: Int, reason: String)

    public var description: String {
        switch self {
        case .badModelFile(let path, let reason):
            return "\(path): \(reason)"
        case .incompleteModelFolder(let path, let missing):
            return "\(path): not a complete sentence-model folder (missing \(missing.joined(separator: ", "))); "
                + "get the files with `crossrec models fetch all-MiniLM-L6-v2`, or point --model-dir at a folder "
                + "holding them"
        case .invalidTokenIDs(let text, let reason):
            return "text \(text) (0-based): \(reason)"
        }
    }
}
