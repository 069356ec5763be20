import Testing

@testable import DataFetch

@Suite("Resume decisions for download responses")
struct DownloadResponsePlanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int
        var requestedOffset: Int64
        var contentRange: String?
        var contentLength: Int64?
        var expected: DownloadResponsePlan
        var testDescription: String { "\(status) after \(requestedOffset) bytes, Content-Range \(contentRange ?? "-")" }
    }

    @Test(arguments: [
        Case(status: 200, requestedOffset: 0, contentLength: 500, expected: .write(offset: 0, total: 500)),
        Case(status: 200, requestedOffset: 0, contentLength: nil, expected: .write(offset: 0, total: nil)),
        // A server that ignores Range sends everything again: restart from zero.
        Case(status: 200, requestedOffset: 120, contentLength: 500, expected: .write(offset: 0, total: 500)),
        Case(
            status: 206, requestedOffset: 120, contentRange: "bytes 120-499/500", contentLength: 380,
            expected: .write(offset: 120, total: 500)),
        Case(
            status: 206, requestedOffset: 120, contentRange: "bytes 120-499/*", contentLength: 380,
            expected: .write(offset: 120, total: nil)),
        Case(
            status: 206, requestedOffset: 120, contentRange: "bytes 100-499/500",
            expected: .unexpectedRange(contentRange: "bytes 100-499/500")),
        Case(status: 206, requestedOffset: 120, contentRange: nil, expected: .unexpectedRange(contentRange: "(none)")),
        Case(
            status: 206, requestedOffset: 120, contentRange: "items 120-499/500",
            expected: .unexpectedRange(contentRange: "items 120-499/500")),
        Case(status: 416, requestedOffset: 500, contentRange: "bytes */500", expected: .alreadyComplete),
        Case(status: 416, requestedOffset: 500, contentRange: nil, expected: .alreadyComplete),
        Case(status: 416, requestedOffset: 510, contentRange: "bytes */500", expected: .restartWithoutRange),
        Case(status: 416, requestedOffset: 0, expected: .failure(status: 416)),
        Case(status: 404, requestedOffset: 0, expected: .failure(status: 404)),
        Case(status: 500, requestedOffset: 120, expected: .failure(status: 500)),
        Case(status: 204, requestedOffset: 0, expected: .failure(status: 204)),
    ])
    func decide(_ testCase: Case) {
        let plan = DownloadResponsePlan.decide(
            status: testCase.status, requestedOffset: testCase.requestedOffset, contentRange: testCase.contentRange,
            contentLength: testCase.contentLength)
        #expect(plan == testCase.expected)
    }
}
