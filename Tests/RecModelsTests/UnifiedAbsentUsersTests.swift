import Foundation
import RecData
@testable import RecModels
import Testing

/// `absent_users: unobserved`: a domain's loss covers only the users with rows in it.
@Suite("Unified model: users absent from a domain")
struct UnifiedAbsentUsersTests {
    static func fitted(_ absent: String, iterations: Int = 300, threads: Int = 1) throws -> UnifiedModel {
        let (data, _) = UnifiedModelTests.data()
        return try #require(
            try trained(
                "unified", on: data,
                parameters: [
                    "factors": 6, "iterations": .init(integerLiteral: iterations), "reg": 0.5, "alpha": 2,
                    "other_weight": 0.3, "init_std": 0.1, "absent_users": .init(stringLiteral: absent),
                    "threads": .init(integerLiteral: threads),
                ],
                seed: 3
            )
            .unwrap(as: UnifiedModel.self))
    }

    /// x = (Σ_b w_b Y_bᵀY_b + Σ_obs w_b (c − 1) y yᵀ + λI)⁻¹ Σ_obs w_b c y over `blocks`
    /// (factors, weight, the user's items), solved in Double by Gaussian elimination.
    static func solve(_ blocks: [(factors: FactorMatrix, weight: Double, items: [Int])], c: Double, lambda: Double) -> [Double] {
        let k = blocks[0].factors.factors, stride = blocks[0].factors.stride
        var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var b = [Double](repeating: 0, count: k)
        for block in blocks {
            func row(_ i: Int) -> [Double] { (0..<k).map { Double(block.factors.values[i * stride + $0]) } }
            for i in 0..<block.factors.rows {
                let y = row(i)
                for p in 0..<k { for q in 0..<k { a[p][q] += block.weight * y[p] * y[q] } }
            }
            for i in block.items {
                let y = row(i)
                for p in 0..<k {
                    b[p] += block.weight * c * y[p]
                    for q in 0..<k { a[p][q] += block.weight * (c - 1) * y[p] * y[q] }
                }
            }
        }
        for p in 0..<k { a[p][p] += lambda }
        for col in 0..<k {
            for r in (col + 1)..<k {
                let f = a[r][col] / a[col][col]
                for q in col..<k { a[r][q] -= f * a[col][q] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: k)
        for r in Swift.stride(from: k - 1, through: 0, by: -1) {
            var sum = b[r]
            for q in (r + 1)..<k { sum -= a[r][q] * x[q] }
            x[r] = sum / a[r][r]
        }
        return x
    }

    /// ‖x − y‖ / ‖x‖.
    static func relativeDistance(_ x: [Double], _ y: [Double]) -> Double {
        var difference = 0.0, norm = 0.0
        for (a, b) in zip(x, y) {
            difference += (a - b) * (a - b)
            norm += a * a
        }
        return (difference / max(norm, 1e-12)).squareRoot()
    }

    /// After the alternating solves have settled, a cold user's vector (rows only in the other
    /// domain) satisfies the other domain's normal equations alone; with the default `negative` it
    /// satisfies those with the evaluated domain's Gram term added. Each vector is checked against
    /// both formulas, so the test fails if the option changes nothing or changes the wrong thing.
    @Test func aColdUsersVectorIsTheFoldInOfTheirOtherRowsAlone() throws {
        let (data, _) = UnifiedModelTests.data()
        let other = data.otherDomains[0].interactions
        func rows(of user: Int) -> [Int] { (0..<other.count).filter { Int(other.users[$0]) == user }.map { Int(other.items[$0]) } }
        for absent in ["unobserved", "negative"] {
            let model = try Self.fitted(absent)
            let users = model.userFactors, items = model.itemFactors, news = model.otherItemFactors[0]
            var worstOwn = 0.0, worstOtherFormula = 0.0
            for user in 80..<120 {
                let alone = Self.solve([(news, 0.3, rows(of: user))], c: 3, lambda: 0.5)
                let withTarget = Self.solve([(items, 1, []), (news, 0.3, rows(of: user))], c: 3, lambda: 0.5)
                let x = (0..<users.factors).map { Double(users.values[user * users.stride + $0]) }
                func distance(_ y: [Double]) -> Double { Self.relativeDistance(x, y) }
                let (own, otherFormula) = absent == "unobserved" ? (alone, withTarget) : (withTarget, alone)
                worstOwn = max(worstOwn, distance(own))
                worstOtherFormula = max(worstOtherFormula, distance(otherFormula))
            }
            #expect(worstOwn < 1e-3, "\(absent): a cold user's vector is \(worstOwn) (relative) from its own normal equations")
            #expect(worstOtherFormula > 0.05, "\(absent): the other formula is only \(worstOtherFormula) away: the option does nothing")
        }
    }

    /// The evaluated domain's item solves see only its own users: the cold users (80..<120) leave
    /// its XᵀX term. Checked on the settled factors by the same normal equations, item by item.
    @Test func theEvaluatedItemsAreSolvedAgainstTheirOwnUsersOnly() throws {
        let (data, _) = UnifiedModelTests.data()
        let target = data.interactions
        let model = try Self.fitted("unobserved")
        let users = model.userFactors
        var members = FactorMatrix(rows: 80, factors: users.factors)
        members.values = Array(users.values[0..<(80 * users.stride)])
        var worstOwn = 0.0, worstAll = 0.0
        for item in 0..<data.itemCount {
            let raters = (0..<target.count).filter { Int(target.items[$0]) == item }.map { Int(target.users[$0]) }
            guard !raters.isEmpty else { continue }
            let own = Self.solve([(members, 1, raters)], c: 3, lambda: 0.5)
            let all = Self.solve([(users, 1, raters)], c: 3, lambda: 0.5)
            let items = model.itemFactors
            let y = (0..<items.factors).map { Double(items.values[item * items.stride + $0]) }
            func distance(_ z: [Double]) -> Double { Self.relativeDistance(y, z) }
            worstOwn = max(worstOwn, distance(own))
            worstAll = max(worstAll, distance(all))
        }
        #expect(worstOwn < 1e-3, "an evaluated item is \(worstOwn) (relative) from its normal equations over its own users")
        #expect(worstAll > 0.01, "with the cold users' XᵀX it would be only \(worstAll) away: nothing was left out")
    }

    /// An impression's fold-in for a user with no rows in the other domain (an id the fit never
    /// saw) solves against the evaluated domain's Gram term alone with `unobserved`, and with the
    /// other domain's added by default: scores checked against both solves.
    @Test func theImpressionFoldInLeavesOutADomainTheUserHasNoRowsIn() throws {
        let (data, _) = UnifiedModelTests.data()
        let history: [Int32] = [0, 1, 2, 40]
        let candidates = (0..<Int32(data.itemCount)).map { $0 }
        for absent in ["unobserved", "negative"] {
            let model = try Self.fitted(absent, iterations: 10)
            var scores = [Float](repeating: .nan, count: candidates.count)
            scores.withUnsafeMutableBufferPointer {
                model.scoreCandidates(
                    user: Int32(data.userCount), history: history[...], candidates: candidates[...],
                    itemCount: data.itemCount, into: $0)
            }
            let items = model.itemFactors
            let alone = Self.solve([(items, 1, history.map(Int.init))], c: 3, lambda: 0.5)
            let withOther = Self.solve(
                [(items, 1, history.map(Int.init)), (model.otherItemFactors[0], 0.3, [])], c: 3, lambda: 0.5)
            func expected(_ x: [Double]) -> [Double] {
                (0..<data.itemCount).map { i in (0..<items.factors).reduce(0.0) { $0 + x[$1] * Double(items.values[i * items.stride + $1]) } }
            }
            let got = scores.map(Double.init)
            let (own, other) = absent == "unobserved" ? (expected(alone), expected(withOther)) : (expected(withOther), expected(alone))
            #expect(Self.relativeDistance(own, got) < 1e-3, "\(absent): fold-in scores off their own solve")
            #expect(Self.relativeDistance(other, got) > 0.01, "\(absent): fold-in scores match the other formula too")
        }
    }

    /// Cold users are still ranked from the other domain, and the option keeps the model's
    /// determinism: 1 and 2 threads give bit-identical vectors.
    @Test func coldUsersAreRankedAndThreadsDoNotMatter() throws {
        let (data, test) = UnifiedModelTests.data()
        let unobserved = try trained(
            "unified", on: data, parameters: ["factors": 8, "iterations": 8, "absent_users": "unobserved"])
        let popularity = try trained("popularity", on: data)
        let ndcg = UnifiedModelTests.ndcg(unobserved, data, test)
        #expect(ndcg > 0.45 && ndcg > UnifiedModelTests.ndcg(popularity, data, test) + 0.3, "unobserved \(ndcg)")
        let one = try Self.fitted("unobserved", iterations: 5, threads: 1)
        let two = try Self.fitted("unobserved", iterations: 5, threads: 2)
        #expect(one.userFactors == two.userFactors && one.itemFactors == two.itemFactors)
    }

    /// `specific_factors`: user vectors are [shared | per domain]; each domain's items use only the
    /// shared coordinates and their own domain's, the rest stay exactly 0 through the solves; cold
    /// users are still ranked from the other domain (their evaluated-domain part is empty with
    /// `unobserved`), and 1 and 2 threads agree bit for bit.
    @Test func domainSpecificFactorsStayInTheirOwnDomain() throws {
        let (data, test) = UnifiedModelTests.data()
        func fitted(_ threads: Int) throws -> UnifiedModel {
            try #require(
                try trained(
                    "unified", on: data,
                    parameters: [
                        "factors": 6, "specific_factors": 3, "iterations": 8, "absent_users": "unobserved",
                        "threads": .init(integerLiteral: threads),
                    ], seed: 2
                ).unwrap(as: UnifiedModel.self))
        }
        let model = try fitted(1)
        #expect(model.userFactors.factors == 12)
        func nonzero(_ m: FactorMatrix, _ coordinates: Range<Int>) -> Int {
            (0..<m.rows).reduce(0) { count, row in count + coordinates.filter { m.values[row * m.stride + $0] != 0 }.count }
        }
        #expect(nonzero(model.itemFactors, 9..<12) == 0, "evaluated items use the other domain's coordinates")
        #expect(nonzero(model.otherItemFactors[0], 6..<9) == 0, "other items use the evaluated domain's coordinates")
        #expect(nonzero(model.itemFactors, 6..<9) > 0 && nonzero(model.otherItemFactors[0], 9..<12) > 0)
        #expect(nonzero(model.userFactors, 6..<9) > 0)
        let ndcg = UnifiedModelTests.ndcg(AnyRecommender(model), data, test)
        #expect(ndcg > 0.45, "cold users with specific factors: \(ndcg)")
        let two = try fitted(2)
        #expect(model.userFactors == two.userFactors && model.itemFactors == two.itemFactors)
    }
}
