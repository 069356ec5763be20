import Foundation

/// The generated news catalog (`news.tsv`): news `i` has id `N{i + 1}`.
struct SyntheticNewsCatalog {
    /// Category (topic) index of each news item.
    var topics: [Int] = []
    var subcategories: [String] = []
    var titles: [String] = []
    var abstracts: [String] = []
    var popularity: [Double]
    /// Draws a news index proportionally to popularity.
    var sampler: WeightedSampler

    var count: Int { titles.count }

    /// Each news item: one category by MIND-like frequency, one of its three subcategories, a title
    /// of 6–12 words (each a category word with probability ½, else a filler word) and an abstract
    /// of 14–28 words (category word with probability 0.35). No tab or newline can occur.
    init(config: SyntheticConfig, random: SyntheticRandom) {
        var random = random
        let topicSampler = WeightedSampler(weights: SyntheticVocabulary.topicFrequency)
        popularity = random.zipfPopularity(count: config.news)
        sampler = WeightedSampler(weights: popularity)
        func text(words: ClosedRange<Int>, topicShare: Double, topic: Int, random: inout SyntheticRandom) -> [String] {
            let topicWords = SyntheticVocabulary.topicWords[topic]
            let filler = SyntheticVocabulary.fillerWords
            return (0..<random.int(in: words)).map { _ in
                random.chance(topicShare)
                    ? topicWords[random.index(topicWords.count)] : filler[random.index(filler.count)]
            }
        }
        for _ in 0..<config.news {
            let topic = topicSampler.draw(&random)
            let choices = SyntheticVocabulary.subcategories[topic]
            topics.append(topic)
            subcategories.append(choices[random.index(choices.count)])
            var title = text(words: 6...12, topicShare: 0.5, topic: topic, random: &random)
            title[0] = title[0].prefix(1).uppercased() + title[0].dropFirst()
            titles.append(title.joined(separator: " "))
            var abstract = text(words: 14...28, topicShare: 0.35, topic: topic, random: &random)
            abstract[0] = abstract[0].prefix(1).uppercased() + abstract[0].dropFirst()
            abstracts.append(abstract.joined(separator: " ") + ".")
        }
    }

    /// `N{index + 1}`.
    static func id(_ index: Int) -> String { "N\(index + 1)" }

    func write(to file: inout SyntheticFileWriter) throws(DataError) {
        let tab = UInt8(ascii: "\t")
        for news in 0..<count {
            file.byte(UInt8(ascii: "N"))
            file.int(news + 1)
            file.byte(tab)
            file.text(SyntheticVocabulary.topics[topics[news]])
            file.byte(tab)
            file.text(subcategories[news])
            file.byte(tab)
            file.text(titles[news])
            file.byte(tab)
            file.text(abstracts[news])
            file.byte(tab)
            // A MIND-shaped URL, unique per item: base 36 of a 6-digit offset.
            file.text("https://assets.msn.com/labs/mind/AA")
            file.text(String(60_466_176 + news, radix: 36, uppercase: true))
            file.text(".html")
            file.byte(tab)
            file.text("[]")
            file.byte(tab)
            file.text("[]")
            try file.newline()
        }
    }
}
