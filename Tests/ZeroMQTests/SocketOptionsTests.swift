import Testing
import ZeroMQ

@Suite("Socket options")
struct SocketOptionsTests {
    @Test func settersRoundTripThroughGetters() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.dealer)
        #expect(try socket.linger == nil)
        try socket.setLinger(.milliseconds(250))
        #expect(try socket.linger == .milliseconds(250))
        try socket.setLinger(.microseconds(1))
        #expect(try socket.linger == .milliseconds(1), "sub-millisecond linger must round up, not to 0")
        try socket.setLinger(.zero)
        #expect(try socket.linger == .zero)

        try socket.setRoutingID([1, 2, 3])
        #expect(try socket.routingID == [1, 2, 3])

        try socket.setMaxMessageSize(1 << 20)
        #expect(try socket.maxMessageSize == 1 << 20)

        try socket.setSendHWM(10)
        try socket.setReceiveHWM(20)
        #expect(try socket.sendHWM == 10)
        #expect(try socket.receiveHWM == 20)
        try socket.setSendHWM(nil)
        #expect(try socket.sendHWM == nil)

        try socket.setSendTimeout(.milliseconds(1500))
        try socket.setReceiveTimeout(nil)
        #expect(try socket.sendTimeout == .milliseconds(1500))
        #expect(try socket.receiveTimeout == nil)

        #expect(try socket.immediate == false)
        try socket.setImmediate(true)
        #expect(try socket.immediate)

        #expect(try socket.tcpKeepalive == nil)
        try socket.setTCPKeepalive(true, idle: .seconds(30), interval: .milliseconds(1500), count: 3)
        #expect(try socket.tcpKeepalive == true)

        try socket.setReconnectInterval(.milliseconds(50))
        try socket.setReconnectIntervalMax(.seconds(2))
        try socket.setReconnectInterval(nil)
        try socket.setHeartbeatInterval(.seconds(1))
        try socket.setHeartbeatTimeout(.seconds(3))
        try socket.setHeartbeatTTL(.seconds(10))
        try socket.setHeartbeatInterval(nil)
        #expect(try socket.hasMoreFrames == false)
        #expect(try socket.events.contains(.readable) == false)
        #expect(try socket.lastEndpoint == nil)
        socket.close()
    }

    @Test func heartbeatTTLAboveTheProtocolLimitIsRejected() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.dealer)
        try socket.setLinger(.zero)
        let error = #expect(throws: ZMQError.self) { try socket.setHeartbeatTTL(.seconds(7000)) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.operation.contains("ZMQ_HEARTBEAT_TTL") == true)
    }

    @Test func routerMandatoryAndSubscriptionsApplyToTheirSocketTypes() throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.setRouterMandatory(true)
        try router.setRouterMandatory(false)
        let subscriber = try makeTestSocket(context, .sub)
        try subscriber.subscribe()
        try subscriber.subscribe([0xFF])
        try subscriber.unsubscribe([0xFF])
        let dealer = try makeTestSocket(context, .dealer)
        let error = #expect(throws: ZMQError.self) { try dealer.subscribe("x") }
        #expect(error?.kind == .invalidArgument)
    }
}
