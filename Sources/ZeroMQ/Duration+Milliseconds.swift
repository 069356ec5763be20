extension Duration {
    /// Whole milliseconds for libzmq options and `zmq_poll`, rounded up so that a short positive
    /// duration never becomes 0 ("do not wait"); negative durations become 0; clamped to `Int32.max`.
    var zmqMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let fraction = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return Int32.max }
        let total = scaled.addingReportingOverflow(fraction)
        if total.overflow || total.partialValue > Int64(Int32.max) { return Int32.max }
        return Int32(total.partialValue)
    }

    /// A timeout option where libzmq uses -1 for "infinite": `nil` maps to -1.
    static func zmqMilliseconds(orInfinite duration: Duration?) -> Int32 {
        duration?.zmqMilliseconds ?? -1
    }

    /// The reverse of `zmqMilliseconds(orInfinite:)`: -1 (or any negative value) maps to `nil`.
    static func fromZMQMilliseconds(orInfinite milliseconds: Int32) -> Duration? {
        milliseconds < 0 ? nil : .milliseconds(Int64(milliseconds))
    }
}
