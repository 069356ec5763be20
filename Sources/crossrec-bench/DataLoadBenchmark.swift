import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import RecData

/// Parse throughput and resident memory of the MovieLens loader on generated 1M-rating files in
/// the three rating layouts (100K tab, 1M/10M `::`, CSV). Each layout is loaded in a child
/// process so its resident-memory figure is not blurred by earlier loads.
struct DataLoadBenchmark {
    var ratings: Int
    var repetitions: Int
    var compareWithPandas: Bool

    struct LayoutResult: Codable {
        var layout: String
        var ratingsFile: String
        var fileBytes: Int
        var interactions: Int
        var bestSeconds: Double
        var megabytesPerSecond: Double
        var residentBytesBefore: Int
        var residentBytesAfter: Int
        var bytesPerInteraction: Double
        var pandasSeconds: Double?
        var pandasMegabytesPerSecond: Double?
    }

    struct Report: Codable {
        var benchmark = "data-load"
        var ratings: Int
        var repetitions: Int
        var buildConfiguration: String
        var targets: [String: Double] = ["minimumMegabytesPerSecond": 150, "maximumBytesPerInteraction": 24]
        var layouts: [LayoutResult]
        var allTargetsMet: Bool
    }

    static let layouts: [(name: String, folder: String, ratingsFile: String)] = [
        ("100K (tab)", "ml-100k-layout", "u.data"),
        ("1M/10M (::)", "ml-10m-layout", "ratings.dat"),
        ("CSV (20M/25M/32M/latest)", "ml-csv-layout", "ratings.csv"),
    ]

    func run(executable: String) throws -> Report {
        let root = NSTemporaryDirectory() + "crossrec-bench-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeFixtures(root: root)
        var results: [LayoutResult] = []
        for layout in Self.layouts {
            let folder = (root as NSString).appendingPathComponent(layout.folder)
            let output = try runChild(executable, ["_load-child", folder, String(repetitions)])
            var result = try JSONDecoder().decode(LayoutResult.self, from: Data(output.utf8))
            result.layout = layout.name
            if compareWithPandas {
                let file = (folder as NSString).appendingPathComponent(layout.ratingsFile)
                if let seconds = pandasSeconds(file: file, layout: layout.ratingsFile) {
                    result.pandasSeconds = seconds
                    result.pandasMegabytesPerSecond = Double(result.fileBytes) / 1e6 / seconds
                }
            }
            results.append(result)
            FileHandle.standardError.write(Data("\(layout.name): \(String(format: "%.0f", result.megabytesPerSecond)) MB/s, \(String(format: "%.1f", result.bytesPerInteraction)) B/interaction\n".utf8))
        }
        let configuration = BenchmarkSupport.buildConfiguration
        let met = results.allSatisfy { $0.megabytesPerSecond >= 150 && $0.bytesPerInteraction <= 24 }
        return Report(ratings: ratings, repetitions: repetitions, buildConfiguration: configuration, layouts: results, allTargetsMet: met)
    }

    /// Runs inside the child: loads `folder` `repetitions` times, prints one JSON object.
    static func loadChild(folder: String, repetitions: Int) throws {
        // Warm up on a 100-line copy of the same layout, so the code pages of the loader and of
        // Foundation that a first load touches are not counted as data memory.
        let warmUp = NSTemporaryDirectory() + "crossrec-bench-warmup-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: warmUp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: warmUp) }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
            let text = String(decoding: try handle.read(upToCount: 16_384) ?? Data(), as: UTF8.self)
            try handle.close()
            let head = text.split(separator: "\n").dropLast().prefix(100).joined(separator: "\n") + "\n"
            try Data(head.utf8).write(to: URL(fileURLWithPath: (warmUp as NSString).appendingPathComponent(name)))
        }
        withExtendedLifetime(try MovieLensLoader().load(folder: warmUp)) {}
        let before = residentBytes()
        var best = Double.infinity
        var interactions = 0
        var after = 0
        var ratingsFile = ""
        for repetition in 0..<max(1, repetitions) {
            let start = ContinuousClock.now
            let dataset = try MovieLensLoader().load(folder: folder)
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            interactions = dataset.interactionCount
            ratingsFile = dataset.report.rowsRead.keys.first { $0.hasPrefix("u.data") || $0.hasPrefix("ratings") } ?? ""
            if repetition == 0 { after = residentBytes() }  // the data set is alive, the file is unmapped
            withExtendedLifetime(dataset) {}
        }
        let path = (folder as NSString).appendingPathComponent(ratingsFile)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let result = LayoutResult(
            layout: "", ratingsFile: ratingsFile, fileBytes: size, interactions: interactions, bestSeconds: best,
            megabytesPerSecond: Double(size) / 1e6 / best, residentBytesBefore: before, residentBytesAfter: after,
            bytesPerInteraction: Double(after - before) / Double(max(1, interactions)))
        let encoder = JSONEncoder()
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    /// Resident set size from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Writes the three layouts with the same `ratings` (user, movie) pairs, no duplicates:
    /// 6,040 users and 3,883 movies as in MovieLens 1M.
    func writeFixtures(root: String) throws {
        let users = 6_040, movies = 3_883  // the shape of MovieLens 1M
        var generator = SeededGenerator(seed: 1)
        var rows: [(Int, Int, Int, Int)] = []
        rows.reserveCapacity(ratings)
        // User-major order, as in the 1M, 10M and CSV releases; u.data below is shuffled, as in 100K.
        for k in 0..<ratings {
            let user = k * users / ratings
            let j = k - (user * ratings + users - 1) / users
            let movie = (j * 37 + user * 11) % movies
            rows.append((user + 1, movie + 1, generator.next(below: 10) + 1, 956_703_932 + generator.next(below: 100_000_000)))
        }
        var shuffled = rows
        generator.shuffle(&shuffled)
        let genres = MovieLensLayout.genres100K
        for layout in Self.layouts {
            let folder = (root as NSString).appendingPathComponent(layout.folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var ratingsText = ""
            var moviesText = ""
            ratingsText.reserveCapacity(ratings * 30)
            switch layout.ratingsFile {
            case "u.data":
                for (u, m, r, t) in shuffled { ratingsText += "\(u)\t\(m)\t\((r + 1) / 2)\t\(t)\n" }
                for m in 1...movies {
                    let flags = (0..<19).map { $0 == m % 19 ? "1" : "0" }.joined(separator: "|")
                    moviesText += "\(m)|Movie \(m) (1995)|01-Jan-1995||http://example.org/\(m)|\(flags)\n"
                }
                try write(moviesText, folder, "u.item")
            case "ratings.dat":
                for (u, m, r, t) in rows { ratingsText += "\(u)::\(m)::\(Double(r) / 2)::\(t)\n" }
                for m in 1...movies { moviesText += "\(m)::Movie \(m) (1995)::\(genres[m % 19])|Drama\n" }
                try write(moviesText, folder, "movies.dat")
            default:
                ratingsText += "userId,movieId,rating,timestamp\n"
                for (u, m, r, t) in rows { ratingsText += "\(u),\(m),\(Double(r) / 2),\(t)\n" }
                moviesText += "movieId,title,genres\n"
                for m in 1...movies { moviesText += "\(m),\"Movie \(m), The (1995)\",\(genres[m % 19])|Drama\n" }
                try write(moviesText, folder, "movies.csv")
            }
            try write(ratingsText, folder, layout.ratingsFile)
        }
    }

    private func write(_ text: String, _ folder: String, _ name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
    }

    private func runChild(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("child \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// pandas.read_csv on the same file, best of `repetitions`, when pandas is importable.
    private func pandasSeconds(file: String, layout: String) -> Double? {
        let reader: String
        switch layout {
        case "u.data": reader = "pd.read_csv(f, sep='\\t', header=None, names=['u','i','r','t'])"
        case "ratings.dat": reader = "pd.read_csv(f, sep='::', engine='python', header=None, names=['u','i','r','t'])"
        default: reader = "pd.read_csv(f)"
        }
        let script = """
            import sys, time
            import pandas as pd
            f = sys.argv[1]
            best = min((lambda s: (\(reader), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(\(max(1, repetitions))))
            print(best)
            """
        guard case .success(let output) = PythonLeg.run(script, arguments: [file]) else { return nil }
        return Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

