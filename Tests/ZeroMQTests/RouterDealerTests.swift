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
}
