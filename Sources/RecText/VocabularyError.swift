/// What is wrong with a WordPiece vocabulary file (`vocab.txt`), naming the file, the line
/// where it can, and what to do about it.
public enum VocabularyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file cannot be read at all (missing, a folder, no permission).
    case unreadable(path: String, reason: String)
    /// The file reads but breaks the one-token-per-line format; `line` counts from 1 (0 when
    /// the problem is the file as a whole).
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the WordPiece vocabulary (\(reason)); point the tokenizer at the "
                + "model's vocab.txt, e.g. get the model with `crossrec models fetch all-MiniLM-L6-v2`"
        case .malformed(let path, let line, let reason):
            let place = line > 0 ? "\(path):\(line)" : path
            return "\(place): \(reason); a vocab.txt holds one token per line, the line number (from 0) being "
                + "the token id, as the model's own vocab.txt does: fetch the model's files again"
        }
    }
}
