import Foundation

/// The generated movie catalog (`movies.csv`): movie `i` has `movieId` i + 1.
struct SyntheticMovieCatalog {
    /// Genre indices of each movie, ascending (MovieLens lists genres alphabetically).
    var genres: [[Int]] = []
    var titles: [String] = []
    var popularity: [Double]
    /// Movies of each genre, and a popularity sampler over that list.
    var moviesByGenre: [[Int32]]
    var samplersByGenre: [WeightedSampler] = []

    var count: Int { titles.count }

    /// Each movie: 1–3 distinct genres (50/35/15 %) drawn by MovieLens-like genre frequency, a
    /// release year 2019 − Exp(18) (not before 1920), and a title of 1–3 words (40 % from its first
    /// genre's words) plus the year; 8 % end in `, The` and 2 % quote their first word, as real
    /// MovieLens titles do, so readers must handle RFC 4180 quoting.
    init(config: SyntheticConfig, random: SyntheticRandom) {
        var random = random
        let genreSampler = WeightedSampler(weights: SyntheticVocabulary.genreFrequency)
        moviesByGenre = Array(repeating: [], count: SyntheticVocabulary.genres.count)
        popularity = random.zipfPopularity(count: config.movies)
        genres.reserveCapacity(config.movies)
        titles.reserveCapacity(config.movies)
        for movie in 0..<config.movies {
            let roll = random.unit()
            let genreCount = roll < 0.5 ? 1 : roll < 0.85 ? 2 : 3
            let drawn = random.distinctDraws(genreCount, from: genreSampler)
            let year = max(1920, 2019 - Int(random.exponential(mean: 18)))
            var words: [String] = []
            for _ in 0..<random.int(in: 1...3) {
                let pool =
                    random.chance(0.4)
                    ? SyntheticVocabulary.genreTitleWords[drawn[0]] : SyntheticVocabulary.movieTitleWords
                words.append(pool[random.index(pool.count)])
            }
            if random.chance(0.02) { words[0] = "\"" + words[0] + "\"" }
            var title = words.joined(separator: " ")
            if random.chance(0.08) { title += ", The" }
            title += " (\(year))"
            genres.append(drawn.sorted())
            titles.append(title)
            for genre in drawn { moviesByGenre[genre].append(Int32(movie)) }
        }
        let popularity = popularity
        samplersByGenre = moviesByGenre.map { movies in
            WeightedSampler(weights: movies.map { popularity[Int($0)] })
        }
    }

    func write(to file: inout SyntheticFileWriter) throws(DataError) {
        file.text("movieId,title,genres")
        try file.newline()
        for movie in 0..<count {
            file.int(movie + 1)
            file.byte(UInt8(ascii: ","))
            file.csvField(titles[movie])
            file.byte(UInt8(ascii: ","))
            file.text(genres[movie].map { SyntheticVocabulary.genres[$0] }.joined(separator: "|"))
            try file.newline()
        }
    }
}
