import Foundation
import Testing

@testable import RecText

/// Token ids against sentence-transformers' own (all-MiniLM-L6-v2, max_seq_length 256), for
/// 486 texts: MIND titles and abstracts, MovieLens titles and 45 edge cases. Needs the shared
/// model and reference files; skipped, visibly, without them.
@Suite("WordPiece against the sentence-transformers reference")
struct WordPieceReferenceTests {
    static let vocabularyPath = "../shared/models/all-MiniLM-L6-v2/vocab.txt"
    static let referencePath = "../shared/testdata/minilm-reference/reference.jsonl"
    static let sharedDataAbsent =
        !FileManager.default.fileExists(atPath: vocabularyPath)
        || !FileManager.default.fileExists(atPath: referencePath)

    struct Reference: Decodable {
        var source: String
        var text: String
        var ids: [Int32]
    }

    static func references() throws -> [Reference] {
        let contents = try String(contentsOfFile: referencePath, encoding: .utf8)
        let decoder = JSONDecoder()
        return try contents.split(separator: "\n").map { try decoder.decode(Reference.self, from: Data($0.utf8)) }
    }

    @Test(
        .disabled(
            if: sharedDataAbsent,
            "../shared/models/all-MiniLM-L6-v2 or ../shared/testdata/minilm-reference absent: skipped"))
    func idsMatchSentenceTransformersForEveryReferenceText() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: Self.vocabularyPath, maxLength: 256)
        let references = try Self.references()
        #expect(references.count == 486)
        let encoded = tokenizer.encode(references.map(\.text))
        var differing: [String] = []
        for (reference, ids) in zip(references, encoded) where ids != reference.ids {
            let firstDifference =
                zip(ids, reference.ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(ids.count, reference.ids.count)
            differing.append(
                "[\(reference.source)] \(String(reflecting: String(reference.text.prefix(80)))): first difference at "
                    + "position \(firstDifference); ours \(ids.count) ids \(Array(ids.prefix(firstDifference + 3).suffix(6))), "
                    + "reference \(reference.ids.count) ids \(Array(reference.ids.prefix(firstDifference + 3).suffix(6)))"
            )
        }
        #expect(
            differing.isEmpty,
            "\(references.count - differing.count) of \(references.count) texts match; these differ:\n\(differing.joined(separator: "\n"))"
        )
    }
}
