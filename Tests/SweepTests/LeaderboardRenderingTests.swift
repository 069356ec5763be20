import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import Sweep

/// Exact output of every renderer on the tiny fixture (see ``LeaderboardFixtures``).
@Suite("Leaderboard renderers")
struct LeaderboardRenderingTests {
    @Test func markdownSnapshot() {
        #expect(
            LeaderboardFixtures.board.markdown() == """
                **Ranked by rmse (minimize)** · 3 configurations · 6 trials · 2 failed

                | rank | model | parameters | rmse ↓ | mae | seeds | failed |
                | :---: | :--- | :--- | ---: | ---: | ---: | ---: |
                | 1 | mf | factors=8 | 0.7500 ± 0.2500 | 0.5000 ± 0.2500 | 3 | 0 |
                | 2 | mf | factors=16 | 0.8750 | 0.6250 | 1 | 1 |
                | – | sleep | fail=true | – | – | 0 | 1 |

                Same in every row of its model: mf (lr=0.01)

                **Best per model**

                | rank | model | parameters | rmse ↓ | mae | seeds | failed |
                | :---: | :--- | :--- | ---: | ---: | ---: | ---: |
                | 1 | mf | factors=8, lr=0.01 | 0.7500 ± 0.2500 | 0.5000 ± 0.2500 | 3 | 0 |

                """)
    }

    @Test func sharedParametersAreThoseEveryConfigurationOfAModelSetsAlike() {
        let board = Leaderboard(
            metric: MetricSpec(primary: "rmse", direction: .minimize),
            results: [
                (TrialConfig(model: "mf", parameters: ["factors": .int(8), "lr": .double(0.01), "reg": .double(0.1)], seed: 1), TrialMetrics(values: ["rmse": 1])),
                (TrialConfig(model: "mf", parameters: ["factors": .int(16), "lr": .double(0.01), "reg": .double(0.2)], seed: 1), TrialMetrics(values: ["rmse": 2])),
                (TrialConfig(model: "mf", parameters: ["factors": .int(16), "lr": .double(0.01), "reg": .double(0.1)], seed: 1), TrialMetrics(values: ["rmse": 3])),
                (TrialConfig(model: "als", parameters: ["factors": .int(8)], seed: 1), TrialMetrics(values: ["rmse": 4])),
                (TrialConfig(model: "ease", parameters: ["lambda": .double(1)], seed: 1), TrialMetrics(values: ["rmse": 5])),
                (TrialConfig(model: "ease", parameters: ["lambda": .double(2)], seed: 1), TrialMetrics(values: ["rmse": 6])),
            ])
        // als has one configuration (nothing to compare); ease's only parameter varies.
        #expect(board.sharedParameters == ["mf": ["lr": .double(0.01)]])
        let text = board.markdown()
        #expect(text.contains("| 1 | mf | factors=8, reg=0.1 |"))
        #expect(text.contains("| 4 | als | factors=8 |"), "a lone configuration keeps its parameters")
        #expect(text.contains("Same in every row of its model: mf (lr=0.01)\n"))
        // The best-per-model table keeps every parameter.
        #expect(text.contains("| 1 | mf | factors=8, lr=0.01, reg=0.1 |"))
    }

    /// Counts a model reports of its fit are written as integers when whole (`1000`, not
    /// `1000.0000`); metrics keep four decimals even when whole.
    @Test func countsAreIntegers() {
        let board = Leaderboard(
            metric: MetricSpec(primary: "ndcg@10", direction: .maximize, record: ["users_from_other_domains", "rmse"]),
            results: [1, 2].map { seed in
                (
                    TrialConfig(model: "unified", parameters: [:], seed: UInt64(seed)),
                    TrialMetrics(values: ["ndcg@10": 0.25, "users_from_other_domains": 1000, "rmse": 1])
                )
            } + [
                (
                    TrialConfig(model: "als", parameters: [:], seed: 1),
                    TrialMetrics(values: ["ndcg@10": 0.5, "users_from_other_domains": 2.5, "rmse": 1])
                )
            ])
        let text = board.markdown()
        #expect(text.contains("| 0.2500 ± 0.0000 | 1000 ± 0 | 1.0000 ± 0.0000 |"), "\(text)")
        #expect(text.contains("| 0.5000 | 2.5000 | 1.0000 |"), "a count that is not whole keeps its decimals: \(text)")
    }

    @Test func csvSnapshot() {
        let expected =
            [
                "rank,model,parameters,seeds,failed,rmse_mean,rmse_sd,rmse_n,mae_mean,mae_sd,mae_n",
                "1,mf,\"factors=8, lr=0.01\",3,0,0.75,0.25,3,0.5,0.25,3",
                "2,mf,\"factors=16, lr=0.01\",1,1,0.875,,1,0.625,,1",
                ",sleep,fail=true,0,1,,,0,,,0",
            ].joined(separator: "\r\n") + "\r\n"
        #expect(LeaderboardFixtures.board.csv() == expected)
    }

    @Test func csvQuotingFollowsRFC4180() {
        #expect(TextFormat.csvField("plain") == "plain")
        #expect(TextFormat.csvField("a,b") == "\"a,b\"")
        #expect(TextFormat.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TextFormat.csvField("two\nlines") == "\"two\nlines\"")
        #expect(TextFormat.csvField("crlf\r\nline") == "\"crlf\r\nline\"")
        let board = Leaderboard(
            metric: MetricSpec(primary: "rmse", direction: .minimize),
            results: [
                (
                    TrialConfig(model: "content", parameters: ["stop": .string("a,\"b\"")], seed: 1),
                    TrialMetrics(values: ["rmse": 1])
                )
            ])
        #expect(board.csv().contains("1,content,\"stop=a,\"\"b\"\"\",1,0,1.0,,1\r\n"))
    }

    @Test func jsonSnapshot() throws {
        let expected = """
            {
              "metric": {
                "primary": "rmse",
                "direction": "minimize",
                "record": ["mae"]
              },
              "configurations": 3,
              "trials": 6,
              "failed": 2,
              "rows": [
                {
                  "rank": 1,
                  "model": "mf",
                  "configuration": "mf(factors=8, lr=0.01)",
                  "parameters": {
                    "factors": 8,
                    "lr": 0.01
                  },
                  "seeds": [1, 2, 3],
                  "failed": 0,
                  "metrics": {
                    "rmse": {
                      "mean": 0.75,
                      "sd": 0.25,
                      "n": 3
                    },
                    "mae": {
                      "mean": 0.5,
                      "sd": 0.25,
                      "n": 3
                    }
                  },
                  "failures": []
                },
                {
                  "rank": 2,
                  "model": "mf",
                  "configuration": "mf(factors=16, lr=0.01)",
                  "parameters": {
                    "factors": 16,
                    "lr": 0.01
                  },
                  "seeds": [1],
                  "failed": 1,
                  "metrics": {
                    "rmse": {
                      "mean": 0.875,
                      "sd": null,
                      "n": 1
                    },
                    "mae": {
                      "mean": 0.625,
                      "sd": null,
                      "n": 1
                    }
                  },
                  "failures": [
                    {
                      "seed": 2,
                      "kind": "deterministic",
                      "message": "diverged: loss is NaN"
                    }
                  ]
                },
                {
                  "rank": null,
                  "model": "sleep",
                  "configuration": "sleep(fail=true)",
                  "parameters": {
                    "fail": true
                  },
                  "seeds": [],
                  "failed": 1,
                  "metrics": {
                    "rmse": null,
                    "mae": null
                  },
                  "failures": [
                    {
                      "seed": 1,
                      "kind": "infrastructure",
                      "message": "timed out after 60s"
                    }
                  ]
                }
              ]
            }

            """
        let json = LeaderboardFixtures.board.json()
        #expect(json == expected)
        // And it is JSON.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((parsed["rows"] as? [Any])?.count == 3)
    }

    @Test func jsonEscapesStrings() {
        #expect(TextFormat.jsonString("a\"b\\c\nd\u{1}") == "\"a\\\"b\\\\c\\nd\\u0001\"")
    }

    @Test func htmlIsSelfContainedWithAChart() throws {
        let html = LeaderboardFixtures.board.html(title: "smoke <ci>")
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<title>Leaderboard: smoke &lt;ci&gt;</title>"))
        #expect(html.contains("<style>"))
        // No network: no http(s) references, scripts, external styles or images.
        #expect(!html.contains("http://") && !html.contains("https://"))
        for tag in ["<script", "<link", "<img", "<iframe", "src=", "@import", "url("] { #expect(!html.contains(tag)) }
        // The chart: one bar per ranked configuration, lengths proportional to the mean (0.75 vs 0.875 of 320 px).
        let svgStart = try #require(html.range(of: "<svg "))
        let svgEnd = try #require(html.range(of: "</svg>"))
        let svg = String(html[svgStart.lowerBound..<svgEnd.upperBound])
        #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 2)
        #expect(svg.contains("<rect class=\"bar\" x=\"300.0\" y=\"12.0\" width=\"274.3\" height=\"16\">"))
        #expect(svg.contains("<rect class=\"bar\" x=\"300.0\" y=\"36.0\" width=\"320.0\" height=\"16\">"))
        #expect(svg.contains(">#1 mf(factors=8, lr=0.01)</text>"))
        #expect(svg.contains(">0.7500</text>"))
        // Tables: all rows, and the unranked one marked.
        #expect(html.contains("<tr class=\"unranked\"><td>–</td><td class=\"text\">sleep</td>"))
        #expect(html.contains("<td>0.7500 ± 0.2500</td>"))
        #expect(html.components(separatedBy: "<table>").count - 1 == 2)
    }

    @Test func htmlChartIsWellFormedXML() throws {
        let html = LeaderboardFixtures.board.html(title: "x & y")
        let svgStart = try #require(html.range(of: "<svg "))
        let svgEnd = try #require(html.range(of: "</svg>"))
        let svg = String(html[svgStart.lowerBound..<svgEnd.upperBound])
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
        #expect(document.rootElement()?.elements(forName: "rect").count == 2)
    }

    @Test func fixedFormattingIsLocaleFree() {
        #expect(TextFormat.fixed(0.123456) == "0.1235")
        #expect(TextFormat.fixed(-0.00001) == "0.0000")
        #expect(TextFormat.fixed(1234567.5) == "1234567.5000")
        #expect(TextFormat.fixed(.nan) == "nan")
        #expect(TextFormat.fixed(2.5, decimals: 1) == "2.5")
    }
}
