public import Foundation

/// One row of the `events` log: what happened to the sweep, in order, for humans and post-mortems.
public struct StoreEvent: Sendable, Hashable {
    /// Position in the log; increases by commit order and is never reused.
    public var seq: Int64
    public var at: Date
    /// `sweep.registered`, `worker.joined`, `worker.lost`, `note`, or whatever a caller passed.
    public var kind: String
    public var text: String

    public init(seq: Int64, at: Date, kind: String, text: String) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.text = text
    }
}
