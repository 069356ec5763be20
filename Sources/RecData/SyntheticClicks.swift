import Foundation

/// Generates and writes each news user's impressions (see ``SyntheticGenerator`` for the model).
struct SyntheticClicks {
    let catalog: SyntheticNewsCatalog
    let density: Double
    /// `clickedMarks[news] == user mark` when the current user clicked the news.
    private var clickedMarks: [Int32]
    /// `shownMarks[news] == impression mark` when the current impression already shows the news.
    private var shownMarks: [Int32]
    private var userMark: Int32 = 0
    private var impressionMark: Int32 = 0
    private var trainImpressionID = 0
    private var devImpressionID = 0

    static let candidates = 5...10
    static let baseClickProbability = 0.02
    static let tasteClickProbability = 0.55

    init(catalog: SyntheticNewsCatalog, config: SyntheticConfig) {
        self.catalog = catalog
        density = config.density
        clickedMarks = Array(repeating: 0, count: catalog.count)
        shownMarks = Array(repeating: 0, count: catalog.count)
    }

    /// Draws user `id`'s impressions and writes them, in time order, to `train` or `dev`.
    mutating func writeUser(
        id: String, topicTaste: [Double], random: inout SyntheticRandom, train: inout SyntheticFileWriter,
        dev: inout SyntheticFileWriter, trainCounts: inout SyntheticSplitCounts, devCounts: inout SyntheticSplitCounts
    ) throws(DataError) {
        userMark += 1
        let newsCount = catalog.count
        let target = min(
            newsCount / 2, max(1, Int((density * Double(newsCount) * SyntheticGenerator.activity(&random)).rounded())))
        let favourite = topicTaste.max() ?? 1

        // Impressions in time order: candidates[starts[i]..<starts[i + 1]] with click labels.
        var candidates: [Int32] = []
        var clicked: [Bool] = []
        var starts = [0]
        var clickTotal = 0
        while clickTotal < target {
            impressionMark &+= 1
            let wanted = random.int(in: Self.candidates)
            let start = candidates.count
            var attempts = 0
            while candidates.count - start < wanted && attempts < 30 * wanted {
                attempts += 1
                let news = catalog.sampler.draw(&random)
                if clickedMarks[news] == userMark || shownMarks[news] == impressionMark { continue }
                shownMarks[news] = impressionMark
                candidates.append(Int32(news))
                let relative = topicTaste[catalog.topics[news]] / favourite
                clicked.append(random.chance(Self.baseClickProbability + Self.tasteClickProbability * relative))
            }
            if candidates.count == start { break }  // nothing left to show this user
            if !clicked[start...].contains(true) {
                let weights = candidates[start...].map { 0.05 + topicTaste[catalog.topics[Int($0)]] / favourite }
                clicked[start + WeightedSampler(weights: weights).draw(&random)] = true
            }
            for position in start..<candidates.count where clicked[position] {
                clickedMarks[Int(candidates[position])] = userMark
                clickTotal += 1
            }
            starts.append(candidates.count)
        }

        let impressionCount = starts.count - 1
        let window = SyntheticGenerator.mindDays * 86_400
        let offsets = (0..<impressionCount).map { _ in random.index(window) }.sorted()
        let devStart = (SyntheticGenerator.mindDays - 1) * 86_400
        var history: [Int32] = []
        for impression in 0..<impressionCount {
            let range = starts[impression]..<starts[impression + 1]
            let time = SyntheticGenerator.mindEpoch + Int64(offsets[impression])
            let recent = history.suffix(SyntheticGenerator.historyLimit)
            let clicks: Int
            if offsets[impression] >= devStart {
                devImpressionID += 1
                clicks = try Self.writeImpression(
                    devImpressionID, user: id, time: time, history: recent, candidates: candidates[range],
                    clicked: clicked[range], to: &dev)
                devCounts.record(shown: range.count, clicks: clicks)
            } else {
                trainImpressionID += 1
                clicks = try Self.writeImpression(
                    trainImpressionID, user: id, time: time, history: recent, candidates: candidates[range],
                    clicked: clicked[range], to: &train)
                trainCounts.record(shown: range.count, clicks: clicks)
            }
            for position in range where clicked[position] { history.append(candidates[position]) }
        }
    }

    /// One `behaviors.tsv` line: id, user, time, history, `N…-1`/`N…-0` candidates. Returns the clicks.
    private static func writeImpression(
        _ impressionID: Int, user: String, time: Int64, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>,
        clicked: ArraySlice<Bool>, to file: inout SyntheticFileWriter
    ) throws(DataError) -> Int {
        let tab = UInt8(ascii: "\t")
        file.int(impressionID)
        file.byte(tab)
        file.text(user)
        file.byte(tab)
        file.mindTime(time)
        file.byte(tab)
        for (position, news) in history.enumerated() {
            if position > 0 { file.byte(UInt8(ascii: " ")) }
            file.byte(UInt8(ascii: "N"))
            file.int(Int(news) + 1)
        }
        file.byte(tab)
        var clicks = 0
        for position in candidates.indices {
            if position > candidates.startIndex { file.byte(UInt8(ascii: " ")) }
            file.byte(UInt8(ascii: "N"))
            file.int(Int(candidates[position]) + 1)
            file.byte(UInt8(ascii: "-"))
            file.byte(clicked[position] ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            if clicked[position] { clicks += 1 }
        }
        try file.newline()
        return clicks
    }
}
