/// What the dashboard answers: a status, the content type and the body. The server adds nothing
/// but headers that do not depend on the page (no caching by the browser, no sniffing).
public struct DashboardResponse: Sendable, Hashable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int, contentType: String = "text/html; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
