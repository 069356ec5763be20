import Foundation
import RecData
import RecModels

/// Small generated data sets with known structure, shared by the model tests.
enum Fixtures {
    /// `TrainingData` from (user, item, value) rows.
    static func data(
        _ rows: [(user: Int32, item: Int32, value: Float)], users: Int, items: Int, explicit: Bool
    ) -> TrainingData {
        var interactions = Interactions()
        for row in rows { interactions.append(user: row.user, item: row.item, value: row.value, timestamp: 0) }
        return TrainingData(interactions: interactions, userCount: users, itemCount: items, isExplicit: explicit)
    }

    /// Two blocks of 4 users × 4 items; each user has the 3 items of its block other than
    /// `heldOut(user)`. Out-of-block items have no rows from the user's block.
    static func tinyBlocks(explicit: Bool) -> TrainingData {
        var rows: [(Int32, Int32, Float)] = []
        for user in 0..<8 {
            let block = user / 4
            for item in (block * 4)..<(block * 4 + 4) where item != tinyHeldOut(user) {
                rows.append((Int32(user), Int32(item), explicit ? 5 : 1))
            }
            if explicit {
                // Dislikes outside the block, so rating models have contrast to learn from.
                let other = (1 - block) * 4
                rows.append((Int32(user), Int32(other + user % 4), 1))
            }
        }
        return data(rows.map { ($0.0, $0.1, $0.2) }, users: 8, items: 8, explicit: explicit)
    }

    /// The in-block item user `user` has no row for.
    static func tinyHeldOut(_ user: Int) -> Int { user / 4 * 4 + user % 4 }

    /// Items outside `user`'s block.
    static func tinyOtherBlock(_ user: Int) -> Range<Int> { user / 4 == 0 ? 4..<8 : 0..<4 }
}

/// Users in 4 latent groups, each preferring its own block of items, plus a few very popular
/// "noise" items everybody tends to have (rated 1–2) and a few items of other groups' blocks
/// each user rated 1 (so rating models see contrast). Each user keeps most of its block
/// interactions for training and holds the rest out, so a model with structure ranks the
/// held-out block items first while popularity ranks the noise items and other groups' blocks.
struct GroupedInteractions {
    static let groups = 4

    var userCount: Int
    var itemCount: Int
    var blockSize: Int
    var train: Interactions
    var test: Interactions

    /// - Parameters: per group `usersPerGroup` users and `blockSize` items; `noiseItems` popular
    ///   items after the blocks; each user picks `picked` block items, the last `heldOut` of them for test.
    init(
        usersPerGroup: Int = 30, blockSize: Int = 25, noiseItems: Int = 8, picked: Int = 15, heldOut: Int = 4,
        noiseProbability: Double = 0.7, dislikes: Int = 3, seed: UInt64 = 42
    ) {
        var generator = SeededGenerator(seed: seed)
        userCount = usersPerGroup * Self.groups
        itemCount = blockSize * Self.groups + noiseItems
        self.blockSize = blockSize
        train = Interactions()
        test = Interactions()
        for user in 0..<userCount {
            let group = user % Self.groups
            var block = Array((group * blockSize)..<((group + 1) * blockSize))
            generator.shuffle(&block)
            for (index, item) in block.prefix(picked).enumerated() {
                let rating = Float(4 + generator.next(below: 2))
                if index < picked - heldOut {
                    train.append(user: Int32(user), item: Int32(item), value: rating, timestamp: 0)
                } else {
                    test.append(user: Int32(user), item: Int32(item), value: rating, timestamp: 0)
                }
            }
            for _ in 0..<dislikes {
                let otherGroup = (group + 1 + generator.next(below: Self.groups - 1)) % Self.groups
                let item = otherGroup * blockSize + generator.next(below: blockSize)
                train.append(user: Int32(user), item: Int32(item), value: 1, timestamp: 0)
            }
            for noise in 0..<noiseItems where generator.nextUnit() < noiseProbability {
                let rating = Float(1 + generator.next(below: 2))
                train.append(
                    user: Int32(user), item: Int32(Self.groups * blockSize + noise), value: rating, timestamp: 0)
            }
        }
    }

    /// Item text that follows the groups: a block item's title draws 4 of its group's 12 words
    /// and 2 of 6 words every item may use; a noise item has 3 of the shared words only.
    var catalog: ItemCatalog {
        var generator = SeededGenerator(seed: 99)
        let shared = ["story", "great", "new", "life", "world", "day"]
        var records: [ItemRecord?] = []
        for item in 0..<itemCount {
            var words: [String] = []
            if item < blockSize * Self.groups {
                let group = item / blockSize
                for _ in 0..<4 { words.append("g\(group)word\(generator.next(below: 12))") }
                for _ in 0..<2 { words.append(shared[generator.next(below: shared.count)]) }
            } else {
                for _ in 0..<3 { words.append(shared[generator.next(below: shared.count)]) }
            }
            records.append(ItemRecord(title: words.joined(separator: " ")))
        }
        return ItemCatalog(records: records)
    }

    /// Ratings as they are (1…5).
    var explicitData: TrainingData {
        TrainingData(interactions: train, userCount: userCount, itemCount: itemCount, isExplicit: true, catalog: catalog)
    }

    /// Every training row a positive with value 1.
    var implicitData: TrainingData {
        var positives = train
        for k in 0..<positives.count { positives.values[k] = 1 }
        return TrainingData(
            interactions: positives, userCount: userCount, itemCount: itemCount, isExplicit: false, catalog: catalog)
    }

    /// Top-10 figures with every held-out row relevant.
    func evaluate(_ model: AnyRecommender, on data: TrainingData) -> RankingMetrics {
        ImplicitProtocol.evaluate(model: model, data: data, test: test, minimumRelevance: 0)
    }
}

/// Ratings r = clamp(3 + u·v + noise, 1, 5) from planted rank-`rank` user and item vectors;
/// a random part of the cells is observed for training and another part held out.
struct PlantedRatings {
    var userCount: Int
    var itemCount: Int
    var train: Interactions
    var test: Interactions

    init(
        users: Int = 120, items: Int = 100, rank: Int = 3, trainFraction: Double = 0.35, testFraction: Double = 0.1,
        noise: Double = 0.1, seed: UInt64 = 7
    ) {
        var generator = SeededGenerator(seed: seed)
        func gaussian() -> Double {
            let u1 = 1 - generator.nextUnit(), u2 = generator.nextUnit()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        let scale = 1 / Double(rank).squareRoot()
        let userVectors = (0..<(users * rank)).map { _ in gaussian() * scale * 1.2 }
        let itemVectors = (0..<(items * rank)).map { _ in gaussian() * scale * 1.2 }
        userCount = users
        itemCount = items
        train = Interactions()
        test = Interactions()
        for u in 0..<users {
            for i in 0..<items {
                let draw = generator.nextUnit()
                guard draw < trainFraction + testFraction else { continue }
                var rating = 3.0 + gaussian() * noise
                for f in 0..<rank { rating += userVectors[u * rank + f] * itemVectors[i * rank + f] }
                let value = Float(min(max(rating, 1), 5))
                if draw < trainFraction {
                    train.append(user: Int32(u), item: Int32(i), value: value, timestamp: 0)
                } else {
                    test.append(user: Int32(u), item: Int32(i), value: value, timestamp: 0)
                }
            }
        }
    }

    var data: TrainingData {
        TrainingData(interactions: train, userCount: userCount, itemCount: itemCount, isExplicit: true)
    }

    /// Root mean squared error of `model`'s predictions on the held-out cells.
    func testRMSE(_ model: some Recommender) -> Double {
        var squares = 0.0
        for k in 0..<test.count {
            let error = Double((model.predictRating(user: test.users[k], item: test.items[k]) ?? .nan) - test.values[k])
            squares += error * error
        }
        return (squares / Double(test.count)).squareRoot()
    }
}
