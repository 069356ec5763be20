import Testing
import ZeroMQ

@Suite("ROUTER/DEALER")
struct RouterDealerTests {
    @Test func multipartWithExplicitRoutingID() throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.setRouterMandatory(true)
        let dealer = try makeTestSocket(context, .dealer)
        try dealer.setRoutingID("worker-1")
        #expect(text(try dealer.routingID) == "worker-1")

        let endpoint = try bindEphemeralTCP(router)
        try dealer.connect(endpoint)

        #expect(try dealer.sendMultipart([bytes("hello"), [], bytes("world")]))
        let request = try router.receiveMultipart()
        #expect(request == [bytes("worker-1"), bytes("hello"), [], bytes("world")])

        #expect(try router.sendMultipart([bytes("worker-1"), bytes("a"), bytes("b")]))
        #expect(try dealer.receiveMultipart() == [bytes("a"), bytes("b")])
    }

    @Test func routerMandatoryRejectsUnknownRoutingID() throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.setRouterMandatory(true)
        try router.bind(uniqueInprocEndpoint())

        let error = #expect(throws: ZMQError.self) {
            try router.sendMultipart([bytes("nobody"), bytes("payload")])
        }
        #expect(error?.kind == .hostUnreachable)
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("EHOSTUNREACH") == true)
    }

    @Test func routerWithoutMandatoryDropsUnknownRoutingIDSilently() throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.bind(uniqueInprocEndpoint())
        #expect(try router.sendMultipart([bytes("nobody"), bytes("payload")]))
    }

    /// A peer that reconnects with a fresh socket while its old connection is still open: with
    /// handover the new connection owns the routing id; without it, the new one never gets it.
    @Test(arguments: [true, false])
    func reconnectingPeerKeepsItsRoutingIDOnlyWithHandover(handover: Bool) throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.setRouterMandatory(true)
        try router.setRouterHandover(handover)
        let endpoint = try bindEphemeralTCP(router)

        let old = try makeTestSocket(context, .dealer)
        try old.setRoutingID("worker-1")
        try old.connect(endpoint)
        #expect(try old.send(bytes("from old")))
        #expect(try router.receiveMultipart() == [bytes("worker-1"), bytes("from old")])

        let fresh = try makeTestSocket(context, .dealer)
        try fresh.setRoutingID("worker-1")
        try fresh.connect(endpoint)
        #expect(try fresh.send(bytes("from fresh")))
        if handover {
            #expect(try router.receiveMultipart() == [bytes("worker-1"), bytes("from fresh")])
            #expect(try router.sendMultipart([bytes("worker-1"), bytes("reply")]))
            #expect(try fresh.receiveMultipart() == [bytes("reply")])
        } else {
            // libzmq refuses the duplicate id: the fresh peer is never heard as "worker-1".
            let received = try router.receiveMultipart()
            #expect(received?.first != bytes("worker-1"), "without handover the second connection must not own the id")
        }
    }
}
