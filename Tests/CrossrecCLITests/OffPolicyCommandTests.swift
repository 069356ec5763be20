import Foundation
import Testing

@Suite("crossrec ope")
struct OffPolicyCommandTests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run(["ope", "--synthetic", "--users", "200", "--resamples", "200", "--format", "json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Two models as greedy targets on the synthetic dev impressions: every estimator inside its
    /// interval, ESS at most n, a full-information value from the MIND labels.
    @Test func estimatesEachModelWithIntervals() throws {
        let object = try Self.json(["--model", "popularity", "--model", "ease:lambda=50"])
        #expect(object["part"] as? String == "dev" && object["policy"] as? String == "greedy")
        let models = try #require(object["models"] as? [[String: Any]])
        let trials = models.compactMap { $0["trial"] as? String }
        #expect(trials.count == 2 && trials[0] == "popularity()" && trials[1].hasPrefix("ease(lambda=50"), "\(trials)")
        for model in models {
            let estimate = try #require(model["estimate"] as? [String: Any])
            let n = try #require(estimate["impressions"] as? Int)
            #expect(n > 20)
            let ess = try #require(estimate["effectiveSampleSize"] as? Double)
            #expect(ess > 0 && ess <= Double(n) + 1e-9)
            for name in ["ips", "snips", "doublyRobust"] {
                let interval = try #require(estimate[name] as? [String: Double], "\(name)")
                #expect(interval["lower"]! <= interval["estimate"]! && interval["estimate"]! <= interval["upper"]!, "\(name) \(interval)")
            }
            #expect((model["everyLabel"] as? Double).map { (0...1).contains($0) } == true)
        }
    }

    /// ε = 1 is the uniform policy, the logging policy itself: every weight 1, so IPS is the logged
    /// click rate and ESS is n; its every-label value is the uniform one.
    @Test func aTargetEqualToTheLoggerIsTheOnPolicyMean() throws {
        let object = try Self.json(["--model", "popularity", "--policy", "epsilon:1"])
        let model = try #require((object["models"] as? [[String: Any]])?.first)
        let estimate = try #require(model["estimate"] as? [String: Any])
        let ips = try #require((estimate["ips"] as? [String: Double])?["estimate"])
        #expect(close(ips, try #require(estimate["loggedRewardMean"] as? Double), 1e-12))
        #expect(close(try #require(estimate["effectiveSampleSize"] as? Double), Double(try #require(estimate["impressions"] as? Int)), 1e-9))
        #expect(close(try #require(model["everyLabel"] as? Double), try #require(object["uniformEveryLabel"] as? Double), 1e-12))
    }

    @Test func tableAndCSVNameTheEstimators() throws {
        let table = try CLI.run(["ope", "--synthetic", "--users", "200", "--resamples", "200", "--model", "popularity"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("IPS") && table.stdout.contains("SNIPS") && table.stdout.contains("every label"), "\(table.stdout)")
        #expect(table.stdout.contains("one candidate each drawn uniformly (seed 1), propensity 1/|C|"), "\(table.stdout)")
        let csv = try CLI.run(["ope", "--synthetic", "--users", "200", "--resamples", "200", "--model", "popularity", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "model,estimator,estimate,lower,upper,impressions,ess,max_weight,every_label")
        #expect(lines.dropFirst().map { $0.split(separator: ",")[1] } == ["ips", "snips", "dr"])
    }

    @Test(arguments: [
        (["--model", "popularity", "--policy", "softmax:0"], 64, "--policy: policy 'softmax:0': softmax:T needs a temperature T > 0"),
        (["--model", "popularity", "--model", "ease", "--param", "lambda=5"], 64, "--param applies to a single --model"),
        (["--model", "popularity", "--clip", "0"], 64, "--clip must be a weight M > 0, got 0.0"),
        ([] as [String], 64, "name at least one --model"),
        (["--model", "popularity", "--split", "per-user:0.2"], 1, "off-policy evaluation reads MIND impressions"),
        (["--model", "ease:lambda=fast"], 1, "--param lambda: must be a number"),
    ])
    func badRequestsAreClearErrors(arguments: [String], status: Int32, message: String) throws {
        let result = try CLI.run(["ope", "--synthetic", "--users", "200", "--resamples", "200"] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

private func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }
