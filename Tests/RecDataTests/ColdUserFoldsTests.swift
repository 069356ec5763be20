import Testing

@testable import RecData

/// Cold-user folds: the users of one seeded order cut into folds the size of one cold-users
/// draw, fold 0 being that draw as it always was.
@Suite("Cold-user folds")
struct ColdUserFoldsTests {
    /// 23 users with 1…4 rows each; users 5 and 17 have none (not drawn).
    static func rows() -> Interactions {
        var rows = Interactions()
        for user in 0..<25 where user != 5 && user != 17 {
            for item in 0...(user % 4) { rows.append(user: Int32(user), item: Int32(item), value: 1, timestamp: Int64(item)) }
        }
        return rows
    }

    /// Every eligible user is cold in exactly one fold, with all their rows; folds hold
    /// round(23 × 0.2) = 5 users except the last (3); the split reports 5 folds.
    @Test func foldsMakeEveryUserColdExactlyOnce() throws {
        let rows = Self.rows()
        var coldIn: [Int32: [Int]] = [:]
        for fold in 0..<5 {
            let split = try Splitting.coldUsers(rows, testFraction: 0.2, seed: 4, fold: fold)
            #expect(split.coldUserFolds == 5)
            let cold = Set(split.test.users)
            #expect(cold.count == (fold < 4 ? 5 : 3), "fold \(fold): \(cold.sorted())")
            #expect(cold.isDisjoint(with: Set(split.train.users)))
            #expect(split.train.count + split.test.count == rows.count)
            for user in cold { coldIn[user, default: []].append(fold) }
        }
        #expect(coldIn.count == 23 && coldIn.values.allSatisfy { $0.count == 1 }, "\(coldIn)")
        #expect(coldIn[5] == nil && coldIn[17] == nil)
    }

    /// Fold 0 is the draw the split made before folds existed: the first round(n × f) users of
    /// the seeded shuffle of the eligible users (written out here, as that code was), and keeps
    /// its name.
    @Test func foldZeroIsTheOriginalDraw() throws {
        let rows = Self.rows()
        let eligible = (0..<25).map { $0 % 3 != 0 }
        var candidates = (0..<25).filter { $0 != 5 && $0 != 17 && eligible[$0] }
        var generator = SeededGenerator(seed: 9)
        generator.shuffle(&candidates)
        let expected = Set(candidates.prefix(Int((Double(candidates.count) * 0.3).rounded())).map(Int32.init))
        let split = try Splitting.coldUsers(rows, testFraction: 0.3, seed: 9, eligible: eligible)
        #expect(Set(split.test.users) == expected)
        #expect(split.name == "cold-users-0.3-seed9")
        #expect(try Splitting.coldUsers(rows, testFraction: 0.3, seed: 9, eligible: eligible, fold: 1).name == "cold-users-0.3-seed9-fold1")
    }

    @Test func aFoldPastTheLastIsAnErrorThatCountsTheFolds() throws {
        #expect(throws: DataError.self) { try Splitting.coldUsers(Self.rows(), testFraction: 0.2, seed: 4, fold: 5) }
        do {
            _ = try Splitting.coldUsers(Self.rows(), testFraction: 0.2, seed: 4, fold: 7)
            Issue.record("fold 7 of 5 was made")
        } catch {
            #expect("\(error)".contains("23 eligible users in folds of 5 make 5 fold(s), numbered 0…4"), "\(error)")
        }
        #expect(throws: DataError.self) { try Splitting.coldUsers(Self.rows(), testFraction: 0.2, seed: 4, fold: -1) }
    }

    /// On given train/test files: the folds partition the users with rows in either file, and a
    /// warm user's test rows are never trained on in any fold.
    @Test func foldsOnGivenFilesPartitionUsersAndNeverTrainOnTheTestFile() throws {
        let train = Self.rows()
        var test = Interactions()
        for user in 0..<25 where user != 5 { test.append(user: Int32(user), item: 9, value: 1, timestamp: 0) }
        var seen: [Int32: Int] = [:]
        for fold in 0..<5 {
            let split = try Splitting.coldUsers(train: train, givenTest: test, testFraction: 0.2, seed: 2, fold: fold)
            #expect(split.coldUserFolds == 5)  // 24 users (17 only in test), folds of round(4.8) = 5
            #expect(!split.train.items.contains(9), "a test-file row was trained on in fold \(fold)")
            for user in Set(split.test.users) { seen[user, default: 0] += 1 }
        }
        #expect(seen.count == 24 && seen.values.allSatisfy { $0 == 1 }, "\(seen)")
    }
}
