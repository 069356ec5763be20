import Foundation
import Testing

@testable import RecData

/// Linked generic data: N interaction files named per domain, test files, shared ids or links.
@Suite("Data-set descriptions")
struct DatasetDescriptionTests {
    /// Two domains in one user id space, `user item 1` lines as the Amazon pairs ship them, each
    /// with a fixed test file.
    static func sharedFixture() throws -> (FixtureFolder, DatasetDescription) {
        let folder = try FixtureFolder("described")
        let phone = try folder.write("phone.txt", "1\t10\t1\n1\t11\t1\n2\t10\t1\n3\t12\t1\n")
        let phoneTest = try folder.write("phone-test.txt", "1\t12\t1\n2\t11\t1\n3\t13\t1\n")
        let sport = try folder.write("sport.txt", "1\t50\t1\n2\t51\t1\n4\t50\t1\n")
        let sportTest = try folder.write("sport-test.txt", "1\t51\t1\n4\t52\t1\n")
        let description = DatasetDescription(domains: [
            .init(name: "phone", path: phone, test: phoneTest), .init(name: "sport", path: sport, test: sportTest),
        ])
        return (folder, description)
    }

    @Test func sharedIdsJoinUsersAndKeepTheTestRowsApart() throws {
        let (folder, description) = try Self.sharedFixture()
        defer { withExtendedLifetime(folder) {} }
        let dataset = try description.open()
        #expect(dataset.domains.map(\.name) == ["phone", "sport"])
        #expect(dataset.users.ids == ["1", "2", "3", "4"])
        let phone = try #require(dataset.domain("phone"))
        let sport = try #require(dataset.domain("sport"))
        // A column of 1s is positive feedback, not ratings of 1 (which no threshold would call relevant).
        #expect(!phone.isExplicit && !sport.isExplicit)
        #expect(dataset.report.notes.contains { $0.contains("read as implicit") })
        #expect(phone.interactions.count == 4)
        let test = try #require(phone.givenTest)
        #expect(test.count == 3)
        // Item 13 appears only in the test file: it gets the next index, after the training items.
        #expect(phone.items.ids == ["10", "11", "12", "13"])
        #expect(test.items.map { phone.items[$0] } == ["12", "11", "13"])
        // User 4 is only in sport; user 1 is the same person in both domains.
        #expect(sport.givenTest.map { $0.users.map { dataset.users[$0] } } == ["1", "4"])
        #expect(dataset.report.notes.contains { $0.contains("1 items of phone-test.txt have no row in phone.txt") })
    }

    @Test func aLinksFileJoinsTwoIdSpaces() throws {
        let folder = try FixtureFolder("described-links")
        let books = try folder.write("books.csv", "a,b1\nb,b2\n")
        let films = try folder.write("films.csv", "x,f1\ny,f2\nz,f1\n")
        let links = try folder.write("links.csv", "a,x\nb,y\n")
        let description = DatasetDescription(
            domains: [.init(name: "books", path: books), .init(name: "films", path: films)], users: .links(links))
        let dataset = try description.open()
        #expect(dataset.domains.map(\.name) == ["books", "films"])
        // a = x, b = y; z is a films-only user.
        #expect(dataset.users.count == 3)
        let films0 = try #require(dataset.domain("films"))
        #expect(films0.interactions.users.map { dataset.users[$0] } == ["a", "b", "z"])
    }

    @Test func sharedIdsThatNeverMeetAreAnError() throws {
        let folder = try FixtureFolder("described-disjoint")
        let a = try folder.write("a.csv", "u1,i1\nu2,i2\n")
        let b = try folder.write("b.csv", "v1,j1\nv2,j2\n")
        let description = DatasetDescription(
            domains: [.init(name: "left", path: a), .init(name: "right", path: b)], origin: "pair.yaml")
        let error = try #require(throws: DataError.self) { try description.open() }
        let text = "\(error)"
        #expect(text.contains("pair.yaml"), "\(text)")
        #expect(text.contains(a) && text.contains(b), "\(text)")
        #expect(text.contains("no user id in common") && text.contains("links"), "\(text)")
    }

    @Test func feedbackIsReadAsToldOrDecidedFromTheValues() throws {
        let folder = try FixtureFolder("described-feedback")
        let ratings = try folder.write("r.csv", "u1,i1,5\nu1,i2,3\nu2,i1,4\n")
        let ones = try folder.write("o.csv", "u1,i1,1\nu2,i2,1\n")
        let pairs = try folder.write("p.csv", "u1,i1\nu2,i2\n")
        func domain(_ path: String, _ feedback: GenericInteractionsLoader.Feedback) throws -> Domain {
            try DatasetDescription(domains: [.init(name: "d", path: path, feedback: feedback)]).open().domains[0]
        }
        #expect(try domain(ratings, .auto).isExplicit)
        #expect(try !domain(ones, .auto).isExplicit)
        #expect(try domain(ones, .explicit).isExplicit)
        let implicit = try domain(ratings, .implicit)
        #expect(!implicit.isExplicit && implicit.interactions.values == [1, 1, 1])
        let error = try #require(throws: DataError.self) { try domain(pairs, .explicit) }
        #expect("\(error)".contains("needs a value column"), "\(error)")
    }

    @Test func validationNamesTheProblem() {
        func message(_ description: DatasetDescription) -> String {
            do {
                try description.validate()
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(message(DatasetDescription(domains: [])).contains("names no domain"))
        #expect(
            message(DatasetDescription(domains: [.init(name: "a", path: "x"), .init(name: "a", path: "y")]))
                .contains("'a' is named twice"))
        #expect(
            message(
                DatasetDescription(
                    domains: [.init(name: "a", path: "x"), .init(name: "b", path: "y"), .init(name: "c", path: "z")],
                    users: .links("l.csv"))
            ).contains("joins two domains"))
        #expect(message(DatasetDescription(domains: [.init(name: "a", path: "x", separator: "colon")])).contains("unknown separator"))
    }

    @Test func aFixedSplitIsUsedAsItIs() throws {
        let (folder, description) = try Self.sharedFixture()
        defer { withExtendedLifetime(folder) {} }
        let phone = try #require(try description.open().domain("phone"))
        let split = Splitting.given(train: phone.interactions, test: try #require(phone.givenTest))
        #expect(split.train == phone.interactions)
        #expect(split.test == phone.givenTest)
    }

    /// Cold users on top of given files: their rows from both files are evaluated; the others'
    /// test rows are neither trained on nor evaluated.
    @Test func coldUsersOnGivenFilesNeverTrainOnTheTestFile() throws {
        var train = Interactions(), test = Interactions()
        for user in 0..<20 {
            for item in 0..<3 { train.append(user: Int32(user), item: Int32(item + user % 5), value: 1, timestamp: 0) }
            test.append(user: Int32(user), item: 9, value: 1, timestamp: 0)
        }
        let split = try Splitting.coldUsers(train: train, givenTest: test, testFraction: 0.25, seed: 3)
        let cold = Set(split.test.users)
        #expect(cold.count == 5)
        // Every row of a cold user is in test: 3 training rows and 1 test row each.
        #expect(split.test.count == 5 * 4)
        #expect(Set(split.train.users).isDisjoint(with: cold))
        // No row of the given test file is trained on: item 9 appears only there.
        #expect(!split.train.items.contains(9))
        #expect(split.train.count == 15 * 3)
        let again = try Splitting.coldUsers(train: train, givenTest: test, testFraction: 0.25, seed: 3)
        let other = try Splitting.coldUsers(train: train, givenTest: test, testFraction: 0.25, seed: 4)
        #expect(again == split)
        #expect(Set(other.test.users) != cold)
    }
}
