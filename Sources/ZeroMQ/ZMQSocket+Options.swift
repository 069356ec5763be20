import CZeroMQ

/// Typed socket options (`zmq_setsockopt` / `zmq_getsockopt`).
///
/// Setters are methods because they can fail; getters are throwing properties. Options that shape
/// connections (routing id, high-water marks, CURVE, `immediate`, TCP keepalive, heartbeats) take effect
/// only for `bind`/`connect` calls made after setting them. Durations are rounded up to whole
/// milliseconds. Same threading contract as the socket: call them on the owning thread.
extension ZMQSocket {
    // MARK: Lifetime and timeouts

    /// `ZMQ_LINGER`: how long `close` keeps flushing unsent messages; `nil` waits until they are
    /// delivered (libzmq's default), `.zero` drops them at once.
    public func setLinger(_ linger: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_LINGER, Duration.zmqMilliseconds(orInfinite: linger), name: "ZMQ_LINGER")
    }

    /// `ZMQ_LINGER`; `nil` means infinite.
    public var linger: Duration? {
        get throws(ZMQError) {
            Duration.fromZMQMilliseconds(orInfinite: try int32Option(ZMQ_LINGER, name: "ZMQ_LINGER"))
        }
    }

    /// `ZMQ_SNDTIMEO`: how long a blocking `send` waits before returning `false`; `nil` waits forever.
    public func setSendTimeout(_ timeout: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_SNDTIMEO, Duration.zmqMilliseconds(orInfinite: timeout), name: "ZMQ_SNDTIMEO")
    }

    /// `ZMQ_SNDTIMEO`; `nil` means infinite.
    public var sendTimeout: Duration? {
        get throws(ZMQError) {
            Duration.fromZMQMilliseconds(orInfinite: try int32Option(ZMQ_SNDTIMEO, name: "ZMQ_SNDTIMEO"))
        }
    }

    /// `ZMQ_RCVTIMEO`: how long a blocking `receive` waits before returning `nil`; `nil` waits forever.
    public func setReceiveTimeout(_ timeout: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_RCVTIMEO, Duration.zmqMilliseconds(orInfinite: timeout), name: "ZMQ_RCVTIMEO")
    }

    /// `ZMQ_RCVTIMEO`; `nil` means infinite.
    public var receiveTimeout: Duration? {
        get throws(ZMQError) {
            Duration.fromZMQMilliseconds(orInfinite: try int32Option(ZMQ_RCVTIMEO, name: "ZMQ_RCVTIMEO"))
        }
    }

    // MARK: Identity and routing

    /// `ZMQ_ROUTING_ID` (formerly `ZMQ_IDENTITY`): how a ROUTER peer addresses this socket;
    /// 1 to 255 bytes, not starting with a zero byte. Set before `connect`.
    public func setRoutingID(_ routingID: [UInt8]) throws(ZMQError) {
        try setOption(ZMQ_ROUTING_ID, bytes: routingID, name: "ZMQ_ROUTING_ID", shown: "\(routingID.count) bytes")
    }

    /// Sets the UTF-8 bytes of `routingID`; see `setRoutingID(_: [UInt8])`.
    public func setRoutingID(_ routingID: String) throws(ZMQError) {
        try setOption(ZMQ_ROUTING_ID, bytes: Array(routingID.utf8), name: "ZMQ_ROUTING_ID", shown: "\"\(routingID)\"")
    }

    /// `ZMQ_ROUTING_ID`; empty when none was set.
    public var routingID: [UInt8] {
        get throws(ZMQError) { try bytesOption(ZMQ_ROUTING_ID, name: "ZMQ_ROUTING_ID", capacity: 255) }
    }

    /// `ZMQ_ROUTER_MANDATORY` (ROUTER only): when `true`, sending to an unknown routing id throws
    /// `ZMQError.Kind.hostUnreachable` instead of silently dropping the message, and a peer at its
    /// high-water mark makes `send` block or return `false` instead of dropping.
    public func setRouterMandatory(_ isMandatory: Bool) throws(ZMQError) {
        try setInt32Option(ZMQ_ROUTER_MANDATORY, isMandatory ? 1 : 0, name: "ZMQ_ROUTER_MANDATORY")
    }

    /// `ZMQ_ROUTER_HANDOVER` (ROUTER only): a new connection that presents a routing id already in
    /// use takes it over, instead of being given a random one while the old pipe lingers. A peer
    /// that reconnects (a fresh socket after a silence) is then reachable at once under its id.
    public func setRouterHandover(_ isEnabled: Bool) throws(ZMQError) {
        try setInt32Option(ZMQ_ROUTER_HANDOVER, isEnabled ? 1 : 0, name: "ZMQ_ROUTER_HANDOVER")
    }

    // MARK: Limits

    /// `ZMQ_MAXMSGSIZE`: the largest inbound message in bytes; a peer that sends a larger one is
    /// disconnected and the message never delivered. `nil` (libzmq's default) means no limit.
    public func setMaxMessageSize(_ bytes: Int?) throws(ZMQError) {
        try setInt64Option(ZMQ_MAXMSGSIZE, Int64(bytes ?? -1), name: "ZMQ_MAXMSGSIZE")
    }

    /// `ZMQ_MAXMSGSIZE`; `nil` means no limit.
    public var maxMessageSize: Int? {
        get throws(ZMQError) {
            let value = try int64Option(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE")
            return value < 0 ? nil : Int(value)
        }
    }

    /// `ZMQ_SNDHWM`: how many outbound messages are queued per peer before the socket blocks or drops
    /// (depending on its type); `nil` or 0 means no limit. libzmq's default is 1000.
    public func setSendHWM(_ messages: Int?) throws(ZMQError) {
        try setInt32Option(ZMQ_SNDHWM, Self.highWaterMark(messages), name: "ZMQ_SNDHWM")
    }

    /// `ZMQ_SNDHWM`; `nil` means no limit.
    public var sendHWM: Int? {
        get throws(ZMQError) { Self.highWaterMark(try int32Option(ZMQ_SNDHWM, name: "ZMQ_SNDHWM")) }
    }

    /// `ZMQ_RCVHWM`: how many inbound messages are queued per peer before libzmq stops reading
    /// from it; `nil` or 0 means no limit. libzmq's default is 1000.
    public func setReceiveHWM(_ messages: Int?) throws(ZMQError) {
        try setInt32Option(ZMQ_RCVHWM, Self.highWaterMark(messages), name: "ZMQ_RCVHWM")
    }

    /// `ZMQ_RCVHWM`; `nil` means no limit.
    public var receiveHWM: Int? {
        get throws(ZMQError) { Self.highWaterMark(try int32Option(ZMQ_RCVHWM, name: "ZMQ_RCVHWM")) }
    }

    // MARK: Connections

    /// `ZMQ_IMMEDIATE`: when `true`, messages are queued only to completed connections, so `send`
    /// blocks (or returns `false`) while no peer is connected instead of queueing for a future peer.
    public func setImmediate(_ isImmediate: Bool) throws(ZMQError) {
        try setInt32Option(ZMQ_IMMEDIATE, isImmediate ? 1 : 0, name: "ZMQ_IMMEDIATE")
    }

    /// `ZMQ_IMMEDIATE`.
    public var immediate: Bool {
        get throws(ZMQError) { try int32Option(ZMQ_IMMEDIATE, name: "ZMQ_IMMEDIATE") != 0 }
    }

    /// `ZMQ_IPV6`: when `true`, the socket binds and connects IPv6 addresses (`tcp://[::1]:5555`)
    /// as well as IPv4; libzmq's default (`false`) refuses IPv6 addresses (`ENODEV`, kind `.other`). Set it
    /// only for an IPv6 endpoint: with it, an IPv4 address is bound as `[::ffff:a.b.c.d]`, which
    /// changes ``lastEndpoint``. Set before `bind`/`connect`.
    public func setIPv6(_ isEnabled: Bool) throws(ZMQError) {
        try setInt32Option(ZMQ_IPV6, isEnabled ? 1 : 0, name: "ZMQ_IPV6")
    }

    /// `ZMQ_IPV6`.
    public var ipv6: Bool {
        get throws(ZMQError) { try int32Option(ZMQ_IPV6, name: "ZMQ_IPV6") != 0 }
    }

    /// `ZMQ_RECONNECT_IVL`: the wait before reconnecting a dropped connection; `nil` never reconnects.
    /// libzmq's default is 100 ms.
    public func setReconnectInterval(_ interval: Duration?) throws(ZMQError) {
        try setInt32Option(
            ZMQ_RECONNECT_IVL,
            Duration.zmqMilliseconds(orInfinite: interval),
            name: "ZMQ_RECONNECT_IVL"
        )
    }

    /// `ZMQ_RECONNECT_IVL_MAX`: the cap of the exponential reconnect back-off (doubling from
    /// `reconnectInterval`); `nil` (libzmq's default) keeps the interval constant.
    public func setReconnectIntervalMax(_ interval: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_RECONNECT_IVL_MAX, interval?.zmqMilliseconds ?? 0, name: "ZMQ_RECONNECT_IVL_MAX")
    }

    /// `ZMQ_HEARTBEAT_IVL`: how often to send a ZMTP PING on an idle connection; `nil` (default) disables.
    public func setHeartbeatInterval(_ interval: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_HEARTBEAT_IVL, interval?.zmqMilliseconds ?? 0, name: "ZMQ_HEARTBEAT_IVL")
    }

    /// `ZMQ_HEARTBEAT_TIMEOUT`: how long to wait for any traffic after a PING before closing the
    /// connection; `nil` uses the heartbeat interval.
    public func setHeartbeatTimeout(_ timeout: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_HEARTBEAT_TIMEOUT, timeout?.zmqMilliseconds ?? -1, name: "ZMQ_HEARTBEAT_TIMEOUT")
    }

    /// `ZMQ_HEARTBEAT_TTL`: asks the peer to close the connection if it hears nothing for this long;
    /// sent in deciseconds, at most 6553.5 s (libzmq throws `invalidArgument` above that). `nil` disables.
    public func setHeartbeatTTL(_ ttl: Duration?) throws(ZMQError) {
        try setInt32Option(ZMQ_HEARTBEAT_TTL, ttl?.zmqMilliseconds ?? 0, name: "ZMQ_HEARTBEAT_TTL")
    }

    /// TCP keepalive (`ZMQ_TCP_KEEPALIVE` and friends) so that dead peers behind silent networks are noticed.
    /// - Parameters:
    ///   - isEnabled: `true` or `false` to force keepalive on or off, `nil` for the OS default.
    ///   - idle: idle time before the first probe (`ZMQ_TCP_KEEPALIVE_IDLE`, rounded up to seconds); `nil`: OS default.
    ///   - interval: time between probes (`ZMQ_TCP_KEEPALIVE_INTVL`, rounded up to seconds); `nil`: OS default.
    ///   - count: unanswered probes before the connection is dropped (`ZMQ_TCP_KEEPALIVE_CNT`); `nil`: OS default.
    public func setTCPKeepalive(
        _ isEnabled: Bool?,
        idle: Duration? = nil,
        interval: Duration? = nil,
        count: Int? = nil
    ) throws(ZMQError) {
        let mode: Int32 = isEnabled.map { $0 ? 1 : 0 } ?? -1
        try setInt32Option(ZMQ_TCP_KEEPALIVE, mode, name: "ZMQ_TCP_KEEPALIVE")
        try setInt32Option(ZMQ_TCP_KEEPALIVE_IDLE, Self.wholeSeconds(idle), name: "ZMQ_TCP_KEEPALIVE_IDLE")
        try setInt32Option(ZMQ_TCP_KEEPALIVE_INTVL, Self.wholeSeconds(interval), name: "ZMQ_TCP_KEEPALIVE_INTVL")
        try setInt32Option(ZMQ_TCP_KEEPALIVE_CNT, Self.clampedInt32(count, default: -1), name: "ZMQ_TCP_KEEPALIVE_CNT")
    }

    /// `ZMQ_TCP_KEEPALIVE`: `nil` when the OS default applies.
    public var tcpKeepalive: Bool? {
        get throws(ZMQError) {
            let mode = try int32Option(ZMQ_TCP_KEEPALIVE, name: "ZMQ_TCP_KEEPALIVE")
            return mode < 0 ? nil : mode != 0
        }
    }

    // MARK: Subscriptions

    /// `ZMQ_SUBSCRIBE` (SUB only): receive messages whose first frame starts with `prefix`;
    /// the empty prefix subscribes to everything. A SUB socket receives nothing until it subscribes.
    public func subscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: prefix, name: "ZMQ_SUBSCRIBE", shown: "\(prefix.count) bytes")
    }

    /// Subscribes to the UTF-8 bytes of `prefix`; see `subscribe(_: [UInt8])`.
    public func subscribe(_ prefix: String) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8), name: "ZMQ_SUBSCRIBE", shown: "\"\(prefix)\"")
    }

    /// `ZMQ_UNSUBSCRIBE`: removes one earlier `subscribe` of the same prefix.
    public func unsubscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
        try setOption(ZMQ_UNSUBSCRIBE, bytes: prefix, name: "ZMQ_UNSUBSCRIBE", shown: "\(prefix.count) bytes")
    }

    /// Unsubscribes the UTF-8 bytes of `prefix`.
    public func unsubscribe(_ prefix: String) throws(ZMQError) {
        try setOption(ZMQ_UNSUBSCRIBE, bytes: Array(prefix.utf8), name: "ZMQ_UNSUBSCRIBE", shown: "\"\(prefix)\"")
    }

    // MARK: Conversions

    private static func highWaterMark(_ messages: Int?) -> Int32 {
        guard let messages, messages > 0 else { return 0 }
        return Int32(clamping: messages)
    }

    private static func highWaterMark(_ value: Int32) -> Int? {
        value <= 0 ? nil : Int(value)
    }

    private static func wholeSeconds(_ duration: Duration?) -> Int32 {
        guard let duration else { return -1 }
        let milliseconds = Int64(duration.zmqMilliseconds)
        return Int32(clamping: (milliseconds + 999) / 1000)
    }

    private static func clampedInt32(_ value: Int?, default defaultValue: Int32) -> Int32 {
        value.map { Int32(clamping: $0) } ?? defaultValue
    }
}
