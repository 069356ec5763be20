import Foundation
public import RecData

/// The data a trial trains and is evaluated on, as the coordinator sends it to workers (JSON).
/// Workers prepare each distinct request once and keep it across trials (``PreparedDataCache``).
public struct DatasetRequest: Sendable, Hashable, Codable {
    public enum Source: Sendable, Hashable, Codable {
        /// Generated linked data with these parameters (generated once per worker, in a temp folder).
        case synthetic(SyntheticConfig)
        /// A folder or file opened with ``DatasetLocator`` (`layout` is a `DatasetLocator.Kind` raw value).
        case path(String, layout: String)
    }

    public enum SplitRequest: Sendable, Hashable, Codable {
        /// An official MovieLens 100K fold (`u1`…`u5`, `ua`, `ub`).
        case official(String)
        case random(test: Double, seed: UInt64)
        case perUser(test: Double, seed: UInt64)
        case leaveLastOut(Int)
        case temporal(test: Double)
        /// MIND: train-log clicks versus dev-log clicks.
        case mindTrainDev
    }

    public var source: Source
    public var split: SplitRequest
    /// Category groups splitting the first domain (`Action,Adventure | Comedy,Drama`).
    public var domainSplit: String?
    /// The domain trained and evaluated; nil = `movies` when present, else the first.
    public var domain: String?

    public init(source: Source, split: SplitRequest, domainSplit: String? = nil, domain: String? = nil) {
        self.source = source
        self.split = split
        self.domainSplit = domainSplit
        self.domain = domain
    }

    /// Canonical JSON (sorted keys): the wire form and the cache key.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> DatasetRequest {
        do {
            return try JSONDecoder().decode(DatasetRequest.self, from: Data(text.utf8))
        } catch {
            throw RuntimeError("malformed dataset request from the coordinator: \(error)")
        }
    }
}
