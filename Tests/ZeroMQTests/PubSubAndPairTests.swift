import Testing
import ZeroMQ

@Suite("PUB/SUB and PAIR")
struct PubSubAndPairTests {
    @Test func subscriberReceivesOnlySubscribedPrefix() throws {
        let context = try ZMQContext()
        let publisher = try makeTestSocket(context, .pub)
        let subscriber = try makeTestSocket(context, .sub)
        try subscriber.subscribe("weather.")
        try subscriber.setReceiveTimeout(.milliseconds(20))
        let endpoint = try bindEphemeralTCP(publisher)
        try subscriber.connect(endpoint)

        // The subscription reaches the publisher asynchronously ("slow joiner"): publish until one arrives.
        let clock = ContinuousClock()
        let deadline = clock.now + testTimeout
        var first: [UInt8]?
        while first == nil && clock.now < deadline {
            try publisher.send("sports.score")
            try publisher.send("weather.sunny")
            first = try subscriber.receive()
        }
        #expect(text(first) == "weather.sunny")

        // Now subscribed: the unfiltered message is sent first, so without filtering it would arrive
        // before "weather.rain". Leftover "weather.sunny" copies from the loop may come first.
        try subscriber.setReceiveTimeout(testTimeout)
        try publisher.send("sports.final")
        try publisher.send("weather.rain")
        var received: [String] = []
        while let message = try subscriber.receive() {
            received.append(text(message) ?? "")
            if received.last == "weather.rain" { break }
        }
        #expect(received.allSatisfy { $0.hasPrefix("weather.") }, "received \(received)")
        #expect(received.last == "weather.rain")

        try subscriber.unsubscribe("weather.")
    }

    @Test func pairExchangesBothWays() throws {
        let context = try ZMQContext()
        let left = try makeTestSocket(context, .pair)
        let right = try makeTestSocket(context, .pair)
        let endpoint = uniqueInprocEndpoint()
        try left.bind(endpoint)
        try right.connect(endpoint)
        try left.send("to right")
        #expect(text(try right.receive()) == "to right")
        try right.sendMultipart([bytes("to"), bytes("left")])
        #expect(try left.receiveMultipart() == [bytes("to"), bytes("left")])
    }

    @Test func nonBlockingReceiveReturnsNilWhenNothingQueued() throws {
        let context = try ZMQContext()
        let pull = try makeTestSocket(context, .pull)
        try pull.bind(uniqueInprocEndpoint())
        #expect(try pull.receive(flags: .dontWait) == nil)
        #expect(try pull.receiveMultipart(flags: .dontWait) == nil)
    }

    @Test func pushToPullAndNonBlockingSendWithoutPeer() throws {
        let context = try ZMQContext()
        let push = try makeTestSocket(context, .push)
        // PUSH with no peer cannot queue anything: a non-blocking send reports "would block".
        #expect(try push.send("lost", flags: .dontWait) == false)
        let pull = try makeTestSocket(context, .pull)
        let endpoint = uniqueInprocEndpoint()
        try pull.bind(endpoint)
        try push.connect(endpoint)
        #expect(try push.send("job"))
        #expect(text(try pull.receive()) == "job")
    }
}
