import Foundation
import RecData
import RecEncoder
import SweepRuntime

/// What the sentence encoder adds to a sweep: the quickstart's data with content trials that use
/// `minilm`, run by `crossrec sweep run` with an empty embedding cache (cold) and again with the
/// cache it left (warm). Cold − warm is the encoding cost (goal: under 10 s); the warm run must
/// encode nothing (no new cache file). In process, the quickstart's two catalogues (movies and
/// news) are encoded cold and read back warm.
struct EncodeCostBenchmark {
    var modelDirectory: String
    var workers: Int

    struct Catalogue: Codable {
        var domain: String
        var items: Int
        var textsWithContent: Int
        var coldSeconds: Double
        var warmSeconds: Double
        var warmEncoded: Int
    }

    struct Report: Codable {
        var benchmark = "encode-cost"
        var buildConfiguration: String
        var command: String
        var sweepTrials: Int
        var workers: Int
        var sweepColdSeconds: Double
        var sweepWarmSeconds: Double
        var sweepEncodingSeconds: Double
        var cacheFilesAfterCold: Int
        var cacheFilesAfterWarm: Int
        var catalogues: [Catalogue]
        var goals = ["maximumColdEncodingSeconds": 10.0, "warmNewCacheFiles": 0.0]
        var met: Bool
    }

    static let sweep = """
        name: encode-cost
        dataset:
          synthetic: {}
          split: {per-user: {test: 0.2, seed: 1}}
          domain: movies
        metric: {primary: ndcg@10, direction: maximize}
        models:
          content: {features: [tfidf, minilm, tfidf+minilm]}
          hybrid: {cf: ease, content.features: [tfidf, minilm]}
        seeds: [1]
        """

    func run() throws -> Report {
        let crossrec = try BenchmarkSupport.crossrecExecutable()
        let root = try BenchmarkSupport.temporaryFolder("crossrec-encode-cost")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.sweep.write(toFile: root + "/encode-cost.yaml", atomically: true, encoding: .utf8)
        let cache = root + "/cache"
        func sweep(_ store: String) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: crossrec)
            process.currentDirectoryURL = URL(fileURLWithPath: root)
            process.arguments = [
                "sweep", "run", "encode-cost.yaml", "--workers", String(workers), "--store", store, "--cache", cache,
                "--model-dir", modelDirectory, "--format", "csv",
            ]
            process.standardOutput = FileHandle.nullDevice
            let log = root + "/\(store).log"
            guard FileManager.default.createFile(atPath: log, contents: nil) else {
                throw BenchmarkError("cannot create the sweep log \(log)")
            }
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            let seconds = BenchmarkSupport.seconds(since: start)
            guard process.terminationStatus == 0 else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw BenchmarkError("crossrec sweep run exited \(process.terminationStatus): \(text.suffix(2000))")
            }
            return seconds
        }
        func cacheFiles() -> Int {
            let enumerator = FileManager.default.enumerator(atPath: cache + "/embeddings")
            var count = 0
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".embeddings") { count += 1 }
            }
            return count
        }
        let cold = try sweep("cold.sqlite")
        let afterCold = cacheFiles()
        let warm = try sweep("warm.sqlite")
        let afterWarm = cacheFiles()
        FileHandle.standardError.write(
            Data("sweep cold \(String(format: "%.2f", cold)) s, warm \(String(format: "%.2f", warm)) s\n".utf8))

        // In process: both catalogues of the quickstart's data.
        let folder = try SyntheticCache.folder(for: SyntheticConfig())
        let dataset = try DatasetLocator().open(path: folder).dataset
        let inProcessCache = URL(fileURLWithPath: root + "/in-process")
        var catalogues: [Catalogue] = []
        for domain in dataset.domains {
            let texts = (0..<domain.items.count).map { domain.catalog.text(of: Int32($0)) }
            let threads = ProcessInfo.processInfo.activeProcessorCount
            let first = SentenceEmbedder(
                name: "model", modelPath: modelDirectory, cacheFolder: inProcessCache, threads: threads)
            _ = try first.load()
            var start = ContinuousClock.now
            _ = try first.embed(texts)
            let coldSeconds = BenchmarkSupport.seconds(since: start)
            let second = SentenceEmbedder(
                name: "model", modelPath: modelDirectory, cacheFolder: inProcessCache, threads: threads)
            _ = try second.load()
            start = ContinuousClock.now
            _ = try second.embed(texts)
            let warmSeconds = BenchmarkSupport.seconds(since: start)
            catalogues.append(
                Catalogue(
                    domain: domain.name, items: texts.count, textsWithContent: texts.count { !$0.isEmpty },
                    coldSeconds: coldSeconds, warmSeconds: warmSeconds, warmEncoded: second.encodedTexts))
            FileHandle.standardError.write(
                Data(
                    "\(domain.name): \(texts.count) items, cold \(String(format: "%.2f", coldSeconds)) s, warm \(String(format: "%.3f", warmSeconds)) s\n"
                        .utf8))
        }
        let encoding = cold - warm
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration,
            command: "crossrec sweep run encode-cost.yaml --workers \(workers) --cache CACHE --model-dir \(modelDirectory)",
            sweepTrials: 5, workers: workers, sweepColdSeconds: cold, sweepWarmSeconds: warm,
            sweepEncodingSeconds: encoding, cacheFilesAfterCold: afterCold, cacheFilesAfterWarm: afterWarm,
            catalogues: catalogues, met: encoding < 10 && afterWarm == afterCold && catalogues.allSatisfy { $0.warmEncoded == 0 })
    }
}
