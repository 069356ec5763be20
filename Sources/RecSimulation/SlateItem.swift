/// One recommendation on a slate: an item of one of the data set's domains.
public struct SlateItem: Sendable, Hashable, Codable {
    /// Index into `Dataset.domains`.
    public var domain: Int
    /// Item index within that domain.
    public var item: Int32

    public init(domain: Int, item: Int32) {
        self.domain = domain
        self.item = item
    }
}
