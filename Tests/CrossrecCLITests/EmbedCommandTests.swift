import Foundation
import Testing

@Suite("crossrec embed")
struct EmbedCommandTests {
    static let sharedModel = ModelsCommandTests.sharedModel

    /// A MovieLens 100K folder with four movies, one of them without a title.
    static func movieLens(in folder: TemporaryFolder) throws -> String {
        func flags(_ genres: [Int]) -> String { (0..<19).map { genres.contains($0) ? "1" : "0" }.joined(separator: "|") }
        try folder.write("ml/u.genre", (0..<19).map { "g\($0)|\($0)" }.joined(separator: "\n") + "\n")
        try folder.write(
            "ml/u.item",
            """
            1|Toy Story (1995)|01-Jan-1995||http://x|\(flags([3, 4, 5]))
            2|Heat (1995)|01-Jan-1995||http://y|\(flags([1, 6]))
            3|Toy Story (1995)|01-Jan-1995||http://z|\(flags([3, 4, 5]))
            4|Apollo 13 (1995)|01-Jan-1995||http://w|\(flags([8]))

            """)
        try folder.write("ml/u.data", "1\t1\t5\t881250949\n1\t2\t3\t881250950\n2\t4\t4\t881250951\n2\t3\t2\t881250952\n")
        return folder.file("ml")
    }

    /// Reads a float32 .npy's shape (from the header) and values.
    static func readNPY(_ path: String) throws -> (shape: String, values: [Float]) {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[0..<6]) == [0x93] + Array("NUMPY".utf8))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<10 + headerLength], as: UTF8.self)
        #expect(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"))
        let shape = header.components(separatedBy: "'shape': ")[1].components(separatedBy: ")")[0] + ")"
        let body = bytes[(10 + headerLength)...]
        let values = stride(from: body.startIndex, to: body.endIndex, by: 4).map { k in
            Float(bitPattern: UInt32(body[k]) | UInt32(body[k + 1]) << 8 | UInt32(body[k + 2]) << 16 | UInt32(body[k + 3]) << 24)
        }
        return (shape, values)
    }

    @Test(.disabled(if: ModelsCommandTests.sharedModelAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func writesUnitRowsAndIdsAndASecondProcessReadsTheCache() throws {
        let folder = try TemporaryFolder()
        let data = try Self.movieLens(in: folder)
        let arguments = ["embed", data, "--model-dir", Self.sharedModel, "--encoder-threads", "1"]
        let first = try CLI.run(arguments + ["--output", "out/a.npy"], currentDirectory: folder.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("4 × 384 float32 (movies: 3 encoded, 0 from the cache, 1 repeat another item's text)"))
        let (shape, values) = try Self.readNPY(folder.file("out/a.npy"))
        #expect(shape == "(4, 384)")
        for row in 0..<4 {
            let norm = values[row * 384..<(row + 1) * 384].reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5, "row \(row): norm \(norm)")
        }
        #expect(values[0..<384] == values[768..<1152], "the two Toy Story rows are one text")
        let ids = try String(contentsOfFile: folder.file("out/a.ids.tsv"), encoding: .utf8)
        #expect(ids == "row\tdomain\titem\n0\tmovies\t1\n1\tmovies\t2\n2\tmovies\t3\n3\tmovies\t4\n")

        // Another process, same cache folder: nothing encoded, the same bytes.
        let second = try CLI.run(arguments + ["--output", "out/b.npy"], currentDirectory: folder.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("0 encoded, 3 from the cache"), "\(second.stdout)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: folder.file("out/a.npy")))
                == Data(contentsOf: URL(fileURLWithPath: folder.file("out/b.npy"))))
    }

    @Test func withoutTheModelItSaysHowToGetIt() throws {
        let folder = try TemporaryFolder()
        let data = try Self.movieLens(in: folder)
        let result = try CLI.run(["embed", data, "--output", "out/a.npy"], currentDirectory: folder.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("crossrec-cache/models/all-MiniLM-L6-v2: not a complete sentence-model folder"))
        #expect(result.stderr.contains("crossrec models fetch all-MiniLM-L6-v2"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("out/a.npy")))
    }

    @Test func anUnknownDomainOrAnOutputThatIsNotNPYIsRefused() throws {
        let folder = try TemporaryFolder()
        let data = try Self.movieLens(in: folder)
        let domain = try CLI.run(["embed", data, "--domain", "news", "--output", "a.npy"], currentDirectory: folder.path)
        #expect(domain.status == 1)
        #expect(domain.stderr.contains("no domain 'news'; the data set has movies"))
        let output = try CLI.run(["embed", data, "--output", "a.csv"], currentDirectory: folder.path)
        #expect(output.status == 64)
        #expect(output.stderr.contains("--output must end in .npy"))
    }

    @Test func helpListsEmbedWithAnExample() throws {
        let top = try CLI.run(["--help"])
        #expect(top.stdout.contains("embed"))
        let help = try CLI.run(["embed", "--help"])
        #expect(help.stdout.contains("crossrec embed ml-100k --output out/movies.npy"))
        #expect(help.stdout.contains("--model-dir"))
    }
}
