import Foundation
import Testing

@testable import RecText

/// vocab.txt files that are missing or malformed: the error names the file and line.
@Suite("WordPiece vocabulary files")
struct WordPieceVocabularyTests {
    /// Writes `contents` as a vocab.txt in a fresh folder and hands its path to `body`.
    func withVocabularyFile(_ contents: Data, _ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vocab.txt").path
        try contents.write(to: URL(fileURLWithPath: path))
        try body(path)
    }

    func error(loading path: String) -> VocabularyError? {
        do {
            _ = try WordPieceTokenizer(vocabularyFile: path)
            return nil
        } catch let error as VocabularyError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func readsIdsFromLineNumbersWithOrWithoutAFinalNewlineAndWithCRLF() throws {
        for contents in [
            "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n##s\n", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##s",
        ] {
            try withVocabularyFile(Data(contents.utf8)) { path in
                let tokenizer = try WordPieceTokenizer(vocabularyFile: path)
                #expect(tokenizer.vocabulary.count == 6)
                #expect(tokenizer.vocabulary.id(of: "##s") == 5 && tokenizer.vocabulary.id(of: "hello") == 4)
                #expect(tokenizer.vocabulary.paddingID == 0 && tokenizer.vocabulary.maskID == nil)
                #expect(
                    tokenizer.encode("Hellos [MASK]") == [2, 4, 5, 1, 1, 1, 3],
                    "no [MASK] here: [ mask ] are three unknown words")
            }
        }
    }

    @Test func aMissingFileIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/vocab.txt"
        let error = error(loading: path)
        guard case .unreadable = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect("\(error!)".contains(path))
    }

    @Test(arguments: [
        ("[UNK]\n[CLS]\n\n[SEP]\n", 3, "empty line"),
        ("[UNK]\n[CLS]\n[SEP]\nword\n##s\nword\n", 6, "also on line 4"),
        ("[UNK]\n[CLS]\n[SEP]\nword \n", 4, "whitespace"),
        ("[UNK]\n[CLS]\nword\n", 0, "no '[SEP]' token"),
        ("", 0, "empty"),
    ])
    func malformedFilesNameTheFileAndLine(contents: String, line: Int, reason: String) throws {
        try withVocabularyFile(Data(contents.utf8)) { path in
            let error = error(loading: path)
            guard case .malformed(let errorPath, let errorLine, _) = error else {
                Issue.record("expected .malformed, got \(String(describing: error))")
                return
            }
            #expect(errorPath == path && errorLine == line)
            let message = "\(error!)"
            #expect(
                message.contains(line > 0 ? "\(path):\(line):" : "\(path):") && message.contains(reason), "\(message)")
        }
    }

    @Test func invalidUTF8IsNamedWithItsLine() throws {
        try withVocabularyFile(Data("[UNK]\n[CLS]\n[SEP]\n".utf8) + Data([0x66, 0xFF, 0x0A])) { path in
            #expect("\(error(loading: path).map { "\($0)" } ?? "")".contains("\(path):4: not valid UTF-8"))
        }
    }
}
