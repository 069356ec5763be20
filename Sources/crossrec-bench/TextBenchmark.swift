import Foundation
import RecText

/// Speed of the text pipeline: the Snowball English stemmer over a word list (Snowball's reference
/// vocabulary when `../shared/testdata/snowball-english/voc.txt` is present, else generated
/// words), and the analyzer plus a TF-IDF fit over generated titles. With Python's
/// `snowballstemmer` importable (`pip install snowballstemmer`), the same words are stemmed by it
/// in the same run, and the outputs compared.
struct TextBenchmark {
    var wordFile: String
    var repetitions: Int

    struct Report: Codable {
        var benchmark = "text-pipeline"
        var buildConfiguration: String
        var words: Int
        var wordSource: String
        var stemmerWordsPerSecond: Double
        var documents: Int
        var analyzerDocumentsPerSecond: Double
        var analyzerBatchDocumentsPerSecond: Double
        var tfidfFitSeconds: Double
        /// Python snowballstemmer (pure Python), same words, same repetitions; nil when not importable.
        var pythonSnowballWordsPerSecond: Double?
        /// Words whose stem differs from Python snowballstemmer's (nil when not measured).
        var stemsDifferingFromPython: Int?
        var pythonSnowballVersion: String?
    }

    func run() throws -> Report {
        var source = wordFile
        var words: [String]
        if FileManager.default.fileExists(atPath: wordFile) {
            words = try String(contentsOfFile: wordFile, encoding: .utf8).split(separator: "\n").map(String.init)
        } else {
            source = "generated (\(wordFile) absent)"
            words = Self.generatedWords(count: 40_000)
        }
        let stemmer = EnglishStemmer()
        var stems: [String] = []
        let stemStart = ContinuousClock.now
        for _ in 0..<repetitions { stems = words.map(stemmer.stem) }
        let stemSeconds = BenchmarkSupport.seconds(since: stemStart)

        let documents = Self.generatedTitles(count: 20_000)
        let analyzer = TextAnalyzer()
        var terms: [[String]] = []
        let analyzeStart = ContinuousClock.now
        terms = documents.map(analyzer.terms)
        let analyzeSeconds = BenchmarkSupport.seconds(since: analyzeStart)
        let batchStart = ContinuousClock.now
        let batch = analyzer.terms(of: documents)
        let batchSeconds = BenchmarkSupport.seconds(since: batchStart)
        precondition(batch == terms, "batch analysis differs from per-text analysis")
        let fitStart = ContinuousClock.now
        let model = TFIDFModel(documents: terms, options: .init(minimumDocumentFrequency: 2))
        let fitSeconds = BenchmarkSupport.seconds(since: fitStart)
        precondition(!model.vocabulary.isEmpty)

        var python: (rate: Double, differing: Int, version: String)?
        if let measured = try pythonLeg(words: words, stems: stems) { python = measured }
        let configuration = BenchmarkSupport.buildConfiguration
        return Report(
            buildConfiguration: configuration, words: words.count, wordSource: source,
            stemmerWordsPerSecond: Double(words.count * repetitions) / stemSeconds, documents: documents.count,
            analyzerDocumentsPerSecond: Double(documents.count) / analyzeSeconds,
            analyzerBatchDocumentsPerSecond: Double(documents.count) / batchSeconds, tfidfFitSeconds: fitSeconds,
            pythonSnowballWordsPerSecond: python?.rate, stemsDifferingFromPython: python?.differing,
            pythonSnowballVersion: python?.version)
    }

    /// Times Python snowballstemmer on the same words and counts stems that differ from ours.
    private func pythonLeg(words: [String], stems: [String]) throws -> (Double, Int, String)? {
        let folder = NSTemporaryDirectory() + "crossrec-text-bench-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (words.joined(separator: "\n") + "\n").write(toFile: folder + "/words.txt", atomically: true, encoding: .utf8)
        try (stems.joined(separator: "\n") + "\n").write(toFile: folder + "/stems.txt", atomically: true, encoding: .utf8)
        let script = #"""
            import json, sys, time
            import snowballstemmer
            folder, repetitions = sys.argv[1], int(sys.argv[2])
            words = open(folder + "/words.txt", encoding="utf-8").read().split("\n")[:-1]
            ours = open(folder + "/stems.txt", encoding="utf-8").read().split("\n")[:-1]
            stemmer = snowballstemmer.stemmer("english")
            start = time.perf_counter()
            for _ in range(repetitions):
                theirs = [stemmer.stemWord(w) for w in words]
            seconds = time.perf_counter() - start
            differing = sum(1 for a, b in zip(ours, theirs) if a != b)
            version = getattr(snowballstemmer, "__version__", "?")
            print(json.dumps({"rate": len(words) * repetitions / seconds, "differing": differing, "version": str(version)}))
            """#
        guard case .success(let output) = PythonLeg.run(script, arguments: [folder, String(repetitions)]),
            let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last
        else {
            FileHandle.standardError.write(Data("python snowballstemmer not measured (pip install snowballstemmer)\n".utf8))
            return nil
        }
        struct Result: Decodable {
            var rate: Double
            var differing: Int
            var version: String
        }
        let result = try JSONDecoder().decode(Result.self, from: Data(line.utf8))
        return (result.rate, result.differing, result.version)
    }

    /// Seeded pseudo-words built from English-like suffixes, so every step of the stemmer runs.
    static func generatedWords(count: Int) -> [String] {
        let stems = ["connect", "relat", "general", "hop", "happ", "electr", "adjust", "communic", "run", "sing"]
        let suffixes = ["", "s", "ed", "ing", "ingly", "ation", "ational", "ness", "fulness", "ities", "ly", "er", "ement"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let stem = stems[Int((state >> 33) % UInt64(stems.count))]
            let suffix = suffixes[Int((state >> 17) % UInt64(suffixes.count))]
            return stem + suffix
        }
    }

    /// Seeded titles of 6–12 words over a 5,000-word vocabulary of generated words.
    static func generatedTitles(count: Int) -> [String] {
        let vocabulary = generatedWords(count: 5_000).enumerated().map { "\($0.element)\($0.offset % 7 == 0 ? "" : String($0.offset % 50))" }
        var state: UInt64 = 42
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = 6 + Int((state >> 40) % 7)
            return (0..<length).map { k in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let word = vocabulary[Int((state >> 33) % UInt64(vocabulary.count))]
                return k == 0 ? word.capitalized : word
            }.joined(separator: " ")
        }
    }
}
