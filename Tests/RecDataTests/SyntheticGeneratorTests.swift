import Foundation
import Testing

@testable import RecData

@Suite struct SyntheticGeneratorTests {
    /// A smaller population than the default, for tests that only need the formats.
    static let small = SyntheticConfig(users: 200, movies: 120, news: 150, density: 0.08, seed: 7)

    @Test func sameSeedGivesByteIdenticalFiles() throws {
        let first = try GeneratedData(SyntheticConfig())
        defer { first.remove() }
        let second = try GeneratedData(SyntheticConfig())
        defer { second.remove() }
        #expect(first.summary.files == SyntheticLayout.all)
        #expect(first.summary.counts == second.summary.counts)
        for path in SyntheticLayout.all {
            let bytes = try first.bytes(path)
            #expect(!bytes.isEmpty, "\(path) is empty")
            #expect(bytes == (try second.bytes(path)), "\(path) differs between two runs with the same seed")
        }
        // Nothing else was written.
        let written = FileManager.default.enumerator(at: first.folder, includingPropertiesForKeys: [.isRegularFileKey])!
            .compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { String($0.standardizedFileURL.path.dropFirst(first.folder.standardizedFileURL.path.count + 1)) }
        #expect(Set(written) == Set(SyntheticLayout.all))
    }

    @Test func differentSeedGivesDifferentRatings() throws {
        let first = try GeneratedData(SyntheticConfig(seed: 42))
        defer { first.remove() }
        let second = try GeneratedData(SyntheticConfig(seed: 43))
        defer { second.remove() }
        #expect(try first.bytes(SyntheticLayout.ratings) != second.bytes(SyntheticLayout.ratings))
        #expect(try first.bytes(SyntheticLayout.trainBehaviors) != second.bytes(SyntheticLayout.trainBehaviors))
    }

    @Test func strengthZeroPlantsAZeroMatrix() throws {
        let control = try GeneratedData(SyntheticConfig(users: 50, affinityStrength: 0))
        defer { control.remove() }
        let truth = try control.truth()
        #expect(truth.affinity.count == SyntheticVocabulary.genres.count)
        #expect(truth.affinity.allSatisfy { $0.count == SyntheticVocabulary.topics.count })
        #expect(truth.affinity.allSatisfy { row in row.allSatisfy { $0 == 0 } })
        #expect(truth.parameters.affinityStrength == 0)
    }

    @Test(arguments: [0.8, 0.3, 1.0])
    func plantedMatrixLinksEachGenreToOneOrTwoTopics(strength: Double) throws {
        let data = try GeneratedData(SyntheticConfig(users: 50, affinityStrength: strength))
        defer { data.remove() }
        let affinity = try data.truth().affinity
        for row in affinity {
            #expect(abs(row.reduce(0, +) - strength) < 1e-5)
            #expect((1...2).contains(row.filter { $0 > 0 }.count))
        }
        // Every topic is the primary topic of some genre.
        for topic in SyntheticVocabulary.topics.indices {
            #expect(affinity.contains { $0[topic] == $0.max()! && $0[topic] > 0 })
        }
    }

    /// Mean over linked users of the centred cosine between (genres of rated movies mapped through
    /// the planted matrix) and (topic shares of clicks), all read from the written files.
    static func measuredAffinity(_ data: GeneratedData, through affinity: [[Double]]) throws -> Double {
        let genres = SyntheticVocabulary.genres
        let topics = SyntheticVocabulary.topics
        var movieGenres: [String: [Int]] = [:]
        for row in try data.csvRows(SyntheticLayout.movies) {
            movieGenres[row[0]] = row[2].split(separator: "|").map { genres.firstIndex(of: String($0))! }
        }
        var newsTopic: [String: Int] = [:]
        for row in try data.tsvRows(SyntheticLayout.trainNews) {
            newsTopic[String(row[0])] = topics.firstIndex(of: String(row[1]))!
        }

        var genreProfile: [String: [Double]] = [:]
        for row in try data.csvRows(SyntheticLayout.ratings) {
            for genre in movieGenres[row[1]]! {
                genreProfile[row[0], default: Array(repeating: 0, count: genres.count)][genre] += 1
            }
        }
        var clickShares: [String: [Double]] = [:]
        for path in [SyntheticLayout.trainBehaviors, SyntheticLayout.devBehaviors] {
            for impression in try data.impressions(path) {
                for candidate in impression.candidates where candidate.clicked {
                    clickShares[impression.user, default: Array(repeating: 0, count: topics.count)][
                        newsTopic[candidate.news]!] += 1
                }
            }
        }
        var predicted: [[Double]] = []
        var observed: [[Double]] = []
        for link in try data.csvRows(SyntheticLayout.links) {
            let profile = genreProfile[link[0]]!
            let clicks = clickShares[link[1]]!
            let profileTotal = profile.reduce(0, +)
            let clickTotal = clicks.reduce(0, +)
            predicted.append(
                topics.indices.map { topic in
                    genres.indices.reduce(0) { $0 + affinity[$1][topic] * profile[$1] / profileTotal }
                })
            observed.append(clicks.map { $0 / clickTotal })
        }
        func centred(_ rows: [[Double]]) -> [[Double]] {
            let mean = topics.indices.map { topic in rows.reduce(0) { $0 + $1[topic] } / Double(rows.count) }
            return rows.map { row in zip(row, mean).map { $0 - $1 } }
        }
        let cosines = zip(centred(predicted), centred(observed)).map { a, b -> Double in
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
            return norms > 0 ? dot / norms : 0
        }
        return cosines.reduce(0, +) / Double(cosines.count)
    }

    @Test func plantedAffinityShowsInTheFilesAndTheControlDoesNot() throws {
        let strong = try GeneratedData(SyntheticConfig(users: 1000, bothFraction: 1, affinityStrength: 0.9, seed: 11))
        defer { strong.remove() }
        let control = try GeneratedData(SyntheticConfig(users: 1000, bothFraction: 1, affinityStrength: 0, seed: 11))
        defer { control.remove() }
        // Both runs are measured through the strong run's matrix: the control planted none.
        let affinity = try strong.truth().affinity
        let strongScore = try Self.measuredAffinity(strong, through: affinity)
        let controlScore = try Self.measuredAffinity(control, through: affinity)
        // Measured over seeds 1, 2, 3, 11: strong 0.29…0.33, control −0.007…0.010.
        #expect(strongScore > 0.2, "planted affinity 0.9 measured \(strongScore)")
        #expect(abs(controlScore) < 0.06, "control measured \(controlScore)")
        #expect(strongScore > controlScore + 0.15)
    }

    @Test func summaryCountsEqualTheWrittenFiles() throws {
        let data = try GeneratedData(SyntheticConfig())
        defer { data.remove() }
        let counts = data.summary.counts
        let ratings = try data.csvRows(SyntheticLayout.ratings)
        #expect(counts.ratings == ratings.count)
        #expect(counts.movieUsers == Set(ratings.map { $0[0] }).count)
        #expect(counts.movies == (try data.csvRows(SyntheticLayout.movies).count))
        #expect(counts.tags == (try data.csvRows(SyntheticLayout.tags).count))
        #expect(counts.tags > 0)
        #expect(counts.linkedUsers == (try data.csvRows(SyntheticLayout.links).count))
        #expect(counts.news == (try data.lines(SyntheticLayout.trainNews).count))
        #expect(counts.news == (try data.lines(SyntheticLayout.devNews).count))
        var newsUsers = Set<String>()
        for (path, split) in [
            (SyntheticLayout.trainBehaviors, counts.train), (SyntheticLayout.devBehaviors, counts.dev),
        ] {
            let impressions = try data.impressions(path)
            #expect(split.impressions == impressions.count, "\(path)")
            #expect(split.shown == impressions.reduce(0) { $0 + $1.candidates.count }, "\(path)")
            #expect(split.clicks == impressions.reduce(0) { $0 + $1.candidates.filter(\.clicked).count }, "\(path)")
            #expect(split.impressions > 0, "\(path)")
            newsUsers.formUnion(impressions.map(\.user))
        }
        #expect(counts.newsUsers == newsUsers.count)
        #expect(counts.users == 600)
        #expect(counts.linkedUsers == 360)  // 600 × 0.6
        #expect(counts.movieUsers == 480 && counts.newsUsers == 480)
        #expect(try data.truth().counts == counts)
    }

    @Test func linksReferToUsersOfBothDomains() throws {
        let data = try GeneratedData(Self.small)
        defer { data.remove() }
        let header = try data.lines(SyntheticLayout.links).first
        #expect(header == "movielens_user,mind_user")
        let movieUsers = Set(try data.csvRows(SyntheticLayout.ratings).map { $0[0] })
        let newsUsers = Set(
            try data.impressions(SyntheticLayout.trainBehaviors).map(\.user)
                + data.impressions(SyntheticLayout.devBehaviors).map(\.user))
        let links = try data.csvRows(SyntheticLayout.links)
        #expect(!links.isEmpty)
        for link in links {
            #expect(link.count == 2)
            #expect(movieUsers.contains(link[0]), "linked MovieLens user \(link[0]) has no ratings")
            #expect(newsUsers.contains(link[1]), "linked MIND user \(link[1]) has no impressions")
        }
        #expect(Set(links.map { $0[0] }).count == links.count)
        #expect(Set(links.map { $0[1] }).count == links.count)
        // The links agree with the truth.
        let truthLinks = try data.truth().users.filter(\.isLinked).map { [$0.movielensUser!, $0.mindUser!] }
        #expect(truthLinks == links)
    }

    @Test func movieLensFilesParse() throws {
        let data = try GeneratedData(Self.small)
        defer { data.remove() }
        #expect(try data.lines(SyntheticLayout.ratings).first == "userId,movieId,rating,timestamp")
        #expect(try data.lines(SyntheticLayout.movies).first == "movieId,title,genres")
        #expect(try data.lines(SyntheticLayout.tags).first == "userId,movieId,tag,timestamp")
        let movies = try data.csvRows(SyntheticLayout.movies)
        var movieIDs = Set<String>()
        for movie in movies {
            #expect(movie.count == 3, "\(movie)")
            movieIDs.insert(movie[0])
            #expect(movie[1].wholeMatch(of: #/.+ \((19|20)\d\d\)/#) != nil, "title \(movie[1])")
            let genres = movie[2].split(separator: "|").map(String.init)
            #expect((1...3).contains(genres.count))
            #expect(genres.allSatisfy(SyntheticVocabulary.genres.contains))
            #expect(genres == genres.sorted() && Set(genres).count == genres.count)
        }
        #expect(movieIDs.count == movies.count)
        // The catalog exercises CSV quoting: some titles hold a comma.
        #expect(movies.contains { $0[1].contains(", The (") })

        let ratingLines = try data.lines(SyntheticLayout.ratings).dropFirst()
        var previous: (user: Int, movie: Int) = (0, 0)
        for line in ratingLines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 4, "\(line)")
            let user = Int(fields[0])!
            let movie = Int(fields[1])!
            let rating = Double(fields[2])!
            #expect(movieIDs.contains(String(fields[1])))
            #expect((0.5...5).contains(rating) && (rating * 2).rounded() == rating * 2, "\(line)")
            #expect(fields[2].contains("."), "ml-latest writes ratings with a decimal point: \(line)")
            let timestamp = Int(fields[3])!
            #expect(timestamp >= 946_684_800 && timestamp < 1_600_000_000)
            #expect(user > previous.user || (user == previous.user && movie > previous.movie), "order at \(line)")
            previous = (user, movie)
        }
        let halfSteps = Set(ratingLines.map { $0.split(separator: ",")[2] })
        #expect(halfSteps.count >= 8, "ratings use the whole scale: \(halfSteps.sorted())")
        for tag in try data.csvRows(SyntheticLayout.tags) {
            #expect(tag.count == 4 && movieIDs.contains(tag[1]) && Int(tag[3]) != nil, "\(tag)")
        }
    }

    @Test func mindFilesParse() throws {
        let data = try GeneratedData(Self.small)
        defer { data.remove() }
        let news = try data.tsvRows(SyntheticLayout.trainNews)
        #expect(try data.bytes(SyntheticLayout.trainNews) == data.bytes(SyntheticLayout.devNews))
        var newsIDs = Set<String>()
        for row in news {
            #expect(row.count == 8, "\(row)")
            #expect(row[0].wholeMatch(of: #/N[1-9]\d*/#) != nil)
            newsIDs.insert(String(row[0]))
            #expect(SyntheticVocabulary.topics.contains(String(row[1])))
            #expect(!row[2].isEmpty && !row[3].isEmpty && row[4].hasSuffix("."))
            #expect(row[5].hasPrefix("https://assets.msn.com/labs/mind/AA") && row[5].hasSuffix(".html"))
            #expect(row[6] == "[]" && row[7] == "[]")
            #expect(!row.joined().contains("\r"))
        }
        #expect(newsIDs.count == news.count)
        #expect(Set(news.map { $0[5] }).count == news.count, "urls are unique")

        let train = try data.impressions(SyntheticLayout.trainBehaviors)
        let dev = try data.impressions(SyntheticLayout.devBehaviors)
        #expect(train.map(\.id) == Array(1...train.count))
        #expect(dev.map(\.id) == Array(1...dev.count))
        let latestTrain = train.map(\.seconds).max()!
        let earliestDev = dev.map(\.seconds).min()!
        #expect(latestTrain < earliestDev, "dev impressions come after train impressions")
        #expect(train.map(\.seconds).min()! >= 1_573_257_600)  // 2019-11-09
        #expect(dev.map(\.seconds).max()! < 1_573_257_600 + 7 * 86_400)

        // History = the user's earlier clicks (the latest 50, oldest first), across both splits.
        var clicksSoFar: [String: [String]] = [:]
        for impression in train + dev {
            #expect(impression.user.wholeMatch(of: #/U[1-9]\d*/#) != nil)
            #expect((5...10).contains(impression.candidates.count))
            #expect(impression.candidates.contains { $0.clicked }, "every impression has a click")
            #expect(Set(impression.candidates.map(\.news)).count == impression.candidates.count)
            #expect(impression.candidates.allSatisfy { newsIDs.contains($0.news) })
            let earlier = clicksSoFar[impression.user, default: []]
            #expect(impression.history == Array(earlier.suffix(SyntheticGenerator.historyLimit)))
            #expect(impression.candidates.allSatisfy { !earlier.contains($0.news) }, "clicked news is not shown again")
            clicksSoFar[impression.user, default: []] += impression.candidates.filter(\.clicked).map(\.news)
        }
    }

    @Test func truthRoundTripsAndDescribesEveryUser() throws {
        let config = SyntheticConfig(users: 120, bothFraction: 0.5, movies: 50, news: 60, seed: UInt64.max - 5)
        let data = try GeneratedData(config)
        defer { data.remove() }
        let truth = try data.truth()
        #expect(try SyntheticTruth.load(from: data.url(SyntheticLayout.truth)) == truth)
        #expect(truth.format == SyntheticTruth.formatName)
        #expect(truth.parameters == config)
        #expect(truth.genres == SyntheticVocabulary.genres && truth.topics == SyntheticVocabulary.topics)
        #expect(truth.users.count == 120)
        #expect(truth.users.filter(\.isLinked).count == 60)
        for user in truth.users {
            #expect(
                user.domains == (user.movielensUser == nil ? [] : ["movies"]) + (user.mindUser == nil ? [] : ["news"]))
            #expect(!user.domains.isEmpty)
            #expect(user.genreTaste.count == 18 && user.topicTaste.count == 14)
            #expect(abs(user.genreTaste.reduce(0, +) - 1) < 1e-4 && abs(user.topicTaste.reduce(0, +) - 1) < 1e-4)
        }
        // Re-encoding with JSONEncoder and decoding again loses nothing.
        let reencoded = try JSONDecoder().decode(SyntheticTruth.self, from: JSONEncoder().encode(truth))
        #expect(reencoded == truth)
    }

    @Test func loadingMissingOrForeignTruthFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crossrec-no-truth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect { try SyntheticTruth.load(from: folder) } throws: { ($0 as? DataError)?.kind == .missingFile }
        let file = folder.appendingPathComponent("truth.json")
        try Data("{\"format\": \"other\"}".utf8).write(to: file)
        #expect { try SyntheticTruth.load(from: file) } throws: { ($0 as? DataError)?.kind == .badJSON }
    }

    @Test func densityScalesActivity() throws {
        let sparse = try GeneratedData(SyntheticConfig(users: 200, density: 0.02, seed: 3))
        defer { sparse.remove() }
        let dense = try GeneratedData(SyntheticConfig(users: 200, density: 0.1, seed: 3))
        defer { dense.remove() }
        let s = sparse.summary.counts
        let d = dense.summary.counts
        #expect(Double(d.ratings) > 3 * Double(s.ratings), "ratings \(s.ratings) → \(d.ratings)")
        #expect(Double(d.clicks) > 3 * Double(s.clicks), "clicks \(s.clicks) → \(d.clicks)")
        // About density × catalog interactions per user.
        let ratingsPerUser = Double(d.ratings) / Double(d.movieUsers)
        #expect(abs(ratingsPerUser - 40) < 8, "ratings per user \(ratingsPerUser)")
    }

    @Test func ratingsFollowGenreTaste() throws {
        // Users rate movies of their favourite genres more often and higher than the rest.
        let data = try GeneratedData(SyntheticConfig(users: 300, bothFraction: 1, noise: 0.3, seed: 5))
        defer { data.remove() }
        let truth = try data.truth()
        var movieGenres: [String: [Int]] = [:]
        for row in try data.csvRows(SyntheticLayout.movies) {
            movieGenres[row[0]] = row[2].split(separator: "|").map {
                SyntheticVocabulary.genres.firstIndex(of: String($0))!
            }
        }
        var tasteByUser: [String: [Double]] = [:]
        for user in truth.users { if let id = user.movielensUser { tasteByUser[id] = user.genreTaste } }
        // Share of ratings on movies of the user's favourite genre, versus that genre's share of the
        // catalog (what a taste-blind user would show).
        var liked: [Double] = []
        var other: [Double] = []
        var catalogShare = 0.0
        let ratings = try data.csvRows(SyntheticLayout.ratings)
        let genreCoverage = SyntheticVocabulary.genres.indices.map { genre in
            Double(movieGenres.values.filter { $0.contains(genre) }.count) / Double(movieGenres.count)
        }
        for row in ratings {
            let taste = tasteByUser[row[0]]!
            let favourite = taste.indices.max { taste[$0] < taste[$1] }!
            if movieGenres[row[1]]!.contains(favourite) {
                liked.append(Double(row[2])!)
            } else {
                other.append(Double(row[2])!)
            }
            catalogShare += genreCoverage[favourite]
        }
        catalogShare /= Double(ratings.count)
        let ratedShare = Double(liked.count) / Double(ratings.count)
        #expect(
            ratedShare > 2 * catalogShare, "favourite genre: \(ratedShare) of ratings, \(catalogShare) of the catalog")
        let likedMean = liked.reduce(0, +) / Double(liked.count)
        let otherMean = other.reduce(0, +) / Double(other.count)
        #expect(likedMean > otherMean + 0.3, "liked \(likedMean) other \(otherMean)")
    }
}
