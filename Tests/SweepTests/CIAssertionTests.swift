import Sweep
import Testing

@Suite("CI assertions")
struct CIAssertionTests {
    @Test(arguments: [
        ("rmse<=0.95", "rmse", CIAssertion.Comparison.lessOrEqual, 0.95),
        ("rmse<0.95", "rmse", .less, 0.95),
        ("ndcg@10>=0.3", "ndcg@10", .greaterOrEqual, 0.3),
        (" ndcg@10 > 0.3 ", "ndcg@10", .greater, 0.3),
        ("mae==0.5", "mae", .equal, 0.5),
        ("auc>=1e-3", "auc", .greaterOrEqual, 0.001),
    ])
    func parses(text: String, metric: String, comparison: CIAssertion.Comparison, threshold: Double) throws {
        let assertion = try CIAssertion(parsing: text)
        #expect(assertion == CIAssertion(metric: metric, comparison: comparison, threshold: threshold))
    }

    @Test(arguments: [
        (
            "rmse",
            "--assert 'rmse': no comparison operator; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "<=0.9",
            "--assert '<=0.9': missing or malformed metric name; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse=0.9",
            "--assert 'rmse=0.9': unknown operator in '=0.9'; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse=<0.9",
            "--assert 'rmse=<0.9': unknown operator in '=<0.9'; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse!=0.9",
            "--assert 'rmse!=0.9': unknown operator in '!=0.9'; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse<=",
            "--assert 'rmse<=': missing threshold; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse<=abc",
            "--assert 'rmse<=abc': 'abc' is not a number; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
        (
            "rmse<=nan",
            "--assert 'rmse<=nan': 'nan' is not a number; expected METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. 'rmse<=0.95'"
        ),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: CIAssertion.ParseError.self) { try CIAssertion(parsing: text) }
        do {
            _ = try CIAssertion(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func primaryMetricUsesTheTopRankedConfiguration() throws {
        let board = LeaderboardFixtures.board  // best rmse 0.75 (mf factors=8)
        let pass = try CIAssertion(parsing: "rmse<=0.8").evaluate(board)
        #expect(pass.passed)
        #expect(pass.actual == 0.75)
        #expect(pass.configuration?.description == "mf(factors=8, lr=0.01)")
        #expect(pass.message == "PASS rmse<=0.8: top-ranked mean rmse = 0.7500 (mf(factors=8, lr=0.01))")
        let fail = try CIAssertion(parsing: "rmse<0.75").evaluate(board)
        #expect(!fail.passed)
        // The value would print like the threshold with 4 decimals, so it is shown exactly.
        #expect(fail.message == "FAIL rmse<0.75: top-ranked mean rmse = 0.75 (mf(factors=8, lr=0.01))")
        #expect(try CIAssertion(parsing: "rmse>=0.75").evaluate(board).passed)
        #expect(try CIAssertion(parsing: "rmse==0.75").evaluate(board).passed)
        #expect(!(try CIAssertion(parsing: "rmse>0.75").evaluate(board).passed))
    }

    @Test func otherMetricUsesItsBestMeanInTheOperatorsDirection() throws {
        let board = LeaderboardFixtures.board  // mae means: 0.5 (rank 1), 0.625 (rank 2)
        let upper = try CIAssertion(parsing: "mae<=0.5").evaluate(board)
        #expect(upper.passed && upper.actual == 0.5)
        #expect(upper.message == "PASS mae<=0.5: smallest mean mae = 0.5 (mf(factors=8, lr=0.01))")
        let lower = try CIAssertion(parsing: "mae>=0.6").evaluate(board)
        #expect(lower.passed && lower.actual == 0.625)
        #expect(lower.configuration?.description == "mf(factors=16, lr=0.01)")
        #expect(!(try CIAssertion(parsing: "mae>0.7").evaluate(board).passed))
        // == checks the top-ranked configuration's value.
        #expect(try CIAssertion(parsing: "mae==0.5").evaluate(board).passed)
    }

    @Test func missingMetricFails() throws {
        let result = try CIAssertion(parsing: "ndcg@10>=0.1").evaluate(LeaderboardFixtures.board)
        #expect(!result.passed)
        #expect(result.actual == nil)
        #expect(result.message == "FAIL ndcg@10>=0.1: no successful trial reported 'ndcg@10'")
        let empty = Leaderboard(metric: LeaderboardFixtures.rmse, results: [])
        #expect(
            try CIAssertion(parsing: "rmse<=1").evaluate(empty).message
                == "FAIL rmse<=1.0: no successful trial reported 'rmse'")
    }

    @Test func equalityToleratesRounding() {
        #expect(CIAssertion.Comparison.equal.holds(0.1 + 0.2, 0.3))
        #expect(!CIAssertion.Comparison.equal.holds(0.3001, 0.3))
    }
}
