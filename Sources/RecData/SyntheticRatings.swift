import Foundation

/// Generates and writes each movie user's ratings and tags (see ``SyntheticGenerator`` for the model).
struct SyntheticRatings {
    let catalog: SyntheticMovieCatalog
    let density: Double
    let noise: Double
    /// `marks[movie] == user id` when the current user already drew the movie.
    private var marks: [Int32]

    /// A genre's draw weight is its taste plus this floor, so every genre can be sampled.
    static let genreFloor = 0.02
    static let tagProbability = 0.2

    init(catalog: SyntheticMovieCatalog, config: SyntheticConfig) {
        self.catalog = catalog
        density = config.density
        noise = config.noise
        marks = Array(repeating: 0, count: catalog.count)
    }

    /// Draws user `id`'s ratings, writes them (by movie id) to `ratings` and the tags to `tags`.
    mutating func writeUser(
        id: Int, genreTaste: [Double], random: inout SyntheticRandom, ratings: inout SyntheticFileWriter,
        tags: inout SyntheticFileWriter
    ) throws(DataError) -> (ratings: Int, tags: Int) {
        let movieCount = catalog.count
        let wanted = min(
            movieCount, max(1, Int((density * Double(movieCount) * SyntheticGenerator.activity(&random)).rounded())))
        let genreSampler = WeightedSampler(
            weights: genreTaste.indices.map { catalog.moviesByGenre[$0].isEmpty ? 0 : genreTaste[$0] + Self.genreFloor }
        )
        let mark = Int32(id)
        var movies: [Int] = []
        movies.reserveCapacity(wanted)
        var attempts = 0
        let maximumAttempts = 50 * wanted + 100
        while movies.count < wanted && attempts < maximumAttempts {
            attempts += 1
            let genre = genreSampler.draw(&random)
            let movie = Int(catalog.moviesByGenre[genre][catalog.samplersByGenre[genre].draw(&random)])
            if marks[movie] == mark { continue }
            marks[movie] = mark
            movies.append(movie)
        }

        // σ(m) = mean taste over the movie's genres relative to the favourite genre.
        let favourite = genreTaste.max() ?? 1
        let scores = movies.map { movie -> Double in
            let genres = catalog.genres[movie]
            return genres.reduce(0) { $0 + genreTaste[$1] } / Double(genres.count) / favourite
        }
        let meanScore = scores.reduce(0, +) / Double(scores.count)

        var rows: [(movie: Int, halves: Int, time: Int64, tag: String?, tagTime: Int64)] = []
        rows.reserveCapacity(movies.count)
        var time = SyntheticGenerator.ratingsEpoch + Int64(random.index(18 * 365 * 86_400))
        for (movie, score) in zip(movies, scores) {
            time += 20 + Int64(random.exponential(mean: 240))
            if random.chance(0.05) { time += Int64(random.exponential(mean: 30 * 86_400)) }
            let stars = 3 + 2 * (score - meanScore) + noise * random.normal()
            let halves = min(10, max(1, Int((2 * stars).rounded())))
            var tag: String?
            var tagTime: Int64 = 0
            if halves >= 8 && random.chance(Self.tagProbability) {
                let genres = catalog.genres[movie]
                let words = SyntheticVocabulary.genreTags[genres[random.index(genres.count)]]
                tag = words[random.index(words.count)]
                tagTime = time + 1 + Int64(random.index(600))
            }
            rows.append((movie, halves, time, tag, tagTime))
        }
        rows.sort { $0.movie < $1.movie }

        var tagCount = 0
        for row in rows {
            ratings.int(id)
            ratings.byte(UInt8(ascii: ","))
            ratings.int(row.movie + 1)
            ratings.byte(UInt8(ascii: ","))
            ratings.halfStars(row.halves)
            ratings.byte(UInt8(ascii: ","))
            ratings.int(Int(row.time))
            try ratings.newline()
            if let tag = row.tag {
                tags.int(id)
                tags.byte(UInt8(ascii: ","))
                tags.int(row.movie + 1)
                tags.byte(UInt8(ascii: ","))
                tags.csvField(tag)
                tags.byte(UInt8(ascii: ","))
                tags.int(Int(row.tagTime))
                try tags.newline()
                tagCount += 1
            }
        }
        return (rows.count, tagCount)
    }
}
