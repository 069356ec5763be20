import Foundation
import RecEncoder
import RecText

/// Throughput of the BERT sentence encoder (all-MiniLM-L6-v2) on MIND news titles and abstracts
/// read from a `news.tsv` at run time, and the process's peak resident memory while encoding;
/// with sentence-transformers importable by `python3`, the same texts encoded by it in the same
/// run (`torch.set_num_threads(threads)`, `model.encode(texts, batch_size=…)`, as many
/// repetitions, the median taken) and its vectors compared with crossrec's.
///
/// Token ids come from RecText's `WordPieceTokenizer` and its time counts, as sentence-transformers'
/// figures include its Rust tokenizer; its agreement with the reference ids is reported.
struct EncoderBenchmark {
    var modelDirectory: String
    var newsFile: String
    var referenceFile: String
    var titles = 2_000
    var abstracts = 1_000
    var threads = 2
    var batchSize = 32
    var repetitions = 3
    var includePeer = true
    /// Busy threads spinning through both legs (0: a quiet machine), for figures under load.
    var backgroundLoad = 0

    struct Leg: Codable {
        var texts: Int
        var tokens: Int
        var meanTokens: Double
        var maxTokens: Int
        /// Every repetition's seconds, in order.
        var seconds: [Double]
        /// CPU seconds (user + system) of this process over every repetition's: at most threads ×
        /// seconds; much less means the cores were busy with other work.
        var cpuSeconds: [Double]
        /// Texts per second over the median repetition.
        var textsPerSecond: Double
        var tokensPerSecond: Double
        /// The dense layers' flops per second (2 × layers × (4H² + 2HI) per token, attention not
        /// counted) per thread: against the ~100 GFLOP/s one core's sgemm reaches, how much of the
        /// time goes to the products.
        var denseGigaflopsPerThread: Double
    }

    struct Peer: Codable {
        var python: String
        var torch: String
        var sentenceTransformers: String
        var torchThreads: Int
        /// Every repetition's seconds; the rates are over the median.
        var titlesSeconds: [Double]
        var titlesPerSecond: Double
        var abstractsSeconds: [Double]
        var abstractsPerSecond: Double
        /// Lowest cosine between sentence-transformers' vector of a text and crossrec's (which
        /// used the approximate token ids).
        var worstCosineTitles: Double
        var worstCosineAbstracts: Double
    }

    struct Report: Encodable {
        var benchmark = "sentence-encoder"
        var buildConfiguration: String
        var model: String
        var textSource: String
        var tokenIDs: String
        var threads: Int
        var batchSize: Int
        var repetitions: Int
        var titles: Leg
        var abstracts: Leg
        /// VmHWM of this process, its peak reset (`/proc/self/clear_refs`) just before the model
        /// is opened, so it covers loading and every encoding repetition.
        var peakResidentBytes: Int?
        /// VmRSS just before the model is opened (texts, token ids, runtime, libraries).
        var residentBeforeModelBytes: Int?
        /// VmRSS split at the end: the model's mapped pages (file) and everything else (anonymous).
        var residentFileBytesAtEnd: Int?
        var residentAnonymousBytesAtEnd: Int?
        var peer: Peer?
        var notes: [String]
        var titlesSpeedup: Double?
        var abstractsSpeedup: Double?
        var goals = "≥ 2× sentence-transformers' texts/s on titles and abstracts; peak RSS < 250 MB"
        var goalsMet: Bool?

        enum CodingKeys: String, CodingKey {
            case benchmark, buildConfiguration, model, textSource, tokenIDs, threads, batchSize, repetitions, titles
            case abstracts, peakResidentBytes, residentBeforeModelBytes, residentFileBytesAtEnd,
                residentAnonymousBytesAtEnd, peer, notes
            case titlesSpeedup, abstractsSpeedup, goals, goalsMet
        }

        /// Writes figures that were not measured as JSON null.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(benchmark, forKey: .benchmark)
            try c.encode(buildConfiguration, forKey: .buildConfiguration)
            try c.encode(model, forKey: .model)
            try c.encode(textSource, forKey: .textSource)
            try c.encode(tokenIDs, forKey: .tokenIDs)
            try c.encode(threads, forKey: .threads)
            try c.encode(batchSize, forKey: .batchSize)
            try c.encode(repetitions, forKey: .repetitions)
            try c.encode(titles, forKey: .titles)
            try c.encode(abstracts, forKey: .abstracts)
            try c.encode(peakResidentBytes, forKey: .peakResidentBytes)
            try c.encode(residentBeforeModelBytes, forKey: .residentBeforeModelBytes)
            try c.encode(residentFileBytesAtEnd, forKey: .residentFileBytesAtEnd)
            try c.encode(residentAnonymousBytesAtEnd, forKey: .residentAnonymousBytesAtEnd)
            try c.encode(peer, forKey: .peer)
            try c.encode(notes, forKey: .notes)
            try c.encode(titlesSpeedup, forKey: .titlesSpeedup)
            try c.encode(abstractsSpeedup, forKey: .abstractsSpeedup)
            try c.encode(goals, forKey: .goals)
            try c.encode(goalsMet, forKey: .goalsMet)
        }
    }

    func run() throws -> Report {
        let (titleTexts, abstractTexts) = try readNews()
        let tokenizer = try WordPieceTokenizer(vocabularyFile: modelDirectory + "/vocab.txt", maxLength: 256)
        let titleIDs = tokenizer.encode(titleTexts)
        var notes: [String] = []
        var tokenNote = "RecText WordPieceTokenizer (max 256 pieces), timed with the encoder; "
        if let agreement = tokenizerAgreement(tokenizer) {
            tokenNote += "identical to the reference ids for \(agreement.same) of \(agreement.total) texts of "
            tokenNote += referenceFile
        } else {
            tokenNote += "not checked (\(referenceFile) absent)"
        }

        let spinning = Self.spin(threads: backgroundLoad)
        defer { spinning.stop() }
        if backgroundLoad > 0 {
            notes.append("\(backgroundLoad) busy thread(s) spinning through both legs (--background-load)")
        }
        Self.resetPeakResident()
        let before = Self.status()["VmRSS"]
        let encoder = try BertEncoder(modelDirectory: modelDirectory, threads: threads)
        _ = try encoder.encode(tokenIDs: Array(titleIDs.prefix(64)), batchSize: batchSize)  // warm-up: maps pages
        var titleVectors: [Float] = []
        let titleLeg = try measure(encoder, tokenizer, titleTexts) { titleVectors = $0 }
        var abstractVectors: [Float] = []
        let abstractLeg = try measure(encoder, tokenizer, abstractTexts) { abstractVectors = $0 }
        let status = Self.status()

        var peer: Peer?
        if includePeer {
            do {
                peer = try measurePeer(
                    titles: titleTexts, abstracts: abstractTexts, titleVectors: titleVectors,
                    abstractVectors: abstractVectors, dimension: encoder.dimension)
            } catch {
                notes.append("sentence-transformers not measured: \(error)")
            }
        } else {
            notes.append("sentence-transformers not measured (--no-peer)")
        }
        let titlesSpeedup = peer.map { titleLeg.textsPerSecond / $0.titlesPerSecond }
        let abstractsSpeedup = peer.map { abstractLeg.textsPerSecond / $0.abstractsPerSecond }
        let peak = status["VmHWM"]
        var goalsMet: Bool?
        if let titlesSpeedup, let abstractsSpeedup, let peak {
            goalsMet = titlesSpeedup >= 2 && abstractsSpeedup >= 2 && peak < 250_000_000
        }
        let source = "\(newsFile): the first \(titleTexts.count) titles and \(abstractTexts.count) non-empty abstracts"
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, model: modelDirectory, textSource: source,
            tokenIDs: tokenNote, threads: threads, batchSize: batchSize, repetitions: repetitions, titles: titleLeg,
            abstracts: abstractLeg, peakResidentBytes: peak, residentBeforeModelBytes: before,
            residentFileBytesAtEnd: status["RssFile"], residentAnonymousBytesAtEnd: status["RssAnon"], peer: peer,
            notes: notes, titlesSpeedup: titlesSpeedup, abstractsSpeedup: abstractsSpeedup, goalsMet: goalsMet)
    }

    private func measure(
        _ encoder: BertEncoder, _ tokenizer: WordPieceTokenizer, _ texts: [String], keep: ([Float]) -> Void
    ) throws -> Leg {
        var seconds: [Double] = []
        var cpuSeconds: [Double] = []
        var ids: [[Int32]] = []
        for repetition in 0..<repetitions {
            let cpuStart = Self.cpuSeconds()
            let start = ContinuousClock.now
            ids = tokenizer.encode(texts)
            let vectors = try encoder.encodeFlat(tokenIDs: ids, batchSize: batchSize)
            seconds.append(BenchmarkSupport.seconds(since: start))
            cpuSeconds.append(Self.cpuSeconds() - cpuStart)
            if repetition == 0 { keep(vectors) }
        }
        let median = seconds.sorted()[seconds.count / 2]
        let tokens = ids.reduce(0) { $0 + $1.count }
        let (layers, hidden, inner) = (
            encoder.configuration.layers, encoder.configuration.hiddenSize, encoder.configuration.intermediateSize
        )
        let flopsPerToken = 2 * layers * (4 * hidden * hidden + 2 * hidden * inner)
        return Leg(
            texts: ids.count, tokens: tokens, meanTokens: Double(tokens) / Double(ids.count),
            maxTokens: ids.map(\.count).max() ?? 0, seconds: seconds, cpuSeconds: cpuSeconds,
            textsPerSecond: Double(ids.count) / median,
            tokensPerSecond: Double(tokens) / median,
            denseGigaflopsPerThread: Double(tokens) / median * Double(flopsPerToken) / 1e9 / Double(encoder.threads))
    }

    /// Titles (column 4) and non-empty abstracts (column 5) of `news.tsv`, in file order.
    private func readNews() throws -> ([String], [String]) {
        guard let text = try? String(contentsOfFile: newsFile, encoding: .utf8) else {
            throw BenchmarkError("\(newsFile): cannot read it; pass --news with a MIND news.tsv")
        }
        var titles: [String] = []
        var abstracts: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 5 else { continue }
            if titles.count < self.titles, !fields[3].isEmpty { titles.append(String(fields[3])) }
            if abstracts.count < self.abstracts, !fields[4].isEmpty { abstracts.append(String(fields[4])) }
        }
        guard titles.count == self.titles, abstracts.count == self.abstracts else {
            throw BenchmarkError(
                "\(newsFile): \(titles.count) titles and \(abstracts.count) abstracts, fewer than the \(self.titles) "
                    + "and \(self.abstracts) asked for (--titles, --abstracts)")
        }
        return (titles, abstracts)
    }

    /// How many reference texts the tokenizer turns into exactly the reference ids.
    private func tokenizerAgreement(_ tokenizer: WordPieceTokenizer) -> (same: Int, total: Int)? {
        guard let text = try? String(contentsOfFile: referenceFile, encoding: .utf8) else { return nil }
        struct Line: Decodable { var text: String; var ids: [Int32] }
        let lines = text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        return (lines.filter { tokenizer.encode($0.text) == $0.ids }.count, lines.count)
    }

    /// Threads that spin until `stop()`: a reproducible "machine under load".
    final class Spinner: @unchecked Sendable {
        private let lock = NSLock()
        private var running = true
        var isRunning: Bool { lock.withLock { running } }
        func stop() { lock.withLock { running = false } }
    }

    private static func spin(threads: Int) -> Spinner {
        let spinner = Spinner()
        for _ in 0..<threads {
            Thread.detachNewThread {
                var x: UInt64 = 1
                while spinner.isRunning {
                    for _ in 0..<100_000 { x = x &* 6_364_136_223_846_793_005 &+ 1 }
                }
                if x == 0 { print("") }  // keeps the loop from being optimised away
            }
        }
        return spinner
    }

    /// User plus system CPU time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Resets this process's VmHWM to its current resident size (Linux ≥ 4.0).
    private static func resetPeakResident() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// The `kB` fields of `/proc/self/status`, in bytes.
    private static func status() -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[1].hasSuffix("kB"),
                let kilobytes = Int(parts[1].dropLast(2).trimmingCharacters(in: .whitespaces))
            else { continue }
            fields[String(parts[0])] = kilobytes * 1024
        }
        return fields
    }

    /// sentence-transformers on the same texts and threads, in python3; throws when it is absent.
    private func measurePeer(
        titles: [String], abstracts: [String], titleVectors: [Float], abstractVectors: [Float], dimension: Int
    ) throws -> Peer {
        let folder = try BenchmarkSupport.temporaryFolder("crossrec-encoder-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try JSONEncoder().encode(titles).write(to: URL(fileURLWithPath: folder + "/titles.json"))
        try JSONEncoder().encode(abstracts).write(to: URL(fileURLWithPath: folder + "/abstracts.json"))
        for (name, vectors) in [("titles", titleVectors), ("abstracts", abstractVectors)] {
            try vectors.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder + "/\(name).f32")) }
        }
        let script = #"""
            import json, sys, time, platform
            folder, model_dir = sys.argv[1], sys.argv[2]
            threads, batch, repetitions = map(int, sys.argv[3:6])
            import numpy as np
            import torch
            import sentence_transformers
            from sentence_transformers import SentenceTransformer
            torch.set_num_threads(threads)
            model = SentenceTransformer(model_dir, device="cpu")
            result = {"python": platform.python_version(), "torch": torch.__version__,
                      "sentenceTransformers": sentence_transformers.__version__, "torchThreads": torch.get_num_threads()}
            titles = json.load(open(folder + "/titles.json"))
            model.encode(titles[:64], batch_size=batch)
            for name in ["titles", "abstracts"]:
                texts = json.load(open(folder + "/" + name + ".json"))
                seconds = []
                for _ in range(repetitions):
                    start = time.perf_counter()
                    theirs = model.encode(texts, batch_size=batch, normalize_embeddings=True)
                    seconds.append(time.perf_counter() - start)
                ours = np.fromfile(folder + "/" + name + ".f32", dtype="<f4").reshape(len(texts), -1)
                result[name + "Seconds"] = seconds
                result[name + "PerSecond"] = len(texts) / sorted(seconds)[len(seconds) // 2]
                cosines = (ours.astype(np.float64) * theirs.astype(np.float64)).sum(1)
                result["worstCosine" + name.capitalize()] = float(cosines.min())
            print(json.dumps(result))
            """#
        let arguments = [folder, modelDirectory, String(threads), String(batchSize), String(repetitions)]
        switch PythonLeg.run(script, arguments: arguments, showErrors: true) {
        case .success(let output):
            guard let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last else {
                throw BenchmarkError("python3 printed nothing")
            }
            return try JSONDecoder().decode(Peer.self, from: Data(line.utf8))
        case .failure(let error):
            throw BenchmarkError(
                "\(error) (pip install sentence-transformers, or put a venv that has it first in PATH; its stderr is above)"
            )
        }
    }
}
