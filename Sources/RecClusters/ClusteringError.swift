/// Input that clustering cannot use (too few points for k, a NaN coordinate, a bad range); the
/// message says what to change.
public struct ClusteringError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
