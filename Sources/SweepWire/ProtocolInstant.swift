/// A point on the protocol's clock: a `Duration` since an arbitrary origin chosen by the shell.
///
/// Cores never read a clock. Every event arrives with `now`, and cores answer with
/// `scheduleWakeUp(at:)`. A plain value instead of `ContinuousClock.Instant` keeps scripted tests
/// and replayed event logs deterministic: a test starts at `.zero` and advances by hand, and a
/// logged instant means the same thing in every process.
///
/// The shell fixes one origin when it starts and converts both ways with
/// `init(_:origin:)` and `continuousInstant(origin:)`.
/// - Contract: the `now` passed to a core never decreases; a core treats an earlier `now` as the
///   latest one it has seen.
public struct ProtocolInstant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    public typealias Duration = Swift.Duration

    /// Time since the shell's origin.
    public var offset: Duration

    public init(offset: Duration) { self.offset = offset }

    /// The origin itself.
    public static let zero = ProtocolInstant(offset: .zero)

    /// `instant` measured from `origin` (both on the continuous clock).
    public init(_ instant: ContinuousClock.Instant, origin: ContinuousClock.Instant) {
        offset = origin.duration(to: instant)
    }

    /// This instant on the continuous clock, for a shell that sleeps until a wake-up.
    public func continuousInstant(origin: ContinuousClock.Instant) -> ContinuousClock.Instant {
        origin.advanced(by: offset)
    }

    public func advanced(by duration: Duration) -> ProtocolInstant { ProtocolInstant(offset: offset + duration) }

    public func duration(to other: ProtocolInstant) -> Duration { other.offset - offset }

    public static func < (lhs: ProtocolInstant, rhs: ProtocolInstant) -> Bool { lhs.offset < rhs.offset }

    public static func + (lhs: ProtocolInstant, rhs: Duration) -> ProtocolInstant { lhs.advanced(by: rhs) }

    public var description: String { "t+\(offset)" }
}
