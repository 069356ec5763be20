import Foundation
import Testing

@testable import RecData

@Suite("Generic interactions and user links")
struct GenericAndLinksTests {
    @Test func headerlessCSVWithFourColumns() throws {
        let folder = try FixtureFolder("generic")
        let file = try folder.write("books.csv", "u1,b1,5,100\nu1,b2,3,101\nu2,b1,4,102\n")
        let dataset = try GenericInteractionsLoader().load(file: file)
        let domain = dataset.domains[0]
        #expect(dataset.users.ids == ["u1", "u2"])
        #expect(domain.items.ids == ["b1", "b2"])
        #expect(domain.interactions.values == [5, 3, 4])
        #expect(domain.interactions.timestamps == [100, 101, 102])
        #expect(domain.isExplicit)
    }

    @Test func twoColumnTSVIsImplicit() throws {
        let folder = try FixtureFolder("generic")
        let file = try folder.write("plays.tsv", "alice\tsong1\nbob\tsong1\nalice\tsong2\n")
        var loader = GenericInteractionsLoader()
        loader.domainName = "music"
        let dataset = try loader.load(file: file)
        #expect(dataset.domains[0].name == "music")
        #expect(dataset.domains[0].interactions.values == [1, 1, 1])
        #expect(!dataset.domains[0].isExplicit)
        #expect(dataset.layout.contains("tab"))
    }

    @Test func columnsByHeaderName() throws {
        let folder = try FixtureFolder("generic")
        let file = try folder.write("x.csv", "when,stars,item_id,user_id\n7,4.5,i9,u3\n8,2.0,i8,u3\n")
        var loader = GenericInteractionsLoader()
        loader.user = "user_id"
        loader.item = "item_id"
        loader.value = "stars"
        loader.timestamp = "when"
        let dataset = try loader.load(file: file)
        #expect(dataset.users.ids == ["u3"])
        #expect(dataset.domains[0].items.ids == ["i9", "i8"])
        #expect(dataset.domains[0].interactions.values == [4.5, 2])
        #expect(dataset.domains[0].interactions.timestamps == [7, 8])
        loader.value = "rating"
        let error = try #require(throws: DataError.self) { try loader.load(file: file) }
        #expect(error.kind == .invalidArgument && error.description.contains("'stars'"))
    }

    @Test func genericErrorsNameLineAndField() throws {
        let folder = try FixtureFolder("generic")
        let file = try folder.write("bad.csv", "user,item,rating\na,b,4\na,c,four\n")
        let error = try #require(throws: DataError.self) { try GenericInteractionsLoader().load(file: file) }
        #expect(error.kind == .badNumber && error.line == 3 && error.fieldIndex == 3 && error.fieldName == "rating")
        #expect(error.description.hasSuffix("bad.csv:3: field 3 'rating': expected a number, got 'four'"))
    }

    @Test func linksJoinTwoDomainsIntoOneUserSpace() throws {
        let folder = try FixtureFolder("links")
        let movies = try folder.write("movies.csv", "1,m1,5\n2,m1,3\n3,m2,4\n")
        let news = try folder.write("news.csv", "U9,n1\nU8,n2\n1,n2\n")
        let linkFile = try folder.write("links.csv", "movielens_user,mind_user\n1,U9\n2,U7\n")
        var loader = GenericInteractionsLoader()
        loader.domainName = "movies"
        let a = try loader.load(file: movies)
        loader.domainName = "news"
        let b = try loader.load(file: news)
        let links = try UserLinks.load(file: linkFile)
        #expect(links.links.count == 2)
        let joined = try links.join(a, b)
        #expect(joined.domains.map(\.name) == ["movies", "news"])
        // 3 movie users; U9 is user 1; U8 is new; news "1" collides with movies' "1" -> "news:1".
        #expect(joined.users.ids == ["1", "2", "3", "U8", "news:1"])
        #expect(joined.domain("news")!.interactions.users == [0, 3, 4])
        #expect(joined.report.skipped["links.csv"]?["user id not in news"] == 1)
    }

    @Test func linkingOneUserTwiceIsAnError() throws {
        let folder = try FixtureFolder("links")
        let file = try folder.write("links.csv", "1,U9\n2,U9\n")
        let error = try #require(throws: DataError.self) { try UserLinks.load(file: file) }
        #expect(error.kind == .duplicate && error.line == 2 && error.fieldIndex == 2)
        #expect(error.description.contains("already linked on line 1"))
    }
}

@Suite("Splits and domain splits")
struct SplittingTests {
    /// 4 users with 1, 2, 5 and 10 rows; timestamps increase with the row number, except ties.
    static func sample() -> Interactions {
        var rows = Interactions()
        var t: Int64 = 0
        for (user, n) in [(0, 1), (1, 2), (2, 5), (3, 10)] {
            for item in 0..<n {
                rows.append(user: Int32(user), item: Int32(item), value: Float(item % 5 + 1), timestamp: t)
                t += 1
            }
        }
        return rows
    }

    @Test func randomHoldoutIsExactSeededAndPartitions() throws {
        let rows = Self.sample()
        let split = try Splitting.randomHoldout(rows, testFraction: 0.25, seed: 7)
        #expect(split.test.count == 5 && split.train.count == 13)  // round(18 × 0.25) = 5
        #expect(try Splitting.randomHoldout(rows, testFraction: 0.25, seed: 7) == split)
        let other = try Splitting.randomHoldout(rows, testFraction: 0.25, seed: 8)
        #expect(other.test != split.test)
        let key = { (r: Interactions) in zip(r.users, r.items).map { "\($0)-\($1)" } }
        #expect(Set(key(split.train) + key(split.test)) == Set(key(rows)))
    }

    @Test func perUserHoldoutKeepsEveryUserInTraining() throws {
        let split = try Splitting.perUserHoldout(Self.sample(), testFraction: 0.5, seed: 1)
        let testPerUser = Dictionary(grouping: split.test.users, by: { $0 }).mapValues(\.count)
        #expect(testPerUser[0] == nil)  // 1 row: stays in training
        #expect(testPerUser[1] == 1 && testPerUser[2] == 3 && testPerUser[3] == 5)
        #expect(Set(split.train.users) == [0, 1, 2, 3])
    }

    @Test func coldUsersMovesWholeUsersToTest() throws {
        let rows = Self.sample()
        let split = try Splitting.coldUsers(rows, testFraction: 0.5, seed: 3)
        let coldUsers = Set(split.test.users)
        #expect(coldUsers.count == 2, "round(4 × 0.5) users")
        #expect(coldUsers.isDisjoint(with: Set(split.train.users)), "a cold user keeps no training row")
        #expect(split.train.count + split.test.count == rows.count)
        for user in coldUsers { #expect(split.test.users.filter { $0 == user }.count == rows.users.filter { $0 == user }.count) }
        #expect(try Splitting.coldUsers(rows, testFraction: 0.5, seed: 3).test.users == split.test.users)
        // Only eligible users are drawn: users 1 and 3.
        let masked = try Splitting.coldUsers(rows, testFraction: 0.5, seed: 3, eligible: [false, true, false, true])
        #expect(Set(masked.test.users).isSubset(of: [1, 3]) && Set(masked.test.users).count == 1)
        #expect(throws: DataError.self) { try Splitting.coldUsers(rows, testFraction: 1, seed: 3) }
    }

    @Test func leaveLastOutTakesTheLatestRows() throws {
        var rows = Self.sample()
        rows.timestamps[17] = 0  // user 3's last row becomes their earliest
        let split = try Splitting.leaveLastOut(rows, count: 1)
        #expect(split.test.users == [1, 2, 3])
        #expect(split.test.items == [1, 4, 8])
        #expect(throws: DataError.self) { try Splitting.leaveLastOut(rows, count: 0) }
    }

    @Test func temporalSplitCutsAtTheQuantile() throws {
        let rows = Self.sample()
        let split = try Splitting.temporal(rows, testFraction: 0.25)
        #expect(split.test.timestamps.min()! > split.train.timestamps.max()!)
        #expect(split.test.count == 4)
        #expect(Splitting.temporal(rows, cutoff: 100).test.isEmpty)
        #expect(throws: DataError.self) { try Splitting.temporal(rows, testFraction: 1.5) }
    }

    @Test func genreGroupsMakeTwoDomainsWithSharedUsers() throws {
        let folder = try FixtureFolder("dsplit")
        try folder.write(
            "movies.csv",
            "movieId,title,genres\n1,A (1990),Action|Comedy\n2,B (1990),Comedy\n3,C (1990),Documentary\n4,D (1990),Thriller\n")
        try folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,1\n1,2,3,2\n2,3,5,3\n2,4,2,4\n3,2,1,5\n")
        let dataset = try MovieLensLoader().load(folder: folder.path)
        let split = try DomainSplit(parsing: "action=Action,Thriller | Comedy")
        #expect(split.names == ["action", "Comedy"])
        let result = try split.apply(to: dataset)
        #expect(result.domains.map(\.name) == ["action", "Comedy"])
        #expect(result.domain("action")!.items.ids == ["1", "4"])  // movie 1 goes to the first matching group
        #expect(result.domain("Comedy")!.items.ids == ["2"])
        #expect(result.domain("action")!.interactions.count == 2)
        #expect(result.domain("Comedy")!.interactions.users == [0, 2])
        #expect(result.users == dataset.users)
        #expect(result.report.skipped["movies"]?.values.first == 1)  // the documentary
        let unknown = try #require(throws: DataError.self) { try DomainSplit(parsing: "Action | Cooking").apply(to: dataset) }
        #expect(unknown.description.contains("unknown category 'Cooking'"))
        #expect(throws: DataError.self) { try DomainSplit(parsing: "Action") }
    }

    @Test(.enabled(if: SharedData.exists("ml-100k/u.data"), "../shared/data/ml-100k absent: skipped"))
    func realML100KGenreSplitSharesUsers() throws {
        let dataset = try MovieLensLoader().load(folder: SharedData.path("ml-100k"))
        let result = try DomainSplit(parsing: "Action,Adventure,Sci-Fi,Thriller | Comedy,Romance,Drama").apply(to: dataset)
        let a = Set(result.domains[0].interactions.users), b = Set(result.domains[1].interactions.users)
        #expect(a.intersection(b).count > 900)
        let kept = result.domains.reduce(0) { $0 + $1.interactions.count }
        let skipped = result.report.skipped["movies"]?.values.reduce(0, +) ?? 0
        #expect(kept + skipped == 100_000)
    }
}

@Suite("MIND domain split")
struct MINDDomainSplitTests {
    @Test func categoryGroupsSplitNewsIntoDomainsWithSharedUsers() throws {
        let folder = try FixtureFolder("mind-split")
        try folder.write(
            "news.tsv",
            """
            N1\tsports\tfootball\tA match\t\thttp://a\t[]\t[]
            N2\tfinance\tmarkets\tStocks up\t\thttp://b\t[]\t[]
            N3\tnews\tpolitics\tA vote\t\thttp://c\t[]\t[]
            N4\tlifestyle\tfood\tA recipe\t\thttp://d\t[]\t[]

            """)
        try folder.write(
            "behaviors.tsv",
            """
            1\tU1\t11/11/2019 9:00:00 AM\t\tN1-1 N2-1 N4-0
            2\tU2\t11/11/2019 10:00:00 AM\t\tN3-1 N1-0
            3\tU1\t11/12/2019 9:00:00 AM\t\tN4-1

            """)
        var options = MINDLoader.Options()
        options.includeHistory = false
        let mind = try MINDLoader.load(folder: folder.path, options: options)
        let split = try DomainSplit(parsing: "sports | money=finance,news").apply(to: mind.dataset)
        #expect(split.domains.map(\.name) == ["sports", "money"])
        #expect(split.domain("sports")!.interactions.count == 1)  // U1 clicked N1
        #expect(split.domain("money")!.interactions.count == 2)  // U1 N2, U2 N3
        #expect(Set(split.domain("money")!.interactions.users) == [0, 1])
        #expect(split.report.skipped["news"]?.values.reduce(0, +) == 1)  // U1's lifestyle click
    }
}
