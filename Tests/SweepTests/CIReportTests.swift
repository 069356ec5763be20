import Foundation
import Sweep
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("CI reports: JUnit XML and Markdown summary")
struct CIReportTests {
    static func report() throws -> CIReport {
        CIReport(
            name: "smoke",
            leaderboard: LeaderboardFixtures.board,
            assertions: [try CIAssertion(parsing: "rmse<=0.8"), try CIAssertion(parsing: "mae<0.4")])
    }

    @Test func verdicts() throws {
        let report = try Self.report()
        #expect(report.assertions.map(\.passed) == [true, false])
        #expect(!report.assertionsPassed)
        #expect(!report.passed)
        let clean = CIReport(
            name: "clean",
            leaderboard: Leaderboard(metric: LeaderboardFixtures.rmse, results: LeaderboardFixtures.results),
            assertions: [try CIAssertion(parsing: "rmse<=0.8")])
        #expect(clean.passed)
    }

    @Test func junitSnapshot() throws {
        let expected = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="smoke" tests="5" failures="3">
              <testsuite name="smoke" tests="5" failures="3" errors="0" skipped="0">
                <properties>
                  <property name="metric.primary" value="rmse"/>
                  <property name="metric.direction" value="minimize"/>
                </properties>
                <testcase classname="smoke.mf" name="mf(factors=8, lr=0.01)">
                  <system-out>rank 1; rmse 0.7500 ± 0.2500 (3 seeds); mae 0.5000 ± 0.2500 (3 seeds); 0 failed</system-out>
                </testcase>
                <testcase classname="smoke.mf" name="mf(factors=16, lr=0.01)">
                  <failure type="deterministic" message="seed 2: diverged: loss is NaN">seed 2 (deterministic): diverged: loss is NaN</failure>
                  <system-out>rank 2; rmse 0.8750 (1 seed); mae 0.6250 (1 seed); 1 failed</system-out>
                </testcase>
                <testcase classname="smoke.sleep" name="sleep(fail=true)">
                  <failure type="infrastructure" message="seed 1: timed out after 60s">seed 1 (infrastructure): timed out after 60s</failure>
                  <system-out>rank –; rmse –; mae –; 1 failed</system-out>
                </testcase>
                <testcase classname="smoke.assertions" name="rmse&lt;=0.8">
                  <system-out>PASS rmse&lt;=0.8: top-ranked mean rmse = 0.7500 (mf(factors=8, lr=0.01))</system-out>
                </testcase>
                <testcase classname="smoke.assertions" name="mae&lt;0.4">
                  <failure type="assertion" message="FAIL mae&lt;0.4: smallest mean mae = 0.5000 (mf(factors=8, lr=0.01))">FAIL mae&lt;0.4: smallest mean mae = 0.5000 (mf(factors=8, lr=0.01))</failure>
                  <system-out>FAIL mae&lt;0.4: smallest mean mae = 0.5000 (mf(factors=8, lr=0.01))</system-out>
                </testcase>
              </testsuite>
            </testsuites>

            """
        #expect(try Self.report().junitXML() == expected)
    }

    @Test func junitIsWellFormedXML() throws {
        // Hostile text in names and messages must not break the document.
        var failures = LeaderboardFixtures.failures
        failures.append(
            (
                TrialConfig(model: "sleep", parameters: ["note": .string("<a & \"b\">")], seed: 3),
                TrialFailure(kind: .infrastructure, message: "worker 'w1' lost: </failure><x>\u{1}")
            ))
        let report = CIReport(
            name: "odd & <name>",
            leaderboard: Leaderboard(
                metric: LeaderboardFixtures.rmse, results: LeaderboardFixtures.results, failures: failures),
            assertions: [try CIAssertion(parsing: "rmse<=0.8"), try CIAssertion(parsing: "mae<0.4")])
        let document = try XMLDocument(xmlString: report.junitXML())
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "name")?.stringValue == "odd & <name>")
        let suite = try #require(root.elements(forName: "testsuite").first)
        let cases = suite.elements(forName: "testcase")
        #expect(cases.count == 4 + 2)
        #expect(suite.attribute(forName: "tests")?.stringValue == "6")
        let failing = cases.filter { !$0.elements(forName: "failure").isEmpty }
        #expect(failing.count == 4)
        #expect(suite.attribute(forName: "failures")?.stringValue == "4")
        let names = cases.map { $0.attribute(forName: "name")?.stringValue ?? "" }
        #expect(names.contains("sleep(note=<a & \"b\">)"))
        let types = failing.flatMap { $0.elements(forName: "failure") }.compactMap {
            $0.attribute(forName: "type")?.stringValue
        }
        #expect(types.sorted() == ["assertion", "deterministic", "infrastructure", "infrastructure"])
        #expect(cases.last?.attribute(forName: "name")?.stringValue == "mae<0.4")
    }

    @Test func markdownSummarySnapshot() throws {
        #expect(
            try Self.report().markdown() == """
                ## Sweep smoke: failed ❌

                - 3 configurations, 6 trials, 2 failed
                - Best rmse (minimize): 0.7500 ± 0.2500, `mf(factors=8, lr=0.01)`

                ### Assertions

                - ✅ PASS rmse<=0.8: top-ranked mean rmse = 0.7500 (mf(factors=8, lr=0.01))
                - ❌ FAIL mae<0.4: smallest mean mae = 0.5000 (mf(factors=8, lr=0.01))

                ### Best per model

                | rank | model | parameters | rmse ↓ | mae | seeds | failed |
                | :---: | :--- | :--- | ---: | ---: | ---: | ---: |
                | 1 | mf | factors=8, lr=0.01 | 0.7500 ± 0.2500 | 0.5000 ± 0.2500 | 3 | 0 |

                ### Failed trials

                - `mf(factors=16, lr=0.01)` seed 2 (deterministic): diverged: loss is NaN
                - `sleep(fail=true)` seed 1 (infrastructure): timed out after 60s

                """)
    }
}
