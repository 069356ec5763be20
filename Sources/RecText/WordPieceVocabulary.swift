internal import Foundation

/// A WordPiece vocabulary as BERT ships it in `vocab.txt`: one token per line, the line number
/// counted from 0 being the token's id. Tokens starting `##` continue a word; the others start
/// one.
///
/// Holds the tokens by id and two byte-keyed hash tables (word-initial pieces, and
/// continuation pieces stored without their `##`), so the tokenizer looks pieces up by UTF-8
/// slice without allocating.
/// - Complexity: loading O(file size); `id(of:)` O(token length) expected.
public struct WordPieceVocabulary: Sendable {
    /// The special tokens crossrec needs, by their BERT names.
    public static let unknownToken = "[UNK]"
    public static let classifierToken = "[CLS]"
    public static let separatorToken = "[SEP]"
    public static let paddingToken = "[PAD]"
    public static let maskToken = "[MASK]"

    /// Token text by id.
    public let tokens: [String]
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    /// `[PAD]`'s id, if the vocabulary has it.
    public let paddingID: Int32?
    /// `[MASK]`'s id, if the vocabulary has it.
    public let maskID: Int32?

    let initialPieces: ByteStringTable
    let continuationPieces: ByteStringTable

    public var count: Int { tokens.count }

    /// Reads a `vocab.txt`.
    ///
    /// Lines end in `\n` (a `\r` before it is ignored); a final newline is optional.
    /// - Throws: `VocabularyError.unreadable` when the file cannot be read;
    ///   `VocabularyError.malformed` naming the file and line when it is not UTF-8, is empty,
    ///   has an empty line, a token with surrounding whitespace or a token twice, or lacks
    ///   `[UNK]`, `[CLS]` or `[SEP]`.
    public init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VocabularyError.unreadable(path: path, reason: error.localizedDescription)
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var tokens: [String] = []
        tokens.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            var bytes = line
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard let token = String(validating: bytes, as: UTF8.self) else {
                throw VocabularyError.malformed(path: path, line: index + 1, reason: "not valid UTF-8")
            }
            tokens.append(token)
        }
        try self.init(tokens: tokens, source: path)
    }

    /// A vocabulary from its tokens in id order; `source` names them in errors.
    /// - Throws: `VocabularyError.malformed` as `init(contentsOfFile:)`, with line = id + 1.
    public init(tokens: [String], source: String = "vocabulary") throws {
        guard !tokens.isEmpty else {
            throw VocabularyError.malformed(path: source, line: 0, reason: "no tokens (the file is empty)")
        }
        guard tokens.count <= Int(Int32.max) else {
            throw VocabularyError.malformed(path: source, line: 0, reason: "more than \(Int32.max) tokens")
        }
        var initial = ByteStringTable(capacity: tokens.count)
        var continuation = ByteStringTable(capacity: tokens.count)
        var byName: [String: Int32] = [:]
        for (index, token) in tokens.enumerated() {
            let line = index + 1
            guard !token.isEmpty else {
                throw VocabularyError.malformed(path: source, line: line, reason: "empty line where a token belongs")
            }
            if let first = token.unicodeScalars.first, let last = token.unicodeScalars.last,
                first.properties.isWhitespace || last.properties.isWhitespace
            {
                throw VocabularyError.malformed(
                    path: source, line: line, reason: "token '\(token)' begins or ends with whitespace")
            }
            let id = Int32(index)
            let bytes = Array(token.utf8)
            let previous: Int32?
            if bytes.count > 2 && bytes[0] == UInt8(ascii: "#") && bytes[1] == UInt8(ascii: "#") {
                previous = continuation.insert(Array(bytes[2...]), value: id)
            } else {
                previous = initial.insert(bytes, value: id)
            }
            if let previous {
                throw VocabularyError.malformed(
                    path: source, line: line, reason: "token '\(token)' is also on line \(previous + 1)")
            }
            if token.hasPrefix("[") { byName[token] = id }
        }
        func required(_ name: String) throws -> Int32 {
            guard let id = byName[name] else {
                throw VocabularyError.malformed(path: source, line: 0, reason: "no '\(name)' token")
            }
            return id
        }
        self.tokens = tokens
        self.unknownID = try required(Self.unknownToken)
        self.classifierID = try required(Self.classifierToken)
        self.separatorID = try required(Self.separatorToken)
        self.paddingID = byName[Self.paddingToken]
        self.maskID = byName[Self.maskToken]
        self.initialPieces = initial
        self.continuationPieces = continuation
    }

    /// The id of `token` (`"##ing"` for a continuation piece), or nil.
    public func id(of token: String) -> Int32? {
        var bytes = Array(token.utf8)
        var table = initialPieces
        if bytes.count > 2 && bytes[0] == UInt8(ascii: "#") && bytes[1] == UInt8(ascii: "#") {
            bytes.removeFirst(2)
            table = continuationPieces
        }
        return bytes.withUnsafeBufferPointer { table.value(for: $0) }
    }

    /// The special tokens that, written literally in a text, stand for themselves (as in
    /// Hugging Face's added-token handling): `[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]`, those
    /// the vocabulary has.
    var specialTokens: [(bytes: [UInt8], id: Int32)] {
        var result: [(bytes: [UInt8], id: Int32)] = [
            (Array(Self.unknownToken.utf8), unknownID), (Array(Self.classifierToken.utf8), classifierID),
            (Array(Self.separatorToken.utf8), separatorID),
        ]
        if let paddingID { result.append((Array(Self.paddingToken.utf8), paddingID)) }
        if let maskID { result.append((Array(Self.maskToken.utf8), maskID)) }
        return result
    }
}
